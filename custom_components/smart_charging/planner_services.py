"""The planner's actions: ``set_charge_goal`` and ``get_plan`` (response data).

A goal is set on a charger or a car of a loaded entry: an energy to add (kWh) or a
state of charge (%, for a car that reports one, with its battery's capacity), a
departure, and optionally where the prices and the shared limit come from. Input is
checked before anything is kept: a bad value gets a translated ServiceValidationError
naming the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util
import probatio

from .const import DOMAIN
from .helpers import Action, device_target, invalid
from .model import DeviceKind
from .planner_home import planner_home
from .planner_inputs import Goal, next_departure
from .validation import identifier, moment, number, shown, text


def clock(field: str) -> Callable[[Any], time]:
    """A time of day (``07:00`` or ``07:00:00``)."""

    def validate(value: Any) -> time:
        if isinstance(value, time):
            return value
        parsed = dt_util.parse_time(value) if isinstance(value, str) else None
        if parsed is None:
            raise invalid("input_not_a_time", field=field, value=shown(value))
        return parsed

    return validate


SERVICE_SET_CHARGE_GOAL = "set_charge_goal"
SERVICE_GET_PLAN = "get_plan"
SIGNAL_NEW_GOAL = f"{DOMAIN}_planner_goal_{{}}"
# The most slots a plan shows (a day of quarter-hours); attributes stay bounded.
MAX_SLOTS_SHOWN = 96
GOAL_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): identifier(ATTR_DEVICE_ID),
        probatio.Optional("energy"): number("energy", 0.1, 300),
        probatio.Optional("soc"): number("soc", 1, 100),
        probatio.Optional("capacity"): number("capacity", 1, 300),
        probatio.Optional("departure"): moment(
            "departure", past=timedelta(0), future=timedelta(days=7)
        ),
        probatio.Optional("weekday_departure"): clock("weekday_departure"),
        probatio.Optional("weekend_departure"): clock("weekend_departure"),
        probatio.Optional("max_power", default=11.0): number("max_power", 1, 350),
        probatio.Optional("price_entity"): text("price_entity", 255),
        probatio.Optional("price_location"): identifier("price_location"),
        probatio.Optional("nordpool_entry"): identifier("nordpool_entry"),
        probatio.Optional("nordpool_area"): text("nordpool_area", 10),
        probatio.Optional("solar_entry"): identifier("solar_entry"),
        probatio.Optional("feed_in_price"): number("feed_in_price", -1000, 1000),
        probatio.Optional("limit"): number("limit", 1, 100_000),
    }
)
PLAN_SCHEMA = probatio.Schema({probatio.Required(ATTR_DEVICE_ID): identifier(ATTR_DEVICE_ID)})


def _target(hass: HomeAssistant, device_id: str) -> tuple[str, DeviceKind, str]:
    """The entry, kind and key of the charger or car a goal is set on."""
    for kind in (DeviceKind.CHARGER, DeviceKind.VEHICLE):
        try:
            coordinator, key = device_target(hass, device_id, kind)
        except ServiceValidationError as err:
            if err.translation_key in ("device_not_found", "entry_not_loaded"):
                raise
            continue
        return coordinator.config_entry.entry_id, kind, key
    device = dr.async_get(hass).async_get(device_id)
    raise invalid("not_a_plan_target", name=(device and device.name) or device_id)


async def _async_set_charge_goal(call: ServiceCall) -> None:
    hass, data = call.hass, call.data
    device_id: str = data[ATTR_DEVICE_ID]
    if ("energy" in data) == ("soc" in data):
        raise invalid("goal_energy_or_soc")
    weekday, weekend = data.get("weekday_departure"), data.get("weekend_departure")
    departure = data.get("departure") or next_departure(dt_util.utcnow(), weekday, weekend)
    if departure is None:
        raise invalid("goal_departure_needed")
    entry_id, kind, key = _target(hass, device_id)
    device = dr.async_get(hass).async_get(device_id)
    name = (device and (device.name_by_user or device.name)) or device_id
    home = planner_home(hass)
    goal = Goal(
        device_id=device_id,
        name=name,
        entry_id=entry_id,
        kind=kind,
        key=key,
        departure=departure,
        max_power_kw=data["max_power"],
        energy_kwh=data.get("energy"),
        weekday_time=weekday,
        weekend_time=weekend,
    )
    if "soc" in data:
        if "capacity" not in data:
            raise invalid("goal_soc_needs_capacity")
        goal.soc, goal.capacity_kwh = data["soc"], data["capacity"]
        if home.battery_level(goal) is None:
            raise invalid("goal_soc_not_reported", name=name)
    if "price_entity" in data:
        entity: str = data["price_entity"]
        if not entity.startswith("sensor.") or hass.states.get(entity) is None:
            raise invalid("price_entity_not_found", entity=entity)
    location: tuple[str, str] | None = None
    if "price_location" in data:
        coordinator, place = device_target(hass, data["price_location"], DeviceKind.LOCATION)
        location = (coordinator.config_entry.entry_id, place)
    if ("nordpool_entry" in data) != ("nordpool_area" in data):
        raise invalid("nordpool_entry_and_area")
    if "solar_entry" in data and hass.config_entries.async_get_entry(data["solar_entry"]) is None:
        raise invalid("solar_entry_not_found", entry_id=data["solar_entry"])
    # Checked: keep the goal and the sources it names.
    goal.session_start_kwh = home.session_energy(goal)
    sources = home.sources
    if location is not None:
        sources.price_location_entry, sources.price_location = location
        sources.price_entity = sources.nordpool_entry = None
    if "price_entity" in data:
        sources.price_entity, sources.nordpool_entry = data["price_entity"], None
        sources.price_location = None
    if "nordpool_entry" in data:
        sources.nordpool_entry, sources.price_entity = data["nordpool_entry"], None
        sources.price_location = None
        sources.nordpool_area = str(data["nordpool_area"]).upper()
    if "solar_entry" in data:
        sources.solar_entry = data["solar_entry"]
    if "feed_in_price" in data:
        sources.feed_in_price = data["feed_in_price"]
    if "limit" in data:
        sources.limit_kw = data["limit"]
    home.with_goal(goal)  # saved with the sources just set
    home.async_start()
    home.watch()
    await home.async_fetch_inputs(force="nordpool_entry" in data or "solar_entry" in data)
    home.async_replan()
    async_dispatcher_send(hass, SIGNAL_NEW_GOAL.format(entry_id), device_id)


def plan_attributes(home_plan: Any) -> dict[str, Any]:
    """A target's plan as attributes and response data (at most 96 slots)."""
    return {
        "next_start": _iso(home_plan.next_start),
        "finish": _iso(home_plan.finish),
        "energy": round(home_plan.energy_kwh, 3),
        "requested_energy": round(home_plan.requested_kwh, 3),
        "cost": round(home_plan.cost, 4),
        "at_risk": not home_plan.feasible,
        "reason": None if home_plan.feasible else home_plan.shortfall.value,
        "slots": [
            {
                "start": slot.start.isoformat(),
                "end": slot.end.isoformat(),
                "power_kw": round(slot.power_kw, 3),
                "price": slot.price,
            }
            for slot in home_plan.slots[:MAX_SLOTS_SHOWN]
        ],
    }


def _iso(moment_: datetime | None) -> str | None:
    return moment_.isoformat() if moment_ else None


async def _async_get_plan(call: ServiceCall) -> ServiceResponse:
    device_id: str = call.data[ATTR_DEVICE_ID]
    home = planner_home(call.hass)
    goal = home.goals.get(device_id)
    if goal is None or goal.departure <= dt_util.utcnow():
        device = dr.async_get(call.hass).async_get(device_id)
        raise invalid("no_goal", name=(device and device.name) or device_id)
    plan = home.plan.targets.get(device_id) if home.plan else None
    if plan is None:  # pragma: no cover - every goal ahead is planned when it is set
        raise invalid("no_goal", name=goal.name)
    return {
        "departure": goal.departure.isoformat(),
        "planning": home.enabled.get(device_id, True),
        **plan_attributes(plan),
    }


PLANNER_ACTIONS = (
    Action(SERVICE_SET_CHARGE_GOAL, _async_set_charge_goal, GOAL_SCHEMA),
    Action(SERVICE_GET_PLAN, _async_get_plan, PLAN_SCHEMA, SupportsResponse.ONLY),
)
