"""The demo home's voice and Energy dashboard, set up as a home owner would.

After the four entries exist, ``seed`` calls :func:`async_set_up`, which

- exposes to Assist the entities a home owner talks about (the charging and smart
  charging switches, each charger's status, the group limit, the cars' battery and
  departure, the price now): what Settings > Voice assistants > Expose does;
- puts every charger on the Energy dashboard, its energy (kWh) as the device's
  consumption and its power as the device's rate (the power view of Home Assistant
  2025.12): what Settings > Dashboards > Energy > Add device does.

Both go through the websocket commands those pages send, and both keep what the owner
set before (a device already on the dashboard is left as it is).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

DOMAIN = "smart_charging"
# Entities a home owner's sentences read or change, by translation key...
VOICE_KEYS = frozenset(
    {
        "charging",
        "smart_charging",
        "status",
        "group_limit",
        "current_price",
        "vehicle_departure_time",
        "departure_time",
    }
)
# ... and by device class (a car's battery level has no translation key).
VOICE_DEVICE_CLASSES = frozenset({"battery"})
ENERGY_KEYS = ("lifetime_energy", "charged_energy")

type Websocket = Callable[..., Awaitable[Any]]
type States = Callable[[], Awaitable[list[dict[str, Any]]]]


async def _our_entities(websocket: Websocket) -> list[dict[str, Any]]:
    entries = await websocket("config/entity_registry/list")
    return [entry for entry in entries if entry["platform"] == DOMAIN and not entry["disabled_by"]]


async def _wait_for_entities(
    websocket: Websocket, patience: float, interval: float
) -> list[dict[str, Any]]:
    """The entities once the entries' first polls have added them (the count holds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    last: list[dict[str, Any]] = []
    while loop.time() < deadline:
        entities = await _our_entities(websocket)
        if entities and len(entities) == len(last):
            return entities
        last = entities
        await asyncio.sleep(interval)
    return last


def voice_entities(entities: list[dict[str, Any]], states: dict[str, dict[str, Any]]) -> list[str]:
    """The entity ids a home owner's sentences need exposed."""
    chosen = []
    for entry in entities:
        entity_id = entry["entity_id"]
        device_class = states.get(entity_id, {}).get("attributes", {}).get("device_class")
        if entry["translation_key"] in VOICE_KEYS or (
            entity_id.startswith("sensor.") and device_class in VOICE_DEVICE_CLASSES
        ):
            chosen.append(entity_id)
    return sorted(chosen)


def energy_devices(
    entities: list[dict[str, Any]], states: dict[str, dict[str, Any]]
) -> list[dict[str, str]]:
    """One Energy dashboard device per charger: its energy and, if it has one, its power."""
    by_device: dict[str, dict[str, str]] = {}
    for entry in entities:
        device, entity_id = entry["device_id"], entry["entity_id"]
        if device is None or not entity_id.startswith("sensor."):
            continue
        found = by_device.setdefault(device, {})
        # The lifetime meter when the charger has one, else the totalled sessions.
        if entry["translation_key"] in ENERGY_KEYS and (
            "stat_consumption" not in found or entry["translation_key"] == "lifetime_energy"
        ):
            found["stat_consumption"] = entity_id
        attributes = states.get(entity_id, {}).get("attributes", {})
        if attributes.get("device_class") == "power" and entry["translation_key"] is None:
            found["stat_rate"] = entity_id
    return [
        found
        for found in by_device.values()
        if "stat_consumption" in found and "stat_rate" in found
    ]


async def async_set_up(
    websocket: Websocket, states: States, patience: float = 120, interval: float = 3
) -> tuple[list[str], list[dict[str, str]]]:
    """Expose the voice entities and fill the Energy dashboard; return what was set."""
    entities = await _wait_for_entities(websocket, patience, interval)
    state_of = {state["entity_id"]: state for state in await states()}
    exposed = voice_entities(entities, state_of)
    if exposed:
        await websocket(
            "homeassistant/expose_entity",
            assistants=["conversation"],
            entity_ids=exposed,
            should_expose=True,
        )
    devices = energy_devices(entities, state_of)
    prefs = await websocket("energy/get_prefs", allow_missing=True) or {}
    current = list(prefs.get("device_consumption", []))
    known = {device["stat_consumption"] for device in current}
    added = [device for device in devices if device["stat_consumption"] not in known]
    if added:
        await websocket("energy/save_prefs", device_consumption=current + added)
    return exposed, added
