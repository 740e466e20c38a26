"""Turn the benchmark's figures into the table: each figure beside its target, pass or fail.

``python -m bench.report RESULTS`` reads the JSON files ``bench/test_benchmark.py`` wrote,
prints the table and writes ``BENCHMARKS.md`` and ``benchmarks.json`` at the top of the
repository. A target that is not met is shown as FAIL; nothing is adjusted to pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import math
import os
from pathlib import Path
import platform
import sys
from typing import Any

from .benchmark import REPO, SIZES
from .clouds import CLOUDS, CloudSpec

Results = dict[int, dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    """One row: how to read the figure at one N, its target and how it is judged."""

    name: str
    read: Callable[[CloudSpec, int, dict[str, Any]], float | str | None]
    target: str
    # The check of one measured value (None: shown for information only).
    check: Callable[[CloudSpec, int, Any, Results], bool] | None = None
    # Judge only at these N (None: at every N measured).
    judged_at: tuple[int, ...] | None = None
    unit: str = ""
    applies: Callable[[CloudSpec], bool] = lambda spec: True


def _get(result: dict[str, Any], *path: str) -> Any:
    value: Any = result
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _per_site(key: str) -> Callable[[CloudSpec, int, dict[str, Any]], float | None]:
    def read(spec: CloudSpec, n: int, r: dict[str, Any]) -> float | None:
        account = _get(r, "hour", key)
        return None if account is None else account / spec.sites(n)

    return read


def _list_target(spec: CloudSpec, n: int, results: Results) -> float:
    """lists x ceil(N / 100) + the constant part seen at N = 1."""
    base = _get(results.get(1, {}), "hour", "requests_per_refresh_max")
    constant = (base or spec.list_endpoints) - spec.list_endpoints
    return spec.list_endpoints * math.ceil(n / 100) + constant


def _arrival(spec: CloudSpec, n: int, r: dict[str, Any]) -> float | str | None:
    arrival = _get(r, "arrival")
    if not isinstance(arrival, dict):
        return None
    if "note" in arrival:
        return str(arrival["note"])
    seconds = arrival.get("seconds")
    return "never" if seconds is None else float(seconds)


def _press_at_once(spec: CloudSpec, n: int, r: dict[str, Any]) -> str | None:
    press = _get(r, "press")
    if not isinstance(press, dict):
        return None
    if "note" in press:
        return str(press["note"])
    shown = press.get("shown_at_once")
    return "n/a (button)" if shown is None else ("yes" if shown else "no")


def _press(key: str) -> Callable[[CloudSpec, int, dict[str, Any]], float | str | None]:
    def read(spec: CloudSpec, n: int, r: dict[str, Any]) -> float | str | None:
        press = _get(r, "press")
        if not isinstance(press, dict):
            return None
        if "note" in press:
            return str(press["note"])
        value = press.get(key)
        return "never" if value is None else float(value)

    return read


def _memory(spec: CloudSpec, n: int, r: dict[str, Any]) -> float | None:
    memory = _get(r, "memory")
    if not isinstance(memory, dict) or not memory.get("ready"):
        return None
    value = memory.get("per_charger_kb")
    return None if value is None else float(value)


def _cpu_per_charger(spec: CloudSpec, n: int, r: dict[str, Any]) -> float | None:
    cpu = _get(r, "hour", "cpu_per_polling_refresh_ms")
    return None if cpu is None else cpu / n


def _setup_seconds(spec: CloudSpec, n: int, r: dict[str, Any]) -> float | str | None:
    setup = _get(r, "setup")
    if not isinstance(setup, dict):
        return None
    if not setup.get("ready"):
        return f"never ({setup.get('state')}, {setup.get('refused_429')} x 429)"
    return float(setup["wall_s"])


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _measured(value: Any) -> bool:
    """A figure that was measured: a number, or a yes/no answer."""
    return _number(value) or value in ("yes", "no")


FIGURES: tuple[Figure, ...] = (
    Figure(
        "requests per idle charger per hour (its own calls)",
        lambda s, n, r: _get(r, "hour", "idle_own_mean"),
        "<= 6",
        lambda s, n, v, rs: v <= 6,
    ),
    Figure(
        "account- and site-level calls per hour (per site; a paged list read is one call)",
        _per_site("account_level_calls"),
        "<= 60 per account or site",
        lambda s, n, v, rs: v <= 60,
    ),
    Figure(
        "account- and site-level requests per hour (per site; every page)",
        _per_site("account_level"),
        "(information)",
    ),
    Figure(
        "requests per charging charger per hour (its own calls)",
        lambda s, n, r: _get(r, "hour", "charging_own_mean"),
        "<= 60",
        lambda s, n, v, rs: v <= 60,
    ),
    Figure(
        "all requests per charger per hour",
        lambda s, n, r: _get(r, "hour", "per_charger_all"),
        "(information)",
    ),
    Figure(
        "requests per polling refresh (most)",
        lambda s, n, r: _get(r, "hour", "requests_per_refresh_max"),
        "lists x ceil(N/100) + constant",
        lambda s, n, v, rs: v <= _list_target(s, n, rs),
        applies=lambda spec: spec.list_endpoints > 0,
    ),
    Figure(
        "requests per polling refresh (most)",
        lambda s, n, r: _get(r, "hour", "requests_per_refresh_max"),
        "(no list endpoint: information)",
        applies=lambda spec: spec.list_endpoints == 0,
    ),
    Figure(
        "429 answers during the hour",
        lambda s, n, r: _get(r, "hour", "refused_429"),
        "(information; 0 expected)",
    ),
    Figure(
        "seconds from adding the entry to every entity available",
        _setup_seconds,
        "< 5 at N = 500",
        lambda s, n, v, rs: v < 5,
        judged_at=(500,),
        unit="s",
    ),
    Figure(
        "simulated seconds until every charger is read in full (its other entities added)",
        lambda s, n, r: _get(r, "setup", "read_in_full_s"),
        "(information: paced to the cloud's limit)",
        applies=lambda spec: spec.full_read is not None,
    ),
    Figure(
        "429 answers until then",
        lambda s, n, r: _get(r, "setup", "refused_429_read_in_full"),
        "(information; 0 expected)",
        applies=lambda spec: spec.full_read is not None,
    ),
    Figure(
        "requests during setup",
        lambda s, n, r: _get(r, "setup", "requests"),
        "(information)",
    ),
    Figure(
        "CPU per polling refresh per charger (ms)",
        _cpu_per_charger,
        "< 0.5 at N = 500",
        lambda s, n, v, rs: v < 0.5,
        judged_at=(500,),
    ),
    Figure(
        "CPU of the whole hour (ms)",
        lambda s, n, r: _get(r, "hour", "cpu_hour_ms"),
        "(information)",
    ),
    Figure(
        "memory per charger, its entities included (KB)",
        _memory,
        "< 200 at N = 500",
        lambda s, n, v, rs: v < 200,
        judged_at=(500,),
    ),
    Figure(
        "left out of it: the harness's JSON copy of what Home Assistant saves (KB per charger)",
        lambda s, n, r: _get(r, "memory", "harness_storage_per_charger_kb"),
        "(information)",
    ),
    Figure(
        "seconds to notice a car arriving (worst placement)",
        _arrival,
        "< 120",
        lambda s, n, v, rs: v < 120,
        applies=lambda spec: spec.arrive is not None and spec.arrival_judged,
    ),
    Figure(
        "seconds to notice a car arriving",
        _arrival,
        "(information)",
        applies=lambda spec: spec.arrive is not None and not spec.arrival_judged,
    ),
    Figure(
        "press: expected state shown at once",
        _press_at_once,
        "yes",
        lambda s, n, v, rs: v == "yes",
        applies=lambda spec: spec.press is not None and spec.press.expected is not None,
    ),
    Figure(
        "press: requests until confirmed, beyond the write",
        _press("extra_requests"),
        "<= 2",
        lambda s, n, v, rs: v <= 2,
        applies=lambda spec: spec.press is not None,
    ),
    Figure(
        "press: simulated seconds until confirmed",
        _press("seconds_to_confirm"),
        "(information)",
        applies=lambda spec: spec.press is not None,
    ),
)


def load(folder: Path) -> dict[str, Results]:
    """``{cloud: {n: {"setup", "hour", ..., "memory"}}}`` from the result files."""
    results: dict[str, Results] = {}
    for path in sorted(folder.glob("*.json")):
        cloud, n, kind = path.stem.rsplit("-", 2)
        data = json.loads(path.read_text())
        entry = results.setdefault(cloud, {}).setdefault(int(n), {})
        if kind == "memory":
            entry["memory"] = data
        else:
            entry.update(data)
    return results


def judge(cloud: str, results: Results, sizes: list[int]) -> list[dict[str, Any]]:
    """The rows of one cloud: values per N, target and verdict."""
    spec = CLOUDS[cloud]
    rows = []
    has_entities = any(_get(r, "setup", "has_entities") for r in results.values())
    for figure in FIGURES:
        if not figure.applies(spec):
            continue
        values = {n: figure.read(spec, n, results[n]) if n in results else None for n in sizes}
        verdict = "info"
        notes: list[str] = []
        if "arriving" in figure.name and spec.arrival_note:
            notes.append(spec.arrival_note)
        if not has_entities:
            verdict = "n/a"
        elif figure.check is not None:
            judged = [n for n in sizes if figure.judged_at is None or n in figure.judged_at]
            measured = [n for n in judged if _measured(values[n])]
            unmeasured = [n for n in judged if not _measured(values[n])]
            failed = [n for n in measured if not figure.check(spec, n, values[n], results)]
            never = [n for n in unmeasured if str(values[n]).startswith("never")]
            not_set_up = [
                n
                for n in unmeasured
                if n not in never and not _get(results.get(n, {}), "setup", "ready")
            ]
            if failed or never:
                verdict = "FAIL"
            elif measured:
                verdict = "pass"
            else:
                verdict = "not measured" if not_set_up else "n/a"
            if not_set_up:
                notes.append(f"not measured at N = {', '.join(map(str, not_set_up))}: setup failed")
        rows.append(
            {
                "cloud": cloud,
                "figure": figure.name,
                "values": {str(n): values[n] for n in sizes},
                "target": figure.target,
                "verdict": verdict,
                "notes": notes,
            }
        )
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1:
            return str(int(value))
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def table(rows: list[dict[str, Any]], sizes: list[int]) -> str:
    """A Markdown table of the rows."""
    head = ["cloud", "figure", *(f"N = {n}" for n in sizes), "target", "verdict"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        verdict = row["verdict"] + ("*" if row["notes"] else "")
        cells = [row["cloud"], row["figure"], *(_cell(row["values"][str(n)]) for n in sizes)]
        lines.append("| " + " | ".join([*cells, row["target"], verdict]) + " |")
    return "\n".join(lines)


NOTES = """\
How it is measured (`scripts/bench`, `bench/benchmark.py`):

- Home Assistant 2026.10 runs in its test harness with a frozen clock; the simulator runs
  in a process of its own (`bench/simserver.py`), so its CPU time and memory are not
  counted. Both clocks are moved together in 30 s steps (the coordinators' tick).
- Worlds: N chargers per cloud, half of them with a car charging (Easee: `scale(N, N/2)`;
  AMPECO: `scale(N, N/2)` with a session on each; ViriCiti: `scale(N)` in ceil(N/10)
  groups of ten, each position busy with probability 0.5; Jedlix: N cars of the demo
  user, each with a charger at home, about half of them charging; a Jedlix car is the
  unit, as the platform follows cars). The simulators' own rate limits are on (Easee 500 requests
  per 5 min, ViriCiti 120 per minute, AMPECO 120 per minute).
- Requests come from the simulator's request log over one simulated hour after setup. A
  request whose path names a charger (a Jedlix car) is that charger's own; every other
  request (lists, sites, groups, tokens) is account- or site-level. For ViriCiti the site
  is the charger group: its figure is per group. The target counts calls that cover all
  chargers: one read of a paged list (AMPECO: cursor pages of 100; Jedlix: the user's
  session list, numbered pages of 100) is one call whatever
  its number of pages; the page count is judged by the requests-per-refresh row, and the
  row after it shows every page.
- Requests per polling refresh: the most any refresh of the hour sent. For clouds with
  list endpoints (pages of 100) the target is lists x ceil(N/100) + the constant seen at
  N = 1 (AMPECO reads two lists: charge points and sessions; Jedlix one, the sessions
  of the plugged-in cars; its car and charger lists are single requests).
- Setup: wall time from the config flow to every enabled entity being available. When
  setup fails, the benchmark waits up to 10 simulated minutes of retries. Easee cannot
  read a large account in full at once (each charger needs a state and a settings read:
  1 000 requests at N = 500 against Easee's 500 per 5 minutes). Its entry shows every
  charger from the sites' dashboard state at once (status, reason, power, the controls)
  and adds a charger's other entities (energy, current, access settings) when its own
  reads come round, paced to the limit; the row after it gives the simulated seconds
  until the last one did. The hour, the memory figure and everything after them start
  once every charger has been read in full.
- CPU: `time.process_time()` around each coordinator refresh (entity updates included),
  averaged over the refreshes that sent requests, divided by N.
- Memory: tracemalloc delta of the entry's setup (entities included), divided by N, in a
  fresh Home Assistant: every allocation still held, wherever it was made. One thing is
  left out, and shown in its own row: the JSON copy the test harness keeps of what Home
  Assistant saves (the registries), where an installation writes it to disk; that is the
  allocations of one line of the harness (`mock_storage`'s `data[store.key] = ...`, its
  innermost frame), found in the harness's source, and benchmarks.json lists the sites
  left out (`left_out_sites`) and the biggest ones counted (`top_sites`). While it is
  measured, asyncio's debug mode (a stack kept for every callback and task) and pytest's
  log capture (every record kept) are off, as in a running Home Assistant.
- Arrival: a car arrives at an idle charger one second after an account-level poll (the
  worst placement), and the seconds until its status shows it are counted in 1 s steps.
- Press: the switch (Easee: pause), button (AMPECO: start on a charge point with a car
  plugged in) or number (ViriCiti: group limit) is used; the state must show at once; the
  reads of that device (its path or a filter names it) after the write until the cloud's
  state shows it, and the simulated seconds. Routine polls of other devices in the
  meantime are not counted.
- Verdicts: `pass` or `FAIL` against the target; `info` rows have no target. `*`: some N
  could not be measured (see the notes under the table).
"""


def summary(rows: list[dict[str, Any]]) -> str:
    """One line: how many judged figures pass, fail, or could not be measured."""
    count = {v: sum(r["verdict"] == v for r in rows) for v in ("pass", "FAIL", "not measured")}
    judged = sum(count.values())
    if count["FAIL"] == 0 and count["not measured"] == 0:
        return f"**Every judged figure ({judged}) meets its target.**"
    return (
        f"**{count['pass']} of {judged} judged figures meet their target; {count['FAIL']} "
        f"miss it; {count['not measured']} could not be measured (setup failed).**"
    )


def render(results: dict[str, Results], sizes: list[int]) -> tuple[str, dict[str, Any]]:
    """The Markdown page and the JSON document."""
    rows = [
        row for cloud in CLOUDS if cloud in results for row in judge(cloud, results[cloud], sizes)
    ]
    notes = [f"- {row['cloud']}, {row['figure']}: {n}" for row in rows for n in row["notes"]]
    machine = f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = [
        "# Benchmarks",
        "",
        f"Measured by `scripts/bench` on {generated} ({machine}). Re-run it to refresh this page.",
        "",
        table(rows, sizes),
        "",
    ]
    if notes:
        page += ["Notes:", "", *notes, ""]
    page += [
        summary(rows),
        "",
        NOTES,
    ]
    document = {
        "generated": generated,
        "machine": machine,
        "sizes": sizes,
        "figures": rows,
        "results": {cloud: {str(n): r for n, r in res.items()} for cloud, res in results.items()},
    }
    return "\n".join(page), document


def main(argv: list[str]) -> int:
    """Print the table and write BENCHMARKS.md and benchmarks.json."""
    folder = Path(argv[1] if len(argv) > 1 else "bench-results")
    results = load(folder)
    if not results:
        sys.stderr.write(f"no benchmark results in {folder}\n")
        return 1
    measured = sorted({n for res in results.values() for n in res})
    sizes = [n for n in SIZES if n in measured] + [n for n in measured if n not in SIZES]
    page, document = render(results, sizes)
    sys.stdout.write(page + "\n")
    (REPO / "BENCHMARKS.md").write_text(page)
    (REPO / "benchmarks.json").write_text(json.dumps(document, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
