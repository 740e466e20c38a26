"""The simulator's admin path: clock, request log and fault injection over HTTP."""

from __future__ import annotations

import aiohttp

from .conftest import Sim


async def test_clock_advances_and_jumps(simulator: Sim) -> None:
    """Tests move the simulated clock forward or set it."""
    async with aiohttp.ClientSession() as session:
        start = await (await session.get(f"{simulator.root}/_admin/clock")).json()
        assert start == {"now": "2026-11-23T12:00:00+00:00", "speed": 0.0}
        moved = await session.post(f"{simulator.root}/_admin/clock", json={"advance": 90})
        assert (await moved.json())["now"] == "2026-11-23T12:01:30+00:00"
        jumped = await session.post(
            f"{simulator.root}/_admin/clock", json={"set": "2027-01-01T00:00:00+01:00"}
        )
        assert (await jumped.json())["now"] == "2026-12-31T23:00:00+00:00"
        bad = await session.post(f"{simulator.root}/_admin/clock", json={"tomorrow": 1})
        assert bad.status == 400


async def test_request_log_records_cloud_calls_only(simulator: Sim) -> None:
    """Every call to a cloud is logged with its status; admin calls are not."""
    async with aiohttp.ClientSession() as session:
        group = "/viriciti/api/v1/smartcharging/chargergroup/ViriCitiGroup"
        await session.get(f"{simulator.root}{group}?apiKey=nope")
        await session.get(f"{simulator.root}{group}", headers={"x-api-key": "viriciti-demo-key"})
        log = await (await session.get(f"{simulator.root}/_admin/requests")).json()
        assert [(e["path"], e["status"]) for e in log] == [(group, 401), (group, 200)]
        assert log[0]["query"] == {"apiKey": "nope"}
        cleared = await session.delete(f"{simulator.root}/_admin/requests")
        assert cleared.status == 204
        assert simulator.sim.log.entries == []


async def test_faults_are_added_counted_and_cleared(simulator: Sim) -> None:
    """A fault spoils as many requests as asked, then the cloud answers normally."""
    async with aiohttp.ClientSession() as session:
        added = await session.post(
            f"{simulator.root}/_admin/faults",
            json={"path": "/ampeco", "status": 429, "headers": {"Retry-After": "7"}, "times": 2},
        )
        assert added.status == 201
        url = f"{simulator.url('ampeco')}/public-api/resources/charge-points/v2.0"
        headers = {"Authorization": "Bearer ampeco-demo-token"}
        statuses = []
        for _ in range(3):
            response = await session.get(url, headers=headers)
            statuses.append((response.status, response.headers.get("Retry-After")))
        assert statuses == [(429, "7"), (429, "7"), (200, None)]
        await session.post(f"{simulator.root}/_admin/faults", json={"path": "/", "times": None})
        assert (await session.get(url, headers=headers)).status == 500
        await session.delete(f"{simulator.root}/_admin/faults")
        assert (await session.get(url, headers=headers)).status == 200
        refused = await session.post(f"{simulator.root}/_admin/faults", json={"colour": "red"})
        assert refused.status == 400
        refused = await session.post(f"{simulator.root}/_admin/faults", json={"kind": "boom"})
        assert refused.status == 400


async def test_state_lists_every_cloud(simulator: Sim) -> None:
    """The admin state shows each cloud's world."""
    async with aiohttp.ClientSession() as session:
        state = await (await session.get(f"{simulator.root}/_admin/state")).json()
    assert set(state) == {"easee", "viriciti", "ampeco", "jedlix"}


async def test_a_poisoned_answer_keeps_its_shape_but_not_its_measurements(simulator: Sim) -> None:
    """The soak's absurd values: the real answer, each measurement NaN, infinite or huge."""
    path = "/viriciti/api/v1/smartcharging/grouplimit/"
    async with aiohttp.ClientSession() as session:
        headers = {"x-api-key": "viriciti-demo-key"}
        group = "ViriCitiGroup"
        url = f"{simulator.root}{path}{group}"
        real = await (await session.get(url, headers=headers)).json()
        fault = {"path": path, "kind": "poison", "body": [1e308, -400.0]}
        await session.post(f"{simulator.root}/_admin/faults", json=fault)
        poisoned = await (await session.get(url, headers=headers)).json()
    assert poisoned.keys() == real.keys()
    assert poisoned["activeLimit"] == real["activeLimit"]
    assert poisoned["default"]["limit"] in (1e308, -400.0)
    assert poisoned["default"]["limit"] != real["default"]["limit"]
