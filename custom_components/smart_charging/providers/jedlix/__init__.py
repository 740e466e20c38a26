"""Jedlix (seed 002): a user's cars, chargers and charging locations, with their prices."""

from __future__ import annotations

from homeassistant.const import CONF_TOKEN

from ...clouds.jedlix.client import JedlixClient
from ...const import (
    CONF_API_KEY,
    CONF_BASE_URL,
    CONF_USER_ID,
    OPT_ACTIVE_INTERVAL,
    OPT_SETTINGS_INTERVAL,
)
from ..provider import SECRET, TEXT, URL, Provider
from .controls import JEDLIX_CONTROLS
from .coordinator import VEHICLES_INTERVAL, JedlixCoordinator
from .entities import JEDLIX_DESCRIPTIONS
from .repairs import create_fix_flow
from .services import JEDLIX_ACTIONS

JEDLIX = Provider[JedlixClient](
    key="jedlix",
    # Each tenant has its own host: there is no public default.
    fields={CONF_BASE_URL: URL, CONF_API_KEY: SECRET, CONF_USER_ID: TEXT, CONF_TOKEN: SECRET},
    secrets=(CONF_API_KEY, CONF_TOKEN),
    options=(OPT_ACTIVE_INTERVAL, OPT_SETTINGS_INTERVAL),
    option_defaults={OPT_ACTIVE_INTERVAL: VEHICLES_INTERVAL},
    client=lambda session, url, data: JedlixClient(
        session, url, data[CONF_API_KEY], data[CONF_USER_ID], data[CONF_TOKEN]
    ),
    descriptions=(*JEDLIX_DESCRIPTIONS, *JEDLIX_CONTROLS),
    coordinator=JedlixCoordinator,
    actions=JEDLIX_ACTIONS,
    fix_flow=create_fix_flow,
)
