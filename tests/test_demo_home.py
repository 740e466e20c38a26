"""The demo home's voice exposure and Energy dashboard, as e2e/demo_assist.py sets them.

The same websocket commands the demo set-up sends, against Home Assistant in the test
harness with the demo accounts: the Energy preferences are accepted and validate, and
Assist can answer about what was exposed.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from e2e import demo_assist

from .conftest import Sim, add_entry


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> None:
    """The recorder (energy needs it) before Home Assistant, then the integration."""


async def test_demo_exposes_voice_entities_and_fills_energy(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Sim,
) -> None:
    """Every charger's energy and power are on the Energy dashboard; voice entities exposed."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "energy", {})
    assert await async_setup_component(hass, "config", {})
    for provider in ("easee", "ampeco"):
        await add_entry(hass, simulator, provider)
    client = await hass_ws_client(hass)
    ids = iter(range(1, 1000))

    async def websocket(command: str, *, allow_missing: bool = False, **data: Any) -> Any:
        await client.send_json({"id": next(ids), "type": command, **data})
        answer = await client.receive_json()
        if not answer["success"] and allow_missing and answer["error"]["code"] == "not_found":
            return None
        assert answer["success"], answer
        return answer["result"]

    async def states() -> list[dict[str, Any]]:
        return [state.as_dict() for state in hass.states.async_all()]

    exposed, added = await demo_assist.async_set_up(websocket, states, patience=5, interval=0)
    consumption = {device["stat_consumption"]: device["stat_rate"] for device in added}
    # Easee's chargers have a lifetime meter, AMPECO's charge points their totalled sessions.
    assert consumption["sensor.garage_lifetime_energy"] == "sensor.garage_power"
    assert consumption["sensor.cabin_energy_charged"] == "sensor.cabin_power"
    prefs = await websocket("energy/get_prefs")
    assert prefs["device_consumption"] == added
    validation = await websocket("energy/validate")
    # Nothing is wrong with the sensors (unit, state class, device class); statistics
    # are simply not compiled yet in a home minutes old.
    issues = {issue["type"] for device in validation["device_consumption"] for issue in device}
    assert issues <= {"statistics_not_defined"}
    for entity_id in ("switch.garage_charging", "sensor.garage_status", "sensor.cabin_status"):
        assert entity_id in exposed
        assert async_should_expose(hass, "conversation", entity_id)
    # A second run (a restarted demo) keeps what is there and adds nothing.
    assert await demo_assist.async_set_up(websocket, states, patience=5, interval=0) == (
        exposed,
        [],
    )
