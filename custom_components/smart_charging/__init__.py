"""Smart Charging: EV charging from several clouds in one place (see ``providers``)."""

from __future__ import annotations

# ``from time import``: the platform module ``.time`` takes the name ``time`` once loaded.
from time import monotonic

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType
from homeassistant.util.hass_dict import HassKey

from .const import CONF_PROVIDER, DOMAIN, LOGGER
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator, SmartChargingData
from .helpers import async_load_names
from .planner_store import async_setup_planner
from .providers import PROVIDERS
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
]
# Entry id -> the monotonic time before which its cloud asked not to be called again
# (Retry-After). The client that knew it is rebuilt at every setup; this outlives it.
BACKOFF: HassKey[dict[str, float]] = HassKey(f"{DOMAIN}_backoff")


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up what is shared by every entry (actions are registered here, once)."""
    async_setup_services(hass)
    # Messages name fields and modes as the user sees them (helpers.field_name).
    await async_load_names(hass)
    await async_setup_planner(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> bool:
    """Connect to the entry's cloud account and set up its devices."""
    provider = PROVIDERS[entry.data[CONF_PROVIDER]]
    coordinator = provider.create_coordinator(hass, entry)
    entry.runtime_data = SmartChargingData(
        coordinator=coordinator, descriptions=provider.descriptions
    )
    # A reload (or a setup retry) during a 429 backoff must not call the cloud at once.
    backoff = hass.data.setdefault(BACKOFF, {})
    http = coordinator.client.http
    http.blocked_until = max(http.blocked_until, backoff.pop(entry.entry_id, 0.0))

    @callback
    def remember_backoff() -> None:
        if http.blocked_until > monotonic():
            backoff[entry.entry_id] = http.blocked_until

    # Runs on unload and when this setup fails (a first poll refused with 429).
    entry.async_on_unload(remember_backoff)
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
            registry.async_remove_device(device.id)


async def async_unload_entry(hass: HomeAssistant, entry: SmartChargingConfigEntry) -> bool:
    """Unload the platforms; the coordinator stops with the entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Forget a removed entry's backoff."""
    hass.data.get(BACKOFF, {}).pop(entry.entry_id, None)


async def async_migrate_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Bring an entry stored by an older version up to date.

    1.1 -> 1.2: ViriCiti and AMPECO entries had a hash of the API key as unique id, so a
    rotated key looked like another account. Their id is now the host (what names the
    account there, see each client's ``known_account``), computed from the stored data
    without a request. If another entry already has that id (two keys of one host were
    added as two entries), this one keeps its old id.

    1.2 -> 1.3: a provider may fill in a field that older entries did not have
    (``Provider.migrate_data``; ViriCiti's group ids, from the group devices the entry
    already has). A field still missing is asked for on reauthentication.
    """
    if entry.version > 1:
        return False
    if entry.minor_version < 2:
        unique_id = entry.unique_id
        provider = PROVIDERS.get(entry.data.get(CONF_PROVIDER, ""))
        account = provider.create_client(hass, entry.data).known_account() if provider else None
        if account is not None and account.unique_id != unique_id:
            if hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, account.unique_id):
                LOGGER.warning(
                    "Entry %s keeps its unique id: another entry has %s",
                    entry.entry_id,
                    account.unique_id,
                )
            else:
                unique_id = account.unique_id
        hass.config_entries.async_update_entry(entry, unique_id=unique_id, minor_version=2)
    if entry.minor_version < 3:
        provider = PROVIDERS.get(entry.data.get(CONF_PROVIDER, ""))
        data = dict(entry.data)
        if provider is not None and provider.migrate_data is not None:
            data = provider.migrate_data(hass, entry, data)
        hass.config_entries.async_update_entry(entry, data=data, minor_version=3)
    return True
