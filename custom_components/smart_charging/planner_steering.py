"""How a plan is carried out: through each cloud's own controls, with few writes.

Whatever a device's coordinator offers, never a cloud's name: a charger that takes pause
and resume (``control``) is paused outside its slots and resumed in them; a charge point
that takes a charging window (``window_control``) is given the plan's window and energy;
a car its cloud schedules itself (``goal_control``) is handed the departure and goal.
``planner.steer`` decides when a new plan is worth a write.
"""

from __future__ import annotations

from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant

from .clouds.errors import SmartChargingError
from .clouds.models import ChargerStatus
from .const import DOMAIN, LOGGER
from .coordinator import SmartChargingCoordinator
from .model import DeviceKind
from .planner.model import TargetPlan
from .planner.steer import Order, Session, Steering, order_for
from .planner_inputs import Goal

PAUSE, RESUME = "pause_charging", "resume_charging"
# A charger whose car is plugged in and may charge: pause and resume mean something.
_STEERABLE = (ChargerStatus.CHARGING, ChargerStatus.AWAITING_START, ChargerStatus.READY_TO_CHARGE)


def steer(
    hass: HomeAssistant,
    goal: Goal,
    plan: TargetPlan,
    coordinator: SmartChargingCoordinator,
    sessions: dict[str, Session],
    now: datetime,
) -> None:
    """Write what ``plan`` asks of the goal's device, if its order changed enough."""
    if goal.kind is DeviceKind.VEHICLE:
        control = coordinator.goal_control
        if control is None or not control.takes_goal(goal.key):
            return
        # Such a cloud (Jedlix) takes a desired state of charge from 50 to 100 %.
        soc = round(goal.soc) if goal.soc is not None and 50 <= goal.soc <= 100 else None
        order = Order(
            Steering.GOAL, end=goal.departure, energy_kwh=goal.soc or goal.energy_kwh or 0
        )
        if sessions.setdefault(goal.device_id, Session(Steering.GOAL)).offer(order, now):
            _write(hass, coordinator, goal, control.async_set_goal(goal.key, goal.departure, soc))
        return
    window = coordinator.window_control
    if window is not None:
        if not window.takes_window(goal.key):
            return
        done = max((goal.energy_kwh or 0) - plan.requested_kwh, 0.0)
        order = order_for(Steering.WINDOW, plan, goal.departure, now, done)
        session = sessions.setdefault(goal.device_id, Session(Steering.WINDOW))
        if order.start and order.end and session.offer(order, now):
            write = window.async_set_window(goal.key, order.start, order.end, order.energy_kwh)
            _write(hass, coordinator, goal, write)
        return
    data = coordinator.data.chargers.get(goal.key)
    if coordinator.control is None or data is None or not {PAUSE, RESUME} <= data.commands:
        return
    if data.state.status not in _STEERABLE:
        return
    order = order_for(Steering.SLOTS, plan, goal.departure, now)
    if sessions.setdefault(goal.device_id, Session(Steering.SLOTS)).offer(order, now):
        command = RESUME if order.power_kw > 0 else PAUSE
        _write(hass, coordinator, goal, async_send(coordinator, goal.key, command))


def _write(
    hass: HomeAssistant,
    coordinator: SmartChargingCoordinator,
    goal: Goal,
    write: Coroutine[Any, Any, None],
) -> None:
    coordinator.config_entry.async_create_background_task(
        hass, _async_write(goal, write), f"{DOMAIN} planner write"
    )


async def _async_write(goal: Goal, write: Coroutine[Any, Any, None]) -> None:
    """Send one write; a refusal is logged (a later re-plan or goal tries again)."""
    try:
        await write
    except SmartChargingError as err:
        LOGGER.warning("The planner's write for %s was not accepted: %s", goal.name, err)


async def async_send(coordinator: SmartChargingCoordinator, charger_id: str, command: str) -> None:
    """Send one pause or resume, then read the charger again."""
    if coordinator.control is None:  # pragma: no cover - checked before
        return
    await coordinator.control.async_command(charger_id, command)
    coordinator.mark_due(charger_id, settings=False)
