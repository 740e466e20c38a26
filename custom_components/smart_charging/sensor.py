"""Sensors: what chargers, groups, cars and charging locations report.

The descriptions here are what every cloud's devices can have (a sensor exists when its
device's data has a value for it); a cloud's own sensors are described in its provider
package and added with these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfElectricCurrent,
    UnitOfLength,
    UnitOfPower,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .clouds.models import (
    ChargerStatus,
    ChargeState,
    LimitSource,
    NoCurrentReason,
)
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .entity import (
    ChargerEntity,
    GroupEntity,
    SmartChargingEntity,
    StationEntity,
    VehicleEntity,
    add_described_entities,
    add_entities,
)
from .location_sensor import (
    CURRENT_PRICE,
    LOCATION_SENSORS,
    CurrentPriceSensor,
    LocationSensor,
    LocationSensorDescription,
    PriceSensorDescription,
)
from .meter import MeterSensor
from .model import ChargerData, DeviceKind, GroupData, StationData, VehicleData
from .planner_entities import async_add_planner_entities
from .sensor_kinds import energy_kwh, enum_kind, measured

# Read-only: the coordinator does all the fetching.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ChargerSensorDescription(SensorEntityDescription):
    """A charger sensor: where its value comes from and when the charger has one."""

    value_fn: Callable[[ChargerData], StateType]
    exists_fn: Callable[[ChargerData], bool] = lambda data: True
    # For a meter: what its value counts within (see meter.py); None: never starts again.
    period_fn: Callable[[ChargerData], object] | None = None
    # A total of every period's value (see meter.py), not the value of the period.
    totalled: bool = False


@dataclass(frozen=True, kw_only=True)
class VehicleSensorDescription(SensorEntityDescription):
    """A car sensor."""

    value_fn: Callable[[VehicleData], StateType | datetime]
    exists_fn: Callable[[VehicleData], bool] = lambda data: True
    # For a meter: what its value counts within (see meter.py); None: never starts again.
    period_fn: Callable[[VehicleData], object] | None = None
    # A total of every period's value (see meter.py), not the value of the period.
    totalled: bool = False


def _raw_code(key: str, value_fn: Callable[[ChargerData], int | None]) -> ChargerSensorDescription:
    """A charger's raw code, for troubleshooting: diagnostic, and off until turned on.

    A charger has the sensor when it reports the code.
    """
    return ChargerSensorDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=value_fn,
        exists_fn=lambda data: value_fn(data) is not None,
    )


def _charger_session(data: ChargerData) -> object:
    """A session's energy starts again from zero once the car has left.

    A drop is a new session when the charger was seen without a car since the last
    value, or when the energy is back at zero; any other dip is held.
    """
    state = data.state
    return (state.status is ChargerStatus.DISCONNECTED, state.session_energy_kwh == 0)


CHARGER_SENSORS: tuple[ChargerSensorDescription, ...] = (
    ChargerSensorDescription(
        **enum_kind("status", ChargerStatus),
        value_fn=lambda data: data.state.status.value,
    ),
    ChargerSensorDescription(
        **enum_kind("reason_for_no_current", NoCurrentReason),
        value_fn=lambda data: data.state.reason.value if data.state.reason else None,
        exists_fn=lambda data: data.state.reason_code is not None,
    ),
    _raw_code("reason_code", lambda data: data.state.reason_code),
    ChargerSensorDescription(
        key="power",
        **measured(SensorDeviceClass.POWER, UnitOfPower.KILO_WATT),
        suggested_display_precision=2,
        value_fn=lambda data: data.state.power_kw,
        exists_fn=lambda data: data.state.power_kw is not None,
    ),
    ChargerSensorDescription(
        key="current",
        **measured(SensorDeviceClass.CURRENT, UnitOfElectricCurrent.AMPERE),
        suggested_display_precision=1,
        value_fn=lambda data: data.state.current_a,
        exists_fn=lambda data: data.state.current_a is not None,
    ),
    ChargerSensorDescription(
        # Starts again from zero with each session; Home Assistant reads a drop as a reset.
        **energy_kwh("session_energy"),
        suggested_display_precision=2,
        value_fn=lambda data: data.state.session_energy_kwh,
        period_fn=_charger_session,
        exists_fn=lambda data: data.state.session_energy_kwh is not None,
    ),
    ChargerSensorDescription(
        # For the Energy dashboard where the cloud counts only per session: the sessions'
        # energy added up since Home Assistant first saw the charger.
        **energy_kwh("charged_energy"),
        suggested_display_precision=2,
        value_fn=lambda data: data.state.session_energy_kwh,
        period_fn=_charger_session,
        totalled=True,
        exists_fn=lambda data: (
            data.state.session_energy_kwh is not None and data.state.lifetime_energy_kwh is None
        ),
    ),
    ChargerSensorDescription(
        **energy_kwh("lifetime_energy"),
        suggested_display_precision=1,
        value_fn=lambda data: data.state.lifetime_energy_kwh,
        exists_fn=lambda data: data.state.lifetime_energy_kwh is not None,
    ),
    ChargerSensorDescription(
        key="dynamic_current",
        translation_key="dynamic_current",
        **measured(SensorDeviceClass.CURRENT, UnitOfElectricCurrent.AMPERE),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.state.dynamic_current_a,
        exists_fn=lambda data: data.state.dynamic_current_a is not None,
    ),
    _raw_code("led_mode", lambda data: data.state.led_mode),
)


def _external(data: GroupData) -> float | None:
    """The external limit while it holds."""
    external = data.limit.external
    if external is None or (external.end is not None and external.end <= dt_util.utcnow()):
        return None
    return external.limit_kw


def _power_kw(
    key: str, value_fn: Callable[[GroupData], StateType | datetime]
) -> GroupSensorDescription:
    return GroupSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        value_fn=value_fn,
    )


@dataclass(frozen=True, kw_only=True)
class GroupSensorDescription(SensorEntityDescription):
    """A charger-group sensor."""

    value_fn: Callable[[GroupData], StateType | datetime]


GROUP_SENSORS: tuple[GroupSensorDescription, ...] = (
    GroupSensorDescription(
        key="active_limit",
        translation_key="active_limit",
        **measured(SensorDeviceClass.POWER, UnitOfPower.KILO_WATT),
        value_fn=lambda data: data.limit.active_kw,
    ),
    GroupSensorDescription(
        **enum_kind("active_limit_source", LimitSource),
        value_fn=lambda data: data.limit.source.value,
    ),
    _power_kw("default_limit", lambda data: data.limit.default_kw),
    _power_kw("scheduled_limit", lambda data: data.limit.scheduled_kw),
    _power_kw("external_limit", _external),
    GroupSensorDescription(
        key="external_limit_end",
        translation_key="external_limit_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: (
            data.limit.external.end if data.limit.external and _external(data) else None
        ),
    ),
    GroupSensorDescription(
        key="next_limit_change",
        translation_key="next_limit_change",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: data.next_change[0] if data.next_change else None,
    ),
    _power_kw("next_limit", lambda data: data.next_change[1] if data.next_change else None),
)


VEHICLE_SENSORS: tuple[VehicleSensorDescription, ...] = (
    VehicleSensorDescription(
        key="battery_level",
        **measured(SensorDeviceClass.BATTERY, PERCENTAGE),
        value_fn=lambda data: data.vehicle.battery_level,
    ),
    VehicleSensorDescription(
        key="range",
        translation_key="range",
        **measured(SensorDeviceClass.DISTANCE, UnitOfLength.KILOMETERS),
        value_fn=lambda data: data.vehicle.range_km,
    ),
    VehicleSensorDescription(
        **enum_kind("charge_state", ChargeState),
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
)


def _position_sensor(position: int) -> SensorEntityDescription:
    """The power one position (connector) of a charger was given by its group."""
    return SensorEntityDescription(
        key=f"position_{position}_limit",
        translation_key="position_limit",
        translation_placeholders={"position": str(position)},
        **measured(SensorDeviceClass.POWER, UnitOfPower.KILO_WATT),
    )


def _station_sensors(coordinator: SmartChargingCoordinator, identity: str) -> list[SensorEntity]:
    station = coordinator.data.stations[identity].station
    return [
        PositionLimitSensor(coordinator, identity, _position_sensor(position))
        for position in range(1, station.positions + 1)
    ]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every device, now and as devices appear."""
    add_described_entities(
        entry,
        async_add_entities,
        {
            ChargerSensorDescription: ChargerSensor,
            GroupSensorDescription: GroupSensor,
            VehicleSensorDescription: VehicleSensor,
            LocationSensorDescription: LocationSensor,
            PriceSensorDescription: CurrentPriceSensor,
        },
        (*CHARGER_SENSORS, *GROUP_SENSORS, *VEHICLE_SENSORS, CURRENT_PRICE, *LOCATION_SENSORS),
    )
    add_entities(entry, async_add_entities, DeviceKind.STATION, _station_sensors)
    async_add_planner_entities(hass, entry, async_add_entities, Platform.SENSOR)


class _DescribedMeter(SmartChargingEntity, MeterSensor):
    """A sensor its description reads from the device's data.

    A meter among them never goes down within its period (see meter.py).
    """

    entity_description: ChargerSensorDescription | VehicleSensorDescription

    def _reading(self, data: Any) -> tuple[StateType | datetime, object]:
        """The value and the meter's period."""
        description = self.entity_description
        period = description.period_fn(data) if description.period_fn else None
        return (description.value_fn(data), period)

    def shown_from(self, data: Any) -> object:
        """The value and the meter's period: what the state is made of."""
        return self._reading(data)

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the latest snapshot."""
        value, period = self._reading(self.device_data)
        meter = self.totalled if self.entity_description.totalled else self.metered
        return meter(value, period)


class ChargerSensor(ChargerEntity, _DescribedMeter):
    """A sensor of a charger."""

    entity_description: ChargerSensorDescription


class GroupSensor(GroupEntity, SensorEntity):
    """A sensor of a charger group."""

    entity_description: GroupSensorDescription

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.group_data)


class PositionLimitSensor(StationEntity, SensorEntity):
    """The power the group gave one position of a charger (0 kW: none)."""

    def __init__(
        self,
        coordinator: SmartChargingCoordinator,
        key: str,
        description: SensorEntityDescription,
    ) -> None:
        super().__init__(coordinator, key, description)
        self._position = int(description.key.split("_")[1])

    def shown_from(self, data: StationData) -> object:
        """This position's share: what the state is made of."""
        return data.position_limits.get(self._position)

    @property
    def native_value(self) -> float | None:
        """The latest share, unknown before the first sample."""
        return self.station_data.position_limits.get(self._position)


class VehicleSensor(VehicleEntity, _DescribedMeter):
    """A sensor of a car."""

    entity_description: VehicleSensorDescription
