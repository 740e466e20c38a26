"""Check the integration's layering (docs/architecture.md); print what breaks it.

- No import cycle between the integration's modules, counting every import in a file,
  those behind ``if TYPE_CHECKING:`` included.
- Nothing under ``clouds/`` imports Home Assistant.
- The shared modules (everything outside ``clouds/`` and ``providers/``) import no
  cloud's provider package, only the registry and the Provider type.
- No module is over 400 lines.

Exits 1 when anything is found; prints the import graph's size with ``--verbose``.
"""

from __future__ import annotations

import ast
from pathlib import Path
import sys

PACKAGE = Path(__file__).resolve().parent.parent / "custom_components" / "smart_charging"
ROOT = "custom_components.smart_charging"
MAX_LINES = 400


def module_name(path: Path) -> str:
    """``custom_components.smart_charging.clouds.http`` for ``clouds/http.py``."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([ROOT, *parts])


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The integration's modules ``path`` imports, wherever in the file the import is."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, *([node.module] if node.module else [])])
            else:
                stem = node.module or ""
            # ``from . import x`` may name a module as well as a value.
            targets = [stem, *(f"{stem}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(target for target in targets if target in modules)
    found.discard(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in graph[node]:
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main(verbose: bool) -> int:
    """Run every check; return the exit status."""
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    graph = {module_name(path): imports_of(path, modules) for path in paths}
    problems = [f"import cycle: {' <-> '.join(component)}" for component in cycles(graph)]
    for path in paths:
        name = module_name(path)
        relative = path.relative_to(PACKAGE)
        text = path.read_text()
        if (lines := text.count("\n")) > MAX_LINES:
            problems.append(f"{relative}: {lines} lines (at most {MAX_LINES})")
        if relative.parts[0] == "clouds" and "homeassistant" in {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (
                node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
            )
        }:
            problems.append(f"{relative}: clouds/ must not import Home Assistant")
        if relative.parts[0] not in ("clouds", "providers"):
            allowed = {f"{ROOT}.providers", f"{ROOT}.providers.provider"}
            into_providers = {
                m for m in graph[name] if m.startswith(f"{ROOT}.providers.") and m not in allowed
            }
            if into_providers:
                problems.append(f"{relative}: imports {sorted(into_providers)} (use PROVIDERS)")
    for problem in problems:
        print(problem)  # noqa: T201
    if verbose:
        edges = sum(len(targets) for targets in graph.values())
        print(f"{len(graph)} modules, {edges} imports, {len(problems)} problems")  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--verbose" in sys.argv))
