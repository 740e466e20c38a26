"""Times of day a driver sets on a car, such as when it leaves.

The descriptions come from the clouds (``coordinator.descriptions``): a time entity
exists where a cloud describes one and the car's data says it can take it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartChargingConfigEntry
from .entity import add_described_entities
from .vehicle_control import VehicleControlDescription, VehicleControlEntity

# One write at a time: clouds rate-limit writes.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class VehicleTimeDescription(TimeEntityDescription, VehicleControlDescription[time]):
    """A car's time of day: how to read it, how to write it, whether the car has it."""


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the times the cloud describes, on every car that can take them."""
    add_described_entities(entry, async_add_entities, {VehicleTimeDescription: VehicleTime}, ())


class VehicleTime(VehicleControlEntity[time], TimeEntity):
    """A time of day of a car, as the cloud last confirmed it (unknown while it has none)."""

    entity_description: VehicleTimeDescription

    async def async_set_value(self, value: time) -> None:
        """Write the time."""
        await self.async_write(value)
