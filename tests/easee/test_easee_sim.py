"""The simulated Easee cloud follows seed 003 and answers like the real one."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import json
from typing import Any

import aiohttp
import pytest

from simulator.easee import OBS_CHARGING_SESSION, RATE_LIMIT

from ..conftest import Sim

LOGIN = {"userName": "demo@example.com", "password": "demo-password"}


class Client:
    """A signed-in HTTP session against the simulated Easee cloud."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session, self.base, self.token = session, base, ""

    async def login(self) -> dict[str, Any]:
        """Sign in as the demo user and keep the access token."""
        async with self.session.post(f"{self.base}/api/accounts/login", json=LOGIN) as response:
            assert response.status == 200
            body: dict[str, Any] = await response.json()
        self.token = body["accessToken"]
        return body

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send a request with the token; return the status and the decoded body."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.request(
            method, f"{self.base}{path}", json=body, headers=headers
        ) as response:
            text = await response.text()
            return response.status, json.loads(text) if text else None


@pytest.fixture
async def client(simulator: Sim) -> AsyncGenerator[Client]:
    """A signed-in client."""
    async with aiohttp.ClientSession() as session:
        client = Client(session, simulator.url("easee"))
        await client.login()
        yield client


async def test_wrong_password_and_missing_token(simulator: Sim) -> None:
    """A wrong password is a 400 with Easee's error code; no token is a 401."""
    async with aiohttp.ClientSession() as session:
        base = simulator.url("easee")
        response = await session.post(
            f"{base}/api/accounts/login", json={**LOGIN, "password": "nope"}
        )
        assert response.status == 400
        assert (await response.json())["errorCodeName"] == "InvalidUserPassword"
        assert (await session.get(f"{base}/api/chargers")).status == 401


async def test_refresh_token_works_once(client: Client, simulator: Sim) -> None:
    """A refresh token gives a new pair once; the old access token is then invalid."""
    tokens = await client.login()
    body = {"accessToken": tokens["accessToken"], "refreshToken": tokens["refreshToken"]}
    status, fresh = await client.call("POST", "/api/accounts/refresh_token", body)
    assert status == 200
    assert fresh["refreshToken"] != tokens["refreshToken"]
    status, _ = await client.call("POST", "/api/accounts/refresh_token", body)
    assert status == 401
    assert (await client.call("GET", "/api/chargers"))[0] == 401
    client.token = fresh["accessToken"]
    assert (await client.call("GET", "/api/chargers"))[0] == 200


async def test_tokens_expire_with_the_clock(client: Client, simulator: Sim) -> None:
    """An access token stops working after its lifetime."""
    simulator.sim.clock.advance(3601)
    assert (await client.call("GET", "/api/chargers"))[0] == 401


async def test_authorization_required_waits_with_reason_55(client: Client, simulator: Sim) -> None:
    """Seed 003: without authorization, op mode 2, reason 55 and LED mode 25."""
    simulator.easee.chargers["EH000002"].plug_in(10, simulator.sim.now())
    _, state = await client.call("GET", "/api/chargers/EH000002/state")
    assert (state["chargerOpMode"], state["reasonForNoCurrent"], state["ledMode"]) == (2, 55, 25)
    status, accepted = await client.call("POST", "/api/chargers/EH000002/commands/start_charging")
    assert status == 202
    assert accepted["device"] == "EH000002"
    assert accepted["ticks"] == 1
    # Commands take effect shortly after, not at once.
    assert (await client.call("GET", "/api/chargers/EH000002/state"))[1]["chargerOpMode"] == 2
    simulator.sim.clock.advance(3)
    assert (await client.call("GET", "/api/chargers/EH000002/state"))[1]["chargerOpMode"] == 3


async def test_a_command_that_changes_nothing_has_no_ticks(client: Client) -> None:
    """Resuming a charger that is not paused is accepted with ticks 0."""
    status, accepted = await client.call("POST", "/api/chargers/EH000001/commands/resume_charging")
    assert (status, accepted["ticks"]) == (202, 0)
    assert (await client.call("POST", "/api/chargers/EH000001/commands/explode"))[0] == 404


async def test_pause_keeps_the_session_authorized(client: Client, simulator: Sim) -> None:
    """Pause and resume stop and start the current without a new authorization."""
    await client.call("POST", "/api/chargers/EH000001/commands/pause_charging")
    simulator.sim.clock.advance(3)
    _, state = await client.call("GET", "/api/chargers/EH000001/state")
    assert (state["chargerOpMode"], state["reasonForNoCurrent"], state["totalPower"]) == (2, 52, 0)
    await client.call("POST", "/api/chargers/EH000001/commands/resume_charging")
    simulator.sim.clock.advance(3)
    assert (await client.call("GET", "/api/chargers/EH000001/state"))[1]["chargerOpMode"] == 3


async def test_authorization_settings_exclude_each_other(client: Client, simulator: Sim) -> None:
    """Turning local pre-authorization on turns authorization required off, and back."""
    await client.call("POST", "/api/chargers/EH000002/settings", {"localPreAuthorizeEnabled": True})
    simulator.sim.clock.advance(3)
    _, config = await client.call("GET", "/api/chargers/EH000002/config")
    assert (config["localPreAuthorizeEnabled"], config["authorizationRequired"]) == (True, False)
    await client.call("POST", "/api/chargers/EH000002/settings", {"authorizationRequired": True})
    simulator.sim.clock.advance(3)
    _, config = await client.call("GET", "/api/chargers/EH000002/config")
    assert (config["localPreAuthorizeEnabled"], config["authorizationRequired"]) == (False, True)
    status, error = await client.call(
        "POST",
        "/api/chargers/EH000002/settings",
        {"authorizationRequired": True, "localPreAuthorizeEnabled": True},
    )
    assert status == 400
    assert "localPreAuthorizeEnabled" in error["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"smartCharging": "yes"}, "smartCharging"),
        ({"dynamicChargerCurrent": 40}, "dynamicChargerCurrent"),
        ({"maxChargerCurrent": -1}, "maxChargerCurrent"),
        ({"dynamicChargerCurrent": True}, "dynamicChargerCurrent"),
        ({"turbo": True}, "turbo"),
        ({}, "body"),
    ],
)
async def test_settings_are_validated(client: Client, body: dict[str, Any], field: str) -> None:
    """Wrong settings get a 400 naming the field, the way an ASP.NET API does."""
    status, error = await client.call("POST", "/api/chargers/EH000002/settings", body)
    assert status == 400
    assert field in error["errors"]


async def test_offline_sessions_report_their_auth_reason(client: Client, simulator: Sim) -> None:
    """Seed 003: offline sessions come back in observation 129 with AuthReason 3 or 4."""
    charger = simulator.easee.chargers["EH000002"]
    assert charger.offline_session(5.0, simulator.sim.now()) == 3
    path = f"/state/EH000002/observations?ids={OBS_CHARGING_SESSION}"
    _, observations = await client.call("GET", path)
    assert json.loads(observations[0]["value"])["AuthReason"] == 3
    charger.settings["allowOfflineTxForUnknownId"] = True
    assert charger.offline_session(2.0, simulator.sim.now()) == 4
    charger.settings["allowOfflineTxForUnknownId"] = False
    charger.settings["localAuthorizeOfflineEnabled"] = False
    assert charger.offline_session(1.0, simulator.sim.now()) is None


async def test_observations_by_id(client: Client, simulator: Sim) -> None:
    """Observations 109 (op mode) and 96 (reason) of seed 003, asked for by id."""
    charger = simulator.easee.chargers["EH000001"]
    _, observations = await client.call("GET", "/state/EH000001/observations?ids=109,96,68")
    # 68 is the internal temperature (pyeasee's table), which the simulator does not keep.
    assert {o["id"]: o["value"] for o in observations} == {
        109: charger.op_mode(),
        96: charger.reason(),
    }
    assert (await client.call("GET", "/state/EH000001/observations?ids=x"))[0] == 400
    assert (await client.call("GET", "/state/EH000001/observations"))[0] == 400


async def test_circuit_dynamic_current_shares_power(client: Client, simulator: Sim) -> None:
    """Lowering a circuit's dynamic current lowers the power of its charging chargers."""
    status, _ = await client.call(
        "POST",
        "/api/sites/501/circuits/601/dynamicCurrent",
        {"phase1": 10, "phase2": 10, "phase3": 10, "timeToLive": 5},
    )
    assert status == 202
    _, state = await client.call("GET", "/api/chargers/EH000001/state")
    assert state["outputCurrent"] == 10
    _, current = await client.call("GET", "/api/sites/501/circuits/601/dynamicCurrent")
    assert current == {"phase1": 10.0, "phase2": 10.0, "phase3": 10.0}
    simulator.sim.clock.advance(301)
    assert (await client.call("GET", "/api/chargers/EH000001/state"))[1]["outputCurrent"] == 25
    status, error = await client.call(
        "POST", "/api/sites/501/circuits/601/dynamicCurrent", {"phase1": 99, "timeToLive": -1}
    )
    assert status == 400
    assert set(error["errors"]) == {"phase1", "phase2", "phase3", "timeToLive"}
    assert (await client.call("GET", "/api/sites/999/state"))[0] == 404
    assert (await client.call("GET", "/api/sites/501/circuits/9/dynamicCurrent"))[0] == 404


async def test_rate_limit(client: Client) -> None:
    """Past about 500 requests in 5 minutes the cloud answers 429 with Retry-After."""
    statuses = [(await client.call("GET", "/api/sites"))[0] for _ in range(RATE_LIMIT + 1)]
    assert statuses == [200] * RATE_LIMIT + [429]
