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
import math
import re
from typing import Any

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
    ITEMS,
    LATITUDE,
    LONGITUDE,
    PAGE_SIZE,
    PAGES,
    PERCENT,
    POWER_KW,
    PRICE,
    RANGE_KM,
    SESSION_KWH,
    SOLAR_KWH,
    as_bool,
    as_currency,
    as_float,
    as_id,
    as_int,
    as_object,
    as_objects,
    as_str,
    as_utc,
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


def parse_vehicle_state(body: Mapping[str, Any]) -> VehicleState:
    """A car's ``chargeState`` object (also the answer of ``/vehicles/{id}/state``)."""
    return VehicleState(
        battery_level=as_float(body.get("batteryLevel"), PERCENT),
        range_km=as_float(body.get("range"), RANGE_KM),
        charge_state=parse_enum("Jedlix chargeState", ChargeState, body.get("chargeState"))
        or ChargeState.UNKNOWN,
        updated_at=as_utc(body.get("updatedAt")),
    )


def _capabilities(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item)


def parse_vehicle(body: Mapping[str, Any]) -> Vehicle | None:
    """A car; None when it has no id."""
    vehicle_id = as_id(body.get("id"))
    if vehicle_id is None:
        return None
    details = object_or_none(body.get("details")) or {}
    state = object_or_none(body.get("chargeState"))
    return Vehicle(
        id=vehicle_id,
        brand=as_str(details.get("brand")),
        model=as_str(details.get("model")),
        version=as_str(details.get("version")),
        is_connected=as_bool(body.get("isConnected")),
        is_connectable=as_bool(body.get("isConnectable")),
        capabilities=_capabilities(body.get("capabilities")),
        state=parse_vehicle_state(state) if state is not None else VehicleState(),
        desired_state_of_charge=as_float(body.get("desiredStateOfCharge"), PERCENT),
        departure_time=as_utc(body.get("departureTime")),
        created_at=as_utc(body.get("createdAt")),
    )


def parse_charger_state(body: Mapping[str, Any]) -> JedlixChargerState:
    """A charger's ``chargerState`` (also the answer of ``/chargers/{id}/state``)."""
    return JedlixChargerState(
        charge_state=parse_enum("Jedlix chargeState", ChargeState, body.get("chargeState"))
        or ChargeState.UNKNOWN,
        power_kw=as_float(body.get("chargePower"), POWER_KW),
        updated_at=as_utc(body.get("timeStamp")),
    )


def parse_charger(body: Mapping[str, Any]) -> JedlixCharger | None:
    """A charger; None when it has no id."""
    charger_id = as_id(body.get("id"))
    if charger_id is None:
        return None
    detail = object_or_none(body.get("detail")) or {}
    state = object_or_none(body.get("chargerState"))
    return JedlixCharger(
        id=charger_id,
        charging_location_id=as_id(body.get("chargingLocationId")),
        brand=as_str(detail.get("brand")),
        model=as_str(detail.get("model")),
        state=parse_charger_state(state) if state is not None else None,
    )


def _address(value: Any) -> LocationAddress | None:
    if not isinstance(value, dict):
        return None
    return LocationAddress(
        street=as_str(value.get("street")),
        house_number=as_str(value.get("houseNumber")),
        postal_code=as_str(value.get("postalCode")),
        city=as_str(value.get("city")),
        region=as_str(value.get("region")),
        country=as_str(value.get("country")),
        area=as_str(value.get("area")),
    )


def parse_location(body: Mapping[str, Any]) -> ChargingLocation | None:
    """A charging location; None when it has no id."""
    location_id = as_id(body.get("id"))
    if location_id is None:
        return None
    coordinates = object_or_none(body.get("coordinates")) or {}
    return ChargingLocation(
        id=location_id,
        user_id=as_str(body.get("userId")),
        address=_address(body.get("address")),
        latitude=as_float(coordinates.get("latitude"), LATITUDE),
        longitude=as_float(coordinates.get("longitude"), LONGITUDE),
        created_at=as_utc(body.get("createdAt")),
        updated_at=as_utc(body.get("updatedAt")),
    )


def parse_session(body: Mapping[str, Any]) -> Session | None:
    """A session; None when it has no id. calibrationState is None when not sent."""
    session_id = as_id(body.get("id"))
    if session_id is None:
        return None
    return Session(
        id=session_id,
        status=parse_enum("Jedlix session status", SessionStatus, body.get("status"))
        or SessionStatus.UNKNOWN,
        user_id=as_str(body.get("userId")),
        vehicle_id=as_id(body.get("vehicleId")),
        charging_location_id=as_id(body.get("chargingLocationId")),
        charger_id=as_id(body.get("chargerId")),
        calibration_state=parse_enum(
            "Jedlix calibrationState", CalibrationState, body.get("calibrationState")
        ),
        start=as_utc(body.get("startTime")),
        end=as_utc(body.get("endTime")),
        energy_kwh=as_float(body.get("chargedEnergy"), SESSION_KWH),
        start_battery_level=as_float(body.get("startBatteryLevel"), PERCENT),
        battery_level=as_float(body.get("batteryLevel"), PERCENT),
        desired_state_of_charge=as_float(body.get("desiredStateOfCharge"), PERCENT),
        departure_time=as_utc(body.get("departureTime")),
        updated_at=as_utc(body.get("updatedAt")),
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


def parse_price_point(body: Mapping[str, Any]) -> PricePoint | None:
    """One hour of a dynamic tariff; None without a start or a price."""
    start, price = as_utc(body.get("startTime")), as_float(body.get("price"), PRICE)
    if start is None or price is None:
        return None
    return PricePoint(
        start=start,
        end=as_utc(body.get("endTime")),
        price=price,
        currency=as_currency(body.get("currency")),
        data_type=_data_type(body.get("dataType")),
    )


def parse_solar_point(body: Mapping[str, Any]) -> SolarEnergyPoint | None:
    """One window of solar energy; None without a start or an amount."""
    start, energy = as_utc(body.get("startTime")), as_float(body.get("energy"), SOLAR_KWH)
    if start is None or energy is None:
        return None
    return SolarEnergyPoint(
        start=start,
        end=as_utc(body.get("endTime")),
        energy_kwh=energy,
        data_type=_data_type(body.get("dataType")),
    )


def parse_message(body: Mapping[str, Any]) -> Message | None:
    """A message; None when it has no id.

    A type we do not know needs action when it comes as a banner: Jedlix shows account
    problems that way, and a missed problem costs more than an extra notice.
    """
    message_id = as_id(body.get("id"))
    if message_id is None:
        return None
    raw_type = as_str(body.get("type"))
    kind = parse_enum("Jedlix message type", MessageType, body.get("type")) or MessageType.UNKNOWN
    notification = (
        parse_enum("Jedlix notificationType", NotificationType, body.get("notificationType"))
        or NotificationType.UNKNOWN
    )
    if kind is MessageType.UNKNOWN:
        needs_action = notification is NotificationType.BANNER
    else:
        needs_action = kind in ACTION_MESSAGE_TYPES
    dismissed_at = as_utc(body.get("dismissedAt"))
    return Message(
        id=message_id,
        type=kind,
        type_raw=raw_type,
        notification_type=notification,
        title=as_str(body.get("title")),
        body=as_str(body.get("body")),
        created_at=as_utc(body.get("createdAt")),
        is_dismissed=as_bool(body.get("isDismissed")) or dismissed_at is not None,
        dismissed_at=dismissed_at,
        vehicle_id=as_id(body.get("vehicleId")),
        charging_location_id=as_id(body.get("chargingLocationId")),
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


def page_plan(first: Mapping[str, Any], default_size: int, most: int) -> tuple[int, int]:
    """The page size and page count a paged answer reports (never more than ``most``)."""
    size = as_int(first.get("pageSize"), PAGE_SIZE) or default_size
    total = as_int(first.get("totalPages"), PAGES)
    if total is None:
        count = as_int(first.get("totalCount"), ITEMS)
        total = math.ceil(count / size) if count is not None else most
    return size, min(total, most)


def add_unseen(
    items: list[dict[str, Any]], seen: set[str], page_items: list[dict[str, Any]]
) -> None:
    """Add a page's items, leaving out those an earlier page showed (the list shifts).

    New items arrive at the front (newest first) while the pages are read, pushing an
    item onto the next page; it is kept once. Items without an id are all kept.
    """
    for item in page_items:
        item_id = as_str(item.get("id"))
        if item_id is None or item_id not in seen:
            items.append(item)
            if item_id is not None:
                seen.add(item_id)
