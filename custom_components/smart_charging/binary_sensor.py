"""Binary sensors: is the charger online, is its cable locked, is the car connected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartChargingConfigEntry
from .entity import ChargerEntity, SmartChargingEntity, VehicleEntity, add_described_entities
from .model import ChargerData, VehicleData
from .planner_entities import async_add_planner_entities

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ChargerBinarySensorDescription(BinarySensorEntityDescription):
    """A charger binary sensor."""

    value_fn: Callable[[ChargerData], bool | None]
    exists_fn: Callable[[ChargerData], bool]


CHARGER_BINARY_SENSORS: tuple[ChargerBinarySensorDescription, ...] = (
    ChargerBinarySensorDescription(
        key="online",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.state.online,
        exists_fn=lambda data: data.state.online is not None,
    ),
    ChargerBinarySensorDescription(
        key="cable_locked",
        translation_key="cable_locked",
        value_fn=lambda data: data.state.cable_locked,
        exists_fn=lambda data: data.state.cable_locked is not None,
    ),
)


@dataclass(frozen=True, kw_only=True)
class VehicleBinarySensorDescription(BinarySensorEntityDescription):
    """A car binary sensor."""

    value_fn: Callable[[VehicleData], bool | None]


VEHICLE_BINARY_SENSORS: tuple[VehicleBinarySensorDescription, ...] = (
    VehicleBinarySensorDescription(
        key="connected",
        translation_key="vehicle_connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        # Whether the car's link to its cloud works, as the cloud reports it.
        value_fn=lambda data: data.vehicle.is_connected,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every charger and car."""
    add_described_entities(
        entry,
        async_add_entities,
        {
            ChargerBinarySensorDescription: ChargerBinarySensor,
            VehicleBinarySensorDescription: VehicleBinarySensor,
        },
        (*CHARGER_BINARY_SENSORS, *VEHICLE_BINARY_SENSORS),
    )
    async_add_planner_entities(hass, entry, async_add_entities, Platform.BINARY_SENSOR)


class _DescribedBinarySensor(SmartChargingEntity, BinarySensorEntity):
    """A binary sensor whose description reads its value from the device's data."""

    entity_description: ChargerBinarySensorDescription | VehicleBinarySensorDescription

    def shown_from(self, data: Any) -> object:
        """The value: what the state is made of."""
        return self.entity_description.value_fn(data)

    @property
    def is_on(self) -> bool | None:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.device_data)


class ChargerBinarySensor(ChargerEntity, _DescribedBinarySensor):
    """A binary sensor of a charger."""

    entity_description: ChargerBinarySensorDescription


class VehicleBinarySensor(VehicleEntity, _DescribedBinarySensor):
    """A binary sensor of a car."""

    entity_description: VehicleBinarySensorDescription
