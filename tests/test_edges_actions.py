"""Jedlix actions and repair flows at their edges: wrong targets, bad input, a failing cloud."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_charging.const import DOMAIN
from simulator.faults import Fault
from simulator.jedlix import DEMO_USER_ID

from .conftest import Sim
from .helpers import refused, start_repair, state_of
from .jedlix.helpers import PEAK_OFF_PEAK, location_device

USER = f"/jedlix/api/v2/users/{DEMO_USER_ID}"
LOCATION = "sensor.charging_location"


def _writes(simulator: Sim) -> list[Any]:
    return [e for e in simulator.sim.log.entries if e.method != "GET"]


async def _get_sessions(hass: HomeAssistant, entry_id: str, **data: str) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "get_sessions",
        {"config_entry_id": entry_id, "start": "2026-11-01T00:00:00+00:00", **data},
        blocking=True,
        return_response=True,
    )


# --- get_sessions ---------------------------------------------------------------------------


async def test_get_sessions_for_an_entry_that_is_not_ours(
    hass: HomeAssistant, jedlix: ConfigEntry
) -> None:
    """An entry id that does not exist, or belongs to another integration, is named."""
    other = MockConfigEntry(domain="other_integration")
    other.add_to_hass(hass)
    for entry_id in ("no-such-entry", other.entry_id):
        with pytest.raises(ServiceValidationError) as caught:
            await _get_sessions(hass, entry_id)
        assert caught.value.translation_key == "entry_not_found"
        assert caught.value.translation_placeholders == {"entry_id": entry_id}


async def test_get_sessions_for_an_unloaded_account(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """An account that is not loaded says so by name; nothing is asked of the cloud."""
    await hass.config_entries.async_unload(jedlix.entry_id)
    simulator.sim.log.clear()
    with pytest.raises(ServiceValidationError) as caught:
        await _get_sessions(hass, jedlix.entry_id)
    assert caught.value.translation_key == "entry_not_loaded"
    assert caught.value.translation_placeholders == {"name": jedlix.title}
    assert simulator.sim.log.entries == []


async def test_get_sessions_refuses_a_period_that_ends_before_it_starts(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """Start after end is refused before anything is sent."""
    simulator.sim.log.clear()
    with pytest.raises(ServiceValidationError) as caught:
        await _get_sessions(hass, jedlix.entry_id, end="2026-10-01T00:00:00+00:00")
    assert caught.value.translation_key == "start_after_end"
    assert simulator.sim.log.entries == []


async def test_get_sessions_when_jedlix_fails(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """A cloud that cannot answer fails the action with a translated error."""
    simulator.sim.faults.add(Fault(path=f"{USER}/sessions", status=503))
    with pytest.raises(HomeAssistantError) as caught:
        await _get_sessions(hass, jedlix.entry_id)
    assert caught.value.translation_key == "communication_error"


# --- set_tariffs ----------------------------------------------------------------------------


async def test_set_tariffs_refuses_a_day_that_does_not_exist(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """A day name that is no weekday is named with its interval; nothing is sent."""
    intervals = [dict(item) for item in PEAK_OFF_PEAK["intervals"]]
    intervals[1]["days"] = ["monday", "Funday"]
    simulator.sim.log.clear()
    error = await refused(
        hass,
        "set_tariffs",
        device_id=location_device(hass, jedlix, simulator),
        tariffs=PEAK_OFF_PEAK["tariffs"],
        intervals=intervals,
    )
    assert error.translation_key == "tariff_invalid_day"
    assert error.translation_placeholders == {
        "field": "Intervals",
        "position": "2",
        "day": "Funday",
    }
    assert _writes(simulator) == []


async def test_set_tariffs_when_jedlix_fails(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """A refused write fails the action, translated; the tariff shown stays as it was."""
    before = state_of(hass, f"{LOCATION}_tariff_in_force")
    assert before not in ("unknown", "unavailable")
    simulator.sim.faults.add(Fault(path=f"{USER}/charging-locations/", method="PUT", status=403))
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "set_tariffs",
            {"device_id": location_device(hass, jedlix, simulator), **PEAK_OFF_PEAK},
            blocking=True,
        )
    assert caught.value.translation_key == "forbidden"
    assert state_of(hass, f"{LOCATION}_tariff_in_force") == before


# --- dismissing a message -------------------------------------------------------------------


async def test_dismiss_message_when_jedlix_fails_keeps_the_issue(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, issue_registry: ir.IssueRegistry
) -> None:
    """A dismissal Jedlix refuses fails the action; the repair issue stays."""
    message_id = simulator.jedlix.demo.action_message_id
    simulator.sim.faults.add(Fault(path=f"{USER}/messages/", method="PATCH", status=403))
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "dismiss_message",
            {"config_entry_id": jedlix.entry_id, "message_id": message_id},
            blocking=True,
        )
    assert caught.value.translation_key == "forbidden"
    assert issue_registry.async_get_issue(DOMAIN, f"message_{jedlix.entry_id}_{message_id}")


async def _fix_flow(hass: HomeAssistant, issue_id: str) -> tuple[Any, str]:
    manager, flow = await start_repair(hass, issue_id)
    assert flow["step_id"] == "confirm"
    return manager, flow["flow_id"]


async def test_fixing_a_message_when_jedlix_refuses(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, issue_registry: ir.IssueRegistry
) -> None:
    """The repair ends with "could not dismiss" and the issue stays, to try again."""
    issue_id = f"message_{jedlix.entry_id}_{simulator.jedlix.demo.action_message_id}"
    manager, flow_id = await _fix_flow(hass, issue_id)
    simulator.sim.faults.add(Fault(path=f"{USER}/messages/", method="PATCH", status=502))
    result = await manager.async_configure(flow_id, {})
    assert result["type"] == "abort"
    assert result["reason"] == "cannot_dismiss"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_fixing_a_message_of_an_unloaded_account(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """Confirmed after the account was unloaded: the repair says so and sends nothing."""
    issue_id = f"message_{jedlix.entry_id}_{simulator.jedlix.demo.action_message_id}"
    manager, flow_id = await _fix_flow(hass, issue_id)
    await hass.config_entries.async_unload(jedlix.entry_id)
    simulator.sim.log.clear()
    result = await manager.async_configure(flow_id, {})
    assert result["type"] == "abort"
    assert result["reason"] == "entry_not_loaded"
    assert _writes(simulator) == []
