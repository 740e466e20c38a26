"""A large Easee account: shown at once, then read in full within Easee's request limit."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er

from custom_components.smart_charging.const import DOMAIN
from simulator.easee import RATE_WINDOW, SimCharger
from simulator.easee.cloud import SimCircuit, SimSite

from ..conftest import Sim, add_entry, advance

CHARGERS = 120


def _entity_id(hass: HomeAssistant, domain: str, charger_id: str, key: str) -> str | None:
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, f"easee_{charger_id}_{key}")


def _key_states(hass: HomeAssistant, charger_ids: list[str]) -> list[State]:
    """Each charger's status, lifetime energy and authorization switch: they must exist."""
    states = []
    for charger_id in charger_ids:
        for domain, key in (
            ("sensor", "status"),
            ("sensor", "lifetime_energy"),
            ("switch", "authorization_required"),
        ):
            entity_id = _entity_id(hass, domain, charger_id, key)
            assert entity_id is not None, (charger_id, key)
            state = hass.states.get(entity_id)
            assert state is not None, entity_id
            states.append(state)
    return states


def _charger_ids() -> list[str]:
    return [f"EH{i:06d}" for i in range(CHARGERS)]


def _busiest_window(simulator: Sim) -> int:
    """The most requests the account sent within any five minutes."""
    times = [entry.time for entry in simulator.sim.log.entries]
    return max(
        sum(1 for other in times[i:] if other - start < RATE_WINDOW)
        for i, start in enumerate(times)
    )


async def test_a_large_account_is_shown_in_full_from_the_first_poll(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """120 chargers, one request per site: every entity shows real values at once.

    The first poll is the sign-in, the charger and site lists and the site's state,
    which carries every charger's state and config (it used to take 240 reads of the
    chargers' own over the first minutes). Later polls are one request per site.
    """
    simulator.easee.scale(CHARGERS, charging=CHARGERS // 2)
    entry = await add_entry(hass, simulator, "easee")
    assert entry.state is ConfigEntryState.LOADED
    # Setting up reads the profile (the config flow), then the first poll.
    assert len(simulator.sim.log.entries) <= 6

    def _all_shown() -> None:
        for state in _key_states(hass, _charger_ids()):
            assert state.state != STATE_UNAVAILABLE, state.entity_id

    _all_shown()
    status = hass.states.get(_entity_id(hass, "sensor", _charger_ids()[0], "status") or "")
    assert status is not None
    assert status.state == "charging"

    simulator.sim.log.clear()
    for _ in range(12):
        await advance(hass, freezer, simulator, 30)
    _all_shown()
    # Six minutes, one site: a site-state read every 90 s (the *While charging*
    # option's 2 min is longer) and nothing per charger.
    assert not simulator.sim.log.matching(path="/easee/api/chargers/")
    assert len(simulator.sim.log.matching("GET", "/easee/api/sites/501/state")) == 4
    assert all(entry.status != 429 for entry in simulator.sim.log.entries)
    assert _busiest_window(simulator) <= 10


async def test_a_car_arriving_at_a_large_account_shows_with_the_next_site_state(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A car plugging in shows within 90 s, from the site's state alone."""
    simulator.easee.scale(3 * CHARGERS)
    await add_entry(hass, simulator, "easee")
    last = f"EH{3 * CHARGERS - 1:06d}"
    simulator.easee.run()
    simulator.easee.chargers[last].plug_in(30.0, simulator.sim.now())
    simulator.sim.log.clear()

    await advance(hass, freezer, simulator, 90)

    assert [entry.path for entry in simulator.sim.log.entries] == ["/easee/api/sites/501/state"]
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


async def test_many_sites_are_read_within_the_budget(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """More sites than a tick's share of the budget: the rest are read at the next tick."""
    cloud = simulator.easee
    cloud.sites = [
        SimSite(700 + i, f"Site {i}", 1001, [SimCircuit(800 + i, "C", 32.0)]) for i in range(60)
    ]
    cloud.chargers = {
        f"EH{900 + i:06d}": SimCharger(f"EH{900 + i:06d}", f"Charger {i}", 700 + i, 800 + i)
        for i in range(60)
    }
    await add_entry(hass, simulator, "easee")
    site_reads = simulator.sim.log.matching("GET", "/easee/api/sites/")
    # 45 requests a tick (450 per 5 minutes): the sign-in and the two lists took 3.
    assert len(site_reads) == 42
    assert _entity_id(hass, "sensor", "EH000959", "status") is None
    await advance(hass, freezer, simulator, 30)
    assert len(simulator.sim.log.matching("GET", "/easee/api/sites/")) == 60
    for i in range(60):
        assert _entity_id(hass, "sensor", f"EH{900 + i:06d}", "status") is not None
    assert _busiest_window(simulator) <= 450


async def test_five_hundred_chargers_on_ten_sites_show_from_the_first_poll(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """Issue 15's account: 500 chargers on 10 sites, every entity real after 20 requests.

    The sign-in, the account's profile, the charger and site lists and one state per
    site: each site's state carries every charger's state and settings.
    """
    cloud = simulator.easee
    cloud.sites = []
    cloud.chargers = {}
    for site in range(10):
        circuits = [SimCircuit(1000 + 50 * site + i, f"Circuit {i}", 32.0) for i in range(50)]
        cloud.sites.append(SimSite(501 + site, f"Site {site + 1}", 1001, circuits))
        for i, circuit in enumerate(circuits):
            charger = SimCharger(
                f"EH{50 * site + i:06d}", f"Charger {50 * site + i}", 501 + site, circuit.id
            )
            if i % 2:
                charger.plug_in(30.0, simulator.sim.now())
            cloud.chargers[charger.id] = charger
    entry = await add_entry(hass, simulator, "easee")
    assert entry.state is ConfigEntryState.LOADED
    assert len(simulator.sim.log.entries) <= 20
    assert all(request.status != 429 for request in simulator.sim.log.entries)
    assert len(simulator.sim.log.matching("GET", "/easee/api/sites/")) >= 10
    for state in _key_states(hass, list(cloud.chargers)):
        assert state.state not in (STATE_UNAVAILABLE, "unknown"), (state.entity_id, state.state)
