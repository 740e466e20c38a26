"""Readers of the price and solar shapes Home Assistant offers, into plan inputs.

Each reader is tolerant, like ``clouds/parse.py``: an entry it cannot read (no time, a
time without a zone, a price that is not a finite plausible number) is left out, never an
exception, so a broken source makes the planner see fewer known prices, not crash.

Shapes (docs/references.md names the sources):
- a price sensor's ``raw_today``/``raw_tomorrow`` lists of ``{start, end, value}``,
  ``prices_today``/``prices_tomorrow`` lists of ``{time, price}``, and lists of
  ``{hour, price}``; times as datetimes or ISO strings; prices per kWh;
- the response of the Nord Pool integration's ``nordpool.get_prices_for_date`` action,
  ``{area: [{start, end, price}]}`` with prices per MWh;
- the energy platform's solar forecast ``wh_hours``: ``{hour start: Wh}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
import math
from typing import Any

from .model import PriceSlot, SolarSlot

# Prices beyond this (per kWh, either sign) are not read: a unit mix-up, not a price.
MAX_PRICE = 1_000.0
# Solar beyond this per hour (kWh) is not read.
MAX_SOLAR_KWH = 1_000.0
PRICE_LISTS = ("raw_today", "raw_tomorrow", "prices_today", "prices_tomorrow")
_HOUR = timedelta(hours=1)


def as_time(value: Any) -> datetime | None:
    """An aware datetime in UTC from a datetime or an ISO string; None otherwise."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        return None
    return value.astimezone(UTC)


def as_number(value: Any, most: float) -> float | None:
    """A finite number within ``most`` either side; None otherwise (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and abs(number) <= most else None


def price_slots(
    items: Iterable[tuple[datetime, datetime | None, float]],
) -> tuple[PriceSlot, ...]:
    """Slots sorted by start; a missing end is the next start, else the usual length."""
    known = sorted(items, key=lambda item: item[0])
    slots: list[PriceSlot] = []
    for index, (start, end, price) in enumerate(known):
        if end is None:
            following = known[index + 1][0] if index + 1 < len(known) else None
            if following is not None and following > start:
                end = following
            elif slots:
                end = start + (slots[-1].end - slots[-1].start)
            else:
                end = start + _HOUR
        if end > start and not (slots and start < slots[-1].end):
            slots.append(PriceSlot(start, end, price))
    return tuple(slots)


def _entry(item: Any) -> tuple[datetime, datetime | None, float] | None:
    if not isinstance(item, Mapping):
        return None
    start = as_time(item.get("start", item.get("time", item.get("hour"))))
    price = as_number(item.get("value", item.get("price")), MAX_PRICE)
    if start is None or price is None:
        return None
    end = as_time(item["end"]) if "end" in item else None
    return start, end, price


def read_price_attributes(attributes: Mapping[str, Any]) -> tuple[PriceSlot, ...]:
    """Today's and tomorrow's prices from a price sensor's attributes."""
    entries: list[tuple[datetime, datetime | None, float]] = []
    for name in PRICE_LISTS:
        items = attributes.get(name)
        if isinstance(items, list):
            entries.extend(entry for item in items if (entry := _entry(item)))
    return price_slots(entries)


def read_nordpool_response(response: Any, area: str | None = None) -> tuple[PriceSlot, ...]:
    """Prices from ``nordpool.get_prices_for_date``'s response (per MWh, made per kWh)."""
    if not isinstance(response, Mapping):
        return ()
    areas = [area] if area else list(response)[:1]
    entries = []
    for name in areas:
        items = response.get(name)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, Mapping):
                continue
            start, end = as_time(item.get("start")), as_time(item.get("end"))
            price = as_number(item.get("price"), MAX_PRICE * 1000)
            if start is not None and price is not None:
                entries.append((start, end, price / 1000))
    return price_slots(entries)


def read_wh_hours(wh_hours: Any) -> tuple[SolarSlot, ...]:
    """The solar forecast ``{hour start: Wh}`` as hourly slots in kWh."""
    if not isinstance(wh_hours, Mapping):
        return ()
    slots = []
    for key, value in wh_hours.items():
        start, energy = as_time(key), as_number(value, MAX_SOLAR_KWH * 1000)
        if start is not None and energy is not None and energy >= 0:
            slots.append(SolarSlot(start, start + _HOUR, energy / 1000))
    return tuple(sorted(slots, key=lambda slot: slot.start))
