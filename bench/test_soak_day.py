"""The full soak (``scripts/soak``): a simulated day of faults for every cloud.

``SOAK_HOURS`` (default 24) and ``SOAK_SEED`` (default 2026) change the run;
``SOAK_SUMMARY`` names a file for the readable summary and ``SOAK_JSON`` one for the
JSON report.
"""

from __future__ import annotations

import os
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from bench.soak import dumps, run_soak
from tests.conftest import Sim


async def test_a_day_of_faults(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Every invariant holds over the day."""
    hours = float(os.environ.get("SOAK_HOURS", "24"))
    report = await run_soak(
        hass,
        freezer,
        simulator,
        hours=hours,
        seed=int(os.environ.get("SOAK_SEED", "2026")),
        outage_minutes=60,
        # Memory is judged over the second half, as the short soak judges its second
        # hour (see the invariants at the top of bench/soak.py).
        baseline_hours=max(1.0, hours / 2),
    )
    if summary := os.environ.get("SOAK_SUMMARY"):
        _write(summary, report.text())
    if json_path := os.environ.get("SOAK_JSON"):
        _write(json_path, dumps(report))
    assert not report.violations, report.text()


def _write(path: str, text: str) -> None:
    Path(path).write_text(text + "\n")
