"""Which shared limit the planner uses, from what the entries report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.smart_charging.clouds.models import ChargerGroup, GroupLimit, LimitSource
from custom_components.smart_charging.model import GroupData, Snapshot
from custom_components.smart_charging.planner.model import LimitStep
from custom_components.smart_charging.planner_inputs import shared_limit

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


def group(
    key: str,
    limit: GroupLimit,
    next_change: tuple[datetime, float | None] | None = None,
) -> GroupData:
    """A charger group reporting ``limit``."""
    return GroupData(
        group=ChargerGroup(id=key, title=key, default_limit_kw=None, timezone="UTC"),
        limit=limit,
        next_change=next_change,
    )


def test_the_lowest_group_limit_and_its_next_change() -> None:
    """Two groups: the lower limit in force counts, with its scheduled change."""
    later = NOW + timedelta(hours=3)
    snapshot = Snapshot(
        groups={
            "big": group("big", GroupLimit(source=LimitSource.DEFAULT, default_kw=400.0)),
            "home": group(
                "home",
                GroupLimit(source=LimitSource.SCHEDULED, scheduled_kw=11.0),
                (later, 22.0),
            ),
        }
    )
    assert shared_limit([snapshot], 50.0, NOW) == (LimitStep(NOW, 11.0), LimitStep(later, 22.0))


def test_a_limit_not_known_falls_back_to_the_users_number() -> None:
    """A group whose layer in force is unknown, or a change to nothing, is not a limit."""
    snapshot = Snapshot(
        groups={
            "odd": group(
                "odd",
                GroupLimit(source=LimitSource.UNKNOWN, default_kw=10.0),
                (NOW, None),
            ),
        }
    )
    assert shared_limit([snapshot], 7.5, NOW) == (LimitStep(NOW, 7.5),)
    assert shared_limit([snapshot, Snapshot()], None, NOW) == ()


def test_a_change_already_due_starts_now() -> None:
    """A next change in the past (read before it happened) is taken as starting now."""
    snapshot = Snapshot(
        groups={
            "g": group(
                "g",
                GroupLimit(source=LimitSource.DEFAULT, default_kw=16.0),
                (NOW - timedelta(minutes=1), 8.0),
            )
        }
    )
    assert shared_limit([snapshot], None, NOW) == (LimitStep(NOW, 16.0), LimitStep(NOW, 8.0))
