"""What Smart Charging knows of an AMPECO charge point beyond the neutral model."""

from __future__ import annotations

from dataclasses import dataclass

from ...clouds.ampeco.preferences import AvailableMode, Preferences
from ...model import ChargerData


@dataclass(frozen=True, kw_only=True)
class AmpecoChargerData(ChargerData):
    """A charge point: its smart charging preferences, the modes it offers, its session."""

    preferences: Preferences | None = None
    offered_modes: tuple[AvailableMode, ...] = ()
    session_id: str | None = None
