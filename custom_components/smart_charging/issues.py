"""Repair issues about an account's own state, raised by the shared coordinator.

- The cloud refuses the stored credentials: sign in again (the reauthentication flow
  is started as well; the issue says why it is needed and goes away once it worked).
- A charger has reported an error state for half an hour: check the charger.
- A group-limit change that was shown at once and sent later (coalesced with others)
  was refused by the cloud: the value in force is shown again, and the user is told.
Each issue is removed as soon as its cause is gone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity import Entity

from .clouds.models import ChargerStatus
from .const import DOMAIN
from .model import Snapshot

# How long a charger may report an error before the user is told.
CHARGER_ERROR_GRACE = timedelta(minutes=30)


def _auth_issue_id(entry: ConfigEntry) -> str:
    return f"invalid_credentials_{entry.entry_id}"


@callback
def async_credentials_refused(hass: HomeAssistant, entry: ConfigEntry) -> None:
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
def async_credentials_accepted(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """The credentials work (again): nothing to repair."""
    ir.async_delete_issue(hass, DOMAIN, _auth_issue_id(entry))


@callback
def async_check_chargers(
    hass: HomeAssistant,
    entry: ConfigEntry,
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


def _group_limit_issue_id(entry: ConfigEntry, entity: Entity) -> str:
    return f"group_limit_not_set_{entry.entry_id}_{entity.unique_id}"


@callback
def async_group_limit_refused(
    hass: HomeAssistant, entry: ConfigEntry, entity: Entity, limit: int, err: Exception
) -> None:
    """A limit the user set (and saw at once) was refused when it was sent later."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _group_limit_issue_id(entry, entity),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="group_limit_not_set",
        translation_placeholders={
            "group": str(entity.device_info.get("name") if entity.device_info else entity.name),
            "limit": str(limit),
            "error": str(err),
        },
    )


@callback
def async_group_limit_accepted(hass: HomeAssistant, entry: ConfigEntry, entity: Entity) -> None:
    """A later change went through: an earlier refusal no longer matters."""
    ir.async_delete_issue(hass, DOMAIN, _group_limit_issue_id(entry, entity))
