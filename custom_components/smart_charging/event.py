"""Events: something a device reports by counting it (a button's presses, say).

A cloud that counts such happenings describes the event in its provider package; the
entity fires once for each new count the cloud reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import SmartChargingConfigEntry
from .entity import ChargerEntity, add_described_entities
from .model import ChargerData

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ChargerEventDescription(EventEntityDescription):
    """A charger event: its counter, and the attribute that carries the count."""

    count_fn: Callable[[ChargerData], int | None]
    count_attribute: str
    exists_fn: Callable[[ChargerData], bool]


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the events the entry's cloud describes."""
    add_described_entities(entry, async_add_entities, {ChargerEventDescription: ChargerEvent}, ())


class ChargerEvent(ChargerEntity, EventEntity):
    """Fires its event type for each new count the cloud reports."""

    entity_description: ChargerEventDescription
    _last_count: int | None = None

    async def async_added_to_hass(self) -> None:
        """What was counted before Home Assistant started is not new."""
        await super().async_added_to_hass()
        self._last_count = self.entity_description.count_fn(self.charger_data) or 0

    @callback
    def _handle_coordinator_update(self) -> None:
        if self.key in self.coordinator.data.chargers:
            count = self.entity_description.count_fn(self.charger_data)
            if count is not None and count != self._last_count:
                self._last_count = count
                attribute = self.entity_description.count_attribute
                self._trigger_event(self.event_types[0], {attribute: count})
        super()._handle_coordinator_update()
