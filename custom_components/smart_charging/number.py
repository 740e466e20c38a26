"""Numbers: a charger's dynamic current, a group's limit, and what a cloud sets on a car."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import UnitOfElectricCurrent, UnitOfPower
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .clouds.errors import RateLimitedError, SmartChargingError
from .const import DEFAULT_GROUP_LIMIT_HOLD, DOMAIN, OPT_GROUP_LIMIT_HOLD
from .coordinator import SmartChargingConfigEntry
from .entity import (
    ChargerEntity,
    GroupEntity,
    SmartChargingEntity,
    add_described_entities,
)
from .helpers import handle_cloud_errors
from .issues import async_group_limit_accepted, async_group_limit_refused
from .model import ChargerData
from .validation import GROUP_LIMIT_MAX_KW, GROUP_LIMIT_MIN_KW, number
from .vehicle_control import VehicleControlDescription, VehicleControlEntity

PARALLEL_UPDATES = 1

# Changes of a group's limit within this long of the one before are sent as one.
COALESCE = timedelta(seconds=2)
# How long to wait when the cloud asks to (429) without saying how long.
DEFAULT_WAIT = timedelta(minutes=1)


@dataclass(frozen=True, kw_only=True)
class ChargerNumberDescription(NumberEntityDescription):
    """A charger number, and whether a charger has it."""

    exists_fn: Callable[[ChargerData], bool]


@dataclass(frozen=True, kw_only=True)
class GroupNumberDescription(NumberEntityDescription):
    """A charger-group number."""


@dataclass(frozen=True, kw_only=True)
class VehicleNumberDescription(NumberEntityDescription, VehicleControlDescription[float]):
    """A car's number a cloud describes (``coordinator.descriptions``)."""


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
        {
            ChargerNumberDescription: DynamicCurrentNumber,
            GroupNumberDescription: GroupLimitNumber,
            VehicleNumberDescription: VehicleNumber,
        },
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

    # Until the charger's settings are read: the most a charger on one phase takes.
    _max_current_a = 32.0

    @property
    def native_max_value(self) -> float:
        """The charger's own maximum current, or the last one read.

        Home Assistant reads it for the state's attributes while the entity is
        unavailable too, when the charger may have left the account's data.
        """
        if self.available and (settings := self.charger_data.settings) is not None:
            self._max_current_a = settings.max_current_a
        return self._max_current_a

    @handle_cloud_errors
    async def async_set_native_value(self, value: float) -> None:
        """Ask the charger for a new dynamic current.

        Home Assistant's number action has already refused a value outside 0 A to the
        charger's maximum (``native_max_value``), with its own translated error.
        """
        control = self.coordinator.control
        assert control is not None
        await control.async_set_settings(self.key, dynamic_current_a=value)
        self.expect(value)
        self.coordinator.async_confirm_soon(self.key, self.confirmed)


class VehicleNumber(VehicleControlEntity[float], NumberEntity):
    """A car's number, as the cloud last confirmed it."""

    entity_description: VehicleNumberDescription

    async def async_set_native_value(self, value: float) -> None:
        """Write the value (Home Assistant has already kept it within min and max)."""
        await self.async_write(value)


class GroupLimitNumber(GroupEntity, _ExpectingNumber):
    """The group's limit; setting it holds an external limit for the options' hold time.

    A cloud takes a group's limit only so often (ViriCiti answers 429 to a change "too
    often"), while a user pressing "-" three times means one change. So a change is sent
    at once, and the changes that follow it within :data:`COALESCE` are shown at once
    and sent together, as one write of the last value, once the user has stopped: if the
    cloud asks to wait, the write waits (Retry-After) and the value stays shown as
    pending, with no error for the user's own clicks. A later write that the cloud
    refuses for another reason raises a repair issue instead of vanishing.
    """

    _pending: int | None = None
    _flush: CALLBACK_TYPE | None = None
    _quiet_after: datetime | None = None

    def current_value(self) -> object:
        """The limit in force, whichever layer it comes from."""
        return self.group_data.limit.active_kw

    @handle_cloud_errors
    async def async_set_native_value(self, value: float) -> None:
        """Set an external limit from now until now plus the hold time."""
        limit = int(_GROUP_LIMIT(value))
        now = dt_util.utcnow()
        busy = self._flush is not None or (
            self._quiet_after is not None and now < self._quiet_after
        )
        self._quiet_after = now + COALESCE
        if not busy:
            await self._async_write(limit)
            return
        # Right after another change: shown at once, sent with the others when quiet.
        self._pending = limit
        self.expect(limit)
        self._schedule(now + COALESCE)

    async def _async_write(self, limit: int) -> None:
        control = self.coordinator.group_control
        assert control is not None
        hold = self.coordinator.option(OPT_GROUP_LIMIT_HOLD, DEFAULT_GROUP_LIMIT_HOLD)
        await control.async_set_group_limit(self.key, limit, dt_util.utcnow() + hold)
        # A change went through: an earlier refused one no longer matters.
        async_group_limit_accepted(self.hass, self.coordinator.config_entry, self)

    def _schedule(self, when: datetime) -> None:
        if self._flush is not None:
            self._flush()
        self._flush = async_track_point_in_utc_time(self.hass, self._flush_due, when)

    @callback
    def _flush_due(self, _now: datetime) -> None:
        self._flush = None
        self.coordinator.config_entry.async_create_task(self.hass, self._async_flush())

    async def _async_flush(self, *, final: bool = False) -> None:
        """Send the pending change; wait when asked to, tell the user if refused.

        ``final``: the entity is going away (an unload, a restart), so there is no later
        to wait for: a change the cloud will not take now is reported, not dropped.
        """
        limit, self._pending = self._pending, None
        assert limit is not None  # a flush is scheduled only with a change pending
        try:
            await self._async_write(limit)
        except RateLimitedError as err:
            if not final:
                # Wait as asked; a change made meanwhile replaces this one.
                self._pending = self._pending if self._pending is not None else limit
                self.expect(self._pending)
                wait = timedelta(seconds=err.retry_after or DEFAULT_WAIT.total_seconds())
                self._schedule(dt_util.utcnow() + wait)
                return
            refusal: SmartChargingError = err
        except SmartChargingError as err:
            refusal = err
        else:
            return
        async_group_limit_refused(self.hass, self.coordinator.config_entry, self, limit, refusal)
        if not final:
            self._expectation_expired(dt_util.utcnow())

    async def async_will_remove_from_hass(self) -> None:
        """A change not sent yet is sent now, or reported: never lost with the entity."""
        if self._flush is not None:
            self._flush()
            self._flush = None
            await self._async_flush(final=True)
        await super().async_will_remove_from_hass()
