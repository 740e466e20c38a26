"""Messages in the user's words: field labels and mode names, never code names.

Each test checks the exact text Home Assistant shows for a refused action, and that
nothing reached the cloud.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest

from custom_components.smart_charging.const import DOMAIN

from .conftest import Sim, add_entry

PREFS = "/personal-smart-charging-preferences"


@pytest.fixture
async def ampeco(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> ConfigEntry:
    """The demo AMPECO tenant: charge point 6 offers solar, 7 a schedule and Nord Pool."""
    freezer.move_to(simulator.sim.now())
    return await add_entry(hass, simulator, "ampeco")


def _charge_point(hass: HomeAssistant, entry: ConfigEntry, cp: str) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"ampeco_{cp}"), entry.entry_id
    )
    assert device is not None
    return device.id


async def _refused(hass: HomeAssistant, action: str, **data: Any) -> str:
    """The message a refused action shows."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(DOMAIN, action, data, blocking=True)
    return str(caught.value)


def _writes(simulator: Sim) -> list[Any]:
    return [e for e in simulator.sim.log.matching("POST") if e.path.endswith(PREFS)]


async def test_negative_grid_current_names_the_field(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """The solar form's label, not max_current_from_grid(_a)."""
    message = await _refused(
        hass,
        "set_solar_preferences",
        device_id=_charge_point(hass, ampeco, "6"),
        max_current_from_grid=-1,
        solar_stable_time=300,
    )
    assert message == "Maximum current from the grid cannot be negative (-1)"
    assert _writes(simulator) == []


async def test_mode_not_offered_names_the_modes(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """The garage offers a schedule and Nord Pool: said as the mode sensor says them."""
    message = await _refused(
        hass,
        "set_solar_preferences",
        device_id=_charge_point(hass, ampeco, "7"),
        max_current_from_grid=6,
        solar_stable_time=300,
    )
    assert message == "This charge point does not offer Solar; it offers: Schedule, Nord Pool"
    assert _writes(simulator) == []


async def test_unknown_provider_lists_the_providers_by_name(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """A provider that is no tariff provider (as typed): the ones that are, by their names."""
    message = await _refused(
        hass,
        "set_dynamic_tariff_preferences",
        device_id=_charge_point(hass, ampeco, "6"),
        provider="solar",
    )
    assert message == (
        "solar is not a tariff provider; use one of: "
        "Energi elspot, Nord Pool, Octopus Agile, Octopus Go"
    )
    assert _writes(simulator) == []


async def test_weekday_window_error_names_the_window(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """A day in two windows: the field's label and the window's number."""
    window = {"days": ["monday"], "start_time": "22:00", "end_time": "06:00"}
    message = await _refused(
        hass,
        "set_schedule_preferences",
        device_id=_charge_point(hass, ampeco, "6"),
        start_time="22:00",
        end_time="06:00",
        weekdays=[window, window],
    )
    assert message == "Week-day windows 2: monday is in more than one window"
    assert _writes(simulator) == []


async def test_out_of_range_input_names_the_field(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """The shared input checks name the field by its label too."""
    message = await _refused(
        hass,
        "set_solar_preferences",
        device_id=_charge_point(hass, ampeco, "6"),
        max_current_from_grid=6,
        solar_stable_time=99999,
    )
    assert message == "Solar stable time must be from 1 to 3600, not 99999"
    assert _writes(simulator) == []


async def test_message_the_cloud_no_longer_has(
    hass: HomeAssistant,
    jedlix: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Dismissing a message Jedlix has dropped speaks of the message, not of a device."""
    message_id = simulator.jedlix.demo.action_message_id
    issue = f"message_{jedlix.entry_id}_{message_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue) is not None
    del simulator.jedlix.messages[message_id]
    message = await _refused(
        hass, "dismiss_message", config_entry_id=jedlix.entry_id, message_id=message_id
    )
    assert message == (
        f"Message ID: Jedlix no longer has the message {message_id}; "
        "it was removed from the list here too"
    )
    assert issue_registry.async_get_issue(DOMAIN, issue) is None


async def test_cloud_field_error_names_the_field(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """The cloud's 422 about a field is shown under the field's label.

    The demo tenant offers SE3, but the contract's write body allows only GB1: the
    contract-strict simulator refuses the location (see tests/ampeco/test_ampeco.py).
    """
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "set_dynamic_tariff_preferences",
            {
                "device_id": _charge_point(hass, ampeco, "7"),
                "provider": "nordpool",
                "departure_time": "07:00",
                "target_kwh": 30,
                "location": "SE3",
            },
            blocking=True,
        )
    assert str(caught.value).startswith("The cloud rejected the values: Price area: ")
