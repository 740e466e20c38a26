"""The exact plan: least cost, every departure met where the limit allows.

The linear problem (minimise sum of price x energy, solar valued at its feed-in price,
the shared limit in every interval, the limit of each group of cars beneath it (an Easee
circuit), each car's power, each car's energy by its departure) is a flow problem whose
costs depend on the interval only, not on the car. The energies that can be put into the
intervals then form a polymatroid (its rank of a set of intervals is the most the cars
can deliver into them), and on a polymatroid the greedy method is exact: take the
cheapest interval piece first, fill it as far as the cars can (rerouting cars between
intervals along augmenting paths when needed, ``greedy.py``), then the next. It
maximises the energy delivered and, among such plans, minimises the cost. No solver
library is needed, so it runs wherever Home Assistant runs.

Intervals are cut at every price, solar and limit (and sub-limit) boundary and at every departure,
plug-in and running-slot end, so a car's power is constant within each interval and an
energy limit per interval is the same as a power limit at every moment.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
import itertools
import math

from .greedy import NO_GROUP, Greedy
from .model import (
    LimitStep,
    Plan,
    PlanSlot,
    Problem,
    Shortfall,
    Target,
    TargetMode,
    TargetPlan,
)

EPS = 1e-9
# Energy a goal may miss by and still count as met (rounding of the arithmetic).
TOLERANCE_KWH = 1e-6


@dataclass(frozen=True, slots=True)
class Segment:
    """One interval of the grid the plan is made on."""

    start: datetime
    end: datetime
    hours: float
    # Grid price; ``estimated`` when no source covers it (mean of the known prices).
    price: float
    estimated: bool
    solar_kwh: float
    # The shared limit in kW (math.inf without one).
    limit_kw: float


def _boundaries(problem: Problem, horizon: datetime) -> list[datetime]:
    now = problem.now
    points = {now, horizon}
    for target in problem.targets:
        points.add(target.departure)
        for moment in (target.available_from, target.running_until):
            if moment is not None:
                points.add(moment)
    for price in problem.prices:
        points.update((price.start, price.end))
    for sun in problem.solar:
        points.update((sun.start, sun.end))
    points.update(step.start for step in problem.limit)
    for sub in problem.sub_limits:
        points.update(step.start for step in sub.steps)
    return sorted(p for p in points if now <= p <= horizon)


def build_segments(problem: Problem) -> list[Segment]:
    """The grid from now to the last departure, with price, solar and limit per interval."""
    if not problem.targets:
        return []
    horizon = max(target.departure for target in problem.targets)
    prices = sorted(problem.prices, key=lambda slot: slot.start)
    starts = [slot.start for slot in prices]
    mean = sum(slot.price for slot in prices) / len(prices) if prices else 0.0
    limits = sorted(problem.limit, key=lambda step: step.start)
    limit_starts = [step.start for step in limits]
    points = _boundaries(problem, horizon)
    segments = []
    for start, end in itertools.pairwise(points):
        hours = (end - start).total_seconds() / 3600
        if hours <= 0:
            continue
        index = bisect_right(starts, start) - 1
        covered = index >= 0 and prices[index].end >= end
        solar = 0.0
        for slot in problem.solar:
            overlap = (min(end, slot.end) - max(start, slot.start)).total_seconds()
            length = (slot.end - slot.start).total_seconds()
            if overlap > 0 and length > 0:
                solar += max(slot.energy_kwh, 0.0) * overlap / length
        step = max(bisect_right(limit_starts, start) - 1, 0)
        segments.append(
            Segment(
                start=start,
                end=end,
                hours=hours,
                price=prices[index].price if covered else mean,
                estimated=not covered,
                solar_kwh=solar,
                limit_kw=max(limits[step].power_kw, 0.0) if limits else math.inf,
            )
        )
    return segments


def limit_energies(steps: tuple[LimitStep, ...], segments: list[Segment]) -> list[float]:
    """The energy a limit lets through in each interval (its step in force at the start)."""
    ordered = sorted(steps, key=lambda step: step.start)
    starts = [step.start for step in ordered]
    energies = []
    for seg in segments:
        step = ordered[max(bisect_right(starts, seg.start) - 1, 0)]
        energies.append(max(step.power_kw, 0.0) * seg.hours)
    return energies


def window_caps(target: Target, segments: list[Segment], now: datetime) -> list[float]:
    """The most ``target`` can take in each interval: its power while it is there."""
    begin = max(now, target.available_from or now)
    return [
        target.max_power_kw * seg.hours
        if begin <= seg.start and seg.end <= target.departure
        else 0.0
        for seg in segments
    ]


def _reserve(target: Target, segments: list[Segment], caps: list[float], room: Room) -> list[float]:
    """What a car that schedules itself is expected to take: its cheapest intervals.

    Expected at its own power within what the limit leaves (a car on a shared circuit
    cannot draw more), in the intervals a price-only planner would choose.
    """
    cheapest = sorted(range(len(segments)), key=lambda k: (segments[k].price, k))
    return _fill(target, [(k, caps[k]) for k in cheapest], room, len(segments))


def _running(target: Target, segments: list[Segment], caps: list[float], room: Room) -> list[float]:
    """A slot running now keeps its power to its end, as far as the limit allows."""
    until = target.running_until
    power = target.max_power_kw if target.running_power_kw is None else target.running_power_kw
    # The intervals from now to the slot's end (none when no slot runs).
    slot = itertools.takewhile(
        lambda k: until is not None and segments[k].end <= until, range(len(segments))
    )
    order = [(k, min(caps[k], power * segments[k].hours)) for k in slot]
    return _fill(target, order, room, len(segments))


def _fill(target: Target, order: list[tuple[int, float]], room: Room, size: int) -> list[float]:
    """The car's energy laid into the intervals in ``order``, as far as the limits allow.

    Each interval comes with the most the car takes there; what it takes leaves
    ``room``, so the next car sees what is left.
    """
    flows = [0.0] * size
    left = target.energy_kwh
    for k, most in order:
        if left <= EPS:
            break
        flows[k] = max(min(most, left, room.left(k)), 0.0)
        room.take(k, flows[k])
        left -= flows[k]
    return flows


@dataclass
class Room:
    """The energy the limits leave in each interval: the shared one and a car's circuit."""

    shared: list[float]
    circuit: list[float] | None

    def left(self, k: int) -> float:
        """What interval ``k`` can still take."""
        return min(self.shared[k], math.inf if self.circuit is None else self.circuit[k])

    def take(self, k: int, energy: float) -> None:
        """``energy`` taken in interval ``k``."""
        self.shared[k] -= energy
        if self.circuit is not None:
            self.circuit[k] -= energy


def solve(problem: Problem) -> Plan:
    """The least-cost plan for every target (the most energy that fits, if not all)."""
    segments = build_segments(problem)
    targets = problem.targets
    caps = [window_caps(t, segments, problem.now) for t in targets]
    room = [seg.limit_kw * seg.hours for seg in segments]
    # Each sub-limit's energy per interval; each target's sub-limit (index) or none.
    keys = {sub.key: index for index, sub in enumerate(problem.sub_limits)}
    group_room = [limit_energies(sub.steps, segments) for sub in problem.sub_limits]
    groups = [keys.get(t.group, NO_GROUP) if t.group is not None else NO_GROUP for t in targets]

    def own_room(i: int) -> Room:
        return Room(room, group_room[groups[i]] if groups[i] != NO_GROUP else None)

    fixed: list[list[float]] = [[0.0] * len(segments) for _ in targets]
    for i, target in enumerate(targets):
        if target.mode is TargetMode.RESERVE:
            fixed[i] = _reserve(target, segments, caps[i], own_room(i))
    for i, target in enumerate(targets):
        if target.mode is TargetMode.STEER and target.running_until is not None:
            fixed[i] = _running(target, segments, caps[i], own_room(i))
    steer = [i for i, t in enumerate(targets) if t.mode is TargetMode.STEER]
    greedy = Greedy(
        [[c - f for c, f in zip(caps[i], fixed[i], strict=True)] for i in steer],
        [max(targets[i].energy_kwh - sum(fixed[i]), 0.0) for i in steer],
        [groups[i] for i in steer],
        group_room,
    )
    prefilled = [sum(row[k] for row in fixed) for k in range(len(segments))]
    feed_in = problem.feed_in_price or 0.0
    pieces = []
    for k, seg in enumerate(segments):
        room_k = max(room[k], 0.0)
        sun = min(max(seg.solar_kwh - prefilled[k], 0.0), room_k)
        if sun > EPS:
            pieces.append((min(feed_in, seg.price), k, 0, sun))
        if room_k - sun > EPS:
            pieces.append((seg.price, k, 1, room_k - sun))
    pieces.sort()
    full: set[int] = set()
    for _, k, _, amount in pieces:
        if sum(greedy.rem) <= EPS:
            break
        if k not in full and not greedy.fill(k, amount):
            full.add(k)
    flows = list(fixed)
    for row, i in enumerate(steer):
        flows[i] = [f + g for f, g in zip(fixed[i], greedy.flow[row], strict=True)]
    return _plan(problem, segments, caps, flows, feed_in)


def _segment_costs(segments: list[Segment], loads: list[float], feed_in: float) -> list[float]:
    """Cost per kWh of each interval's load: solar first (at its feed-in price), then grid."""
    unit = []
    for seg, load in zip(segments, loads, strict=True):
        if load <= EPS:
            unit.append(0.0)
            continue
        sun = min(seg.solar_kwh, load)
        unit.append((sun * min(feed_in, seg.price) + (load - sun) * seg.price) / load)
    return unit


def _plan(
    problem: Problem,
    segments: list[Segment],
    caps: list[list[float]],
    flows: list[list[float]],
    feed_in: float,
) -> Plan:
    loads = [sum(row[k] for row in flows) for k in range(len(segments))]
    unit = _segment_costs(segments, loads, feed_in)
    plans = {}
    for target, cap, row in zip(problem.targets, caps, flows, strict=True):
        slots: list[PlanSlot] = []
        for seg, energy in zip(segments, row, strict=True):
            if energy <= EPS:
                continue
            power = energy / seg.hours
            price = None if seg.estimated else seg.price
            last = slots[-1] if slots else None
            if (
                last
                and last.end == seg.start
                and last.price == price
                and abs(last.power_kw - power) < 1e-6
            ):
                slots[-1] = PlanSlot(
                    last.start, seg.end, last.power_kw, last.energy_kwh + energy, price
                )
            else:
                slots.append(PlanSlot(seg.start, seg.end, power, energy, price))
        energy = sum(row)
        missing = max(target.energy_kwh - energy, 0.0)
        shortfall = Shortfall.NONE
        if missing > TOLERANCE_KWH:
            shortfall = (
                Shortfall.NOT_ENOUGH_TIME
                if sum(cap) < target.energy_kwh - TOLERANCE_KWH
                else Shortfall.NOT_ENOUGH_LIMIT
            )
        plans[target.key] = TargetPlan(
            key=target.key,
            mode=target.mode,
            requested_kwh=target.energy_kwh,
            energy_kwh=energy,
            cost=sum(e * u for e, u in zip(row, unit, strict=True)),
            slots=tuple(slots),
            shortfall=shortfall,
            missing_kwh=missing if shortfall is not Shortfall.NONE else 0.0,
        )
    return Plan(made_at=problem.now, targets=plans)
