"""Switches: pause/resume charging, smart charging, the access settings, a car's own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .clouds.base import ChargerControl
from .clouds.models import ChargerStatus, CommandResult
from .coordinator import SmartChargingConfigEntry
from .entity import ChargerEntity, add_command_entities
from .helpers import handle_cloud_errors
from .model import ChargerData
from .planner_entities import async_add_planner_entities
from .vehicle_control import VehicleControlDescription, VehicleControlEntity

# One write at a time per platform: clouds rate-limit writes.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerSwitchDescription(SwitchEntityDescription):
    """A charger switch: how to read it, how to set it, whether it is a setting."""

    is_on_fn: Callable[[ChargerData], bool | None]
    set_fn: Callable[[ChargerControl, str, bool], Awaitable[CommandResult]]
    exists_fn: Callable[[ChargerData], bool]
    # A setting is confirmed by re-reading the settings; a command by the state.
    is_setting: bool = True


@dataclass(frozen=True, kw_only=True)
class VehicleSwitchDescription(SwitchEntityDescription, VehicleControlDescription[bool]):
    """A car's switch a cloud describes (``coordinator.descriptions``)."""

    # The cloud does not say: the state is what we last set (both buttons are offered).
    assumed_state: bool = False


def _setting(key: str, name: str, *, enabled: bool = True) -> ChargerSwitchDescription:
    """An access setting of the charger, shown in its configuration section.

    The offline and smart-button settings are rarely changed: they start disabled, as Home
    Assistant asks of less used entities, and cost nothing until a user enables them.
    """
    return ChargerSwitchDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=enabled,
        is_on_fn=lambda data: getattr(data.settings, name) if data.settings else None,
        set_fn=lambda control, charger_id, on: control.async_set_settings(charger_id, **{name: on}),
        exists_fn=lambda data: data.settings is not None,
    )


CHARGER_SWITCHES: tuple[ChargerSwitchDescription, ...] = (
    ChargerSwitchDescription(
        key="charging",
        translation_key="charging",
        is_on_fn=lambda data: data.state.status is ChargerStatus.CHARGING,
        set_fn=lambda control, charger_id, on: control.async_command(
            charger_id, "resume_charging" if on else "pause_charging"
        ),
        exists_fn=lambda data: {"pause_charging", "resume_charging"} <= data.commands,
        is_setting=False,
    ),
    ChargerSwitchDescription(
        key="smart_charging",
        translation_key="smart_charging",
        is_on_fn=lambda data: data.state.smart_charging,
        # Turning smart charging off must go through the settings (apis.md); on too.
        set_fn=lambda control, charger_id, on: control.async_set_settings(
            charger_id, smart_charging=on
        ),
        exists_fn=lambda data: data.state.smart_charging is not None,
        is_setting=False,
    ),
    _setting("authorization_required", "authorization_required"),
    _setting("local_authorize_offline", "local_authorize_offline", enabled=False),
    _setting("allow_offline_unknown_id", "allow_offline_unknown_id", enabled=False),
    _setting("smart_button_enabled", "smart_button_enabled", enabled=False),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches of every charger the cloud lets us control, and cars' switches."""
    add_command_entities(
        entry,
        async_add_entities,
        {ChargerSwitchDescription: ChargerSwitch, VehicleSwitchDescription: VehicleSwitch},
        CHARGER_SWITCHES,
    )
    async_add_planner_entities(hass, entry, async_add_entities, Platform.SWITCH)


class _Switch(SwitchEntity):
    """A switch whose on and off are one write of a boolean."""

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on."""
        await self.async_write(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self.async_write(False)

    async def async_write(self, value: bool) -> None:
        """Write the new state (each switch its own way)."""
        raise NotImplementedError


class ChargerSwitch(ChargerEntity, _Switch):
    """A switch of a charger that shows the expected state at once after a change."""

    entity_description: ChargerSwitchDescription

    def current_value(self) -> object:
        """What the cloud says now."""
        return self.entity_description.is_on_fn(self.charger_data)

    @property
    def is_on(self) -> bool | None:
        """The expected state while a change is under way, else the cloud's."""
        value = self.expected_or(self.current_value())
        return value if isinstance(value, bool) else None

    @handle_cloud_errors
    async def async_write(self, value: bool) -> None:
        """Send the change; show it at once, until the cloud confirms it."""
        control = self.coordinator.control
        assert control is not None  # entities exist only for controllable chargers
        await self.entity_description.set_fn(control, self.key, value)
        self.expect(value)
        self.coordinator.async_confirm_soon(
            self.key,
            self.confirmed,
            settings=self.entity_description.is_setting,
        )


class VehicleSwitch(VehicleControlEntity[bool], _Switch):
    """A car's switch, as last confirmed or set."""

    entity_description: VehicleSwitchDescription

    @property
    def assumed_state(self) -> bool:
        """Whether the state is only what we last set."""
        return self.entity_description.assumed_state

    @property
    def is_on(self) -> bool | None:
        """What the cloud (or our last write) says."""
        return self.native_value
