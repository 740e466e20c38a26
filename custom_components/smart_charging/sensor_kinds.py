"""The keyword sets that many sensor descriptions share, one function a kind.

Every cloud's devices have enum, energy and measured sensors that differ only in their
key, value and exists functions; spreading one of these into a description
(``ChargerSensorDescription(**energy_kwh("session_energy"), value_fn=...)``) keeps the
kind's device class, state class and unit the same everywhere. They return typed
keyword sets rather than descriptions so that each description keeps its own class and
its value functions stay type-checked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypedDict

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import UnitOfEnergy


class Measured(TypedDict):
    """Keywords of a quantity: its device class, state class and unit."""

    device_class: SensorDeviceClass
    state_class: SensorStateClass
    native_unit_of_measurement: str


class Named(TypedDict):
    """Keywords of an entity named by its key: the key is also its translation key."""

    key: str
    translation_key: str


class NamedMeasured(Measured, Named):
    """A quantity's keywords with its key, which is also its translation key."""


class NamedEnum(Named):
    """Keywords of an enum sensor: its key (also its translation key) and options."""

    device_class: SensorDeviceClass
    options: list[str]


def named(key: str) -> Named:
    """Any entity (not only a sensor) whose name is translated under its own key."""
    return {"key": key, "translation_key": key}


def enum_kind(key: str, values: type[StrEnum]) -> NamedEnum:
    """A sensor whose state is one of an enumeration's values (and translated)."""
    return {
        "key": key,
        "translation_key": key,
        "device_class": SensorDeviceClass.ENUM,
        "options": [value.value for value in values],
    }


def energy_kwh(key: str) -> NamedMeasured:
    """Energy in kWh that only grows (a drop is read as a reset, as a new session)."""
    return {
        "key": key,
        "translation_key": key,
        "device_class": SensorDeviceClass.ENERGY,
        "state_class": SensorStateClass.TOTAL_INCREASING,
        "native_unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
    }


def measured(device_class: SensorDeviceClass, unit: str) -> Measured:
    """A quantity measured now (power, current, a level), kept in long-term statistics."""
    return {
        "device_class": device_class,
        "state_class": SensorStateClass.MEASUREMENT,
        "native_unit_of_measurement": unit,
    }
