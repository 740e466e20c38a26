"""Messages in the user's words: field labels and mode names, never code names.

Each test checks the exact text Home Assistant shows for a refused action, and that
nothing reached the cloud.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.smart_charging.const import DOMAIN

from .conftest import Sim
from .helpers import device_of, refused

PREFS = "/personal-smart-charging-preferences"


def _writes(simulator: Sim) -> list[Any]:
    return [e for e in simulator.sim.log.matching("POST") if e.path.endswith(PREFS)]


WINDOW = {"days": ["monday"], "start_time": "22:00", "end_time": "06:00"}


@pytest.mark.parametrize(
    ("action", "charge_point", "data", "message"),
    [
        # The solar form's label, not max_current_from_grid(_a).
        pytest.param(
            "set_solar_preferences",
            "6",
            {"max_current_from_grid": -1, "solar_stable_time": 300},
            "Maximum current from the grid cannot be negative (-1)",
            id="negative_grid_current",
        ),
        # The garage offers a schedule and Nord Pool: said as the mode sensor says them.
        pytest.param(
            "set_solar_preferences",
            "7",
            {"max_current_from_grid": 6, "solar_stable_time": 300},
            "This charge point does not offer Solar; it offers: Schedule, Nord Pool",
            id="mode_not_offered",
        ),
        # No tariff provider (as typed): the ones that are, by their names.
        pytest.param(
            "set_dynamic_tariff_preferences",
            "6",
            {"provider": "solar"},
            "solar is not a tariff provider; use one of: "
            "Energi elspot, Nord Pool, Octopus Agile, Octopus Go",
            id="unknown_provider",
        ),
        # A day in two windows: the field's label and the window's number.
        pytest.param(
            "set_schedule_preferences",
            "6",
            {"start_time": "22:00", "end_time": "06:00", "weekdays": [WINDOW, WINDOW]},
            "Week-day windows 2: monday is in more than one window",
            id="weekday_window",
        ),
        # The shared input checks name the field by its label too.
        pytest.param(
            "set_solar_preferences",
            "6",
            {"max_current_from_grid": 6, "solar_stable_time": 99999},
            "Solar stable time must be from 1 to 3600, not 99999",
            id="out_of_range",
        ),
    ],
)
async def test_a_refused_preference_names_the_field_and_sends_nothing(
    hass: HomeAssistant,
    ampeco: ConfigEntry,
    simulator: Sim,
    action: str,
    charge_point: str,
    data: dict[str, Any],
    message: str,
) -> None:
    """The message speaks of labels and mode names, and nothing reaches the cloud."""
    device = device_of(hass, ampeco, f"ampeco_{charge_point}")
    error = await refused(hass, action, device_id=device, **data)
    assert str(error) == message
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
    error = await refused(
        hass, "dismiss_message", config_entry_id=jedlix.entry_id, message_id=message_id
    )
    assert str(error) == (
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
    error = await refused(
        hass,
        "set_dynamic_tariff_preferences",
        device_id=device_of(hass, ampeco, "ampeco_7"),
        provider="nordpool",
        departure_time="07:00",
        target_kwh=30,
        location="SE3",
    )
    assert str(error).startswith("The cloud rejected the values: Price area: ")
