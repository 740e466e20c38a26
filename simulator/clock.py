"""The simulator's clock: frozen by default so tests are deterministic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import time

DEFAULT_START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class SimClock:
    """A clock that tests advance by hand, or that runs at a chosen speed.

    With ``speed`` 0 the clock stands still until ``advance`` is called, so every test
    sees the same world. With a positive speed (used by ``scripts/develop``) it follows
    wall time, ``speed`` simulated seconds per real second.
    """

    def __init__(self, start: datetime = DEFAULT_START, speed: float = 0.0) -> None:
        self._base = start
        self._speed = speed
        self._real_base = time.monotonic()

    def now(self) -> datetime:
        """Return the simulated time, aware and in UTC."""
        if not self._speed:
            return self._base
        elapsed = (time.monotonic() - self._real_base) * self._speed
        return self._base + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and return the new time."""
        self.set(self.now() + timedelta(seconds=seconds))
        return self._base

    def set(self, when: datetime) -> None:
        """Jump to an absolute time."""
        self._base = when.astimezone(UTC)
        self._real_base = time.monotonic()

    @property
    def speed(self) -> float:
        """Simulated seconds per real second; 0 means frozen."""
        return self._speed
