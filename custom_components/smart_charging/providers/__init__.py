"""The clouds Smart Charging supports, by the key stored in each config entry.

Each package beside this module is one cloud: its coordinator (what it polls and when),
its own entity descriptions, actions and repairs, and the :class:`.provider.Provider`
that tells the shared code about them. The order here is the order of the config
flow's menu.
"""

from __future__ import annotations

from typing import Any

from .ampeco import AMPECO
from .easee import EASEE
from .jedlix import JEDLIX
from .provider import Provider
from .viriciti import VIRICITI

PROVIDERS: dict[str, Provider[Any]] = {
    provider.key: provider for provider in (EASEE, VIRICITI, AMPECO, JEDLIX)
}
