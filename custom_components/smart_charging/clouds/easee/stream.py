"""Easee's charger stream: a SignalR hub that pushes each observation as it happens.

pyeasee 0.8.21 (``easee.py``: ``_sr_connect_loop``, ``_sr_open_cb``, ``sr_subscribe``)
connects pysignalr to ``https://streams.easee.com/hubs/chargers`` with the REST bearer
token, invokes ``SubscribeWithCurrentState`` with ``[chargerId, true]`` for each charger
once connected, and receives ``ProductUpdate`` with ``{mid, dataType, id, value}``
(first the current values, then each change). We do the same with pysignalr, so the
protocol is not written by hand here; this module decides when to connect, with which
token, what to subscribe to and how long to wait after a failure.

The stream is a bonus on top of polling, so nothing it receives may break anything:
a frame that is not the hub protocol ends that connection (and a new one is made after
a pause); an observation we cannot read is ignored or read as unknown (see
``observations.py``). Nothing secret is logged: tokens travel in headers only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from http import HTTPStatus
import json
import logging
import time
from typing import Any, Final

from aiohttp import ClientSession, ClientTimeout
from pysignalr.client import SignalRClient
from pysignalr.exceptions import AuthorizationError, ConnectionError as HubConnectionError
from pysignalr.messages import PingMessage
from pysignalr.transport.abstract import ConnectionState
from pysignalr.transport.websocket import WebsocketTransport
from pysignalr.utils import get_connection_url, get_negotiate_url
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from ..errors import AuthError, RateLimitedError
from ..http import parse_retry_after
from .observations import Observation, parse_observation

_LOGGER = logging.getLogger(__name__)

SUBSCRIBE: Final = "SubscribeWithCurrentState"
# A negotiate answer is a few hundred bytes; more is not a hub we can use.
NEGOTIATE_LIMIT: Final = 64 * 1024
# Seconds to wait before the n-th attempt in a row (then the last, 5 minutes, again).
BACKOFF: Final = (2.0, 10.0, 30.0, 60.0, 120.0, 300.0)
# A connection that stayed up this long was healthy: the next failure starts the
# backoff anew. (A hub that accepts and then fails at once keeps backing off.)
STABLE_SECONDS: Final = 300.0


def backoff(attempt: int) -> float:
    """Seconds before reconnect attempt ``attempt`` (1 for the first after a failure)."""
    return BACKOFF[min(max(attempt, 1), len(BACKOFF)) - 1]


class _NoCredentials(logging.Filter):
    """Keeps the bearer token out of the websocket's debug log (it logs each header)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "authorization" not in str(record.msg).lower() and not any(
            "bearer" in str(arg).lower() for arg in record.args or ()
        )


# websockets logs the handshake's headers, the token among them, to the logger it is
# given: pysignalr's, filtered.
_TRANSPORT_LOGGER = logging.getLogger("pysignalr.transport")
_TRANSPORT_LOGGER.addFilter(_NoCredentials())


class _Transport(WebsocketTransport):
    """pysignalr's websocket transport: one attempt per run, a keepalive that ends with it.

    pysignalr 1.3.3 iterates websockets' ``connect``, which connects again by itself after
    a network error or a 5xx, without a new negotiation and without asking us: a request
    Easee's Retry-After or our backoff would not allow. Here each run makes one attempt
    (``await connect``), and :class:`ChargerStream` decides about the next. pysignalr also
    gathers its reader and its keepalive without cancelling one when the other fails, so
    each lost connection left a keepalive task behind for a while.
    """

    async def _loop(self) -> None:
        await self._set_state(ConnectionState.connecting)
        await self._negotiate()
        conn = await connect(
            self._url,
            additional_headers=self._headers,
            ping_interval=self._ping_interval,
            open_timeout=self._connection_timeout,
            close_timeout=self._connection_timeout,
            max_size=self._max_size,
            logger=_TRANSPORT_LOGGER,
        )
        try:
            await self._handshake(conn)
            self._ws = conn
            await self._set_state(ConnectionState.connected)
            await asyncio.gather(self._process(conn), self._keepalive(conn))
        except ConnectionClosed:
            self._ws = None
            await self._set_state(ConnectionState.reconnecting)
        finally:
            _drop(conn)

    async def _keepalive(self, conn: ClientConnection) -> None:
        while True:
            try:
                async with asyncio.timeout(self._signalr_ping_interval):
                    await conn.wait_closed()
            except TimeoutError:
                await conn.send(self._protocol.encode(PingMessage()))
            else:
                return

    async def _negotiate(self) -> None:
        """pysignalr's negotiation, without following a redirect.

        pysignalr follows redirects with the bearer token in the headers, reads an answer
        of any size, and takes another address (Azure's ``url``) from it. Here a redirect
        or an answer without a ``connectionId`` is a failed attempt, the answer is read up
        to ``NEGOTIATE_LIMIT``, and the token only ever goes to the hub's own address.
        """
        timeout = ClientTimeout(total=self._connection_timeout)
        async with (
            ClientSession(timeout=timeout) as session,
            session.post(
                get_negotiate_url(self._url), headers=self._headers, allow_redirects=False
            ) as response,
        ):
            if response.status == HTTPStatus.UNAUTHORIZED:
                raise AuthorizationError
            if response.status == HTTPStatus.TOO_MANY_REQUESTS:
                # Easee's limit counts the hub too: no request of any kind before it allows.
                raise RateLimitedError(parse_retry_after(response.headers.get("Retry-After")))
            if response.status != HTTPStatus.OK:
                raise HubConnectionError(response.status)
            body = await response.content.read(NEGOTIATE_LIMIT + 1)
            # Sticky-session cookies of the hub's own address go with the websocket.
            cookies = "; ".join(
                f"{key}={morsel.coded_value}" for key, morsel in response.cookies.items()
            )
        if len(body) > NEGOTIATE_LIMIT:
            raise HubConnectionError(response.status)
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        connection_id = data.get("connectionId") if isinstance(data, dict) else None
        if not isinstance(connection_id, str) or not connection_id:
            raise HubConnectionError(response.status)
        self._url = get_connection_url(self._url, connection_id)
        if cookies:
            self._headers["Cookie"] = cookies

    async def _handshake(self, conn: ClientConnection) -> None:
        # Known from the start, so that :meth:`close` can close it mid-handshake too.
        self.connection = conn
        await super()._handshake(conn)

    async def close(self) -> None:
        """Drop the websocket, if one is open (pysignalr itself has no close)."""
        connection = getattr(self, "connection", None)
        if isinstance(connection, ClientConnection):
            _drop(connection)


def _drop(conn: ClientConnection) -> None:
    """End a connection at once, without the closing handshake.

    A hub busy sending to us does not read our close frame until its send is done, and we
    no longer read: waiting for its answer held up the entry's unload (the benchmark's
    500 chargers hung there). Dropping the socket ends it for both sides now.
    """
    conn.transport.abort()


class _Client(SignalRClient):
    """pysignalr's client on :class:`_Transport`."""

    def __init__(self, url: str, token: str) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        super().__init__(url, headers=headers, retry_count=1)
        self._transport = self._websocket = _Transport(
            url=url,
            protocol=self._protocol,
            callback=self._on_message,
            headers=headers,
            retry_count=1,
            # The hub protocol's own pings keep the connection alive; the websocket's
            # pings would also close it when a pong is late (Home Assistant's clock
            # jumping makes that happen without a network fault).
            ping_interval=None,  # type: ignore[arg-type]
        )

    async def close(self) -> None:
        """Close the connection now."""
        await self._websocket.close()


class _Closed(Exception):
    """Ends pysignalr's run when the connection closes, so that we reconnect ourselves."""


# ``renew``: True when the hub refused the last token and a new one is needed.
TokenSource = Callable[[bool], Awaitable[str]]


class ChargerStream:
    """One account's subscription to the charger hub, kept up until cancelled.

    ``on_observation`` is called for each observation we use; ``on_health`` with True
    once subscribed and with False when the connection is lost. :meth:`run` returns
    only by cancellation, or raises :class:`AuthError` when the hub refused a token and
    the token endpoint then refused the credentials (reauthentication is needed).
    """

    def __init__(
        self,
        url: str,
        token: TokenSource,
        on_observation: Callable[[Observation], None],
        on_health: Callable[[bool], None],
        on_rate_limited: Callable[[float], None] | None = None,
    ) -> None:
        self.url = url
        self._token = token
        self._on_observation = on_observation
        self._on_health = on_health
        # Told how long the hub asked to wait, so that polling waits as long.
        self._on_rate_limited = on_rate_limited
        self._chargers: set[str] = set()
        self._client: _Client | None = None
        self.connected = False
        self.attempts = 0
        # When the current connection was subscribed (None: it was not).
        self._connected_at: float | None = None

    async def subscribe(self, charger_ids: Iterable[str]) -> None:
        """Follow these chargers (now if connected, else from the next connection)."""
        new = set(charger_ids) - self._chargers
        self._chargers |= new
        if self.connected and self._client is not None:
            for charger_id in sorted(new):
                await self._send_subscribe(self._client, charger_id)

    async def run(self) -> None:
        """Connect, subscribe, and reconnect after each failure with a growing pause."""
        # Renew the token for the next attempt (the hub refused the last one); whether
        # this failure already had its immediate retry.
        renew = retried = False
        while True:
            self._connected_at = None
            try:
                token = await self._token(renew)
                renew = False
                client = self._client = _Client(self.url, token)
                client.on_open(self._opened)
                client.on_close(self._closed)
                client.on_error(self._hub_error)
                client.on("ProductUpdate", self._product_update)
                client.on("CommandResponse", self._ignored)
                await client.run()
            except asyncio.CancelledError:
                # Stopped (unload): no news of health; :meth:`close` closes the socket.
                self.connected = False
                raise
            except AuthError:
                # The token endpoint refused the credentials: only the user can help.
                raise
            except (AuthorizationError, InvalidStatus) as err:
                if isinstance(err, InvalidStatus) and err.response.status_code == 429:
                    # The websocket's upgrade answered 429: as for the negotiate.
                    header = err.response.headers.get("Retry-After")
                    await self._rate_limited(parse_retry_after(header))
                    continue
                if not isinstance(err, InvalidStatus) or err.response.status_code == 401:
                    renew = True
                    if not retried:
                        retried = True
                        # Renew the token (a refresh, else a new sign-in; refused
                        # credentials raise AuthError there) and try again at once.
                        continue
                    # The hub refuses a token the REST API just gave: the hub's fault,
                    # not the credentials'. Try again later, renewing again.
                    _LOGGER.debug("The Easee hub refused a renewed token")
                else:
                    _LOGGER.debug("The Easee hub refused (%s)", err.response.status_code)
            except RateLimitedError as err:
                await self._rate_limited(err.retry_after)
                continue
            except _Closed:
                _LOGGER.debug("The Easee stream closed")
            except Exception as err:  # a broken hub must not stop us
                # Only the type: a message might quote what the hub sent.
                _LOGGER.debug("The Easee stream failed: %s", type(err).__name__)
            self._client = None
            self._set_connected(False)
            retried = False
            if self._was_stable():
                self.attempts = 0
            self.attempts += 1
            await asyncio.sleep(backoff(self.attempts))

    async def _rate_limited(self, retry_after: float | None) -> None:
        """Easee asked to wait: no attempt (and, told, no poll) before it allows one."""
        self._client = None
        if retry_after and self._on_rate_limited is not None:
            self._on_rate_limited(retry_after)
        await asyncio.sleep(max(retry_after or 0.0, backoff(self.attempts + 1)))

    async def close(self) -> None:
        """Close the connection now (on unload), so that no socket outlives us."""
        client, self._client = self._client, None
        self.connected = False
        if client is not None:
            await client.close()

    def _was_stable(self) -> bool:
        """Whether the connection that just ended had been up for a while."""
        up_since = self._connected_at
        return up_since is not None and time.time() - up_since >= STABLE_SECONDS

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._on_health(connected)

    async def _send_subscribe(self, client: _Client, charger_id: str) -> None:
        arguments: list[Any] = [charger_id, True]
        await client.send(SUBSCRIBE, arguments)

    async def _opened(self) -> None:
        client = self._client
        if client is None:
            return
        for charger_id in sorted(self._chargers):
            await self._send_subscribe(client, charger_id)
        self._connected_at = time.time()
        self._set_connected(True)

    async def _closed(self) -> None:
        if self.connected or self._client is not None:
            raise _Closed

    async def _hub_error(self, message: Any) -> None:
        # A subscription the hub refused (a charger no longer ours): polling covers it.
        _LOGGER.debug("The Easee hub answered an error")

    async def _ignored(self, arguments: Any) -> None:
        """``CommandResponse``: commands are confirmed by reading the charger."""

    async def _product_update(self, arguments: Any) -> None:
        for item in arguments if isinstance(arguments, list) else []:
            observation = parse_observation(item)
            if observation is not None and observation.charger_id in self._chargers:
                self._on_observation(observation)
