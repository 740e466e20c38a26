"""Deterministic curves for the Jedlix world: a day-ahead price and a daylight solar yield.

Both are pure functions of time and place, so every test and benchmark sees the same
prices and the same sunshine without storing anything.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import math
from zoneinfo import ZoneInfo

HOUR = timedelta(hours=1)
_STEPS_PER_HOUR = 12

# Extra EUR/kWh per local hour of the day: cheap at night and around noon (sun), dear in
# the morning and evening peaks, the shape of a Dutch winter day-ahead market.
_HOUR_SHAPE = (
    -0.050, -0.060, -0.065, -0.065, -0.060, -0.045,
    -0.010, 0.050, 0.080, 0.050, 0.010, -0.020,
    -0.040, -0.045, -0.030, 0.000, 0.040, 0.100,
    0.120, 0.090, 0.050, 0.010, -0.020, -0.040,
)  # fmt: skip
_BASE_PRICE = 0.24


def floor_hour(when: datetime) -> datetime:
    """The start of the UTC hour containing ``when``."""
    return when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _wobble(seed: int) -> float:
    """A repeatable pseudo-random number in [0, 1) for ``seed`` (no global random state)."""
    return ((seed * 2654435761) % 4294967296) / 4294967296


def day_ahead_price(slot_start: datetime, time_zone: str) -> float:
    """The all-in EUR/kWh of the hour starting at ``slot_start`` in the location's zone.

    The day's level drifts from day to day and each hour gets a small wobble, so curves
    differ between days but never between runs.
    """
    local = slot_start.astimezone(ZoneInfo(time_zone))
    day = local.date().toordinal()
    level = 0.03 * math.sin(day * 1.3)
    noise = 0.02 * _wobble(day * 24 + local.hour) - 0.01
    return round(max(0.01, _BASE_PRICE + level + _HOUR_SHAPE[local.hour] + noise), 5)


def _daylight(day: datetime, latitude: float, longitude: float) -> tuple[float, float, float]:
    """Sunrise and sunset (hours UTC) and the noon sun's height factor for that day."""
    n = day.timetuple().tm_yday
    declination = math.radians(23.44) * math.sin(2 * math.pi * (284 + n) / 365)
    phi = math.radians(latitude)
    cos_omega = max(-1.0, min(1.0, -math.tan(phi) * math.tan(declination)))
    half_day = math.degrees(math.acos(cos_omega)) / 15
    noon = 12 - longitude / 15
    height = max(0.0, math.cos(phi - declination))
    return noon - half_day, noon + half_day, height


def solar_power_kw(when: datetime, latitude: float, longitude: float, kwp: float) -> float:
    """PV output at ``when``: a sine between sunrise and sunset, scaled by sun and weather."""
    utc = when.astimezone(UTC)
    sunrise, sunset, height = _daylight(utc, latitude, longitude)
    hours = utc.hour + utc.minute / 60 + utc.second / 3600
    if not sunrise < hours < sunset:
        return 0.0
    weather = 0.35 + 0.65 * _wobble(utc.date().toordinal() * 7 + 3)
    return (
        kwp * 0.85 * height * weather * math.sin(math.pi * (hours - sunrise) / (sunset - sunrise))
    )


def solar_energy_kwh(
    start: datetime, end: datetime, latitude: float, longitude: float, kwp: float
) -> float:
    """Energy produced in ``[start, end)``, integrated with five-minute midpoints."""
    seconds = (end - start).total_seconds()
    if seconds <= 0 or kwp <= 0:
        return 0.0
    steps = max(1, math.ceil(seconds / 3600 * _STEPS_PER_HOUR))
    width = seconds / steps
    total = 0.0
    for i in range(steps):
        mid = start + timedelta(seconds=width * (i + 0.5))
        total += solar_power_kw(mid, latitude, longitude, kwp) * width / 3600
    return total
