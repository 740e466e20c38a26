"""The planner on nights a user would recognise: who charges when, and what it costs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import random

import pytest

from bench.planner import make_day
from bench.planner_reference import reference
from custom_components.smart_charging.planner.model import (
    LimitStep,
    PriceSlot,
    Problem,
    Shortfall,
    SolarSlot,
    SubLimit,
    Target,
    TargetMode,
    TargetPlan,
)
from custom_components.smart_charging.planner.solve import build_segments, solve

EVENING = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def hourly(*prices: float, start: datetime = EVENING) -> tuple[PriceSlot, ...]:
    """Hourly prices from ``start`` on."""
    return tuple(
        PriceSlot(start + timedelta(hours=h), start + timedelta(hours=h + 1), price)
        for h, price in enumerate(prices)
    )


def at(hours: float) -> datetime:
    """``hours`` after 18:00."""
    return EVENING + timedelta(hours=hours)


def power_at(plan: TargetPlan, moment: datetime) -> float:
    """The power the plan gives at ``moment``."""
    return sum(s.power_kw for s in plan.slots if s.start <= moment < s.end)


def delivered_by(plan: TargetPlan, moment: datetime) -> float:
    """Energy the plan puts in before ``moment``."""
    return sum(s.energy_kwh for s in plan.slots if s.end <= moment)


# 18:00 .. 07:00 (13 hours): one cheap hour at 02:00, cheaper ones around it.
NIGHT = hourly(0.40, 0.38, 0.35, 0.30, 0.25, 0.20, 0.15, 0.10, 0.02, 0.12, 0.18, 0.22, 0.30)


def test_two_cars_one_cheap_slot_shared_limit_both_make_their_departure() -> None:
    """Under an 11 kW limit the two cars share the cheap hour and both are full by 07:00.

    A planner that plans each car alone would put both at 11 kW into 02:00-03:00 (22 kW on
    an 11 kW circuit: each gets half and both miss their departure).
    """
    cars = (
        Target("tesla", 22.0, at(13), 11.0),
        Target("zoe", 22.0, at(13), 11.0),
    )
    plan = solve(Problem(EVENING, cars, NIGHT, limit=(LimitStep(EVENING, 11.0),)))
    for key in ("tesla", "zoe"):
        assert plan.targets[key].feasible
        assert delivered_by(plan.targets[key], at(13)) == pytest.approx(22.0)
    for hour in range(13):
        moment = at(hour)
        assert sum(power_at(p, moment) for p in plan.targets.values()) <= 11.0 + 1e-9
    # 44 kWh at 11 kW: the four cheapest hours (0.02, 0.10, 0.12, 0.15).
    assert plan.cost == pytest.approx(11 * (0.02 + 0.10 + 0.12 + 0.15))
    assert sum(power_at(p, at(8)) for p in plan.targets.values()) == pytest.approx(11.0)


def test_negative_prices_are_used_first() -> None:
    """Hours where the grid pays to take power are filled before any paid hour."""
    prices = hourly(0.30, -0.05, -0.10, 0.20, 0.25)
    plan = solve(Problem(EVENING, (Target("car", 15.0, at(5), 7.5),), prices))
    car = plan.targets["car"]
    assert [(s.start, s.end, s.price) for s in car.slots] == [
        (at(1), at(2), -0.05),
        (at(2), at(3), -0.10),
    ]
    assert car.cost == pytest.approx(7.5 * -0.05 + 7.5 * -0.10)
    assert car.cost < 0


def test_solar_surplus_is_used_at_its_feed_in_price() -> None:
    """A sunny noon beats the grid when feeding in pays less than buying."""
    morning = datetime(2026, 6, 6, 8, 0, tzinfo=UTC)
    prices = hourly(0.25, 0.25, 0.25, 0.25, 0.25, 0.25, start=morning)
    sun = (SolarSlot(morning + timedelta(hours=3), morning + timedelta(hours=5), 8.0),)
    plan = solve(
        Problem(
            morning,
            (Target("car", 8.0, morning + timedelta(hours=6), 11.0),),
            prices,
            solar=sun,
            feed_in_price=0.07,
        )
    )
    car = plan.targets["car"]
    assert car.next_start == morning + timedelta(hours=3)
    assert car.finish == morning + timedelta(hours=5)
    assert car.cost == pytest.approx(8.0 * 0.07)


def test_not_enough_time_plans_the_most_and_says_why() -> None:
    """30 kWh at 7.4 kW in 3 hours cannot be done: full power throughout, flagged."""
    plan = solve(Problem(EVENING, (Target("car", 30.0, at(3), 7.4),), NIGHT))
    car = plan.targets["car"]
    assert car.shortfall is Shortfall.NOT_ENOUGH_TIME
    assert not car.feasible
    assert car.energy_kwh == pytest.approx(3 * 7.4)
    assert car.missing_kwh == pytest.approx(30.0 - 22.2)


def test_not_enough_limit_is_told_apart_from_time() -> None:
    """Each car could make it alone; together the 6 kW limit cannot give them enough."""
    cars = (Target("a", 20.0, at(4), 11.0), Target("b", 20.0, at(4), 11.0))
    plan = solve(Problem(EVENING, cars, NIGHT, limit=(LimitStep(EVENING, 6.0),)))
    assert sum(p.energy_kwh for p in plan.targets.values()) == pytest.approx(24.0)
    reasons = {p.shortfall for p in plan.targets.values()}
    assert reasons <= {Shortfall.NONE, Shortfall.NOT_ENOUGH_LIMIT}
    assert Shortfall.NOT_ENOUGH_LIMIT in reasons


def test_limit_layers_over_time_are_kept() -> None:
    """Peak shaving cuts the limit to 4 kW from 02:00: the plan keeps under it."""
    limit = (LimitStep(EVENING, 11.0), LimitStep(at(8), 4.0))
    plan = solve(Problem(EVENING, (Target("car", 30.0, at(13), 11.0),), NIGHT, limit=limit))
    car = plan.targets["car"]
    assert car.feasible
    assert all(s.power_kw <= 4.0 + 1e-9 for s in car.slots if s.start >= at(8))


def test_a_car_that_schedules_itself_only_reserves_its_power() -> None:
    """The Jedlix car keeps its cheapest hours; the steered car plans around it."""
    cars = (
        Target("jedlix", 11.0, at(13), 11.0, mode=TargetMode.RESERVE),
        Target("easee", 11.0, at(13), 11.0),
    )
    plan = solve(Problem(EVENING, cars, NIGHT, limit=(LimitStep(EVENING, 11.0),)))
    jedlix, easee = plan.targets["jedlix"], plan.targets["easee"]
    assert [(s.start, s.end) for s in jedlix.slots] == [(at(8), at(9))]
    assert power_at(easee, at(8)) == 0.0
    assert [(s.start, s.end) for s in easee.slots] == [(at(7), at(8))]


def test_a_running_slot_is_not_cut_short() -> None:
    """A car charging now goes on to its slot's end even if later hours are cheaper."""
    now = at(0.5)
    car = Target("car", 10.0, at(13), 10.0, running_until=at(1))
    plan = solve(Problem(now, (car,), NIGHT))
    first = plan.targets["car"].slots[0]
    assert (first.start, first.end, first.power_kw) == (now, at(1), pytest.approx(10.0))
    assert plan.targets["car"].energy_kwh == pytest.approx(10.0)


def test_quarter_hours_and_a_departure_within_a_slot() -> None:
    """15-minute prices and a 06:40 departure: nothing planned after the car leaves."""
    quarters = tuple(PriceSlot(at(q / 4), at((q + 1) / 4), 0.3 - 0.002 * q) for q in range(13 * 4))
    leave = at(12) + timedelta(minutes=40)
    plan = solve(Problem(EVENING, (Target("car", 5.0, leave, 11.0),), quarters))
    car = plan.targets["car"]
    assert car.feasible
    assert car.finish == leave
    assert car.energy_kwh == pytest.approx(5.0)
    assert all(s.power_kw <= 11.0 + 1e-9 for s in car.slots)


def test_departure_beyond_known_prices_is_planned_on_estimates() -> None:
    """Before tomorrow's prices arrive, later hours count at the mean, shown as unknown."""
    plan = solve(Problem(EVENING, (Target("car", 40.0, at(20), 11.0),), hourly(0.1, 0.2)))
    car = plan.targets["car"]
    assert car.feasible
    assert any(s.price is None for s in car.slots)
    assert all(s.price is not None for s in car.slots if s.end <= at(2))


def test_no_target_no_plan() -> None:
    """Nothing to plan gives an empty plan and no grid."""
    problem = Problem(EVENING, (), NIGHT)
    assert build_segments(problem) == []
    assert solve(problem).targets == {}


def test_two_cars_on_one_circuit_share_its_fuse_a_third_does_not() -> None:
    """A 16 A circuit (11 kW) under a 22 kW home limit: its two cars share 11 kW.

    The third car, on no circuit, takes what the home limit leaves in the cheap hour.
    """
    cars = (
        Target("tesla", 11.0, at(13), 11.0, group="garage"),
        Target("zoe", 11.0, at(13), 11.0, group="garage"),
        Target("van", 11.0, at(13), 11.0),
    )
    problem = Problem(
        now=EVENING,
        targets=cars,
        prices=NIGHT,
        limit=(LimitStep(EVENING, 22.0),),
        sub_limits=(SubLimit("garage", (LimitStep(EVENING, 11.0),)),),
    )
    plan = solve(problem)
    for key in ("tesla", "zoe", "van"):
        assert plan.targets[key].feasible
        assert plan.targets[key].energy_kwh == pytest.approx(11.0)
    for hour in range(13):
        moment = at(hour + 0.5)
        garage = power_at(plan.targets["tesla"], moment) + power_at(plan.targets["zoe"], moment)
        assert garage <= 11.0 + 1e-6
        assert garage + power_at(plan.targets["van"], moment) <= 22.0 + 1e-6
    # The van has the cheapest hour to itself; the garage's cars take it and the next.
    assert power_at(plan.targets["van"], at(8.5)) == pytest.approx(11.0)
    assert power_at(plan.targets["tesla"], at(8.5)) + power_at(
        plan.targets["zoe"], at(8.5)
    ) == pytest.approx(11.0)


def test_a_circuit_too_small_for_its_cars_says_not_enough_limit() -> None:
    """Two cars on a 3.7 kW circuit for 4 hours cannot both have 10 kWh: the limit says why."""
    cars = (
        Target("tesla", 10.0, at(4), 11.0, group="garage"),
        Target("zoe", 10.0, at(4), 11.0, group="garage"),
    )
    plan = solve(
        Problem(
            now=EVENING,
            targets=cars,
            prices=NIGHT,
            sub_limits=(SubLimit("garage", (LimitStep(EVENING, 3.7),)),),
        )
    )
    assert sum(p.energy_kwh for p in plan.targets.values()) == pytest.approx(3.7 * 4)
    # Alone, each car could take its 10 kWh in time: what is missing is the circuit's.
    shortfalls = {p.shortfall for p in plan.targets.values()}
    assert Shortfall.NOT_ENOUGH_LIMIT in shortfalls
    assert Shortfall.NOT_ENOUGH_TIME not in shortfalls


@pytest.mark.parametrize("seed", range(12))
def test_circuits_beneath_the_home_limit_match_an_lp_solver(seed: int) -> None:
    """Seeded nights with two circuits: the same energy and cost as HiGHS finds."""
    day = make_day(seed, 10 if seed % 2 else 3)
    problem = day["problem"]
    rng = random.Random(seed)
    circuits = tuple(
        SubLimit(
            key,
            (
                LimitStep(problem.now, rng.uniform(3.0, 12.0)),
                LimitStep(problem.now + timedelta(hours=5), rng.uniform(3.0, 15.0)),
            ),
        )
        for key in ("garage", "carport")
    )
    targets = tuple(
        replace(target, group=rng.choice((None, "garage", "carport"))) for target in problem.targets
    )
    problem = replace(problem, targets=targets, sub_limits=circuits)
    plan = solve(problem)
    best = reference(problem)
    energy = sum(p.energy_kwh for p in plan.targets.values())
    assert energy == pytest.approx(best.energy_kwh, abs=1e-4)
    assert plan.cost == pytest.approx(best.cost, abs=1e-4)
