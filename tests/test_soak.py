"""The short fault soak (issue 9): two simulated hours of every cloud misbehaving.

The first hour meets one fault of each kind before the memory baseline is taken (what
Home Assistant and the integration allocate the first time a kind of fault happens is not
growth); the second is measured. Under coverage (``scripts/test``) memory is not judged:
coverage's own records grow with every line it sees run. ``scripts/soak`` runs the same
for a simulated day and judges memory. See ``bench/soak.py`` for the faults, the actions
and the invariants.
"""

from __future__ import annotations

import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
import homeassistant.core
from homeassistant.core import HomeAssistant

from bench.harness import REPO, part_of
from bench.soak import counted, run_soak

from .conftest import Sim


async def test_an_hour_of_faults(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Faults of every kind, actions at random: every invariant holds."""
    report = await run_soak(
        hass, freezer, simulator, hours=2, seed=9, outage_minutes=10, baseline_hours=1
    )
    assert not report.violations, report.text()
    kinds = {key.split(" ", 1)[1] for key in report.faults}
    assert {
        "5xx burst",
        "429 with Retry-After",
        "timeout",
        "outage",
        "token expiry",
        "redirect elsewhere",
        "undecodable body",
        "absurd values",
    } <= kinds
    assert sum(report.actions.values()) >= 10
    assert all(check["waited"] is not None for check in report.retry_after_checks)


def test_memory_is_placed_by_module_not_by_folder_name() -> None:
    """A folder called ``bench`` (or ``simulator``) above a checkout changes nothing."""
    integration = REPO / "custom_components" / "smart_charging" / "coordinator.py"
    core = Path(homeassistant.core.__file__)
    assert part_of(str(integration)) == "integration"
    assert part_of(str(core)) == "homeassistant"
    assert part_of(str(REPO / "bench" / "soak.py")) == "bench"
    assert part_of("/home/user/bench/simulator/homeassistant/core.py") == "other"
    assert counted([(str(integration), 1)])
    assert counted([(logging.__file__, 1), (str(core), 1)]) is False
    assert counted([(str(REPO / "bench" / "soak.py"), 1), (str(core), 1)]) is False
    assert counted([(str(core), 1), (str(REPO / "simulator" / "app.py"), 1)]) is False
    assert counted([("/home/user/bench/x.py", 1), (str(core), 1)])
