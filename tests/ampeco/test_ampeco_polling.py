"""How quickly an AMPECO car shows, and what a large tenant's session reads cost."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from ..conftest import Sim, add_entry, advance
from ..helpers import state_of

SESSIONS = "/ampeco/public-api/resources/sessions/v1.0"


def _start(simulator: Sim, cp_id: int) -> None:
    """A driver plugs in and starts with a card (no public control starts a session)."""
    cloud = simulator.ampeco
    cloud.plug_in(cp_id)
    charge_point = cloud.charge_points[cp_id]
    cloud._begin(charge_point, charge_point.evses[0], with_session_id=False)


async def _until_sessions_read(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Sim
) -> None:
    """Step until a sessions read has just been answered."""
    for _ in range(10):
        before = len(simulator.sim.log.matching("GET", SESSIONS))
        await advance(hass, freezer, simulator, 30)
        if len(simulator.sim.log.matching("GET", SESSIONS)) > before:
            return
    raise AssertionError("no sessions read in five minutes")


async def test_a_car_that_starts_right_after_a_read_shows_within_90_seconds(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The worst moment to arrive: just after the sessions were read."""
    await _until_sessions_read(hass, freezer, simulator)
    assert state_of(hass, "sensor.garage_status") == "disconnected"
    _start(simulator, 7)
    await advance(hass, freezer, simulator, 60)
    assert state_of(hass, "sensor.garage_status") == "disconnected"
    await advance(hass, freezer, simulator, 30)
    assert state_of(hass, "sensor.garage_status") == "charging"


async def test_a_large_tenant_reads_new_sessions_between_full_reads(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """150 running sessions take 2 pages: every other read asks only for new ones."""
    cloud = simulator.ampeco
    cloud.scale(160)
    for cp_id in range(1, 151):
        _start(simulator, cp_id)
    simulator.sim.clock.advance(600)  # they started a while ago
    freezer.move_to(simulator.sim.now())
    await add_entry(hass, simulator, "ampeco")
    simulator.sim.log.clear()
    for _ in range(120):
        await advance(hass, freezer, simulator, 30)
    reads = simulator.sim.log.matching("GET", SESSIONS)
    started_since = [r for r in reads if "filter[startedAfter]" in r.query]
    full = [r for r in reads if "filter[startedAfter]" not in r.query]
    # 40 reads an hour: 20 in full (2 pages each), 20 of what started since (one page).
    assert (len(full), len(started_since)) == (40, 20)
    assert all(r.status == 200 for r in reads)
    # A car arriving just after a full read shows with the next, one-page read.
    await _until_sessions_read(hass, freezer, simulator)
    if "filter[startedAfter]" in simulator.sim.log.matching("GET", SESSIONS)[-1].query:
        await _until_sessions_read(hass, freezer, simulator)
    assert "filter[startedAfter]" not in simulator.sim.log.matching("GET", SESSIONS)[-1].query
    assert state_of(hass, "sensor.charge_point_155_status") == "disconnected"
    _start(simulator, 155)
    await advance(hass, freezer, simulator, 90)
    assert "filter[startedAfter]" in simulator.sim.log.matching("GET", SESSIONS)[-1].query
    assert state_of(hass, "sensor.charge_point_155_status") == "charging"
    # And a session that ended is gone after the next full read.
    cloud.unplug(155)
    await advance(hass, freezer, simulator, 180)
    assert state_of(hass, "sensor.charge_point_155_status") == "disconnected"
