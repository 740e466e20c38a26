"""Times of day a driver sets on a car, such as when it leaves.

The descriptions come from the clouds (``coordinator.descriptions``): a time entity
exists where a cloud describes one and the car's data says it can take it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .entity import VehicleEntity, add_described_entities
from .helpers import handle_cloud_errors
from .model import VehicleData

# One write at a time: clouds rate-limit writes.
PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class VehicleTimeDescription(TimeEntityDescription):
    """A car's time of day: how to read it, how to write it, whether the car has it.

    ``set_fn`` writes and confirms (the cloud's answer updates the coordinator), or
    raises a translated error when the car cannot take it now.
    """

    value_fn: Callable[[VehicleData], time | None]
    set_fn: Callable[[SmartChargingCoordinator, str, time], Awaitable[None]]
    exists_fn: Callable[[VehicleData], bool]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the times the cloud describes, on every car that can take them."""
    add_described_entities(entry, async_add_entities, {VehicleTimeDescription: VehicleTime}, ())


class VehicleTime(VehicleEntity, TimeEntity):
    """A time of day of a car, as the cloud last confirmed it."""

    entity_description: VehicleTimeDescription

    def current_value(self) -> object:
        """What the cloud says now."""
        return self.entity_description.value_fn(self.vehicle_data)

    @property
    def native_value(self) -> time | None:
        """The time the cloud confirmed (unknown while the car has none)."""
        value = self.current_value()
        return value if isinstance(value, time) else None

    @handle_cloud_errors
    async def async_set_value(self, value: time) -> None:
        """Write the time; the cloud's read-back shows at once."""
        await self.entity_description.set_fn(self.coordinator, self.key, value)
