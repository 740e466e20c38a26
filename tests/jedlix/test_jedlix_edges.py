"""Jedlix edge cases of the client: odd items, lists sent as pages, a failing token grant."""

from __future__ import annotations

from datetime import UTC, datetime
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.smart_charging.clouds.errors import (
    CloudConnectionError,
    InvalidResponseError,
    RateLimitedError,
    ServerError,
)
from custom_components.smart_charging.clouds.jedlix.client import JedlixClient
from custom_components.smart_charging.clouds.jedlix.models import TariffType
from custom_components.smart_charging.clouds.models import Weekday
from simulator.faults import Fault
from simulator.jedlix import (
    DEMO_USER_ID,
    JedlixCloud,
)

from ..conftest import Sim
from .helpers import manager_client

USER = f"/jedlix/api/v2/users/{DEMO_USER_ID}"
TOKEN_PATH = "/jedlix/connect/token"
MIDNIGHT = datetime(2026, 11, 23, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
def cloud(simulator: Sim) -> JedlixCloud:
    """The simulated tenant."""
    return simulator.jedlix


def _odd(simulator: Sim, path: str, body: Any, method: str = "GET") -> None:
    simulator.sim.faults.add(Fault(path=path, method=method, status=200, body=body))


async def test_list_items_without_an_id_are_left_out(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """Cars, chargers and locations without an id are skipped; odd members read as none."""
    _odd(
        simulator,
        f"{USER}/vehicles",
        [{"details": {"brand": "Kia"}}, {"id": "v1", "capabilities": "ChargeState"}],
    )
    [vehicle] = await client.async_vehicles()
    assert (vehicle.id, vehicle.capabilities) == ("v1", frozenset())
    _odd(simulator, f"{USER}/chargers", [{"detail": {"brand": "Alfen"}}, {"id": "c1"}])
    [charger] = await client.async_chargers()
    assert (charger.id, charger.state) == ("c1", None)
    _odd(
        simulator,
        f"{USER}/charging-locations",
        [{"address": {"city": "Utrecht"}}, {"id": "l1", "address": "Oudegracht 1, Utrecht"}],
    )
    [location] = await client.async_charging_locations()
    assert (location.id, location.address) == ("l1", None)


async def test_single_reads_without_an_id(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """One car, session or message without an id is an invalid answer.

    A last session without one is no session at all.
    """
    vehicle_id = cloud.demo.charging_vehicle_id
    _odd(simulator, f"{USER}/vehicles/{vehicle_id}", {"details": {"brand": "Volkswagen"}})
    with pytest.raises(InvalidResponseError, match="vehicle has no id"):
        await client.async_vehicle(vehicle_id)
    _odd(simulator, f"{USER}/vehicles/{vehicle_id}/sessions/last", {"status": "Active"})
    assert await client.async_last_session(vehicle_id) is None
    session_id = cloud.demo.active_session_id
    _odd(simulator, f"{USER}/sessions/{session_id}", {"status": "Active"})
    with pytest.raises(InvalidResponseError, match="session has no id"):
        await client.async_session(session_id)
    message_id = cloud.demo.action_message_id
    _odd(simulator, f"{USER}/messages/{message_id}", {"type": "StartSession"})
    with pytest.raises(InvalidResponseError, match="message has no id"):
        await client.async_message(message_id)
    _odd(simulator, f"{USER}/messages/{message_id}", {"isDismissed": True}, method="PATCH")
    with pytest.raises(InvalidResponseError, match="message has no id"):
        await client.async_dismiss_message(message_id)


async def test_tariff_intervals_keep_what_can_be_read(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """A day name we do not know is left out of its interval.

    An interval without a start or end is left out altogether.
    """
    location = cloud.demo.location_id
    body = {
        "chargingLocationId": location,
        "tariffs": [{"type": "Standard", "price": 0.25, "currency": "EUR"}],
        "tariffIntervals": [
            {
                "startTime": "00:00",
                "endTime": "00:00",
                "daysOfWeek": ["Monday", "Funday", 3],
                "tariffType": "Standard",
            },
            {"endTime": "07:00", "daysOfWeek": ["Tuesday"], "tariffType": "Standard"},
        ],
    }
    _odd(simulator, f"{USER}/charging-locations/{location}/tariffs", body)
    settings = await client.async_tariffs(location)
    assert settings is not None
    [interval] = settings.intervals
    assert interval.days_of_week == (Weekday.MONDAY,)
    assert interval.tariff_type is TariffType.STANDARD


async def test_price_and_solar_points_without_a_start_or_amount_are_left_out(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """An hour without its start, price or energy cannot be placed: it is skipped."""
    location = cloud.demo.location_id
    prices = [
        {"price": 0.2, "dataType": "Actual"},
        {"startTime": "2026-11-23T12:00:00.000Z", "dataType": "Actual"},
        {"startTime": "2026-11-23T13:00:00.000Z", "price": 0.3, "dataType": "Actual"},
    ]
    _odd(simulator, f"{USER}/charging-locations/{location}/dynamic-tariffs", prices)
    [price] = await client.async_dynamic_tariffs(location)
    assert (price.start, price.price) == (datetime(2026, 11, 23, 13, tzinfo=UTC), 0.3)
    solar = [
        {"energy": 1.2},
        {"startTime": "2026-11-23T10:00:00.000Z", "energy": "sunny"},
        {"startTime": "2026-11-23T11:00:00.000Z", "energy": 0.8},
    ]
    _odd(simulator, f"{USER}/charging-locations/{location}/solar-energy", solar)
    [point] = await client.async_solar_energy(location, MIDNIGHT, NOW)
    assert (point.start, point.energy_kwh) == (datetime(2026, 11, 23, 11, tzinfo=UTC), 0.8)


async def test_a_list_sent_as_pages_is_read_through(client: JedlixClient, simulator: Sim) -> None:
    """Should a tenant page a list v2 sends whole, every page is read."""
    first = {
        "items": [{"id": "v1"}, {"id": "v2"}],
        "pageIndex": 1,
        "pageSize": 2,
        "totalPages": 2,
        "totalCount": 3,
    }
    second = first | {"items": [{"id": "v3"}], "pageIndex": 2}
    _odd(simulator, f"{USER}/vehicles", first)
    _odd(simulator, f"{USER}/vehicles", second)
    simulator.sim.log.clear()
    assert [v.id for v in await client.async_vehicles()] == ["v1", "v2", "v3"]
    requests = simulator.sim.log.matching("GET", f"{USER}/vehicles")
    assert [r.query.get("pageIndex") for r in requests] == [None, "2"]


async def test_paged_items_without_an_id_are_kept_apart(
    client: JedlixClient, simulator: Sim
) -> None:
    """Items without an id are not taken for each other while paging (then skipped)."""
    page = {
        "items": [
            {"type": "StartSession"},
            {"type": "EndSession"},
            {"id": "m1", "type": "EndSession"},
        ],
        "pageIndex": 1,
        "pageSize": 100,
        "totalPages": 1,
        "totalCount": 3,
    }
    _odd(simulator, f"{USER}/messages", page)
    assert [m.id for m in await client.async_messages()] == ["m1"]


@pytest.mark.parametrize(
    ("fault", "error", "match"),
    [
        (Fault(status=429, headers={"Retry-After": "30"}), RateLimitedError, "30 s"),
        (Fault(status=503), ServerError, "503"),
        (Fault(kind="malformed"), InvalidResponseError, "not a JSON object"),
        (Fault(status=200, body=["token"]), InvalidResponseError, "not a JSON object"),
        (Fault(status=200, body={"token_type": "Bearer"}), InvalidResponseError, "access_token"),
        (Fault(kind="drop", times=None), CloudConnectionError, "token request"),
    ],
)
async def test_a_failing_token_grant_is_a_typed_error(
    simulator: Sim,
    http: aiohttp.ClientSession,
    fault: Fault,
    error: type[Exception],
    match: str,
) -> None:
    """Whatever goes wrong with the grant is one typed error, and no API call is made."""
    fault.path, fault.method = TOKEN_PATH, "POST"
    simulator.sim.faults.add(fault)
    with pytest.raises(error, match=match):
        await manager_client(simulator, http).async_identify()
    assert simulator.sim.log.matching("GET") == []


async def test_a_grant_without_a_lifetime_is_still_used(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """A token answer without ``expires_in`` gives a token that is used, not asked for again."""
    simulator.jedlix.tenant_tokens["granted"] = None  # the tenant accepts it (no expiry)
    simulator.sim.faults.add(
        Fault(
            path=TOKEN_PATH,
            method="POST",
            status=200,
            body={"access_token": "granted", "token_type": "Bearer"},
        )
    )
    client = manager_client(simulator, http)
    await client.async_identify()
    assert len(await client.async_vehicles()) == 2
    assert len(simulator.sim.log.matching("POST", TOKEN_PATH)) == 1
    assert [e.status for e in simulator.sim.log.matching("GET")] == [200, 200]


async def test_the_documented_tariff_example_is_read(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """The energy-tariffs guide's example (cited in the fixture) reads as its words say."""
    fixture = Path(__file__).parent.parent / "fixtures" / "jedlix" / "energy_tariffs_example.json"
    body = json.loads(fixture.read_text())
    del body["_source"]
    location = cloud.demo.location_id
    _odd(simulator, f"{USER}/charging-locations/{location}/tariffs", body)
    settings = await client.async_tariffs(location)
    assert settings is not None
    assert [(t.type, t.price, t.currency) for t in settings.tariffs] == [
        (TariffType.PEAK, 0.4123, "EUR"),
        (TariffType.OFF_PEAK, 0.3242, "EUR"),
    ]
    assert settings.off_peak_charging_only is False
    assert settings.holiday_intervals is None
    assert settings.intervals[0].days_of_week[0] is Weekday.MONDAY
    # Monday 12:00 is peak, Saturday 12:00 off-peak: the plan reads as the guide says.
    monday = settings.tariff_at(datetime(2026, 11, 23, 12, 0))
    saturday = settings.tariff_at(datetime(2026, 11, 28, 12, 0))
    assert monday is not None
    assert monday.price == 0.4123
    assert saturday is not None
    assert saturday.price == 0.3242
