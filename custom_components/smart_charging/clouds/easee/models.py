"""What only Easee reports: the presses of a charger's smart button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, kw_only=True)
class ButtonPress:
    """The charger's smart button was pressed (``count`` grows with each press)."""

    count: int
    at: datetime
