"""Reading the price and solar shapes Home Assistant's sources give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.smart_charging.planner.prices import (
    read_nordpool_response,
    read_price_attributes,
    read_wh_hours,
)

MIDNIGHT = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def test_raw_today_and_tomorrow_with_start_end_value() -> None:
    """The Nord Pool custom sensor's lists, as datetimes."""
    attributes = {
        "raw_today": [
            {"start": MIDNIGHT, "end": MIDNIGHT + timedelta(hours=1), "value": 0.12},
        ],
        "raw_tomorrow": [
            {
                "start": MIDNIGHT + timedelta(days=1),
                "end": MIDNIGHT + timedelta(days=1, hours=1),
                "value": -0.01,
            },
        ],
    }
    slots = read_price_attributes(attributes)
    assert [(s.start, s.price) for s in slots] == [
        (MIDNIGHT, 0.12),
        (MIDNIGHT + timedelta(days=1), -0.01),
    ]


def test_prices_today_time_price_quarter_hours_from_strings() -> None:
    """ENTSO-e style ``{time, price}`` ISO strings: each lasts until the next."""
    attributes = {
        "prices_today": [
            {"time": "2026-03-02 00:00:00+01:00", "price": 0.2},
            {"time": "2026-03-02 00:15:00+01:00", "price": 0.1},
        ],
        "prices_tomorrow": [],
    }
    slots = read_price_attributes(attributes)
    assert [(s.start, s.end, s.price) for s in slots] == [
        (MIDNIGHT - timedelta(hours=1), MIDNIGHT - timedelta(minutes=45), 0.2),
        (MIDNIGHT - timedelta(minutes=45), MIDNIGHT - timedelta(minutes=30), 0.1),
    ]


def test_hour_price_lists() -> None:
    """Energi Data Service style ``{hour, price}``."""
    attributes = {"raw_today": [{"hour": MIDNIGHT, "price": 1.5}]}
    slots = read_price_attributes(attributes)
    assert [(s.start, s.end, s.price) for s in slots] == [
        (MIDNIGHT, MIDNIGHT + timedelta(hours=1), 1.5)
    ]


def test_hostile_entries_are_left_out() -> None:
    """No time zone, no number, NaN, absurd, not a dict: left out, nothing raised."""
    attributes = {
        "raw_today": [
            {"start": "2026-03-02T00:00:00", "value": 0.1},
            {"start": MIDNIGHT, "value": "cheap"},
            {"start": MIDNIGHT, "value": float("nan")},
            {"start": MIDNIGHT, "value": 1e9},
            {"start": MIDNIGHT, "value": True},
            "garbage",
            {"start": MIDNIGHT + timedelta(hours=2), "value": "0.3"},
        ],
        "prices_tomorrow": "not a list",
    }
    slots = read_price_attributes(attributes)
    assert [(s.start, s.price) for s in slots] == [(MIDNIGHT + timedelta(hours=2), 0.3)]


def test_nordpool_action_response_per_mwh() -> None:
    """``nordpool.get_prices_for_date`` answers per MWh for each area."""
    response = {
        "SE3": [
            {
                "start": "2026-03-02T00:00:00+00:00",
                "end": "2026-03-02T00:15:00+00:00",
                "price": 591.04,
            },
            {"start": "2026-03-02T00:15:00+00:00", "end": "bad", "price": -12.0},
        ]
    }
    slots = read_nordpool_response(response, "SE3")
    assert [(s.start, s.end) for s in slots] == [
        (MIDNIGHT, MIDNIGHT + timedelta(minutes=15)),
        (MIDNIGHT + timedelta(minutes=15), MIDNIGHT + timedelta(minutes=30)),
    ]
    assert [s.price for s in slots] == pytest.approx([0.59104, -0.012])
    assert read_nordpool_response(response, "NO1") == ()
    assert read_nordpool_response("nonsense") == ()


def test_solar_wh_hours() -> None:
    """The energy platform's forecast: Wh per hour start, as kWh; bad values left out."""
    wh_hours = {
        "2026-03-02T10:00:00+00:00": 2500,
        "2026-03-02T11:00:00+00:00": -5,
        "not a time": 100,
    }
    slots = read_wh_hours(wh_hours)
    assert [(s.start, s.energy_kwh) for s in slots] == [(MIDNIGHT + timedelta(hours=10), 2.5)]
    assert read_wh_hours(None) == ()
