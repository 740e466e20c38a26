"""Jedlix's messages: an event for each new one, a repair issue for those that need the user.

Jedlix tells the user about their sessions and their car's or contract's problems in
messages (seed 002). Each new message fires ``smart_charging_message``; one that stays
true until the user fixes something (an invalid utility contract, say) is also a repair
issue, whose fix dismisses the message in Jedlix.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from ...clouds.jedlix.models import Message
from ...const import DOMAIN

EVENT_MESSAGE = f"{DOMAIN}_message"


def _message_issue_id(entry: ConfigEntry, message_id: str) -> str:
    return f"message_{entry.entry_id}_{message_id}"


@callback
def async_message_dismissed(hass: HomeAssistant, entry: ConfigEntry, message_id: str) -> None:
    """A message the user dismissed no longer needs its issue."""
    ir.async_delete_issue(hass, DOMAIN, _message_issue_id(entry, message_id))


def async_sync_messages(
    hass: HomeAssistant,
    entry: ConfigEntry,
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
