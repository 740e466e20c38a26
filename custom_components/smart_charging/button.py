"""Buttons: start, stop, toggle charging and override the schedule."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartChargingConfigEntry
from .entity import ChargerEntity, add_command_entities
from .helpers import handle_cloud_errors
from .model import ChargerData

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerButtonDescription(ButtonEntityDescription):
    """A charger button and the cloud command it sends."""

    command: str

    def exists_fn(self, data: ChargerData) -> bool:
        """A charger has the button when it takes the command."""
        return self.command in data.commands


CHARGER_BUTTONS: tuple[ChargerButtonDescription, ...] = (
    ChargerButtonDescription(key="start", translation_key="start", command="start_charging"),
    ChargerButtonDescription(key="stop", translation_key="stop", command="stop_charging"),
    ChargerButtonDescription(key="toggle", translation_key="toggle", command="toggle_charging"),
    ChargerButtonDescription(
        key="override_schedule", translation_key="override_schedule", command="override_schedule"
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons of every charger the cloud lets us control."""
    add_command_entities(
        entry, async_add_entities, {ChargerButtonDescription: ChargerButton}, CHARGER_BUTTONS
    )


class ChargerButton(ChargerEntity, ButtonEntity):
    """A button that sends one command to a charger."""

    entity_description: ChargerButtonDescription

    @handle_cloud_errors
    async def async_press(self) -> None:
        """Send the command; the status follows once the charger carried it out."""
        control = self.coordinator.control
        assert control is not None
        before = self.charger_data.state.status
        await control.async_command(self.key, self.entity_description.command)
        self.coordinator.async_confirm_soon(
            self.key,
            lambda: (
                self.key in self.coordinator.data.chargers
                and self.charger_data.state.status != before
            ),
        )
