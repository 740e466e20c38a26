"""Smart Charging: EV charging from several clouds in one place (see ``providers``)."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator, SmartChargingData
from .providers import PROVIDERS
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up what is shared by every entry (actions are registered here, once)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> bool:
    """Connect to the entry's cloud account and set up its devices."""
    coordinator = PROVIDERS[entry.data[CONF_PROVIDER]].create_coordinator(hass, entry)
    entry.runtime_data = SmartChargingData(coordinator=coordinator)
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
    current = coordinator.data.device_keys(entry.data[CONF_PROVIDER])
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not any(domain == DOMAIN and ident in current for domain, ident in device.identifiers):
            registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> bool:
    """Unload the platforms; the coordinator stops with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
