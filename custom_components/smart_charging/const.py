"""Constants shared across Smart Charging."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "smart_charging"
LOGGER = logging.getLogger(__package__)

CONF_PROVIDER: Final = "provider"
CONF_BASE_URL: Final = "base_url"
CONF_API_KEY: Final = "api_key"
CONF_API_TOKEN: Final = "api_token"
CONF_USER_ID: Final = "user_id"
CONF_ADVANCED: Final = "advanced"
CONF_GROUP_IDS: Final = "group_ids"

# Options, in minutes (changed in the options flow, read at every poll, so a change
# applies from the next poll on without a restart).
OPT_ACTIVE_INTERVAL: Final = "active_interval"
OPT_IDLE_INTERVAL: Final = "idle_interval"
OPT_SETTINGS_INTERVAL: Final = "settings_interval"
OPT_GROUP_LIMIT_HOLD: Final = "group_limit_hold"
DEFAULT_GROUP_LIMIT_HOLD: Final = timedelta(hours=1)

# A charger's own state while a car is plugged in, and while idle (its site's state,
# read every 90 s, covers the rest); its settings, and the account's device list.
DEFAULT_ACTIVE_INTERVAL: Final = timedelta(minutes=2)
DEFAULT_IDLE_INTERVAL: Final = timedelta(minutes=30)
DEFAULT_SETTINGS_INTERVAL: Final = timedelta(hours=2)

# The time span every action that reads history takes (``start`` up to ``end``).
ATTR_START: Final = "start"
ATTR_END: Final = "end"
