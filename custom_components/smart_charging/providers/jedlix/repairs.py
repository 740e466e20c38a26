"""The fix of a Jedlix message issue: the user confirms, and the message is dismissed."""

from __future__ import annotations

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState

from ...clouds.errors import SmartChargingError
from ...coordinator import SmartChargingConfigEntry
from .coordinator import JedlixCoordinator


class DismissMessageFlow(RepairsFlow):
    """Fixing a message issue dismisses the message in Jedlix."""

    def __init__(self, entry_id: str, message_id: str) -> None:
        self._entry_id = entry_id
        self._message_id = message_id

    async def async_step_init(self, user_input: dict[str, str] | None = None) -> RepairsFlowResult:
        """Ask whether the user has dealt with the message."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Dismiss the message once the user confirms."""
        if user_input is None:
            return self.async_show_form(step_id="confirm")
        entry: SmartChargingConfigEntry | None = self.hass.config_entries.async_get_entry(
            self._entry_id
        )
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        coordinator = entry.runtime_data.coordinator
        if not isinstance(coordinator, JedlixCoordinator):  # pragma: no cover - always is
            return self.async_abort(reason="entry_not_loaded")
        try:
            await coordinator.client.async_dismiss_message(self._message_id)
        except SmartChargingError:
            return self.async_abort(reason="cannot_dismiss")
        coordinator.async_forget_message(self._message_id)
        return self.async_create_entry(data={})


def create_fix_flow(data: dict[str, str | int | float | None]) -> RepairsFlow:
    """The flow that fixes a message issue (the only fixable issue Jedlix raises)."""
    return DismissMessageFlow(str(data["entry_id"]), str(data["message_id"]))
