"""Client for the Jedlix Smart Charging API, version 2 (seed 002, ``apis.md``).

Every call sends the user's bearer token (or a management token from the OAuth2
client-credentials grant) and the tenant's ``ApiKey``. Lists that the API pages are read
to the end in pages of 100, the most v2 allows, so a refresh costs as few requests as
the API permits.

Version 2 sends enums as PascalCase strings and may add values at any time (seed 002,
"Enums and responses"): every enum is read into a neutral ``StrEnum`` whose ``UNKNOWN``
member takes whatever is new, and odd fields become ``None``; only a response of the
wrong shape altogether is an :class:`InvalidResponseError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import json
import logging
import math
import re
import time
from typing import Any, Final
from urllib.parse import quote, urlsplit

import aiohttp

from .base import Account, CloudClient, hashed_id
from .errors import (
    AuthError,
    CloudConnectionError,
    CloudTimeoutError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)
from .http import DEFAULT_TIMEOUT, HttpCore, parse_retry_after
from .models import (
    ACTION_MESSAGE_TYPES,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    WEEKDAYS,
    CalibrationState,
    ChargeState,
    ChargingLocation,
    JedlixCharger,
    JedlixChargerState,
    LocationAddress,
    Message,
    MessageType,
    NotificationType,
    PriceDataType,
    PricePoint,
    Session,
    SessionStatus,
    SolarEnergyPoint,
    Tariff,
    TariffInterval,
    TariffSettings,
    TariffType,
    Vehicle,
    VehicleState,
    Weekday,
    hhmm_minutes,
    note_unknown,
)
from .parse import as_bool, as_datetime, as_float, as_int, as_list, as_object, as_str

_LOGGER = logging.getLogger(__name__)

API: Final = "/api/v2"
# v2 answers 400 to a larger page (seed 002, "Paging").
PAGE_SIZE: Final = 100
# Dynamic tariffs and solar energy answer at most this long a window per request.
MAX_WINDOW: Final = timedelta(days=7)
# Ask for a new management token this long before the old one expires.
TOKEN_MARGIN: Final = 60.0
# A cloud that reports no page count is still not followed for ever.
_MAX_PAGES: Final = 1000

type Parser[T] = Callable[[Mapping[str, Any]], T | None]

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


# --- wire helpers ----------------------------------------------------------------------------


def fmt_time(when: datetime) -> str:
    """A moment as v2 writes it, ``yyyy-MM-ddTHH:mm:ss.fffZ`` (a naive one is UTC)."""
    utc = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def _time(value: Any) -> datetime | None:
    """An aware UTC datetime, or None for anything unreadable."""
    parsed = as_datetime(value)
    return parsed.astimezone(UTC) if parsed is not None else None


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


def _objects(items: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list; anything else in it (or instead of it) is skipped."""
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


def _object_or_none(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


# --- parsing ---------------------------------------------------------------------------------


def parse_vehicle_state(body: Mapping[str, Any]) -> VehicleState:
    """A car's ``chargeState`` object (also the answer of ``/vehicles/{id}/state``)."""
    return VehicleState(
        battery_level=as_float(body.get("batteryLevel")),
        range_km=as_float(body.get("range")),
        charge_state=parse_enum("Jedlix chargeState", ChargeState, body.get("chargeState"))
        or ChargeState.UNKNOWN,
        updated_at=_time(body.get("updatedAt")),
    )


def _capabilities(value: Any) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(item for item in value if isinstance(item, str) and item)


def parse_vehicle(body: Mapping[str, Any]) -> Vehicle | None:
    """A car; None when it has no id."""
    vehicle_id = as_str(body.get("id"))
    if vehicle_id is None:
        return None
    details = _object_or_none(body.get("details")) or {}
    state = _object_or_none(body.get("chargeState"))
    return Vehicle(
        id=vehicle_id,
        brand=as_str(details.get("brand")),
        model=as_str(details.get("model")),
        version=as_str(details.get("version")),
        is_connected=as_bool(body.get("isConnected")),
        is_connectable=as_bool(body.get("isConnectable")),
        capabilities=_capabilities(body.get("capabilities")),
        state=parse_vehicle_state(state) if state is not None else VehicleState(),
        desired_state_of_charge=as_float(body.get("desiredStateOfCharge")),
        departure_time=_time(body.get("departureTime")),
        created_at=_time(body.get("createdAt")),
    )


def parse_charger_state(body: Mapping[str, Any]) -> JedlixChargerState:
    """A charger's ``chargerState`` (also the answer of ``/chargers/{id}/state``)."""
    return JedlixChargerState(
        charge_state=parse_enum("Jedlix chargeState", ChargeState, body.get("chargeState"))
        or ChargeState.UNKNOWN,
        power_kw=as_float(body.get("chargePower")),
        updated_at=_time(body.get("timeStamp")),
    )


def parse_charger(body: Mapping[str, Any]) -> JedlixCharger | None:
    """A charger; None when it has no id."""
    charger_id = as_str(body.get("id"))
    if charger_id is None:
        return None
    detail = _object_or_none(body.get("detail")) or {}
    state = _object_or_none(body.get("chargerState"))
    return JedlixCharger(
        id=charger_id,
        charging_location_id=as_str(body.get("chargingLocationId")),
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
    location_id = as_str(body.get("id"))
    if location_id is None:
        return None
    coordinates = _object_or_none(body.get("coordinates")) or {}
    return ChargingLocation(
        id=location_id,
        user_id=as_str(body.get("userId")),
        address=_address(body.get("address")),
        latitude=as_float(coordinates.get("latitude")),
        longitude=as_float(coordinates.get("longitude")),
        created_at=_time(body.get("createdAt")),
        updated_at=_time(body.get("updatedAt")),
    )


def parse_session(body: Mapping[str, Any]) -> Session | None:
    """A session; None when it has no id. calibrationState is None when not sent."""
    session_id = as_str(body.get("id"))
    if session_id is None:
        return None
    return Session(
        id=session_id,
        status=parse_enum("Jedlix session status", SessionStatus, body.get("status"))
        or SessionStatus.UNKNOWN,
        user_id=as_str(body.get("userId")),
        vehicle_id=as_str(body.get("vehicleId")),
        charging_location_id=as_str(body.get("chargingLocationId")),
        charger_id=as_str(body.get("chargerId")),
        calibration_state=parse_enum(
            "Jedlix calibrationState", CalibrationState, body.get("calibrationState")
        ),
        start=_time(body.get("startTime")),
        end=_time(body.get("endTime")),
        energy_kwh=as_float(body.get("chargedEnergy")),
        start_battery_level=as_float(body.get("startBatteryLevel")),
        battery_level=as_float(body.get("batteryLevel")),
        desired_state_of_charge=as_float(body.get("desiredStateOfCharge")),
        departure_time=_time(body.get("departureTime")),
        updated_at=_time(body.get("updatedAt")),
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


def parse_tariff_settings(body: Mapping[str, Any]) -> TariffSettings:
    """A location's tariffs and intervals (GET, and the answer of PUT/POST)."""
    tariffs: list[Tariff] = []
    for item in _objects(body.get("tariffs")):
        price = as_float(item.get("price"))
        if price is not None:
            tariffs.append(
                Tariff(
                    type=_tariff_type(item.get("type")),
                    price=price,
                    currency=as_str(item.get("currency")) or "",
                )
            )
    intervals: list[TariffInterval] = []
    for item in _objects(body.get("intervals")):
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
    return TariffSettings(
        charging_location_id=as_str(body.get("chargingLocationId")),
        tariffs=tuple(tariffs),
        intervals=tuple(intervals),
        updated_at=_time(body.get("updatedAt")),
    )


def _data_type(raw: Any) -> PriceDataType:
    return parse_enum("Jedlix dataType", PriceDataType, raw) or PriceDataType.UNKNOWN


def parse_price_point(body: Mapping[str, Any]) -> PricePoint | None:
    """One hour of a dynamic tariff; None without a start or a price."""
    start, price = _time(body.get("startTime")), as_float(body.get("price"))
    if start is None or price is None:
        return None
    return PricePoint(
        start=start,
        end=_time(body.get("endTime")),
        price=price,
        currency=as_str(body.get("currency")),
        data_type=_data_type(body.get("dataType")),
    )


def parse_solar_point(body: Mapping[str, Any]) -> SolarEnergyPoint | None:
    """One window of solar energy; None without a start or an amount."""
    start, energy = _time(body.get("startTime")), as_float(body.get("energy"))
    if start is None or energy is None:
        return None
    return SolarEnergyPoint(
        start=start,
        end=_time(body.get("endTime")),
        energy_kwh=energy,
        data_type=_data_type(body.get("dataType")),
    )


def parse_message(body: Mapping[str, Any]) -> Message | None:
    """A message; None when it has no id.

    A type we do not know needs action when it comes as a banner: Jedlix shows account
    problems that way, and a missed problem costs more than an extra notice.
    """
    message_id = as_str(body.get("id"))
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
    dismissed_at = _time(body.get("dismissedAt"))
    return Message(
        id=message_id,
        type=kind,
        type_raw=raw_type,
        notification_type=notification,
        title=as_str(body.get("title")),
        body=as_str(body.get("body")),
        created_at=_time(body.get("createdAt")),
        is_dismissed=as_bool(body.get("isDismissed")) or dismissed_at is not None,
        dismissed_at=dismissed_at,
        vehicle_id=as_str(body.get("vehicleId")),
        charging_location_id=as_str(body.get("chargingLocationId")),
        needs_action=needs_action,
    )


def _parsed[T](items: list[dict[str, Any]], parse: Parser[T]) -> list[T]:
    """Items through ``parse``, leaving out those it could not read (None)."""
    return [value for item in items if (value := parse(item)) is not None]


# --- tariff validation -----------------------------------------------------------------------


class TariffReason(StrEnum):
    """Why a tariff write was refused before sending; the integration translates each key.

    Placeholders (always strings) are listed in :data:`TARIFF_REASON_PLACEHOLDERS`;
    ``position`` is the 1-based place of the tariff or interval in what was given.
    """

    NO_TARIFFS = "no_tariffs"
    UNKNOWN_TARIFF_TYPE = "unknown_tariff_type"
    INVALID_PRICE = "invalid_price"
    NEGATIVE_PRICE = "negative_price"
    INVALID_CURRENCY = "invalid_currency"
    DUPLICATE_TARIFF_TYPE = "duplicate_tariff_type"
    EXCLUSIVE_TARIFF_TYPE = "exclusive_tariff_type"
    NO_INTERVALS = "no_intervals"
    INVALID_TIME = "invalid_time"
    NO_DAYS = "no_days"
    DUPLICATE_DAY = "duplicate_day"
    INTERVAL_WITHOUT_TARIFF = "interval_without_tariff"
    WEEK_NOT_COVERED = "week_not_covered"
    INTERVALS_OVERLAP = "intervals_overlap"


TARIFF_REASON_PLACEHOLDERS: Final[Mapping[TariffReason, tuple[str, ...]]] = {
    TariffReason.NO_TARIFFS: (),
    TariffReason.UNKNOWN_TARIFF_TYPE: ("position",),
    TariffReason.INVALID_PRICE: ("type", "price"),
    TariffReason.NEGATIVE_PRICE: ("type", "price"),
    TariffReason.INVALID_CURRENCY: ("type", "currency"),
    TariffReason.DUPLICATE_TARIFF_TYPE: ("type",),
    TariffReason.EXCLUSIVE_TARIFF_TYPE: ("type",),
    TariffReason.NO_INTERVALS: (),
    TariffReason.INVALID_TIME: ("position", "time"),
    TariffReason.NO_DAYS: ("position",),
    TariffReason.DUPLICATE_DAY: ("position", "day"),
    TariffReason.INTERVAL_WITHOUT_TARIFF: ("position", "type"),
    TariffReason.WEEK_NOT_COVERED: ("day", "time"),
    TariffReason.INTERVALS_OVERLAP: ("day", "time"),
}
# Standard and Dynamic price every minute alone; the peak types combine (seed, apis.md).
EXCLUSIVE_TARIFF_TYPES: Final = frozenset({TariffType.STANDARD, TariffType.DYNAMIC})


class TariffError(ValueError):
    """A tariff write refused before anything was sent.

    ``field`` is ``tariffs`` or ``intervals``, ``reason`` a :class:`TariffReason` value,
    ``placeholders`` fill the translated message.
    """

    def __init__(
        self, field: str, reason: TariffReason, placeholders: Mapping[str, str] | None = None
    ) -> None:
        self.field = field
        self.reason = reason
        self.placeholders: dict[str, str] = dict(placeholders or {})
        super().__init__(f"{field}: {reason.value} {self.placeholders}".rstrip(" {}"))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_tariff(position: int, tariff: Tariff) -> None:
    kind = tariff.type.value
    if tariff.type is TariffType.UNKNOWN:
        raise TariffError("tariffs", TariffReason.UNKNOWN_TARIFF_TYPE, {"position": str(position)})
    price: object = tariff.price
    if not _is_number(price):
        raise TariffError(
            "tariffs", TariffReason.INVALID_PRICE, {"type": kind, "price": str(price)}
        )
    if tariff.price < 0:
        raise TariffError(
            "tariffs", TariffReason.NEGATIVE_PRICE, {"type": kind, "price": str(price)}
        )
    currency = tariff.currency
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise TariffError(
            "tariffs", TariffReason.INVALID_CURRENCY, {"type": kind, "currency": currency}
        )


def _check_combination(tariffs: Sequence[Tariff]) -> None:
    kinds = [tariff.type for tariff in tariffs]
    for kind in kinds:
        if kinds.count(kind) > 1:
            raise TariffError("tariffs", TariffReason.DUPLICATE_TARIFF_TYPE, {"type": kind.value})
    for kind in kinds:
        if kind in EXCLUSIVE_TARIFF_TYPES and len(kinds) > 1:
            raise TariffError("tariffs", TariffReason.EXCLUSIVE_TARIFF_TYPE, {"type": kind.value})


def _check_interval(position: int, interval: TariffInterval, types: set[TariffType]) -> None:
    where = {"position": str(position)}
    if hhmm_minutes(interval.start_time) is None:
        raise TariffError(
            "intervals", TariffReason.INVALID_TIME, where | {"time": interval.start_time}
        )
    if hhmm_minutes(interval.end_time, end=True) is None:
        raise TariffError(
            "intervals", TariffReason.INVALID_TIME, where | {"time": interval.end_time}
        )
    if not interval.days_of_week:
        raise TariffError("intervals", TariffReason.NO_DAYS, where)
    for day in interval.days_of_week:
        if interval.days_of_week.count(day) > 1:
            raise TariffError("intervals", TariffReason.DUPLICATE_DAY, where | {"day": day.value})
    if interval.tariff_type not in types:
        raise TariffError(
            "intervals",
            TariffReason.INTERVAL_WITHOUT_TARIFF,
            where | {"type": interval.tariff_type.value},
        )


def _minute_text(minute: int) -> dict[str, str]:
    day, rest = divmod(minute, MINUTES_PER_DAY)
    return {"day": WEEKDAYS[day].value, "time": f"{rest // 60:02d}:{rest % 60:02d}"}


def _check_week(intervals: Sequence[TariffInterval]) -> None:
    """Every minute of the week has exactly one interval: the first gap, else overlap."""
    change = [0] * (MINUTES_PER_WEEK + 1)
    for interval in intervals:
        for low, high in interval.week_ranges():
            change[low] += 1
            change[high] -= 1
    cover, gap, overlap = 0, None, None
    for minute in range(MINUTES_PER_WEEK):
        cover += change[minute]
        if cover == 0 and gap is None:
            gap = minute
        elif cover > 1 and overlap is None:
            overlap = minute
    if gap is not None:
        raise TariffError("intervals", TariffReason.WEEK_NOT_COVERED, _minute_text(gap))
    if overlap is not None:
        raise TariffError("intervals", TariffReason.INTERVALS_OVERLAP, _minute_text(overlap))


def validate_tariffs(tariffs: Sequence[Tariff], intervals: Sequence[TariffInterval]) -> None:
    """Refuse what the API refuses, before sending: raise the first :class:`TariffError`.

    The rules are the cloud's (``apis.md``): Standard or Dynamic alone, the peak types
    once each, prices not negative, intervals in ``HH:mm`` of known tariffs that cover
    every minute of the week exactly once.
    """
    if not tariffs:
        raise TariffError("tariffs", TariffReason.NO_TARIFFS)
    for position, tariff in enumerate(tariffs, start=1):
        _check_tariff(position, tariff)
    _check_combination(tariffs)
    if not intervals:
        raise TariffError("intervals", TariffReason.NO_INTERVALS)
    types = {tariff.type for tariff in tariffs}
    for position, interval in enumerate(intervals, start=1):
        _check_interval(position, interval, types)
    _check_week(intervals)


def tariff_body(tariffs: Sequence[Tariff], intervals: Sequence[TariffInterval]) -> dict[str, Any]:
    """The v2 body of a tariff write."""
    return {
        "tariffs": [
            {"type": pascal_case(t.type.value), "price": t.price, "currency": t.currency}
            for t in tariffs
        ],
        "intervals": [
            {
                "startTime": i.start_time,
                "endTime": i.end_time,
                "daysOfWeek": [pascal_case(day.value) for day in i.days_of_week],
                "tariffType": pascal_case(i.tariff_type.value),
            }
            for i in intervals
        ],
    }


# --- the client ------------------------------------------------------------------------------


@dataclass
class _Grant:
    token: str
    expires_at: float  # time.monotonic()


def _windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` cut into back-to-back pieces the API answers in one request."""
    pieces = []
    while start < end:
        pieces.append((start, min(start + MAX_WINDOW, end)))
        start += MAX_WINDOW
    return pieces


class JedlixClient(CloudClient):
    """One Jedlix user, read and written with a user token or a management token.

    Give ``token`` (what the config flow asks for), or ``client_id`` and
    ``client_secret`` for the client-credentials grant: the client then fetches a
    management token, renews it before it expires, and once more when it is refused.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_key: str,
        user_id: str,
        token: str | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str | None = None,
    ) -> None:
        if token is None and not (client_id and client_secret):
            raise ValueError("give a token, or a client id and secret")
        super().__init__(HttpCore(session, base_url, headers=self._auth_headers))
        self.user_id = user_id
        self._session = session
        self._api_key = api_key
        self._token = token
        self._client = (client_id or "", client_secret or "") if token is None else None
        self._token_url = token_url or f"{self.http.base_url}/connect/token"
        self._grant: _Grant | None = None
        self._grant_lock = asyncio.Lock()

    # --- authentication ---------------------------------------------------------------------

    async def _auth_headers(self) -> dict[str, str]:
        token = self._token if self._token is not None else await self._management_token()
        return {"Authorization": f"Bearer {token}", "ApiKey": self._api_key}

    async def _management_token(self) -> str:
        async with self._grant_lock:
            grant = self._grant
            if grant is None or grant.expires_at - TOKEN_MARGIN < time.monotonic():
                grant = self._grant = await self._fetch_grant()
            return grant.token

    async def _fetch_grant(self) -> _Grant:
        """``POST connect/token`` with the client credentials (a form, as OAuth2 wants)."""
        assert self._client is not None
        client_id, secret = self._client
        form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
        }
        try:
            async with self._session.post(
                self._token_url,
                data=form,
                headers={"Accept": "application/json"},
                timeout=aiohttp.ClientTimeout(total=DEFAULT_TIMEOUT),
            ) as response:
                status, retry_after = response.status, response.headers.get("Retry-After")
                text = await response.text()
        except TimeoutError as err:
            raise CloudTimeoutError("token request timed out") from err
        except aiohttp.ClientError as err:
            raise CloudConnectionError(f"token request: {type(err).__name__}") from err
        _LOGGER.debug("POST connect/token -> %s", status)
        if status in (400, 401, 403):
            raise AuthError("the client credentials were refused")
        if status == 429:
            raise RateLimitedError(parse_retry_after(retry_after))
        if status >= 300:
            raise ServerError(status)
        try:
            grant = json.loads(text)
        except ValueError:
            grant = None
        if not isinstance(grant, dict):
            raise InvalidResponseError("the token answer is not a JSON object")
        token, lifetime = as_str(grant.get("access_token")), as_float(grant.get("expires_in"))
        if token is None:
            raise InvalidResponseError("the token answer had no access_token")
        return _Grant(token, time.monotonic() + (lifetime if lifetime is not None else 3600.0))

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; a management token the cloud refuses is renewed once.

        The token is fetched before the call, so a refused grant (wrong client secret)
        fails at once instead of being asked for twice.
        """
        if self._client is None:
            return await self.http.request(method, path, **kwargs)
        used = await self._management_token()
        try:
            return await self.http.request(method, path, **kwargs)
        except AuthError:
            async with self._grant_lock:
                if self._grant is not None and self._grant.token == used:
                    self._grant = None
            return await self.http.request(method, path, **kwargs)

    # --- paths and pages --------------------------------------------------------------------

    @property
    def _user(self) -> str:
        return f"{API}/users/{quote(self.user_id, safe='')}"

    def _location(self, location_id: str) -> str:
        return f"{self._user}/charging-locations/{quote(location_id, safe='')}"

    async def _pages(
        self,
        path: str,
        what: str,
        params: Mapping[str, str] | None = None,
        enough: Callable[[list[dict[str, Any]]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Every item of a paged list, in pages of 100: ``ceil(total / 100)`` requests.

        ``enough`` can end the reading early (see :meth:`_rest_of_pages`).
        """
        query = {**(params or {}), "pageSize": str(PAGE_SIZE)}
        first = await self._request("GET", path, params=query | {"pageIndex": "1"})
        return await self._rest_of_pages(path, what, query, as_object(first, what), enough)

    async def _rest_of_pages(
        self,
        path: str,
        what: str,
        query: dict[str, str],
        first: dict[str, Any],
        enough: Callable[[list[dict[str, Any]]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Follow the pages after ``first`` and drop items a shifting list shows twice.

        New items arrive at the front (newest first) while we read, pushing an item onto
        the next page; it is kept once. The page count comes from the first page, and a
        short page ends the list early, as does ``enough`` saying the items so far do.
        """
        size = as_int(first.get("pageSize")) or PAGE_SIZE
        total_pages = as_int(first.get("totalPages"))
        if total_pages is None:
            count = as_int(first.get("totalCount"))
            total_pages = math.ceil(count / size) if count is not None else _MAX_PAGES
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        page, index = first, 1
        while True:
            page_items = _objects(as_list(page.get("items"), f"{what} items"))
            for item in page_items:
                item_id = as_str(item.get("id"))
                if item_id is None or item_id not in seen:
                    items.append(item)
                    if item_id is not None:
                        seen.add(item_id)
            index += 1
            if index > min(total_pages, _MAX_PAGES) or len(page_items) < size:
                return items
            if enough is not None and enough(items):
                return items
            body = await self._request(
                "GET", path, params=query | {"pageSize": str(size), "pageIndex": str(index)}
            )
            page = as_object(body, what)

    async def _list(self, path: str, what: str) -> list[dict[str, Any]]:
        """A list v2 sends as an array, or as pages should a tenant send those."""
        body = await self._request("GET", path)
        if isinstance(body, list):
            return _objects(body)
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            return await self._rest_of_pages(path, what, {}, body)
        raise InvalidResponseError(f"{what} is not a list")

    async def _object(self, path: str, what: str, **kwargs: Any) -> dict[str, Any]:
        return as_object(await self._request("GET", path, **kwargs), what)

    # --- reading ----------------------------------------------------------------------------

    async def async_identify(self) -> Account:
        """Read the user."""
        await self._object(self._user, "the user")
        host = urlsplit(self.http.base_url).netloc
        return Account(unique_id=hashed_id("jedlix", host, self.user_id), title=f"Jedlix {host}")

    async def async_vehicles(self) -> list[Vehicle]:
        """The user's cars with their state (one request)."""
        items = await self._list(f"{self._user}/vehicles", "vehicles")
        return _parsed(items, parse_vehicle)

    async def async_vehicle(self, vehicle_id: str) -> Vehicle:
        """One car with its state."""
        body = await self._object(f"{self._user}/vehicles/{quote(vehicle_id, safe='')}", "vehicle")
        vehicle = parse_vehicle(body)
        if vehicle is None:
            raise InvalidResponseError("the vehicle has no id")
        return vehicle

    async def async_vehicle_state(self, vehicle_id: str) -> VehicleState:
        """Just a car's battery and charge state."""
        path = f"{self._user}/vehicles/{quote(vehicle_id, safe='')}/state"
        return parse_vehicle_state(await self._object(path, "vehicle state"))

    async def async_chargers(self) -> list[JedlixCharger]:
        """Every charger of the user with its state (one request)."""
        return _parsed(await self._list(f"{self._user}/chargers", "chargers"), parse_charger)

    async def async_location_chargers(self, location_id: str) -> list[JedlixCharger]:
        """The chargers of one charging location with their state (one request)."""
        items = await self._list(f"{self._location(location_id)}/chargers", "chargers")
        return _parsed(items, parse_charger)

    async def async_charger_state(self, location_id: str, charger_id: str) -> JedlixChargerState:
        """Just a charger's charge state and power."""
        path = f"{self._location(location_id)}/chargers/{quote(charger_id, safe='')}/state"
        return parse_charger_state(await self._object(path, "charger state"))

    async def async_charging_locations(self) -> list[ChargingLocation]:
        """The user's charging locations (one request)."""
        items = await self._list(f"{self._user}/charging-locations", "charging locations")
        return _parsed(items, parse_location)

    async def async_last_session(self, vehicle_id: str) -> Session | None:
        """The car's latest session (the active one while it is plugged in); None if none."""
        path = f"{self._user}/vehicles/{quote(vehicle_id, safe='')}/sessions/last"
        try:
            body = await self._object(path, "session")
        except NotFoundError:
            return None
        return parse_session(body)

    async def async_latest_sessions(self, vehicle_ids: Collection[str]) -> dict[str, Session]:
        """Each car's latest session, from the user's sessions (newest first).

        Pages are read only until every car has one, so a fleet costs a few requests
        rather than one per car; a car missing from the answer has never charged.
        """
        wanted = set(vehicle_ids)
        latest: dict[str, Session] = {}
        looked_at = 0

        def every_car_found(items: list[dict[str, Any]]) -> bool:
            nonlocal looked_at
            for item in items[looked_at:]:
                session = parse_session(item)
                vehicle = session.vehicle_id if session else None
                if session and vehicle in wanted and vehicle not in latest:
                    latest[vehicle] = session
            looked_at = len(items)
            return latest.keys() >= wanted

        # The last page read is not offered to ``every_car_found``: look at it here.
        every_car_found(
            await self._pages(f"{self._user}/sessions", "sessions", enough=every_car_found)
        )
        return latest

    async def async_session(self, session_id: str) -> Session:
        """One session."""
        body = await self._object(f"{self._user}/sessions/{quote(session_id, safe='')}", "session")
        session = parse_session(body)
        if session is None:
            raise InvalidResponseError("the session has no id")
        return session

    async def async_sessions(
        self,
        *,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        end_from: datetime | None = None,
        end_to: datetime | None = None,
    ) -> list[Session]:
        """The user's sessions, newest first, every page (ranges are ``[from, to)``).

        A session still running has no end, so an end bound leaves it out.
        """
        bounds = {
            "startTimeFrom": start_from,
            "startTimeTo": start_to,
            "endTimeFrom": end_from,
            "endTimeTo": end_to,
        }
        params = {name: fmt_time(when) for name, when in bounds.items() if when is not None}
        items = await self._pages(f"{self._user}/sessions", "sessions", params)
        return _parsed(items, parse_session)

    async def async_tariffs(self, location_id: str) -> TariffSettings | None:
        """A location's tariffs and weekly plan; None when it has none yet."""
        try:
            body = await self._object(f"{self._location(location_id)}/tariffs", "tariffs")
        except NotFoundError:
            return None
        return parse_tariff_settings(body)

    async def async_dynamic_tariffs(
        self, location_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[PricePoint]:
        """Hourly prices, Actual or Forecast, oldest first.

        Without a window the cloud gives the location's today and tomorrow in one
        request; a window longer than 7 days takes one request per 7 days.
        """
        path = f"{self._location(location_id)}/dynamic-tariffs"
        if start is None or end is None:
            items = await self._list(path, "dynamic tariffs")
            return _parsed(items, parse_price_point)
        return await self._windowed(path, "dynamic tariffs", start, end, parse_price_point)

    async def async_solar_energy(
        self, location_id: str, start: datetime, end: datetime
    ) -> list[SolarEnergyPoint]:
        """Solar energy per hour in ``[start, end)``: one request per 7 days."""
        path = f"{self._location(location_id)}/solar-energy"
        return await self._windowed(path, "solar energy", start, end, parse_solar_point)

    async def _windowed[T](
        self, path: str, what: str, start: datetime, end: datetime, parse: Parser[T]
    ) -> list[T]:
        found: list[T] = []
        for low, high in _windows(start, end):
            body = await self._request(
                "GET", path, params={"startTime": fmt_time(low), "endTime": fmt_time(high)}
            )
            found += _parsed(_objects(as_list(body, what)), parse)
        return found

    async def async_messages(self, *, include_dismissed: bool = False) -> list[Message]:
        """The user's messages, newest first, every page; dismissed ones only if asked."""
        params = {"includeDismissed": "true" if include_dismissed else "false"}
        items = await self._pages(f"{self._user}/messages", "messages", params)
        return _parsed(items, parse_message)

    async def async_message(self, message_id: str) -> Message:
        """One message."""
        body = await self._object(f"{self._user}/messages/{quote(message_id, safe='')}", "message")
        message = parse_message(body)
        if message is None:
            raise InvalidResponseError("the message has no id")
        return message

    # --- writing ----------------------------------------------------------------------------

    async def async_set_tariffs(
        self, location_id: str, tariffs: Sequence[Tariff], intervals: Sequence[TariffInterval]
    ) -> TariffSettings:
        """Replace a location's tariffs, or create them where it has none.

        Validated first (:func:`validate_tariffs`), so nothing is sent on a mistake. PUT
        replaces existing settings and answers 404 where there are none; then POST
        creates them (which would answer 409 where there are some). One request when the
        location has tariffs, two when it has none. Returns what the cloud stored.
        """
        validate_tariffs(tariffs, intervals)
        path = f"{self._location(location_id)}/tariffs"
        body = tariff_body(tariffs, intervals)
        try:
            answer = await self._request("PUT", path, json_body=body)
        except NotFoundError:
            answer = await self._request("POST", path, json_body=body)
        return parse_tariff_settings(as_object(answer, "tariffs"))

    async def async_dismiss_message(self, message_id: str) -> Message:
        """Dismiss a message (dismissing twice is fine); returns it as the cloud has it."""
        path = f"{self._user}/messages/{quote(message_id, safe='')}"
        body = await self._request("PATCH", path, json_body={"isDismissed": True})
        message = parse_message(as_object(body, "message"))
        if message is None:
            raise InvalidResponseError("the message has no id")
        return message
