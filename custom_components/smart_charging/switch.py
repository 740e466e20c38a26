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
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .entity import ChargerEntity, VehicleEntity, add_command_entities, add_described_entities
from .helpers import handle_cloud_errors
from .model import ChargerData, VehicleData
from .planner_entities import async_add_planner_entities

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
class VehicleSwitchDescription(SwitchEntityDescription):
    """A car's switch a cloud describes (``coordinator.descriptions``).

    ``set_fn`` writes and confirms (the cloud's answer updates the coordinator), or
    raises a translated error when the car cannot take it now.
    """

    is_on_fn: Callable[[VehicleData], bool | None]
    set_fn: Callable[[SmartChargingCoordinator, str, bool], Awaitable[None]]
    exists_fn: Callable[[VehicleData], bool]
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
        entry, async_add_entities, {ChargerSwitchDescription: ChargerSwitch}, CHARGER_SWITCHES
    )
    add_described_entities(entry, async_add_entities, {VehicleSwitchDescription: VehicleSwitch}, ())
    async_add_planner_entities(hass, entry, async_add_entities, Platform.SWITCH)


class ChargerSwitch(ChargerEntity, SwitchEntity):
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

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on."""
        await self._async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self._async_set(False)

    @handle_cloud_errors
    async def _async_set(self, on: bool) -> None:
        control = self.coordinator.control
        assert control is not None  # entities exist only for controllable chargers
        await self.entity_description.set_fn(control, self.key, on)
        self.expect(on)
        self.coordinator.async_confirm_soon(
            self.key,
            self.confirmed,
            settings=self.entity_description.is_setting,
        )


class VehicleSwitch(VehicleEntity, SwitchEntity):
    """A car's switch, as last confirmed or set."""

    entity_description: VehicleSwitchDescription

    @property
    def assumed_state(self) -> bool:
        """Whether the state is only what we last set."""
        return self.entity_description.assumed_state

    @property
    def is_on(self) -> bool | None:
        """What the cloud (or our last write) says."""
        return self.entity_description.is_on_fn(self.vehicle_data)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on."""
        await self._async_set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off."""
        await self._async_set(False)

    @handle_cloud_errors
    async def _async_set(self, on: bool) -> None:
        await self.entity_description.set_fn(self.coordinator, self.key, on)
