"""The ViriCiti charger-group model: timeframes, the limit hierarchy and power sharing.

Pure rules without HTTP, so they can be read on their own. Times are aware datetimes
in UTC; cron timeframes are evaluated in the group's time zone with standard cron
semantics (day-of-week 0 = Sunday, as the seed says), using ``cronsim``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import heapq
from typing import Any
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError

# How far ahead "upcoming" looks for a drop of the scheduled/default limit, so chargers
# can ramp down before the drop instead of overshooting it.
LOOKAHEAD = timedelta(minutes=15)
# How far "upcoming" searches for the end of the lower level it announces.
HORIZON = timedelta(days=8)

EXTERNAL = "external"
UPCOMING = "upcoming"
SCHEDULED = "scheduled"
DEFAULT = "default"


def iso_local(when: datetime, tz: ZoneInfo) -> str:
    """A time as the seed writes group times: ``2021-03-09T16:20:00.000+00:00``."""
    return when.astimezone(tz).isoformat(timespec="milliseconds")


def iso_utc(when: datetime) -> str:
    """A time as the seed writes time-series samples: ``2020-07-16T16:20:05.000Z``."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fires_between(expr: str, tz: ZoneInfo, after: datetime, until: datetime) -> Iterator[datetime]:
    """The fire times of ``expr`` in ``(after, until]``, in order, in UTC."""
    if until <= after:
        return
    for fire in CronSim(expr, after.astimezone(tz)):
        if fire > until:
            return
        yield fire.astimezone(UTC)


def next_fire(expr: str, tz: ZoneInfo, after: datetime) -> datetime | None:
    """The first fire strictly after ``after`` (None when the expression never fires)."""
    fire = next(CronSim(expr, after.astimezone(tz)), None)
    return None if fire is None else fire.astimezone(UTC)


def last_fire(expr: str, tz: ZoneInfo, at: datetime) -> datetime | None:
    """The latest fire at or before ``at``.

    ``cronsim`` walks backwards strictly before its start and ignores sub-seconds, and
    cron fires on whole minutes, so starting one second after ``at`` includes ``at``.
    The arithmetic is done in UTC so a DST fold cannot shift the probe by an hour.
    """
    probe = (at.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)).astimezone(tz)
    fire = next(CronSim(expr, probe, reverse=True), None)
    return None if fire is None else fire.astimezone(UTC)


@dataclass(frozen=True)
class Timeframe:
    """A peak-shaving setting: from each ``start`` fire to the next ``end`` fire, ``limit``.

    ``active`` is the portal's on/off switch: the SDK only shows active timeframes and
    only those take effect. A period may cross midnight (16:00-00:00): it runs from the
    latest start fire until the first end fire after it.
    """

    name: str
    start: str
    end: str
    limit: int
    active: bool = True

    def __post_init__(self) -> None:
        """Refuse a bad cron or limit now, not at the first request that evaluates it."""
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit <= 0:
            raise ValueError(f"timeframe {self.name!r}: the limit must be a positive integer")
        for expr in (self.start, self.end):
            try:
                CronSim(expr, datetime(2000, 1, 1, tzinfo=UTC))
            except CronSimError as err:
                raise ValueError(f"timeframe {self.name!r}: bad cron {expr!r}: {err}") from err

    def period_at(self, at: datetime, tz: ZoneInfo) -> tuple[datetime, datetime | None] | None:
        """The (start, end) of the period in force at ``at``; None between periods."""
        began = last_fire(self.start, tz, at)
        if began is None:
            return None
        ends = next_fire(self.end, tz, began)
        if ends is not None and at >= ends:
            return None
        return began, ends

    def as_json(self) -> dict[str, Any]:
        """The seed's timeframe object."""
        return {
            "active": self.active,
            "start": self.start,
            "end": self.end,
            "limit": self.limit,
            "name": self.name,
        }


@dataclass
class ExternalLimit:
    """A limit set through the API; it overrides everything from ``start`` until ``end``."""

    limit: int
    start: datetime
    end: datetime

    def in_force(self, at: datetime) -> bool:
        """Whether the limit applies at ``at`` (the end itself is already past it)."""
        return self.start <= at < self.end

    def as_json(self, tz: ZoneInfo) -> dict[str, Any]:
        """The seed's ``external`` object, times in the group's time zone."""
        return {
            "limit": self.limit,
            "start": iso_local(self.start, tz),
            "end": iso_local(self.end, tz),
        }


@dataclass(frozen=True)
class Upcoming:
    """A drop of the scheduled/default limit within the look-ahead, announced early.

    The seed gives no shape; like ``external`` it is ``{limit, start, end}`` with ISO
    times: ``start`` is when the drop happens, ``end`` when that lower level changes
    again (left out when no change is found within ``HORIZON``).
    """

    limit: int
    start: datetime
    end: datetime | None

    def as_json(self, tz: ZoneInfo) -> dict[str, Any]:
        """The ``upcoming`` object of ``GET grouplimit``."""
        body: dict[str, Any] = {"limit": self.limit, "start": iso_local(self.start, tz)}
        if self.end is not None:
            body["end"] = iso_local(self.end, tz)
        return body


@dataclass(frozen=True)
class Layers:
    """Every limit a group has at one moment; the hierarchy picks the active one."""

    default: int
    scheduled: Timeframe | None = None
    upcoming: Upcoming | None = None
    external: ExternalLimit | None = None

    @property
    def active(self) -> str:
        """external > upcoming > scheduled > default, as the seed orders them."""
        if self.external is not None:
            return EXTERNAL
        if self.upcoming is not None:
            return UPCOMING
        if self.scheduled is not None:
            return SCHEDULED
        return DEFAULT

    @property
    def limit(self) -> int:
        """The value of the active layer: what the chargers share."""
        if self.external is not None:
            return self.external.limit
        if self.upcoming is not None:
            return self.upcoming.limit
        if self.scheduled is not None:
            return self.scheduled.limit
        return self.default

    def as_json(self, tz: ZoneInfo) -> dict[str, Any]:
        """The body of ``GET grouplimit``: only the layers that exist now."""
        body: dict[str, Any] = {"activeLimit": self.active, "default": {"limit": self.default}}
        if self.external is not None:
            body["external"] = self.external.as_json(tz)
        if self.upcoming is not None:
            body["upcoming"] = self.upcoming.as_json(tz)
        if self.scheduled is not None:
            body["scheduled"] = {
                "limit": self.scheduled.limit,
                "start": self.scheduled.start,
                "end": self.scheduled.end,
            }
        return body


@dataclass(frozen=True)
class PositionLimit:
    """The power one position (connector) of a charger was given."""

    chargestation: str
    position: int
    limit: int

    def as_json(self) -> dict[str, Any]:
        """The seed's ``limits`` item."""
        return {"limit": self.limit, "chargestation": self.chargestation, "position": self.position}


@dataclass(frozen=True)
class Sample:
    """How the group limit was shared from ``time`` until the next sample."""

    time: datetime
    group_limit: int
    limits: tuple[PositionLimit, ...]

    def same_sharing(self, other: Sample) -> bool:
        """Whether ``other`` shares the same limit the same way (time aside)."""
        return self.group_limit == other.group_limit and self.limits == other.limits

    def as_json(self) -> dict[str, Any]:
        """The seed's time-series item."""
        return {
            "limits": [item.as_json() for item in self.limits],
            "groupLimit": self.group_limit,
            "time": iso_utc(self.time),
        }


@dataclass
class Station:
    """A charger: ``positions`` connectors, each able to draw up to ``max_power`` kW."""

    identity: str
    group_id: str
    positions: int = 1
    max_power: int = 150
    charging: set[int] = field(default_factory=set)
    # What the station actions (``6_Actions``, OCPP 1.6) work on: the transaction id of
    # each charging position, the positions a car is plugged into without a transaction
    # (after a remote stop or a reset), the positions made unavailable (Inoperative), and
    # those that become unavailable once their transaction ends (answered Scheduled).
    transactions: dict[int, int] = field(default_factory=dict)
    plugged: set[int] = field(default_factory=set)
    unavailable: set[int] = field(default_factory=set)
    scheduled_unavailable: set[int] = field(default_factory=set)

    def end_transaction(self, position: int, *, car_leaves: bool) -> None:
        """The transaction at ``position`` ends; the car stays plugged unless it leaves."""
        self.charging.discard(position)
        self.transactions.pop(position, None)
        if car_leaves:
            self.plugged.discard(position)
        else:
            self.plugged.add(position)
        if position in self.scheduled_unavailable:
            self.scheduled_unavailable.discard(position)
            self.unavailable.add(position)


@dataclass
class Group:
    """A charger group: its limits, its time zone and the samples recorded so far."""

    id: str
    title: str
    default_limit: int
    timezone: str = "UTC"
    timeframes: list[Timeframe] = field(default_factory=list)
    accepts_external: bool = True
    external: ExternalLimit | None = None
    samples: list[Sample] = field(default_factory=list)
    synced: datetime | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The group's time zone (``ZoneInfo`` caches instances, so this is cheap)."""
        return ZoneInfo(self.timezone)

    def scheduled(self, at: datetime) -> Timeframe | None:
        """The timeframe in force at ``at``; the lowest limit wins when several overlap."""
        running = [
            tf for tf in self.timeframes if tf.active and tf.period_at(at, self.tz) is not None
        ]
        return min(running, key=lambda tf: tf.limit, default=None)

    def baseline(self, at: datetime) -> int:
        """The limit without external and upcoming: scheduled, else default."""
        timeframe = self.scheduled(at)
        return self.default_limit if timeframe is None else timeframe.limit

    def schedule_changes(self, after: datetime, until: datetime) -> Iterator[datetime]:
        """Every moment in ``(after, until]`` a timeframe starts or ends, in order, once."""
        tz = self.tz
        streams = [
            fires_between(expr, tz, after, until)
            for tf in self.timeframes
            if tf.active
            for expr in (tf.start, tf.end)
        ]
        last: datetime | None = None
        for when in heapq.merge(*streams):
            if when != last:
                yield when
                last = when

    def next_change(self, at: datetime, within: timedelta) -> tuple[datetime, int] | None:
        """The first moment after ``at`` (up to ``within``) the baseline changes, and to what."""
        current = self.baseline(at)
        for when in self.schedule_changes(at, at + within):
            limit = self.baseline(when)
            if limit != current:
                return when, limit
        return None

    def upcoming(self, at: datetime, lookahead: timedelta) -> Upcoming | None:
        """The next baseline change within ``lookahead`` if it is a drop; never a rise."""
        change = self.next_change(at, lookahead)
        if change is None or change[1] >= self.baseline(at):
            return None
        when, limit = change
        after = self.next_change(when, HORIZON)
        return Upcoming(limit, when, None if after is None else after[0])

    def external_at(self, at: datetime) -> ExternalLimit | None:
        """The external limit if it is in force at ``at``."""
        if self.external is not None and self.external.in_force(at):
            return self.external
        return None

    def layers(self, at: datetime, lookahead: timedelta = LOOKAHEAD) -> Layers:
        """Every limit of the group at ``at``."""
        return Layers(
            default=self.default_limit,
            scheduled=self.scheduled(at),
            upcoming=self.upcoming(at, lookahead),
            external=self.external_at(at),
        )

    def limit_changes(
        self, after: datetime, until: datetime, lookahead: timedelta
    ) -> list[datetime]:
        """Every moment in ``(after, until]`` at which the active limit may change.

        Timeframe starts and ends, the same moments ``lookahead`` earlier (where an
        upcoming drop begins), and the start and end of the external limit.
        """
        moments = set(self.schedule_changes(after, until))
        moments.update(
            when - lookahead for when in self.schedule_changes(after + lookahead, until + lookahead)
        )
        if self.external is not None:
            moments.update(
                t for t in (self.external.start, self.external.end) if after < t <= until
            )
        return sorted(moments)


def share(limit: int, caps: Sequence[int]) -> list[int]:
    """Share ``limit`` kW among positions that can each take at most ``caps[i]`` kW.

    Max-min fair ("water filling"): a position that needs less than an equal share gets
    what it can take and the rest is shared among the others. Results are whole kW;
    the kW left over by rounding down go one each to the first positions, so the sum
    never exceeds the limit. The seed's example: 250 kW over caps (150, 150, 50) gives
    (100, 100, 50).
    """
    result = [0] * len(caps)
    remaining = max(limit, 0)
    order = sorted(range(len(caps)), key=lambda i: caps[i])
    done = 0
    while done < len(order) and caps[order[done]] <= remaining // (len(order) - done):
        index = order[done]
        result[index] = caps[index]
        remaining -= caps[index]
        done += 1
    rest = sorted(order[done:])
    if rest:
        base, extra = divmod(remaining, len(rest))
        for rank, index in enumerate(rest):
            result[index] = base + (1 if rank < extra else 0)
    return result
