"""AMPECO (seed 000): a tenant's charge points, their sessions and smart charging preferences."""

from __future__ import annotations

from ...clouds.ampeco.client import AmpecoClient
from ...const import (
    CONF_API_TOKEN,
    CONF_BASE_URL,
    OPT_ACTIVE_INTERVAL,
    OPT_IDLE_INTERVAL,
    OPT_SETTINGS_INTERVAL,
)
from ..provider import SECRET, URL, Provider
from .coordinator import SESSIONS_INTERVAL, AmpecoCoordinator
from .entities import AMPECO_DESCRIPTIONS
from .services import AMPECO_ACTIONS

AMPECO = Provider[AmpecoClient](
    key="ampeco",
    # Each tenant has its own host: there is no public default.
    fields={CONF_BASE_URL: URL, CONF_API_TOKEN: SECRET},
    secrets=(CONF_API_TOKEN,),
    options=(OPT_ACTIVE_INTERVAL, OPT_IDLE_INTERVAL, OPT_SETTINGS_INTERVAL),
    option_defaults={OPT_ACTIVE_INTERVAL: SESSIONS_INTERVAL},
    client=lambda session, url, data: AmpecoClient(session, url, data[CONF_API_TOKEN]),
    descriptions=AMPECO_DESCRIPTIONS,
    coordinator=AmpecoCoordinator,
    actions=AMPECO_ACTIONS,
)
