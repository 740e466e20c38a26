"""What a car's writable entities share: a time, a number and a switch a cloud describes.

The cloud's provider lists these descriptions (``coordinator.descriptions``), each with
its own read, write and "does this car have it". The entity of any of them shows what
the cloud last confirmed and writes through its description; the platforms add only
their own names for the value and the write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.helpers.entity import EntityDescription

from .coordinator import SmartChargingCoordinator
from .entity import VehicleEntity
from .helpers import handle_cloud_errors
from .model import VehicleData


@dataclass(frozen=True, kw_only=True)
class VehicleControlDescription[T](EntityDescription):
    """How a car's value is read, how it is written, and whether a car has it.

    ``set_fn`` writes and confirms (the cloud's answer updates the coordinator), or
    raises a translated error when the car cannot take it now.
    """

    value_fn: Callable[[VehicleData], T | None]
    set_fn: Callable[[SmartChargingCoordinator, str, T], Awaitable[None]]
    exists_fn: Callable[[VehicleData], bool]


class VehicleControlEntity[T](VehicleEntity):
    """A car's value, as the cloud last confirmed it, written through its description."""

    entity_description: VehicleControlDescription[T]

    def shown_from(self, data: VehicleData) -> object:
        """The value: what the state is made of."""
        return self.entity_description.value_fn(data)

    @property
    def native_value(self) -> T | None:
        """What the cloud (or the answer to our last write) says."""
        return self.entity_description.value_fn(self.vehicle_data)

    @handle_cloud_errors
    async def async_write(self, value: T) -> None:
        """Write the value; the cloud's read-back shows at once."""
        await self.entity_description.set_fn(self.coordinator, self.key, value)
