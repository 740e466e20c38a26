"""Reading AMPECO answers (seed 000 and the OpenAPI 3.110.0 subset) into our models.

Answers are read tolerantly: a value of the wrong type becomes None and an enumeration
value we have never seen becomes UNKNOWN (logged once); only an answer whose overall
shape is wrong raises :class:`~..errors.InvalidResponseError`. Where the user's guide and
the contract spell a field differently, both spellings are read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import logging
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from ..models import Charger, Weekday, note_unknown
from ..parse import (
    CURRENT_A,
    POWER_KW,
    POWER_W,
    PRICE,
    SECONDS,
    SESSION_KWH,
    SESSION_WH,
    as_bool,
    as_datetime,
    as_float,
    as_id,
    as_int,
    as_object,
    as_quantity,
    as_str,
    mapped,
    object_or_empty,
)
from .models import (
    AmpecoChargePoint,
    AmpecoEvse,
    AmpecoSession,
    ChargePointStatus,
    EvseStatus,
    SessionStatus,
)
from .preferences import (
    CLOUD_MODES,
    TARIFF_MODES,
    AvailableMode,
    DynamicTariffPreferences,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
    WeekdayWindow,
    parse_time,
)

_NETWORK_OFFLINE: Final = frozenset({"temporarily_unavailable", "long-term_unavailable"})

_LOGGER = logging.getLogger(__name__)


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


def _mode(value: Any) -> PreferenceMode:
    """A cloud's mode name; one we have no name for is UNKNOWN (logged once)."""
    name = as_str(value)
    if name is not None and name in CLOUD_MODES:
        return PreferenceMode(name)
    note_unknown("AMPECO preference type", value)
    return PreferenceMode.UNKNOWN


def _kw(watts: Any) -> float | None:
    return as_quantity(watts, POWER_W, 1 / 1000)


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
    return mapped(_HARDWARE, hardware, "AMPECO hardwareStatus", ChargePointStatus.UNKNOWN)


def _bounds(target: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """A ``targetCharge`` object's least and most energy (:class:`TargetBounds`)."""
    return (
        as_float(target.get("minTargetChargeKwh"), SESSION_KWH),
        as_float(target.get("maxTargetChargeKwh"), SESSION_KWH),
    )


def parse_schedule(prefs: Mapping[str, Any]) -> SchedulePreferences:
    """A ``user_controlled_schedule`` variant's ``preferences``."""
    low, high = _bounds(object_or_empty(prefs.get("targetCharge")))
    costs = object_or_empty(prefs.get("trackElectricityCosts"))
    windows = prefs.get("weekDays")
    return SchedulePreferences(
        start_time=parse_time(prefs.get("startTime")),
        end_time=parse_time(prefs.get("endTime")),
        min_target_kwh=low,
        max_target_kwh=high,
        price_peak=as_float(costs.get("pricePeak"), PRICE),
        price_off_peak=as_float(costs.get("priceOffPeak"), PRICE),
        weekdays=tuple(
            _weekday_window(item) for item in (windows if isinstance(windows, list) else [])
        ),
    )


def _weekday_window(item: Any) -> WeekdayWindow:
    window = object_or_empty(item)
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
        max_current_from_grid_a=as_float(prefs.get("maxCurrentFromGrid"), CURRENT_A),
        solar_stable_time_s=as_float(stable, SECONDS),
    )


def parse_tariff(
    mode: PreferenceMode, prefs: Mapping[str, Any], integration_id: int | None
) -> DynamicTariffPreferences:
    """An Octopus or day-ahead variant's ``preferences``."""
    target = object_or_empty(prefs.get("targetCharge"))
    low, high = _bounds(target)
    return DynamicTariffPreferences(
        provider=mode,
        departure_time=parse_time(target.get("departureTime")),
        target_kwh=as_float(target.get("targetChargeKwh"), SESSION_KWH),
        min_target_kwh=low,
        max_target_kwh=high,
        preconditioning_min=as_int(target.get("preconditioningTime")),
        price_threshold=as_float(prefs.get("priceThreshold"), PRICE),
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
    prefs = object_or_empty(data.get("preferences"))
    # Only the configured variant's own preferences are read; the others stay None.
    return Preferences(
        mode=PreferenceMode.DISABLED if not enabled else (configured or PreferenceMode.UNKNOWN),
        enabled=enabled,
        configured_mode=configured,
        type_name=type_name,
        integration_id=integration_id,
        schedule=(
            parse_schedule(prefs) if configured is PreferenceMode.USER_CONTROLLED_SCHEDULE else None
        ),
        solar=parse_solar(prefs) if configured is PreferenceMode.SOLAR else None,
        tariff=(
            parse_tariff(configured, prefs, integration_id) if configured in TARIFF_MODES else None
        ),
    )


def parse_available_mode(item: Mapping[str, Any]) -> AvailableMode:
    """One entry of ``available-personal-smart-charging-modes``."""
    type_name = as_str(item.get("type")) or ""
    defaults = object_or_empty(item.get("defaults"))
    target = object_or_empty(defaults.get("target_charge"))
    locations = item.get("locations")
    # The contract has one {key, label} object; a list of them is read too, the first
    # being the default.
    listed = locations if isinstance(locations, list) else [locations]
    keys = tuple(key for entry in listed if (key := as_str(object_or_empty(entry).get("key"))))
    location = object_or_empty(listed[0] if listed else None)
    return AvailableMode(
        mode=_mode(type_name),
        type_name=type_name,
        name=as_str(item.get("name")),
        integration_id=as_int(item.get("integrationId")),
        default_start_time=parse_time(defaults.get("start_time")),
        default_end_time=parse_time(defaults.get("end_time")),
        default_departure_time=parse_time(target.get("departure_time")),
        default_price_threshold=as_float(defaults.get("max_price"), PRICE),
        location=as_str(location.get("key")),
        location_label=as_str(location.get("label")),
        locations=keys,
    )


def parse_modes(items: Sequence[Any]) -> tuple[AvailableMode, ...]:
    """Every entry that is an object; anything else in the list is skipped."""
    return tuple(parse_available_mode(item) for item in items if isinstance(item, dict))


def parse_charge_point(item: Mapping[str, Any]) -> AmpecoChargePoint | None:
    """A charge point resource; None when it has no id to address it by."""
    cp_id = as_id(item.get("id"))
    if cp_id is None:
        _LOGGER.debug("AMPECO charge point without an id skipped")
        return None
    boot = object_or_empty(item.get("lastBootNotification"))
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
    evse_id = as_id(item.get("id"))
    if evse_id is None:
        return None
    power = object_or_empty(item.get("powerOptions"))
    hardware = item.get("hardwareStatus")
    status = (
        EvseStatus.UNKNOWN
        if hardware is None
        else mapped(_EVSE, hardware, "AMPECO EVSE hardwareStatus", EvseStatus.UNKNOWN)
    )
    return AmpecoEvse(
        id=evse_id,
        network_id=as_id(item.get("networkId")),
        status=status,
        label=as_str(item.get("label")),
        max_power_kw=_kw(power.get("maxPower")),
        max_current_a=as_float(power.get("maxAmperage"), CURRENT_A),
    )


def parse_session(item: Mapping[str, Any]) -> AmpecoSession | None:
    """A session resource; None when it has no id."""
    session_id = as_id(item.get("id"))
    if session_id is None:
        return None
    consumption = object_or_empty(item.get("energyConsumption"))
    watt_hours = as_float(consumption.get("total"), SESSION_WH)
    if watt_hours is None:
        watt_hours = as_float(item.get("energy"), SESSION_WH)
    power_kw = _kw(object_or_empty(item.get("power")).get("latest"))
    if power_kw is None:
        power_kw = as_float(item.get("powerKw"), POWER_KW)
    return AmpecoSession(
        id=session_id,
        charge_point_id=as_id(item.get("chargePointId")),
        evse_id=as_id(item.get("evseId")),
        status=mapped(_SESSION, item.get("status"), "AMPECO session status", SessionStatus.UNKNOWN),
        start=as_datetime(item.get("startedAt")),
        end=as_datetime(item.get("stoppedAt")),
        energy_kwh=None if watt_hours is None else watt_hours / 1000,
        power_kw=power_kw,
        reason=as_str(item.get("reason")),
        updated_at=as_datetime(item.get("lastUpdatedAt")),
    )


def data_of(body: Any, what: str) -> Any:
    """The ``data`` member of an answer; the envelope itself must be an object."""
    return as_object(body, what).get("data")


def next_cursor(page: Mapping[str, Any]) -> str | None:
    """The cursor of the next page: ``meta.next_cursor``, else the one in ``links.next``."""
    cursor = as_str(object_or_empty(page.get("meta")).get("next_cursor"))
    if cursor is not None:
        return cursor
    link = as_str(object_or_empty(page.get("links")).get("next"))
    if link is None:
        return None
    values = parse_qs(urlsplit(link).query).get("cursor")
    return values[0] if values else None


REMOTE_START_STOP: Final = "remote_start_stop_capable"
