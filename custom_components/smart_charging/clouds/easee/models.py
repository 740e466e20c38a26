"""What only Easee reports: a site's chargers in one answer; smart-button presses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import ChargerSettings, ChargerState


@dataclass(frozen=True, kw_only=True)
class ButtonPress:
    """The charger's smart button was pressed (``count`` grows with each press)."""

    count: int
    at: datetime


@dataclass(frozen=True, kw_only=True)
class SiteCharger:
    """One charger as its site's state shows it: where it hangs, its state and config."""

    site_id: str
    circuit_id: str | None
    state: ChargerState
    settings: ChargerSettings | None
