"""ViriCiti (seed 001): charger groups, their limit layers and per-charger limits."""

from __future__ import annotations

from ...clouds.viriciti.client import ViricitiClient
from ...const import CONF_API_KEY, OPT_ACTIVE_INTERVAL, OPT_GROUP_LIMIT_HOLD, OPT_SETTINGS_INTERVAL
from ..provider import SECRET, Provider
from .coordinator import ViricitiCoordinator

VIRICITI = Provider[ViricitiClient](
    key="viriciti",
    fields={CONF_API_KEY: SECRET},
    secrets=(CONF_API_KEY,),
    options=(OPT_ACTIVE_INTERVAL, OPT_SETTINGS_INTERVAL, OPT_GROUP_LIMIT_HOLD),
    default_base_url="https://sdk.viriciti.com",
    client=lambda session, url, data: ViricitiClient(session, url, data[CONF_API_KEY]),
    coordinator=ViricitiCoordinator,
)
