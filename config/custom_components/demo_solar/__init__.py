"""A solar forecast for the Smart Charging demo home, made up offline.

The demo home (``scripts/develop``) has no solar integration: Forecast.Solar, the one in
Home Assistant core that gives the energy platform a forecast, reads the internet. This
demo-only integration gives Home Assistant's energy platform a plausible forecast
instead (``energy.py``), so the planner's ``solar_entry`` has something to read. It is
not part of Smart Charging and is not shipped with it.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Nothing to set up: the forecast is computed when the energy platform asks."""
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Nothing to unload."""
    return True
