"""ViriCiti edge cases through Home Assistant: odd answers, quiet and vanished groups."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_charging.const import DOMAIN
from simulator.faults import Fault

from ..conftest import Sim, add_entry, advance
from ..helpers import device_of, find_device, refused, state_of
from .conftest import add_groups

GROUP = "sensor.viriciti_group"
GROUP_ID = "ViriCitiGroup"
API = "/viriciti/api/v1"
# Home Assistant's clock on the simulator's: Monday 2026-11-23 12:00 UTC.
pytestmark = pytest.mark.usefixtures("sim_clock")

EVERY_DAY = "0,1,2,3,4,5,6"
TWO_HOURS = 2 * 3600


async def test_unknown_limit_source_claims_no_limit_but_shows_the_layers(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """A layer name we do not know: source unknown, no active limit, the layers still shown.

    The external limit's times come in the seed's spelling of the offset (``+00.00``);
    its end is still read and shown.
    """
    odd = {
        "activeLimit": "emergency",
        "default": {"limit": 400},
        "external": {
            "limit": 300,
            "start": "2026-11-23T12:00:00.000+00.00",
            "end": "2026-11-23T14:00:00.000+00.00",
        },
    }
    simulator.sim.faults.add(
        Fault(
            path=f"{API}/smartcharging/grouplimit/", method="GET", status=200, body=odd, times=None
        )
    )
    await add_entry(hass, simulator, "viriciti")
    assert state_of(hass, f"{GROUP}_active_limit_source") == "unknown"
    assert state_of(hass, f"{GROUP}_active_limit") == "unknown"
    assert state_of(hass, f"{GROUP}_default_limit") == "400.0"
    assert state_of(hass, f"{GROUP}_external_limit") == "300.0"
    assert state_of(hass, f"{GROUP}_external_limit_end") == "2026-11-23T14:00:00+00:00"


async def test_incomplete_timeframes_are_left_out_of_the_next_change(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """A timeframe that is not an object, or has no end, does not move the next change.

    Only the complete 18:00-20:00 window (Amsterdam) counts: the next change is at
    17:00 UTC to 150 kW, not at 15:00 UTC as the broken 16:00 one would have it.
    """
    group = {
        "id": GROUP_ID,
        "title": "ViriCiti Group",
        "groupLimit": 400,
        "timeframes": [
            "evening",
            {"name": "no end", "start": f"0 16 * * {EVERY_DAY}", "limit": 200},
            {"start": f"0 18 * * {EVERY_DAY}", "end": f"0 20 * * {EVERY_DAY}", "limit": 150},
        ],
    }
    simulator.sim.faults.add(
        Fault(path=f"{API}/smartcharging/chargergroup/", status=200, body=group, times=None)
    )
    await add_entry(hass, simulator, "viriciti")
    assert state_of(hass, f"{GROUP}_next_limit_change") == "2026-11-23T17:00:00+00:00"
    assert state_of(hass, f"{GROUP}_next_limit") == "150.0"
    assert state_of(hass, f"{GROUP}_active_limit") == "400.0"


async def test_odd_stations_and_samples_are_skipped(hass: HomeAssistant, simulator: Sim) -> None:
    """Samples and shares that cannot be read are passed over.

    A station is one the time series names with a position; a position it named once
    but left out of the latest sample gets 0 kW.
    """
    samples = [
        "sample",
        {"time": "yesterday", "groupLimit": 400, "limits": []},
        {
            "time": "2026-11-23T11:40:00.000Z",
            "groupLimit": 400,
            "limits": [{"chargestation": "charger_1", "position": 2, "limit": 80}],
        },
        {
            "time": "2026-11-23T11:50:00.000Z",
            "groupLimit": 400,
            "limits": [
                "share",
                {"chargestation": "lost", "limit": 99},
                {"chargestation": "charger_1", "position": 2, "limit": "lots"},
                {"chargestation": "charger_1", "position": 1, "limit": 120},
            ],
        },
    ]
    simulator.sim.faults.add(
        Fault(path=f"{API}/smartcharging/time/", status=200, body=samples, times=None)
    )
    entry = await add_entry(hass, simulator, "viriciti")
    assert find_device(hass, entry, "viriciti_station_charger_1") is not None
    assert find_device(hass, entry, "viriciti_station_lost") is None
    assert find_device(hass, entry, "viriciti_station_charger_2") is None
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_1_limit") == "120.0"
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_2_limit") == "0.0"


async def test_quiet_group_without_history(hass: HomeAssistant, simulator: Sim) -> None:
    """A group without timeframes has no next change.

    With no sample yet, no public answer names its chargers: they are not shown.
    """
    cloud = simulator.viriciti
    cloud.add_group("Depot", default_limit=100, timezone="Europe/Amsterdam")
    cloud.add_station("depot_1", "Depot", positions=1, max_power=50)
    simulator.sim.faults.add(
        Fault(path=f"{API}/smartcharging/time/Depot", status=200, body=[], times=None)
    )
    entry = await add_groups(hass, simulator, GROUP_ID, "Depot")
    assert state_of(hass, "sensor.depot_active_limit") == "100.0"
    assert state_of(hass, "sensor.depot_next_limit_change") == "unknown"
    assert state_of(hass, "sensor.depot_next_limit") == "unknown"
    # No sample names its charger yet: no public call lists it, so it is not shown.
    assert find_device(hass, entry, "viriciti_station_depot_1") is None
    # The demo group, with its history, is unaffected.
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_1_limit") == "150.0"


async def test_a_deleted_group_leaves_with_its_chargers(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A group deleted in the portal (its call answers 404) leaves, its chargers too."""
    cloud = simulator.viriciti
    cloud.add_group("Depot", default_limit=100, timezone="Europe/Amsterdam")
    cloud.add_station("depot_1", "Depot", positions=1, max_power=50)
    cloud.start_session("depot_1", 1)
    freezer.move_to(simulator.sim.now())
    await advance(hass, freezer, simulator, 60)
    entry = await add_groups(hass, simulator, GROUP_ID, "Depot")
    assert find_device(hass, entry, "viriciti_station_depot_1") is not None
    assert find_device(hass, entry, "viriciti_group_Depot") is not None
    cloud.remove_group("Depot")
    await advance(hass, freezer, simulator, TWO_HOURS)
    assert find_device(hass, entry, "viriciti_group_Depot") is None
    assert find_device(hass, entry, "viriciti_station_depot_1") is None
    assert state_of(hass, f"{GROUP}_active_limit") == "400.0"


async def test_history_action_reports_a_cloud_failure(hass: HomeAssistant, simulator: Sim) -> None:
    """When the time series cannot be read, the action fails with a translated error."""
    entry = await add_entry(hass, simulator, "viriciti")
    simulator.sim.faults.add(Fault(path=f"{API}/smartcharging/time/", status=502))
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "get_group_limit_history",
            {
                "device_id": device_of(hass, entry, f"viriciti_group_{GROUP_ID}"),
                "start": "2026-11-23T00:00:00+00:00",
            },
            blocking=True,
            return_response=True,
        )
    assert caught.value.translation_key == "communication_error"
    assert "502" in str(caught.value.translation_placeholders)


async def test_set_group_limit_on_another_integrations_device(
    hass: HomeAssistant, simulator: Sim, device_registry: dr.DeviceRegistry
) -> None:
    """A device of another integration is no charger group; nothing is sent."""
    await add_entry(hass, simulator, "viriciti")
    other = MockConfigEntry(domain="other_integration")
    other.add_to_hass(hass)
    lamp = device_registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_integration", "lamp")}, name="Lamp"
    )
    simulator.sim.log.clear()
    error = await refused(
        hass, "set_group_limit", device_id=lamp.id, limit=100, duration="01:00:00"
    )
    assert error.translation_key == "not_a_group"
    assert error.translation_placeholders == {"name": "Lamp"}
    assert simulator.sim.log.matching("POST") == []


async def test_fifty_groups_stay_under_the_rate_limit(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Thirty groups: settings and limits at once, some time series a minute later; no 429.

    The chargers of the groups whose time series waits appear a minute later.

    No public call lists groups, so each entered id costs one check in the config flow
    too: about 39 groups fit the key's 120 requests of the first minute.
    """
    freezer.move_to(simulator.sim.now())
    simulator.viriciti.scale(300, groups=30)
    group_ids = [GROUP_ID, *(f"{GROUP_ID}{k}" for k in range(2, 31))]
    entry = await add_groups(hass, simulator, *group_ids)
    assert entry.state is ConfigEntryState.LOADED

    def shares() -> int:
        return sum(
            1 for state in hass.states.async_all("sensor") if "_position_" in state.entity_id
        )

    waiting = shares()
    assert waiting > 0
    await advance(hass, freezer, simulator, 60)
    assert shares() > waiting
    assert [e.path for e in simulator.sim.log.entries if e.status == 429] == []
