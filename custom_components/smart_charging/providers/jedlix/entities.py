"""The entities only Jedlix has: a car's session and the tariff in force at a location."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import UnitOfEnergy
from homeassistant.helpers.entity import EntityDescription
from homeassistant.util import dt as dt_util

from ...clouds.jedlix.models import (
    CalibrationState,
    Session,
    SessionStatus,
    TariffSettings,
    TariffType,
)
from ...location_sensor import LocationSensorDescription
from ...model import LocationData, VehicleData
from ...sensor import VehicleSensorDescription
from .model import JedlixLocationData, JedlixVehicleData


def _session(data: VehicleData) -> Session | None:
    return data.session if isinstance(data, JedlixVehicleData) else None


def _session_energy(data: VehicleData) -> float | None:
    session = _session(data)
    return session.energy_kwh if session else None


def _tariffs(data: LocationData) -> TariffSettings | None:
    return data.tariffs if isinstance(data, JedlixLocationData) else None


def _next_tariff_change(data: LocationData, now: datetime) -> datetime | None:
    if (tariffs := _tariffs(data)) is None:
        return None
    local = tariffs.next_change(dt_util.as_local(now))
    return dt_util.as_utc(local) if local else None


def _tariff_now(data: LocationData) -> str | None:
    if (tariffs := _tariffs(data)) is None:
        return None
    tariff = tariffs.tariff_at(dt_util.now())
    return tariff.type.value if tariff else None


JEDLIX_DESCRIPTIONS: tuple[EntityDescription, ...] = (
    VehicleSensorDescription(
        key="session_status",
        translation_key="session_status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in SessionStatus],
        value_fn=lambda data: session.status.value if (session := _session(data)) else None,
    ),
    VehicleSensorDescription(
        key="session_energy",
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=_session_energy,
    ),
    VehicleSensorDescription(
        key="calibration_state",
        translation_key="calibration_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in CalibrationState],
        value_fn=lambda data: (
            session.calibration_state.value
            if (session := _session(data)) and session.calibration_state
            else None
        ),
    ),
    LocationSensorDescription(
        key="tariff_in_force",
        translation_key="tariff_in_force",
        device_class=SensorDeviceClass.ENUM,
        options=[kind.value for kind in TariffType],
        value_fn=_tariff_now,
        next_change_fn=_next_tariff_change,
    ),
)
