"""The planner's rows of the benchmark table: each figure beside its target and verdict."""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
from typing import Any

# (figure, how it is read, target, check (None: information), how it is measured)
Row = tuple[str, Callable[[dict[str, Any]], Any], str, Callable[[Any], bool] | None, str]


def _pair(a: str, b: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: None if r.get(a) is None else (r[a], r[b])


ROWS: tuple[Row, ...] = (
    (
        "cost above the reference optimum, mean / worst (%)",
        _pair("gap_mean_percent", "gap_worst_percent"),
        "≤ 0.5 / ≤ 2",
        lambda v: v[0] <= 0.5 and v[1] <= 2,
        "Cost of what was carried out (plan at the first plug-in, re-plan every 15 min) on"
        " each day every goal can be met, against HiGHS's optimum of the same linear problem.",
    ),
    (
        "feasible departures missed",
        lambda r: r["missed"],
        "0",
        lambda v: v == 0,
        "Cars short of their goal at departure on days the reference can meet every goal.",
    ),
    (
        "slots where the shared limit is exceeded",
        lambda r: r["over"],
        "0",
        lambda v: v == 0,
        "Intervals (cut at every price, solar, limit and plan boundary) where the cars' summed"
        " power is above the limit at that time, read from the raw limit layers, or a"
        " circuit's cars' power above the circuit's limit; both nights of each day (all"
        " steered, and one Jedlix car).",
    ),
    (
        "infeasible departures flagged ≥ 30 min ahead (%)",
        lambda r: r["flagged_ahead_percent"],
        "100",
        lambda v: v >= 100,
        "Of the cars short at departure on days that cannot be met, the share whose plan said"
        " so (with the reason) at least 30 minutes before the departure.",
    ),
    (
        "CPU per re-plan, 10 targets x 96 quarter-hours (ms)",
        lambda r: r["cpu_ms_worst"],
        "< 50",
        lambda v: v < 50,
        "time.process_time() of one plan, best of 3, worst of 20 seeded cases (median in notes).",
    ),
    (
        "writes per session, AMPECO / Jedlix (worst)",
        _pair("window_writes_worst", "goal_writes_worst"),
        "≤ 3",
        lambda v: max(v) <= 3,
        "Schedule-window writes (AMPECO) and goal writes (Jedlix) over a session's re-plans;"
        " an order is written when it differs enough from the last one written.",
    ),
    (
        "saving against charging at once on plug-in (%)",
        lambda r: r["saving_percent"],
        "(information)",
        None,
        "Cost of every car at full power from plug-in with the limit shared equally, against"
        " the planner's, summed over the days every goal can be met.",
    ),
    (
        "per-car cheapest-hours planner: limit exceeded / departures missed",
        lambda r: (r["per_car_over"], f"{r['per_car_missed']} of {r['per_car_departures']}"),
        "(comparison)",
        None,
        "Each car planned alone on its cheapest hours, blind to the limit and circuits; its"
        " planned intervals over the limit or a circuit's, and cars short after a load"
        " balancer cut them to the limit.",
    ),
)


def load(folder: Path) -> dict[str, Any] | None:
    """The planner's figures, if the run made them."""
    path = folder / "planner.json"
    return json.loads(path.read_text()) if path.exists() else None


def _cell(value: Any) -> str:
    if isinstance(value, tuple | list):
        return " / ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}"
    return "—" if value is None else str(value)


def rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The judged rows."""
    out = []
    for name, read, target, check, how in ROWS:
        value = read(result)
        verdict = "info" if check is None else ("pass" if check(value) else "FAIL")
        if check is not None and value is None:
            verdict = "not measured"
        out.append(
            {
                "cloud": "planner",
                "figure": name,
                "value": value,
                "target": target,
                "verdict": verdict,
                "how": how,
            }
        )
    return out


def section(result: dict[str, Any]) -> str:
    """The planner's table, its notes and how each row is measured."""
    judged = rows(result)
    lines = [
        "## The planner (issue 20)",
        "",
        "| figure | value | target | verdict |",
        "|---|---|---|---|",
        *(
            f"| {r['figure']} | {_cell(r['value'])} | {r['target']} | {r['verdict']} |"
            for r in judged
        ),
        "",
        f"{result['days']} seeded days ({result['feasible_days']} that can be met,"
        f" {result['infeasible_days']} that cannot): 1, 3 and 10 cars under one limit with"
        " evening peak shaving, the first 2 of 3 cars on an 11.04 kW circuit and the first 4"
        " of 10 on a 17.25 kW one beneath it; hourly or quarter-hour prices with negative"
        " middays on sunny days; sunny, cloudy or no solar forecast (feed-in 0.07); weekday"
        " and weekend departures. Reference: scipy's linprog (HiGHS), most energy then least cost."
        f" CPU median {result['cpu_ms_median']:.3g} ms. Orders held back by the write cap:"
        f" {result['held']} over {result['sessions']} capped sessions. Every night is carried"
        " out exactly as planned (a charge point following its window as planned).",
        "",
        *(f"- *{r['figure']}*: {r['how']}" for r in judged),
    ]
    return "\n".join(lines)
