"""Smart Charging: EV charging from Easee, ViriCiti, AMPECO and Jedlix in one place."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .api.ampeco import AmpecoClient
from .api.base import CloudClient
from .api.easee import EaseeClient
from .api.jedlix import JedlixClient
from .api.viriciti import ViricitiClient
from .client import create_client
from .const import DOMAIN
from .coordinator import (
    AmpecoCoordinator,
    EaseeCoordinator,
    JedlixCoordinator,
    SmartChargingCoordinator,
    ViricitiCoordinator,
)
from .entity import snapshot_device_ids
from .runtime import SmartChargingConfigEntry, SmartChargingData
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up what is shared by every entry (actions are registered here, once)."""
    async_setup_services(hass)
    return True


def _coordinator(
    hass: HomeAssistant, entry: SmartChargingConfigEntry, client: CloudClient
) -> SmartChargingCoordinator:
    """The coordinator that polls ``client``'s cloud."""
    if isinstance(client, EaseeClient):
        return EaseeCoordinator(hass, entry, client)
    if isinstance(client, ViricitiClient):
        return ViricitiCoordinator(hass, entry, client)
    if isinstance(client, AmpecoClient):
        return AmpecoCoordinator(hass, entry, client)
    assert isinstance(client, JedlixClient)
    return JedlixCoordinator(hass, entry, client)


async def async_setup_entry(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> bool:
    """Connect to the entry's cloud account and set up its devices."""
    client = create_client(hass, entry.data)
    coordinator = _coordinator(hass, entry, client)
    entry.runtime_data = SmartChargingData(client=client, coordinator=coordinator)
    await coordinator.async_config_entry_first_refresh()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.async_on_unload(
        coordinator.async_add_listener(lambda: _remove_stale_devices(hass, entry, coordinator))
    )
    _remove_stale_devices(hass, entry, coordinator)
    return True


@callback
def _remove_stale_devices(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    coordinator: SmartChargingCoordinator,
) -> None:
    """Remove the devices of chargers, groups and stations that left the account."""
    if not coordinator.last_update_success:
        return
    current = snapshot_device_ids(entry, coordinator.data)
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not any(domain == DOMAIN and ident in current for domain, ident in device.identifiers):
            registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> bool:
    """Unload the platforms; the coordinator stops with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
