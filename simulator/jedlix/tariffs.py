"""Jedlix tariff settings: validation of writes and which tariff applies when.

The real API refuses settings it cannot price every minute of the week with, so the
simulator does too: an integration that passes here will not be surprised by the cloud.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
import math
import re
from typing import Any
from zoneinfo import ZoneInfo

from .wire import Errors, fmt_time

TARIFF_TYPES = ("Standard", "Peak", "OffPeak", "SuperOffPeak", "Dynamic")
EXCLUSIVE_TYPES = ("Standard", "Dynamic")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Tariff:
    """One tariff: a type and its price per kWh."""

    type: str
    price: float
    currency: str


@dataclass(frozen=True)
class Interval:
    """When a tariff type applies: minutes from local midnight, on the listed days.

    An interval whose end is not after its start runs past midnight into the next day
    (``23:00``-``07:00``), and equal times mean a whole day.
    """

    start: int
    end: int
    days: tuple[int, ...]
    tariff_type: str

    @property
    def length(self) -> int:
        """Minutes the interval lasts on each of its days."""
        return (
            self.end - self.start
            if self.end > self.start
            else self.end + MINUTES_PER_DAY - self.start
        )


@dataclass(frozen=True)
class TariffSettings:
    """The tariffs of a charging location and the weekly plan of when each applies."""

    tariffs: tuple[Tariff, ...]
    intervals: tuple[Interval, ...]
    updated_at: datetime
    off_peak_charging_only: bool = False
    holiday_intervals: tuple[Interval, ...] | None = None

    @cached_property
    def week_table(self) -> list[str]:
        """The tariff type for every minute of the week (Monday 00:00 first), built once."""
        table = [""] * MINUTES_PER_WEEK
        for interval in self.intervals:
            for minute in _minutes(interval):
                table[minute] = interval.tariff_type
        return table

    def tariff_at(self, when: datetime, time_zone: str) -> Tariff | None:
        """The tariff in force at ``when`` (intervals are local times of the location)."""
        local = when.astimezone(ZoneInfo(time_zone))
        minute = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
        return self.by_type(self.week_table[minute])

    def by_type(self, tariff_type: str) -> Tariff | None:
        """The tariff of a type, if the settings have it."""
        return next((t for t in self.tariffs if t.type == tariff_type), None)

    def as_json(self, rename: dict[str, str]) -> dict[str, Any]:
        """The wire form; ``rename`` maps types to what the response should say instead.

        The fields of "Create tariff settings v2" (``reference/createtariffs``).
        """
        body: dict[str, Any] = {
            "offPeakChargingOnly": self.off_peak_charging_only,
            "tariffs": [
                {"type": rename.get(t.type, t.type), "price": t.price, "currency": t.currency}
                for t in self.tariffs
            ],
            "tariffIntervals": _intervals_json(self.intervals, rename),
            "updatedAt": fmt_time(self.updated_at),
        }
        if self.holiday_intervals is not None:
            body["holidayTariffIntervals"] = _intervals_json(self.holiday_intervals, rename)
        return body


def _intervals_json(
    intervals: tuple[Interval, ...], rename: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            "startTime": _hhmm(i.start),
            "endTime": _hhmm(i.end % MINUTES_PER_DAY),
            "daysOfWeek": [DAYS[d] for d in i.days],
            "tariffType": rename.get(i.tariff_type, i.tariff_type),
        }
        for i in intervals
    ]


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(interval: Interval) -> list[int]:
    """Minutes of the week the interval covers, wrapping from Sunday into Monday."""
    return [
        (day * MINUTES_PER_DAY + interval.start + k) % MINUTES_PER_WEEK
        for day in interval.days
        for k in range(interval.length)
    ]


def _canonical(value: Any, names: tuple[str, ...]) -> Any:
    """``value`` as one of ``names`` whatever its case (``offPeak`` and ``OffPeak`` alike).

    The energy-tariffs guide writes ``"peak"``/``"offPeak"``, the SDK ``"monday"``; v2
    answers PascalCase (seed 002). Anything else is returned unchanged (and refused).
    """
    if isinstance(value, str):
        for name in names:
            if name.lower() == value.lower():
                return name
    return value


def _number(value: Any) -> float | None:
    """A JSON number (not a boolean, not a string, finite) as a float, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _parse_tariffs(raw: Any, errors: Errors) -> list[Tariff]:
    if not isinstance(raw, list) or not raw:
        errors["tariffs"] = ["At least one tariff is required."]
        return []
    tariffs: list[Tariff] = []
    for i, item in enumerate(raw):
        where = f"tariffs[{i}]"
        if not isinstance(item, dict):
            errors[where] = ["A tariff must be an object."]
            continue
        kind = _canonical(item.get("type"), TARIFF_TYPES)
        price, currency = _number(item.get("price")), item.get("currency")
        ok = True
        if kind not in TARIFF_TYPES:
            errors[f"{where}.type"] = [f"The type must be one of {', '.join(TARIFF_TYPES)}."]
            ok = False
        if price is None:
            errors[f"{where}.price"] = ["The price must be a number."]
            ok = False
        elif price < 0:
            errors[f"{where}.price"] = ["The price must not be negative."]
            ok = False
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            errors[f"{where}.currency"] = ["The currency must be an ISO 4217 code such as EUR."]
            ok = False
        if ok and price is not None:
            tariffs.append(Tariff(str(kind), price, str(currency)))
    return tariffs


def _check_combination(tariffs: list[Tariff], errors: Errors) -> None:
    """Standard and Dynamic stand alone; Peak, OffPeak and SuperOffPeak appear once each."""
    kinds = [t.type for t in tariffs]
    problems: list[str] = []
    for kind in TARIFF_TYPES:
        if kinds.count(kind) > 1:
            problems.append(f"The tariff type {kind} may only be given once.")
    for kind in EXCLUSIVE_TYPES:
        if kind in kinds and len(set(kinds)) > 1:
            problems.append(f"The tariff type {kind} cannot be combined with other types.")
    if problems:
        errors.setdefault("tariffs", []).extend(problems)


def _parse_time(raw: Any, allow_midnight_end: bool) -> int | None:
    if not isinstance(raw, str):
        return None
    if allow_midnight_end and raw == "24:00":
        return MINUTES_PER_DAY
    match = _TIME.match(raw)
    return int(match[1]) * 60 + int(match[2]) if match else None


def _parse_days(raw: Any) -> tuple[int, ...] | None:
    if not isinstance(raw, list) or not raw:
        return None
    raw = [_canonical(day, DAYS) for day in raw]
    if any(day not in DAYS for day in raw):
        return None
    if len(set(raw)) != len(raw):
        return None
    return tuple(DAYS.index(day) for day in raw)


def _parse_interval(item: Any, where: str, types: set[str], errors: Errors) -> Interval | None:
    if not isinstance(item, dict):
        errors[where] = ["An interval must be an object."]
        return None
    start = _parse_time(item.get("startTime"), allow_midnight_end=False)
    end = _parse_time(item.get("endTime"), allow_midnight_end=True)
    days = _parse_days(item.get("daysOfWeek"))
    kind = _canonical(item.get("tariffType"), TARIFF_TYPES)
    if start is None:
        errors[f"{where}.startTime"] = ["The startTime must be a time as HH:mm."]
    if end is None:
        errors[f"{where}.endTime"] = ["The endTime must be a time as HH:mm."]
    if days is None:
        errors[f"{where}.daysOfWeek"] = [f"Give one or more distinct days of {', '.join(DAYS)}."]
    if kind not in types:
        errors[f"{where}.tariffType"] = ["The tariffType must be the type of one of the tariffs."]
    if start is None or end is None or days is None or kind not in types:
        return None
    return Interval(start, end, days, str(kind))


def _describe(minute: int) -> str:
    day, rest = divmod(minute, MINUTES_PER_DAY)
    return f"{DAYS[day]} {_hhmm(rest)}"


def _check_coverage(intervals: list[Interval], errors: Errors, field: str) -> None:
    """Every minute of the week must be covered by exactly one interval."""
    count = [0] * MINUTES_PER_WEEK
    for interval in intervals:
        for minute in _minutes(interval):
            count[minute] += 1
    gap = next((m for m, c in enumerate(count) if c == 0), None)
    overlap = next((m for m, c in enumerate(count) if c > 1), None)
    problems = []
    if gap is not None:
        problems.append(f"The intervals must cover the whole week; {_describe(gap)} is not.")
    if overlap is not None:
        problems.append(f"The intervals overlap at {_describe(overlap)}.")
    if problems:
        errors.setdefault(field, []).extend(problems)


def _parse_plan(raw: Any, field: str, types: set[str], errors: Errors) -> list[Interval]:
    if not isinstance(raw, list) or not raw:
        errors[field] = ["At least one interval is required."]
        return []
    intervals: list[Interval] = []
    for i, item in enumerate(raw):
        interval = _parse_interval(item, f"{field}[{i}]", types, errors)
        if interval is not None:
            intervals.append(interval)
    if len(intervals) == len(raw):
        _check_coverage(intervals, errors, field)
    return intervals


def parse_settings(body: Any, now: datetime) -> tuple[TariffSettings | None, Errors]:
    """Validate a tariff write; the settings when valid, else the field errors.

    The body of "Create tariff settings v2" (``reference/createtariffs``): a required
    boolean ``offPeakChargingOnly`` ("only possible when selecting Double or Triple
    rate"), required ``tariffs`` and ``tariffIntervals``, optional (nullable)
    ``holidayTariffIntervals``. The old ``intervals`` field is no part of it.
    """
    errors: Errors = {}
    if not isinstance(body, dict):
        return None, {"body": ["The body must be an object with tariffs and tariffIntervals."]}
    if "intervals" in body:
        errors["intervals"] = ["Unknown field; the weekly plan is tariffIntervals."]
    tariffs = _parse_tariffs(body.get("tariffs"), errors)
    _check_combination(tariffs, errors)
    off_peak_only = body.get("offPeakChargingOnly")
    if not isinstance(off_peak_only, bool):
        errors["offPeakChargingOnly"] = ["The offPeakChargingOnly field is required (true/false)."]
    elif off_peak_only and any(t.type in EXCLUSIVE_TYPES for t in tariffs):
        errors["offPeakChargingOnly"] = ["Only possible with a Double or Triple rate."]
    types = {t.type for t in tariffs}
    intervals = _parse_plan(body.get("tariffIntervals"), "tariffIntervals", types, errors)
    raw_holidays = body.get("holidayTariffIntervals")
    holidays = (
        None
        if raw_holidays is None
        else tuple(_parse_plan(raw_holidays, "holidayTariffIntervals", types, errors))
    )
    if errors:
        return None, errors
    settings = TariffSettings(
        tuple(tariffs), tuple(intervals), now, off_peak_only is True, holidays
    )
    return settings, errors


def whole_week(tariff_type: str) -> Interval:
    """One interval giving ``tariff_type`` the whole week (Standard or Dynamic settings)."""
    return Interval(0, 0, tuple(range(7)), tariff_type)
