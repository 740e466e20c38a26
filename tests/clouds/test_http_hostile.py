"""A hostile or broken cloud: redirects elsewhere, bytes that are not JSON, personal ids.

Credentials are for the cloud's own address: an answer that redirects is an error and
nothing is sent to the address it names, whichever cloud and whichever credential (a
password, an API key header, a client secret). What a cloud sends that is not UTF-8 JSON
is a typed error, never a traceback. A user id in a path never reaches a log line.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
import logging

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
import pytest

from custom_components.smart_charging.clouds.easee.client import EaseeClient
from custom_components.smart_charging.clouds.errors import (
    CloudTimeoutError,
    InvalidResponseError,
    SmartChargingError,
)
from custom_components.smart_charging.clouds.http import HttpCore
from custom_components.smart_charging.clouds.jedlix.client import JedlixClient
from custom_components.smart_charging.clouds.viriciti.client import ViricitiClient
from simulator.faults import Fault
from simulator.jedlix import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER_ID

from ..conftest import Sim


@dataclass
class Elsewhere:
    """A server on another loopback address that records whatever reaches it."""

    url: str
    received: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
async def elsewhere(socket_enabled: None) -> AsyncGenerator[Elsewhere]:
    """Another origin (127.0.0.2), answering every request as a cloud would."""
    seen = Elsewhere("")

    async def record(request: web.Request) -> web.Response:
        seen.received.append(
            (request.method, request.path, dict(request.headers), await request.read())
        )
        return web.json_response({"accessToken": "x", "refreshToken": "y", "expiresIn": 3600})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    server = TestServer(app, host="127.0.0.2")
    await server.start_server()
    seen.url = str(server.make_url("")).rstrip("/")
    try:
        yield seen
    finally:
        await server.close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_easee_password_never_follows_a_redirect(
    simulator: Sim, http: aiohttp.ClientSession, elsewhere: Elsewhere, status: int
) -> None:
    """A login answered with a redirect fails; the password is not posted elsewhere."""
    simulator.sim.faults.add(
        Fault(
            path="/easee/api/accounts/login",
            status=status,
            headers={"Location": f"{elsewhere.url}/api/accounts/login"},
        )
    )
    client = EaseeClient(http, simulator.url("easee"), "demo@example.com", "demo-password")
    with pytest.raises(InvalidResponseError, match="redirected"):
        await client.async_identify()
    assert elsewhere.received == []


async def test_api_key_headers_never_follow_a_redirect(
    simulator: Sim, http: aiohttp.ClientSession, elsewhere: Elsewhere
) -> None:
    """ViriCiti's x-api-key and Jedlix's ApiKey and token stay with their own cloud."""
    for path in ("/viriciti", "/jedlix"):
        simulator.sim.faults.add(
            Fault(path=path, status=302, headers={"Location": f"{elsewhere.url}/steal"})
        )
    viriciti = ViricitiClient(
        http, simulator.url("viriciti"), "viriciti-demo-key", ("ViriCitiGroup",)
    )
    jedlix = JedlixClient(
        http, simulator.url("jedlix"), "jedlix-demo-key", DEMO_USER_ID, "jedlix-demo-token"
    )
    for client in (viriciti, jedlix):
        with pytest.raises(InvalidResponseError, match="redirected"):
            await client.async_identify()
    assert elsewhere.received == []


async def test_client_secret_never_follows_a_redirect(
    simulator: Sim, http: aiohttp.ClientSession, elsewhere: Elsewhere
) -> None:
    """The client-credentials grant is not re-posted to where a redirect points."""
    simulator.sim.faults.add(
        Fault(
            path="/jedlix/connect/token",
            status=307,
            headers={"Location": f"{elsewhere.url}/connect/token"},
        )
    )
    client = JedlixClient(
        http,
        simulator.url("jedlix"),
        "jedlix-demo-key",
        DEMO_USER_ID,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        token_url=f"{simulator.url('jedlix')}/connect/token",
    )
    with pytest.raises(InvalidResponseError, match="redirected"):
        await client.async_identify()
    assert elsewhere.received == []


async def test_a_redirect_to_the_same_cloud_is_not_followed_either(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """Even a redirect within the cloud is an error: an API does not move its resources."""
    simulator.sim.faults.add(
        Fault(path="/x", status=301, headers={"Location": f"{simulator.root}/y"})
    )
    with pytest.raises(InvalidResponseError, match="redirected"):
        await HttpCore(http, simulator.root).request("GET", "/x")
    assert [entry.path for entry in simulator.sim.log.entries] == ["/x"]


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ('{"name": "caf\xe9"}', "Latin-1, not UTF-8"),
        ("\xff\xfe{}", "a stray byte order mark of UTF-16"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than Python reads"),
        ('{"a": 1} trailing', "JSON followed by garbage"),
        ("NaN-ish", "not JSON at all"),
    ],
)
async def test_an_answer_that_is_not_utf8_json_is_a_typed_error(
    simulator: Sim, http: aiohttp.ClientSession, body: str, what: str
) -> None:
    """A success whose body cannot be read is an InvalidResponseError, whatever it holds."""
    simulator.sim.faults.add(Fault(path="/x", kind="raw", status=200, body=body))
    with pytest.raises(InvalidResponseError, match="not JSON"):
        await HttpCore(http, simulator.root).request("GET", "/x")


async def test_an_error_answer_that_is_not_json_keeps_its_status(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """A 503 with undecodable bytes is still the server error it says it is."""
    simulator.sim.faults.add(Fault(path="/x", kind="raw", status=503, body="\xff\xff"))
    with pytest.raises(SmartChargingError, match="server error 503"):
        await HttpCore(http, simulator.root).request("GET", "/x")


async def test_the_jedlix_user_id_never_reaches_a_log_line(
    simulator: Sim, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """Paths name the user; debug lines and error messages show it masked."""
    caplog.set_level(logging.DEBUG, logger="custom_components.smart_charging")
    client = JedlixClient(
        http, simulator.url("jedlix"), "jedlix-demo-key", DEMO_USER_ID, "jedlix-demo-token"
    )
    await client.async_vehicles()
    simulator.sim.faults.add(Fault(path="/jedlix", kind="delay", delay=2))
    client.http._timeout = aiohttp.ClientTimeout(total=0.2)
    with pytest.raises(CloudTimeoutError) as caught:
        await client.async_vehicles()
    assert DEMO_USER_ID not in str(caught.value)
    assert "/users/***/vehicles" in caplog.text
    assert DEMO_USER_ID not in caplog.text
