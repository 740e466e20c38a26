"""What Smart Charging knows of a Jedlix account beyond the neutral model."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ...clouds.jedlix.models import Message, Session, TariffSettings
from ...model import LocationData, Snapshot, VehicleData


@dataclass(frozen=True, kw_only=True)
class JedlixVehicleData(VehicleData):
    """A car and its current (or last) charging session.

    ``boost``: what we last set for the running session (no public answer reads it
    back); None when not set in this session.
    """

    session: Session | None = None
    boost: bool | None = None

    def with_boost(self, session_id: str, on: bool) -> JedlixVehicleData:
        """The car's data once boost was set for ``session_id``.

        Unchanged if the car's session is another one by now: boost belongs to the
        session it was set for.
        """
        same = self.session is not None and self.session.id == session_id
        return replace(self, boost=on) if same else self


@dataclass(frozen=True, kw_only=True)
class JedlixLocationData(LocationData):
    """A charging location and the tariffs the user gave Jedlix for it."""

    tariffs: TariffSettings | None = None


@dataclass(frozen=True)
class JedlixSnapshot(Snapshot):
    """A poll of a Jedlix user: the devices, and the messages that need the user."""

    messages: tuple[Message, ...] = ()
