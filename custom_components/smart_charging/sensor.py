"""Sensors: what a charger is doing and how much energy it gave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfEnergy,
    UnitOfPower,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .api.models import ChargerStatus, LimitSource, NoCurrentReason
from .api.preferences import (
    TARIFF_MODES,
    DynamicTariffPreferences,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
)
from .coordinator import ChargerData, GroupData, SmartChargingCoordinator
from .entity import ChargerEntity, GroupEntity, StationEntity, add_charger_entities, add_entities
from .runtime import SmartChargingConfigEntry
from .sensor_jedlix import location_sensors, vehicle_sensors

# Read-only: the coordinator does all the fetching.
PARALLEL_UPDATES = 0


def _has_preferences(data: ChargerData) -> bool:
    return data.preferences is not None


def _active(data: ChargerData) -> Preferences | None:
    """The preferences in force: none while smart charging is off."""
    prefs = data.preferences
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


@dataclass(frozen=True, kw_only=True)
class ChargerSensorDescription(SensorEntityDescription):
    """A charger sensor: where its value comes from and when the charger has one."""

    value_fn: Callable[[ChargerData], StateType]
    exists_fn: Callable[[ChargerData], bool] = lambda data: True


CHARGER_SENSORS: tuple[ChargerSensorDescription, ...] = (
    ChargerSensorDescription(
        key="status",
        translation_key="status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in ChargerStatus],
        value_fn=lambda data: data.state.status.value,
    ),
    ChargerSensorDescription(
        key="reason_for_no_current",
        translation_key="reason_for_no_current",
        device_class=SensorDeviceClass.ENUM,
        options=[reason.value for reason in NoCurrentReason],
        value_fn=lambda data: data.state.reason.value if data.state.reason else None,
        exists_fn=lambda data: data.state.reason_code is not None,
    ),
    ChargerSensorDescription(
        key="reason_code",
        translation_key="reason_code",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: data.state.reason_code,
        exists_fn=lambda data: data.state.reason_code is not None,
    ),
    ChargerSensorDescription(
        key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        suggested_display_precision=2,
        value_fn=lambda data: data.state.power_kw,
        exists_fn=lambda data: data.state.power_kw is not None,
    ),
    ChargerSensorDescription(
        key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        value_fn=lambda data: data.state.current_a,
        exists_fn=lambda data: data.state.current_a is not None,
    ),
    ChargerSensorDescription(
        key="session_energy",
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        # Starts again from zero with each session; Home Assistant reads a drop as a reset.
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda data: data.state.session_energy_kwh,
        exists_fn=lambda data: data.state.session_energy_kwh is not None,
    ),
    ChargerSensorDescription(
        key="lifetime_energy",
        translation_key="lifetime_energy",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=1,
        value_fn=lambda data: data.state.lifetime_energy_kwh,
        exists_fn=lambda data: data.state.lifetime_energy_kwh is not None,
    ),
    ChargerSensorDescription(
        key="dynamic_current",
        translation_key="dynamic_current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.state.dynamic_current_a,
        exists_fn=lambda data: data.state.dynamic_current_a is not None,
    ),
    ChargerSensorDescription(
        key="preference_mode",
        translation_key="preference_mode",
        device_class=SensorDeviceClass.ENUM,
        options=[mode.value for mode in PreferenceMode],
        value_fn=lambda data: data.preferences.mode.value if data.preferences else None,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="window_start",
        translation_key="window_start",
        value_fn=_window_start,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="window_end",
        translation_key="window_end",
        value_fn=_window_end,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="departure_time",
        translation_key="departure_time",
        value_fn=_departure,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="target_energy",
        translation_key="target_energy",
        device_class=SensorDeviceClass.ENERGY_STORAGE,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        value_fn=_target_kwh,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="price_threshold",
        translation_key="price_threshold",
        value_fn=_price_threshold,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="max_current_from_grid",
        translation_key="max_current_from_grid",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        value_fn=_grid_current,
        exists_fn=_has_preferences,
    ),
    ChargerSensorDescription(
        key="led_mode",
        translation_key="led_mode",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=lambda data: data.state.led_mode,
        exists_fn=lambda data: data.state.led_mode is not None,
    ),
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
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        value_fn=lambda data: data.limit.active_kw,
    ),
    GroupSensorDescription(
        key="active_limit_source",
        translation_key="active_limit_source",
        device_class=SensorDeviceClass.ENUM,
        options=[source.value for source in LimitSource],
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


def _position_sensor(position: int) -> SensorEntityDescription:
    """The power one position (connector) of a charger was given by its group."""
    return SensorEntityDescription(
        key=f"position_{position}_limit",
        translation_key="position_limit",
        translation_placeholders={"position": str(position)},
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
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
    """Add the sensors of every charger, now and as chargers appear."""
    add_charger_entities(
        entry,
        async_add_entities,
        lambda coordinator, charger_id: (
            ChargerSensor(coordinator, charger_id, description)
            for description in CHARGER_SENSORS
            if description.exists_fn(coordinator.data.chargers[charger_id])
        ),
    )
    add_entities(
        entry,
        async_add_entities,
        "groups",
        lambda coordinator, group_id: (
            GroupSensor(coordinator, group_id, description) for description in GROUP_SENSORS
        ),
    )
    add_entities(entry, async_add_entities, "stations", _station_sensors)
    add_entities(entry, async_add_entities, "vehicles", vehicle_sensors)
    add_entities(entry, async_add_entities, "locations", location_sensors)


class ChargerSensor(ChargerEntity, SensorEntity):
    """A sensor of a charger."""

    entity_description: ChargerSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.charger_data)


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

    @property
    def native_value(self) -> float | None:
        """The latest share, unknown before the first sample."""
        return self.station_data.position_limits.get(self._position)
