"""How a plan becomes as few writes to a cloud as possible.

Each cloud is steered through its own controls, so a plan turns into a different order
per kind of steering, and a new plan is written only when its order differs enough from
the last one written (no flapping on every re-plan):
- ``SLOTS`` (pause/resume and a dynamic current, Easee): the power of the slot running
  now; written when it changes by more than half a kW.
- ``WINDOW`` (a charging window and an energy target, AMPECO's schedule preferences):
  written when the window must grow (its end 30 minutes or more later, or its start 30
  minutes or more earlier before it began) or the energy changes by a kWh; at most
  ``WINDOW_WRITES`` a session. A window with nothing left to charge is not written.
- ``GOAL`` (a departure and a goal, Jedlix schedules the car itself): written when the
  departure or the goal changes; at most ``GOAL_WRITES`` a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .model import TargetPlan

WINDOW_WRITES = 3
GOAL_WRITES = 3
POWER_STEP_KW = 0.5
ENERGY_STEP_KWH = 1.0
TIME_STEP = timedelta(minutes=30)


class Steering(StrEnum):
    """The kind of control a target is steered through."""

    SLOTS = "slots"
    WINDOW = "window"
    GOAL = "goal"


@dataclass(frozen=True, slots=True)
class Order:
    """What would be written for a plan."""

    steering: Steering
    power_kw: float = 0.0
    start: datetime | None = None
    end: datetime | None = None
    energy_kwh: float = 0.0


def order_for(
    steering: Steering,
    plan: TargetPlan,
    departure: datetime,
    now: datetime,
    delivered_kwh: float = 0.0,
) -> Order:
    """The order ``plan`` asks of a target steered through ``steering`` at ``now``.

    Energies are the session's (``delivered_kwh`` so far plus what is still planned), so
    an order does not change merely because the car charged as planned.
    """
    if steering is Steering.SLOTS:
        power = next((s.power_kw for s in plan.slots if s.start <= now < s.end), 0.0)
        return Order(steering, power_kw=power)
    if steering is Steering.WINDOW:
        return Order(
            steering,
            start=plan.next_start,
            end=plan.finish,
            energy_kwh=delivered_kwh + plan.energy_kwh,
        )
    return Order(steering, end=departure, energy_kwh=delivered_kwh + plan.requested_kwh)


def _later(old: datetime | None, new: datetime | None) -> bool:
    """Whether ``new`` is at least ``TIME_STEP`` after ``old`` (None: nothing to say)."""
    return old is not None and new is not None and new - old >= TIME_STEP


@dataclass(slots=True)
class Session:
    """The orders written to one target during one charging session."""

    steering: Steering
    last: Order | None = None
    writes: int = 0
    # Orders that differed enough but were not written because the cap was reached.
    held: int = 0

    @property
    def cap(self) -> int | None:
        """The most writes a session may take (None: no cap)."""
        return {Steering.WINDOW: WINDOW_WRITES, Steering.GOAL: GOAL_WRITES}.get(self.steering)

    def differs(self, order: Order, now: datetime) -> bool:
        """Whether ``order`` differs enough from the last one written to be written."""
        last = self.last
        if last is None:
            return True
        if order.steering is Steering.SLOTS:
            return abs(order.power_kw - last.power_kw) > POWER_STEP_KW
        energy = abs(order.energy_kwh - last.energy_kwh) >= ENERGY_STEP_KWH
        if order.steering is Steering.GOAL:
            return energy or order.end != last.end
        # Only a window that must grow is written again: the charge point finishes within
        # a wider one, and swapping between equally cheap windows is no reason to write.
        started = last.start is not None and last.start <= now
        return (
            energy
            or _later(last.end, order.end)
            or (not started and _later(order.start, last.start))
        )

    def offer(self, order: Order, now: datetime) -> bool:
        """Record ``order`` as written and return True when it should be written now."""
        if not self.differs(order, now):
            return False
        if self.cap is not None and self.writes >= self.cap:
            self.held += 1
            return False
        self.last = order
        self.writes += 1
        return True
