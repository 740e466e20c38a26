"""What a home owner asks a voice assistant, as Home Assistant intents.

Home Assistant's built-in intents cover "turn off Driveway charging" (a switch by its
full name) but not "pause charging" with one charger at home, "set the group limit to
50 kilowatts" or "what does power cost now". These intents answer those. They find
their entities by what they are (platform, translation key, device class), never by
cloud, so an entity a cloud adds later with the same translation key is found too, and
only entities exposed to the assistant asking are used (intent_targets.py).

The sentences that lead here are in ``sentences/<language>.yaml``, to be copied to
Home Assistant's ``custom_sentences/<language>/`` (see README): in this Home Assistant
version an integration outside core has no other supported way to add sentence
templates. Writes go through the entities' own services, so a refused write gives the
same translated message the dashboard shows.
"""

from __future__ import annotations

from typing import Any

from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv, intent
from homeassistant.util import dt as dt_util
import probatio

from .helpers import state_name
from .intent_targets import SLOT_NAME, NoTarget, entities, listed, one, sentence, some

INTENT_PAUSE = "SmartChargingPause"
INTENT_RESUME = "SmartChargingResume"
INTENT_SMART_CHARGING = "SmartChargingSetSmartCharging"
INTENT_GROUP_LIMIT = "SmartChargingSetGroupLimit"
INTENT_BATTERY = "SmartChargingGetBattery"
INTENT_DEPARTURE = "SmartChargingGetDeparture"
INTENT_IS_CHARGING = "SmartChargingIsCharging"
INTENT_PRICE = "SmartChargingGetPrice"


def _known(state: State) -> bool:
    return state.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)


def _number(value: str) -> str:
    """A known numeric state as said aloud: 64, 250, 0.231."""
    number = float(value)
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
        # The slots as the schema reads them (a limit as a number); Home Assistant answers
        # an invalid one with its own error.
        intent_obj.slots = self.async_validate_slots(intent_obj.slots)
        response = intent_obj.create_response()
        try:
            speech = await self._async_answer(intent_obj)
        except NoTarget as err:
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
        target = one(
            intent_obj, entities(intent_obj, "switch", keys=frozenset({self.key})), "charger"
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
        found = entities(intent_obj, "number", keys=frozenset({"group_limit"}))
        target = one(intent_obj, found, "charger group")
        limit = intent_obj.slots["limit"]["value"]
        await self._async_call(intent_obj, "number", "set_value", target.entity_id, value=limit)
        return f"The group limit of {target.device} is set to {_number(str(limit))} kilowatts."


class _BatteryHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = some(intent_obj, entities(intent_obj, "sensor", device_class="battery"), "car")
        parts = [
            f"{item.device}'s battery is at {_number(item.state.state)} %"
            if _known(item.state)
            else f"{item.device}'s battery level is not known right now"
            for item in found
        ]
        return f"{listed(parts)}."


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
        found = entities(intent_obj, "sensor", keys=_DEPARTURE_KEYS) + [
            item
            for item in entities(intent_obj, "time")
            if item.translation_key and "departure" in item.translation_key
        ]
        found = some(intent_obj, found, "car")
        # One answer per device: a time entity the user sets wins over a sensor.
        times = {item.device_id: (item.device, _departure(item.state)) for item in found}
        known = [
            f"{name} should be ready to leave at {when}" for name, when in times.values() if when
        ]
        if known:
            # Devices without a departure are left out of an answer that has one.
            return f"{sentence(listed(known))}."
        names = [name for name, _ in times.values()]
        return f"{listed(names)} {'has' if len(names) == 1 else 'have'} no departure time set."


class _IsChargingHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = some(
            intent_obj, entities(intent_obj, "sensor", keys=frozenset({"status"})), "charger"
        )
        charging = [item.device for item in found if item.state.state == "charging"]
        others = [
            f"{item.device} is {state_name('sensor', 'status', item.state.state).lower()}"
            for item in found
            if item.state.state != "charging" and _known(item.state)
        ]
        if charging:
            verb = "is" if len(charging) == 1 else "are"
            answer = f"Yes, {listed(charging)} {verb} charging."
            return answer + (f" {sentence(listed(others))}." if others else "")
        if others:
            return f"No, {listed(others)}."
        return "No, and the chargers' status is not known right now."


class _PriceHandler(_Handler):
    async def _async_answer(self, intent_obj: intent.Intent) -> str:
        found = some(
            intent_obj, entities(intent_obj, "sensor", keys=frozenset({"current_price"})), "place"
        )
        parts = []
        for item in found:
            unit = item.state.attributes.get(ATTR_UNIT_OF_MEASUREMENT, "")
            if _known(item.state):
                where = f" at {item.device}" if len(found) > 1 else ""
                parts.append(f"power costs {_number(item.state.state)} {unit}{where} now".strip())
            else:
                parts.append(f"the price at {item.device} is not known right now")
        return f"{sentence(listed(parts))}."


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
