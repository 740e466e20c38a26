"""Station actions of the ViriCiti SDK (ChargePoint's public page ``6_Actions``).

Each action is ``POST /api/v1/chargestations/:identity/actions/<name>`` with the OCPP 1.6
request as its body, and the cloud answers with the charger's OCPP 1.6 response,
``{"status": ...}``. That answer is the charger's own word: the documentation names no
HTTP call that reads a connector's availability or its running transaction (only the
``5_Live`` WebSocket carries charger data), so the answer is what confirms an action,
and a start or stop shows in the group's time series when the charger next shares the
limit.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final

from ..errors import RejectedError
from ..http import HttpCore, segment
from ..models import note_unknown
from ..parse import as_object, as_str

ACTIONS: Final = "/api/v1/chargestations/{identity}/actions/{action}"
# OCPP 1.6 CiString20Type: an idTag is at most 20 characters.
MAX_ID_TAG = 20


class ActionStatus(StrEnum):
    """The charger's answer (OCPP 1.6 ``status``); ``SCHEDULED`` only for availability."""

    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    SCHEDULED = "Scheduled"
    UNKNOWN = "unknown"


def parse_status(body: Any) -> ActionStatus:
    """The ``status`` of an action's answer; a value OCPP 1.6 does not name is unknown."""
    raw = as_str(as_object(body, "action answer").get("status"))
    try:
        return ActionStatus(raw or "")
    except ValueError:
        note_unknown("ViriCiti action status", raw)
        return ActionStatus.UNKNOWN


class StationActions:
    """The four documented actions on one API key's stations.

    A ``Rejected`` answer (or one we cannot read) raises :class:`RejectedError`: the
    charger said no, and the user is told so. ``Scheduled`` is returned: the charger
    will do it once the running session ends.
    """

    def __init__(self, http: HttpCore) -> None:
        self._http = http

    async def _send(self, identity: str, action: str, body: dict[str, Any]) -> ActionStatus:
        path = ACTIONS.format(identity=segment(identity), action=action)
        status = parse_status(await self._http.request("POST", path, json_body=body))
        if status in (ActionStatus.REJECTED, ActionStatus.UNKNOWN):
            raise RejectedError(f"the charger answered {action} with {status.value}")
        return status

    async def async_change_availability(
        self, identity: str, position: int, *, operative: bool
    ) -> ActionStatus:
        """Make a position (``connectorId``) available again, or unavailable."""
        return await self._send(
            identity,
            "change-availability",
            {"connectorId": position, "type": "Operative" if operative else "Inoperative"},
        )

    async def async_reset(self, identity: str, *, hard: bool = False) -> ActionStatus:
        """Restart the charger: soft (as if just booted) or hard (ends any transaction)."""
        return await self._send(identity, "reset", {"type": "Hard" if hard else "Soft"})

    async def async_remote_start(self, identity: str, position: int, id_tag: str) -> ActionStatus:
        """Start a transaction at a position for ``id_tag`` (a charging card's id)."""
        return await self._send(
            identity, "remote-start-transaction", {"idTag": id_tag, "connectorId": position}
        )

    async def async_remote_stop(self, identity: str, transaction_id: int) -> ActionStatus:
        """Stop the ongoing transaction ``transaction_id`` of a charger."""
        return await self._send(
            identity, "remote-stop-transaction", {"transactionId": transaction_id}
        )
