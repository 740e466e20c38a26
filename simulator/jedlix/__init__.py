"""The simulated Jedlix Smart Charging API, version 2 (seed 002): users, cars, places, prices.

:mod:`.cloud` is the tenant (``JedlixCloud``): its state and Python controls come from
:mod:`.world`, its routes from :mod:`.api`. :mod:`.model` holds the objects and their
physics, :mod:`.render` turns them into JSON, :mod:`.wire` the rules every route shares,
:mod:`.tariffs` the tariff settings and :mod:`.curves` the price and solar curves. The
names other code uses (tests, benchmarks, the scenario) are re-exported here.
"""

from __future__ import annotations

from .cloud import JedlixCloud
from .model import (
    CALIBRATION_STATES,
    CAPABILITIES,
    CHARGE_STATES,
    DATA_TYPES,
    MESSAGE_TYPES,
    NOTIFICATION_TYPES,
    SESSION_STATUSES,
    UNSEEN,
)
from .render import Renderer
from .tariffs import DAYS, TARIFF_TYPES
from .world import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_TENANT_TOKEN,
    DEMO_TOKEN,
    DEMO_USER_ID,
)

__all__ = [
    "CALIBRATION_STATES",
    "CAPABILITIES",
    "CHARGE_STATES",
    "DATA_TYPES",
    "DAYS",
    "DEMO_API_KEY",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_TENANT_TOKEN",
    "DEMO_TOKEN",
    "DEMO_USER_ID",
    "MESSAGE_TYPES",
    "NOTIFICATION_TYPES",
    "SESSION_STATUSES",
    "TARIFF_TYPES",
    "UNSEEN",
    "JedlixCloud",
    "Renderer",
]
