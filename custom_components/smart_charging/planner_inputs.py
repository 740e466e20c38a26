"""Where the planner's inputs come from in Home Assistant: limits and prices.

- The shared limit: the lowest limit in force of the charger groups the loaded entries
  report (whichever cloud), with its next change as a second step; else the number the
  user gave with a goal; else none.
- Beneath it, each circuit a goal's charger hangs on (an Easee circuit): the chargers of
  one circuit share its limit (``circuit_limits``).
- Prices: a charging location's prices (Jedlix), a price sensor's attributes, or the
  Nord Pool integration's
  ``nordpool.get_prices_for_date`` action for today and tomorrow (docs/references.md).
- Solar: the forecast a solar integration gives Home Assistant's energy platform
  (``async_get_solar_forecast`` of its ``energy`` platform: ``{"wh_hours": ...}``), the
  same call the energy dashboard makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.loader import IntegrationNotFound, async_get_integration
from homeassistant.util import dt as dt_util

from .clouds.models import PricePoint
from .const import LOGGER
from .model import DeviceKind, Snapshot
from .planner.model import LimitStep, PriceSlot, SolarSlot, SubLimit
from .planner.prices import (
    price_slots,
    read_nordpool_response,
    read_price_attributes,
    read_wh_hours,
)


@dataclass
class Goal:
    """What the user asked of one charger or car."""

    device_id: str
    name: str
    entry_id: str
    kind: DeviceKind
    key: str
    departure: datetime
    max_power_kw: float
    energy_kwh: float | None = None
    soc: float | None = None
    capacity_kwh: float | None = None
    # The charger's session energy when the goal was set (what counts as progress).
    session_start_kwh: float | None = None
    # Departure rules (local time on Monday to Friday / Saturday and Sunday): the goal
    # comes back for the next departure they give once one has passed.
    weekday_time: time | None = None
    weekend_time: time | None = None

    @property
    def repeats(self) -> bool:
        """Whether the goal has departure rules."""
        return self.weekday_time is not None or self.weekend_time is not None


def next_departure(now: datetime, weekday: time | None, weekend: time | None) -> datetime | None:
    """The first departure after ``now`` by the rules, in Home Assistant's time zone."""
    zone = dt_util.get_default_time_zone()
    today = dt_util.as_local(now).date()
    for days in range(8):
        day = today + timedelta(days=days)
        at = weekend if day.weekday() >= 5 else weekday
        if at is None:
            continue
        moment = dt_util.as_utc(datetime.combine(day, at, tzinfo=zone))
        if moment > now:
            return moment
    return None


@dataclass
class Sources:
    """Where the prices and the shared limit come from (the last goal that named them)."""

    price_entity: str | None = None
    nordpool_entry: str | None = None
    nordpool_area: str | None = None
    # A charging location whose cloud reports its prices (Jedlix): entry and location id.
    price_location_entry: str | None = None
    price_location: str | None = None
    solar_entry: str | None = None
    feed_in_price: float | None = None
    limit_kw: float | None = None


def shared_limit(
    snapshots: Iterable[Snapshot], user_kw: float | None, now: datetime
) -> tuple[LimitStep, ...]:
    """The lowest group limit in force and its next change, else ``user_kw``."""
    best: tuple[LimitStep, ...] = ()
    for snapshot in snapshots:
        for group in snapshot.groups.values():
            active = group.limit.active_kw
            if active is None:
                continue
            steps = [LimitStep(now, active)]
            if group.next_change and group.next_change[1] is not None:
                steps.append(LimitStep(max(group.next_change[0], now), group.next_change[1]))
            if not best or active < best[0].power_kw:
                best = tuple(steps)
    if not best and user_kw is not None:
        best = (LimitStep(now, user_kw),)
    return best


def circuit_limits(
    goals: Iterable[Goal], snapshot_of: Callable[[str], Snapshot | None], now: datetime
) -> tuple[dict[str, str], tuple[SubLimit, ...]]:
    """The circuit of each goal's charger (by the goal's device id) and their limits.

    A circuit is named by its entry and id, so two accounts' circuits never merge.
    """
    groups: dict[str, str] = {}
    limits: dict[str, SubLimit] = {}
    for goal in goals:
        snapshot = snapshot_of(goal.entry_id) if goal.kind is DeviceKind.CHARGER else None
        data = snapshot.chargers.get(goal.key) if snapshot else None
        circuit_id = data.charger.circuit_id if data else None
        circuit = snapshot.circuits.get(circuit_id) if snapshot and circuit_id else None
        if circuit is None:
            continue
        key = f"{goal.entry_id}/{circuit.id}"
        groups[goal.device_id] = key
        limits[key] = SubLimit(key, (LimitStep(now, circuit.limit_kw),))
    return groups, tuple(limits.values())


def location_prices(points: Iterable[PricePoint]) -> tuple[PriceSlot, ...]:
    """The prices a charging location's cloud reports (Jedlix's dynamic tariff)."""
    return price_slots((point.start, point.end, point.price) for point in points)


def sensor_prices(hass: HomeAssistant, entity_id: str) -> tuple[PriceSlot, ...]:
    """The prices in a price sensor's attributes (none while it has no state)."""
    state = hass.states.get(entity_id)
    return read_price_attributes(state.attributes) if state else ()


async def async_nordpool_prices(
    hass: HomeAssistant, entry_id: str, area: str
) -> tuple[PriceSlot, ...]:
    """Today's and tomorrow's prices of ``area`` from the Nord Pool integration."""
    slots: list[PriceSlot] = []
    today = dt_util.now().date()
    for day in (today, today + timedelta(days=1)):
        try:
            response = await hass.services.async_call(
                "nordpool",
                "get_prices_for_date",
                {"config_entry": entry_id, "date": day.isoformat(), "areas": [area]},
                blocking=True,
                return_response=True,
            )
        except HomeAssistantError as err:
            # Tomorrow's prices are not there before about 13:00: not worth a warning.
            LOGGER.debug("Nord Pool prices for %s not read: %s", day, err)
            continue
        slots.extend(read_nordpool_response(response, area))
    return tuple(slots)


async def async_solar_forecast(hass: HomeAssistant, entry_id: str) -> tuple[SolarSlot, ...]:
    """The solar forecast of a solar integration's entry, through its energy platform."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None:
        return ()
    try:
        integration = await async_get_integration(hass, entry.domain)
        platform = await integration.async_get_platform("energy")
    except IntegrationNotFound, ImportError:
        return ()
    get_forecast = getattr(platform, "async_get_solar_forecast", None)
    if get_forecast is None:
        return ()
    forecast = await get_forecast(hass, entry_id)
    return read_wh_hours(forecast.get("wh_hours")) if isinstance(forecast, dict) else ()
