"""A large Easee account: shown at once, then read in full within Easee's request limit."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.smart_charging.const import DOMAIN
from simulator.easee import RATE_LIMIT, RATE_WINDOW

from ..conftest import Sim, add_entry, advance

CHARGERS = 120


def _entity_id(hass: HomeAssistant, domain: str, charger_id: str, key: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"easee_{charger_id}_{key}")


def _charger_ids() -> list[str]:
    return [f"EH{i:06d}" for i in range(CHARGERS)]


def _busiest_window(simulator: Sim) -> int:
    """The most requests the account sent within any five minutes."""
    times = [entry.time for entry in simulator.sim.log.entries]
    return max(
        sum(1 for other in times[i:] if other - start < RATE_WINDOW)
        for i, start in enumerate(times)
    )


async def test_a_large_account_is_shown_at_once_and_completed_within_the_limit(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """120 chargers need 240 reads of their own: more than a tick may send.

    Every charger shows its status as soon as the entry is set up (from the site's
    dashboard state); energy and access settings follow over the next minutes, and
    the account never comes near Easee's limit of 500 requests per five minutes.
    """
    simulator.easee.scale(CHARGERS, charging=CHARGERS // 2)
    entry = await add_entry(hass, simulator, "easee")
    assert entry.state is ConfigEntryState.LOADED

    first, last = _charger_ids()[0], _charger_ids()[-1]
    for charger_id in (first, last):
        status = _entity_id(hass, "sensor", charger_id, "status")
        assert status is not None
        state = hass.states.get(status)
        assert state is not None
        assert state.state == ("charging" if charger_id == first else "disconnected")
    # The site state carries each charger's whole state (lifetime energy too); the
    # last charger's settings wait for its own read.
    assert _entity_id(hass, "sensor", last, "lifetime_energy") is not None
    assert _entity_id(hass, "switch", last, "authorization_required") is None

    for _ in range(12):
        await advance(hass, freezer, simulator, 30)

    for charger_id in _charger_ids():
        for domain, key in (("sensor", "lifetime_energy"), ("switch", "authorization_required")):
            entity_id = _entity_id(hass, domain, charger_id, key)
            assert entity_id is not None, (charger_id, key)
            state = hass.states.get(entity_id)
            assert state is not None
            assert state.state != STATE_UNAVAILABLE
    assert all(entry.status != 429 for entry in simulator.sim.log.entries)
    assert _busiest_window(simulator) <= RATE_LIMIT - 50


async def test_a_car_arriving_at_a_large_account_is_read_before_the_backlog(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A status change seen on the dashboard jumps the queue of routine reads."""
    simulator.easee.scale(3 * CHARGERS)
    await add_entry(hass, simulator, "easee")
    last = f"EH{3 * CHARGERS - 1:06d}"
    simulator.easee.run()
    simulator.easee.chargers[last].plug_in(30.0, simulator.sim.now())
    simulator.sim.log.clear()

    await advance(hass, freezer, simulator, 90)

    # The dashboard state showed the car; the charger's own state was read at once,
    # although two hundred chargers were still waiting for their first full read.
    waiting = f"EH{3 * CHARGERS - 2:06d}"
    assert not simulator.sim.log.matching("GET", f"/easee/api/chargers/{waiting}/state")
    assert simulator.sim.log.matching("GET", f"/easee/api/chargers/{last}/state")
    status = _entity_id(hass, "sensor", last, "status")
    assert status is not None
    state = hass.states.get(status)
    assert state is not None
    assert state.state == "charging"


async def test_an_unchanged_charger_is_not_written_again(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A poll that changes nothing about a charger leaves its states alone."""
    await add_entry(hass, simulator, "easee")
    garage = _entity_id(hass, "sensor", "EH000002", "lifetime_energy")
    driveway = _entity_id(hass, "sensor", "EH000001", "lifetime_energy")
    assert garage is not None
    assert driveway is not None
    garage_before = hass.states.get(garage)
    driveway_before = hass.states.get(driveway)
    assert garage_before is not None
    assert driveway_before is not None

    await advance(hass, freezer, simulator, 150)

    garage_after = hass.states.get(garage)
    driveway_after = hass.states.get(driveway)
    assert garage_after is not None
    assert driveway_after is not None
    # The charging car's energy grew; the idle charger was neither changed nor reported.
    assert float(driveway_after.state) > float(driveway_before.state)
    assert garage_after.last_reported == garage_before.last_reported
    assert garage_after.state == garage_before.state
    assert timedelta(0) < driveway_after.last_reported - driveway_before.last_reported
