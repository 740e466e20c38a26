"""The settings of a running session: how full, and by when.

Seed 002 moves them from the vehicle to the session in v2: ``POST /users/{userId}/
sessions/{sessionId}/session-settings`` and ``GET .../session-settings/active`` ("since
they are related to a session, not a vehicle"). No public page we found shows the body of
a departure-time or desired-state-of-charge setting (only the boost setting's, on
``docs/prevent-the-creation-of-smart-sessions``); we send the two fields under the names
the session itself carries (``desiredStateOfCharge``, ``departureTime``: seed words) and
read them back the same way. See ``docs/references.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from ..parse import PERCENT, as_float, as_id, as_utc
from .parse import fmt_time

# Vehicle capabilities (seed 002; jedlix-sdk-android Vehicle.kt), compared in any case.
DESIRED_STATE_OF_CHARGE: Final = "desiredStateOfCharge"
DEPARTURE_TIMES: Final = "departureTimes"


def has_capability(capabilities: Collection[str], name: str) -> bool:
    """Whether a car offers ``name`` (v1 wrote camelCase, v2 PascalCase)."""
    return name.lower() in {capability.lower() for capability in capabilities}


@dataclass(frozen=True)
class SessionSettings:
    """How full a running session charges the car, and by when."""

    session_id: str | None = None
    desired_state_of_charge: float | None = None
    departure_time: datetime | None = None
    updated_at: datetime | None = None


def parse_session_settings(body: Mapping[str, Any]) -> SessionSettings:
    """The answer of a session-settings write, or of ``.../session-settings/active``."""
    return SessionSettings(
        session_id=as_id(body.get("sessionId")),
        desired_state_of_charge=as_float(body.get("desiredStateOfCharge"), PERCENT),
        departure_time=as_utc(body.get("departureTime")),
        updated_at=as_utc(body.get("updatedAt")),
    )


def session_settings_body(
    desired_state_of_charge: int | None, departure_time: datetime | None
) -> dict[str, Any]:
    """What we write: only the settings given."""
    body: dict[str, Any] = {}
    if desired_state_of_charge is not None:
        body["desiredStateOfCharge"] = desired_state_of_charge
    if departure_time is not None:
        body["departureTime"] = fmt_time(departure_time)
    return body
