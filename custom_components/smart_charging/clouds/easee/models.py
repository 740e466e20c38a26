"""What only Easee reports: a site's chargers, state and config, in one answer."""

from __future__ import annotations

from dataclasses import dataclass

from ..circuit import Circuit
from ..models import ChargerSettings, ChargerState


@dataclass(frozen=True, kw_only=True)
class SiteCharger:
    """One charger as its site's state shows it: where it hangs, its state and config."""

    site_id: str
    circuit_id: str | None
    state: ChargerState
    settings: ChargerSettings | None
    # The circuit's limit, as its chargers and the circuit report it (None: unknown).
    circuit: Circuit | None = None
