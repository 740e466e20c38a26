"""When a charger group's limit changes next, from its cron timeframes.

ViriCiti reports the limit in force now, not when it changes. Home owners want to know
("the evening limit starts at 16:00"), and the coordinator wants to look again right
after a change, so this module works it out: the external limit until its end, else the
lowest limit of the timeframes that are on, else the default. Cron is evaluated in the
group's own time zone, with day-of-week 0 = Sunday as cronsim reads it.

The work is bounded whatever a cloud sends (issue 14): at most ``MAX_TIMEFRAMES``
timeframes are read, and the search walks the timeframes' firings in time order, one
cron step each, stopping after ``MAX_FIRINGS`` of them; 200 timeframes firing every
minute cost the same few milliseconds as a sane week of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
import heapq
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

from ...clouds.models import ChargerGroup, GroupLimit, Timeframe

_LOGGER = logging.getLogger(__name__)

# How far ahead to look for a change (timeframes repeat at least weekly).
HORIZON = timedelta(days=8)
# The most timeframes a group's limit is worked out from; more are a broken answer.
MAX_TIMEFRAMES = 100
# The most firings (a start or an end) looked at when searching for the next change;
# past them the next change is "not soon" (unknown) and looked for again next poll.
MAX_FIRINGS = 2_000


def _zone(group: ChargerGroup) -> ZoneInfo:
    try:
        return ZoneInfo(group.timezone)
    except ZoneInfoNotFoundError, ValueError:
        return ZoneInfo("UTC")


def _timeframes(group: ChargerGroup) -> list[Timeframe]:
    """The active timeframes, at most ``MAX_TIMEFRAMES`` of them."""
    active = [tf for tf in group.timeframes if tf.active]
    if len(active) > MAX_TIMEFRAMES:
        _LOGGER.debug(
            "Group %s has %d timeframes; reading the first %d",
            group.id,
            len(active),
            MAX_TIMEFRAMES,
        )
    return active[:MAX_TIMEFRAMES]


def _last(expr: str, when: datetime) -> datetime | None:
    """The latest time ``expr`` fires at or before ``when``."""
    try:
        return next(CronSim(expr, when + timedelta(seconds=1), reverse=True))
    except CronSimError, StopIteration:
        return None


def _firings(expr: str, when: datetime) -> Iterator[datetime]:
    """The times ``expr`` fires after ``when``, lazily (nothing for a broken one)."""
    try:
        yield from CronSim(expr, when)
    except CronSimError:
        return


def _is_on(timeframe: Timeframe, local: datetime) -> bool:
    """A timeframe is on when it started more recently than it ended."""
    started = _last(timeframe.start, local)
    if started is None:
        return False
    ended = _last(timeframe.end, local)
    return ended is None or started > ended


def _rule(
    group: ChargerGroup, limit: GroupLimit, when: datetime, scheduled: list[float]
) -> float | None:
    """External while it holds, else the lowest scheduled limit on, else the default."""
    external = limit.external
    if external is not None and external.end is not None and when < external.end:
        return external.limit_kw
    return min(scheduled) if scheduled else group.default_limit_kw


def limit_at(group: ChargerGroup, limit: GroupLimit, when: datetime) -> float | None:
    """The group's limit at ``when`` by the external > scheduled > default rule."""
    local = when.astimezone(_zone(group))
    scheduled = [tf.limit_kw for tf in _timeframes(group) if _is_on(tf, local)]
    return _rule(group, limit, when, scheduled)


def next_change(
    group: ChargerGroup, limit: GroupLimit, now: datetime
) -> tuple[datetime, float | None] | None:
    """When the limit next differs from now's, and what it becomes; None if not soon.

    Each timeframe's state is worked out once for now; then the firings of every start
    and end are walked in time order (a heap of one cron iterator each), switching the
    timeframe that fired, until the limit differs, the horizon or ``MAX_FIRINGS``.
    """
    local = now.astimezone(_zone(group))
    timeframes = _timeframes(group)
    on = [_is_on(tf, local) for tf in timeframes]
    current = _rule(
        group, limit, now, [tf.limit_kw for tf, o in zip(timeframes, on, strict=True) if o]
    )
    # (when, timeframe index, 1 for a start / 0 for an end, the rest of its firings)
    heap: list[tuple[datetime, int, int, Iterator[datetime]]] = []
    for index, tf in enumerate(timeframes):
        for starts, expr in ((1, tf.start), (0, tf.end)):
            firings = _firings(expr, local)
            if (first := next(firings, None)) is not None:
                heap.append((first, index, starts, firings))
    heapq.heapify(heap)
    external = limit.external
    external_end = external.end if external is not None and external.end is not None else None
    if external_end is not None and external_end <= now:
        external_end = None
    budget = MAX_FIRINGS
    while budget > 0:
        at = heap[0][0] if heap else None
        if external_end is not None and (at is None or external_end < at):
            at = external_end.astimezone(local.tzinfo)
        if at is None or at - local > HORIZON:
            return None
        fired: dict[int, set[int]] = {}
        while heap and heap[0][0] == at and budget > 0:
            budget -= 1
            _when, index, starts, firings = heapq.heappop(heap)
            fired.setdefault(index, set()).add(starts)
            if (following := next(firings, None)) is not None:
                heapq.heappush(heap, (following, index, starts, firings))
        if heap and heap[0][0] == at:  # out of budget in the middle of one moment
            return None
        for index, kinds in fired.items():
            # Both at once: started == ended, which is off (as ``_is_on`` reads it).
            on[index] = kinds == {1}
        if external_end is not None and at >= external_end:
            external_end = None
        scheduled = [tf.limit_kw for tf, o in zip(timeframes, on, strict=True) if o]
        if (value := _rule(group, limit, at, scheduled)) != current:
            return at, value
    return None
