"""The entities only AMPECO charge points have: the smart charging preferences in force.

AMPECO's personal smart charging (seed 000) lets a charge point owner pick one mode
(a schedule, solar, a dynamic tariff) and its values; these sensors show what is in
force, and show nothing of a mode that is not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import UnitOfElectricCurrent, UnitOfEnergy
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.typing import StateType

from ...clouds.ampeco.preferences import (
    TARIFF_MODES,
    DynamicTariffPreferences,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
)
from ...model import ChargerData, provider_data
from ...sensor import ChargerSensorDescription
from ...sensor_kinds import enum_kind, named
from .model import AmpecoChargerData


def _preferences(data: ChargerData) -> Preferences | None:
    """The charge point's preferences, as the cloud last reported them."""
    ampeco = provider_data(data, AmpecoChargerData)
    return ampeco.preferences if ampeco else None


def _has_preferences(data: ChargerData) -> bool:
    return _preferences(data) is not None


def _active(data: ChargerData) -> Preferences | None:
    """The preferences in force: none while smart charging is off."""
    prefs = _preferences(data)
    return prefs if prefs is not None and prefs.enabled else None


def _schedule(data: ChargerData) -> SchedulePreferences | None:
    prefs = _active(data)
    return (
        prefs.schedule if prefs and prefs.mode is PreferenceMode.USER_CONTROLLED_SCHEDULE else None
    )


def _solar(data: ChargerData) -> SolarPreferences | None:
    prefs = _active(data)
    return prefs.solar if prefs and prefs.mode is PreferenceMode.SOLAR else None


def _tariff(data: ChargerData) -> DynamicTariffPreferences | None:
    prefs = _active(data)
    return prefs.tariff if prefs and prefs.mode in TARIFF_MODES else None


def _target_kwh(data: ChargerData) -> float | None:
    """The energy the car should have by the end of the window or at departure."""
    if (schedule := _schedule(data)) is not None:
        return schedule.max_target_kwh or schedule.min_target_kwh
    if (tariff := _tariff(data)) is not None:
        return tariff.target_kwh or tariff.max_target_kwh or tariff.min_target_kwh
    return None


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _window_start(data: ChargerData) -> str | None:
    schedule = _schedule(data)
    return _hhmm(schedule.start_time) if schedule else None


def _window_end(data: ChargerData) -> str | None:
    schedule = _schedule(data)
    return _hhmm(schedule.end_time) if schedule else None


def _departure(data: ChargerData) -> str | None:
    tariff = _tariff(data)
    return _hhmm(tariff.departure_time) if tariff else None


def _price_threshold(data: ChargerData) -> float | None:
    tariff = _tariff(data)
    return tariff.price_threshold if tariff else None


def _grid_current(data: ChargerData) -> float | None:
    solar = _solar(data)
    return solar.max_current_from_grid_a if solar else None


def _preference(
    key: str,
    value_fn: Callable[[ChargerData], StateType],
    device_class: SensorDeviceClass | None = None,
    unit: str | None = None,
) -> ChargerSensorDescription:
    """A sensor of one preference value: on every charge point the cloud reports them for."""
    return ChargerSensorDescription(
        **named(key),
        device_class=device_class,
        native_unit_of_measurement=unit,
        value_fn=value_fn,
        exists_fn=_has_preferences,
    )


AMPECO_DESCRIPTIONS: tuple[EntityDescription, ...] = (
    ChargerSensorDescription(
        **enum_kind("preference_mode", PreferenceMode),
        value_fn=lambda data: prefs.mode.value if (prefs := _preferences(data)) else None,
        exists_fn=_has_preferences,
    ),
    _preference("window_start", _window_start),
    _preference("window_end", _window_end),
    _preference("departure_time", _departure),
    _preference(
        "target_energy", _target_kwh, SensorDeviceClass.ENERGY_STORAGE, UnitOfEnergy.KILO_WATT_HOUR
    ),
    _preference("price_threshold", _price_threshold),
    _preference(
        "max_current_from_grid",
        _grid_current,
        SensorDeviceClass.CURRENT,
        UnitOfElectricCurrent.AMPERE,
    ),
)
