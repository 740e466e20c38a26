"""The exact plan: least cost, every departure met where the limit allows.

The linear problem (minimise sum of price x energy, solar valued at its feed-in price,
the shared limit in every interval, each car's power, each car's energy by its departure)
is a transportation problem whose costs depend on the interval only, not on the car. The
energies that can be put into the intervals then form a polymatroid (its rank of a set of
intervals is the most the cars can deliver into them), and on a polymatroid the greedy
method is exact: take the cheapest interval piece first, fill it as far as the cars can
(rerouting cars between intervals along augmenting paths when needed), then the next. It
maximises the energy delivered and, among such plans, minimises the cost. No solver
library is needed, so it runs wherever Home Assistant runs.

Intervals are cut at every price, solar and limit boundary and at every departure,
plug-in and running-slot end, so a car's power is constant within each interval and an
energy limit per interval is the same as a power limit at every moment.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import datetime
import itertools
import math

from .model import (
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


def window_caps(target: Target, segments: list[Segment], now: datetime) -> list[float]:
    """The most ``target`` can take in each interval: its power while it is there."""
    begin = max(now, target.available_from or now)
    return [
        target.max_power_kw * seg.hours
        if begin <= seg.start and seg.end <= target.departure
        else 0.0
        for seg in segments
    ]


class _Greedy:
    """The greedy fill of interval pieces, cheapest first, with augmenting paths."""

    def __init__(self, caps: list[list[float]], demand: list[float]) -> None:
        self.caps = caps
        self.rem = list(demand)
        self.flow = [[0.0] * len(row) for row in caps]
        self.windows = [[k for k, cap in enumerate(row) if cap > EPS] for row in caps]
        width = len(caps[0]) if caps else 0
        self.cars_of: list[list[int]] = [[] for _ in range(width)]
        for car, window in enumerate(self.windows):
            for k in window:
                self.cars_of[k].append(car)

    def _path(self, goal: int) -> list[tuple[int, int, int]] | None:
        """Hops (car, interval, +1 or -1) from a car with energy left into ``goal``."""
        into: dict[int, int] = {}
        out_of: dict[int, int | None] = {goal: None}
        queue = deque([goal])
        caps, flow, rem = self.caps, self.flow, self.rem
        while queue:
            k = queue.popleft()
            for car in self.cars_of[k]:
                if car in into or caps[car][k] - flow[car][k] <= EPS:
                    continue
                into[car] = k
                if rem[car] > EPS:
                    hops = []
                    while True:
                        seg = into[car]
                        hops.append((car, seg, 1))
                        other = out_of[seg]
                        if other is None:
                            return hops
                        hops.append((other, seg, -1))
                        car = other
                row = flow[car]
                for k2 in self.windows[car]:
                    if k2 not in out_of and row[k2] > EPS:
                        out_of[k2] = car
                        queue.append(k2)
        return None

    def fill(self, goal: int, amount: float) -> bool:
        """Put up to ``amount`` more into interval ``goal``; False once it cannot grow."""
        caps, flow, rem = self.caps, self.flow, self.rem
        while amount > EPS:
            hops = self._path(goal)
            if hops is None:
                return False
            first = hops[0][0]
            delta = min(amount, rem[first])
            for car, seg, sign in hops:
                room = caps[car][seg] - flow[car][seg] if sign > 0 else flow[car][seg]
                delta = min(delta, room)
            for car, seg, sign in hops:
                flow[car][seg] += sign * delta
            rem[first] -= delta
            amount -= delta
        return True


def _reserve(
    target: Target, segments: list[Segment], caps: list[float], room: list[float]
) -> list[float]:
    """What a car that schedules itself is expected to take: its cheapest intervals.

    Expected at its own power within what the limit leaves (a car on a shared circuit
    cannot draw more), in the intervals a price-only planner would choose.
    """
    flows = [0.0] * len(segments)
    left = target.energy_kwh
    for k in sorted(range(len(segments)), key=lambda k: (segments[k].price, k)):
        if left <= EPS:
            break
        flows[k] = max(min(caps[k], left, room[k]), 0.0)
        room[k] -= flows[k]
        left -= flows[k]
    return flows


def _running(
    target: Target, segments: list[Segment], caps: list[float], room: list[float]
) -> list[float]:
    """A slot running now keeps its power to its end, as far as the limit allows."""
    flows = [0.0] * len(segments)
    left = target.energy_kwh
    until = target.running_until
    power = target.max_power_kw if target.running_power_kw is None else target.running_power_kw
    for k, seg in enumerate(segments):
        if until is None or seg.end > until or left <= EPS:
            break
        flows[k] = max(min(caps[k], power * seg.hours, left, room[k]), 0.0)
        room[k] -= flows[k]
        left -= flows[k]
    return flows


def solve(problem: Problem) -> Plan:
    """The least-cost plan for every target (the most energy that fits, if not all)."""
    segments = build_segments(problem)
    targets = problem.targets
    caps = [window_caps(t, segments, problem.now) for t in targets]
    room = [seg.limit_kw * seg.hours for seg in segments]
    fixed: list[list[float]] = [[0.0] * len(segments) for _ in targets]
    for i, target in enumerate(targets):
        if target.mode is TargetMode.RESERVE:
            fixed[i] = _reserve(target, segments, caps[i], room)
    for i, target in enumerate(targets):
        if target.mode is TargetMode.STEER and target.running_until is not None:
            fixed[i] = _running(target, segments, caps[i], room)
    steer = [i for i, t in enumerate(targets) if t.mode is TargetMode.STEER]
    greedy = _Greedy(
        [[c - f for c, f in zip(caps[i], fixed[i], strict=True)] for i in steer],
        [max(targets[i].energy_kwh - sum(fixed[i]), 0.0) for i in steer],
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
