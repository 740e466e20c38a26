"""Easee edge cases: odd sign-in and site-state answers, bare write answers."""

from __future__ import annotations

from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.clouds.easee.client import EaseeClient
from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN
from simulator.faults import Fault

from ..conftest import Sim, add_entry, advance

DRIVEWAY = "EH000001"  # a car is charging
SITE_STATE = "/easee/api/sites/501/state"


@pytest.fixture
async def easee(hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory) -> ConfigEntry:
    """The demo Easee account, added through the config flow."""
    return await add_entry(hass, simulator, "easee")


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def _call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


async def test_sign_in_answer_without_a_token_is_refused(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """A sign-in the cloud answers without a token signs nobody in: the form says so."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "easee"}
    )
    user_input = {
        "username": "demo@example.com",
        "password": "demo-password",
        "advanced": {CONF_BASE_URL: simulator.url("easee")},
    }
    simulator.sim.faults.add(
        Fault(path="/easee/api/accounts/login", status=200, body={"tokenType": "Bearer"}, times=2)
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    # Nothing was read with a token that does not exist.
    assert simulator.sim.log.matching("GET") == []
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_unreadable_dashboard_items_leave_chargers_as_they_were(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Dashboard entries that cannot be read are passed over.

    Entries that are not objects, or lack the charger id or the state, change no charger
    and turn nothing unavailable.
    """
    odd = {
        "circuitStates": [
            None,
            {
                "circuit": "junk",
                "chargerStates": [
                    "junk",
                    {"chargerID": DRIVEWAY, "chargerState": "disconnected"},
                    {"chargerState": {"chargerOpMode": 1, "totalPower": 0, "isOnline": True}},
                ],
            },
        ],
    }
    simulator.sim.faults.add(Fault(path=SITE_STATE, status=200, body=odd, times=None))
    simulator.sim.log.clear()
    await advance(hass, freezer, simulator, 90)
    assert simulator.sim.log.matching("GET", SITE_STATE)
    assert _state(hass, "sensor.driveway_status") == "charging"
    assert _state(hass, "sensor.garage_status") == "disconnected"
    # Chargers the site state no longer shows are read on their own instead.
    assert simulator.sim.log.matching("GET", f"/easee/api/chargers/{DRIVEWAY}/state")


async def test_a_command_done_without_an_answer_body(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A 200 without a body (done at once) is success.

    The switch follows at once, and the charger is read again shortly after to confirm.
    """
    simulator.sim.faults.add(
        Fault(path=f"/easee/api/chargers/{DRIVEWAY}/commands/pause_charging", status=200)
    )
    await _call(hass, "switch", "turn_off", "switch.driveway_charging")
    assert _state(hass, "switch.driveway_charging") == STATE_OFF
    simulator.sim.log.clear()
    await advance(hass, freezer, simulator, 5)
    assert simulator.sim.log.matching("GET", f"/easee/api/chargers/{DRIVEWAY}/state")
    # The cloud never paused (the answer was all there was): after the wait, the truth.
    await advance(hass, freezer, simulator, 61)
    assert _state(hass, "switch.driveway_charging") == STATE_ON


async def test_an_unknown_command_is_refused_before_sending(simulator: Sim) -> None:
    """A command the client does not know never reaches the cloud."""
    async with aiohttp.ClientSession() as session:
        client = EaseeClient(session, simulator.url("easee"), "demo@example.com", "demo-password")
        with pytest.raises(ValueError, match="unknown command"):
            await client.async_command(DRIVEWAY, "self_destruct")
    assert simulator.sim.log.entries == []


async def test_circuits_that_are_not_objects_are_skipped(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A circuit sent as text is passed over; the chargers of the others still load."""
    cloud = simulator.easee
    cloud.run()
    driveway = cloud.chargers[DRIVEWAY]
    body = {
        "circuitStates": [
            "junk",
            {
                "circuit": {"id": 601},
                "chargerStates": [
                    {
                        "chargerID": DRIVEWAY,
                        "chargerState": cloud.state_of(driveway),
                        "chargerConfig": cloud.config_of(driveway),
                    }
                ],
            },
        ]
    }
    simulator.sim.faults.add(Fault(path=SITE_STATE, status=200, body=body))
    entry = await add_entry(hass, simulator, "easee")
    assert entry.state is ConfigEntryState.LOADED
    assert _state(hass, "sensor.driveway_status") == "charging"
    # The garage was not in it: read on its own.
    assert _state(hass, "sensor.garage_status") == "disconnected"
    assert simulator.sim.log.matching("GET", "/easee/api/chargers/EH000002/config")
