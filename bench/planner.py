"""The planner benchmark: seeded simulated nights, judged against a reference optimum.

Pure Python (no Home Assistant): each day is a seeded world of 1, 3 or 10 cars under one
limit with hourly or quarter-hour prices (some negative), a sunny, cloudy or no solar
forecast, weekday or weekend departures, and some days that cannot be met. The planner
plans at the first plug-in and re-plans every 15 minutes while the night is carried out
exactly as planned; the figures come from what was carried out. ``bench.planner_reference``
gives the optimum by a general LP solver (HiGHS), a different method.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import itertools
import random
import statistics
import time
from typing import Any

from custom_components.smart_charging.planner.model import (
    LimitStep,
    PriceSlot,
    Problem,
    Shortfall,
    SolarSlot,
    SubLimit,
    Target,
    TargetMode,
)
from custom_components.smart_charging.planner.solve import solve
from custom_components.smart_charging.planner.steer import Session, Steering, order_for

from .planner_reference import reference

SIZES = (1, 3, 10)
DAYS_PER_SIZE = 24
STEP = timedelta(minutes=15)
FIRST_DAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
FEED_IN = 0.07
LIMIT_KW = {1: 11.0, 3: 16.0, 10: 40.0}
# Beneath the shared limit, the first cars of a day with several share a circuit (an
# Easee circuit): how many, and its limit (kW: 16 A and 25 A on three phases at 230 V).
CIRCUIT = {3: (2, 11.04), 10: (4, 17.25)}
POWERS = (3.7, 7.4, 11.0, 22.0)
# (segment start, end, power) pieces of one car's carried-out charging.
Pieces = list[tuple[datetime, datetime, float]]


def _prices(rng: random.Random, day: datetime, minutes: int, sunny: bool) -> tuple[PriceSlot, ...]:
    """Today and tomorrow: evening peak, night trough, negative hours on sunny middays."""
    slots = []
    for index in range(48 * 60 // minutes):
        start = day + timedelta(minutes=minutes * index)
        hour = start.hour + start.minute / 60
        price = 0.22 + 0.12 * (17 <= hour < 21) - 0.08 * (1 <= hour < 5)
        if sunny and 11 <= hour < 15:
            price -= rng.uniform(0.15, 0.3)
        slots.append(
            PriceSlot(
                start, start + timedelta(minutes=minutes), round(price + rng.gauss(0, 0.03), 4)
            )
        )
    return tuple(slots)


def _solar(rng: random.Random, day: datetime, weather: str) -> tuple[SolarSlot, ...]:
    if weather == "none":
        return ()
    peak = 6.0 if weather == "sunny" else 1.5
    slots = []
    for d in (0, 1):
        for hour in range(7, 19):
            shape = max(0.0, 1 - abs(hour + 0.5 - 13) / 6)
            start = day + timedelta(days=d, hours=hour)
            slots.append(
                SolarSlot(start, start + timedelta(hours=1), peak * shape * rng.uniform(0.7, 1))
            )
    return tuple(slots)


def make_day(seed: int, size: int) -> dict[str, Any]:
    """One seeded day: the problem at the first plug-in and what the day is."""
    rng = random.Random(seed * 1000 + size)
    day = FIRST_DAY + timedelta(days=seed % 14)
    weekend = day.weekday() in (4, 5)  # Friday and Saturday nights: weekend mornings
    minutes = rng.choice((15, 60))
    weather = rng.choice(("sunny", "cloudy", "none"))
    infeasible = seed % 4 == 3
    targets = []
    for i in range(size):
        plug = day + timedelta(hours=rng.uniform(16, 21))
        leave = day + timedelta(days=1, hours=rng.uniform(9, 13) if weekend else rng.uniform(6, 8))
        power = rng.choice(POWERS)
        hours = (leave - plug).total_seconds() / 3600
        share = LIMIT_KW[size] / size
        energy = rng.uniform(0.2, 0.8) * min(power, share * 1.5) * hours * 0.5
        if infeasible and i == 0:
            energy = power * hours * 1.2 if size == 1 else LIMIT_KW[size] * hours
        targets.append(
            Target(
                f"car{i}",
                round(energy, 2),
                leave.replace(microsecond=0),
                power,
                plug.replace(microsecond=0),
            )
        )
    now = min(t.available_from or day for t in targets)
    limit = LIMIT_KW[size]
    # Peak shaving: a lower limit in the evening peak, the full one after 21:00.
    layers = (
        LimitStep(now, limit * 0.7),
        LimitStep(day + timedelta(hours=21), limit),
        LimitStep(day + timedelta(days=1, hours=7), limit * 0.8),
    )
    sub_limits: tuple[SubLimit, ...] = ()
    if size in CIRCUIT:
        # Drawn after the rest, so the days' cars, prices and sun are those of before.
        members, circuit_kw = CIRCUIT[size]
        targets[:members] = [replace(t, group="circuit") for t in targets[:members]]
        sub_limits = (SubLimit("circuit", (LimitStep(now, circuit_kw),)),)
    problem = Problem(
        now=now,
        targets=tuple(targets),
        prices=_prices(rng, day, minutes, weather == "sunny"),
        solar=_solar(rng, day, weather),
        feed_in_price=FEED_IN,
        limit=layers,
        sub_limits=sub_limits,
    )
    return {
        "seed": seed,
        "size": size,
        "minutes": minutes,
        "weather": weather,
        "weekend": weekend,
        "problem": problem,
    }


def limit_at(problem: Problem, moment: datetime) -> float:
    """The shared limit at ``moment`` from the raw layers."""
    value = problem.limit[0].power_kw if problem.limit else float("inf")
    for step in problem.limit:
        if step.start <= moment:
            value = step.power_kw
    return value


def price_at(problem: Problem, moment: datetime) -> float:
    """The grid price at ``moment``."""
    return next(s.price for s in problem.prices if s.start <= moment < s.end)


def solar_rate(problem: Problem, moment: datetime) -> float:
    """Solar surplus power (kW) at ``moment``."""
    for slot in problem.solar:
        if slot.start <= moment < slot.end:
            return slot.energy_kwh / ((slot.end - slot.start).total_seconds() / 3600)
    return 0.0


def judge_pieces(problem: Problem, pieces: dict[str, Pieces]) -> dict[str, Any]:
    """Cost, energy by departure and limit excess of what was carried out."""
    cuts = {problem.now}
    for car in pieces.values():
        for start, end, _ in car:
            cuts.update((start, end))
    for slot in (*problem.prices, *problem.solar):
        cuts.update((slot.start, slot.end))
    cuts.update(step.start for step in problem.limit)
    moments = sorted(cuts)
    cost, over = 0.0, 0
    for start, end in itertools.pairwise(moments):
        power = sum(p for car in pieces.values() for s, e, p in car if s <= start and end <= e)
        if power <= 1e-9:
            continue
        hours = (end - start).total_seconds() / 3600
        if power > limit_at(problem, start) + 1e-6:
            over += 1
        for sub in problem.sub_limits:
            members = {t.key for t in problem.targets if t.group == sub.key}
            shared = sum(
                p for key in members for s, e, p in pieces.get(key, ()) if s <= start and end <= e
            )
            if shared > sub.steps[0].power_kw + 1e-6:
                over += 1
        sun = min(solar_rate(problem, start), power) * hours
        grid = power * hours - sun
        price = price_at(problem, start)
        cost += grid * price + sun * min(FEED_IN, price)
    delivered = {
        t.key: sum(
            p * (min(e, t.departure) - s).total_seconds() / 3600
            for s, e, p in pieces[t.key]
            if s < t.departure
        )
        for t in problem.targets
    }
    return {"cost": cost, "over": over, "delivered": delivered}


def carry_out(problem: Problem, steering: dict[str, Steering]) -> dict[str, Any]:
    """Plan at the first plug-in, re-plan every 15 minutes, do exactly what is planned."""
    done = {t.key: 0.0 for t in problem.targets}
    pieces: dict[str, Pieces] = {t.key: [] for t in problem.targets}
    sessions = {t.key: Session(steering[t.key]) for t in problem.targets}
    flagged: dict[str, datetime] = {}
    cpu: list[float] = []
    now = problem.now
    end = max(t.departure for t in problem.targets)
    running: dict[str, tuple[datetime | None, float | None]] = {}
    while now < end:
        targets = tuple(
            replace(
                t,
                energy_kwh=max(t.energy_kwh - done[t.key], 0.0),
                running_until=running.get(t.key, (None, None))[0],
                running_power_kw=running.get(t.key, (None, None))[1],
            )
            for t in problem.targets
            if t.departure > now
        )
        started = time.process_time()
        plan = solve(replace(problem, now=now, targets=targets))
        cpu.append(time.process_time() - started)
        following = now + STEP
        running = {}
        for target in targets:
            mine = plan.targets[target.key]
            if mine.shortfall is not Shortfall.NONE:
                flagged.setdefault(target.key, now)
            if target.available_from is None or target.available_from <= now:
                sessions[target.key].offer(
                    order_for(steering[target.key], mine, target.departure, now, done[target.key]),
                    now,
                )
            for slot in mine.slots:
                start, stop = max(slot.start, now), min(slot.end, following)
                if start < stop:
                    pieces[target.key].append((start, stop, slot.power_kw))
                    done[target.key] += slot.power_kw * (stop - start).total_seconds() / 3600
                if slot.start <= following < slot.end:
                    running[target.key] = (slot.end, slot.power_kw)
        now = following
    return {
        **judge_pieces(problem, pieces),
        "writes": {k: s.writes for k, s in sessions.items()},
        "held": {k: s.held for k, s in sessions.items()},
        "flagged": flagged,
        "cpu": cpu,
    }


def charge_at_once(problem: Problem) -> dict[str, Any]:
    """Every car at full power from plug-in, the limit shared equally (a load balancer)."""
    left = {t.key: t.energy_kwh for t in problem.targets}
    pieces: dict[str, Pieces] = {t.key: [] for t in problem.targets}
    now, step = problem.now, timedelta(minutes=5)
    while now < max(t.departure for t in problem.targets):
        here = [
            t
            for t in problem.targets
            if (t.available_from or now) <= now < t.departure and left[t.key] > 1e-9
        ]
        room, hours = limit_at(problem, now), step.total_seconds() / 3600
        for index, target in enumerate(sorted(here, key=lambda t: t.max_power_kw)):
            power = min(target.max_power_kw, room / (len(here) - index), left[target.key] / hours)
            room -= power
            left[target.key] -= power * hours
            pieces[target.key].append((now, now + step, power))
        now += step
    return judge_pieces(problem, pieces)


def per_car_cheapest(problem: Problem) -> dict[str, Any]:
    """Each car planned alone on its cheapest hours, blind to the shared limit and circuits.

    Where the cars' sum is over the limit, a load balancer cuts every car in proportion;
    the energy lost that way is not planned again (the single-car planners do not see it).
    """
    alone = {}
    for target in problem.targets:
        plan = solve(replace(problem, targets=(target,), limit=(), solar=(), sub_limits=()))
        alone[target.key] = [(s.start, s.end, s.power_kw) for s in plan.targets[target.key].slots]
    planned = judge_pieces(problem, alone)
    cuts = sorted(
        {m for car in alone.values() for s, e, _ in car for m in (s, e)}
        | {s.start for s in problem.limit}
    )
    cut: dict[str, Pieces] = {k: [] for k in alone}
    for start, end in itertools.pairwise(cuts):
        powers = {
            k: sum(p for s, e, p in car if s <= start and end <= e) for k, car in alone.items()
        }
        total = sum(powers.values())
        scale = min(1.0, limit_at(problem, start) / total) if total > 1e-9 else 1.0
        for key, power in powers.items():
            if power > 1e-9:
                cut[key].append((start, end, power * scale))
    carried = judge_pieces(problem, cut)
    missed = sum(carried["delivered"][t.key] < t.energy_kwh - 1e-3 for t in problem.targets)
    return {"over": planned["over"], "missed": missed}


def run_day(day: dict[str, Any]) -> dict[str, Any]:
    """One day: the planner carried out, the reference, and the two comparisons."""
    problem: Problem = day["problem"]
    kinds = (Steering.SLOTS, Steering.WINDOW)
    steering = {t.key: kinds[i % 2] for i, t in enumerate(problem.targets)}
    result = carry_out(problem, steering)
    ref = reference(problem)
    missed = short = flagged_ahead = 0
    for target in problem.targets:
        got = result["delivered"][target.key]
        if got < target.energy_kwh - 1e-3:
            if ref.feasible:
                missed += 1
            else:
                short += 1
                first = result["flagged"].get(target.key)
                flagged_ahead += first is not None and first <= target.departure - timedelta(
                    minutes=30
                )
    # The same night with the first car a Jedlix car: only its goal is written.
    jedlix = replace(
        problem,
        targets=(replace(problem.targets[0], mode=TargetMode.RESERVE), *problem.targets[1:]),
    )
    with_jedlix = carry_out(jedlix, {**steering, problem.targets[0].key: Steering.GOAL})
    once = charge_at_once(problem)
    return {
        **{k: v for k, v in day.items() if k != "problem"},
        "feasible": ref.feasible,
        "cost": result["cost"],
        "reference_cost": ref.cost,
        "gap_percent": 100 * (result["cost"] - ref.cost) / max(abs(ref.cost), 1e-9),
        "missed": missed,
        "short": short,
        "flagged_ahead": flagged_ahead,
        "over": result["over"] + with_jedlix["over"],
        "window_writes": [w for k, w in result["writes"].items() if steering[k] is Steering.WINDOW],
        "goal_writes": [with_jedlix["writes"][problem.targets[0].key]],
        "held": sum(result["held"].values()) + with_jedlix["held"][problem.targets[0].key],
        "at_once_cost": once["cost"],
        "per_car": per_car_cheapest(problem),
    }


def cpu_case(seed: int, repeat: int = 3) -> float:
    """CPU seconds of one plan: 10 cars x 96 quarter-hours (best of ``repeat``)."""
    rng = random.Random(seed)
    now = FIRST_DAY + timedelta(hours=12)
    prices = tuple(
        PriceSlot(now + STEP * q, now + STEP * (q + 1), round(rng.uniform(-0.05, 0.45), 4))
        for q in range(96)
    )
    solar = _solar(rng, FIRST_DAY, "sunny")
    targets = tuple(
        Target(
            f"car{i}",
            rng.uniform(5, 40),
            now + STEP * rng.randrange(40, 97),
            rng.choice(POWERS),
            now + STEP * rng.randrange(0, 24),
        )
        for i in range(10)
    )
    problem = Problem(
        now,
        targets,
        prices,
        solar,
        FEED_IN,
        (LimitStep(now, 40.0), LimitStep(now + STEP * 20, 30.0)),
    )
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        solve(problem)
        best = min(best, time.process_time() - started)
    return best


def run(days_per_size: int = DAYS_PER_SIZE) -> dict[str, Any]:
    """Every day and the CPU cases: a JSON-friendly dict for the report."""
    days = [run_day(make_day(seed, size)) for size in SIZES for seed in range(days_per_size)]
    cpu = sorted(cpu_case(seed) for seed in range(20))
    feasible = [d for d in days if d["feasible"]]
    gaps = [d["gap_percent"] for d in feasible]
    short = sum(d["short"] for d in days)
    plan_cost = sum(d["cost"] for d in feasible)
    once_cost = sum(d["at_once_cost"] for d in feasible)
    return {
        "days": len(days),
        "feasible_days": len(feasible),
        "infeasible_days": len(days) - len(feasible),
        "gap_mean_percent": statistics.fmean(gaps) if gaps else None,
        "gap_worst_percent": max(gaps) if gaps else None,
        "missed": sum(d["missed"] for d in days),
        "over": sum(d["over"] for d in days),
        "short": short,
        "flagged_ahead_percent": 100 * sum(d["flagged_ahead"] for d in days) / short
        if short
        else None,
        "cpu_ms_worst": 1000 * cpu[-1],
        "cpu_ms_median": 1000 * statistics.median(cpu),
        "window_writes_worst": max(w for d in days for w in d["window_writes"]),
        "goal_writes_worst": max(w for d in days for w in d["goal_writes"]),
        "sessions": sum(len(d["window_writes"]) + 1 for d in days),
        "held": sum(d["held"] for d in days),
        "saving_percent": 100 * (once_cost - plan_cost) / abs(once_cost) if once_cost else None,
        "per_car_over": sum(d["per_car"]["over"] for d in feasible),
        "per_car_missed": sum(d["per_car"]["missed"] for d in feasible),
        "per_car_departures": sum(d["size"] for d in feasible),
        "per_day": days,
    }
