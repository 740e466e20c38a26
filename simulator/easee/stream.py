"""Easee's charger stream: a SignalR hub, as pyeasee 0.8.21 uses it.

pyeasee (easee.py, ``_sr_connect_loop``) connects pysignalr to ``/hubs/chargers`` with
the REST bearer token: ``POST /hubs/chargers/negotiate``, then a websocket speaking
SignalR's JSON hub protocol (records end with 0x1E; a handshake
``{"protocol": "json", "version": 1}`` answered by ``{}``). The client invokes
``SubscribeWithCurrentState`` with ``[chargerId, true]``; the hub then invokes
``ProductUpdate`` with one ``{mid, dataType, id, value}`` per observation (the value as
text, which pyeasee's ``convert_stream_data`` reads by ``dataType``), first the current
values and then each change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import contextlib
from dataclasses import dataclass, field
import itertools
import json
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

if TYPE_CHECKING:
    from .cloud import EaseeCloud
    from .model import SimCharger

HUB = "/hubs/chargers"
WATCH_SECONDS = 1.0
RECORD_END = "\x1e"
# SignalR message types (JSON hub protocol).
INVOCATION, COMPLETION, PING, CLOSE = 1, 3, 6, 7
# pyeasee const.py DatatypesStreamData.
BOOLEAN, DOUBLE, INTEGER = 2, 3, 4

# Observations streamed (pyeasee const.py ChargerStreamData): id -> (data type, reader).
STREAMED: dict[int, tuple[int, Callable[[SimCharger], Any]]] = {
    46: (INTEGER, lambda c: c.led_mode()),  # state_ledMode
    48: (DOUBLE, lambda c: c.dynamic_current),  # dynamic current
    96: (INTEGER, lambda c: c.reason()),  # state_reasonForNoCurrent
    102: (BOOLEAN, lambda c: bool(c.settings["smartCharging"])),  # state_smartCharging
    103: (BOOLEAN, lambda c: c.car_connected),  # state_cableLocked
    109: (INTEGER, lambda c: c.op_mode()),  # state_chargerOpMode
    114: (DOUBLE, lambda c: c.current() if c.is_charging else 0.0),  # state_outputCurrent
    120: (DOUBLE, lambda c: c.power_kw()),  # state_totalPower
    121: (DOUBLE, lambda c: round(c.session_energy, 3)),  # state_sessionEnergy
    124: (DOUBLE, lambda c: round(c.lifetime_energy, 3)),  # state_lifetimeEnergy
}


def garbage(charger_id: str) -> list[str]:
    """Frames a broken hub might send: odd observations, then one that is not JSON.

    Ids pyeasee does not know, values of the wrong type or that do not parse, absurd
    numbers, a charger nobody subscribed to, arguments that are not objects; last a
    frame that is not the hub protocol at all (a client drops that connection).
    """
    odd: list[Any] = [
        {"mid": charger_id, "dataType": 4, "id": 99999, "value": "1"},
        {"mid": charger_id, "dataType": 4, "id": 109, "value": "charging"},
        {"mid": charger_id, "dataType": 3, "id": 109, "value": "3"},
        {"mid": charger_id, "dataType": 3, "id": 120, "value": "NaN"},
        {"mid": charger_id, "dataType": 3, "id": 121, "value": "1e308"},
        {"mid": charger_id, "dataType": 3, "id": 114, "value": [1, 2]},
        {"mid": charger_id, "dataType": 2, "id": 42, "value": "maybe"},
        {"mid": charger_id, "dataType": "4", "id": "109", "value": 3},
        {"mid": "EH999999", "dataType": 4, "id": 109, "value": "3"},
        {"mid": None, "id": 109},
        "ProductUpdate",
        None,
    ]
    frames = [
        _record({"type": INVOCATION, "target": "ProductUpdate", "arguments": [item]})
        for item in odd
    ]
    frames.append(_record({"type": INVOCATION, "target": "ProductUpdate", "arguments": "x"}))
    frames.append(_record({"type": INVOCATION, "target": "NoSuchMethod", "arguments": []}))
    frames.append("{not json" + RECORD_END)
    return frames


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _record(message: dict[str, Any]) -> str:
    return json.dumps(message) + RECORD_END


@dataclass
class _Connection:
    """One client's websocket and what it subscribed to."""

    ws: web.WebSocketResponse
    user_id: int
    subscribed: dict[str, dict[int, str]] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class EaseeStream:
    """The hub of one simulated Easee cloud."""

    cloud: EaseeCloud
    connections: dict[str, _Connection] = field(default_factory=dict)
    negotiated: dict[str, int] = field(default_factory=dict)
    # The hub refuses every connection with this status (a hub that is down).
    refuse_status: int | None = None
    # The server is shutting down: a socket still being opened is closed at once.
    closing: bool = False
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def register(self, app: web.Application, prefix: str) -> None:
        """Add the hub's routes."""
        app.router.add_post(f"{prefix}{HUB}/negotiate", self._negotiate)
        app.router.add_get(f"{prefix}{HUB}", self._socket)
        # aiohttp waits for open handlers on shutdown: close the streams first.
        app.on_shutdown.append(self._on_shutdown)

    async def _on_shutdown(self, _app: web.Application) -> None:
        self.closing = True
        await self.drop()

    def publish(self) -> None:
        """The world may have changed: every connection sends what changed."""
        for connection in self.connections.values():
            connection.wake.set()

    async def send_raw(self, frames: list[str]) -> None:
        """Send every connection these frames as they are (a hub that sends garbage)."""
        for connection in list(self.connections.values()):
            for frame in frames:
                if not connection.ws.closed:
                    await connection.ws.send_str(frame)

    async def drop(self) -> None:
        """Close every stream (as a cloud restart does)."""
        for connection in list(self.connections.values()):
            await connection.ws.close()

    async def _negotiate(self, request: web.Request) -> web.Response:
        if self.refuse_status is not None:
            return web.Response(status=self.refuse_status)
        account = self.cloud.token_user(request)
        connection_id = f"conn-{next(self._ids)}"
        self.negotiated[connection_id] = account.user_id
        return web.json_response(
            {
                "negotiateVersion": 0,
                "connectionId": connection_id,
                "availableTransports": [
                    {"transport": "WebSockets", "transferFormats": ["Text", "Binary"]}
                ],
            }
        )

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        account = self.cloud.token_user(request)
        connection_id = request.query.get("id", "")
        if self.negotiated.pop(connection_id, None) != account.user_id:
            raise web.HTTPNotFound(text="No connection with that id")
        # A client that does not answer the close frame is not waited for long.
        ws = web.WebSocketResponse(timeout=1.0)
        await ws.prepare(request)
        if self.closing:
            await ws.close()
            return ws
        connection = _Connection(ws, account.user_id)
        self.connections[connection_id] = connection
        writer = asyncio.create_task(self._write(connection))
        try:
            await self._read(connection)
        except ConnectionResetError:
            pass  # the client went away mid-answer
        finally:
            writer.cancel()
            self.connections.pop(connection_id, None)
        return ws

    async def _read(self, connection: _Connection) -> None:
        handshaken = False
        async for message in connection.ws:
            if message.type is not WSMsgType.TEXT:
                break
            for raw in filter(None, message.data.split(RECORD_END)):
                try:
                    body = json.loads(raw)
                except ValueError:
                    await connection.ws.close()
                    return
                if not handshaken:
                    handshaken = body.get("protocol") == "json"
                    reply = {} if handshaken else {"error": "Only the json protocol is served."}
                    await connection.ws.send_str(_record(reply))
                    continue
                if body.get("type") == CLOSE:
                    await connection.ws.close()
                    return
                if body.get("type") == INVOCATION:
                    await self._invoke(connection, body)

    async def _invoke(self, connection: _Connection, body: dict[str, Any]) -> None:
        arguments = body.get("arguments") or []
        error = None
        if body.get("target") != "SubscribeWithCurrentState" or not arguments:
            error = f"Unknown hub method '{body.get('target')}'"
        else:
            charger = self.cloud.chargers.get(str(arguments[0]))
            owners = {site.id: site.owner for site in self.cloud.sites}
            if charger is None or owners.get(charger.site_id) != connection.user_id:
                error = "Not allowed"
            else:
                connection.subscribed[charger.id] = {}
                connection.wake.set()
        if body.get("invocationId") is not None:
            reply: dict[str, Any] = {"type": COMPLETION, "invocationId": body["invocationId"]}
            await connection.ws.send_str(_record(reply | ({"error": error} if error else {})))

    async def _write(self, connection: _Connection) -> None:
        """Send each change: when told (``publish``) and as the clock moves on."""
        while not connection.ws.closed:
            # The simulated world changes with the clock too (energy, due commands):
            # look at it every second (a frozen clock: each time it is moved on).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(connection.wake.wait(), WATCH_SECONDS)
            connection.wake.clear()
            self.cloud.run(publish=False)
            for charger_id, sent in connection.subscribed.items():
                charger = self.cloud.chargers.get(charger_id)
                if charger is None:
                    continue
                for obs_id, (data_type, read) in STREAMED.items():
                    value = _text(read(charger))
                    if sent.get(obs_id) == value:
                        continue
                    sent[obs_id] = value
                    update = {
                        "mid": charger_id,
                        "dataType": data_type,
                        "id": obs_id,
                        "value": value,
                    }
                    message = {"type": INVOCATION, "target": "ProductUpdate", "arguments": [update]}
                    await connection.ws.send_str(_record(message))
