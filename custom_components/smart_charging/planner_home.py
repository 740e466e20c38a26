"""The home's planner in Home Assistant: goals, inputs, plans and carrying them out.

One planner serves every loaded entry, whichever cloud its devices come from: a goal is
set on a charger or a car (``smart_charging.set_charge_goal``), the inputs are read from
Home Assistant (a price sensor's attributes or the Nord Pool integration's action, the
shared limit of the charger groups the entries report, or a number the user gave), and
``planner.solve`` plans all goals together. Re-planned when a goal is set, when the
prices change, when an entry's data changes what the plan depends on (energy charged, a
car's state of charge, a limit, a plug-in), and every 15 minutes. A charger that takes
pause and resume commands is steered through its entry's ``control``; a write is sent
only when the order differs enough from the last one (``planner.steer``). A goal that
cannot be met raises a repair issue that says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .clouds.models import ChargerStatus
from .const import DOMAIN
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .model import DeviceKind, Snapshot
from .planner.model import (
    LimitStep,
    Plan,
    PriceSlot,
    Problem,
    SolarSlot,
    SubLimit,
    Target,
    TargetMode,
    TargetPlan,
)
from .planner.solve import solve
from .planner.steer import Session
from .planner_inputs import (
    Goal,
    Sources,
    async_nordpool_prices,
    async_solar_forecast,
    circuit_limits,
    location_prices,
    next_departure,
    sensor_prices,
    shared_limit,
)
from .planner_steering import steer

PLANNER: HassKey[PlannerHome] = HassKey(f"{DOMAIN}_planner")
PLAN_EVERY = timedelta(minutes=15)
# Nord Pool's prices are asked again at most this often (the day's prices are fixed).
NORDPOOL_EVERY = timedelta(hours=1)


@dataclass
class PlannerHome:
    """The goals, their plan and the writes made for them."""

    hass: HomeAssistant
    goals: dict[str, Goal] = field(default_factory=dict)
    enabled: dict[str, bool] = field(default_factory=dict)
    sources: Sources = field(default_factory=Sources)
    plan: Plan | None = None
    sessions: dict[str, Session] = field(default_factory=dict)
    nordpool: tuple[datetime, tuple[PriceSlot, ...]] | None = None
    solar: tuple[datetime, tuple[SolarSlot, ...]] | None = None
    listeners: list[Callable[[], None]] = field(default_factory=list)
    # Set by planner_store: save after a change; give back an entry's stored goals.
    on_change: Callable[[], None] | None = None
    restore: Callable[[SmartChargingConfigEntry], bool] | None = None
    _unsubs: list[CALLBACK_TYPE] = field(default_factory=list)
    _watched: set[str] = field(default_factory=set)
    _inputs: object = None

    def coordinator(self, entry_id: str) -> SmartChargingCoordinator | None:
        """The coordinator of a loaded entry."""
        entry: SmartChargingConfigEntry | None = self.hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return None
        return entry.runtime_data.coordinator

    def loaded(self) -> list[SmartChargingCoordinator]:
        """The coordinators of every loaded entry."""
        entries: list[SmartChargingConfigEntry] = self.hass.config_entries.async_loaded_entries(
            DOMAIN
        )
        return [entry.runtime_data.coordinator for entry in entries]

    def snapshot(self, goal: Goal, kind: DeviceKind) -> Snapshot | None:
        """The latest data of the goal's entry, when the goal is set on a ``kind``."""
        coordinator = self.coordinator(goal.entry_id)
        if coordinator is None or goal.kind is not kind:
            return None
        return coordinator.data

    def session_energy(self, goal: Goal) -> float | None:
        """The energy of the charger's current session, if it reports one."""
        snapshot = self.snapshot(goal, DeviceKind.CHARGER)
        data = snapshot.chargers.get(goal.key) if snapshot else None
        return data.state.session_energy_kwh if data else None

    def battery_level(self, goal: Goal) -> float | None:
        """The car's state of charge in %, if it reports one."""
        snapshot = self.snapshot(goal, DeviceKind.VEHICLE)
        data = snapshot.vehicles.get(goal.key) if snapshot else None
        return data.vehicle.battery_level if data else None

    def still_needed(self, goal: Goal) -> float:
        """Energy still to add: from the state of charge, or less what the session took."""
        if goal.soc is not None and goal.capacity_kwh is not None:
            level = self.battery_level(goal)
            if level is None:
                return 0.0
            return max((goal.soc - level) / 100 * goal.capacity_kwh, 0.0)
        energy = goal.energy_kwh or 0.0
        now, start = self.session_energy(goal), goal.session_start_kwh
        if now is not None and start is not None and now >= start:
            energy -= now - start
        return max(energy, 0.0)

    def limit(self, now: datetime) -> tuple[LimitStep, ...]:
        """The shared limit (``planner_inputs.shared_limit``)."""
        snapshots = (coordinator.data for coordinator in self.loaded())
        return shared_limit(snapshots, self.sources.limit_kw, now)

    def circuits(self, now: datetime) -> tuple[dict[str, str], tuple[SubLimit, ...]]:
        """The circuit each goal's charger shares, and their limits (``circuit_limits``)."""

        def snapshot_of(entry_id: str) -> Snapshot | None:
            coordinator = self.coordinator(entry_id)
            return coordinator.data if coordinator else None

        return circuit_limits(self.goals.values(), snapshot_of, now)

    def prices(self) -> tuple[PriceSlot, ...]:
        """The prices of the price sensor, else those Nord Pool last gave."""
        if self.sources.price_entity:
            return sensor_prices(self.hass, self.sources.price_entity)
        if self.sources.price_location_entry and self.sources.price_location:
            coordinator = self.coordinator(self.sources.price_location_entry)
            location = (
                coordinator.data.locations.get(self.sources.price_location) if coordinator else None
            )
            return location_prices(location.prices) if location else ()
        return self.nordpool[1] if self.nordpool else ()

    async def async_fetch_nordpool(self, force: bool = False) -> None:
        """Today's and tomorrow's prices from Nord Pool, at most hourly unless forced."""
        entry, area = self.sources.nordpool_entry, self.sources.nordpool_area
        now = dt_util.utcnow()
        if not entry or not area:
            return
        if not force and self.nordpool and now - self.nordpool[0] < NORDPOOL_EVERY:
            return
        self.nordpool = (now, await async_nordpool_prices(self.hass, entry, area))

    async def async_fetch_inputs(self, force: bool = False) -> None:
        """The prices from Nord Pool and the solar forecast, at most hourly unless forced."""
        await self.async_fetch_nordpool(force)
        now, entry = dt_util.utcnow(), self.sources.solar_entry
        if entry and (force or not self.solar or now - self.solar[0] >= NORDPOOL_EVERY):
            self.solar = (now, await async_solar_forecast(self.hass, entry))

    def targets(self, now: datetime, groups: dict[str, str]) -> tuple[Target, ...]:
        """A planner target for each goal still ahead (in its circuit's group, if any)."""
        previous = self.plan.targets if self.plan else {}
        targets = []
        for device_id, goal in self.goals.items():
            if goal.departure <= now:
                continue
            running_until = running_power = None
            mine = previous.get(device_id)
            if mine is not None and self._charging(goal):
                slot = next((s for s in mine.slots if s.start <= now < s.end), None)
                if slot is not None:
                    running_until, running_power = slot.end, slot.power_kw
            targets.append(
                Target(
                    key=device_id,
                    energy_kwh=self.still_needed(goal),
                    departure=goal.departure,
                    max_power_kw=goal.max_power_kw,
                    mode=TargetMode.STEER
                    if goal.kind is DeviceKind.CHARGER
                    else TargetMode.RESERVE,
                    running_until=running_until,
                    running_power_kw=running_power,
                    group=groups.get(device_id),
                )
            )
        return tuple(targets)

    def _charging(self, goal: Goal) -> bool:
        coordinator = self.coordinator(goal.entry_id)
        if coordinator is None or goal.kind is not DeviceKind.CHARGER:
            return False
        data = coordinator.data.chargers.get(goal.key)
        return data is not None and data.state.status is ChargerStatus.CHARGING

    def _status(self, goal: Goal) -> object:
        """A charger's status or whether a car is connected: a plug-in re-plans."""
        coordinator = self.coordinator(goal.entry_id)
        if coordinator is None:
            return None
        if goal.kind is DeviceKind.VEHICLE:
            car = coordinator.data.vehicles.get(goal.key)
            return car.vehicle.is_connected if car else None
        data = coordinator.data.chargers.get(goal.key)
        return data.state.status if data else None

    @callback
    def async_replan(self) -> None:
        """Plan every goal again, tell the entities, raise or clear issues, steer."""
        now = dt_util.utcnow()
        groups, circuits = self.circuits(now)
        problem = Problem(
            now=now,
            targets=self.targets(now, groups),
            prices=self.prices(),
            solar=self.solar[1] if self.sources.solar_entry and self.solar else (),
            feed_in_price=self.sources.feed_in_price,
            limit=self.limit(now),
            sub_limits=circuits,
        )
        self.plan = solve(problem)
        self._inputs = self._fingerprint()
        for device_id, goal in self.goals.items():
            plan = self.plan.targets.get(device_id)
            self._update_issue(goal, plan)
            coordinator = self.coordinator(goal.entry_id)
            if plan is not None and coordinator is not None and self.enabled.get(device_id, True):
                steer(self.hass, goal, plan, coordinator, self.sessions, now)
        for listener in list(self.listeners):
            listener()

    def _fingerprint(self) -> object:
        """What a re-plan depends on in the entries' data (changes trigger one)."""
        now = dt_util.utcnow()
        return (
            tuple(round(self.still_needed(goal)) for goal in self.goals.values()),
            tuple(self._status(goal) for goal in self.goals.values()),
            tuple(step.power_kw for step in self.limit(now)),
            tuple(sub.steps[0].power_kw for sub in self.circuits(now)[1]),
        )

    def _update_issue(self, goal: Goal, plan: TargetPlan | None) -> None:
        issue_id = f"plan_at_risk_{goal.device_id}"
        if plan is None or plan.feasible:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=f"plan_at_risk_{plan.shortfall.value}",
            translation_placeholders={
                "name": goal.name,
                "departure": dt_util.as_local(goal.departure).strftime("%Y-%m-%d %H:%M"),
                "missing": f"{plan.missing_kwh:.1f}",
            },
        )

    @callback
    def async_start(self) -> None:
        """Re-plan every 15 minutes and on every entry's new data that matters."""
        if self._unsubs:
            return
        self._unsubs.append(
            async_track_time_interval(
                self.hass, self._async_tick, PLAN_EVERY, cancel_on_shutdown=True
            )
        )
        self.watch()

    @callback
    def watch(self) -> None:
        """Follow every loaded entry (goals, limits) and the price sensor."""
        for coordinator in self.loaded():
            # A reloaded entry has a new coordinator: follow that one too.
            watched = f"{coordinator.config_entry.entry_id}:{id(coordinator)}"
            if watched not in self._watched:
                self._watched.add(watched)
                self._unsubs.append(coordinator.async_add_listener(self._data_changed))
        entity = self.sources.price_entity
        if entity and f"price:{entity}" not in self._watched:
            self._watched.add(f"price:{entity}")
            self._unsubs.append(
                async_track_state_change_event(self.hass, entity, self._price_changed)
            )

    @callback
    def _data_changed(self) -> None:
        if self.goals and self._fingerprint() != self._inputs:
            self.async_replan()

    @callback
    def _price_changed(self, _event: Event[Any]) -> None:
        if self.goals:
            self.async_replan()

    async def _async_tick(self, _now: datetime) -> None:
        now = dt_util.utcnow()
        for device_id, goal in list(self.goals.items()):
            if goal.departure > now:
                continue
            following = next_departure(now, goal.weekday_time, goal.weekend_time)
            if following is None:
                self.remove_goal(device_id)
                continue
            # A repeating goal: the same again for the next departure, a new session.
            goal.departure, goal.session_start_kwh = following, self.session_energy(goal)
            self.sessions.pop(device_id, None)
            self.changed()
        self.watch()
        await self.async_fetch_inputs()
        # Also with no goal left: the entities of a goal that ended show it.
        self.async_replan()

    @callback
    def remove_goal(self, device_id: str) -> None:
        """Forget a goal whose departure passed, and its issue."""
        self.goals.pop(device_id, None)
        self.sessions.pop(device_id, None)
        ir.async_delete_issue(self.hass, DOMAIN, f"plan_at_risk_{device_id}")
        self.changed()

    def changed(self) -> None:
        """A goal, a switch or a source changed: keep it (see planner_store)."""
        if self.on_change:
            self.on_change()

    def with_goal(self, goal: Goal) -> None:
        """Set (or replace) a goal; a new goal is a new session for the write gates."""
        self.goals[goal.device_id] = replace(goal)
        self.sessions.pop(goal.device_id, None)
        self.enabled.setdefault(goal.device_id, True)
        self.changed()


@callback
def planner_home(hass: HomeAssistant) -> PlannerHome:
    """The home's planner (made on first use)."""
    home = hass.data.get(PLANNER)
    if home is None:
        home = hass.data[PLANNER] = PlannerHome(hass)
    return home
