"""Sensors of charging locations: the price of energy now, and the solar yield today.

Prices and tariffs are read every few minutes but change on the hour (or the quarter, or
the minute a tariff window starts), so these sensors also write their state at the next
such moment, without asking the cloud. ``sensor.py`` adds them with the other sensors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.sensor import (
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    UnitOfEnergy,
)
from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .clouds.models import (
    PriceDataType,
    PricePoint,
)
from .entity import (
    LocationEntity,
)
from .meter import MeterSensor
from .model import LocationData
from .sensor_kinds import energy_kwh, enum_kind

# The most price points in each of the current-price sensor's ``today`` and ``tomorrow``
# attributes: a quarter-hour market has 100 in a 25-hour day.
MAX_DAY_PRICES = 100


def price_now(data: LocationData) -> PricePoint | None:
    """The price point that covers now."""
    now = dt_util.utcnow()
    for point in data.prices:
        if point.start <= now and (point.end is None or now < point.end):
            return point
    return None


def next_price_edge(data: LocationData, now: datetime) -> datetime | None:
    """When the next price hour (or quarter) starts or the last one ends."""
    edges = [t for p in data.prices for t in (p.start, p.end) if t is not None and t > now]
    return min(edges, default=None)


def _next_midnight(_data: LocationData, now: datetime) -> datetime:
    return dt_util.start_of_local_day(dt_util.as_local(now) + timedelta(days=1))


def _solar_today(data: LocationData) -> float | None:
    if not data.solar:
        return None
    midnight = dt_util.start_of_local_day()
    return round(sum(p.energy_kwh or 0.0 for p in data.solar if p.start >= midnight), 3)


@dataclass(frozen=True, kw_only=True)
class LocationSensorDescription(SensorEntityDescription):
    """A charging-location sensor.

    ``next_change_fn`` says when the value can next change with no new data (a price
    hour starting, a tariff window, midnight), so the sensor looks again then.
    """

    value_fn: Callable[[LocationData], StateType | datetime]
    next_change_fn: Callable[[LocationData, datetime], datetime | None] | None = None
    # For a meter: what its value counts within (see meter.py); None: never starts again.
    period_fn: Callable[[LocationData], object] | None = None


@dataclass(frozen=True, kw_only=True)
class PriceSensorDescription(LocationSensorDescription):
    """The price now, in the location's currency, with the day's prices as attributes."""


LOCATION_SENSORS: tuple[LocationSensorDescription, ...] = (
    LocationSensorDescription(
        **enum_kind("price_data", PriceDataType),
        value_fn=lambda data: point.data_type.value if (point := price_now(data)) else None,
        next_change_fn=next_price_edge,
    ),
    LocationSensorDescription(
        **energy_kwh("solar_energy_today"),
        value_fn=_solar_today,
        next_change_fn=_next_midnight,
        period_fn=lambda _data: dt_util.now().date(),  # starts again each local day
    ),
)


CURRENT_PRICE = PriceSensorDescription(
    key="current_price",
    translation_key="current_price",
    state_class=SensorStateClass.MEASUREMENT,
    suggested_display_precision=3,
    value_fn=lambda data: point.price if (point := price_now(data)) else None,
    next_change_fn=next_price_edge,
)


class LocationSensor(LocationEntity, MeterSensor):
    """A sensor of a charging location.

    Prices and tariffs are read every few minutes but change on the hour (or the minute
    a tariff window starts), so a sensor whose value moves with the clock also writes
    its state at the next such moment, without asking the cloud.
    """

    entity_description: LocationSensorDescription
    _clock: CALLBACK_TYPE | None = None

    @property
    def native_value(self) -> StateType | datetime:
        """The value from the latest snapshot (a meter never goes down within a day)."""
        description, data = self.entity_description, self.location_data
        period = description.period_fn(data) if description.period_fn else None
        return self.metered(description.value_fn(data), period)

    async def async_added_to_hass(self) -> None:
        """Start following the clock."""
        await super().async_added_to_hass()
        self._follow_clock()

    async def async_will_remove_from_hass(self) -> None:
        """Stop following the clock."""
        self._stop_clock()
        await super().async_will_remove_from_hass()

    @callback
    def _handle_coordinator_update(self) -> None:
        self._follow_clock()
        super()._handle_coordinator_update()

    @callback
    def _follow_clock(self) -> None:
        """Look again when the value can next change (new data may move that moment)."""
        self._stop_clock()
        next_change = self.entity_description.next_change_fn
        if next_change is None or not self.available:
            return
        if (when := next_change(self.location_data, dt_util.utcnow())) is not None:
            self._clock = async_track_point_in_utc_time(self.hass, self._clock_struck, when)

    @callback
    def _clock_struck(self, _now: datetime) -> None:
        self._clock = None
        self._follow_clock()
        self.async_write_ha_state()

    def _stop_clock(self) -> None:
        if self._clock is not None:
            self._clock()
            self._clock = None


class CurrentPriceSensor(LocationSensor):
    """The price of energy now, with today's and tomorrow's prices for automations."""

    _currency: str | None = None

    @property
    def native_unit_of_measurement(self) -> str | None:
        """The currency per kWh of the location's prices, or of the last ones read.

        Home Assistant reads it while the entity is unavailable too, when the location
        may have left the account's data; the unit stays as it was.
        """
        if self.available:
            prices = self.location_data.prices
            self._currency = next((p.currency for p in prices if p.currency), self._currency)
        return f"{self._currency}/{UnitOfEnergy.KILO_WATT_HOUR}" if self._currency else None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Today's and tomorrow's prices (local days), and whether now's is a forecast."""
        # Local days can be 23 or 25 hours long; a day and an hour always reach the next.
        today = dt_util.start_of_local_day()
        tomorrow = dt_util.start_of_local_day(today + timedelta(hours=25))
        after = dt_util.start_of_local_day(tomorrow + timedelta(hours=25))
        point = price_now(self.location_data)

        def _day(start: datetime, end: datetime) -> list[dict[str, Any]]:
            points = sorted(
                (p for p in self.location_data.prices if start <= p.start < end),
                key=lambda p: p.start,
            )
            # A cloud sending thousands of points (or duplicates) never makes the
            # state a megabyte: the earliest MAX_DAY_PRICES of the day are listed.
            return [
                {"start": p.start.isoformat(), "price": p.price, "forecast": p.is_forecast}
                for p in points[:MAX_DAY_PRICES]
            ]

        return {
            "today": _day(today, tomorrow),
            "tomorrow": _day(tomorrow, after),
            "forecast": point.is_forecast if point else None,
        }
