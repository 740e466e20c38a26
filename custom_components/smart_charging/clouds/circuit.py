"""A circuit (a fuse) that chargers share, and the power it lets them draw together.

Neutral: a cloud that reports circuits (Easee) fills it; the planner limits the chargers
of one circuit together by it.
"""

from __future__ import annotations

from dataclasses import dataclass

# The phase voltage a circuit's current per phase is turned into power with: the nominal
# low-voltage supply of IEC 60038 (230 V between a phase and neutral; 400 V between phases).
NOMINAL_PHASE_VOLTAGE = 230.0


@dataclass(frozen=True, kw_only=True)
class Circuit:
    """A circuit (a fuse) that chargers share: what they may draw together.

    ``current_a`` is per phase; ``phases`` is 3, or 1 when a charger on it is held to one
    phase (then the chargers may all be on the same phase: the safe bound).
    """

    id: str
    current_a: float
    phases: int = 3

    @property
    def limit_kw(self) -> float:
        """The power the circuit's chargers may draw together at the nominal voltage."""
        return self.current_a * self.phases * NOMINAL_PHASE_VOLTAGE / 1000
