"""Client for the AMPECO public API (seed 000 and the OpenAPI 3.110.0 subset).

AMPECO is a white-label charge-point cloud: each tenant has its own host and hands out
API tokens. This client reads a tenant's charge points (with their personal smart charging
preferences and the modes they offer, in pages of 100), writes preferences, starts and
stops sessions and reads the sessions that run.

Where the user's guide (seed 000) and the vendor's contract disagree, the client speaks
the contract: a preference write is the bare variant (not the guide's ``{"data":
[variant]}``), energies are spelled ``minTargetChargeKwh``/``maxTargetChargeKwh``/
``targetChargeKwh``, ``solarStableTime`` and ``postCode`` have the contract's types, and
times go out as ``HH:MM`` (the server echoes ``HH:MM:SS``; both are read back).

Every write is checked by :mod:`.preferences` first, so nothing is sent for a mistake the
integration can see itself; what only the cloud can judge comes back as a 422
(:class:`~.errors.ValidationError` with the cloud's field messages).

Answers are read tolerantly: a value of the wrong type becomes None and an enumeration
value we have never seen becomes UNKNOWN (logged once); only an answer whose overall
shape is wrong raises :class:`~.errors.InvalidResponseError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
import logging
from typing import Any, Final
from urllib.parse import parse_qs, quote, urlsplit

import aiohttp

from .base import Account, CloudClient, hashed_id
from .errors import InvalidResponseError, RejectedError
from .http import HttpCore
from .models import Charger, Weekday, note_unknown
from .parse import as_bool, as_datetime, as_float, as_int, as_list, as_object, as_str
from .preferences import (
    CLOUD_MODES,
    DAY_AHEAD_MODES,
    OCTOPUS_MODES,
    AvailableMode,
    DynamicTariffPreferences,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
    WeekdayWindow,
    parse_time,
    validate_dynamic_tariff,
    validate_schedule,
    validate_solar,
)

_LOGGER = logging.getLogger(__name__)

API = "/public-api/resources"
CHARGE_POINTS = f"{API}/charge-points/v2.0"
SESSIONS = f"{API}/sessions/v1.0"
ACTIONS = "/public-api/actions/charge-point/v1.0"
# The largest page the API serves; a tenant with 250 charge points is read in 3 requests.
PER_PAGE: Final = 100
# A guard against a cloud whose cursors never end (100 000 items).
MAX_PAGES: Final = 1000
# Relations read with the charge point list, so one poll needs no request per charge point.
INCLUDE: Final = (
    "lastBootNotification",
    "personalSmartChargingPreferences",
    "availablePersonalSmartChargingModes",
)
REMOTE_START_STOP: Final = "remote_start_stop_capable"


class ChargePointStatus(StrEnum):
    """A charge point's connection and hardware state, in one value."""

    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    FAULTED = "faulted"
    OFFLINE = "offline"
    NEVER_CONNECTED = "never_connected"
    UNKNOWN = "unknown"


class EvseStatus(StrEnum):
    """What one EVSE (one car at a time) reports, OCPP style."""

    AVAILABLE = "available"
    PREPARING = "preparing"
    CHARGING = "charging"
    SUSPENDED_EV = "suspended_ev"
    SUSPENDED_EVSE = "suspended_evse"
    FINISHING = "finishing"
    RESERVED = "reserved"
    UNAVAILABLE = "unavailable"
    FAULTED = "faulted"
    OCCUPIED = "occupied"
    UNKNOWN = "unknown"


class SessionStatus(StrEnum):
    """Where a charging session is in its life."""

    PENDING = "pending"
    ACTIVE = "active"
    FINISHED = "finished"
    FAILED = "failed"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


_NETWORK_OFFLINE: Final = frozenset({"temporarily_unavailable", "long-term_unavailable"})
_HARDWARE: Final[dict[str, ChargePointStatus]] = {
    "available": ChargePointStatus.AVAILABLE,
    "unavailable": ChargePointStatus.UNAVAILABLE,
    "faulted": ChargePointStatus.FAULTED,
}
_EVSE: Final[dict[str, EvseStatus]] = {
    "available": EvseStatus.AVAILABLE,
    "preparing": EvseStatus.PREPARING,
    "charging": EvseStatus.CHARGING,
    "suspendedEV": EvseStatus.SUSPENDED_EV,
    "suspendedEVSE": EvseStatus.SUSPENDED_EVSE,
    "finishing": EvseStatus.FINISHING,
    "reserved": EvseStatus.RESERVED,
    "unavailable": EvseStatus.UNAVAILABLE,
    "faulted": EvseStatus.FAULTED,
    "occupied": EvseStatus.OCCUPIED,
}
_SESSION: Final[dict[str, SessionStatus]] = {status.value: status for status in SessionStatus}

# Contract field names of a preference write, by the neutral field they carry; lets the
# integration point a cloud's 422 at the field the user filled in.
CLOUD_FIELDS: Final[dict[str, str]] = {
    "type": "mode",
    "integrationId": "integration_id",
    "preferences.startTime": "start_time",
    "preferences.endTime": "end_time",
    "preferences.targetCharge.minTargetChargeKwh": "min_target_kwh",
    "preferences.targetCharge.maxTargetChargeKwh": "max_target_kwh",
    "preferences.targetCharge.targetChargeKwh": "target_kwh",
    "preferences.targetCharge.departureTime": "departure_time",
    "preferences.targetCharge.preconditioningTime": "preconditioning_min",
    "preferences.trackElectricityCosts.pricePeak": "price_peak",
    "preferences.trackElectricityCosts.priceOffPeak": "price_off_peak",
    "preferences.weekDays": "weekdays",
    "preferences.maxCurrentFromGrid": "max_current_from_grid_a",
    "preferences.solarStableTime": "solar_stable_time_s",
    "preferences.priceThreshold": "price_threshold",
    "preferences.postCode": "post_code",
    "preferences.applicableTaxId": "applicable_tax_id",
    "preferences.location": "location",
}


def neutral_field(cloud_field: str) -> str | None:
    """The neutral field behind a 422's field key (``preferences.weekDays.0.startTime``)."""
    if cloud_field in CLOUD_FIELDS:
        return CLOUD_FIELDS[cloud_field]
    if cloud_field.startswith("preferences.weekDays"):
        return "weekdays"
    return None


# --- models -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AmpecoChargePoint:
    """A charge point of the tenant, with what the list answer includes about it.

    ``preferences`` and ``modes`` are None when the answer did not include them (an
    older tenant, or a list read without relations), not "none set".
    """

    charger: Charger
    status: ChargePointStatus
    online: bool | None = None
    network_status: str | None = None
    hardware_status: str | None = None
    remote_start_stop: bool = False
    preferences: Preferences | None = None
    modes: tuple[AvailableMode, ...] | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AmpecoEvse:
    """One EVSE of a charge point; ``network_id`` is what a start action names."""

    id: str
    network_id: str | None
    status: EvseStatus
    label: str | None = None
    max_power_kw: float | None = None
    max_current_a: float | None = None


@dataclass(frozen=True, kw_only=True)
class AmpecoSession:
    """A charging session; energy in kWh and power in kW (the cloud sends Wh and W)."""

    id: str
    charge_point_id: str | None
    evse_id: str | None
    status: SessionStatus
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    energy_kwh: float | None = None
    power_kw: float | None = None
    reason: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class StartResult:
    """What the cloud said when it accepted a start: ids to follow the session by."""

    authorization_id: int | None
    session_id: str | None


# --- reading the wire -------------------------------------------------------------------------


def _object(value: Any) -> dict[str, Any]:
    """An object, or empty for anything else (PHP writes an empty map as ``[]``)."""
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> str | None:
    """An id as text, whether the cloud sent a number or a string."""
    number = as_int(value)
    return str(number) if number is not None else as_str(value)


def _mode(value: Any) -> PreferenceMode:
    """A cloud's mode name; one we have no name for is UNKNOWN (logged once)."""
    name = as_str(value)
    if name is not None and name in CLOUD_MODES:
        return PreferenceMode(name)
    note_unknown("AMPECO preference type", value)
    return PreferenceMode.UNKNOWN


def _mapped[S: StrEnum](table: Mapping[str, S], value: Any, kind: str, unknown: S) -> S:
    name = as_str(value)
    if name is not None and name in table:
        return table[name]
    note_unknown(kind, value)
    return unknown


def _kw(watts: Any) -> float | None:
    value = as_float(watts)
    return None if value is None else value / 1000


def charge_point_status(network: str | None, hardware: str | None) -> ChargePointStatus:
    """One status from the connection (``networkStatus``) and the hardware state."""
    if network == "never_connected":
        return ChargePointStatus.NEVER_CONNECTED
    if network in _NETWORK_OFFLINE:
        return ChargePointStatus.OFFLINE
    if network != "available":
        note_unknown("AMPECO networkStatus", network)
        return ChargePointStatus.UNKNOWN
    if hardware is None:
        # Connected but no hardware status reported yet: the connection is what we know.
        return ChargePointStatus.AVAILABLE
    return _mapped(_HARDWARE, hardware, "AMPECO hardwareStatus", ChargePointStatus.UNKNOWN)


def parse_schedule(prefs: Mapping[str, Any]) -> SchedulePreferences:
    """A ``user_controlled_schedule`` variant's ``preferences``."""
    target = _object(prefs.get("targetCharge"))
    costs = _object(prefs.get("trackElectricityCosts"))
    windows = prefs.get("weekDays")
    return SchedulePreferences(
        start_time=parse_time(prefs.get("startTime")),
        end_time=parse_time(prefs.get("endTime")),
        min_target_kwh=as_float(target.get("minTargetChargeKwh")),
        max_target_kwh=as_float(target.get("maxTargetChargeKwh")),
        price_peak=as_float(costs.get("pricePeak")),
        price_off_peak=as_float(costs.get("priceOffPeak")),
        weekdays=tuple(
            _weekday_window(item) for item in (windows if isinstance(windows, list) else [])
        ),
    )


def _weekday_window(item: Any) -> WeekdayWindow:
    window = _object(item)
    days = window.get("days")
    known = []
    for day in days if isinstance(days, list) else []:
        if isinstance(day, str) and day in Weekday:
            known.append(Weekday(day))
        else:
            note_unknown("AMPECO week day", day)
    return WeekdayWindow(
        days=tuple(known),
        start_time=parse_time(window.get("startTime")),
        end_time=parse_time(window.get("endTime")),
    )


def parse_solar(prefs: Mapping[str, Any]) -> SolarPreferences:
    """A ``solar`` variant's ``preferences`` (the guide's string stable time read too)."""
    stable = prefs.get("solarStableTime")
    if isinstance(stable, str):
        try:
            stable = float(stable)
        except ValueError:
            stable = None
    return SolarPreferences(
        max_current_from_grid_a=as_float(prefs.get("maxCurrentFromGrid")),
        solar_stable_time_s=as_float(stable),
    )


def parse_tariff(
    mode: PreferenceMode, prefs: Mapping[str, Any], integration_id: int | None
) -> DynamicTariffPreferences:
    """An Octopus or day-ahead variant's ``preferences``."""
    target = _object(prefs.get("targetCharge"))
    return DynamicTariffPreferences(
        provider=mode,
        departure_time=parse_time(target.get("departureTime")),
        target_kwh=as_float(target.get("targetChargeKwh")),
        min_target_kwh=as_float(target.get("minTargetChargeKwh")),
        max_target_kwh=as_float(target.get("maxTargetChargeKwh")),
        preconditioning_min=as_int(target.get("preconditioningTime")),
        price_threshold=as_float(prefs.get("priceThreshold")),
        post_code=as_str(prefs.get("postCode")),
        applicable_tax_id=as_int(prefs.get("applicableTaxId")),
        location=as_str(prefs.get("location")),
        integration_id=integration_id,
    )


def parse_preferences(data: Mapping[str, Any]) -> Preferences:
    """A preference variant (``data`` of the GET or POST answer)."""
    type_name = as_str(data.get("type"))
    configured = _mode(type_name) if type_name is not None else None
    enabled = as_bool(data.get("enabled"))
    if enabled is None:
        # The contract's default: a typed variant is on, the bare Disabled one is off.
        enabled = type_name is not None
    integration_id = as_int(data.get("integrationId"))
    prefs = _object(data.get("preferences"))
    schedule = solar = tariff = None
    if configured is PreferenceMode.USER_CONTROLLED_SCHEDULE:
        schedule = parse_schedule(prefs)
    elif configured is PreferenceMode.SOLAR:
        solar = parse_solar(prefs)
    elif configured in OCTOPUS_MODES or configured in DAY_AHEAD_MODES:
        tariff = parse_tariff(configured, prefs, integration_id)
    mode = PreferenceMode.DISABLED if not enabled else (configured or PreferenceMode.UNKNOWN)
    return Preferences(
        mode=mode,
        enabled=enabled,
        configured_mode=configured,
        type_name=type_name,
        integration_id=integration_id,
        schedule=schedule,
        solar=solar,
        tariff=tariff,
    )


def parse_available_mode(item: Mapping[str, Any]) -> AvailableMode:
    """One entry of ``available-personal-smart-charging-modes``."""
    type_name = as_str(item.get("type")) or ""
    defaults = _object(item.get("defaults"))
    target = _object(defaults.get("target_charge"))
    locations = item.get("locations")
    # The contract has one {key, label} object; a list of them is read as its first.
    if isinstance(locations, list):
        locations = locations[0] if locations else None
    location = _object(locations)
    return AvailableMode(
        mode=_mode(type_name),
        type_name=type_name,
        name=as_str(item.get("name")),
        integration_id=as_int(item.get("integrationId")),
        default_start_time=parse_time(defaults.get("start_time")),
        default_end_time=parse_time(defaults.get("end_time")),
        default_departure_time=parse_time(target.get("departure_time")),
        default_price_threshold=as_float(defaults.get("max_price")),
        location=as_str(location.get("key")),
        location_label=as_str(location.get("label")),
    )


def parse_modes(items: Sequence[Any]) -> tuple[AvailableMode, ...]:
    """Every entry that is an object; anything else in the list is skipped."""
    return tuple(parse_available_mode(item) for item in items if isinstance(item, dict))


def parse_charge_point(item: Mapping[str, Any]) -> AmpecoChargePoint | None:
    """A charge point resource; None when it has no id to address it by."""
    cp_id = _id(item.get("id"))
    if cp_id is None:
        _LOGGER.debug("AMPECO charge point without an id skipped")
        return None
    boot = _object(item.get("lastBootNotification"))
    network = as_str(item.get("networkStatus"))
    hardware = as_str(item.get("hardwareStatus"))
    capabilities = item.get("capabilities")
    prefs = item.get("personalSmartChargingPreferences")
    modes = item.get("availablePersonalSmartChargingModes")
    return AmpecoChargePoint(
        charger=Charger(
            id=cp_id,
            name=as_str(item.get("name")) or f"Charge point {cp_id}",
            manufacturer=as_str(boot.get("vendor")) or "AMPECO",
            model=as_str(boot.get("model")),
        ),
        status=charge_point_status(network, hardware),
        online=None if network is None else network == "available",
        network_status=network,
        hardware_status=hardware,
        remote_start_stop=isinstance(capabilities, list) and REMOTE_START_STOP in capabilities,
        preferences=parse_preferences(prefs) if isinstance(prefs, dict) else None,
        modes=parse_modes(modes) if isinstance(modes, list) else None,
        updated_at=as_datetime(item.get("lastUpdatedAt")),
    )


def parse_evse(item: Mapping[str, Any]) -> AmpecoEvse | None:
    """An EVSE resource; None when it has no id."""
    evse_id = _id(item.get("id"))
    if evse_id is None:
        return None
    power = _object(item.get("powerOptions"))
    hardware = item.get("hardwareStatus")
    status = (
        EvseStatus.UNKNOWN
        if hardware is None
        else _mapped(_EVSE, hardware, "AMPECO EVSE hardwareStatus", EvseStatus.UNKNOWN)
    )
    return AmpecoEvse(
        id=evse_id,
        network_id=_id(item.get("networkId")),
        status=status,
        label=as_str(item.get("label")),
        max_power_kw=_kw(power.get("maxPower")),
        max_current_a=as_float(power.get("maxAmperage")),
    )


def parse_session(item: Mapping[str, Any]) -> AmpecoSession | None:
    """A session resource; None when it has no id."""
    session_id = _id(item.get("id"))
    if session_id is None:
        return None
    consumption = _object(item.get("energyConsumption"))
    watt_hours = as_float(consumption.get("total"))
    if watt_hours is None:
        watt_hours = as_float(item.get("energy"))
    power_kw = _kw(_object(item.get("power")).get("latest"))
    if power_kw is None:
        power_kw = as_float(item.get("powerKw"))
    return AmpecoSession(
        id=session_id,
        charge_point_id=_id(item.get("chargePointId")),
        evse_id=_id(item.get("evseId")),
        status=_mapped(
            _SESSION, item.get("status"), "AMPECO session status", SessionStatus.UNKNOWN
        ),
        started_at=as_datetime(item.get("startedAt")),
        stopped_at=as_datetime(item.get("stoppedAt")),
        energy_kwh=None if watt_hours is None else watt_hours / 1000,
        power_kw=power_kw,
        reason=as_str(item.get("reason")),
        updated_at=as_datetime(item.get("lastUpdatedAt")),
    )


def _data(body: Any, what: str) -> Any:
    """The ``data`` member of an answer; the envelope itself must be an object."""
    return as_object(body, what).get("data")


def _next_cursor(page: Mapping[str, Any]) -> str | None:
    """The cursor of the next page: ``meta.next_cursor``, else the one in ``links.next``."""
    cursor = as_str(_object(page.get("meta")).get("next_cursor"))
    if cursor is not None:
        return cursor
    link = as_str(_object(page.get("links")).get("next"))
    if link is None:
        return None
    values = parse_qs(urlsplit(link).query).get("cursor")
    return values[0] if values else None


# --- writing the wire -------------------------------------------------------------------------


def _num(value: float) -> int | float:
    """A JSON number without a needless ``.0`` (6 A, not 6.0 A)."""
    return int(value) if float(value).is_integer() else value


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the members that have a value; the contract has no nulls in these bodies."""
    return {key: value for key, value in values.items() if value is not None}


def _maybe_num(value: float | None) -> int | float | None:
    return None if value is None else _num(value)


def schedule_body(prefs: SchedulePreferences) -> dict[str, Any]:
    """The contract's ``user_controlled_schedule`` variant of a validated write."""
    if prefs.start_time is None or prefs.end_time is None:
        raise ValueError("a schedule body needs a validated write")
    body: dict[str, Any] = {
        "startTime": _hhmm(prefs.start_time),
        "endTime": _hhmm(prefs.end_time),
    }
    target = _compact(
        {
            "minTargetChargeKwh": _maybe_num(prefs.min_target_kwh),
            "maxTargetChargeKwh": _maybe_num(prefs.max_target_kwh),
        }
    )
    costs = _compact(
        {
            "priceOffPeak": _maybe_num(prefs.price_off_peak),
            "pricePeak": _maybe_num(prefs.price_peak),
        }
    )
    if target:
        body["targetCharge"] = target
    if costs:
        body["trackElectricityCosts"] = costs
    if prefs.weekdays:
        body["weekDays"] = [_window_body(window) for window in prefs.weekdays]
    return {
        "type": PreferenceMode.USER_CONTROLLED_SCHEDULE.value,
        "enabled": True,
        "preferences": body,
    }


def _window_body(window: WeekdayWindow) -> dict[str, Any]:
    if window.start_time is None or window.end_time is None:
        raise ValueError("a weekday window needs a validated write")
    return {
        "days": [Weekday(day).value for day in window.days],
        "startTime": _hhmm(window.start_time),
        "endTime": _hhmm(window.end_time),
    }


def solar_body(prefs: SolarPreferences) -> dict[str, Any]:
    """The contract's ``solar`` variant: both values as numbers (the guide sends a string)."""
    if prefs.max_current_from_grid_a is None or prefs.solar_stable_time_s is None:
        raise ValueError("a solar body needs a validated write")
    return {
        "type": PreferenceMode.SOLAR.value,
        "enabled": True,
        "preferences": {
            "maxCurrentFromGrid": _num(prefs.max_current_from_grid_a),
            "solarStableTime": _num(prefs.solar_stable_time_s),
        },
    }


def tariff_body(prefs: DynamicTariffPreferences) -> dict[str, Any]:
    """The contract's Octopus, NordPool or (NordPool-shaped) Energi Elspot variant."""
    octopus = prefs.provider in OCTOPUS_MODES
    target = _compact(
        {
            "departureTime": _hhmm(prefs.departure_time) if prefs.departure_time else None,
            "preconditioningTime": prefs.preconditioning_min,
            "minTargetChargeKwh": _maybe_num(prefs.min_target_kwh) if octopus else None,
            "maxTargetChargeKwh": _maybe_num(prefs.max_target_kwh) if octopus else None,
            "targetChargeKwh": None if octopus else _maybe_num(prefs.target_kwh),
        }
    )
    if octopus:
        preferences = _compact(
            {
                "applicableTaxId": prefs.applicable_tax_id,
                "postCode": prefs.post_code,
                "priceThreshold": _maybe_num(prefs.price_threshold),
                "targetCharge": target or None,
            }
        )
    else:
        preferences = {"location": prefs.location, "targetCharge": target}
    return _compact(
        {
            "type": PreferenceMode(prefs.provider).value,
            "integrationId": prefs.integration_id,
            "enabled": True,
            "preferences": preferences,
        }
    )


DISABLE_BODY: Final[dict[str, Any]] = {"enabled": False}


# --- the client -------------------------------------------------------------------------------


def _path_id(value: str | int) -> str:
    return quote(str(value), safe="")


class AmpecoClient(CloudClient):
    """One AMPECO tenant and API token."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, api_token: str) -> None:
        async def headers() -> dict[str, str]:
            return {"Authorization": f"Bearer {api_token}"}

        super().__init__(HttpCore(session, base_url, headers=headers))
        self._api_token = api_token

    async def async_identify(self) -> Account:
        """Read the first page of charge points."""
        page = await self.http.request("GET", CHARGE_POINTS, params={"per_page": 1})
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise InvalidResponseError("charge points are not a list")
        host = urlsplit(self.http.base_url).netloc
        return Account(unique_id=hashed_id("ampeco", host, self._api_token), title=f"AMPECO {host}")

    # --- reading ------------------------------------------------------------------------------

    async def _all_pages(self, path: str, params: Mapping[str, str | int]) -> list[Any]:
        """Every item of a cursor-paged list, in pages of :data:`PER_PAGE`.

        The cursor is sent with our own parameters rather than by following
        ``links.next``, whose URL need not carry the filters and relations we asked for.
        """
        items: list[Any] = []
        seen: set[str] = set()
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            query: dict[str, str | int] = {**params, "per_page": PER_PAGE}
            if cursor is not None:
                query["cursor"] = cursor
            page = as_object(await self.http.request("GET", path, params=query), "page")
            items.extend(as_list(page.get("data"), "page data"))
            cursor = _next_cursor(page)
            if cursor is None:
                return items
            if cursor in seen:
                raise InvalidResponseError(f"{path} repeats a page cursor")
            seen.add(cursor)
        raise InvalidResponseError(f"{path} has more than {MAX_PAGES} pages")

    async def async_charge_points(self) -> list[AmpecoChargePoint]:
        """Every charge point of the tenant, with its preferences and offered modes."""
        include = {f"include[{index}]": name for index, name in enumerate(INCLUDE)}
        items = await self._all_pages(CHARGE_POINTS, include)
        charge_points = []
        for item in items:
            parsed = parse_charge_point(item) if isinstance(item, dict) else None
            if parsed is not None:
                charge_points.append(parsed)
        return charge_points

    async def async_evses(self, cp_id: str) -> list[AmpecoEvse]:
        """The EVSEs of one charge point, with what each reports now."""
        items = await self._all_pages(f"{CHARGE_POINTS}/{_path_id(cp_id)}/evses", {})
        evses = [parse_evse(item) for item in items if isinstance(item, dict)]
        return [evse for evse in evses if evse is not None]

    async def async_available_modes(self, cp_id: str) -> tuple[AvailableMode, ...]:
        """The personal smart charging modes one charge point offers."""
        path = f"{CHARGE_POINTS}/{_path_id(cp_id)}/available-personal-smart-charging-modes"
        body = await self.http.request("GET", path)
        return parse_modes(as_list(_data(body, "available modes"), "available modes"))

    async def async_preferences(self, cp_id: str) -> Preferences:
        """One charge point's personal smart charging preferences."""
        body = await self.http.request("GET", self._preferences_path(cp_id))
        return parse_preferences(as_object(_data(body, "preferences"), "preferences"))

    async def async_active_sessions(self, cp_id: str | None = None) -> list[AmpecoSession]:
        """Running sessions: of one charge point, or of the whole tenant in one list."""
        params: dict[str, str | int] = {"filter[status]": SessionStatus.ACTIVE.value}
        if cp_id is not None:
            params["filter[chargePointId]"] = str(cp_id)
        items = await self._all_pages(SESSIONS, params)
        sessions = [parse_session(item) for item in items if isinstance(item, dict)]
        return [session for session in sessions if session is not None]

    async def async_session(self, session_id: str) -> AmpecoSession:
        """One session, by id."""
        body = await self.http.request("GET", f"{SESSIONS}/{_path_id(session_id)}")
        session = parse_session(as_object(_data(body, "session"), "session"))
        if session is None:
            raise InvalidResponseError("the session has no id")
        return session

    # --- writing preferences ------------------------------------------------------------------

    @staticmethod
    def _preferences_path(cp_id: str) -> str:
        return f"{CHARGE_POINTS}/{_path_id(cp_id)}/personal-smart-charging-preferences"

    async def _offered(
        self, cp_id: str, offered: Sequence[AvailableMode] | None
    ) -> Sequence[AvailableMode]:
        """The modes to validate against: the caller's (from the last poll) or fresh ones."""
        if offered is not None:
            return offered
        return await self.async_available_modes(cp_id)

    async def _post_preferences(self, cp_id: str, body: dict[str, Any]) -> Preferences:
        """Send one contract-form variant; the preferences the 201 answer reports."""
        answer = await self.http.request("POST", self._preferences_path(cp_id), json_body=body)
        return parse_preferences(as_object(_data(answer, "preferences"), "preferences"))

    async def async_set_schedule(
        self,
        cp_id: str,
        prefs: SchedulePreferences,
        offered: Sequence[AvailableMode] | None = None,
    ) -> Preferences:
        """Switch to a charging schedule; PreferenceError (nothing sent) on a bad write."""
        checked = validate_schedule(prefs, await self._offered(cp_id, offered))
        return await self._post_preferences(cp_id, schedule_body(checked))

    async def async_set_solar(
        self,
        cp_id: str,
        prefs: SolarPreferences,
        offered: Sequence[AvailableMode] | None = None,
    ) -> Preferences:
        """Switch to solar charging; PreferenceError (nothing sent) on a bad write."""
        checked = validate_solar(prefs, await self._offered(cp_id, offered))
        return await self._post_preferences(cp_id, solar_body(checked))

    async def async_set_dynamic_tariff(
        self,
        cp_id: str,
        prefs: DynamicTariffPreferences,
        offered: Sequence[AvailableMode] | None = None,
    ) -> Preferences:
        """Switch to a tariff-driven mode; PreferenceError (nothing sent) on a bad write."""
        checked = validate_dynamic_tariff(prefs, await self._offered(cp_id, offered))
        return await self._post_preferences(cp_id, tariff_body(checked))

    async def async_disable(self, cp_id: str) -> Preferences:
        """Switch personal smart charging off; the cloud keeps the settings for later."""
        return await self._post_preferences(cp_id, dict(DISABLE_BODY))

    # --- sessions -----------------------------------------------------------------------------

    async def async_start(self, cp_id: str, evse: str | int | None = None) -> StartResult:
        """Start a session, on one EVSE (its network id) or wherever a car waits.

        A refusal is a RejectedError with the cloud's message: 406 from the charge point
        (offline, no car, no remote start) or a 202 that says ``success: false``.
        """
        path = f"{ACTIONS}/{_path_id(cp_id)}/start"
        if evse is not None:
            path = f"{path}/{_path_id(evse)}"
        body = as_object(await self.http.request("POST", path), "start answer")
        if as_bool(body.get("success")) is False:
            reason = as_str(body.get("message")) or as_str(body.get("errorCode"))
            raise RejectedError(reason or "the charge point did not start")
        return StartResult(
            authorization_id=as_int(body.get("authorizationId")),
            session_id=_id(body.get("sessionId")),
        )

    async def async_stop(self, cp_id: str, session_id: str, *, force: bool = False) -> None:
        """Stop a session; ``force`` ends it whatever the charge point answers.

        A refusal (406: offline, not active, no remote stop) is a RejectedError.
        """
        path = f"{ACTIONS}/{_path_id(cp_id)}/stop/{_path_id(session_id)}"
        await self.http.request("POST", path, json_body={"force": True} if force else None)
