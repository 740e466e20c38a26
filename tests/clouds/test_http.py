"""The HTTP core maps every way a cloud can fail to one typed error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
import time

import aiohttp
import pytest

from custom_components.smart_charging.clouds.errors import (
    AuthError,
    CloudConnectionError,
    CloudTimeoutError,
    ForbiddenError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RejectedError,
    ServerError,
    ValidationError,
)
from custom_components.smart_charging.clouds.http import HttpCore, parse_retry_after
from simulator.faults import Fault

from ..conftest import Sim


@pytest.fixture
async def core(simulator: Sim) -> HttpCore:
    """An HTTP core pointed at the simulator, with a short timeout."""
    session = aiohttp.ClientSession()
    yield HttpCore(session, simulator.root, timeout=0.5)
    await session.close()


async def test_success_returns_decoded_json(core: HttpCore) -> None:
    """A 200 with JSON gives the decoded body."""
    body = await core.request("GET", "/")
    assert body["name"] == "Smart Charging simulator"
    assert set(body["clouds"]) == {"easee", "viriciti", "ampeco", "jedlix"}


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (401, {"message": "Unauthenticated."}, AuthError, "Unauthenticated."),
        (403, {"title": "Forbidden", "status": 403}, ForbiddenError, "Forbidden"),
        (404, {"detail": "No such charger"}, NotFoundError, "No such charger"),
        (406, {"message": "Charge point refused"}, RejectedError, "Charge point refused"),
        (409, None, RejectedError, r"rejected \(409\)"),
        (
            400,
            {"error": "groupLimit must be positive"},
            ValidationError,
            "groupLimit must be positive",
        ),
    ],
)
async def test_status_maps_to_typed_error(
    core: HttpCore,
    simulator: Sim,
    status: int,
    body: object,
    error: type[Exception],
    message: str,
) -> None:
    """Each error status becomes its typed error, carrying the cloud's message."""
    simulator.sim.faults.add(Fault(path="/x", status=status, body=body))
    with pytest.raises(error, match=message):
        await core.request("GET", "/x")


async def test_422_keeps_field_errors(core: HttpCore, simulator: Sim) -> None:
    """A 422 names the fields the cloud rejected, so an action can show them."""
    simulator.sim.faults.add(
        Fault(
            path="/x",
            status=422,
            body={
                "message": "The given data was invalid.",
                "errors": {"preferences.startTime": ["The start time is invalid."], "type": "bad"},
            },
        )
    )
    with pytest.raises(ValidationError) as caught:
        await core.request("POST", "/x", json_body={})
    assert caught.value.message == "The given data was invalid."
    assert caught.value.field_errors == {
        "preferences.startTime": ["The start time is invalid."],
        "type": ["bad"],
    }


async def test_429_with_retry_after_blocks_further_requests(core: HttpCore, simulator: Sim) -> None:
    """After a 429 with Retry-After, nothing is sent to the cloud until it has passed."""
    simulator.sim.faults.add(Fault(path="/", status=429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimitedError) as caught:
        await core.request("GET", "/")
    assert caught.value.retry_after == 120
    sent = len(simulator.sim.log.entries)
    with pytest.raises(RateLimitedError) as again:
        await core.request("GET", "/")
    assert 0 < (again.value.retry_after or 0) <= 120
    assert len(simulator.sim.log.entries) == sent


async def test_429_without_retry_after(core: HttpCore, simulator: Sim) -> None:
    """A 429 without Retry-After is still rate limiting, with no wait to honour."""
    simulator.sim.faults.add(Fault(path="/", status=429))
    with pytest.raises(RateLimitedError) as caught:
        await core.request("GET", "/")
    assert caught.value.retry_after is None
    assert (await core.request("GET", "/"))["name"]


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_a_server_error(core: HttpCore, simulator: Sim, status: int) -> None:
    """A 5xx is a passing fault of the cloud."""
    simulator.sim.faults.add(Fault(path="/", status=status))
    with pytest.raises(ServerError) as caught:
        await core.request("GET", "/")
    assert caught.value.status == status


async def test_timeout(core: HttpCore, simulator: Sim) -> None:
    """A cloud slower than the timeout raises a timeout error."""
    simulator.sim.faults.add(Fault(path="/", kind="delay", delay=2))
    with pytest.raises(CloudTimeoutError):
        await core.request("GET", "/")


async def test_dropped_connection(core: HttpCore, simulator: Sim) -> None:
    """A connection closed without an answer, every time, is a connection error.

    (aiohttp itself retries a request once on a dropped keep-alive connection, so a
    single drop can go unnoticed; that is fine, and not what this test is about.)
    """
    simulator.sim.faults.add(Fault(path="/", kind="drop", times=None))
    with pytest.raises(CloudConnectionError):
        await core.request("GET", "/")


async def test_nothing_listening(simulator: Sim) -> None:
    """A refused connection is a connection error."""
    port = simulator.server.port
    await simulator.server.close()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(CloudConnectionError):
            await HttpCore(session, f"http://127.0.0.1:{port}").request("GET", "/")


async def test_invalid_json(core: HttpCore, simulator: Sim) -> None:
    """A 200 whose body is not JSON is an invalid response."""
    simulator.sim.faults.add(Fault(path="/", kind="malformed"))
    with pytest.raises(InvalidResponseError):
        await core.request("GET", "/")


async def test_unexpected_status(core: HttpCore, simulator: Sim) -> None:
    """A status no cloud documents is an invalid response, not a success."""
    simulator.sim.faults.add(Fault(path="/", status=418, body={"message": "teapot"}))
    with pytest.raises(InvalidResponseError, match="418"):
        await core.request("GET", "/")


def test_retry_after_forms() -> None:
    """Retry-After is read as seconds or as an HTTP date, and capped."""
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after(" 30 ") == 30
    assert parse_retry_after("-5") == 0
    assert parse_retry_after("999999") == 3600
    now = time.time()
    later = datetime.fromtimestamp(now, UTC) + timedelta(seconds=90)
    assert parse_retry_after(format_datetime(later, usegmt=True), now=now) == pytest.approx(
        90, abs=1
    )
