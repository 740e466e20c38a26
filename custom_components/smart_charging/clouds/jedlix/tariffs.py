"""The rules a tariff write must follow, checked before anything is sent, and its body.

Jedlix accepts one Standard or one Dynamic tariff, or Peak/Off-peak (and Super off-peak)
together, and a weekly plan that covers every minute of the week exactly once. A write
that breaks a rule is a :class:`TariffError` with a stable reason the integration
translates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
import math
import re
from typing import Any, Final

from ..errors import WriteRefusedError
from ..models import MINUTES_PER_DAY, MINUTES_PER_WEEK, WEEKDAYS
from .models import Tariff, TariffInterval, TariffType, hhmm_minutes
from .parse import pascal_case


class TariffReason(StrEnum):
    """Why a tariff write was refused before sending; the integration translates each key.

    Placeholders (always strings) are listed in :data:`TARIFF_REASON_PLACEHOLDERS`;
    ``position`` is the 1-based place of the tariff or interval in what was given.
    """

    NO_TARIFFS = "no_tariffs"
    UNKNOWN_TARIFF_TYPE = "unknown_tariff_type"
    INVALID_PRICE = "invalid_price"
    NEGATIVE_PRICE = "negative_price"
    INVALID_CURRENCY = "invalid_currency"
    DUPLICATE_TARIFF_TYPE = "duplicate_tariff_type"
    EXCLUSIVE_TARIFF_TYPE = "exclusive_tariff_type"
    NO_INTERVALS = "no_intervals"
    INVALID_TIME = "invalid_time"
    NO_DAYS = "no_days"
    DUPLICATE_DAY = "duplicate_day"
    INTERVAL_WITHOUT_TARIFF = "interval_without_tariff"
    WEEK_NOT_COVERED = "week_not_covered"
    INTERVALS_OVERLAP = "intervals_overlap"
    OFF_PEAK_ONLY_WITHOUT_PEAK = "off_peak_only_without_peak"


TARIFF_REASON_PLACEHOLDERS: Final[Mapping[TariffReason, tuple[str, ...]]] = {
    TariffReason.NO_TARIFFS: (),
    TariffReason.UNKNOWN_TARIFF_TYPE: ("position",),
    TariffReason.INVALID_PRICE: ("type", "price"),
    TariffReason.NEGATIVE_PRICE: ("type", "price"),
    TariffReason.INVALID_CURRENCY: ("type", "currency"),
    TariffReason.DUPLICATE_TARIFF_TYPE: ("type",),
    TariffReason.EXCLUSIVE_TARIFF_TYPE: ("type",),
    TariffReason.NO_INTERVALS: (),
    TariffReason.INVALID_TIME: ("position", "time"),
    TariffReason.NO_DAYS: ("position",),
    TariffReason.DUPLICATE_DAY: ("position", "day"),
    TariffReason.INTERVAL_WITHOUT_TARIFF: ("position", "type"),
    TariffReason.WEEK_NOT_COVERED: ("day", "time"),
    TariffReason.INTERVALS_OVERLAP: ("day", "time"),
    TariffReason.OFF_PEAK_ONLY_WITHOUT_PEAK: (),
}


# Standard and Dynamic price every minute alone; the peak types combine (seed, apis.md).
EXCLUSIVE_TARIFF_TYPES: Final = frozenset({TariffType.STANDARD, TariffType.DYNAMIC})


class TariffError(WriteRefusedError[TariffReason]):
    """A tariff write refused before anything was sent.

    ``field`` is ``tariffs``, ``intervals``, ``holiday_intervals`` or
    ``off_peak_charging_only``, ``reason`` a :class:`TariffReason`,
    ``placeholders`` fill the translated message.
    """


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_tariff(position: int, tariff: Tariff) -> None:
    kind = tariff.type.value
    if tariff.type is TariffType.UNKNOWN:
        raise TariffError("tariffs", TariffReason.UNKNOWN_TARIFF_TYPE, {"position": str(position)})
    price: object = tariff.price
    if not _is_number(price):
        raise TariffError(
            "tariffs", TariffReason.INVALID_PRICE, {"type": kind, "price": str(price)}
        )
    if tariff.price < 0:
        raise TariffError(
            "tariffs", TariffReason.NEGATIVE_PRICE, {"type": kind, "price": str(price)}
        )
    currency = tariff.currency
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise TariffError(
            "tariffs", TariffReason.INVALID_CURRENCY, {"type": kind, "currency": currency}
        )


def _check_combination(tariffs: Sequence[Tariff]) -> None:
    kinds = [tariff.type for tariff in tariffs]
    for kind in kinds:
        if kinds.count(kind) > 1:
            raise TariffError("tariffs", TariffReason.DUPLICATE_TARIFF_TYPE, {"type": kind.value})
    for kind in kinds:
        if kind in EXCLUSIVE_TARIFF_TYPES and len(kinds) > 1:
            raise TariffError("tariffs", TariffReason.EXCLUSIVE_TARIFF_TYPE, {"type": kind.value})


def _check_interval(
    position: int, interval: TariffInterval, types: set[TariffType], field: str
) -> None:
    where = {"position": str(position)}
    if hhmm_minutes(interval.start_time) is None:
        raise TariffError(field, TariffReason.INVALID_TIME, where | {"time": interval.start_time})
    if hhmm_minutes(interval.end_time, end=True) is None:
        raise TariffError(field, TariffReason.INVALID_TIME, where | {"time": interval.end_time})
    if not interval.days_of_week:
        raise TariffError(field, TariffReason.NO_DAYS, where)
    for day in interval.days_of_week:
        if interval.days_of_week.count(day) > 1:
            raise TariffError(field, TariffReason.DUPLICATE_DAY, where | {"day": day.value})
    if interval.tariff_type not in types:
        raise TariffError(
            field,
            TariffReason.INTERVAL_WITHOUT_TARIFF,
            where | {"type": interval.tariff_type.value},
        )


def _minute_text(minute: int) -> dict[str, str]:
    day, rest = divmod(minute, MINUTES_PER_DAY)
    return {"day": WEEKDAYS[day].value, "time": f"{rest // 60:02d}:{rest % 60:02d}"}


def _check_week(intervals: Sequence[TariffInterval], field: str) -> None:
    """Every minute of the week has exactly one interval: the first gap, else overlap."""
    change = [0] * (MINUTES_PER_WEEK + 1)
    for interval in intervals:
        for low, high in interval.week_ranges():
            change[low] += 1
            change[high] -= 1
    cover, gap, overlap = 0, None, None
    for minute in range(MINUTES_PER_WEEK):
        cover += change[minute]
        if cover == 0 and gap is None:
            gap = minute
        elif cover > 1 and overlap is None:
            overlap = minute
    if gap is not None:
        raise TariffError(field, TariffReason.WEEK_NOT_COVERED, _minute_text(gap))
    if overlap is not None:
        raise TariffError(field, TariffReason.INTERVALS_OVERLAP, _minute_text(overlap))


def _check_plan(intervals: Sequence[TariffInterval], types: set[TariffType], field: str) -> None:
    if not intervals:
        raise TariffError(field, TariffReason.NO_INTERVALS)
    for position, interval in enumerate(intervals, start=1):
        _check_interval(position, interval, types, field)
    _check_week(intervals, field)


def validate_tariffs(
    tariffs: Sequence[Tariff],
    intervals: Sequence[TariffInterval],
    *,
    off_peak_charging_only: bool = False,
    holiday_intervals: Sequence[TariffInterval] | None = None,
) -> None:
    """Refuse what the API refuses, before sending: raise the first :class:`TariffError`.

    The rules are the cloud's (``apis.md``; ``developer.jedlix.com/docs/energy-tariffs``):
    Standard or Dynamic alone, the peak types once each, prices not negative, intervals
    in ``HH:mm`` of known tariffs that cover every minute of the week exactly once (the
    holiday plan too, when given). ``offPeakChargingOnly`` "is only possible when
    selecting Double or Triple rate" (``reference/createtariffs``).
    """
    if not tariffs:
        raise TariffError("tariffs", TariffReason.NO_TARIFFS)
    for position, tariff in enumerate(tariffs, start=1):
        _check_tariff(position, tariff)
    _check_combination(tariffs)
    types = {tariff.type for tariff in tariffs}
    if off_peak_charging_only and types & EXCLUSIVE_TARIFF_TYPES:
        raise TariffError("off_peak_charging_only", TariffReason.OFF_PEAK_ONLY_WITHOUT_PEAK)
    _check_plan(intervals, types, "intervals")
    if holiday_intervals is not None:
        _check_plan(holiday_intervals, types, "holiday_intervals")


def _intervals_body(intervals: Sequence[TariffInterval]) -> list[dict[str, Any]]:
    return [
        {
            "startTime": i.start_time,
            "endTime": i.end_time,
            "daysOfWeek": [pascal_case(day.value) for day in i.days_of_week],
            "tariffType": pascal_case(i.tariff_type.value),
        }
        for i in intervals
    ]


def tariff_body(
    tariffs: Sequence[Tariff],
    intervals: Sequence[TariffInterval],
    *,
    off_peak_charging_only: bool = False,
    holiday_intervals: Sequence[TariffInterval] | None = None,
) -> dict[str, Any]:
    """The body of "Create tariff settings v2" (``reference/createtariffs``).

    ``offPeakChargingOnly``, ``tariffs`` and ``tariffIntervals`` are required there;
    ``holidayTariffIntervals`` is sent only when given ("If not set, TariffInterval is
    used").
    """
    body: dict[str, Any] = {
        "offPeakChargingOnly": off_peak_charging_only,
        "tariffs": [
            {"type": pascal_case(t.type.value), "price": t.price, "currency": t.currency}
            for t in tariffs
        ],
        "tariffIntervals": _intervals_body(intervals),
    }
    if holiday_intervals is not None:
        body["holidayTariffIntervals"] = _intervals_body(holiday_intervals)
    return body
