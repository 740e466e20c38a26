"""The simulated Easee cloud (seed 003): accounts, sites, circuits, chargers and commands.

:mod:`.cloud` serves the HTTP routes (sign-in, chargers, commands, settings, the rate
limit); :mod:`.model` holds the physics of one charger. The names other code uses
(tests, benchmarks, the scenario) are re-exported here.
"""

from __future__ import annotations

from .cloud import RATE_LIMIT, RATE_WINDOW, EaseeAccount, EaseeCloud
from .model import CHARGING, OBS_CHARGING_SESSION, SimCharger

__all__ = [
    "CHARGING",
    "OBS_CHARGING_SESSION",
    "RATE_LIMIT",
    "RATE_WINDOW",
    "EaseeAccount",
    "EaseeCloud",
    "SimCharger",
]
