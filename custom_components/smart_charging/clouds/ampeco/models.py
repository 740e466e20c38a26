"""What an AMPECO tenant reports about its charge points, their EVSEs and sessions.

Enumerations carry an ``UNKNOWN`` member: a value the tenant adds later is data, never
an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ..models import Charger, ChargingSession
from .preferences import (
    AvailableMode,
    Preferences,
)


class ChargePointStatus(StrEnum):
    """A charge point's connection and hardware state, in one value."""

    AVAILABLE = "available"
    UNAVAILABLE = "unavailable"
    FAULTED = "faulted"
    OFFLINE = "offline"
    NEVER_CONNECTED = "never_connected"
    UNKNOWN = "unknown"


class EvseStatus(StrEnum):
    """What one EVSE (one car at a time) reports, OCPP style."""

    AVAILABLE = "available"
    PREPARING = "preparing"
    CHARGING = "charging"
    SUSPENDED_EV = "suspended_ev"
    SUSPENDED_EVSE = "suspended_evse"
    FINISHING = "finishing"
    RESERVED = "reserved"
    UNAVAILABLE = "unavailable"
    FAULTED = "faulted"
    OCCUPIED = "occupied"
    UNKNOWN = "unknown"


class SessionStatus(StrEnum):
    """Where a charging session is in its life."""

    PENDING = "pending"
    ACTIVE = "active"
    FINISHED = "finished"
    FAILED = "failed"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True, kw_only=True)
class AmpecoChargePoint:
    """A charge point of the tenant, with what the list answer includes about it.

    ``preferences`` and ``modes`` are None when the answer did not include them (an
    older tenant, or a list read without relations), not "none set".
    """

    charger: Charger
    status: ChargePointStatus
    online: bool | None = None
    network_status: str | None = None
    hardware_status: str | None = None
    remote_start_stop: bool = False
    preferences: Preferences | None = None
    modes: tuple[AvailableMode, ...] | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AmpecoEvse:
    """One EVSE of a charge point; ``network_id`` is what a start action names."""

    id: str
    network_id: str | None
    status: EvseStatus
    label: str | None = None
    max_power_kw: float | None = None
    max_current_a: float | None = None


@dataclass(frozen=True, kw_only=True)
class AmpecoSession(ChargingSession[SessionStatus]):
    """A charging session; energy in kWh and power in kW (the cloud sends Wh and W)."""

    charge_point_id: str | None
    evse_id: str | None
    power_kw: float | None = None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class StartResult:
    """What the cloud said when it accepted a start: ids to follow the session by."""

    authorization_id: int | None
    session_id: str | None
