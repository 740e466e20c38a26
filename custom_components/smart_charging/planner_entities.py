"""The planner's entities on a charger or car with a goal: plan, at risk, planning on.

They are added to the device's own entry when a goal is first set on it (not for every
charger, so a large account pays nothing for a planner it does not use), and read the
home's planner (``planner_home``), not the entry's coordinator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass, SensorEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .clouds.errors import SmartChargingError
from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmartChargingConfigEntry
from .helpers import cloud_error
from .model import device_key
from .planner.model import TargetPlan
from .planner_home import PlannerHome, planner_home
from .planner_inputs import Goal
from .planner_services import SIGNAL_NEW_GOAL, plan_attributes
from .planner_steering import RESUME, async_send


class PlannerEntity(Entity):
    """An entity of the planner on the device of one goal."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    key: str

    def __init__(self, home: PlannerHome, goal: Goal, provider: str) -> None:
        self.home = home
        self.device_id = goal.device_id
        identifier = device_key(provider, goal.kind, goal.key)
        self._attr_unique_id = f"{identifier}_{self.key}"
        self._attr_translation_key = self.key
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, identifier)})

    @property
    def target_plan(self) -> TargetPlan | None:
        """This goal's plan, while the goal is ahead."""
        if self.device_id not in self.home.goals or self.home.plan is None:
            return None
        return self.home.plan.targets.get(self.device_id)

    def planned[T](self, read: Callable[[TargetPlan], T]) -> T | None:
        """What ``read`` says of this goal's plan; unknown while it has none."""
        plan = self.target_plan
        return read(plan) if plan else None

    async def async_added_to_hass(self) -> None:
        """Follow the planner's re-plans."""
        self.home.listeners.append(self._replanned)
        self.async_on_remove(lambda: self.home.listeners.remove(self._replanned))

    @callback
    def _replanned(self) -> None:
        self.async_write_ha_state()


class PlanSensor(PlannerEntity, SensorEntity):
    """When the plan next charges; its slots, energy, cost and finish as attributes."""

    key = "charging_plan"
    _attr_device_class = SensorDeviceClass.TIMESTAMP

    @property
    def native_value(self) -> datetime | None:
        """The next start (unknown without a goal or when nothing is planned)."""
        return self.planned(lambda plan: plan.next_start)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """The plan (at most 96 slots)."""
        return self.planned(plan_attributes)


class AtRiskSensor(PlannerEntity, BinarySensorEntity):
    """On when the goal cannot be met by the departure."""

    key = "plan_at_risk"
    _attr_device_class = BinarySensorDeviceClass.PROBLEM

    @property
    def is_on(self) -> bool | None:
        """Unknown without a goal ahead."""
        return self.planned(lambda plan: not plan.feasible)


class PlanningSwitch(PlannerEntity, SwitchEntity):
    """Whether the planner steers this charger (on) or leaves it alone (off)."""

    key = "planning"

    @property
    def is_on(self) -> bool:
        """Planning is on unless turned off."""
        return self.home.enabled.get(self.device_id, True)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Steer this charger by the plan again."""
        self.home.enabled[self.device_id] = True
        self.home.sessions.pop(self.device_id, None)
        self.home.changed()
        self.home.async_replan()

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop steering; a charger the planner paused is resumed so the car charges."""
        self.home.enabled[self.device_id] = False
        self.home.changed()
        session = self.home.sessions.pop(self.device_id, None)
        goal = self.home.goals.get(self.device_id)
        coordinator = self.home.coordinator(goal.entry_id) if goal else None
        if goal and session and session.last and session.last.power_kw == 0 and coordinator:
            try:
                await async_send(coordinator, goal.key, RESUME)
            except SmartChargingError as err:
                raise cloud_error(err) from err
        self.async_write_ha_state()


_CLASSES: dict[Platform, type[PlannerEntity]] = {
    Platform.SENSOR: PlanSensor,
    Platform.BINARY_SENSOR: AtRiskSensor,
    Platform.SWITCH: PlanningSwitch,
}


@callback
def async_add_planner_entities(
    hass: HomeAssistant,
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    platform: Platform,
) -> None:
    """Add this platform's planner entity for each goal on the entry's devices."""
    home = planner_home(hass)
    added: set[str] = set()
    provider: str = entry.data[CONF_PROVIDER]

    @callback
    def add(device_id: str) -> None:
        goal = home.goals.get(device_id)
        if goal is None or goal.entry_id != entry.entry_id or device_id in added:
            return
        added.add(device_id)
        async_add_entities([_CLASSES[platform](home, goal, provider)])

    if home.restore is not None and home.restore(entry):
        # Goals kept over a restart: planned again now that their entry is back.
        home.async_start()
        home.async_replan()
    for device_id in list(home.goals):
        add(device_id)
    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_NEW_GOAL.format(entry.entry_id), add)
    )
