"""Actions: set a charger group's limit, and read how it was shared over time.

Actions are registered once, in ``async_setup``, and aimed at a device. Input is
checked here, before anything is sent: a bad value gets a translated
ServiceValidationError naming it; a cloud failure a translated HomeAssistantError.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util
import probatio

from .api.ampeco import AmpecoClient
from .api.base import GroupControl
from .api.errors import SmartChargingError
from .api.jedlix import JedlixClient, TariffError
from .api.models import Tariff, TariffInterval, TariffType, Weekday
from .api.preferences import (
    TARIFF_MODES,
    AvailableMode,
    DynamicTariffPreferences,
    PreferenceError,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
    WeekdayWindow,
)
from .const import CONF_PROVIDER, DOMAIN
from .coordinator import (
    AmpecoCoordinator,
    ChargerData,
    JedlixCoordinator,
    SmartChargingCoordinator,
)
from .entity import KINDS
from .helpers import cloud_error
from .runtime import SmartChargingConfigEntry

SERVICE_SET_GROUP_LIMIT = "set_group_limit"
SERVICE_GET_GROUP_LIMIT_HISTORY = "get_group_limit_history"
ATTR_LIMIT = "limit"
ATTR_END_TIME = "end_time"
ATTR_DURATION = "duration"
ATTR_START = "start"
ATTR_END = "end"

SET_GROUP_LIMIT_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required(ATTR_LIMIT): probatio.Coerce(float),
        probatio.Optional(ATTR_END_TIME): cv.datetime,
        probatio.Optional(ATTR_DURATION): cv.time_period,
    }
)
GET_HISTORY_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Optional(ATTR_END): cv.datetime,
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


@dataclass(frozen=True)
class _Target:
    """The loaded entry and the device key an action is aimed at."""

    coordinator: SmartChargingCoordinator
    key: str


def _target(hass: HomeAssistant, device_id: str, kind: str) -> _Target:
    """Find the loaded entry and the ``kind`` (groups, chargers...) key of a device."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise _invalid("device_not_found", device_id=device_id)
    # A device belongs to one config entry (Home Assistant 2026.10 and later).
    entry: SmartChargingConfigEntry | None = hass.config_entries.async_get_entry(
        device.config_entry_id
    )
    if entry is not None and entry.domain == DOMAIN:
        if entry.state is not ConfigEntryState.LOADED:
            raise _invalid("entry_not_loaded", name=entry.title)
        prefix = f"{entry.data[CONF_PROVIDER]}_{KINDS[kind]}"
        for domain, identifier in device.identifiers:
            key = identifier.removeprefix(prefix)
            if (
                domain == DOMAIN
                and identifier.startswith(prefix)
                and (key in getattr(entry.runtime_data.coordinator.data, kind))
            ):
                return _Target(entry.runtime_data.coordinator, key)
    raise _invalid(f"not_a_{kind.removesuffix('s')}", name=device.name or device_id)


def _group_control(target: _Target) -> GroupControl:
    control = target.coordinator.group_control
    if control is None:  # pragma: no cover - groups exist only where they can be set
        raise _invalid("not_a_group", name=target.key)
    return control


async def _async_set_group_limit(call: ServiceCall) -> None:
    limit: float = call.data[ATTR_LIMIT]
    if limit <= 0 or not limit.is_integer():
        raise _invalid("limit_not_positive_integer", limit=f"{limit:g}")
    end_time: datetime | None = call.data.get(ATTR_END_TIME)
    duration: timedelta | None = call.data.get(ATTR_DURATION)
    if (end_time is None) == (duration is None):
        raise _invalid("end_time_or_duration")
    now = dt_util.utcnow()
    if end_time is not None:
        end = dt_util.as_utc(
            end_time
            if end_time.tzinfo
            else end_time.replace(tzinfo=dt_util.get_default_time_zone())
        )
    else:
        assert duration is not None
        end = now + duration
    if end <= now:
        raise _invalid("end_time_in_past", end=end.isoformat())
    target = _target(call.hass, call.data[ATTR_DEVICE_ID], "groups")
    try:
        answer = await _group_control(target).async_set_group_limit(target.key, int(limit), end)
    except SmartChargingError as err:
        raise cloud_error(err) from err
    target.coordinator.async_apply_group_limit(target.key, answer)


async def _async_get_group_limit_history(call: ServiceCall) -> ServiceResponse:
    start = dt_util.as_utc(call.data[ATTR_START])
    end = dt_util.as_utc(call.data.get(ATTR_END) or dt_util.utcnow())
    if start >= end:
        raise _invalid("start_after_end")
    target = _target(call.hass, call.data[ATTR_DEVICE_ID], "groups")
    try:
        samples = await _group_control(target).async_limit_history(target.key, start, end)
    except SmartChargingError as err:
        raise cloud_error(err) from err
    result: list[Any] = [
        {
            "time": sample.time.isoformat(),
            "group_limit": sample.group_limit_kw,
            "limits": [
                {"charger": limit.station, "position": limit.position, "limit": limit.limit_kw}
                for limit in sample.limits
            ],
        }
        for sample in samples
    ]
    return {"samples": result}


# --- personal smart charging preferences (AMPECO) ----------------------------------------

SERVICE_SET_SCHEDULE = "set_schedule_preferences"
SERVICE_SET_SOLAR = "set_solar_preferences"
SERVICE_SET_DYNAMIC_TARIFF = "set_dynamic_tariff_preferences"
SERVICE_DISABLE_PREFERENCES = "disable_smart_charging_preferences"

_NUMBER = probatio.Coerce(float)
_WEEKDAY_WINDOW = probatio.Schema(
    {
        probatio.Required("days"): [cv.string],
        probatio.Required("start_time"): cv.time,
        probatio.Required("end_time"): cv.time,
    }
)
SCHEDULE_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Optional("start_time"): cv.time,
        probatio.Optional("end_time"): cv.time,
        probatio.Optional("min_target_kwh"): _NUMBER,
        probatio.Optional("max_target_kwh"): _NUMBER,
        probatio.Optional("price_peak"): _NUMBER,
        probatio.Optional("price_off_peak"): _NUMBER,
        probatio.Optional("weekdays"): [_WEEKDAY_WINDOW],
    }
)
SOLAR_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required("max_current_from_grid"): _NUMBER,
        probatio.Required("solar_stable_time"): _NUMBER,
    }
)
TARIFF_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required("provider"): cv.string,
        probatio.Optional("departure_time"): cv.time,
        probatio.Optional("target_kwh"): _NUMBER,
        probatio.Optional("min_target_kwh"): _NUMBER,
        probatio.Optional("max_target_kwh"): _NUMBER,
        probatio.Optional("price_threshold"): _NUMBER,
        probatio.Optional("post_code"): cv.string,
        probatio.Optional("applicable_tax_id"): probatio.Coerce(int),
        probatio.Optional("location"): cv.string,
        probatio.Optional("integration_id"): probatio.Coerce(int),
    }
)
DEVICE_SCHEMA = probatio.Schema({probatio.Required(ATTR_DEVICE_ID): cv.string})


def _preference_error(err: PreferenceError) -> ServiceValidationError:
    """A refused preference, translated, naming the field (and the window, if any)."""
    placeholders = dict(err.placeholders)
    window = placeholders.pop("window", None)
    field = err.field if window is None else f"{err.field} {window}"
    return _invalid(f"preference_{err.reason}", field=field, **placeholders)


def _preference_target(call: ServiceCall) -> tuple[AmpecoCoordinator, ChargerData]:
    target = _target(call.hass, call.data[ATTR_DEVICE_ID], "chargers")
    data = target.coordinator.data.chargers[target.key]
    if not isinstance(target.coordinator, AmpecoCoordinator) or data.preferences is None:
        raise _invalid("no_preferences", name=data.charger.name)
    return target.coordinator, data


async def _async_write_preferences(
    call: ServiceCall,
    write: Callable[
        [AmpecoClient, str, tuple[AvailableMode, ...]], Coroutine[Any, Any, Preferences]
    ],
) -> None:
    coordinator, data = _preference_target(call)
    try:
        answer = await write(coordinator.client, data.charger.id, data.offered_modes)
    except PreferenceError as err:
        raise _preference_error(err) from err
    except SmartChargingError as err:
        raise cloud_error(err) from err
    coordinator.async_apply_preferences(data.charger.id, answer)


async def _async_set_schedule(call: ServiceCall) -> None:
    windows = tuple(
        WeekdayWindow(
            days=tuple(_weekday(day) for day in window["days"]),
            start_time=window["start_time"],
            end_time=window["end_time"],
        )
        for window in call.data.get("weekdays", [])
    )
    prefs = SchedulePreferences(
        start_time=call.data.get("start_time"),
        end_time=call.data.get("end_time"),
        min_target_kwh=call.data.get("min_target_kwh"),
        max_target_kwh=call.data.get("max_target_kwh"),
        price_peak=call.data.get("price_peak"),
        price_off_peak=call.data.get("price_off_peak"),
        weekdays=windows,
    )
    await _async_write_preferences(
        call, lambda client, cp, offered: client.async_set_schedule(cp, prefs, offered)
    )


def _weekday(day: str) -> Weekday:
    try:
        return Weekday(day.lower())
    except ValueError as err:
        raise _invalid("preference_invalid_day", field="weekdays", day=day) from err


async def _async_set_solar(call: ServiceCall) -> None:
    prefs = SolarPreferences(
        max_current_from_grid_a=call.data["max_current_from_grid"],
        solar_stable_time_s=call.data["solar_stable_time"],
    )
    await _async_write_preferences(
        call, lambda client, cp, offered: client.async_set_solar(cp, prefs, offered)
    )


async def _async_set_dynamic_tariff(call: ServiceCall) -> None:
    provider = call.data["provider"]
    try:
        mode = PreferenceMode(provider)
    except ValueError:
        mode = PreferenceMode.UNKNOWN
    if mode not in TARIFF_MODES:
        raise _invalid(
            "preference_invalid_provider",
            field="provider",
            provider=provider,
            allowed=", ".join(sorted(TARIFF_MODES)),
        )
    prefs = DynamicTariffPreferences(
        provider=mode,
        **{key: call.data.get(key) for key in _TARIFF_FIELDS},
    )
    await _async_write_preferences(
        call, lambda client, cp, offered: client.async_set_dynamic_tariff(cp, prefs, offered)
    )


_TARIFF_FIELDS = (
    "departure_time",
    "target_kwh",
    "min_target_kwh",
    "max_target_kwh",
    "price_threshold",
    "post_code",
    "applicable_tax_id",
    "location",
    "integration_id",
)


async def _async_disable_preferences(call: ServiceCall) -> None:
    await _async_write_preferences(call, lambda client, cp, offered: client.async_disable(cp))


# --- Jedlix: sessions, tariffs, messages ----------------------------------------------------

SERVICE_GET_SESSIONS = "get_sessions"
SERVICE_SET_TARIFFS = "set_tariffs"
SERVICE_DISMISS_MESSAGE = "dismiss_message"

GET_SESSIONS_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Optional(ATTR_END): cv.datetime,
    }
)
SET_TARIFFS_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required("tariffs"): [
            probatio.Schema(
                {
                    probatio.Required("type"): cv.string,
                    probatio.Required("price"): probatio.Coerce(float),
                    probatio.Optional("currency", default="EUR"): cv.string,
                }
            )
        ],
        probatio.Required("intervals"): [
            probatio.Schema(
                {
                    probatio.Required("start_time"): cv.string,
                    probatio.Required("end_time"): cv.string,
                    probatio.Required("days"): [cv.string],
                    probatio.Required("tariff_type"): cv.string,
                }
            )
        ],
    }
)
DISMISS_MESSAGE_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_CONFIG_ENTRY_ID): cv.string,
        probatio.Required("message_id"): cv.string,
    }
)


def _jedlix_entry(
    hass: HomeAssistant, entry_id: str
) -> tuple[JedlixClient, SmartChargingCoordinator]:
    """The loaded Jedlix entry an action is aimed at."""
    entry: SmartChargingConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise _invalid("entry_not_found", entry_id=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise _invalid("entry_not_loaded", name=entry.title)
    client = entry.runtime_data.client
    if not isinstance(client, JedlixClient):
        raise _invalid("not_jedlix", name=entry.title)
    return client, entry.runtime_data.coordinator


async def _async_get_sessions(call: ServiceCall) -> ServiceResponse:
    start = dt_util.as_utc(call.data[ATTR_START])
    end = dt_util.as_utc(call.data.get(ATTR_END) or dt_util.utcnow())
    if start >= end:
        raise _invalid("start_after_end")
    client, _ = _jedlix_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    try:
        sessions = await client.async_sessions(start_from=start, start_to=end)
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
        raise _invalid("tariff_unknown_type", field=field, position=str(position), type=value)
    return kind


async def _async_set_tariffs(call: ServiceCall) -> None:
    target = _target(call.hass, call.data[ATTR_DEVICE_ID], "locations")
    tariffs = [
        Tariff(
            type=_tariff_type(item["type"], "tariffs", position),
            price=item["price"],
            currency=item["currency"],
        )
        for position, item in enumerate(call.data["tariffs"], start=1)
    ]
    intervals = []
    for position, item in enumerate(call.data["intervals"], start=1):
        days = []
        for day in item["days"]:
            try:
                days.append(Weekday(day.lower()))
            except ValueError as err:
                raise _invalid(
                    "tariff_invalid_day", field="intervals", position=str(position), day=day
                ) from err
        intervals.append(
            TariffInterval(
                start_time=item["start_time"],
                end_time=item["end_time"],
                days_of_week=tuple(days),
                tariff_type=_tariff_type(item["tariff_type"], "intervals", position),
            )
        )
    coordinator = target.coordinator
    if not isinstance(coordinator, JedlixCoordinator):  # pragma: no cover - locations are Jedlix's
        raise _invalid("not_a_location", name=target.key)
    client = coordinator.client
    try:
        answer = await client.async_set_tariffs(target.key, tariffs, intervals)
    except TariffError as err:
        raise _invalid(
            f"tariff_{err.reason}", field=err.field, **{"position": "", **err.placeholders}
        ) from err
    except SmartChargingError as err:
        raise cloud_error(err) from err
    coordinator.async_apply_tariffs(target.key, answer)


async def _async_dismiss_message(call: ServiceCall) -> None:
    client, coordinator = _jedlix_entry(call.hass, call.data[ATTR_CONFIG_ENTRY_ID])
    message_id = call.data["message_id"]
    try:
        await client.async_dismiss_message(message_id)
    except SmartChargingError as err:
        raise cloud_error(err) from err
    coordinator.async_forget_message(message_id)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN, SERVICE_SET_GROUP_LIMIT, _async_set_group_limit, schema=SET_GROUP_LIMIT_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_GROUP_LIMIT_HISTORY,
        _async_get_group_limit_history,
        schema=GET_HISTORY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    for name, handler, schema in (
        (SERVICE_SET_SCHEDULE, _async_set_schedule, SCHEDULE_SCHEMA),
        (SERVICE_SET_SOLAR, _async_set_solar, SOLAR_SCHEMA),
        (SERVICE_SET_DYNAMIC_TARIFF, _async_set_dynamic_tariff, TARIFF_SCHEMA),
        (SERVICE_DISABLE_PREFERENCES, _async_disable_preferences, DEVICE_SCHEMA),
    ):
        hass.services.async_register(DOMAIN, name, handler, schema=schema)
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_SESSIONS,
        _async_get_sessions,
        schema=GET_SESSIONS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_SET_TARIFFS, _async_set_tariffs, schema=SET_TARIFFS_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_DISMISS_MESSAGE, _async_dismiss_message, schema=DISMISS_MESSAGE_SCHEMA
    )
