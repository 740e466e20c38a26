"""AMPECO's actions: write a charge point's personal smart charging preferences.

Each write is checked by :mod:`...clouds.ampeco.validation` against what the charge
point offers before anything is sent, and the preferences the cloud answers with are
shown at once.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import probatio

from ...clouds.ampeco.parse import neutral_field
from ...clouds.ampeco.preferences import (
    TARIFF_MODES,
    DynamicTariffPreferences,
    PreferenceError,
    PreferenceMode,
    SchedulePreferences,
    SolarPreferences,
    WeekdayWindow,
)
from ...clouds.errors import SmartChargingError, ValidationError
from ...clouds.models import Weekday
from ...const import DOMAIN
from ...helpers import (
    Action,
    cloud_error,
    device_target,
    field_name,
    invalid,
    state_name,
)
from ...model import DeviceKind
from ...validation import Refusal, identifier, items, number, text, whole
from .coordinator import AmpecoCoordinator
from .model import AmpecoChargerData

SERVICE_SET_SCHEDULE = "set_schedule_preferences"
SERVICE_SET_SOLAR = "set_solar_preferences"
SERVICE_SET_DYNAMIC_TARIFF = "set_dynamic_tariff_preferences"
SERVICE_DISABLE_PREFERENCES = "disable_smart_charging_preferences"

# Ranges a home charge point takes (see services.yaml). Below a range, the message is
# the one the preference checks of clouds/ampeco/validation.py give.
MAX_TARGET_KWH = 200
MAX_PRICE = 10
MAX_GRID_CURRENT_A = 32
MAX_STABLE_TIME_S = 3600
MAX_TAX_ID = 9_999_999_999
MAX_INTEGRATION_ID = 999_999


def _below(reason: str, field: str) -> Refusal:
    return lambda value: invalid(f"preference_{reason}", field=field, value=value)


def _kwh(field: str) -> Any:
    return number(field, 0, MAX_TARGET_KWH, low=_below("not_positive", field))


def _price(field: str) -> Any:
    return number(field, 0, MAX_PRICE, low=_below("negative", field))


_DEVICE = identifier(ATTR_DEVICE_ID)
_WEEKDAY_WINDOW = probatio.Schema(
    {
        probatio.Required("days"): items("weekdays", text("weekdays", 16), 7),
        probatio.Required("start_time"): cv.time,
        probatio.Required("end_time"): cv.time,
    }
)
SCHEDULE_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): _DEVICE,
        probatio.Optional("start_time"): cv.time,
        probatio.Optional("end_time"): cv.time,
        probatio.Optional("min_target_kwh"): _kwh("min_target_kwh"),
        probatio.Optional("max_target_kwh"): _kwh("max_target_kwh"),
        probatio.Optional("price_peak"): _price("price_peak"),
        probatio.Optional("price_off_peak"): _price("price_off_peak"),
        probatio.Optional("weekdays"): items("weekdays", _WEEKDAY_WINDOW, 7),
    }
)
SOLAR_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): _DEVICE,
        probatio.Required("max_current_from_grid"): number(
            "max_current_from_grid",
            0,
            MAX_GRID_CURRENT_A,
            low=_below("negative", "max_current_from_grid"),
        ),
        probatio.Required("solar_stable_time"): number(
            "solar_stable_time",
            1,
            MAX_STABLE_TIME_S,
            low=_below("not_positive", "solar_stable_time"),
        ),
    }
)
TARIFF_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): _DEVICE,
        probatio.Required("provider"): text("provider", 32),
        probatio.Optional("departure_time"): cv.time,
        probatio.Optional("target_kwh"): _kwh("target_kwh"),
        probatio.Optional("min_target_kwh"): _kwh("min_target_kwh"),
        probatio.Optional("max_target_kwh"): _kwh("max_target_kwh"),
        probatio.Optional("price_threshold"): _price("price_threshold"),
        probatio.Optional("post_code"): text("post_code", 16),
        probatio.Optional("applicable_tax_id"): whole("applicable_tax_id", 1, MAX_TAX_ID),
        probatio.Optional("location"): text("location", 32),
        probatio.Optional("integration_id"): whole("integration_id", 1, MAX_INTEGRATION_ID),
    }
)
DEVICE_SCHEMA = probatio.Schema({probatio.Required(ATTR_DEVICE_ID): _DEVICE})


# Placeholders that hold mode names, and those that hold a list of them.
_MODE_PLACEHOLDERS = ("mode", "provider")
_MODE_LIST_PLACEHOLDERS = ("offered", "allowed")


def _mode_name(mode: str) -> str:
    """A mode as the smart charging mode sensor shows it (``Schedule``, ``Nord Pool``)."""
    return state_name("sensor", "preference_mode", mode)


def _preference_error(err: PreferenceError) -> ServiceValidationError:
    """A refused preference, translated, naming the field (and the window, if any).

    Fields and modes are given by the names the user sees, not the codes of the check.
    """
    placeholders = dict(err.placeholders)
    window = placeholders.pop("window", None)
    field = field_name(err.field)
    if window is not None:
        field = f"{field} {window}"
    for key in _MODE_PLACEHOLDERS:
        if key in placeholders:
            placeholders[key] = _mode_name(placeholders[key])
    if err.reason != "location_not_offered":
        for key in _MODE_LIST_PLACEHOLDERS:
            if key in placeholders:
                modes = placeholders[key].split(", ")
                placeholders[key] = ", ".join(_mode_name(mode) for mode in modes)
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"preference_{err.reason}",
        translation_placeholders={"field": field, **placeholders},
    )


def _preference_target(call: ServiceCall) -> tuple[AmpecoCoordinator, AmpecoChargerData]:
    coordinator, key = device_target(call.hass, call.data[ATTR_DEVICE_ID], DeviceKind.CHARGER)
    data = coordinator.data.chargers[key]
    if (
        not isinstance(coordinator, AmpecoCoordinator)
        or not isinstance(data, AmpecoChargerData)
        or data.preferences is None
    ):
        raise invalid("no_preferences", name=data.charger.name)
    return coordinator, data


async def _async_write_preferences(
    call: ServiceCall,
    prefs: SchedulePreferences | SolarPreferences | DynamicTariffPreferences | None,
) -> None:
    """Write the preferences (None: switch smart charging off) and show the answer."""
    coordinator, data = _preference_target(call)
    cp_id, client = data.charger.id, coordinator.client
    try:
        if prefs is None:
            answer = await client.async_disable(cp_id)
        else:
            answer = await client.async_set_preferences(cp_id, prefs, data.offered_modes)
    except PreferenceError as err:
        raise _preference_error(err) from err
    except ValidationError as err:
        # The contract's field keys (preferences.location) as the fields the user filled.
        fields = {
            neutral_field(name) or name: messages for name, messages in err.field_errors.items()
        }
        raise cloud_error(ValidationError(err.message, fields)) from err
    except SmartChargingError as err:
        raise cloud_error(err) from err
    coordinator.async_apply_preferences(cp_id, answer)


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
    await _async_write_preferences(call, prefs)


def _weekday(day: str) -> Weekday:
    try:
        return Weekday(day.lower())
    except ValueError as err:
        raise invalid("preference_invalid_day", field="weekdays", day=day) from err


async def _async_set_solar(call: ServiceCall) -> None:
    prefs = SolarPreferences(
        max_current_from_grid_a=call.data["max_current_from_grid"],
        solar_stable_time_s=call.data["solar_stable_time"],
    )
    await _async_write_preferences(call, prefs)


async def _async_set_dynamic_tariff(call: ServiceCall) -> None:
    provider = call.data["provider"]
    try:
        mode = PreferenceMode(provider)
    except ValueError:
        mode = PreferenceMode.UNKNOWN
    if mode not in TARIFF_MODES:
        raise invalid(
            "preference_invalid_provider",
            field="provider",
            provider=provider,
            allowed=", ".join(_mode_name(mode) for mode in sorted(TARIFF_MODES)),
        )
    prefs = DynamicTariffPreferences(
        provider=mode,
        **{key: call.data.get(key) for key in _TARIFF_FIELDS},
    )
    await _async_write_preferences(call, prefs)


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
    await _async_write_preferences(call, None)


# AMPECO's preference actions.
AMPECO_ACTIONS = (
    Action(SERVICE_SET_SCHEDULE, _async_set_schedule, SCHEDULE_SCHEMA),
    Action(SERVICE_SET_SOLAR, _async_set_solar, SOLAR_SCHEMA),
    Action(SERVICE_SET_DYNAMIC_TARIFF, _async_set_dynamic_tariff, TARIFF_SCHEMA),
    Action(SERVICE_DISABLE_PREFERENCES, _async_disable_preferences, DEVICE_SCHEMA),
)
