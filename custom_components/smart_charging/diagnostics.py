"""Diagnostics: what the integration knows, with every secret and personal detail removed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_TOKEN, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .const import (
    CONF_API_KEY,
    CONF_API_TOKEN,
    CONF_BASE_URL,
    CONF_PROVIDER,
    CONF_USER_ID,
    DOMAIN,
)
from .coordinator import SmartChargingConfigEntry
from .model import DeviceKind, device_key

# Credentials, and whatever tells who or where the user is.
TO_REDACT = {
    CONF_PASSWORD,
    CONF_TOKEN,
    CONF_USERNAME,
    CONF_API_KEY,
    CONF_API_TOKEN,
    CONF_USER_ID,
    CONF_BASE_URL,
    "title",
    "unique_id",
    "user_id",
    "userId",
    "address",
    "street",
    "houseNumber",
    "postalCode",
    "postal_code",
    "post_code",
    "postCode",
    "city",
    "coordinates",
    "latitude",
    "longitude",
    "email",
}


def _snapshot(entry: SmartChargingConfigEntry) -> dict[str, Any] | None:
    """The last data, for a loaded entry (an unloaded one has none)."""
    if entry.state is not ConfigEntryState.LOADED:
        return None
    return asdict(entry.runtime_data.coordinator.data)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SmartChargingConfigEntry
) -> dict[str, Any]:
    """The entry, its options and the last data, redacted."""
    loaded = entry.state is ConfigEntryState.LOADED
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "last_update_success": (
                entry.runtime_data.coordinator.last_update_success if loaded else None
            ),
            "data": _snapshot(entry),
        },
        TO_REDACT,
    )


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: SmartChargingConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """What is known about one device (a charger, a group, a car...), redacted."""
    found: dict[str, dict[str, Any]] = {kind.value: {} for kind in DeviceKind}
    if entry.state is ConfigEntryState.LOADED:
        snapshot = entry.runtime_data.coordinator.data
        provider = entry.data[CONF_PROVIDER]
        for kind in DeviceKind:
            for key, data in snapshot.devices(kind).items():
                if (DOMAIN, device_key(provider, kind, key)) in device.identifiers:
                    found[kind.value][key] = asdict(data)
    return async_redact_data({"device": device.name, "data": found}, TO_REDACT)
