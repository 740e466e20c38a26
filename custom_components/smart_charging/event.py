"""Events: the charger's smart button was pressed."""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ChargerEntity, add_charger_entities
from .runtime import SmartChargingConfigEntry

PARALLEL_UPDATES = 0

SMART_BUTTON = EventEntityDescription(
    key="smart_button",
    translation_key="smart_button",
    event_types=["pressed"],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a smart-button event to chargers that have a smart-button setting."""
    add_charger_entities(
        entry,
        async_add_entities,
        lambda coordinator, charger_id: (
            [SmartButtonEvent(coordinator, charger_id, SMART_BUTTON)]
            if coordinator.data.chargers[charger_id].settings is not None
            else []
        ),
    )


class SmartButtonEvent(ChargerEntity, EventEntity):
    """Fires ``pressed`` for each press the cloud reports (when forwarding is on)."""

    _last_count: int | None = None

    async def async_added_to_hass(self) -> None:
        """Presses from before Home Assistant started are not new presses."""
        await super().async_added_to_hass()
        button = self.charger_data.button
        self._last_count = button.count if button else 0

    @callback
    def _handle_coordinator_update(self) -> None:
        if self.key in self.coordinator.data.chargers:
            button = self.charger_data.button
            if button is not None and button.count != self._last_count:
                self._last_count = button.count
                self._trigger_event("pressed", {"presses": button.count})
        super()._handle_coordinator_update()
