"""Binary sensors: is the charger online, is the cable locked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import ChargerData
from .entity import ChargerEntity, VehicleEntity, add_charger_entities, add_entities
from .runtime import SmartChargingConfigEntry

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


VEHICLE_CONNECTED = BinarySensorEntityDescription(
    key="connected",
    translation_key="vehicle_connected",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every charger."""
    add_charger_entities(
        entry,
        async_add_entities,
        lambda coordinator, charger_id: (
            ChargerBinarySensor(coordinator, charger_id, description)
            for description in CHARGER_BINARY_SENSORS
            if description.exists_fn(coordinator.data.chargers[charger_id])
        ),
    )
    add_entities(
        entry,
        async_add_entities,
        "vehicles",
        lambda coordinator, vehicle_id: [
            VehicleConnected(coordinator, vehicle_id, VEHICLE_CONNECTED)
        ],
    )


class ChargerBinarySensor(ChargerEntity, BinarySensorEntity):
    """A binary sensor of a charger."""

    entity_description: ChargerBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The value from the latest snapshot."""
        return self.entity_description.value_fn(self.charger_data)


class VehicleConnected(VehicleEntity, BinarySensorEntity):
    """Whether the car is connected to Jedlix (its account link works)."""

    @property
    def is_on(self) -> bool | None:
        """The car's connection as Jedlix reports it."""
        return self.vehicle_data.vehicle.is_connected
