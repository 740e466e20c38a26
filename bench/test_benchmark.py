"""The benchmark as pytest runs it (``scripts/bench``); each case writes its figures.

Run alone with ``python -m pytest bench/test_benchmark.py``; ``BENCH_RESULTS`` names the
folder the figures go to, ``BENCH_SIZES`` and ``BENCH_CLOUDS`` (comma-separated) narrow
the run, ``BENCH_REPEAT`` sets the runs of each case (3). Nothing is asserted about the
figures: ``bench.report`` compares them with the targets.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from bench import benchmark
from bench.clouds import CLOUDS


def _chosen(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [part for part in value.split(",") if part] if value else default


# ``planner`` names bench/test_planner.py's part, not a cloud.
CLOUD_NAMES = [name for name in _chosen("BENCH_CLOUDS", list(CLOUDS)) if name in CLOUDS]
SIZES = [int(n) for n in _chosen("BENCH_SIZES", [str(n) for n in benchmark.SIZES])]
# Runs of each case: the report shows the best of them for timings (wall and CPU), which
# the machine's other work inflates; request counts must agree between them.
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def _record(cloud: str, n: int, kind: str, result: dict[str, Any]) -> None:
    _write(f"{cloud}-{n}-{kind}.json", result)


def _write(name: str, result: dict[str, Any]) -> None:
    folder = Path(os.environ.get("BENCH_RESULTS", "bench-results"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(result, default=str))


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("run", range(1, REPEAT + 1))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("cloud", CLOUD_NAMES)
async def test_benchmark(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str, n: int, run: int
) -> None:
    """Setup, an hour of polling, a car arriving and a press."""
    _record(cloud, n, f"run.{run}", await benchmark.run(hass, freezer, cloud, n))


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("cloud", CLOUD_NAMES)
async def test_home(hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str) -> None:
    """One home owner: an idle hour, a car arriving, a charging hour."""
    _write(f"{cloud}-home.json", await benchmark.home(hass, freezer, cloud))


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("cloud", CLOUD_NAMES)
async def test_memory(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str, n: int
) -> None:
    """Memory of the entry's setup, entities included."""
    _record(cloud, n, "memory", await benchmark.memory(hass, freezer, cloud, n))


@pytest.mark.usefixtures("socket_enabled")
@pytest.mark.parametrize("cloud", [name for name in CLOUD_NAMES if name == "easee"])
async def test_large_account(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str
) -> None:
    """Issue 15's account: 500 Easee chargers on 10 sites, shown from the first poll."""
    _write(f"{cloud}-large-account.json", await benchmark.large_account(hass, freezer))
