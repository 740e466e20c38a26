"""Sensor tables for cars and charging locations (Jedlix).

Kept apart from the charger and group tables in ``sensor.py`` so each table reads on
its own; ``sensor.py`` adds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfEnergy, UnitOfLength
from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api.models import (
    CalibrationState,
    ChargeState,
    PriceDataType,
    PricePoint,
    SessionStatus,
    TariffType,
)
from .coordinator import LocationData, SmartChargingCoordinator, VehicleData
from .entity import LocationEntity, VehicleEntity


@dataclass(frozen=True, kw_only=True)
class VehicleSensorDescription(SensorEntityDescription):
    """A car sensor."""

    value_fn: Callable[[VehicleData], StateType | datetime]
    exists_fn: Callable[[VehicleData], bool] = lambda data: True


def _session_energy(data: VehicleData) -> float | None:
    return data.session.energy_kwh if data.session else None


VEHICLE_SENSORS: tuple[VehicleSensorDescription, ...] = (
    VehicleSensorDescription(
        key="battery_level",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda data: data.vehicle.battery_level,
    ),
    VehicleSensorDescription(
        key="range",
        translation_key="range",
        device_class=SensorDeviceClass.DISTANCE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        value_fn=lambda data: data.vehicle.range_km,
    ),
    VehicleSensorDescription(
        key="charge_state",
        translation_key="charge_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in ChargeState],
        value_fn=lambda data: data.vehicle.charge_state.value,
    ),
    VehicleSensorDescription(
        key="last_update",
        translation_key="last_update",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.vehicle.updated_at,
    ),
    VehicleSensorDescription(
        key="desired_state_of_charge",
        translation_key="desired_state_of_charge",
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda data: data.vehicle.desired_state_of_charge,
        exists_fn=lambda data: data.vehicle.has("DesiredStateOfCharge"),
    ),
    VehicleSensorDescription(
        key="departure_time",
        translation_key="vehicle_departure_time",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: data.vehicle.departure_time,
        exists_fn=lambda data: data.vehicle.has("DepartureTimes"),
    ),
    VehicleSensorDescription(
        key="session_status",
        translation_key="session_status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in SessionStatus],
        value_fn=lambda data: data.session.status.value if data.session else None,
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
            data.session.calibration_state.value
            if data.session and data.session.calibration_state
            else None
        ),
    ),
)


def price_now(data: LocationData) -> PricePoint | None:
    """The price point that covers now."""
    now = dt_util.utcnow()
    for point in data.prices:
        if point.start <= now and (point.end is None or now < point.end):
            return point
    return None


def next_price_edge(data: LocationData, now: datetime) -> datetime | None:
    """When the next price hour (or quarter) starts or the last one ends."""
    edges = [t for p in data.prices for t in (p.start, p.end) if t is not None and t > now]
    return min(edges, default=None)


def _next_midnight(_data: LocationData, now: datetime) -> datetime:
    return dt_util.start_of_local_day(dt_util.as_local(now) + timedelta(days=1))


def _next_tariff_change(data: LocationData, now: datetime) -> datetime | None:
    if data.tariffs is None:
        return None
    local = data.tariffs.next_change(dt_util.as_local(now))
    return dt_util.as_utc(local) if local else None


def _solar_today(data: LocationData) -> float | None:
    if not data.solar:
        return None
    midnight = dt_util.start_of_local_day()
    return round(sum(p.energy_kwh or 0.0 for p in data.solar if p.start >= midnight), 3)


def _tariff_now(data: LocationData) -> str | None:
    if data.tariffs is None:
        return None
    tariff = data.tariffs.tariff_at(dt_util.now())
    return tariff.type.value if tariff else None


@dataclass(frozen=True, kw_only=True)
class LocationSensorDescription(SensorEntityDescription):
    """A charging-location sensor.

    ``next_change_fn`` says when the value can next change with no new data (a price
    hour starting, a tariff window, midnight), so the sensor looks again then.
    """

    value_fn: Callable[[LocationData], StateType | datetime]
    next_change_fn: Callable[[LocationData, datetime], datetime | None] | None = None


LOCATION_SENSORS: tuple[LocationSensorDescription, ...] = (
    LocationSensorDescription(
        key="price_data",
        translation_key="price_data",
        device_class=SensorDeviceClass.ENUM,
        options=[kind.value for kind in PriceDataType],
        value_fn=lambda data: point.data_type.value if (point := price_now(data)) else None,
        next_change_fn=next_price_edge,
    ),
    LocationSensorDescription(
        key="solar_energy_today",
        translation_key="solar_energy_today",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        value_fn=_solar_today,
        next_change_fn=_next_midnight,
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

CURRENT_PRICE = LocationSensorDescription(
    key="current_price",
    translation_key="current_price",
    state_class=SensorStateClass.MEASUREMENT,
    suggested_display_precision=3,
    value_fn=lambda data: point.price if (point := price_now(data)) else None,
    next_change_fn=next_price_edge,
)


def vehicle_sensors(coordinator: SmartChargingCoordinator, vehicle_id: str) -> list[SensorEntity]:
    """The sensors a car offers."""
    data = coordinator.data.vehicles[vehicle_id]
    return [
        VehicleSensor(coordinator, vehicle_id, description)
        for description in VEHICLE_SENSORS
        if description.exists_fn(data)
    ]


def location_sensors(coordinator: SmartChargingCoordinator, location_id: str) -> list[SensorEntity]:
    """The sensors of a charging location."""
    return [
        CurrentPriceSensor(coordinator, location_id, CURRENT_PRICE),
        *(LocationSensor(coordinator, location_id, d) for d in LOCATION_SENSORS),
    ]


class VehicleSensor(VehicleEntity, SensorEntity):
    """A sensor of a car."""

    entity_description: VehicleSensorDescription

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.vehicle_data)


class LocationSensor(LocationEntity, SensorEntity):
    """A sensor of a charging location.

    Prices and tariffs are read every few minutes but change on the hour (or the minute
    a tariff window starts), so a sensor whose value moves with the clock also writes
    its state at the next such moment, without asking the cloud.
    """

    entity_description: LocationSensorDescription
    _clock: CALLBACK_TYPE | None = None

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.location_data)

    async def async_added_to_hass(self) -> None:
        """Start following the clock."""
        await super().async_added_to_hass()
        self._follow_clock()

    async def async_will_remove_from_hass(self) -> None:
        """Stop following the clock."""
        self._stop_clock()
        await super().async_will_remove_from_hass()

    @callback
    def _handle_coordinator_update(self) -> None:
        self._follow_clock()
        super()._handle_coordinator_update()

    @callback
    def _follow_clock(self) -> None:
        """Look again when the value can next change (new data may move that moment)."""
        self._stop_clock()
        next_change = self.entity_description.next_change_fn
        if next_change is None or not self.available:
            return
        if (when := next_change(self.location_data, dt_util.utcnow())) is not None:
            self._clock = async_track_point_in_utc_time(self.hass, self._clock_struck, when)

    @callback
    def _clock_struck(self, _now: datetime) -> None:
        self._clock = None
        self._follow_clock()
        self.async_write_ha_state()

    def _stop_clock(self) -> None:
        if self._clock is not None:
            self._clock()
            self._clock = None


class CurrentPriceSensor(LocationSensor):
    """The price of energy now, with today's and tomorrow's prices for automations."""

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The currency per kWh of the location's prices."""
        currency = next((p.currency for p in self.location_data.prices if p.currency), None)
        return f"{currency}/{UnitOfEnergy.KILO_WATT_HOUR}" if currency else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Today's and tomorrow's prices (local days), and whether now's is a forecast."""
        # Local days can be 23 or 25 hours long; a day and an hour always reach the next.
        today = dt_util.start_of_local_day()
        tomorrow = dt_util.start_of_local_day(today + timedelta(hours=25))
        after = dt_util.start_of_local_day(tomorrow + timedelta(hours=25))
        point = price_now(self.location_data)

        def _day(start: datetime, end: datetime) -> list[dict[str, Any]]:
            return [
                {"start": p.start.isoformat(), "price": p.price, "forecast": p.is_forecast}
                for p in self.location_data.prices
                if start <= p.start < end
            ]

        return {
            "today": _day(today, tomorrow),
            "tomorrow": _day(tomorrow, after),
            "forecast": point.is_forecast if point else None,
        }
