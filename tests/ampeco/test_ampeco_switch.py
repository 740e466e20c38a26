"""The Smart charging switch of an AMPECO charge point.

Off writes the contract's disabled preference (``{"enabled": false}``); on writes the
last preference that was in force again, remembered across restarts, or tells the user
which action sets one. The switch shows what the cloud reports.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.smart_charging.const import DOMAIN
from simulator.ampeco import validate_logged_requests

from ..conftest import Sim
from ..helpers import device_of, state_of

PREFS = "/personal-smart-charging-preferences"
DRIVEWAY = "switch.driveway_smart_charging"
GARAGE = "switch.garage_smart_charging"


def _writes(simulator: Sim) -> list[Any]:
    return [e.body for e in simulator.sim.log.matching("POST") if e.path.endswith(PREFS)]


async def _switch(hass: HomeAssistant, entity_id: str, on: bool) -> None:
    await hass.services.async_call(
        "switch", "turn_on" if on else "turn_off", {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


async def test_off_then_on_restores_the_preference(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """Off disables; on brings back the very preference that was in force."""
    assert state_of(hass, DRIVEWAY) == "on"
    mode = state_of(hass, "sensor.driveway_smart_charging_mode")
    assert mode not in ("disabled", "unknown")
    await _switch(hass, DRIVEWAY, False)
    assert _writes(simulator) == [{"enabled": False}]
    assert state_of(hass, DRIVEWAY) == "off"
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == "disabled"
    await _switch(hass, DRIVEWAY, True)
    [_, restore] = _writes(simulator)
    assert restore["enabled"] is True
    assert state_of(hass, DRIVEWAY) == "on"
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == mode
    assert validate_logged_requests(simulator.sim.log.entries) > 0


async def test_the_last_preference_survives_a_restart(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """Turned off, reloaded (a restart), turned on: the preference comes back."""
    mode = state_of(hass, "sensor.driveway_smart_charging_mode")
    await _switch(hass, DRIVEWAY, False)
    assert await hass.config_entries.async_reload(ampeco.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, DRIVEWAY) == "off"
    await _switch(hass, DRIVEWAY, True)
    assert state_of(hass, DRIVEWAY) == "on"
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == mode


async def test_on_without_a_known_preference_names_the_actions(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """The garage never had a preference in force here: on says which action sets one."""
    assert state_of(hass, GARAGE) == "off"
    with pytest.raises(ServiceValidationError) as caught:
        await _switch(hass, GARAGE, True)
    assert caught.value.translation_key == "ampeco_no_last_preference"
    assert "set_schedule_preferences" in str(caught.value)
    assert _writes(simulator) == []
    assert state_of(hass, GARAGE) == "off"


async def test_the_switch_follows_an_action(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """A preference set by an action turns the switch on, and is then restorable."""
    await hass.services.async_call(
        DOMAIN,
        "set_dynamic_tariff_preferences",
        {
            "device_id": device_of(hass, ampeco, "ampeco_7"),
            "provider": "nordpool",
            "departure_time": "07:00",
            "target_kwh": 30,
        },
        blocking=True,
    )
    assert state_of(hass, GARAGE) == "on"
    await _switch(hass, GARAGE, False)
    assert state_of(hass, "sensor.garage_smart_charging_mode") == "disabled"
    await _switch(hass, GARAGE, True)
    assert state_of(hass, "sensor.garage_smart_charging_mode") == "nordpool"
    first, _, restore = _writes(simulator)
    assert restore == first
