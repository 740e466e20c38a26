"""The energy platform: the forecast Home Assistant's energy dashboard and planners read."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .forecast import wh_hours


async def async_get_solar_forecast(
    hass: HomeAssistant, config_entry_id: str
) -> dict[str, dict[str, float | int]] | None:
    """Today's and tomorrow's forecast at the home's place, as Forecast.Solar gives one."""
    entry = hass.config_entries.async_get_entry(config_entry_id)
    if entry is None or entry.domain != DOMAIN:
        return None
    zone = dt_util.get_default_time_zone()
    today = dt_util.now().date()
    hours = wh_hours(hass.config.latitude, hass.config.longitude, zone, today)
    return {"wh_hours": dict(hours)}
