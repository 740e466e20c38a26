"""What a home owner asks a voice assistant, as Home Assistant intents.

Home Assistant's built-in intents cover "turn off Driveway charging" (a switch by its
full name) but not "pause charging" with one charger at home, "set the group limit to
50 kilowatts" or "what does power cost now". These intents answer those. They find
their entities by what they are (platform, translation key, device class), never by
cloud, so an entity a cloud adds later with the same translation key is found too, and
only entities exposed to the assistant asking are used.

The sentences that lead here are in ``sentences/<language>.yaml``, to be copied to
Home Assistant's ``custom_sentences/<language>/`` (see README): in this Home Assistant
version an integration outside core has no other supported way to add sentence
templates. Writes go through the entities' own services, so a refused write gives the
same translated message the dashboard shows.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import Any

from homeassistant.components.homeassistant.exposed_entities import async_should_expose
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.util import dt as dt_util
import probatio

from .const import DOMAIN
from .helpers import state_name

INTENT_PAUSE = "SmartChargingPause"
INTENT_RESUME = "SmartChargingResume"
INTENT_SMART_CHARGING = "SmartChargingSetSmartCharging"
INTENT_GROUP_LIMIT = "SmartChargingSetGroupLimit"
INTENT_BATTERY = "SmartChargingGetBattery"
INTENT_DEPARTURE = "SmartChargingGetDeparture"
INTENT_IS_CHARGING = "SmartChargingIsCharging"
INTENT_PRICE = "SmartChargingGetPrice"

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
    state: State
    translation_key: str | None


def _name(value: object) -> str:
    text = re.sub(r"[^\w' ]+", " ", str(value)).lower()
    return " ".join(text.split())


def _entities(
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
                state,
                entry.translation_key,
            )
        )
    return sorted(found, key=lambda item: (item.device.lower(), item.entity_id))


def _asked_name(intent_obj: intent.Intent) -> str | None:
    """The device the sentence names, or None when it names the one at home."""
    value = intent_obj.slots.get(SLOT_NAME, {}).get("value")
    name = _name(value) if value is not None else ""
    if _GENERIC.match(name):
        return None
    return name


def _by_name(found: list[Found], name: str) -> list[Found]:
    """The entities whose device is ``name`` (exactly, then without "the"/"charger")."""
    exact = [item for item in found if _name(item.device) == name]
    if exact:
        return exact
    bare = _FILLER.sub("", name).strip()
    return [item for item in found if _FILLER.sub("", _name(item.device)).strip() == bare]


class _NoTarget(Exception):
    """The sentence names no device we can act on; the text says why."""


def _one(intent_obj: intent.Intent, found: list[Found], what: str) -> Found:
    """The one entity meant: the one named, or the only one there is."""
    name = _asked_name(intent_obj)
    if name is not None:
        found = _by_name(found, name)
        if not found:
            raise _NoTarget(f"I know no {what} called {name}.")
    if not found:
        raise _NoTarget(f"There is no {what} I can reach.")
    devices = {item.device_id: item.device for item in found}
    if len(devices) > 1:
        raise _NoTarget(f"Which {what}: {_listed(list(devices.values()), 'or')}?")
    return found[0]


def _some(intent_obj: intent.Intent, found: list[Found], what: str) -> list[Found]:
    """The entities a question is about: the one named, or every one there is."""
    name = _asked_name(intent_obj)
    if name is not None:
        found = _by_name(found, name)
        if not found:
            raise _NoTarget(f"I know no {what} called {name}.")
    if not found:
        raise _NoTarget(f"There is no {what} I can reach.")
    return found


def _sentence(text: str) -> str:
    """``text`` with a capital first letter (``str.capitalize`` would lower the rest)."""
    return text[:1].upper() + text[1:]


def _listed(items: list[str], last: str = "and") -> str:
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _known(state: State) -> bool:
    return state.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)


def _number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:g}" if abs(number) >= 1 or number == 0 else f"{number:.3g}"


class _Handler(intent.IntentHandler):
    """One intent: resolve the entities, act or read, answer in a sentence."""

    platforms = None

    def __init__(self, intent_type: str, description: str) -> None:
        self.intent_type = intent_type
        self.description = description

    @property
    def slot_schema(self) -> dict[Any, Any] | None:
        return {probatio.Optional(SLOT_NAME): cv.string}

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        response = intent_obj.create_response()
        try:
            speech = await self._async_answer(intent_obj)
        except _NoTarget as err:
            response.async_set_error(intent.IntentResponseErrorCode.NO_VALID_TARGETS, str(err))
            return response
        except HomeAssistantError as err:
            # The entity's own translated message (a refused write, a cloud error).
            response.async_set_error(intent.IntentResponseErrorCode.FAILED_TO_HANDLE, str(err))
            return response
        response.async_set_speech(speech)
        return response

    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        raise NotImplementedError

    async def _async_call(
        self, intent_obj: intent.Intent, domain: str, service: str, entity_id: str, **data: Any
    ) -> None:
        await intent_obj.hass.services.async_call(
            domain,
            service,
            {ATTR_ENTITY_ID: entity_id, **data},
            blocking=True,
            context=intent_obj.context,
        )


class _SwitchHandler(_Handler):
    """Turn one charger's switch (charging, smart charging) on or off."""

    def __init__(
        self, intent_type: str, description: str, key: str, on: bool | None, done: str
    ) -> None:
        super().__init__(intent_type, description)
        self.key = key
        self.on = on
        self.done = done

    @property
    def slot_schema(self) -> dict[Any, Any] | None:
        schema: dict[Any, Any] = {probatio.Optional(SLOT_NAME): cv.string}
        if self.on is None:
            schema[probatio.Required("state")] = probatio.In(["on", "off"])
        return schema

    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        target = _one(
            intent_obj, _entities(intent_obj, "switch", keys=frozenset({self.key})), "charger"
        )
        on = self.on if self.on is not None else intent_obj.slots["state"]["value"] == "on"
        service = "turn_on" if on else "turn_off"
        await self._async_call(intent_obj, "switch", service, target.entity_id)
        return self.done.format(device=target.device, state="on" if on else "off")


class _GroupLimitHandler(_Handler):
    """Set a charger group's power limit, in whole kilowatts."""

    @property
    def slot_schema(self) -> dict[Any, Any] | None:
        return {
            probatio.Optional(SLOT_NAME): cv.string,
            probatio.Required("limit"): probatio.Coerce(float),
        }

    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = _entities(intent_obj, "number", keys=frozenset({"group_limit"}))
        target = _one(intent_obj, found, "charger group")
        limit = intent_obj.slots["limit"]["value"]
        await self._async_call(intent_obj, "number", "set_value", target.entity_id, value=limit)
        return f"The group limit of {target.device} is set to {_number(str(limit))} kilowatts."


class _BatteryHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = _some(intent_obj, _entities(intent_obj, "sensor", device_class="battery"), "car")
        parts = [
            f"{item.device}'s battery is at {_number(item.state.state)} %"
            if _known(item.state)
            else f"{item.device}'s battery level is not known right now"
            for item in found
        ]
        return f"{_listed(parts)}."


# A departure may be a time stamp (a car's next departure), a time of day (a charge
# point's tariff preference), or a time entity the user sets.
_DEPARTURE_KEYS = frozenset({"vehicle_departure_time", "departure_time"})


def _departure(state: State) -> str | None:
    if not _known(state):
        return None
    when = dt_util.parse_datetime(state.state)
    if when is None:
        return state.state[:5]
    local = dt_util.as_local(when)
    days = (local.date() - dt_util.now().date()).days
    if days in (0, 1):
        return f"{local:%H:%M} {'today' if days == 0 else 'tomorrow'}"
    return f"{local:%H:%M} on {local:%A %-d %B}"


class _DepartureHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = _entities(intent_obj, "sensor", keys=_DEPARTURE_KEYS) + [
            item
            for item in _entities(intent_obj, "time")
            if item.translation_key and "departure" in item.translation_key
        ]
        found = _some(intent_obj, found, "car")
        parts = []
        for item in {entry.device_id: entry for entry in found}.values():
            when = _departure(item.state)
            parts.append(
                f"{item.device} should be ready to leave at {when}"
                if when
                else f"{item.device} has no departure time set"
            )
        return f"{_listed(parts)}."


class _IsChargingHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = _some(
            intent_obj, _entities(intent_obj, "sensor", keys=frozenset({"status"})), "charger"
        )
        charging = [item.device for item in found if item.state.state == "charging"]
        others = [
            f"{item.device} is {state_name('sensor', 'status', item.state.state).lower()}"
            for item in found
            if item.state.state != "charging" and _known(item.state)
        ]
        if charging:
            verb = "is" if len(charging) == 1 else "are"
            answer = f"Yes, {_listed(charging)} {verb} charging."
            return answer + (f" {_sentence(_listed(others))}." if others else "")
        if others:
            return f"No, {_listed(others)}."
        return "No, and the chargers' status is not known right now."


class _PriceHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = _some(
            intent_obj, _entities(intent_obj, "sensor", keys=frozenset({"current_price"})), "place"
        )
        parts = []
        for item in found:
            unit = item.state.attributes.get(ATTR_UNIT_OF_MEASUREMENT, "")
            if _known(item.state):
                where = f" at {item.device}" if len(found) > 1 else ""
                parts.append(f"power costs {_number(item.state.state)} {unit}{where} now".strip())
            else:
                parts.append(f"the price at {item.device} is not known right now")
        return f"{_sentence(_listed(parts))}."


HANDLERS: tuple[intent.IntentHandler, ...] = (
    _SwitchHandler(
        INTENT_PAUSE,
        "Pauses charging on a charger.",
        "charging",
        False,
        "Charging on {device} is paused.",
    ),
    _SwitchHandler(
        INTENT_RESUME,
        "Resumes charging on a charger.",
        "charging",
        True,
        "Charging on {device} resumes.",
    ),
    _SwitchHandler(
        INTENT_SMART_CHARGING,
        "Turns smart charging of a charger on or off.",
        "smart_charging",
        None,
        "Smart charging on {device} is {state}.",
    ),
    _GroupLimitHandler(INTENT_GROUP_LIMIT, "Sets a charger group's power limit in kilowatts."),
    _BatteryHandler(INTENT_BATTERY, "Tells a car's battery level."),
    _DepartureHandler(INTENT_DEPARTURE, "Tells when a car should be ready to leave."),
    _IsChargingHandler(INTENT_IS_CHARGING, "Tells whether a car is charging."),
    _PriceHandler(INTENT_PRICE, "Tells what power costs now."),
)


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Register the intents (Home Assistant's intent integration calls this)."""
    for handler in HANDLERS:
        intent.async_register(hass, handler)
