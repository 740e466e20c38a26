"""The entities only Jedlix has: a car's session and the tariff in force at a location."""

from __future__ import annotations

from datetime import datetime

from homeassistant.helpers.entity import EntityDescription
from homeassistant.util import dt as dt_util

from ...clouds.jedlix.models import CalibrationState, Session, SessionStatus, TariffType
from ...location_sensor import LocationSensorDescription
from ...model import LocationData, VehicleData, provider_data
from ...sensor import VehicleSensorDescription
from ...sensor_kinds import energy_kwh, enum_kind
from .model import JedlixLocationData, JedlixVehicleData


def _session(data: VehicleData) -> Session | None:
    jedlix = provider_data(data, JedlixVehicleData)
    return jedlix.session if jedlix else None


def _session_energy(data: VehicleData) -> float | None:
    session = _session(data)
    return session.energy_kwh if session else None


def _next_tariff_change(data: LocationData, now: datetime) -> datetime | None:
    location = provider_data(data, JedlixLocationData)
    if location is None or location.tariffs is None:
        return None
    local = location.tariffs.next_change(dt_util.as_local(now))
    return dt_util.as_utc(local) if local else None


def _tariff_now(data: LocationData) -> str | None:
    location = provider_data(data, JedlixLocationData)
    if location is None or location.tariffs is None:
        return None
    tariff = location.tariffs.tariff_at(dt_util.now())
    return tariff.type.value if tariff else None


JEDLIX_DESCRIPTIONS: tuple[EntityDescription, ...] = (
    VehicleSensorDescription(
        **enum_kind("session_status", SessionStatus),
        value_fn=lambda data: session.status.value if (session := _session(data)) else None,
    ),
    VehicleSensorDescription(
        **energy_kwh("session_energy"),
        suggested_display_precision=2,
        value_fn=_session_energy,
        period_fn=lambda data: session.id if (session := _session(data)) else None,
    ),
    VehicleSensorDescription(
        # For the Energy dashboard: Jedlix counts energy per session only.
        **energy_kwh("charged_energy"),
        suggested_display_precision=2,
        value_fn=_session_energy,
        period_fn=lambda data: session.id if (session := _session(data)) else None,
        totalled=True,
    ),
    VehicleSensorDescription(
        **enum_kind("calibration_state", CalibrationState),
        value_fn=lambda data: (
            session.calibration_state.value
            if (session := _session(data)) and session.calibration_state
            else None
        ),
    ),
    LocationSensorDescription(
        **enum_kind("tariff_in_force", TariffType),
        value_fn=_tariff_now,
        next_change_fn=_next_tariff_change,
    ),
)
