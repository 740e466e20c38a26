"""Numbers: a charger's dynamic current, within its own maximum, and a group's limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import UnitOfElectricCurrent, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import DEFAULT_GROUP_LIMIT_HOLD, DOMAIN, OPT_GROUP_LIMIT_HOLD
from .coordinator import SmartChargingConfigEntry
from .entity import ChargerEntity, GroupEntity, SmartChargingEntity, add_described_entities
from .helpers import handle_cloud_errors
from .model import ChargerData
from .validation import GROUP_LIMIT_MAX_KW, GROUP_LIMIT_MIN_KW, number

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ChargerNumberDescription(NumberEntityDescription):
    """A charger number, and whether a charger has it."""

    exists_fn: Callable[[ChargerData], bool]


@dataclass(frozen=True, kw_only=True)
class GroupNumberDescription(NumberEntityDescription):
    """A charger-group number."""


DYNAMIC_CURRENT = ChargerNumberDescription(
    key="dynamic_charger_current",
    translation_key="dynamic_charger_current",
    device_class=NumberDeviceClass.CURRENT,
    native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
    native_min_value=0,
    native_step=1,
    mode=NumberMode.SLIDER,
    exists_fn=lambda data: data.state.dynamic_current_a is not None,
)


GROUP_LIMIT = GroupNumberDescription(
    key="group_limit",
    translation_key="group_limit",
    device_class=NumberDeviceClass.POWER,
    native_unit_of_measurement=UnitOfPower.KILO_WATT,
    native_min_value=GROUP_LIMIT_MIN_KW,
    native_max_value=GROUP_LIMIT_MAX_KW,
    native_step=1,
    mode=NumberMode.BOX,
)

# The same bounds and messages as the set_group_limit action.
_GROUP_LIMIT = number(
    "limit",
    GROUP_LIMIT_MIN_KW,
    GROUP_LIMIT_MAX_KW,
    integer=True,
    low=lambda value: ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="limit_not_positive_integer",
        translation_placeholders={"limit": value},
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the dynamic current of controllable chargers and the limit of settable groups."""
    coordinator = entry.runtime_data.coordinator
    add_described_entities(
        entry,
        async_add_entities,
        {ChargerNumberDescription: DynamicCurrentNumber, GroupNumberDescription: GroupLimitNumber},
        (
            *([DYNAMIC_CURRENT] if coordinator.control is not None else []),
            *([GROUP_LIMIT] if coordinator.group_control is not None else []),
        ),
    )


class _ExpectingNumber(SmartChargingEntity, NumberEntity):
    """A number that shows a value it set at once, before the cloud confirms it."""

    @property
    def native_value(self) -> float | None:
        """The expected value while a change is under way, else the cloud's."""
        value = self.expected_or(self.current_value())
        return float(value) if isinstance(value, int | float) else None


class DynamicCurrentNumber(ChargerEntity, _ExpectingNumber):
    """The current the charger may give now, from 0 A up to its maximum current."""

    def current_value(self) -> object:
        """What the cloud says now."""
        return self.charger_data.state.dynamic_current_a

    @property
    def native_max_value(self) -> float:
        """The charger's own maximum current."""
        settings = self.charger_data.settings
        return settings.max_current_a if settings else 32.0

    @handle_cloud_errors
    async def async_set_native_value(self, value: float) -> None:
        """Ask the charger for a new dynamic current."""
        if not 0 <= value <= self.native_max_value:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="current_out_of_range",
                translation_placeholders={
                    "value": f"{value:g}",
                    "max": f"{self.native_max_value:g}",
                },
            )
        control = self.coordinator.control
        assert control is not None
        await control.async_set_settings(self.key, dynamic_current_a=value)
        self.expect(value)
        self.coordinator.async_confirm_soon(self.key, self.confirmed)


class GroupLimitNumber(GroupEntity, _ExpectingNumber):
    """The group's limit; setting it holds an external limit for the options' hold time."""

    def current_value(self) -> object:
        """The limit in force, whichever layer it comes from."""
        return self.group_data.limit.active_kw

    @handle_cloud_errors
    async def async_set_native_value(self, value: float) -> None:
        """Set an external limit from now until now plus the hold time."""
        limit = _GROUP_LIMIT(value)
        control = self.coordinator.group_control
        assert control is not None
        hold = self.coordinator.option(OPT_GROUP_LIMIT_HOLD, DEFAULT_GROUP_LIMIT_HOLD)
        await control.async_set_group_limit(self.key, int(limit), dt_util.utcnow() + hold)
