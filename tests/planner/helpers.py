"""The planner tests' set-up: a price sensor, a goal, a plan, asked for as a user does."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from custom_components.smart_charging.const import DOMAIN

PRICES = "sensor.energy_prices"


def hour(now: datetime, hours: int) -> datetime:
    """The start of the hour ``hours`` after the one ``now`` is in."""
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


def after(now: datetime, hours: float) -> str:
    """A departure ``hours`` after ``now``, as an action takes it."""
    return (now + timedelta(hours=hours)).isoformat()


def publish_prices(hass: HomeAssistant, cheap_at: int, now: datetime | None = None) -> datetime:
    """A price sensor as the Nord Pool custom integration shows one: 0.40, one hour 0.05.

    The 24 hours start at ``now``'s (by default the present), which is returned.
    """
    now = now or dt_util.utcnow()
    raw = [
        {
            "start": hour(now, h).isoformat(),
            "end": hour(now, h + 1).isoformat(),
            "value": 0.05 if h == cheap_at else 0.40,
        }
        for h in range(24)
    ]
    hass.states.async_set(PRICES, "0.40", {"raw_today": raw, "raw_tomorrow": []})
    return now


async def set_goal(hass: HomeAssistant, device_id: str, **data: Any) -> None:
    """The ``set_charge_goal`` action for ``device_id``, and the planning it starts."""
    await hass.services.async_call(
        DOMAIN, "set_charge_goal", {"device_id": device_id, **data}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)


async def get_plan(hass: HomeAssistant, device_id: str) -> dict[str, Any]:
    """What the ``get_plan`` action answers for ``device_id``."""
    response = await hass.services.async_call(
        DOMAIN, "get_plan", {"device_id": device_id}, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response
