"""What Smart Charging knows of an Easee charger beyond the neutral model."""

from __future__ import annotations

from dataclasses import dataclass

from ...clouds.easee.models import ButtonPress
from ...model import ChargerData


@dataclass(frozen=True, kw_only=True)
class EaseeChargerData(ChargerData):
    """An Easee charger: the neutral data, and its smart button's latest press."""

    button: ButtonPress | None = None
