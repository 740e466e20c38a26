"""Easee (seed 003): chargers on sites, their state, settings and commands."""

from __future__ import annotations

from homeassistant.const import CONF_PASSWORD, CONF_USERNAME

from ...clouds.easee.client import EaseeClient
from ...const import OPT_ACTIVE_INTERVAL, OPT_IDLE_INTERVAL, OPT_SETTINGS_INTERVAL
from ..provider import SECRET, USERNAME, Provider
from .coordinator import CONF_CHARGER_STREAM, EaseeCoordinator

EASEE = Provider[EaseeClient](
    key="easee",
    fields={CONF_USERNAME: USERNAME, CONF_PASSWORD: SECRET},
    secrets=(CONF_PASSWORD,),
    options=(OPT_ACTIVE_INTERVAL, OPT_IDLE_INTERVAL, OPT_SETTINGS_INTERVAL),
    default_base_url="https://api.easee.com",
    advanced_switches={CONF_CHARGER_STREAM: True},
    client=lambda session, url, data: EaseeClient(
        session, url, data[CONF_USERNAME], data[CONF_PASSWORD]
    ),
    coordinator=EaseeCoordinator,
)
