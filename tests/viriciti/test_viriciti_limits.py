"""The next change of a group's limit, worked out from its cron timeframes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.smart_charging.clouds.models import (
    ChargerGroup,
    GroupLimit,
    LimitSource,
    LimitWindow,
    Timeframe,
)
from custom_components.smart_charging.providers.viriciti.limits import limit_at, next_change

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DEFAULT = GroupLimit(source=LimitSource.DEFAULT, default_kw=400)


def _group(*timeframes: Timeframe, timezone: str = "Europe/Amsterdam") -> ChargerGroup:
    return ChargerGroup(
        id="g", title="G", default_limit_kw=400, timezone=timezone, timeframes=timeframes
    )


def test_overlapping_timeframes_take_the_lowest() -> None:
    """Where two windows overlap, the lower limit holds."""
    group = _group(
        Timeframe(name="a", start="0 12 * * *", end="0 18 * * *", limit_kw=300),
        Timeframe(name="b", start="0 14 * * *", end="0 16 * * *", limit_kw=150),
    )
    assert limit_at(group, DEFAULT, MONDAY_NOON) == 300  # 13:00 local
    # 14:00 in Amsterdam is 13:00 UTC.
    assert next_change(group, DEFAULT, MONDAY_NOON) == (
        datetime(2026, 11, 23, 13, 0, tzinfo=UTC),
        150,
    )


def test_inactive_and_broken_timeframes_are_ignored() -> None:
    """A timeframe switched off in the portal, or with cron we cannot read, changes nothing."""
    group = _group(
        Timeframe(name="off", start="0 14 * * *", end="0 16 * * *", limit_kw=100, active=False),
        Timeframe(name="broken", start="not cron", end="0 16 * * *", limit_kw=50),
    )
    assert limit_at(group, DEFAULT, MONDAY_NOON) == 400
    assert next_change(group, DEFAULT, MONDAY_NOON) is None


def test_external_limit_until_its_end() -> None:
    """An external limit holds until its end; the next change is that end."""
    end = MONDAY_NOON + timedelta(minutes=30)
    limit = GroupLimit(
        source=LimitSource.EXTERNAL,
        default_kw=400,
        external=LimitWindow(limit_kw=120, start=MONDAY_NOON, end=end),
    )
    group = _group()
    assert limit_at(group, limit, MONDAY_NOON) == 120
    assert limit.active_kw == 120
    assert next_change(group, limit, MONDAY_NOON) == (end, 400)


def test_unknown_time_zone_falls_back_to_utc() -> None:
    """A zone name the system does not know is read as UTC rather than failing."""
    group = _group(
        Timeframe(name="evening", start="0 16 * * *", end="0 20 * * *", limit_kw=200),
        timezone="Mars/Olympus_Mons",
    )
    assert next_change(group, DEFAULT, MONDAY_NOON) == (
        datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
        200,
    )


def test_active_limit_of_each_layer() -> None:
    """The limit in force comes from the layer the cloud names, and is unknown otherwise."""
    window = LimitWindow(limit_kw=90)
    assert GroupLimit(source=LimitSource.UPCOMING, upcoming=window).active_kw == 90
    assert GroupLimit(source=LimitSource.SCHEDULED, scheduled_kw=250).active_kw == 250
    assert GroupLimit(source=LimitSource.EXTERNAL).active_kw is None
    assert GroupLimit(source=LimitSource.UNKNOWN, default_kw=400).active_kw is None
