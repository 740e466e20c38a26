"""A Jedlix driver's controls: departure, target and boost of the running session.

Each write is checked against the car's capabilities (seed 002; SDK ``Vehicle.kt``)
and its running session before anything is sent, then confirmed by reading the
session's settings back (``.../session-settings/active``). The action
``set_departure`` and the time, number and switch entities all write through the
coordinator's ``async_write_session``, so they refuse and confirm alike.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from typing import TypedDict

from homeassistant.components.number import NumberMode
from homeassistant.const import PERCENTAGE
from homeassistant.helpers.entity import EntityDescription
from homeassistant.util import dt as dt_util

from ...clouds.jedlix.session_settings import (
    DEPARTURE_TIMES,
    DESIRED_STATE_OF_CHARGE,
    START_STOP_CHARGING,
    has_capability,
)
from ...coordinator import SmartChargingCoordinator
from ...model import VehicleData, provider_data
from ...number import VehicleNumberDescription
from ...sensor_kinds import named
from ...switch import VehicleSwitchDescription
from ...time import VehicleTimeDescription
from .coordinator import JedlixCoordinator
from .model import JedlixVehicleData

# The desired battery level Jedlix takes (reference/charge-settings: 50 to 100 %).
TARGET_MIN = 50
TARGET_MAX = 100


class _SessionControl[T](TypedDict):
    """What every control of the running session has: a name, when it exists, its write."""

    key: str
    translation_key: str
    exists_fn: Callable[[VehicleData], bool]
    set_fn: Callable[[SmartChargingCoordinator, str, T], Awaitable[None]]


def _session_control[T](
    key: str, capability: str, write: Callable[[JedlixCoordinator, str, T], Awaitable[None]]
) -> _SessionControl[T]:
    """A control that exists on a car whose capabilities offer what it sets.

    Its write goes through the Jedlix coordinator (these are Jedlix's descriptions).
    """

    async def set_fn(coordinator: SmartChargingCoordinator, vehicle: str, value: T) -> None:
        assert isinstance(coordinator, JedlixCoordinator)
        await write(coordinator, vehicle, value)

    return {
        **named(key),
        "exists_fn": lambda data: has_capability(data.vehicle.capabilities, capability),
        "set_fn": set_fn,
    }


def next_departure(value: time, now: datetime | None = None) -> datetime:
    """The next moment the local clock shows ``value`` (today, or else tomorrow), in UTC."""
    local_now = dt_util.as_local(now or dt_util.utcnow())
    when = datetime.combine(local_now.date(), value, local_now.tzinfo)
    if when <= local_now:
        when = datetime.combine(local_now.date() + timedelta(days=1), value, local_now.tzinfo)
    return dt_util.as_utc(when)


def _departure_of_day(data: VehicleData) -> time | None:
    """The session's departure as the local time of day (to the minute)."""
    departure = data.vehicle.departure_time
    if departure is None:
        return None
    return dt_util.as_local(departure).time().replace(second=0, microsecond=0)


def _boost(data: VehicleData) -> bool | None:
    """Boost as last set in the running session; off once it has ended, unknown before any."""
    jedlix = provider_data(data, JedlixVehicleData)
    if jedlix is None or jedlix.session is None:
        return None
    return bool(jedlix.boost) if jedlix.session.is_active else False


async def _set_departure(jedlix: JedlixCoordinator, key: str, value: time) -> None:
    await jedlix.async_write_session(key, departure=next_departure(value))


async def _set_target(jedlix: JedlixCoordinator, key: str, value: float) -> None:
    await jedlix.async_write_session(key, target=round(value))


async def _set_boost(jedlix: JedlixCoordinator, key: str, on: bool) -> None:
    await jedlix.async_write_session(key, boost=on)


JEDLIX_CONTROLS: tuple[EntityDescription, ...] = (
    VehicleTimeDescription(
        **_session_control("departure", DEPARTURE_TIMES, _set_departure),
        value_fn=_departure_of_day,
    ),
    VehicleNumberDescription(
        **_session_control("target_state_of_charge", DESIRED_STATE_OF_CHARGE, _set_target),
        native_unit_of_measurement=PERCENTAGE,
        native_min_value=TARGET_MIN,
        native_max_value=TARGET_MAX,
        native_step=1,
        mode=NumberMode.SLIDER,
        value_fn=lambda data: data.vehicle.desired_state_of_charge,
    ),
    VehicleSwitchDescription(
        **_session_control("boost", START_STOP_CHARGING, _set_boost),
        value_fn=_boost,
        # No public answer reads boost back: off until we turn it on in this session.
        assumed_state=True,
    ),
)
