"""The station actions of the ViriCiti SDK (ChargePoint's public page ``6_Actions``).

``POST /api/v1/chargestations/{identity}/actions/{action}`` for exactly the four actions
the page documents, each body the OCPP 1.6 request it names and each answer the OCPP 1.6
response ``{"status": ...}``:

- ``change-availability`` ``{connectorId, type: Operative|Inoperative}``: Accepted,
  Rejected (no such connector), or Scheduled when a transaction runs there (the position
  becomes unavailable when it ends). ``connectorId`` 0 is the whole station (OCPP 1.6).
- ``reset`` ``{type: Hard|Soft}``: Accepted; every transaction ends (the page: a hard
  reset terminates them; OCPP 1.6 stops them on a soft one too), the cars stay plugged.
- ``remote-stop-transaction`` ``{transactionId}``: Accepted when it is a transaction of
  that station (the car stays plugged), else Rejected.
- ``remote-start-transaction`` ``{idTag, connectorId}``: Accepted when a car is plugged
  into that available position without a transaction, else Rejected. ``connectorId``
  may be left out (OCPP 1.6): the first such position is taken.

Anything else in a body, a missing or mistyped field, is a 400; an unknown station a
404 (the page names no error format: ``{"error"}`` as for the group calls). Once a
transaction starts or ends, the group's time series shares the limit anew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from ..common import json_body, json_error
from .model import Station
from .world import ViricitiWorld

ACCEPTED, REJECTED, SCHEDULED = "Accepted", "Rejected", "Scheduled"
# OCPP 1.6 CiString20Type.
MAX_ID_TAG = 20


def _bad(message: str) -> web.HTTPException:
    return json_error(400, {"error": message})


def _whole(body: dict[str, Any], key: str, minimum: int) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise _bad(f"{key} must be an integer of at least {minimum}")
    return value


def _choice(body: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = body.get(key)
    if value not in allowed:
        raise _bad(f"{key} must be one of {', '.join(allowed)}")
    return str(value)


def _only(body: Any, *keys: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _bad("The body must be a JSON object")
    if extra := set(body) - set(keys):
        raise _bad(f"Unknown field(s): {', '.join(sorted(extra))}")
    return body


class StationActionRoutes(ViricitiWorld):
    """The handlers, on the world they change; ``ViricitiCloud`` serves them."""

    # Each station action received: (identity, action, body), for the tests.
    action_log: list[tuple[str, str, Any]]

    def check_key(self, request: web.Request) -> str:
        """The API key check of the cloud (``1_index``)."""
        raise NotImplementedError

    def register_actions(self, app: web.Application, api: str) -> None:
        """Add the four documented routes, and nothing else under ``chargestations``."""
        handlers: dict[str, Callable[[Station, dict[str, Any]], str]] = {
            "change-availability": self.change_availability,
            "reset": self.reset_station,
            "remote-stop-transaction": self.remote_stop,
            "remote-start-transaction": self.remote_start,
        }
        for name, handler in handlers.items():

            async def route(
                request: web.Request,
                handler: Callable[[Station, dict[str, Any]], str] = handler,
            ) -> web.Response:
                self.check_key(request)
                station = self.stations.get(request.match_info["identity"])
                if station is None:
                    raise json_error(404, {"error": "Charging station not found"})
                body = await json_body(request, {"error": "The body must be JSON"})
                self.action_log.append((station.identity, request.path.rsplit("/", 1)[1], body))
                return web.json_response({"status": handler(station, body)})

            app.router.add_post(f"{api}/chargestations/{{identity}}/actions/{name}", route)

    def change_availability(self, station: Station, raw: Any) -> str:
        """Make a connector (or, with 0, the station) Operative or Inoperative."""
        body = _only(raw, "connectorId", "type")
        connector = _whole(body, "connectorId", 0)
        operative = _choice(body, "type", ("Operative", "Inoperative")) == "Operative"
        if connector > station.positions:
            return REJECTED
        positions = range(1, station.positions + 1) if connector == 0 else (connector,)
        answer = ACCEPTED
        for position in positions:
            if operative:
                station.unavailable.discard(position)
                station.scheduled_unavailable.discard(position)
            elif position in station.charging:
                station.scheduled_unavailable.add(position)
                answer = SCHEDULED
            else:
                station.unavailable.add(position)
        return answer

    def reset_station(self, station: Station, raw: Any) -> str:
        """Restart the station: its transactions end, the cars stay plugged."""
        _choice(_only(raw, "type"), "type", ("Hard", "Soft"))
        with self._changing(None, self.group(station.group_id)):
            for position in sorted(station.charging):
                station.end_transaction(position, car_leaves=False)
        return ACCEPTED

    def remote_stop(self, station: Station, raw: Any) -> str:
        """Stop the station's transaction ``transactionId``; the car stays plugged."""
        transaction = _whole(_only(raw, "transactionId"), "transactionId", 0)
        position = next((p for p, t in station.transactions.items() if t == transaction), None)
        if position is None:
            return REJECTED
        with self._changing(None, self.group(station.group_id)):
            station.end_transaction(position, car_leaves=False)
        return ACCEPTED

    def remote_start(self, station: Station, raw: Any) -> str:
        """Start a transaction for ``idTag`` where a car waits at an available position."""
        body = _only(raw, "idTag", "connectorId")
        tag = body.get("idTag")
        if not isinstance(tag, str) or not 1 <= len(tag) <= MAX_ID_TAG:
            raise _bad(f"idTag must be text of 1 to {MAX_ID_TAG} characters")
        waiting = sorted(station.plugged - station.unavailable)
        if "connectorId" in body:
            connector = _whole(body, "connectorId", 1)
            waiting = [connector] if connector in waiting else []
        if not waiting:
            return REJECTED
        self.start_session(station.identity, waiting[0])
        return ACCEPTED
