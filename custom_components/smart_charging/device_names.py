"""Device names a person can tell apart, whichever clouds an installation has.

Entity ids are made of a device's name; two devices of the same name would give
``sensor.driveway_status`` and ``sensor.driveway_status_2``, and nobody could tell which
is which. Two cases:
- another entry (another cloud) has a device of that name: this one's name is followed
  by its cloud, "Driveway (AMPECO)";
- the same entry has one: a Jedlix account with two cars of one model, both "Volkswagen
  ID.3". The second is numbered, "Volkswagen ID.3 (2)". Home Assistant would otherwise
  look for a free entity id one number at a time, for every entity: a fleet of 500
  cars of one model spent a third of its setup there.
A device keeps the name it was registered under (a restart, a new car that sorts first,
never renames one), so numbers are given only to devices seen for the first time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN
from .coordinator import SmartChargingCoordinator


@dataclass
class _EntryNames:
    """The names of one entry's devices, decided once per device while it is loaded."""

    # The name each device was registered under, by its key (from the registry).
    registered: dict[str, str]
    # Every name this entry's devices have, registered or given since.
    used: set[str]
    # Per device: what the cloud calls it and the name it is shown as.
    given: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Per name: the last number given to a device of that name (the first has none).
    numbered: dict[str, int] = field(default_factory=dict)

    def number(self, name: str) -> str:
        """``name``, or ``name (k)`` with the first k no device of this entry has."""
        if name not in self.used:
            return name
        k = self.numbered.get(name, 1) + 1
        while f"{name} ({k})" in self.used:
            k += 1
        self.numbered[name] = k
        return f"{name} ({k})"


_NAMES: WeakKeyDictionary[SmartChargingCoordinator, _EntryNames] = WeakKeyDictionary()


def _entry_names(coordinator: SmartChargingCoordinator) -> _EntryNames:
    """The entry's names, read from the device registry once per load."""
    names = _NAMES.get(coordinator)
    if names is None:
        registry = dr.async_get(coordinator.hass)
        devices = dr.async_entries_for_config_entry(registry, coordinator.config_entry.entry_id)
        registered = {
            key: device.name
            for device in devices
            if device.name
            for domain, key in device.identifiers
            if domain == DOMAIN
        }
        names = _NAMES[coordinator] = _EntryNames(registered, set(registered.values()))
    return names


def _taken_by_another_entry(coordinator: SmartChargingCoordinator, key: str, name: str) -> bool:
    """Whether a device of another of our entries has ``name``.

    Read through the registry's index by entry: scanning every device for each one of
    an entry's devices would cost 500 x 500 looks for an account of 500 chargers.
    """
    hass = coordinator.hass
    entry_id = coordinator.config_entry.entry_id
    registry = dr.async_get(hass)
    return any(
        name in (device.name, device.name_by_user)
        and (DOMAIN, key) not in device.identifiers
        and any(domain == DOMAIN for domain, _ in device.identifiers)
        for other in hass.config_entries.async_entries(DOMAIN)
        if other.entry_id != entry_id
        for device in dr.async_entries_for_config_entry(registry, other.entry_id)
    )


def _kept(registered: str | None, name: str) -> bool:
    """Whether the registered name is one this function gives ``name``'s device."""
    if registered is None:
        return False
    if registered == name:
        return True
    number = registered.removeprefix(f"{name} (").removesuffix(")")
    return registered.startswith(f"{name} (") and number.isdigit()


def distinct_name(coordinator: SmartChargingCoordinator, key: str, info: DeviceInfo) -> DeviceInfo:
    """The device's info under a name no other device of ours has.

    The first device seen keeps the cloud's plain name. Only the name changes:
    identifiers and unique ids stay.
    """
    # Every device is built with a name; its key stands in should one ever lack it.
    name = info.get("name") or key
    names = _entry_names(coordinator)
    known = names.given.get(key)
    if known is None or known[0] != name:
        base = name
        if _taken_by_another_entry(coordinator, key, name):
            base = f"{name} ({coordinator.brand})"
        registered = names.registered.get(key)
        shown = registered if registered and _kept(registered, base) else names.number(base)
        names.used.add(shown)
        known = names.given[key] = (name, shown)
    return DeviceInfo(**{**info, "name": known[1]})
