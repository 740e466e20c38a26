"""Which of our entities a spoken sentence means (see intent.py).

Entities are found by what they are (platform, domain, translation key, device class),
never by cloud, and only among those exposed to the assistant asking. A device is
named as a person says it: its name, with or without "the", "charger" or its brand.
"""

from __future__ import annotations

from dataclasses import dataclass
import re

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.core import State
from homeassistant.helpers import device_registry as dr, entity_registry as er, intent

from .const import DOMAIN

# The slot naming a device ("Driveway", "the garage charger"), and words that name no
# device but the one at home ("the car", "my charger").
SLOT_NAME = "device"
_GENERIC = re.compile(r"^(?:the |my |our )?(?:car|charger|ev|vehicle|electric car)?$")
_FILLER = re.compile(r"^(?:the |my |our )|(?:'s| charger| car| group)$")


@dataclass(frozen=True, slots=True)
class Found:
    """An entity of ours a sentence may mean, with its device's name and state."""

    entity_id: str
    device_id: str
    device: str
    brand: str
    state: State
    translation_key: str | None

    def names(self) -> set[str]:
        """What a person may call the device: its name, with its brand before or after."""
        name = spoken(self.device)
        if not self.brand:
            return {name}
        brand = spoken(self.brand)
        return {name, f"{brand} {name}", f"{name} {brand}"}


def spoken(value: object) -> str:
    """A name as compared with what was said: lower case, words only."""
    text = re.sub(r"[^\w' ]+", " ", str(value)).lower()
    return " ".join(text.split())


def entities(
    intent_obj: intent.Intent,
    domain: str,
    *,
    keys: frozenset[str] | None = None,
    device_class: str | None = None,
) -> list[Found]:
    """Our entities of ``domain`` with one of ``keys`` (or ``device_class``).

    Only those with a state and exposed to the assistant asking (when one asks).
    """
    hass = intent_obj.hass
    devices = dr.async_get(hass)
    found = []
    for entry in er.async_get(hass).entities.values():
        if entry.platform != DOMAIN or entry.domain != domain or entry.disabled:
            continue
        if keys is not None and entry.translation_key not in keys:
            continue
        if (
            device_class is not None
            and (entry.device_class or entry.original_device_class) != device_class
        ):
            continue
        state = hass.states.get(entry.entity_id)
        if state is None:
            continue
        if intent_obj.assistant and not async_should_expose(
            hass, intent_obj.assistant, entry.entity_id
        ):
            continue
        device = devices.async_get(entry.device_id) if entry.device_id else None
        name = (device.name_by_user or device.name) if device else None
        found.append(
            Found(
                entry.entity_id,
                entry.device_id or entry.entity_id,
                name or state.name,
                getattr(device, "manufacturer", None) or "",
                state,
                entry.translation_key,
            )
        )
    return sorted(found, key=lambda item: (item.device.lower(), item.entity_id))


def asked_name(intent_obj: intent.Intent) -> str | None:
    """The device the sentence names, or None when it names the one at home."""
    value = intent_obj.slots.get(SLOT_NAME, {}).get("value")
    name = spoken(value) if value is not None else ""
    if _GENERIC.match(name):
        return None
    return name


def by_name(found: list[Found], name: str) -> list[Found]:
    """The entities whose device is ``name`` (exactly, then without "the"/"charger")."""
    exact = [item for item in found if name in item.names()]
    if exact:
        return exact
    bare = _FILLER.sub("", name).strip()
    return [
        item for item in found if bare in {_FILLER.sub("", known).strip() for known in item.names()}
    ]


class NoTarget(Exception):
    """The sentence names no device we can act on; the text says why."""


def one(intent_obj: intent.Intent, found: list[Found], what: str) -> Found:
    """The one entity meant: the one named, or the only one there is."""
    found = some(intent_obj, found, what)
    devices = {item.device_id: item for item in found}
    if len(devices) > 1:
        names = [item.device for item in devices.values()]
        # Two devices of one name (two clouds' "Driveway") are told apart by brand.
        shown = [
            f"{item.brand} {item.device}" if names.count(item.device) > 1 and item.brand
            else item.device
            for item in devices.values()
        ]  # fmt: skip
        raise NoTarget(f"Which {what}: {listed(shown, 'or')}?")
    return found[0]


def some(intent_obj: intent.Intent, found: list[Found], what: str) -> list[Found]:
    """The entities a question is about: the one named, or every one there is."""
    name = asked_name(intent_obj)
    if name is not None:
        found = by_name(found, name)
        if not found:
            raise NoTarget(f"I know no {what} called {name}.")
    if not found:
        raise NoTarget(f"There is no {what} I can reach.")
    return found


def sentence(text: str) -> str:
    """``text`` with a capital first letter (``str.capitalize`` would lower the rest)."""
    return text[:1].upper() + text[1:]


def listed(items: list[str], last: str = "and") -> str:
    """Items as a sentence lists them: "A, B and C"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
