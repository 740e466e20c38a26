"""Jedlix's actions: read a user's sessions, write a location's tariffs, dismiss a message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
)
import probatio

from ...clouds.errors import NotFoundError, SmartChargingError
from ...clouds.jedlix.models import Tariff, TariffInterval, TariffType
from ...clouds.jedlix.tariffs import TariffError
from ...clouds.models import Weekday
from ...helpers import (
    Action,
    cloud_error,
    device_target,
    invalid,
    loaded_entry,
)
from ...model import DeviceKind
from ...read_period import READ_PERIOD_FIELDS, read_period
from ...validation import (
    MAX_SESSIONS_SPAN,
    READ_BUDGET,
    identifier,
    items,
    moment,
    number,
    text,
    whole,
)
from .coordinator import JedlixCoordinator

SERVICE_GET_SESSIONS = "get_sessions"
SERVICE_SET_TARIFFS = "set_tariffs"
SERVICE_DISMISS_MESSAGE = "dismiss_message"
SERVICE_SET_DEPARTURE = "set_departure"

# A price per kWh; a negative one passes the schema and is refused by the tariff rules
# of clouds/jedlix/tariffs.py, which name the tariff's type.
MAX_PRICE = 10
_ENTRY = identifier(ATTR_CONFIG_ENTRY_ID)
GET_SESSIONS_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): _ENTRY,
        **READ_PERIOD_FIELDS,
    }
)
_TARIFF = probatio.Schema(
    {
        probatio.Required("type"): text("tariffs", 32),
        probatio.Required("price"): number("tariffs", -MAX_PRICE, MAX_PRICE),
        probatio.Optional("currency", default="EUR"): text("tariffs", 8),
    }
)
_INTERVAL = probatio.Schema(
    {
        probatio.Required("start_time"): text("intervals", 8),
        probatio.Required("end_time"): text("intervals", 8),
        probatio.Required("days"): items("intervals", text("intervals", 16), 7),
        probatio.Required("tariff_type"): text("intervals", 32),
    }
)
_HOLIDAY_INTERVAL = probatio.Schema(
    {
        probatio.Required("start_time"): text("holiday_intervals", 8),
        probatio.Required("end_time"): text("holiday_intervals", 8),
        probatio.Required("days"): items("holiday_intervals", text("holiday_intervals", 16), 7),
        probatio.Required("tariff_type"): text("holiday_intervals", 32),
    }
)


def _flag(field: str) -> Any:
    """True or false, nothing else (no "yes", no 1)."""

    def validate(value: Any) -> bool:
        if not isinstance(value, bool):
            raise invalid("input_not_a_boolean", field=field)
        return value

    return validate


# The action's fields are those of "Create tariff settings v2" (reference/createtariffs):
# tariffs, intervals (tariffIntervals), holiday_intervals (holidayTariffIntervals) and
# off_peak_charging_only (offPeakChargingOnly, required there; false when not given).
SET_TARIFFS_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): identifier(ATTR_DEVICE_ID),
        probatio.Required("tariffs"): items("tariffs", _TARIFF, 5),
        probatio.Required("intervals"): items("intervals", _INTERVAL, 50),
        probatio.Optional("off_peak_charging_only", default=False): _flag("off_peak_charging_only"),
        probatio.Optional("holiday_intervals"): items("holiday_intervals", _HOLIDAY_INTERVAL, 50),
    }
)
# A departure within a week; a target from 50 to 100 % (the range "Create charge
# settings" gives the desired battery level on developer.jedlix.com/reference/charge-settings).
MAX_DEPARTURE_AHEAD = timedelta(days=7)
SET_DEPARTURE_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): identifier(ATTR_DEVICE_ID),
        probatio.Optional("departure_time"): moment(
            "departure_time", past=timedelta(0), future=MAX_DEPARTURE_AHEAD
        ),
        probatio.Optional("target"): whole("target", 50, 100),
    }
)
DISMISS_MESSAGE_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): _ENTRY,
        probatio.Required("message_id"): identifier("message_id"),
    }
)


def _jedlix_entry(hass: HomeAssistant, entry_id: str) -> JedlixCoordinator:
    """The coordinator of the loaded Jedlix entry an action is aimed at."""
    entry = loaded_entry(hass, entry_id)
    coordinator = entry.runtime_data.coordinator
    if not isinstance(coordinator, JedlixCoordinator):
        raise invalid("not_jedlix", name=entry.title)
    return coordinator


async def _async_get_sessions(call: ServiceCall) -> ServiceResponse:
    start, end = read_period(call, MAX_SESSIONS_SPAN)
    coordinator = _jedlix_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    READ_BUDGET.spend(coordinator)
    try:
        sessions = await coordinator.client.async_sessions(start_from=start, start_to=end)
    except SmartChargingError as err:
        raise cloud_error(err) from err
    result: list[Any] = [
        {
            "id": session.id,
            "vehicle_id": session.vehicle_id,
            "status": session.status.value,
            "calibration_state": (
                session.calibration_state.value if session.calibration_state else None
            ),
            "start": session.start.isoformat() if session.start else None,
            "end": session.end.isoformat() if session.end else None,
            "energy_kwh": session.energy_kwh,
        }
        for session in sessions
    ]
    return {"sessions": result}


def _tariff_type(value: str, field: str, position: int) -> TariffType:
    try:
        kind = TariffType(value.lower())
    except ValueError:
        kind = TariffType.UNKNOWN
    if kind is TariffType.UNKNOWN:
        raise invalid("tariff_unknown_type", field=field, position=str(position), type=value)
    return kind


def _tariff_key(field: str, reason: str) -> str:
    """The translation of a refused tariff write; the holiday plan's name their list."""
    return f"tariff_holiday_{reason}" if field == "holiday_intervals" else f"tariff_{reason}"


def _intervals(raw: list[dict[str, Any]], field: str) -> list[TariffInterval]:
    intervals = []
    for position, item in enumerate(raw, start=1):
        days = []
        for day in item["days"]:
            try:
                days.append(Weekday(day.lower()))
            except ValueError as err:
                raise invalid(
                    _tariff_key(field, "invalid_day"),
                    field=field,
                    position=str(position),
                    day=day,
                ) from err
        intervals.append(
            TariffInterval(
                start_time=item["start_time"],
                end_time=item["end_time"],
                days_of_week=tuple(days),
                tariff_type=_tariff_type(item["tariff_type"], field, position),
            )
        )
    return intervals


async def _async_set_tariffs(call: ServiceCall) -> None:
    coordinator, key = device_target(call.hass, call.data[ATTR_DEVICE_ID], DeviceKind.LOCATION)
    tariffs = [
        Tariff(
            type=_tariff_type(item["type"], "tariffs", position),
            price=item["price"],
            currency=item["currency"],
        )
        for position, item in enumerate(call.data["tariffs"], start=1)
    ]
    intervals = _intervals(call.data["intervals"], "intervals")
    holidays = call.data.get("holiday_intervals")
    holiday_intervals = None if holidays is None else _intervals(holidays, "holiday_intervals")
    if not isinstance(coordinator, JedlixCoordinator):  # pragma: no cover - locations are Jedlix's
        raise invalid("not_a_location", name=key)
    try:
        answer = await coordinator.client.async_set_tariffs(
            key,
            tariffs,
            intervals,
            off_peak_charging_only=call.data["off_peak_charging_only"],
            holiday_intervals=holiday_intervals,
        )
    except TariffError as err:
        raise invalid(
            _tariff_key(err.field, str(err.reason)),
            field=err.field,
            **{"position": "", **err.placeholders},
        ) from err
    except SmartChargingError as err:
        raise cloud_error(err) from err
    coordinator.async_apply_tariffs(key, answer)


async def _async_set_departure(call: ServiceCall) -> None:
    """Set when the car leaves and how full it should be, for the running session.

    Refused before sending when neither is given, when the car's capabilities do not
    allow what is given, or when the car has no running session; confirmed by reading
    the session's settings back.
    """
    coordinator, key = device_target(call.hass, call.data[ATTR_DEVICE_ID], DeviceKind.VEHICLE)
    departure: datetime | None = call.data.get("departure_time")
    target: int | None = call.data.get("target")
    if departure is None and target is None:
        raise invalid("departure_nothing_to_set", field="departure_time")
    if not isinstance(coordinator, JedlixCoordinator):  # pragma: no cover - cars are Jedlix's
        raise invalid("not_a_vehicle", name=key)
    await coordinator.async_write_session(key, departure=departure, target=target)


async def _async_dismiss_message(call: ServiceCall) -> None:
    coordinator = _jedlix_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    message_id = call.data["message_id"]
    if not coordinator.knows_message(message_id):
        raise invalid("message_not_known", field="message_id", message_id=message_id)
    try:
        await coordinator.client.async_dismiss_message(message_id)
    except NotFoundError as err:
        # Gone from the cloud since the last read: the user's list should forget it too,
        # and the answer is about the message, not the device.
        coordinator.async_forget_message(message_id)
        raise invalid("message_gone", field="message_id", message_id=message_id) from err
    except SmartChargingError as err:
        raise cloud_error(err) from err
    coordinator.async_forget_message(message_id)


# Jedlix's actions.
JEDLIX_ACTIONS = (
    Action(
        SERVICE_GET_SESSIONS,
        _async_get_sessions,
        GET_SESSIONS_SCHEMA,
        SupportsResponse.ONLY,
    ),
    Action(SERVICE_SET_TARIFFS, _async_set_tariffs, SET_TARIFFS_SCHEMA),
    Action(SERVICE_DISMISS_MESSAGE, _async_dismiss_message, DISMISS_MESSAGE_SCHEMA),
    Action(SERVICE_SET_DEPARTURE, _async_set_departure, SET_DEPARTURE_SCHEMA),
)
