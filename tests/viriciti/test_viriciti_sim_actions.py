"""The simulated station actions (``6_Actions``), spoken to over HTTP like a client would.

The simulator serves exactly the four documented actions with the OCPP 1.6 bodies the
page shows, and refuses anything else.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from ..conftest import Sim

KEY = "viriciti-demo-key"


async def _post(
    http: aiohttp.ClientSession,
    simulator: Sim,
    identity: str,
    action: str,
    body: Any,
    key: str | None = KEY,
) -> tuple[int, Any]:
    url = f"{simulator.url('viriciti')}/api/v1/chargestations/{identity}/actions/{action}"
    headers = {"x-api-key": key} if key else {}
    async with http.post(url, json=body, headers=headers) as response:
        text = await response.text()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text


def _accepted(status: str = "Accepted") -> tuple[int, Any]:
    return 200, {"status": status}


async def test_the_documented_examples_are_accepted(
    http: aiohttp.ClientSession, simulator: Sim
) -> None:
    """Each body as the page shows it (with a real transaction id) gets a status."""
    station = simulator.viriciti.stations["charger_1"]
    transaction = station.transactions[1]

    async def post(action: str, body: Any, identity: str = "charger_1") -> tuple[int, Any]:
        return await _post(http, simulator, identity, action, body)

    inoperative = {"type": "Inoperative"}
    assert await post("change-availability", {"connectorId": 2, **inoperative}) == _accepted()
    assert await post("change-availability", {"connectorId": 1, **inoperative}) == _accepted(
        "Scheduled"
    )
    stop = {"transactionId": transaction}
    assert await post("remote-stop-transaction", stop) == _accepted()
    # The scheduled change takes effect as the transaction ends.
    assert station.unavailable == {1, 2}
    operative = {"connectorId": 0, "type": "Operative"}
    assert await post("change-availability", operative) == _accepted()
    assert station.unavailable == set()
    start = {"idTag": "ABCDE1234", "connectorId": 1}
    assert await post("remote-start-transaction", start) == _accepted()
    assert station.charging == {1}
    assert await post("reset", {"type": "Hard"}, "charger_2") == _accepted()
    assert simulator.viriciti.stations["charger_2"].charging == set()


async def test_what_the_charger_cannot_do_is_rejected(
    http: aiohttp.ClientSession, simulator: Sim
) -> None:
    """A connector it lacks, a transaction it does not run, a start without a car."""
    for action, body in (
        ("change-availability", {"connectorId": 3, "type": "Inoperative"}),
        ("remote-stop-transaction", {"transactionId": 1}),
        ("remote-start-transaction", {"idTag": "ABCDE1234", "connectorId": 2}),
        ("remote-start-transaction", {"idTag": "ABCDE1234"}),
    ):
        assert await _post(http, simulator, "charger_1", action, body) == _accepted("Rejected"), (
            action
        )


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("change-availability", {"connectorId": 1}),
        ("change-availability", {"connectorId": "1", "type": "Inoperative"}),
        ("change-availability", {"connectorId": True, "type": "Operative"}),
        ("change-availability", {"connectorId": 1, "type": "Unavailable"}),
        ("reset", {"type": "hard"}),
        ("reset", {}),
        ("remote-stop-transaction", {"transactionId": "1001"}),
        ("remote-start-transaction", {"idTag": "X" * 21, "connectorId": 1}),
        ("remote-start-transaction", {"connectorId": 1}),
        ("remote-start-transaction", {"idTag": "A", "connectorId": 1, "chargingProfile": {}}),
        ("reset", ["Soft"]),
    ],
)
async def test_bodies_the_page_does_not_show_are_refused(
    http: aiohttp.ClientSession, simulator: Sim, action: str, body: Any
) -> None:
    """400 with ``{"error"}``; the world is unchanged."""
    status, answer = await _post(http, simulator, "charger_1", action, body)
    assert status == 400
    assert set(answer) == {"error"}
    assert simulator.viriciti.stations["charger_1"].charging == {1}


async def test_unknown_station_action_and_key(http: aiohttp.ClientSession, simulator: Sim) -> None:
    """An unknown station is a 404, an undocumented action too, a missing key a 401."""
    body = {"type": "Soft"}
    assert (await _post(http, simulator, "nope", "reset", body))[0] == 404
    assert (await _post(http, simulator, "charger_1", "unlock-connector", {}))[0] == 404
    assert (await _post(http, simulator, "charger_1", "reset", body, key=None))[0] == 401
    url = f"{simulator.url('viriciti')}/api/v1/chargestations/charger_1/actions/reset"
    async with http.get(url, headers={"x-api-key": KEY}) as response:
        assert response.status == 405
    # There is still no documented list of stations.
    async with http.get(
        f"{simulator.url('viriciti')}/api/v1/chargestations", headers={"x-api-key": KEY}
    ) as response:
        assert response.status == 404
