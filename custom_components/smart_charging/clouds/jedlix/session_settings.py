"""The settings of a running session: how full, by when, and whether to charge now.

Seed 002 moves them from the vehicle to the session in v2: ``POST /users/{userId}/
sessions/{sessionId}/session-settings`` and ``GET .../session-settings/active`` ("since
they are related to a session, not a vehicle"; the vehicle-scoped paths are deleted in
v2). Boost is the typed setting ``{"type": "boostCharging", "enabled": ...}`` of
``docs/prevent-the-creation-of-smart-sessions``. No public page we found shows the body of
a departure-time or desired-state-of-charge setting; we send the two fields under the
names the session itself carries (``desiredStateOfCharge``, ``departureTime``: seed
words) and read them back the same way. See ``docs/references.md``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from ..http import segment
from ..parse import PERCENT, as_float, as_id, as_object, as_utc
from .parse import fmt_time

# Vehicle capabilities (seed 002; jedlix-sdk-android Vehicle.kt), compared in any case.
DESIRED_STATE_OF_CHARGE: Final = "desiredStateOfCharge"
DEPARTURE_TIMES: Final = "departureTimes"
# Jedlix starts and stops the charging itself: what boost (charge now) needs.
START_STOP_CHARGING: Final = "startStopCharging"
# The typed setting of an active session that overrules smart charging.
BOOST_CHARGING: Final = "boostCharging"


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


def boost_body(enabled: bool) -> dict[str, Any]:
    """The typed boost setting, exactly as prevent-the-creation-of-smart-sessions shows it."""
    return {"type": BOOST_CHARGING, "enabled": enabled}


class SessionSettingsCalls:
    """The session-settings calls of :class:`~.client.JedlixClient`.

    Kept here so the client stays one readable module; the client supplies the user's
    path and the authenticated request.
    """

    @property
    def _user(self) -> str:
        raise NotImplementedError

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        raise NotImplementedError

    def _settings_path(self, session_id: str) -> str:
        return f"{self._user}/sessions/{segment(session_id)}/session-settings"

    async def async_active_session_settings(self, session_id: str) -> SessionSettings:
        """How full and by when the running session charges (404 when it is not running)."""
        body = await self._request("GET", f"{self._settings_path(session_id)}/active")
        return parse_session_settings(as_object(body, "session settings"))

    async def async_set_session_settings(
        self,
        session_id: str,
        *,
        desired_state_of_charge: int | None = None,
        departure_time: datetime | None = None,
    ) -> SessionSettings:
        """Change a running session's target and departure; returns them as read back."""
        body = session_settings_body(desired_state_of_charge, departure_time)
        await self._request("POST", self._settings_path(session_id), json_body=body)
        return await self.async_active_session_settings(session_id)

    async def async_set_boost(self, session_id: str, enabled: bool) -> SessionSettings:
        """Charge the running session now (or let smart charging plan it again).

        Returns the session's settings as read back: the session still runs. No public
        answer shows how boost reads back, so the caller keeps what it wrote.
        """
        await self._request("POST", self._settings_path(session_id), json_body=boost_body(enabled))
        return await self.async_active_session_settings(session_id)
