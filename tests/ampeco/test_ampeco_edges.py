"""AMPECO edge cases: odd list items, older field spellings, link cursors, odd statuses."""

from __future__ import annotations

from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.clouds.ampeco.client import AmpecoClient
from custom_components.smart_charging.clouds.ampeco.preferences import (
    PreferenceMode,
    SolarPreferences,
)
from custom_components.smart_charging.clouds.errors import InvalidResponseError
from custom_components.smart_charging.const import DOMAIN
from simulator.ampeco import mode
from simulator.faults import Fault

from ..conftest import Sim, advance
from ..helpers import device_of, open_form, state_of

TOKEN = "ampeco-demo-token"
CPS = "/ampeco/public-api/resources/charge-points/v2.0"
SESSIONS = "/ampeco/public-api/resources/sessions/v1.0"
PREFS = "/personal-smart-charging-preferences"
END = {"links": {"next": None}, "meta": {"next_cursor": None}}


@pytest.fixture
def client(simulator: Sim, http: aiohttp.ClientSession) -> AmpecoClient:
    """A client of the simulated tenant."""
    return AmpecoClient(http, simulator.url("ampeco"), TOKEN)


# --- the client ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("sent", "read"), [("120", 120.0), ("two minutes", None)])
async def test_solar_stable_time_sent_as_text(
    client: AmpecoClient, simulator: Sim, sent: str, read: float | None
) -> None:
    """The guide sends the solar stable time as a string: a number in it is read, words are not."""
    simulator.ampeco.check_responses = False
    simulator.ampeco.charge_point(8).preference = {
        "type": "solar",
        "enabled": True,
        "preferences": {"maxCurrentFromGrid": 6, "solarStableTime": sent},
    }
    prefs = await client.async_preferences("8")
    assert prefs.mode is PreferenceMode.SOLAR
    assert prefs.solar == SolarPreferences(max_current_from_grid_a=6, solar_stable_time_s=read)


async def test_locations_sent_as_a_list(client: AmpecoClient, simulator: Sim) -> None:
    """A tenant that lists a mode's locations: the first is the default, an empty list none."""
    simulator.ampeco.check_responses = False
    nordpool = mode("nordpool") | {"locations": [{"key": "SE3", "label": "Sweden 3"}]}
    elspot = mode("energi_elspot") | {"locations": []}
    simulator.ampeco.set_modes(7, [nordpool, elspot])
    modes = {m.mode: m for m in await client.async_available_modes("7")}
    assert (
        modes[PreferenceMode.NORDPOOL].location,
        modes[PreferenceMode.NORDPOOL].location_label,
    ) == (
        "SE3",
        "Sweden 3",
    )
    assert modes[PreferenceMode.ENERGI_ELSPOT].location is None


async def test_items_without_an_id_are_skipped(client: AmpecoClient, simulator: Sim) -> None:
    """Charge points, EVSEs and sessions that are not objects or have no id are left out."""
    simulator.sim.faults.add(
        Fault(
            path=CPS,
            method="GET",
            status=200,
            body={"data": ["junk", {"name": "no id"}, {"id": 6, "networkStatus": "available"}]}
            | END,
        )
    )
    assert [cp.charger.id for cp in await client.async_charge_points()] == ["6"]
    simulator.sim.faults.add(
        Fault(
            path=f"{CPS}/6/evses",
            status=200,
            body={"data": [7, {"label": "no id"}, {"id": 1, "hardwareStatus": "charging"}]} | END,
        )
    )
    assert [evse.id for evse in await client.async_evses("6")] == ["1"]
    simulator.sim.faults.add(
        Fault(
            path=SESSIONS,
            status=200,
            body={"data": ["junk", {"chargePointId": 7, "status": "active"}]} | END,
        )
    )
    assert await client.async_active_sessions() == []


async def test_session_energy_and_power_in_older_fields(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Without ``energyConsumption`` and ``power``, ``energy`` (Wh) and ``powerKw`` count."""
    session = {"id": 41, "chargePointId": 6, "status": "active", "energy": 1500, "powerKw": 7.2}
    simulator.sim.faults.add(Fault(path=SESSIONS, status=200, body={"data": [session]} | END))
    [read] = await client.async_active_sessions()
    assert (read.id, read.charge_point_id, read.energy_kwh, read.power_kw) == ("41", "6", 1.5, 7.2)


async def test_one_session_without_an_id_is_an_invalid_response(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Asked for one session, an answer without an id is no session."""
    simulator.sim.faults.add(
        Fault(path=f"{SESSIONS}/41", status=200, body={"data": {"status": "active"}})
    )
    with pytest.raises(InvalidResponseError, match="no id"):
        await client.async_session("41")


async def test_the_cursor_can_come_from_the_next_link(client: AmpecoClient, simulator: Sim) -> None:
    """Without ``meta.next_cursor``, the cursor in ``links.next`` is followed.

    A next link without a cursor ends the list.
    """
    first = {
        "data": [{"id": 6, "networkStatus": "available"}],
        "links": {"next": f"{simulator.url('ampeco')}{CPS[len('/ampeco') :]}?cursor=page2"},
        "meta": {},
    }
    second = {
        "data": [{"id": 7, "networkStatus": "available"}],
        "links": {"next": "https://tenant.example/next-page"},
        "meta": {},
    }
    simulator.sim.faults.add(Fault(path=CPS, method="GET", status=200, body=first))
    simulator.sim.faults.add(Fault(path=CPS, method="GET", status=200, body=second))
    simulator.sim.log.clear()
    assert [cp.charger.id for cp in await client.async_charge_points()] == ["6", "7"]
    requests = simulator.sim.log.matching("GET", CPS)
    assert ["cursor" in r.query for r in requests] == [False, True]
    assert requests[1].query["cursor"] == "page2"
    # The relations are asked for again, not taken from the link.
    assert requests[1].query["include[1]"] == "personalSmartChargingPreferences"


# --- through Home Assistant ---------------------------------------------------------------------


async def test_a_tenant_answer_that_is_not_a_list_cannot_connect(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """A URL that answers, but not with charge points, is no tenant: cannot connect."""
    result = await open_form(hass, "ampeco")
    simulator.sim.faults.add(Fault(path=CPS, status=200, body={"data": {"id": 6}}))
    user_input = {"base_url": simulator.url("ampeco"), "api_token": TOKEN}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}


async def test_hardware_states_become_charger_statuses(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Faulted hardware is an error, unavailable hardware offline, an unknown network unknown."""
    assert state_of(hass, "sensor.driveway_status") == "disconnected"
    points = [
        {"id": 6, "name": "Driveway", "networkStatus": "available", "hardwareStatus": "faulted"},
        {"id": 7, "name": "Garage", "networkStatus": "available", "hardwareStatus": "unavailable"},
        {"id": 8, "name": "Cabin", "networkStatus": "hibernating"},
    ]
    simulator.sim.faults.add(
        Fault(path=CPS, method="GET", status=200, body={"data": points} | END, times=None)
    )
    await advance(hass, freezer, simulator, 30 * 60)
    assert state_of(hass, "sensor.driveway_status") == "error"
    assert state_of(hass, "sensor.garage_status") == "offline"
    assert state_of(hass, "sensor.cabin_status") == "unknown"


async def test_schedule_without_targets_sends_only_the_window(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A schedule with only its window sends no targetCharge, and shows no target."""
    await hass.services.async_call(
        DOMAIN,
        "set_schedule_preferences",
        {
            "device_id": device_of(hass, ampeco, "ampeco_7"),
            "start_time": "21:30",
            "end_time": "06:15",
        },
        blocking=True,
    )
    writes: list[Any] = [
        e.body for e in simulator.sim.log.matching("POST") if e.path.endswith(PREFS)
    ]
    assert [w["preferences"] for w in writes] == [{"startTime": "21:30", "endTime": "06:15"}]
    assert state_of(hass, "sensor.garage_smart_charging_mode") == "user_controlled_schedule"
    assert state_of(hass, "sensor.garage_charging_window_start") == "21:30"
    assert state_of(hass, "sensor.garage_target_energy") == "unknown"
