"""Device names a person can tell apart, whichever clouds an installation has.

Entity ids are made of a device's name; two entries' devices of the same name would
give ``sensor.driveway_status`` and ``sensor.driveway_status_2``, and nobody could tell
which is which.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN
from .coordinator import SmartChargingCoordinator

# The name each device of an entry was given (what the cloud calls it, what it is
# shown as), decided once per device while the entry is loaded.
_NAMES: WeakKeyDictionary[SmartChargingCoordinator, dict[str, tuple[str, str]]] = (
    WeakKeyDictionary()
)


def distinct_name(coordinator: SmartChargingCoordinator, key: str, info: DeviceInfo) -> DeviceInfo:
    """The device's info, its name followed by its cloud when another entry has that name.

    Two clouds' chargers both called "Driveway" would otherwise share entity ids but for
    a ``_2``; the second one seen becomes "Driveway (AMPECO)". Only the name changes:
    identifiers and unique ids stay. The first keeps its plain name, and keeps it after a
    restart, since the other is then registered under its longer name.
    """
    # Every device is built with a name; its key stands in should one ever lack it.
    name = info.get("name") or key
    names = _NAMES.setdefault(coordinator, {})
    known = names.get(key)
    if known is None or known[0] != name:
        hass = coordinator.hass
        entry_id = coordinator.config_entry.entry_id
        registry = dr.async_get(hass)
        # Only the other entries' devices can take a name (read through the registry's
        # index by entry): scanning every device for each one of an entry's devices
        # would cost 500 x 500 looks for an account of 500 chargers.
        taken = any(
            name in (device.name, device.name_by_user)
            and (DOMAIN, key) not in device.identifiers
            and any(domain == DOMAIN for domain, _ in device.identifiers)
            for other in hass.config_entries.async_entries(DOMAIN)
            if other.entry_id != entry_id
            for device in dr.async_entries_for_config_entry(registry, other.entry_id)
        )
        known = names[key] = (name, f"{name} ({coordinator.brand})" if taken else name)
    return DeviceInfo(**{**info, "name": known[1]})
