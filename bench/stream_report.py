"""Issue 15's judged rows: Easee's stream and its one request per site.

The figures come from runs the benchmark makes anyway (the home owner's run, every N)
and from its large-account case (``benchmark.large_account``: 500 chargers on 10 sites).
"""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
from typing import Any

TITLE = "## Easee: pushed, one request per site (issue 15)"


def load(folder: Path) -> dict[str, Any] | None:
    """The large-account case's result, if the run made it."""
    path = folder / "easee-large-account.json"
    result: dict[str, Any] | None = json.loads(path.read_text()) if path.exists() else None
    return result


def _get(result: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(result, dict):
            return None
        result = result.get(key)
    return result


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def refused(home: dict[str, Any] | None, runs: dict[int, dict[str, Any]]) -> int | None:
    """Every 429 Easee answered in the benchmark's runs (every N, every repeat, the home)."""
    counts: list[Any] = []
    for result in runs.values():
        for run in result.get("runs") or [result]:
            counts += [_get(run, "setup", "refused_429"), _get(run, "hour", "refused_429")]
    for hour in ("idle_hour", "charging_hour", "idle_hour_stream_down"):
        counts.append(_get(home, hour, "refused_429"))
    counts.append(_get(home, "setup", "refused_429"))
    numbers = [c for c in counts if _number(c)]
    return sum(numbers) if numbers else None


def _large(large: dict[str, Any] | None) -> str | None:
    if not large:
        return None
    requests, wait = large.get("requests"), large.get("simulated_wait_s")
    missing = (large.get("unavailable") or 0) + (large.get("unknown") or 0)
    first_poll = "within the first poll" if wait == 0 else f"after {wait} simulated s"
    shown = "every entity with a value" if missing == 0 else f"{missing} entities without one"
    return f"{requests} ({first_poll}; {shown})"


def _large_met(large: dict[str, Any] | None) -> bool | None:
    if not large:
        return None
    return bool(
        large.get("ready")
        and _number(large.get("requests"))
        and large["requests"] <= 20
        and large.get("simulated_wait_s") == 0
        and not large.get("unavailable")
        and not large.get("unknown")
    )


Row = tuple[str, Callable[..., Any], str, Callable[[Any], bool | None], str]

ROWS: tuple[Row, ...] = (
    (
        "a 1-charger home, idle hour, stream healthy: all requests (token refresh included)",
        lambda home, large, runs: _get(home, "idle_hour", "requests"),
        "<= 6",
        lambda v: v <= 6 if _number(v) else None,
        "The home owner's idle hour below (every request: site, account, token, the hub's).",
    ),
    (
        "a 1-charger home, idle hour, stream down (polling only): all requests",
        lambda home, large, runs: _get(home, "idle_hour_stream_down", "requests"),
        "<= 45",
        lambda v: v <= 45 if _number(v) else None,
        "The same hour with the hub answering 503 (taken down 5 minutes before the hour):"
        " polling and the stream's reconnection tries.",
    ),
    (
        "car plugged in → status shown, stream healthy (s)",
        lambda home, large, runs: _get(home, "arrival", "seconds"),
        "< 5",
        lambda v: v < 5 if _number(v) else None,
        "Simulated seconds, stepped one at a time, from the car plugging in (the instant a"
        " poll was answered) to the status sensor changing.",
    ),
    (
        "500 chargers on 10 sites: requests until every entity shows real values",
        lambda home, large, runs: _large(large),
        "<= 20, within the first poll",
        lambda v: None,  # judged from the result itself (see ``judge``)
        "Requests from adding the entry (config flow included) until every entity is"
        " available and none but the buttons is unknown; within the first poll: before"
        " the clock moved at all.",
    ),
    (
        "429 answers in any run",
        lambda home, large, runs: refused(home, runs),
        "0",
        lambda v: v == 0 if _number(v) else None,
        "Every 429 in the logs of every Easee run above (setup and two-hour window at every"
        " N, each repeat) and of the home owner's run.",
    ),
)


def judge(
    home: dict[str, Any] | None, large: dict[str, Any] | None, runs: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The rows with their values and verdicts (pass, FAIL, or n/a when not measured)."""
    rows = []
    for name, read, target, check, how in ROWS:
        value = read(home, large, runs)
        met = _large_met(large) if name.startswith("500 chargers") else check(value)
        verdict = "n/a" if met is None else ("pass" if met else "FAIL")
        rows.append(
            {"figure": name, "value": value, "target": target, "verdict": verdict, "how": how}
        )
    return rows


def section(rows: list[dict[str, Any]]) -> str:
    """The Markdown section."""
    lines = [TITLE, "", "| figure | value | target | verdict |", "|---|---|---|---|"]
    for row in rows:
        value = row["value"]
        cell = "—" if value is None else (f"{value:g}" if _number(value) else str(value))
        lines.append(f"| {row['figure']} | {cell} | {row['target']} | {row['verdict']} |")
    lines += ["", *(f"- *{row['figure']}*: {row['how']}" for row in rows)]
    return "\n".join(lines)
