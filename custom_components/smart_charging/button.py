"""Buttons: start, stop, toggle charging and override the schedule; station actions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .entity import ChargerEntity, StationEntity, add_command_entities
from .helpers import handle_cloud_errors
from .model import ChargerData, StationData

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerButtonDescription(ButtonEntityDescription):
    """A charger button and the cloud command it sends."""

    command: str

    def exists_fn(self, data: ChargerData) -> bool:
        """A charger has the button when it takes the command."""
        return self.command in data.commands


@dataclass(frozen=True, kw_only=True)
class StationButtonDescription(ButtonEntityDescription):
    """A button of a charger seen through its group, and the action it sends.

    A cloud whose stations take actions lists these in its ``descriptions``;
    ``position`` (a connector) limits one to stations that have it.
    """

    press_fn: Callable[[SmartChargingCoordinator, str], Awaitable[None]]
    position: int | None = None

    def exists_fn(self, data: StationData) -> bool:
        """A station has the button unless it names a position the station lacks."""
        return self.position is None or self.position <= data.station.positions


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
        entry,
        async_add_entities,
        # Only a cloud's own descriptions have station buttons.
        {ChargerButtonDescription: ChargerButton, StationButtonDescription: StationButton},
        CHARGER_BUTTONS,
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


class StationButton(StationEntity, ButtonEntity):
    """A button that sends one action to a charger of a group.

    The charger's answer is the confirmation (a refusal is an error the user sees); the
    cloud's coordinator reads again what the action changes.
    """

    entity_description: StationButtonDescription

    @handle_cloud_errors
    async def async_press(self) -> None:
        """Send the action."""
        await self.entity_description.press_fn(self.coordinator, self.key)
