"""Reading Jedlix v2 answers (seed 002) into our models.

Version 2 sends enums as PascalCase strings and may add values at any time (seed 002,
"Enums and responses"): every enum is read into a ``StrEnum`` whose ``UNKNOWN`` member
takes whatever is new, and odd fields become ``None``; an item that cannot be read at
all (no id) is left out of its list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from functools import wraps
import re
from typing import Any, TypedDict

from ..errors import InvalidResponseError
from ..models import (
    ChargeState,
    ChargingLocation,
    LocationAddress,
    PriceDataType,
    PricePoint,
    SolarEnergyPoint,
    Vehicle,
    VehicleState,
    Weekday,
    note_unknown,
)
from ..parse import (
    LATITUDE,
    LONGITUDE,
    PERCENT,
    POWER_KW,
    PRICE,
    RANGE_KM,
    SESSION_KWH,
    SOLAR_KWH,
    Fields,
    Plausible,
    as_currency,
    as_float,
    as_id,
    as_object,
    as_objects,
    as_str,
    as_utc,
    object_or_empty,
    object_or_none,
)
from .models import (
    ACTION_MESSAGE_TYPES,
    CalibrationState,
    JedlixCharger,
    JedlixChargerState,
    Message,
    MessageType,
    NotificationType,
    Session,
    SessionStatus,
    Tariff,
    TariffInterval,
    TariffSettings,
    TariffType,
)

type Parser[T] = Callable[[Mapping[str, Any]], T | None]


_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def fmt_time(when: datetime) -> str:
    """A moment as v2 writes it, ``yyyy-MM-ddTHH:mm:ss.fffZ`` (a naive one is UTC)."""
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def snake_case(raw: str) -> str:
    """``ForceEnded``/``forceEnded`` -> ``force_ended``, ``SMS`` -> ``sms``."""
    return _CAMEL_BOUNDARY.sub("_", raw.strip()).replace(" ", "_").replace("-", "_").lower()


def pascal_case(value: str) -> str:
    """``off_peak`` -> ``OffPeak``: how v2 spells the enums we send."""
    return "".join(part.capitalize() for part in value.split("_"))


def parse_enum[E: StrEnum](kind: str, enum: type[E], raw: Any) -> E | None:
    """The member for a v2 enum string; UNKNOWN (noted once) when new; None when absent.

    Every enum passed here has an ``unknown`` member.
    """
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip():
        try:
            return enum(snake_case(raw))
        except ValueError:
            pass
    note_unknown(kind, raw)
    return enum("unknown")


def _identified[T](parse: Callable[[Fields, str, Mapping[str, Any]], T]) -> Parser[T]:
    """A parser of an item that cannot be read at all without an id: None without one.

    ``parse`` gets the item's fields, its id and the body (for its nested objects).
    """

    @wraps(parse)
    def read(body: Mapping[str, Any]) -> T | None:
        fields = Fields(body)
        item_id = fields.id("id")
        return None if item_id is None else parse(fields, item_id, body)

    return read


def _charge_state(body: Mapping[str, Any]) -> ChargeState:
    """A car's or a charger's ``chargeState`` (both use the one enumeration)."""
    return (
        parse_enum("Jedlix chargeState", ChargeState, body.get("chargeState"))
        or ChargeState.UNKNOWN
    )


def parse_vehicle_state(body: Mapping[str, Any]) -> VehicleState:
    """A car's ``chargeState`` object (also the answer of ``/vehicles/{id}/state``)."""
    fields = Fields(body)
    return VehicleState(
        battery_level=fields.number("batteryLevel", PERCENT),
        range_km=fields.number("range", RANGE_KM),
        charge_state=_charge_state(body),
        updated_at=fields.utc("updatedAt"),
    )


def _capabilities(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item)


@_identified
def parse_vehicle(fields: Fields, vehicle_id: str, body: Mapping[str, Any]) -> Vehicle:
    """A car; None when it has no id."""
    details = Fields(object_or_empty(body.get("details")))
    return Vehicle(
        id=vehicle_id,
        brand=details.text("brand"),
        model=details.text("model"),
        version=details.text("version"),
        is_connected=fields.flag("isConnected"),
        is_connectable=fields.flag("isConnectable"),
        capabilities=_capabilities(body.get("capabilities")),
        # A car that sends no state has an unknown one (every field None, UNKNOWN).
        state=parse_vehicle_state(object_or_empty(body.get("chargeState"))),
        desired_state_of_charge=fields.number("desiredStateOfCharge", PERCENT),
        departure_time=fields.utc("departureTime"),
        created_at=fields.utc("createdAt"),
    )


def parse_charger_state(body: Mapping[str, Any]) -> JedlixChargerState:
    """A charger's ``chargerState`` (also the answer of ``/chargers/{id}/state``)."""
    fields = Fields(body)
    return JedlixChargerState(
        charge_state=_charge_state(body),
        power_kw=fields.number("chargePower", POWER_KW),
        updated_at=fields.utc("timeStamp"),
    )


@_identified
def parse_charger(fields: Fields, charger_id: str, body: Mapping[str, Any]) -> JedlixCharger:
    """A charger; None when it has no id."""
    detail = Fields(object_or_empty(body.get("detail")))
    state = object_or_none(body.get("chargerState"))
    return JedlixCharger(
        id=charger_id,
        charging_location_id=fields.id("chargingLocationId"),
        brand=detail.text("brand"),
        model=detail.text("model"),
        state=parse_charger_state(state) if state is not None else None,
    )


def _address(value: Any) -> LocationAddress | None:
    if not isinstance(value, dict):
        return None
    fields = Fields(value)
    return LocationAddress(
        street=fields.text("street"),
        house_number=fields.text("houseNumber"),
        postal_code=fields.text("postalCode"),
        city=fields.text("city"),
        region=fields.text("region"),
        country=fields.text("country"),
        area=fields.text("area"),
    )


def _coordinates(value: Any) -> tuple[float | None, float | None]:
    """A location's latitude and longitude, each None when missing or out of range."""
    coordinates = Fields(object_or_empty(value))
    return coordinates.number("latitude", LATITUDE), coordinates.number("longitude", LONGITUDE)


@_identified
def parse_location(fields: Fields, location_id: str, body: Mapping[str, Any]) -> ChargingLocation:
    """A charging location; None when it has no id."""
    latitude, longitude = _coordinates(body.get("coordinates"))
    return ChargingLocation(
        id=location_id,
        user_id=fields.text("userId"),
        address=_address(body.get("address")),
        latitude=latitude,
        longitude=longitude,
        created_at=fields.utc("createdAt"),
        updated_at=fields.utc("updatedAt"),
    )


@_identified
def parse_session(fields: Fields, session_id: str, body: Mapping[str, Any]) -> Session:
    """A session; None when it has no id. calibrationState is None when not sent."""
    return Session(
        id=session_id,
        status=parse_enum("Jedlix session status", SessionStatus, body.get("status"))
        or SessionStatus.UNKNOWN,
        user_id=fields.text("userId"),
        vehicle_id=fields.id("vehicleId"),
        charging_location_id=fields.id("chargingLocationId"),
        charger_id=fields.id("chargerId"),
        calibration_state=parse_enum(
            "Jedlix calibrationState", CalibrationState, body.get("calibrationState")
        ),
        start=fields.utc("startTime"),
        end=fields.utc("endTime"),
        energy_kwh=fields.number("chargedEnergy", SESSION_KWH),
        start_battery_level=fields.number("startBatteryLevel", PERCENT),
        battery_level=fields.number("batteryLevel", PERCENT),
        desired_state_of_charge=fields.number("desiredStateOfCharge", PERCENT),
        departure_time=fields.utc("departureTime"),
        updated_at=fields.utc("updatedAt"),
    )


def _tariff_type(raw: Any) -> TariffType:
    return parse_enum("Jedlix tariff type", TariffType, raw) or TariffType.UNKNOWN


def _days(value: Any) -> tuple[Weekday, ...]:
    """Days of an interval; a day name we cannot read is left out (and noted)."""
    days: list[Weekday] = []
    for item in value if isinstance(value, list) else []:
        try:
            days.append(Weekday(snake_case(item)))
        except AttributeError, ValueError:
            note_unknown("Jedlix day of week", item)
    return tuple(days)


def _tariff_intervals(value: Any) -> tuple[TariffInterval, ...]:
    intervals: list[TariffInterval] = []
    for item in as_objects(value):
        start, end = as_str(item.get("startTime")), as_str(item.get("endTime"))
        if start is not None and end is not None:
            intervals.append(
                TariffInterval(
                    start_time=start,
                    end_time=end,
                    days_of_week=_days(item.get("daysOfWeek")),
                    tariff_type=_tariff_type(item.get("tariffType")),
                )
            )
    return tuple(intervals)


def parse_tariff_settings(body: Mapping[str, Any]) -> TariffSettings:
    """A location's tariff settings (GET, and the answer of PUT/POST).

    The fields are those of "Create tariff settings v2" (``reference/createtariffs``):
    ``tariffs``, ``tariffIntervals``, ``holidayTariffIntervals``, ``offPeakChargingOnly``.
    """
    tariffs: list[Tariff] = []
    for item in as_objects(body.get("tariffs")):
        price = as_float(item.get("price"), PRICE)
        if price is not None:
            tariffs.append(
                Tariff(
                    type=_tariff_type(item.get("type")),
                    price=price,
                    currency=as_str(item.get("currency")) or "",
                )
            )
    holidays = body.get("holidayTariffIntervals")
    off_peak_only = body.get("offPeakChargingOnly")
    return TariffSettings(
        charging_location_id=as_id(body.get("chargingLocationId")),
        tariffs=tuple(tariffs),
        intervals=_tariff_intervals(body.get("tariffIntervals")),
        holiday_intervals=_tariff_intervals(holidays) if isinstance(holidays, list) else None,
        off_peak_charging_only=off_peak_only if isinstance(off_peak_only, bool) else None,
        updated_at=as_utc(body.get("updatedAt")),
    )


def _data_type(raw: Any) -> PriceDataType:
    return parse_enum("Jedlix dataType", PriceDataType, raw) or PriceDataType.UNKNOWN


class _Window(TypedDict):
    """The window a price or an amount of solar energy holds for (``EnergyWindow``)."""

    start: datetime
    end: datetime | None
    data_type: PriceDataType


def _window(
    body: Mapping[str, Any], amount: str, plausible: Plausible
) -> tuple[_Window, float] | None:
    """A point's window and its ``amount``; None without a start or an amount."""
    fields = Fields(body)
    start, value = fields.utc("startTime"), fields.number(amount, plausible)
    if start is None or value is None:
        return None
    window = _Window(
        start=start, end=fields.utc("endTime"), data_type=_data_type(body.get("dataType"))
    )
    return window, value


def parse_price_point(body: Mapping[str, Any]) -> PricePoint | None:
    """One hour of a dynamic tariff; None without a start or a price."""
    read = _window(body, "price", PRICE)
    if read is None:
        return None
    window, price = read
    return PricePoint(**window, price=price, currency=as_currency(body.get("currency")))


def parse_solar_point(body: Mapping[str, Any]) -> SolarEnergyPoint | None:
    """One window of solar energy; None without a start or an amount."""
    read = _window(body, "energy", SOLAR_KWH)
    return None if read is None else SolarEnergyPoint(**read[0], energy_kwh=read[1])


@_identified
def parse_message(fields: Fields, message_id: str, body: Mapping[str, Any]) -> Message:
    """A message; None when it has no id.

    A type we do not know needs action when it comes as a banner: Jedlix shows account
    problems that way, and a missed problem costs more than an extra notice.
    """
    raw_type = fields.text("type")
    kind = parse_enum("Jedlix message type", MessageType, body.get("type")) or MessageType.UNKNOWN
    notification = (
        parse_enum("Jedlix notificationType", NotificationType, body.get("notificationType"))
        or NotificationType.UNKNOWN
    )
    if kind is MessageType.UNKNOWN:
        needs_action = notification is NotificationType.BANNER
    else:
        needs_action = kind in ACTION_MESSAGE_TYPES
    dismissed_at = fields.utc("dismissedAt")
    return Message(
        id=message_id,
        type=kind,
        type_raw=raw_type,
        notification_type=notification,
        title=fields.text("title"),
        body=fields.text("body"),
        created_at=fields.utc("createdAt"),
        is_dismissed=fields.flag("isDismissed") or dismissed_at is not None,
        dismissed_at=dismissed_at,
        vehicle_id=fields.id("vehicleId"),
        charging_location_id=fields.id("chargingLocationId"),
        needs_action=needs_action,
    )


def one[T](body: Any, what: str, parse: Parser[T]) -> T:
    """The one ``what`` an answer is; an answer that is not an object, or has no id, is invalid."""
    item = parse(as_object(body, what))
    if item is None:
        raise InvalidResponseError(f"the {what} has no id")
    return item


def parsed[T](items: list[dict[str, Any]], parse: Parser[T]) -> list[T]:
    """Items through ``parse``, leaving out those it could not read (None)."""
    return [value for item in items if (value := parse(item)) is not None]
