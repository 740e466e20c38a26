"""When a charger group's limit changes next, from its cron timeframes.

ViriCiti reports the limit in force now, not when it changes. Home owners want to know
("the evening limit starts at 16:00"), and the coordinator wants to look again right
after a change, so this module works it out: the external limit until its end, else the
lowest limit of the timeframes that are on, else the default. Cron is evaluated in the
group's own time zone, with day-of-week 0 = Sunday as cronsim reads it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

from ...clouds.models import ChargerGroup, GroupLimit, Timeframe

# How far ahead to look for a change (timeframes repeat at least weekly).
HORIZON = timedelta(days=8)


def _zone(group: ChargerGroup) -> ZoneInfo:
    try:
        return ZoneInfo(group.timezone)
    except ZoneInfoNotFoundError, ValueError:
        return ZoneInfo("UTC")


def _last(expr: str, when: datetime) -> datetime | None:
    """The latest time ``expr`` fires at or before ``when``."""
    try:
        return next(CronSim(expr, when + timedelta(seconds=1), reverse=True))
    except CronSimError, StopIteration:
        return None


def _upcoming(expr: str, when: datetime) -> list[datetime]:
    """Every time ``expr`` fires after ``when``, within the horizon."""
    times: list[datetime] = []
    try:
        for at in CronSim(expr, when):
            if at - when > HORIZON:
                break
            times.append(at)
    except CronSimError:
        return []
    return times


def _is_on(timeframe: Timeframe, local: datetime) -> bool:
    """A timeframe is on when it started more recently than it ended."""
    started = _last(timeframe.start, local)
    if started is None:
        return False
    ended = _last(timeframe.end, local)
    return ended is None or started > ended


def limit_at(group: ChargerGroup, limit: GroupLimit, when: datetime) -> float | None:
    """The group's limit at ``when`` by the external > scheduled > default rule."""
    external = limit.external
    if external is not None and external.end is not None and when < external.end:
        return external.limit_kw
    local = when.astimezone(_zone(group))
    scheduled = [tf.limit_kw for tf in group.timeframes if tf.active and _is_on(tf, local)]
    return min(scheduled) if scheduled else group.default_limit_kw


def next_change(
    group: ChargerGroup, limit: GroupLimit, now: datetime
) -> tuple[datetime, float | None] | None:
    """When the limit next differs from now's, and what it becomes; None if not soon."""
    local = now.astimezone(_zone(group))
    candidates = set()
    for timeframe in group.timeframes:
        if not timeframe.active:
            continue
        for expr in (timeframe.start, timeframe.end):
            candidates.update(_upcoming(expr, local))
    if limit.external is not None and limit.external.end is not None and limit.external.end > now:
        candidates.add(limit.external.end)
    current = limit_at(group, limit, now)
    for at in sorted(candidates):
        if (value := limit_at(group, limit, at)) != current:
            return at, value
    return None
