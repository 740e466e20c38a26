"""The planning problem and the plan, as plain frozen data.

Times are aware datetimes in UTC; energy is kWh, power kW, prices are per kWh in the
price source's currency. A target asks for energy by a departure; the plan says, per
target, when it charges at what power, what that costs and whether it cannot make it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Interval:
    """From ``start`` (included) to ``end`` (excluded), in UTC.

    Prices, solar and plans are each given over intervals, slots of the same time line.
    """

    start: datetime
    end: datetime


class TargetMode(StrEnum):
    """How a target is steered, which decides what the planner may choose for it."""

    # The planner chooses its slots (pause/resume, dynamic current, a schedule window).
    STEER = "steer"
    # The cloud schedules the car itself from a departure and a goal (Jedlix): the
    # planner only reserves its expected power in the shared limit, in the slots a
    # price-only planner would pick, and never moves it.
    RESERVE = "reserve"


class Shortfall(StrEnum):
    """Why a target's goal cannot be met by its departure."""

    NONE = "none"
    # Even alone at its own maximum power the car cannot take the energy in time.
    NOT_ENOUGH_TIME = "not_enough_time"
    # The time would do, but the shared limit leaves it too little power.
    NOT_ENOUGH_LIMIT = "not_enough_limit"


@dataclass(frozen=True, slots=True)
class PriceSlot(Interval):
    """One price interval (an hour or a quarter-hour); the price may be negative."""

    price: float


@dataclass(frozen=True, slots=True)
class SolarSlot(Interval):
    """Forecast solar surplus over an interval, in kWh."""

    energy_kwh: float


@dataclass(frozen=True, slots=True)
class LimitStep:
    """The shared limit from ``start`` on (until the next step), in kW."""

    start: datetime
    power_kw: float


@dataclass(frozen=True, slots=True)
class SubLimit:
    """A limit only some targets share, under the shared one (an Easee circuit's fuse).

    The targets whose ``group`` is ``key`` draw at most ``steps``' power together; every
    target still counts in the shared limit too.
    """

    key: str
    steps: tuple[LimitStep, ...]


@dataclass(frozen=True, slots=True)
class Target:
    """A car (or charger) that should have ``energy_kwh`` more by ``departure``."""

    key: str
    energy_kwh: float
    departure: datetime
    max_power_kw: float
    # When the car can start (plug-in); None: now.
    available_from: datetime | None = None
    mode: TargetMode = TargetMode.STEER
    # A slot running now, at ``running_power_kw``, that must not be cut short unless the
    # limit forces it.
    running_until: datetime | None = None
    running_power_kw: float | None = None
    # The sub-limit (``SubLimit.key``) this target shares with others; None: none.
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything one re-plan needs."""

    now: datetime
    targets: tuple[Target, ...]
    prices: tuple[PriceSlot, ...]
    solar: tuple[SolarSlot, ...] = ()
    # What a kWh of solar fetches when fed in (what using it costs); None: 0.
    feed_in_price: float | None = None
    # The shared limit over time; empty: no shared limit, each charger's own only.
    limit: tuple[LimitStep, ...] = ()
    # Limits of groups of targets beneath the shared one (a circuit and its chargers).
    sub_limits: tuple[SubLimit, ...] = ()


@dataclass(frozen=True, slots=True)
class PlanSlot(Interval):
    """One interval of a target's plan."""

    power_kw: float
    energy_kwh: float
    # The grid price of the interval; None where no price is known yet (estimated).
    price: float | None


@dataclass(frozen=True, slots=True)
class TargetPlan:
    """What one target will do."""

    key: str
    mode: TargetMode
    requested_kwh: float
    energy_kwh: float
    cost: float
    slots: tuple[PlanSlot, ...]
    shortfall: Shortfall = Shortfall.NONE
    # How much the best plan falls short, in kWh (0 when the goal is met).
    missing_kwh: float = 0.0

    @property
    def next_start(self) -> datetime | None:
        """When the plan next charges (the first slot's start)."""
        return self.slots[0].start if self.slots else None

    @property
    def finish(self) -> datetime | None:
        """When the plan's last slot ends."""
        return self.slots[-1].end if self.slots else None

    @property
    def feasible(self) -> bool:
        """Whether the goal is met by the departure."""
        return self.shortfall is Shortfall.NONE


@dataclass(frozen=True, slots=True)
class Plan:
    """The plan of every target, made at ``made_at``."""

    made_at: datetime
    targets: dict[str, TargetPlan] = field(default_factory=dict)

    @property
    def cost(self) -> float:
        """What the whole plan costs."""
        return sum(plan.cost for plan in self.targets.values())
