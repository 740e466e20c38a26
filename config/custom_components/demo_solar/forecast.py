"""The demo roof's forecast: the sun's height over the home, hour by hour, and a seeded sky.

Each hour's energy is the roof's peak power x its performance x the sine of the sun's
elevation (the share of full sunshine a surface facing the sun gets through the air mass,
roughly), averaged over four moments of the hour, x the day's clearness: a number from
0.45 (overcast) to 1.0 (clear) drawn from the date, so a day always has the same forecast.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
import math
import random
from zoneinfo import ZoneInfo

from astral import Observer
from astral.sun import elevation

from .const import PEAK_KW, PERFORMANCE


def clearness(day: date) -> float:
    """How clear the day's sky is (0.45 to 1.0), the same for the same date."""
    return random.Random(day.toordinal()).uniform(0.45, 1.0)


def hour_wh(observer: Observer, start: datetime, sky: float) -> float:
    """The energy of the hour from ``start``, in Wh."""
    heights = [
        elevation(observer, start + timedelta(minutes=7.5 + 15 * quarter)) for quarter in range(4)
    ]
    share = sum(max(math.sin(math.radians(height)), 0.0) for height in heights) / 4
    return round(PEAK_KW * 1000 * PERFORMANCE * share * sky, 1)


def wh_hours(
    latitude: float, longitude: float, zone: ZoneInfo, first: date, days: int = 2
) -> dict[str, float]:
    """``{hour start (ISO, with zone): Wh}`` from ``first``'s midnight for ``days`` days.

    The shape Forecast.Solar gives Home Assistant's energy platform (``wh_hours``); the
    night's hours are left out, as they are 0.
    """
    observer = Observer(latitude=latitude, longitude=longitude)
    hours: dict[str, float] = {}
    for offset in range(days):
        day = first + timedelta(days=offset)
        sky = clearness(day)
        midnight = datetime.combine(day, time(), tzinfo=zone)
        for hour in range(24):
            start = midnight + timedelta(hours=hour)
            energy = hour_wh(observer, start, sky)
            if energy > 0:
                hours[start.isoformat()] = energy
    return hours
