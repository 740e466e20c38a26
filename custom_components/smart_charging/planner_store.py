"""The planner's goals survive a restart: kept in Home Assistant's storage.

A goal is stored by its device's identifier (cloud, kind and id), not by the device or
entry id of one installation's registry, and given back to the planner when the entry
that has that device is set up again. Goals whose departure passed are dropped.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import time
from functools import partial
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmartChargingConfigEntry
from .model import DeviceKind, device_key
from .planner_home import PlannerHome, planner_home
from .planner_inputs import Goal, Sources

STORE_VERSION = 1
STORE_KEY = f"{DOMAIN}.planner"
# Goals are written a second after a change (several changes, one write).
SAVE_DELAY = 1


class PlannerStore:
    """Loads the stored goals and sources, and saves them after each change."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, STORE_KEY)
        # Goals read back, by device identifier, until their entry is set up.
        self.pending: dict[str, dict[str, Any]] = {}

    async def async_load(self, home: PlannerHome) -> None:
        """Read the stored goals (kept pending) and sources into ``home``."""
        data = await self.store.async_load() or {}
        now = dt_util.utcnow()
        for identifier, goal in (data.get("goals") or {}).items():
            departure = dt_util.parse_datetime(str(goal.get("departure")))
            if departure is not None and departure > now:
                self.pending[identifier] = goal
        stored = data.get("sources") or {}
        home.sources = Sources(**{k: v for k, v in stored.items() if k in Sources.__annotations__})

    @callback
    def async_save(self, home: PlannerHome) -> None:
        """Save the goals (those pending included) and sources a moment from now."""
        self.store.async_delay_save(lambda: self._data(home), SAVE_DELAY)

    def _data(self, home: PlannerHome) -> dict[str, Any]:
        goals = dict(self.pending)
        for goal in home.goals.values():
            entry = self.hass.config_entries.async_get_entry(goal.entry_id)
            if entry is None:  # pragma: no cover - a goal's entry is removed with its devices
                continue
            goals[device_key(entry.data[CONF_PROVIDER], goal.kind, goal.key)] = {
                "name": goal.name,
                "kind": goal.kind.value,
                "key": goal.key,
                "departure": goal.departure.isoformat(),
                "max_power_kw": goal.max_power_kw,
                "energy_kwh": goal.energy_kwh,
                "soc": goal.soc,
                "capacity_kwh": goal.capacity_kwh,
                "session_start_kwh": goal.session_start_kwh,
                "enabled": home.enabled.get(goal.device_id, True),
                "weekday_time": goal.weekday_time.isoformat() if goal.weekday_time else None,
                "weekend_time": goal.weekend_time.isoformat() if goal.weekend_time else None,
            }
        return {"goals": goals, "sources": asdict(home.sources)}

    @callback
    def async_restore(self, home: PlannerHome, entry: SmartChargingConfigEntry) -> bool:
        """Give ``home`` back the stored goals of ``entry``'s devices; True if any."""
        registry = dr.async_get(self.hass)
        provider: str = entry.data[CONF_PROVIDER]
        restored = False
        for identifier, stored in list(self.pending.items()):
            device = registry.async_get_device_by_identifier((DOMAIN, identifier), entry.entry_id)
            departure = dt_util.parse_datetime(str(stored.get("departure")))
            try:
                kind = DeviceKind(str(stored.get("kind")))
            except ValueError:
                kind = None
            if device is None or departure is None or kind is None:
                continue
            if device_key(provider, kind, str(stored.get("key"))) != identifier:
                continue
            del self.pending[identifier]
            home.with_goal(
                Goal(
                    device_id=device.id,
                    name=str(stored.get("name") or device.name or identifier),
                    entry_id=entry.entry_id,
                    kind=kind,
                    key=str(stored["key"]),
                    departure=dt_util.as_utc(departure),
                    max_power_kw=float(stored.get("max_power_kw") or 11.0),
                    energy_kwh=stored.get("energy_kwh"),
                    soc=stored.get("soc"),
                    capacity_kwh=stored.get("capacity_kwh"),
                    session_start_kwh=stored.get("session_start_kwh"),
                    weekday_time=_clock(stored.get("weekday_time")),
                    weekend_time=_clock(stored.get("weekend_time")),
                )
            )
            home.enabled[device.id] = bool(stored.get("enabled", True))
            restored = True
        return restored


def _clock(value: Any) -> time | None:
    return dt_util.parse_time(value) if isinstance(value, str) else None


async def async_setup_planner(hass: HomeAssistant) -> None:
    """Load the stored goals before any entry is set up, and save every change."""
    home = planner_home(hass)
    store = PlannerStore(hass)
    await store.async_load(home)
    home.restore = partial(store.async_restore, home)
    home.on_change = partial(store.async_save, home)
