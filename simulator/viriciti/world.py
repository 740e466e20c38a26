"""The ViriCiti world the simulator serves: groups, stations, sessions and their history.

Everything here is driven by the simulated clock. Samples of the time series are
recorded the moment the sharing changes: at once when a session starts or ends (or the
configuration changes), and lazily, by catching up to the clock, for changes that only
time brings (timeframes starting and ending, an upcoming drop, an external limit
expiring). Between two changes made through this API the set of charging positions is
constant, so catching up needs nothing but the group's configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
import itertools
import random
from zoneinfo import ZoneInfo

from .model import (
    LOOKAHEAD,
    ExternalLimit,
    Group,
    Layers,
    PositionLimit,
    Sample,
    Station,
    Timeframe,
    share,
)

DEMO_GROUP = "ViriCitiGroup"
DEMO_TIMEZONE = "Europe/Amsterdam"
DEMO_HISTORY = timedelta(days=7)
# Catching up further than this (the clock jumped far ahead) starts at this distance.
MAX_CATCH_UP = timedelta(days=400)


def demo_timeframes() -> list[Timeframe]:
    """The seed's two peak-shaving timeframes, in the seed's order."""
    every_day = "0,1,2,3,4,5,6"
    return [
        Timeframe("16:00-00:00", f"0 16 * * {every_day}", f"0 0 * * {every_day}", 200),
        Timeframe("00:00-08:00", f"0 0 * * {every_day}", f"0 8 * * {every_day}", 100),
    ]


def _floor_ms(when: datetime) -> datetime:
    """Drop sub-millisecond digits: the API speaks Unix milliseconds."""
    return when.astimezone(UTC).replace(microsecond=when.microsecond // 1000 * 1000)


class ViricitiWorld:
    """The groups and chargers of the simulated ViriCiti account, with control methods.

    Every method that changes the world takes an optional ``at`` (default: the clock's
    now) so a past can be played; ``at`` may not lie in the future nor before the last
    change of the groups involved.
    """

    def __init__(self, now: Callable[[], datetime], *, seed: int = 1) -> None:
        self._now = now
        self.seed = seed
        self.lookahead = LOOKAHEAD
        self.groups: dict[str, Group] = {}
        self.stations: dict[str, Station] = {}
        self.random = random.Random(seed)
        # OCPP transaction ids, as the station actions name them.
        self.transaction_ids = itertools.count(1001)

    # -- looking up -------------------------------------------------------------------

    def group(self, group_id: str) -> Group:
        """The group ``group_id``; KeyError when there is none."""
        try:
            return self.groups[group_id]
        except KeyError:
            raise KeyError(f"no charger group {group_id!r}") from None

    def station(self, identity: str) -> Station:
        """The station ``identity``; KeyError when there is none."""
        try:
            return self.stations[identity]
        except KeyError:
            raise KeyError(f"no charging station {identity!r}") from None

    def members(self, group_id: str) -> list[Station]:
        """The stations of a group, in the order they were added."""
        return [station for station in self.stations.values() if station.group_id == group_id]

    def limits(self, group_id: str, at: datetime | None = None) -> Layers:
        """Every limit of the group now (or at ``at``), as ``GET grouplimit`` reports them."""
        return self.group(group_id).layers(at or self._now(), self.lookahead)

    def current(self, group_id: str) -> Sample:
        """How the group's limit is shared among its charging positions right now."""
        group = self.group(group_id)
        self.sync(group)
        return self._sharing(group, self._now())

    def history(self, group_id: str, start: datetime, end: datetime) -> list[Sample]:
        """The samples recorded in ``[start, end)`` (half-open, so windows can be chained)."""
        group = self.group(group_id)
        self.sync(group)
        return [sample for sample in group.samples if start <= sample.time < end]

    # -- the history ------------------------------------------------------------------

    def sync(self, group: Group, until: datetime | None = None) -> None:
        """Record the samples that time alone brought about, up to ``until`` (now).

        When the clock moved back, what was recorded after it never happened: those
        samples are forgotten, so a test may set the clock to any moment.
        """
        until = _floor_ms(until or self._now())
        if group.synced is None or until < group.synced:
            group.samples = [sample for sample in group.samples if sample.time <= until]
            group.synced = until
            return
        begin = max(group.synced, until - MAX_CATCH_UP)
        for when in group.limit_changes(begin, until, self.lookahead):
            self._record(group, when)
        group.synced = until

    def _sharing(self, group: Group, at: datetime) -> Sample:
        """The sharing of the group's active limit among its charging positions at ``at``."""
        limit = group.layers(at, self.lookahead).limit
        active = [
            (station, position)
            for station in self.members(group.id)
            for position in sorted(station.charging)
        ]
        shares = share(limit, [station.max_power for station, _ in active])
        limits = tuple(
            PositionLimit(station.identity, position, kw)
            for (station, position), kw in zip(active, shares, strict=True)
        )
        return Sample(at, limit, limits)

    def _record(self, group: Group, at: datetime) -> None:
        """Append a sample when the sharing at ``at`` differs from the last one.

        Several changes at one instant (three cars plugging in at once) leave one
        sample: the last word at that instant replaces the earlier ones.
        """
        sample = self._sharing(group, at)
        if group.samples and group.samples[-1].time == at:
            group.samples.pop()
        if group.samples and group.samples[-1].same_sharing(sample):
            return
        group.samples.append(sample)

    def _when(self, at: datetime | None) -> datetime:
        now = self._now()
        if at is None:
            return _floor_ms(now)
        if at > now:
            raise ValueError("the world cannot be changed in the future")
        return _floor_ms(at)

    @contextmanager
    def _changing(self, at: datetime | None, *groups: Group) -> Iterator[datetime]:
        """Catch ``groups`` up to ``at``, let the caller change them, record the result.

        Yields the moment of the change. A past ``at`` must not come before a change
        already made to the groups (history is played in order); without ``at`` the
        clock's now is used even when the clock moved back (see ``sync``).
        """
        when = self._when(at)
        for group in groups:
            if at is not None and group.synced is not None and when < group.synced:
                raise ValueError(f"group {group.id!r} is recorded past {when.isoformat()}")
            self.sync(group, when)
        yield when
        for group in groups:
            if group.id in self.groups:
                self._record(group, when)

    # -- groups -----------------------------------------------------------------------

    def add_group(
        self,
        group_id: str,
        *,
        title: str | None = None,
        default_limit: int = 400,
        timezone: str = "UTC",
        timeframes: Iterable[Timeframe] = (),
        accepts_external: bool = True,
        at: datetime | None = None,
    ) -> Group:
        """Create a group (no stations yet); ``timezone`` is an IANA name."""
        if group_id in self.groups:
            raise ValueError(f"charger group {group_id!r} exists")
        _check_limit(default_limit)
        ZoneInfo(timezone)
        when = self._when(at)
        group = Group(
            id=group_id,
            title=title or group_id,
            default_limit=default_limit,
            timezone=timezone,
            timeframes=list(timeframes),
            accepts_external=accepts_external,
            synced=when,
        )
        self.groups[group_id] = group
        self._record(group, when)
        return group

    def remove_group(self, group_id: str) -> None:
        """Forget a group together with its stations."""
        self.group(group_id)
        for station in self.members(group_id):
            del self.stations[station.identity]
        del self.groups[group_id]

    def set_default_limit(self, group_id: str, limit: int, *, at: datetime | None = None) -> None:
        """Change the group's default limit (as in the portal)."""
        _check_limit(limit)
        group = self.group(group_id)
        with self._changing(at, group):
            group.default_limit = limit

    def set_timeframes(
        self, group_id: str, timeframes: Iterable[Timeframe], *, at: datetime | None = None
    ) -> None:
        """Replace the group's peak-shaving timeframes (as in the portal)."""
        group = self.group(group_id)
        with self._changing(at, group):
            group.timeframes = list(timeframes)

    def set_external_limit(
        self, group_id: str, limit: int, end: datetime, *, at: datetime | None = None
    ) -> ExternalLimit:
        """Set an external limit from now until ``end``, without the API's checks.

        The HTTP endpoint validates and rate-limits first; tests use this to set up a
        situation directly. A new external limit replaces the previous one.
        """
        _check_limit(limit)
        if end.tzinfo is None:
            raise ValueError("the end time must be aware")
        group = self.group(group_id)
        with self._changing(at, group) as when:
            external = ExternalLimit(limit, when, end.astimezone(UTC))
            group.external = external
        return external

    def clear_external_limit(self, group_id: str, *, at: datetime | None = None) -> None:
        """End the external limit now."""
        group = self.group(group_id)
        with self._changing(at, group):
            group.external = None

    # -- stations and sessions --------------------------------------------------------

    def add_station(
        self,
        identity: str,
        group_id: str,
        *,
        positions: int = 1,
        max_power: int = 150,
        at: datetime | None = None,
    ) -> Station:
        """Add a charger with ``positions`` connectors of ``max_power`` kW to a group."""
        if identity in self.stations:
            raise ValueError(f"charging station {identity!r} exists")
        if positions < 1:
            raise ValueError("a station has at least one position")
        _check_limit(max_power)
        group = self.group(group_id)
        with self._changing(at, group):
            station = Station(identity, group_id, positions, max_power)
            self.stations[identity] = station
        return station

    def remove_station(self, identity: str, *, at: datetime | None = None) -> None:
        """Take a charger away; its sessions end."""
        station = self.station(identity)
        with self._changing(at, self.group(station.group_id)):
            del self.stations[identity]

    def move_station(self, identity: str, group_id: str, *, at: datetime | None = None) -> None:
        """Move a charger to another group; its sessions end, its history stays behind."""
        station = self.station(identity)
        old, new = self.group(station.group_id), self.group(group_id)
        with self._changing(at, old, new):
            station.charging.clear()
            station.transactions.clear()
            station.group_id = group_id

    def start_session(
        self, identity: str, position: int = 1, *, at: datetime | None = None
    ) -> None:
        """A vehicle plugs in at a position: from now on it shares the group limit."""
        station = self._position(identity, position)
        if position in station.charging:
            raise ValueError(f"{identity} position {position} is already charging")
        if position in station.unavailable:
            raise ValueError(f"{identity} position {position} is unavailable")
        with self._changing(at, self.group(station.group_id)):
            station.charging.add(position)
            station.plugged.discard(position)
            station.transactions[position] = next(self.transaction_ids)

    def end_session(self, identity: str, position: int = 1, *, at: datetime | None = None) -> None:
        """The vehicle at a position leaves (charging or not): the others share its part."""
        station = self._position(identity, position)
        if position not in station.charging | station.plugged:
            raise ValueError(f"{identity} position {position} has no car")
        with self._changing(at, self.group(station.group_id)):
            station.end_transaction(position, car_leaves=True)

    def _position(self, identity: str, position: int) -> Station:
        station = self.station(identity)
        if not 1 <= position <= station.positions:
            raise ValueError(f"{identity} has no position {position}")
        return station

    # -- whole worlds -----------------------------------------------------------------

    def reset(self, *, demo: bool = True) -> None:
        """Empty the world (and the random generator); rebuild the demo world if asked."""
        self.groups.clear()
        self.stations.clear()
        self.random = random.Random(self.seed)
        self.transaction_ids = itertools.count(1001)
        if demo:
            self.build_demo()

    def build_demo(self, history: timedelta = DEMO_HISTORY) -> None:
        """The seed's group with charger_1 (2 positions) and charger_2 (1 position).

        ``history`` of seeded random sessions is played first, so the time series has
        data; then, at the clock's now, charger_1 position 1 has charged for an hour and
        charger_2 position 1 for half an hour, and charger_1 position 2 is free.
        """
        now = _floor_ms(self._now())
        begin = now - history
        self.add_group(
            DEMO_GROUP,
            title="ViriCiti Group",
            default_limit=400,
            timezone=DEMO_TIMEZONE,
            timeframes=demo_timeframes(),
            at=begin,
        )
        self.add_station("charger_1", DEMO_GROUP, positions=2, max_power=150, at=begin)
        self.add_station("charger_2", DEMO_GROUP, positions=1, max_power=50, at=begin)
        self.play_random_sessions(begin, now - timedelta(hours=1))
        self.start_session("charger_1", 1, at=now - timedelta(hours=1))
        self.start_session("charger_2", 1, at=now - timedelta(minutes=30))

    def play_random_sessions(self, begin: datetime, end: datetime) -> None:
        """Seeded sessions on every free position between ``begin`` and ``end``.

        Each position alternates a wait of 30 min-12 h and a session of 30 min-6 h;
        every session ends by ``end``. The events are applied in time order.
        """
        events: list[tuple[datetime, bool, str, int]] = []
        for station in self.stations.values():
            for position in range(1, station.positions + 1):
                if position not in station.charging:
                    events.extend(self._random_sessions(station.identity, position, begin, end))
        events.sort(key=lambda event: (event[0], event[1]))
        for when, starting, identity, position in events:
            if starting:
                self.start_session(identity, position, at=when)
            else:
                self.end_session(identity, position, at=when)

    def _random_sessions(
        self, identity: str, position: int, begin: datetime, end: datetime
    ) -> Iterator[tuple[datetime, bool, str, int]]:
        cursor = begin
        while True:
            start = cursor + timedelta(minutes=self.random.randint(30, 12 * 60))
            stop = start + timedelta(minutes=self.random.randint(30, 6 * 60))
            if stop > end:
                return
            yield start, True, identity, position
            yield stop, False, identity, position
            cursor = stop

    def scale(
        self,
        chargers: int,
        *,
        groups: int = 1,
        positions: int = 2,
        max_power: int = 150,
        busy: float = 0.5,
    ) -> list[Station]:
        """Grow the world to ``chargers`` stations spread over ``groups`` groups.

        Missing groups are made like the demo group (``ViriCitiGroup2``, ...). New
        stations are ``charger_<n>``, dealt round-robin over the groups; each of their
        positions is charging with probability ``busy`` (seeded). Returns the new ones.
        """
        group_ids = [DEMO_GROUP, *(f"{DEMO_GROUP}{k}" for k in range(2, groups + 1))]
        for number, group_id in enumerate(group_ids, start=1):
            if group_id not in self.groups:
                self.add_group(
                    group_id,
                    title=f"ViriCiti Group {number}",
                    default_limit=400,
                    timezone=DEMO_TIMEZONE,
                    timeframes=demo_timeframes(),
                )
        added: list[Station] = []
        number = len(self.stations)
        while len(self.stations) < chargers:
            number += 1
            identity = f"charger_{number}"
            if identity in self.stations:
                continue
            group_id = group_ids[len(added) % len(group_ids)]
            station = self.add_station(identity, group_id, positions=positions, max_power=max_power)
            for position in range(1, positions + 1):
                if self.random.random() < busy:
                    self.start_session(identity, position)
            added.append(station)
        return added


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ValueError("a limit must be a positive integer (kW)")
