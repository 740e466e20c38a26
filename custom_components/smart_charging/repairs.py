"""Repair issues: what the user has to act on, shown under Settings > Repairs.

- The cloud refuses the stored credentials: sign in again (the reauthentication flow
  is started as well; the issue says why it is needed and goes away once it worked).
- A charger has reported an error state for half an hour: check the charger.
- Jedlix sent a message the user must act on (an invalid utility contract, say): the
  issue shows it, and fixing it dismisses the message in Jedlix.
Each issue is removed as soon as its cause is gone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .api.errors import SmartChargingError
from .api.models import ChargerStatus, Message
from .const import DOMAIN

EVENT_MESSAGE = f"{DOMAIN}_message"

if TYPE_CHECKING:
    from .coordinator import Snapshot
    from .runtime import SmartChargingConfigEntry

# How long a charger may report an error before the user is told.
CHARGER_ERROR_GRACE = timedelta(minutes=30)


def _auth_issue_id(entry: SmartChargingConfigEntry) -> str:
    return f"invalid_credentials_{entry.entry_id}"


@callback
def async_credentials_refused(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> None:
    """Tell the user the cloud no longer accepts the account's credentials."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _auth_issue_id(entry),
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="invalid_credentials",
        translation_placeholders={"account": entry.title},
    )


@callback
def async_credentials_accepted(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> None:
    """The credentials work (again): nothing to repair."""
    ir.async_delete_issue(hass, DOMAIN, _auth_issue_id(entry))


@callback
def async_check_chargers(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    snapshot: Snapshot,
    error_since: dict[str, datetime],
    now: datetime,
) -> None:
    """Raise an issue for a charger in error for too long; clear it when it recovers."""
    for charger_id, data in snapshot.chargers.items():
        issue_id = f"charger_error_{entry.entry_id}_{charger_id}"
        if data.state.status is not ChargerStatus.ERROR:
            if error_since.pop(charger_id, None) is not None:
                ir.async_delete_issue(hass, DOMAIN, issue_id)
            continue
        since = error_since.setdefault(charger_id, now)
        if now - since >= CHARGER_ERROR_GRACE:
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="charger_error",
                translation_placeholders={"charger": data.charger.name},
            )
    for charger_id in error_since.keys() - snapshot.chargers.keys():
        del error_since[charger_id]
        ir.async_delete_issue(hass, DOMAIN, f"charger_error_{entry.entry_id}_{charger_id}")


def _message_issue_id(entry: SmartChargingConfigEntry, message_id: str) -> str:
    return f"message_{entry.entry_id}_{message_id}"


@callback
def async_message_dismissed(
    hass: HomeAssistant, entry: SmartChargingConfigEntry, message_id: str
) -> None:
    """A message the user dismissed no longer needs its issue."""
    ir.async_delete_issue(hass, DOMAIN, _message_issue_id(entry, message_id))


def async_sync_messages(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    messages: tuple[Message, ...],
    seen: set[str],
    *,
    first: bool,
) -> None:
    """Fire an event for each new message; keep one issue per message that needs action.

    Messages already there when the entry loads are not new (a restart must not
    repeat them), but those that need the user still get their issue.
    """
    current = {message.id for message in messages}
    for message in messages:
        if message.id not in seen and not first:
            hass.bus.async_fire(
                EVENT_MESSAGE,
                {
                    "config_entry_id": entry.entry_id,
                    "message_id": message.id,
                    "type": message.type.value,
                    "type_raw": message.type_raw,
                    "title": message.title,
                    "body": message.body,
                    "needs_action": message.needs_action,
                },
            )
        if message.needs_action:
            ir.async_create_issue(
                hass,
                DOMAIN,
                _message_issue_id(entry, message.id),
                is_fixable=True,
                severity=ir.IssueSeverity.WARNING,
                translation_key="jedlix_message",
                translation_placeholders={
                    "title": message.title or message.type_raw or message.type.value,
                    "body": message.body or "",
                },
                data={"entry_id": entry.entry_id, "message_id": message.id},
            )
    for message_id in seen - current:
        ir.async_delete_issue(hass, DOMAIN, _message_issue_id(entry, message_id))
    seen.clear()
    seen.update(current)


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
        dismiss = getattr(entry.runtime_data.client, "async_dismiss_message", None)
        if dismiss is None:  # pragma: no cover - only Jedlix entries have message issues
            return self.async_abort(reason="entry_not_loaded")
        try:
            await dismiss(self._message_id)
        except SmartChargingError:
            return self.async_abort(reason="cannot_dismiss")
        coordinator.async_forget_message(self._message_id)
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue: only message issues are fixable."""
    assert data is not None
    return DismissMessageFlow(str(data["entry_id"]), str(data["message_id"]))
