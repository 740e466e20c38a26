"""Plans become few writes: an unchanged order is not written again, and a cap holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.smart_charging.planner.model import PlanSlot, TargetMode, TargetPlan
from custom_components.smart_charging.planner.steer import (
    WINDOW_WRITES,
    Session,
    Steering,
    order_for,
)

NIGHT = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)
LEAVE = NIGHT + timedelta(hours=9)


def plan(start_h: float, end_h: float, energy: float, power: float = 11.0) -> TargetPlan:
    """A one-slot plan from ``start_h`` to ``end_h`` hours after 22:00."""
    slot = PlanSlot(
        NIGHT + timedelta(hours=start_h), NIGHT + timedelta(hours=end_h), power, energy, 0.1
    )
    return TargetPlan("car", TargetMode.STEER, energy, energy, 0.1 * energy, (slot,))


def test_a_window_is_written_once_while_the_car_charges_as_planned() -> None:
    """Re-plans while the car charges as planned give the same order: one write."""
    session = Session(Steering.WINDOW)
    writes = 0
    for quarter in range(12):
        now = NIGHT + timedelta(minutes=15 * quarter)
        done = max(0.0, (quarter - 4) * 11.0 / 4)
        order = order_for(Steering.WINDOW, plan(1, 3, 22.0 - done), LEAVE, now, done)
        writes += session.offer(order, now)
    assert writes == 1


def test_a_window_that_keeps_moving_is_capped() -> None:
    """A window whose end moves each re-plan is written at most three times."""
    session = Session(Steering.WINDOW)
    written = [
        session.offer(order_for(Steering.WINDOW, plan(1, 2 + h, 11.0), LEAVE, NIGHT), NIGHT)
        for h in range(6)
    ]
    assert sum(written) == WINDOW_WRITES == 3
    assert session.held == 3


def test_small_power_changes_do_not_flap_a_slot() -> None:
    """A change of less than half a kW is not sent; a pause is."""
    session = Session(Steering.SLOTS)
    now = NIGHT + timedelta(hours=1, minutes=5)
    assert session.offer(order_for(Steering.SLOTS, plan(1, 2, 11.0), LEAVE, now), now)
    assert not session.offer(order_for(Steering.SLOTS, plan(1, 2, 10.8, 10.8), LEAVE, now), now)
    assert session.offer(order_for(Steering.SLOTS, plan(3, 4, 11.0), LEAVE, now), now)
    assert session.last is not None
    assert session.last.power_kw == 0.0


def test_a_goal_is_written_again_only_when_it_changes() -> None:
    """Jedlix gets the departure and goal; the same goal is not sent twice."""
    session = Session(Steering.GOAL)
    assert session.offer(order_for(Steering.GOAL, plan(1, 3, 22.0), LEAVE, NIGHT), NIGHT)
    assert not session.offer(order_for(Steering.GOAL, plan(2, 4, 22.0), LEAVE, NIGHT), NIGHT)
    later = LEAVE + timedelta(hours=1)
    assert session.offer(order_for(Steering.GOAL, plan(2, 4, 22.0), later, NIGHT), NIGHT)
