"""What a loaded config entry keeps in ``runtime_data``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .api.base import CloudClient

if TYPE_CHECKING:
    from .coordinator import SmartChargingCoordinator


@dataclass
class SmartChargingData:
    """The entry's client and the coordinator that polls it."""

    client: CloudClient
    coordinator: SmartChargingCoordinator


type SmartChargingConfigEntry = ConfigEntry[SmartChargingData]
