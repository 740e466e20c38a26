"""Serve the simulated clouds: ``python -m simulator --host 127.0.0.1 --port 8765``.

``--scenario`` plays the demo home's day (``simulator/scenario.py``): cars come and go,
peak shaving starts, prices change every hour. Its clock starts at the wall clock's now
(so Home Assistant and the clouds agree on the time) unless ``--start`` says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator
import contextlib
from datetime import UTC, datetime

from aiohttp import web

from .app import Simulator, create_app
from .clock import DEFAULT_START, SimClock
from .clouds import all_clouds
from .scenario import Scenario


def _start_time(value: str) -> datetime:
    if value == "now":
        return datetime.now(UTC).replace(microsecond=0)
    when = datetime.fromisoformat(value)
    if when.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-11-23T17:30:00+01:00")
    return when.astimezone(UTC)


def _echo(line: str) -> None:
    print(f"scenario: {line}", flush=True)


def main() -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="simulated seconds per real second (0 freezes the clock)",
    )
    parser.add_argument(
        "--scenario",
        action="store_true",
        help="play the demo home's day: cars arrive in the evening, peak shaving, prices",
    )
    parser.add_argument(
        "--start",
        type=_start_time,
        help="the simulated clock's start, ISO 8601 or 'now' "
        f"(default: now with --scenario, else {DEFAULT_START.isoformat()})",
    )
    args = parser.parse_args()
    start = args.start or (_start_time("now") if args.scenario else DEFAULT_START)
    sim = Simulator(clock=SimClock(start=start, speed=args.speed))
    app = create_app(sim, all_clouds(sim))
    if args.scenario:
        scenario = Scenario(sim)
        scenario.start()
        for when, text in scenario.log:
            _echo(f"{when.astimezone(scenario.zone):%Y-%m-%d %H:%M} {text}")

        async def play(_app: web.Application) -> AsyncIterator[None]:
            task = asyncio.create_task(scenario.run(echo=_echo))
            yield
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        app.cleanup_ctx.append(play)
    print(
        f"Simulator serving {', '.join(sorted(sim.clouds)) or 'no clouds'} "
        f"on http://{args.host}:{args.port}",
        flush=True,
    )
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
