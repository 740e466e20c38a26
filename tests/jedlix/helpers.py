"""What the Jedlix tests in and out of this folder share: the demo user's devices, a tariff."""

from __future__ import annotations

import aiohttp
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from custom_components.smart_charging.clouds.jedlix.client import JedlixClient
from simulator.jedlix import DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER_ID

from ..conftest import Sim
from ..helpers import device_of

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
PEAK_OFF_PEAK = {
    "tariffs": [
        {"type": "peak", "price": 0.31, "currency": "EUR"},
        {"type": "off_peak", "price": 0.22, "currency": "EUR"},
    ],
    # Peak 07:00-23:00 on weekdays, off-peak the rest of the week (nights and weekends).
    "intervals": [
        {"start_time": "07:00", "end_time": "23:00", "days": WEEKDAYS, "tariff_type": "peak"},
        {
            "start_time": "23:00",
            "end_time": "07:00",
            "days": WEEKDAYS[:4],
            "tariff_type": "off_peak",
        },
        {"start_time": "00:00", "end_time": "07:00", "days": ["monday"], "tariff_type": "off_peak"},
        {"start_time": "23:00", "end_time": "00:00", "days": ["friday"], "tariff_type": "off_peak"},
        {
            "start_time": "00:00",
            "end_time": "00:00",
            "days": ["saturday", "sunday"],
            "tariff_type": "off_peak",
        },
    ],
}


def location_device(hass: HomeAssistant, entry: ConfigEntry, simulator: Sim) -> str:
    """The device id of the demo user's charging location."""
    return device_of(hass, entry, f"jedlix_location_{simulator.jedlix.demo.location_id}")


def car_device(hass: HomeAssistant, entry: ConfigEntry, vehicle_id: str) -> str:
    """The device id of the car ``vehicle_id``."""
    return device_of(hass, entry, f"jedlix_vehicle_{vehicle_id}")


def manager_client(simulator: Sim, http: aiohttp.ClientSession) -> JedlixClient:
    """A client with the tenant's client credentials: it fetches its own management token."""
    return JedlixClient(
        http,
        simulator.url("jedlix"),
        DEMO_API_KEY,
        DEMO_USER_ID,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        token_url=f"{simulator.url('jedlix')}/connect/token",
    )
