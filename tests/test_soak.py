"""The short fault soak (issue 9): one simulated hour of every cloud misbehaving.

``scripts/soak`` runs the same for a simulated day. See ``bench/soak.py`` for the faults,
the actions and the invariants.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from bench.soak import run_soak

from .conftest import Sim


async def test_an_hour_of_faults(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Faults of every kind, actions at random: every invariant holds."""
    report = await run_soak(
        hass, freezer, simulator, hours=1, seed=9, outage_minutes=10, baseline_hours=0.25
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
