"""The simulated ViriCiti Smart Charging SDK (seed 001): charger groups and their limits.

:mod:`.cloud` serves the HTTP routes, :mod:`.world` keeps the groups, stations, sessions
and their history on the simulated clock, and :mod:`.model` holds the pure rules
(timeframes, the limit hierarchy, power sharing). The names other code uses (tests,
benchmarks, the scenario) are re-exported here.
"""

from __future__ import annotations

from .cloud import ViricitiCloud
from .model import Timeframe, share
from .world import DEMO_GROUP

__all__ = ["DEMO_GROUP", "Timeframe", "ViricitiCloud", "share"]
