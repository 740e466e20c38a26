"""The simulated Jedlix Smart Charging API v2 behaves like the vendor's seed says it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
import json
from pathlib import Path
import re
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.jedlix import (
    CALIBRATION_STATES,
    CAPABILITIES,
    CHARGE_STATES,
    DATA_TYPES,
    DAYS,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_TENANT_TOKEN,
    DEMO_TOKEN,
    DEMO_USER_ID,
    MESSAGE_TYPES,
    NOTIFICATION_TYPES,
    SESSION_STATUSES,
    TARIFF_TYPES,
    UNSEEN,
    JedlixCloud,
)

from ..conftest import Sim

FIXTURES = Path(__file__).parent.parent / "fixtures" / "jedlix"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
USER = f"/users/{DEMO_USER_ID}"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


@dataclass
class Api:
    """A tiny client for the simulated tenant, speaking raw HTTP."""

    http: aiohttp.ClientSession
    base: str
    sim: Sim

    @property
    def cloud(self) -> JedlixCloud:
        """The simulated tenant."""
        return self.sim.jedlix

    def advance(self, **delta: float) -> None:
        """Move the simulated clock forward."""
        self.sim.sim.clock.advance(timedelta(**delta).total_seconds())

    async def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = DEMO_TOKEN,
        api_key: str | None = DEMO_API_KEY,
        params: dict[str, str] | None = None,
        body: Any = None,
    ) -> tuple[int, Any]:
        """Status and decoded body of one request."""
        headers = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if api_key is not None:
            headers["ApiKey"] = api_key
        async with self.http.request(
            method, self.base + path, headers=headers, params=params, json=body
        ) as response:
            text = await response.text()
            if response.status >= 400:
                assert response.content_type == "application/problem+json"
            return response.status, json.loads(text) if text else None

    async def ok(self, path: str, **kwargs: Any) -> Any:
        """The body of a GET that must succeed."""
        status, body = await self.call("GET", path, **kwargs)
        assert status == 200, body
        return body

    async def fails(self, method: str, path: str, status: int, **kwargs: Any) -> dict[str, Any]:
        """The problem details of a request that must fail with ``status``."""
        got, body = await self.call(method, path, **kwargs)
        assert got == status, body
        assert set(body) >= PROBLEM_KEYS
        assert body["status"] == status
        assert body["instance"].endswith(path.split("?")[0])
        return dict(body)

    async def all_pages(self, path: str, size: int, **kwargs: Any) -> list[dict[str, Any]]:
        """Every item of a paged list, following the pages."""
        items: list[dict[str, Any]] = []
        index = 1
        extra = kwargs.pop("params", {})
        while True:
            params = {"pageSize": str(size), "pageIndex": str(index)} | extra
            page = await self.ok(path, params=params, **kwargs)
            items += page["items"]
            if index >= page["totalPages"]:
                return items
            index += 1


@pytest.fixture
def api(simulator: Sim, http: aiohttp.ClientSession) -> Api:
    """A client of the simulated tenant with the demo user's credentials."""
    return Api(http, f"{simulator.url('jedlix')}/api/v2", simulator)


def _location(api: Api) -> str:
    return f"{USER}/charging-locations/{api.cloud.demo.location_id}"


def _dates(value: Any, key: str = "") -> list[str]:
    """Every date-time of a JSON document (not the "HH:mm" times of tariff intervals)."""
    if isinstance(value, dict):
        return [d for k, v in value.items() for d in _dates(v, k)]
    if isinstance(value, list):
        return [d for v in value for d in _dates(v, key)]
    if isinstance(value, str) and key.endswith(("At", "Time", "Stamp")) and len(value) > 5:
        return [value]
    return []


def _shape(value: Any) -> Any:
    """Keys and JSON types of a document, without the values."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


# --- wire contract -----------------------------------------------------------------------------


async def test_answers_in_the_shape_of_the_seed_example(api: Api) -> None:
    """GET /charging-locations answers like the seed's example payload, key for key."""
    example = json.loads((FIXTURES / "charging_locations_page.json").read_text())
    page = await api.ok("/charging-locations", token=DEMO_TENANT_TOKEN, params={"pageSize": "100"})
    assert _shape(page) == _shape(example)
    assert page["pageIndex"] == example["pageIndex"] == 1
    assert page["pageSize"] == example["pageSize"] == 100
    assert (page["totalPages"], page["totalCount"]) == (1, 1)
    location = page["items"][0]
    assert location["userId"] == DEMO_USER_ID
    assert location["address"]["country"] == "NL"
    assert location["coordinates"] == {"latitude": 52.0894, "longitude": 5.11}
    assert DATE.match(example["items"][0]["createdAt"])


async def test_every_date_has_milliseconds_and_z(api: Api) -> None:
    """Every date-time in every kind of response is yyyy-MM-ddTHH:mm:ss.fffZ."""
    demo = api.cloud.demo
    loc = _location(api)
    paths = [
        USER,
        f"{USER}/charging-locations",
        f"{USER}/chargers",
        f"{USER}/vehicles",
        f"{USER}/sessions",
        f"{USER}/sessions/{demo.active_session_id}/session-settings/active",
        f"{USER}/sessions/{demo.active_session_id}/tariffs",
        f"{USER}/messages",
        f"{USER}/financials",
        f"{loc}/tariffs",
        f"{loc}/dynamic-tariffs",
        f"{loc}/solar-energy?startTime=2026-11-23T00:00:00Z&endTime=2026-11-23T06:00:00Z",
    ]
    api.advance(seconds=1.5)  # a time with milliseconds must still print three digits
    seen = []
    for path in paths:
        seen += _dates(await api.ok(path))
    assert len(seen) > 60
    assert all(DATE.match(d) for d in seen), [d for d in seen if not DATE.match(d)]
    assert "2026-11-23T12:00:01.500Z" in seen


# --- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "api_key", "status"),
    [
        (DEMO_TOKEN, None, 401),
        (DEMO_TOKEN, "wrong-key", 401),
        (None, DEMO_API_KEY, 401),
        ("wrong-token", DEMO_API_KEY, 401),
        (DEMO_TOKEN, DEMO_API_KEY, 200),
        (DEMO_TENANT_TOKEN, DEMO_API_KEY, 200),
    ],
)
async def test_every_call_needs_api_key_and_bearer_token(
    api: Api, token: str | None, api_key: str | None, status: int
) -> None:
    """Without both headers the answer is 401 problem details."""
    got, body = await api.call("GET", USER, token=token, api_key=api_key)
    assert got == status
    if status == 401:
        assert set(body) == PROBLEM_KEYS
        assert body["title"] == "Unauthorized"


async def test_token_of_another_user_is_forbidden(api: Api) -> None:
    """A user's token reads only that user: another user's data and tenant lists are 403."""
    other = api.cloud.add_user(token="other-token")
    await api.ok(f"/users/{other.id}", token="other-token")
    for path in (
        f"/users/{other.id}",
        f"/users/{other.id}/vehicles",
        f"/users/{other.id}/messages",
    ):
        await api.fails("GET", path, 403)
    for path in ("/users", "/vehicles", "/sessions", "/charging-locations"):
        await api.fails("GET", path, 403)
    await api.fails("GET", f"{USER}/vehicles", 403, token="other-token")
    # The tenant's token sees everyone; an unknown user is then a 404.
    await api.ok(f"/users/{other.id}/vehicles", token=DEMO_TENANT_TOKEN)
    await api.fails("GET", "/users/nobody", 404, token=DEMO_TENANT_TOKEN)


async def test_revoked_token_is_401(api: Api) -> None:
    """A revoked token stops working at once (the integration then asks to reauthenticate)."""
    await api.ok(USER)
    api.cloud.revoke_token(DEMO_TOKEN)
    await api.fails("GET", USER, 401)


async def test_client_credentials_give_an_expiring_tenant_token(api: Api) -> None:
    """The quick-start's grant (with its audience) issues a token that lasts an hour."""
    url = f"{api.sim.url('jedlix')}/connect/token"
    form = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    async with api.http.post(url, data=form) as response:
        # docs/quickstart-guide: the environment goes in the audience; none, no token.
        assert response.status == 400
        assert (await response.json())["error"] == "invalid_request"
    form["audience"] = "https://smartcharging.jedlix.com"
    async with api.http.post(url, data=form) as response:
        assert response.status == 200
        grant = await response.json()
    assert grant["token_type"] == "Bearer"
    assert grant["expires_in"] == 3600
    await api.ok("/users", token=grant["access_token"])
    api.advance(hours=1)
    await api.fails("GET", "/users", 401, token=grant["access_token"])
    async with api.http.post(url, data=form | {"client_secret": "nope"}) as response:
        assert (response.status, await response.json()) == (401, {"error": "invalid_client"})
    async with api.http.post(url, data=form | {"grant_type": "password"}) as response:
        assert (response.status, await response.json()) == (
            400,
            {"error": "unsupported_grant_type"},
        )


# --- routes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", "/charging-locations/{loc}/energy-supplier"),
        ("POST", "/charging-locations/{loc}/energy-supplier"),
        ("DELETE", "/charging-locations/{loc}/energy-supplier"),
        ("POST", "/charging-locations/{loc}/chargers/start-connect-session"),
        ("GET", "/messages/active"),
        ("POST", "/vehicles/{veh}/session-settings"),
        ("GET", "/vehicles/{veh}/session-settings/active"),
        ("POST", "/vehicles/start-connect-session"),
    ],
)
async def test_routes_the_seed_deleted_are_404(api: Api, method: str, path: str) -> None:
    """v1 routes that v2 removed are gone, even with valid credentials."""
    demo = api.cloud.demo
    full = USER + path.format(loc=demo.location_id, veh=demo.charging_vehicle_id)
    body = await api.fails(method, full, 404, body={})
    assert body["title"] == "Not Found"


async def test_unknown_paths_and_methods_are_problems(api: Api) -> None:
    """An unknown path is 404 and a known path with the wrong verb 405, as problem details."""
    await api.fails("GET", "/no-such-thing", 404)
    await api.fails("GET", "/users/x/vehicles/y/z", 404)
    body = await api.fails("DELETE", f"{USER}/vehicles", 405)
    assert body["detail"] == "Use GET."
    await api.fails("GET", f"{_location(api)}/utility-contracts", 405)


async def test_demo_world(api: Api) -> None:
    """The demo user has a Dutch home, a charger, one car charging and one parked."""
    demo = api.cloud.demo
    locations = await api.ok(f"{USER}/charging-locations")
    assert [loc["id"] for loc in locations] == [demo.location_id]
    assert await api.ok(_location(api)) == locations[0]
    chargers = await api.ok(f"{USER}/chargers")
    assert chargers == await api.ok(f"{_location(api)}/chargers")
    assert chargers[0]["chargingLocationId"] == demo.location_id
    assert set(chargers[0]["detail"]) == {"brand", "model"}
    vehicles = {v["id"]: v for v in await api.ok(f"{USER}/vehicles")}
    charging = vehicles[demo.charging_vehicle_id]
    parked = vehicles[demo.parked_vehicle_id]
    assert set(charging["details"]) == {"brand", "model", "version"}
    assert (charging["isConnected"], parked["isConnected"]) == (True, False)
    assert set(charging["capabilities"]) == set(CAPABILITIES)
    # Desired charge and departure only where the car has those capabilities.
    assert charging["desiredStateOfCharge"] == 80
    assert charging["departureTime"] == "2026-11-24T06:30:00.000Z"
    assert parked["desiredStateOfCharge"] is None
    assert parked["departureTime"] is None
    sessions = await api.ok(f"{USER}/sessions")
    assert sessions["totalCount"] == 6
    assert sessions["items"][0]["id"] == demo.active_session_id
    messages = await api.ok(f"{USER}/messages", params={"includeDismissed": "false"})
    assert [(m["type"], m["isDismissed"]) for m in messages["items"]] == [
        ("InvalidUtilityContract", False)
    ]


async def test_single_resources_and_their_state(api: Api) -> None:
    """Each object has its own route; /state returns just the state part."""
    demo = api.cloud.demo
    vehicle_path = f"{USER}/vehicles/{demo.charging_vehicle_id}"
    vehicle = await api.ok(vehicle_path)
    assert await api.ok(f"{vehicle_path}/state") == vehicle["chargeState"]
    last = await api.ok(f"{vehicle_path}/sessions/last")
    assert last["id"] == demo.active_session_id
    assert await api.ok(f"{USER}/sessions/{demo.active_session_id}") == last
    await api.fails("GET", f"{USER}/vehicles/{demo.parked_vehicle_id}/sessions/last", 404)
    charger_path = f"{_location(api)}/chargers/{demo.charger_id}"
    charger = await api.ok(charger_path)
    assert await api.ok(f"{charger_path}/state") == charger["chargerState"]
    for missing in (
        f"{USER}/vehicles/nope",
        f"{USER}/sessions/nope",
        f"{USER}/messages/nope",
        f"{USER}/charging-locations/nope",
        f"{_location(api)}/chargers/nope",
    ):
        await api.fails("GET", missing, 404)


async def test_objects_of_another_user_are_not_found(api: Api) -> None:
    """With the tenant token, another user's vehicle under this user's path is a 404."""
    other = api.cloud.add_user(sessions=1)
    vehicle = next(v for v in api.cloud.vehicles.values() if v.user_id == other.id)
    await api.ok(f"/users/{other.id}/vehicles/{vehicle.id}", token=DEMO_TENANT_TOKEN)
    await api.fails("GET", f"{USER}/vehicles/{vehicle.id}", 404, token=DEMO_TENANT_TOKEN)


async def test_supported_car_models_use_pascal_case_capabilities(api: Api) -> None:
    """The catalogue lists capabilities as the v2 strings."""
    models = await api.ok("/supported-car-models")
    assert models
    assert {c for m in models for c in m["capabilities"]} <= set(CAPABILITIES)


# --- paging --------------------------------------------------------------------------------------


async def test_250_sessions_in_pages_of_100(api: Api) -> None:
    """Three pages (100, 100, 50), newest first, no duplicates, nothing missing."""
    user = api.cloud.add_user(token="many", sessions=250)
    path = f"/users/{user.id}/sessions"
    pages = [
        await api.ok(path, token="many", params={"pageSize": "100", "pageIndex": str(i)})
        for i in (1, 2, 3, 4)
    ]
    assert [len(p["items"]) for p in pages] == [100, 100, 50, 0]
    assert {(p["totalPages"], p["totalCount"], p["pageSize"]) for p in pages} == {(3, 250, 100)}
    assert [p["pageIndex"] for p in pages] == [1, 2, 3, 4]
    items = [s for p in pages for s in p["items"]]
    ids = [s["id"] for s in items]
    assert len(set(ids)) == 250
    assert set(ids) == {s.id for s in api.cloud.sessions.values() if s.user_id == user.id}
    starts = [s["startTime"] for s in items]
    assert starts == sorted(starts, reverse=True)
    assert len(set(starts)) == 250


async def test_page_size_defaults_to_20(api: Api) -> None:
    """Without pageSize a page holds 20 items."""
    user = api.cloud.add_user(token="many", sessions=45)
    page = await api.ok(f"/users/{user.id}/sessions", token="many")
    assert (page["pageIndex"], page["pageSize"], page["totalPages"]) == (1, 20, 3)
    assert len(page["items"]) == 20
    assert len(await api.all_pages(f"/users/{user.id}/sessions", 20, token="many")) == 45


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pageSize": "101"}, "pageSize"),
        ({"pageSize": "1000"}, "pageSize"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageSize": "ten"}, "pageSize"),
        ({"pageIndex": "0"}, "pageIndex"),
        ({"pageIndex": "-1"}, "pageIndex"),
        ({"pageIndex": "1.5"}, "pageIndex"),
        ({"pageIndex": "first"}, "pageIndex"),
    ],
)
@pytest.mark.parametrize("path", [f"{USER}/sessions", f"{USER}/messages", "/users"])
async def test_bad_paging_is_a_400(api: Api, path: str, params: dict[str, str], field: str) -> None:
    """pageSize above 100 (v2), below 1 or not a number, and pageIndex below 1, are 400."""
    token = DEMO_TENANT_TOKEN if path == "/users" else DEMO_TOKEN
    body = await api.fails("GET", path, 400, params=params, token=token)
    assert body["title"] == "One or more validation errors occurred."
    assert list(body["errors"]) == [field]


async def test_page_size_100_is_allowed(api: Api) -> None:
    """The limit itself is fine."""
    page = await api.ok(f"{USER}/sessions", params={"pageSize": "100"})
    assert page["pageSize"] == 100


async def test_tenant_lists_are_paged_and_filter_on_creation(api: Api) -> None:
    """Users, vehicles, charging locations and sessions of the tenant, newest first."""
    api.advance(days=1)
    new_users = api.cloud.scale(3, sessions_per_user=2)
    users = await api.all_pages("/users", 2, token=DEMO_TENANT_TOKEN)
    assert [u["id"] for u in users][:3] == [u.id for u in reversed(new_users)]
    assert users[-1]["id"] == DEMO_USER_ID
    since = {"createdFrom": "2026-11-24T00:00:00Z"}
    recent = await api.ok("/users", token=DEMO_TENANT_TOKEN, params=since)
    assert recent["totalCount"] == 3
    vehicles = await api.ok("/vehicles", token=DEMO_TENANT_TOKEN, params=since)
    assert vehicles["totalCount"] == 3
    older = await api.ok(
        "/vehicles", token=DEMO_TENANT_TOKEN, params={"createdTo": "2024-01-01T00:00:00Z"}
    )
    assert {v["userId"] for v in older["items"]} == {DEMO_USER_ID}
    locations = await api.ok("/charging-locations", token=DEMO_TENANT_TOKEN)
    assert locations["totalCount"] == 4
    sessions = await api.all_pages("/sessions", 100, token=DEMO_TENANT_TOKEN)
    starts = [s["startTime"] for s in sessions]
    assert len(sessions) == 6 + 3 * 2
    statuses = {s["id"]: s["status"] for s in sessions}
    assert statuses[api.cloud.demo.active_session_id] == "Complete"  # the car left at 06:30Z
    assert starts == sorted(starts, reverse=True)
    await api.fails("GET", "/users", 400, token=DEMO_TENANT_TOKEN, params={"createdFrom": "soon"})


async def test_session_time_filters(api: Api) -> None:
    """startTimeFrom/To and endTimeFrom/To select [from, to) in UTC, any ISO 8601 offset."""
    user = api.cloud.add_user(token="many", sessions=30)
    path = f"/users/{user.id}/sessions"
    every = await api.all_pages(path, 100, token="many")

    async def select(**bounds: str) -> list[str]:
        found = await api.all_pages(path, 7, token="many", params=bounds)
        return [s["id"] for s in found]

    ids = [s["id"] for s in every]
    assert await select(startTimeFrom=every[9]["startTime"]) == ids[:10]
    assert await select(startTimeTo=every[9]["startTime"]) == ids[10:]
    assert (
        await select(startTimeFrom=every[20]["startTime"], startTimeTo=every[4]["startTime"])
        == (ids[5:21])
    )
    assert await select(endTimeFrom=every[2]["endTime"]) == ids[:3]
    assert await select(endTimeTo=every[27]["endTime"]) == ids[28:]
    # The same instant with an offset selects the same sessions.
    utc = datetime.fromisoformat(every[9]["startTime"])
    local = utc.astimezone(timezone(timedelta(hours=1))).isoformat()
    assert local.endswith("+01:00")
    assert await select(startTimeFrom=local) == ids[:10]


async def test_active_sessions_have_no_end_time_to_filter_on(api: Api) -> None:
    """End-time filters leave out the session still running."""
    found = await api.ok(f"{USER}/sessions", params={"endTimeFrom": "2020-01-01T00:00:00Z"})
    assert api.cloud.demo.active_session_id not in [s["id"] for s in found["items"]]
    assert found["totalCount"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"startTimeFrom": "yesterday"}, "startTimeFrom"),
        ({"endTimeTo": "2026-13-01T00:00:00Z"}, "endTimeTo"),
        (
            {"startTimeFrom": "2026-11-23T00:00:00Z", "startTimeTo": "2026-11-22T00:00:00Z"},
            "startTimeFrom",
        ),
    ],
)
async def test_bad_time_filters_are_400(api: Api, params: dict[str, str], field: str) -> None:
    """Unreadable times and reversed ranges are validation errors."""
    body = await api.fails("GET", f"{USER}/sessions", 400, params=params)
    assert field in body["errors"]
    await api.fails("GET", f"{USER}/financials", 400, params=params)


# --- physics -------------------------------------------------------------------------------------


async def test_battery_rises_while_charging_then_completes(api: Api) -> None:
    """11 kW into a 77 kWh battery: +7.1 % in half an hour, Complete at 80 %."""
    demo = api.cloud.demo
    vehicle_path = f"{USER}/vehicles/{demo.charging_vehicle_id}"
    session_path = f"{USER}/sessions/{demo.active_session_id}"
    before = await api.ok(f"{vehicle_path}/state")
    assert before == {
        "batteryLevel": 49.3,
        "range": 209,
        "chargeState": "Charging",
        "updatedAt": "2026-11-23T12:00:00.000Z",
    }
    assert (await api.ok(session_path))["chargedEnergy"] == 11.0
    api.advance(minutes=30)
    after = await api.ok(f"{vehicle_path}/state")
    assert after["batteryLevel"] == 56.4
    assert (await api.ok(session_path))["chargedEnergy"] == 16.5
    api.advance(hours=3)
    done = await api.ok(f"{vehicle_path}/state")
    assert (done["batteryLevel"], done["chargeState"]) == (80.0, "Complete")
    charger = await api.ok(f"{_location(api)}/chargers/{demo.charger_id}/state")
    assert (charger["chargeState"], charger["chargePower"]) == ("Complete", 0.0)
    assert (await api.ok(session_path))["status"] == "Active"


async def test_sessions_end_at_departure_and_start_when_the_car_comes_home(api: Api) -> None:
    """The demo car leaves at 07:30 local and returns at 18:30 local, every day."""
    demo = api.cloud.demo
    vehicle_path = f"{USER}/vehicles/{demo.charging_vehicle_id}"
    api.advance(hours=19)  # 07:00Z: gone since 06:30Z
    vehicle = await api.ok(vehicle_path)
    assert (vehicle["isConnected"], vehicle["chargeState"]["chargeState"]) == (
        False,
        "Disconnected",
    )
    assert vehicle["chargeState"]["batteryLevel"] == 80.0
    ended = await api.ok(f"{USER}/sessions/{demo.active_session_id}")
    assert (ended["status"], ended["endTime"]) == ("Complete", "2026-11-24T06:30:00.000Z")
    assert ended["calibrationState"] is None
    api.advance(hours=11)  # 18:00Z: home since 17:30Z
    last = await api.ok(f"{vehicle_path}/sessions/last")
    assert (last["status"], last["startTime"]) == ("Active", "2026-11-24T17:30:00.000Z")
    assert last["startBatteryLevel"] < 80.0
    assert last["departureTime"] == "2026-11-25T06:30:00.000Z"
    messages = await api.ok(f"{USER}/messages", params={"pageSize": "3"})
    assert [m["type"] for m in messages["items"][:2]] == ["StartSession", "EndSession"]


async def test_solar_energy_follows_daylight(api: Api) -> None:
    """Nothing at night, most around noon; partial hours are clipped."""
    day = await api.ok(
        f"{_location(api)}/solar-energy",
        params={"startTime": "2026-11-23T00:00:00Z", "endTime": "2026-11-24T00:00:00Z"},
    )
    energy = [item["energy"] for item in day]
    assert len(energy) == 24
    assert energy[:7] == [0.0] * 7
    assert energy[17:] == [0.0] * 7
    assert max(energy) == energy[11]
    assert 0.5 < sum(energy) < 10
    assert [item["dataType"] for item in day[11:14]] == ["Actual", "Actual", "Forecast"]
    part = await api.ok(
        f"{_location(api)}/solar-energy",
        params={"startTime": "2026-11-23T11:30:00Z", "endTime": "2026-11-23T12:30:00Z"},
    )
    assert [(p["startTime"], p["endTime"]) for p in part] == [
        ("2026-11-23T11:30:00.000Z", "2026-11-23T12:00:00.000Z"),
        ("2026-11-23T12:00:00.000Z", "2026-11-23T12:30:00.000Z"),
    ]
    assert 0 < part[0]["energy"] < energy[11]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"startTime": "2026-11-23T00:00:00Z"},
        {"startTime": "2026-11-23T00:00:00Z", "endTime": "2026-11-22T00:00:00Z"},
        {"startTime": "2026-11-01T00:00:00Z", "endTime": "2026-11-23T00:00:00Z"},
        {"startTime": "noon", "endTime": "2026-11-23T00:00:00Z"},
    ],
)
async def test_solar_energy_needs_a_sane_window(api: Api, params: dict[str, str]) -> None:
    """startTime and endTime are required, ordered and at most 7 days apart."""
    await api.fails("GET", f"{_location(api)}/solar-energy", 400, params=params)


async def test_dynamic_tariffs_actual_before_and_forecast_after_now(api: Api) -> None:
    """Today and tomorrow (local), hourly; hours begun are Actual, the rest Forecast."""
    path = f"{_location(api)}/dynamic-tariffs"
    prices = await api.ok(path)
    assert len(prices) == 48
    assert prices[0]["startTime"] == "2026-11-22T23:00:00.000Z"  # local midnight
    by_start = {p["startTime"]: p for p in prices}
    assert by_start["2026-11-23T11:00:00.000Z"]["dataType"] == "Actual"
    assert by_start["2026-11-23T12:00:00.000Z"]["dataType"] == "Actual"
    assert by_start["2026-11-23T13:00:00.000Z"]["dataType"] == "Forecast"
    assert [p["dataType"] for p in prices].count("Actual") == 14
    assert {p["currency"] for p in prices} == {"EUR"}
    # The evening peak costs more than the night; the curve does not change on reading.
    assert (
        by_start["2026-11-23T17:00:00.000Z"]["price"]
        > by_start["2026-11-23T02:00:00.000Z"]["price"]
    )
    assert await api.ok(path) == prices
    api.advance(minutes=59)
    assert [p["dataType"] for p in await api.ok(path)].count("Actual") == 14
    api.advance(minutes=1)
    later = {p["startTime"]: p for p in await api.ok(path)}
    assert later["2026-11-23T13:00:00.000Z"]["dataType"] == "Actual"
    assert (
        later["2026-11-23T13:00:00.000Z"]["price"] == by_start["2026-11-23T13:00:00.000Z"]["price"]
    )


async def test_dynamic_tariffs_window(api: Api) -> None:
    """A given window is served hourly; a bad one is a 400."""
    path = f"{_location(api)}/dynamic-tariffs"
    window = {"startTime": "2026-11-23T10:30:00Z", "endTime": "2026-11-23T13:00:00Z"}
    prices = await api.ok(path, params=window)
    assert [p["startTime"][11:16] for p in prices] == ["10:00", "11:00", "12:00"]
    window["endTime"] = "2026-12-23T00:00:00Z"
    await api.fails("GET", path, 400, params=window)


async def test_financials_add_up_energy_and_cost(api: Api) -> None:
    """Per-session energy and cost at the tariff in force, with totals."""
    financials = await api.ok(f"{USER}/financials")
    assert financials["sessionCount"] == 6
    assert financials["chargedEnergy"] == pytest.approx(
        sum(i["chargedEnergy"] for i in financials["items"])
    )
    assert financials["cost"] == pytest.approx(
        sum(i["cost"] for i in financials["items"]), abs=0.02
    )
    assert all(0.1 < i["averagePrice"] < 0.5 for i in financials["items"])
    status, _ = await api.call(
        "PUT",
        f"{_location(api)}/tariffs",
        body={
            "tariffs": [{"type": "Standard", "price": 0.3, "currency": "EUR"}],
            "offPeakChargingOnly": False,
            "tariffIntervals": [
                {
                    "startTime": "00:00",
                    "endTime": "00:00",
                    "daysOfWeek": list(DAYS),
                    "tariffType": "Standard",
                }
            ],
        },
    )
    assert status == 200
    recent = await api.ok(f"{USER}/financials", params={"startTimeFrom": "2026-11-23T00:00:00Z"})
    assert recent["sessionCount"] == 1
    assert recent["cost"] == pytest.approx(11.0 * 0.3)


# --- enums ---------------------------------------------------------------------------------------


async def test_every_charge_state(api: Api) -> None:
    """Charging, Complete, Stopped and Disconnected, for cars and chargers alike."""
    cloud, demo = api.cloud, api.cloud.demo
    states = {}

    async def read() -> tuple[str, str]:
        vehicle = await api.ok(f"{USER}/vehicles/{demo.charging_vehicle_id}/state")
        charger = await api.ok(f"{_location(api)}/chargers/{demo.charger_id}/state")
        return vehicle["chargeState"], charger["chargeState"]

    states["charging"] = await read()
    cloud.stop_charging(demo.charging_vehicle_id)
    states["stopped"] = await read()
    cloud.resume_charging(demo.charging_vehicle_id)
    api.advance(hours=4)
    states["complete"] = await read()
    cloud.unplug(demo.charging_vehicle_id)
    states["disconnected"] = await read()
    assert states == {
        "charging": ("Charging", "Charging"),
        "stopped": ("Stopped", "Stopped"),
        "complete": ("Complete", "Complete"),
        "disconnected": ("Disconnected", "Disconnected"),
    }
    assert {s for pair in states.values() for s in pair} == set(CHARGE_STATES)


async def test_stopped_charging_adds_no_energy(api: Api) -> None:
    """A paused session keeps its energy until resumed."""
    demo = api.cloud.demo
    api.cloud.stop_charging(demo.charging_vehicle_id)
    api.advance(hours=1)
    session = await api.ok(f"{USER}/sessions/{demo.active_session_id}")
    assert session["chargedEnergy"] == 11.0
    api.cloud.resume_charging(demo.charging_vehicle_id)
    api.advance(hours=1)
    session = await api.ok(f"{USER}/sessions/{demo.active_session_id}")
    assert session["chargedEnergy"] == 22.0


async def test_every_session_status_and_calibration_state(api: Api) -> None:
    """Active, Complete and ForceEnded; calibration runs NotStarted, InProgress, Complete."""
    cloud, demo = api.cloud, api.cloud.demo
    sessions = (await api.ok(f"{USER}/sessions"))["items"]
    assert {s["status"] for s in sessions} == set(SESSION_STATUSES)
    assert {s["calibrationState"] for s in sessions if s["status"] != "Active"} == {None}
    plugged = cloud.plug_in(demo.parked_vehicle_id)
    path = f"{USER}/sessions/{plugged.id}"
    seen = [(await api.ok(path))["calibrationState"]]
    api.advance(minutes=15)
    seen.append((await api.ok(path))["calibrationState"])
    api.advance(minutes=15)
    seen.append((await api.ok(path))["calibrationState"])
    cloud.set_calibration(plugged.id, "NoSession")
    seen.append((await api.ok(path))["calibrationState"])
    assert seen == ["NotStarted", "InProgress", "Complete", "NoSession"]
    assert set(seen) == set(CALIBRATION_STATES)
    cloud.unplug(demo.parked_vehicle_id, forced=True)
    assert (await api.ok(path))["status"] == "ForceEnded"


async def test_every_message_and_notification_type(api: Api) -> None:
    """Every message type of the seed comes out PascalCase, with every delivery kind."""
    for i, kind in enumerate(MESSAGE_TYPES):
        api.cloud.add_message(kind, notification_type=NOTIFICATION_TYPES[i % 4])
    items = await api.all_pages(f"{USER}/messages", 100)
    assert set(MESSAGE_TYPES) <= {m["type"] for m in items}
    assert {m["notificationType"] for m in items} == set(NOTIFICATION_TYPES)
    assert "InvalidUtilityContract" in MESSAGE_TYPES
    assert "ReconnectUtilityContract" in MESSAGE_TYPES


async def test_tariff_types_and_data_types(api: Api) -> None:
    """Every tariff type can be stored and read back; dynamic prices are Actual or Forecast."""
    path = f"{_location(api)}/tariffs"
    for body in (
        _single("Standard"),
        _single("Dynamic"),
        _peaks("Peak", "OffPeak", "SuperOffPeak"),
    ):
        status, stored = await api.call("PUT", path, body=body)
        assert status == 200, stored
    read = await api.ok(path)
    assert {t["type"] for t in read["tariffs"]} | {"Standard", "Dynamic"} == set(TARIFF_TYPES)
    prices = await api.ok(f"{_location(api)}/dynamic-tariffs")
    assert {p["dataType"] for p in prices} == set(DATA_TYPES)


async def test_unseen_enum_values_switch(api: Api) -> None:
    """Switched on, every enum field carries a value outside the seed's lists."""
    demo = api.cloud.demo
    admin = f"{api.sim.root}/_admin/jedlix/unseen-enums"
    async with api.http.post(admin, json={"enabled": True}) as response:
        assert response.status == 200
        assert set((await response.json())["fields"]) == set(UNSEEN)
    vehicle = await api.ok(f"{USER}/vehicles/{demo.charging_vehicle_id}")
    charger = await api.ok(f"{_location(api)}/chargers/{demo.charger_id}")
    session = await api.ok(f"{USER}/sessions/{demo.active_session_id}")
    message = (await api.ok(f"{USER}/messages"))["items"][0]
    tariffs = await api.ok(f"{_location(api)}/tariffs")
    price = (await api.ok(f"{_location(api)}/dynamic-tariffs"))[0]
    session_tariff = (await api.ok(f"{USER}/sessions/{demo.active_session_id}/tariffs"))[0]
    assert vehicle["chargeState"]["chargeState"] not in CHARGE_STATES
    assert charger["chargerState"]["chargeState"] not in CHARGE_STATES
    assert not set(vehicle["capabilities"]) <= set(CAPABILITIES)
    assert session["status"] not in SESSION_STATUSES
    assert session["calibrationState"] not in CALIBRATION_STATES
    assert message["type"] not in MESSAGE_TYPES
    assert message["notificationType"] not in NOTIFICATION_TYPES
    assert tariffs["tariffs"][0]["type"] not in TARIFF_TYPES
    assert tariffs["tariffIntervals"][0]["tariffType"] not in TARIFF_TYPES
    assert session_tariff["tariffType"] not in TARIFF_TYPES
    assert price["dataType"] not in DATA_TYPES
    async with api.http.post(admin, json={"enabled": False}) as response:
        assert (await response.json())["fields"] == []
    assert (await api.ok(f"{USER}/sessions/{demo.active_session_id}"))["status"] == "Active"


async def test_unseen_enum_values_for_some_fields_only(api: Api) -> None:
    """Tests can spoil one field at a time, from Python or the admin path."""
    demo = api.cloud.demo
    api.cloud.set_unseen_enums("messageType")
    message = (await api.ok(f"{USER}/messages"))["items"][0]
    assert message["type"] == UNSEEN["messageType"]
    assert message["notificationType"] in NOTIFICATION_TYPES
    assert (await api.ok(f"{USER}/sessions/{demo.active_session_id}"))["status"] == "Active"
    api.cloud.unseen_enums = False
    admin = f"{api.sim.root}/_admin/jedlix/unseen-enums"
    async with api.http.post(admin, json={"fields": ["sessionStatus"]}) as response:
        assert response.status == 200
    assert (await api.ok(f"{USER}/sessions/{demo.active_session_id}"))["status"] == "Suspended"
    async with api.http.post(admin, json={"fields": ["colour"]}) as response:
        assert response.status == 400
    with pytest.raises(ValueError, match="unknown enum fields"):
        api.cloud.set_unseen_enums("colour")


# --- tariffs -------------------------------------------------------------------------------------


def _single(kind: str, price: float = 0.25) -> dict[str, Any]:
    return {
        "tariffs": [{"type": kind, "price": price, "currency": "EUR"}],
        "offPeakChargingOnly": False,
        "tariffIntervals": [
            {"startTime": "00:00", "endTime": "00:00", "daysOfWeek": list(DAYS), "tariffType": kind}
        ],
    }


def _peaks(*kinds: str) -> dict[str, Any]:
    """Peak by day, OffPeak through the night (across midnight), SuperOffPeak at weekends."""
    weekdays, weekend = list(DAYS[:5]), list(DAYS[5:])
    body: dict[str, Any] = {
        "tariffs": [
            {"type": k, "price": 0.1 * (i + 1), "currency": "EUR"} for i, k in enumerate(kinds)
        ],
        "offPeakChargingOnly": False,
        "tariffIntervals": [
            {
                "startTime": "07:00",
                "endTime": "23:00",
                "daysOfWeek": weekdays,
                "tariffType": "Peak",
            },
            {
                "startTime": "23:00",
                "endTime": "07:00",
                "daysOfWeek": DAYS[:4],
                "tariffType": "OffPeak",
            },
            {
                "startTime": "23:00",
                "endTime": "24:00",
                "daysOfWeek": ["Friday"],
                "tariffType": "OffPeak",
            },
            {
                "startTime": "00:00",
                "endTime": "07:00",
                "daysOfWeek": ["Monday"],
                "tariffType": "OffPeak",
            },
            {
                "startTime": "00:00",
                "endTime": "00:00",
                "daysOfWeek": weekend,
                "tariffType": "SuperOffPeak",
            },
        ],
    }
    return body


async def test_valid_tariffs_are_stored_and_applied(api: Api) -> None:
    """A plan covering the week is accepted and decides the price of each moment."""
    path = f"{_location(api)}/tariffs"
    status, stored = await api.call("PUT", path, body=_peaks("Peak", "OffPeak", "SuperOffPeak"))
    assert status == 200, stored
    assert stored["tariffIntervals"][2]["endTime"] == "00:00"
    assert stored["updatedAt"] == "2026-11-23T12:00:00.000Z"
    assert await api.ok(path) == stored
    # Monday 13:00 local is Peak: the running session's tariff since the change.
    items = await api.ok(f"{USER}/sessions/{api.cloud.demo.active_session_id}/tariffs")
    assert {(i["tariffType"], i["price"]) for i in items} == {("Peak", 0.1)}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            lambda b: b["tariffs"].append({"type": "Peak", "price": 0.3, "currency": "EUR"}),
            "tariffs",
            "combined",
        ),
        (
            lambda b: (
                b.update(_single("Dynamic"))
                or b["tariffs"].append({"type": "OffPeak", "price": 0.1, "currency": "EUR"})
            ),
            "tariffs",
            "combined",
        ),
        (
            lambda b: b["tariffs"].append({"type": "Standard", "price": 0.3, "currency": "EUR"}),
            "tariffs",
            "only be given once",
        ),
        (lambda b: b["tariffs"][0].update(price=-0.01), "tariffs[0].price", "negative"),
        (lambda b: b["tariffs"][0].update(price="0.25"), "tariffs[0].price", "number"),
        (lambda b: b["tariffs"][0].update(price=True), "tariffs[0].price", "number"),
        (lambda b: b["tariffs"][0].update(type="Night"), "tariffs[0].type", "one of"),
        (lambda b: b["tariffs"][0].update(currency="euro"), "tariffs[0].currency", "ISO 4217"),
        (lambda b: b.update(tariffs=[]), "tariffs", "At least one"),
        (lambda b: b.update(tariffIntervals=[]), "tariffIntervals", "At least one"),
        (
            lambda b: b["tariffIntervals"][0].update(startTime="7:00"),
            "tariffIntervals[0].startTime",
            "HH:mm",
        ),
        (
            lambda b: b["tariffIntervals"][0].update(endTime="25:00"),
            "tariffIntervals[0].endTime",
            "HH:mm",
        ),
        (
            lambda b: b["tariffIntervals"][0].update(daysOfWeek=["Mon"]),
            "tariffIntervals[0].daysOfWeek",
            "days",
        ),
        (
            lambda b: b["tariffIntervals"][0].update(daysOfWeek=[]),
            "tariffIntervals[0].daysOfWeek",
            "days",
        ),
        (
            lambda b: b["tariffIntervals"][0].update(tariffType="Peak"),
            "tariffIntervals[0].tariffType",
            "tariffs",
        ),
        (
            lambda b: b["tariffIntervals"][0].update(endTime="23:00"),
            "tariffIntervals",
            "Monday 23:00 is not",
        ),
        (
            lambda b: b["tariffIntervals"][0].update(daysOfWeek=list(DAYS[:6])),
            "tariffIntervals",
            "Sunday 00:00 is not",
        ),
        (
            lambda b: b["tariffIntervals"].append(
                {
                    "startTime": "08:00",
                    "endTime": "09:00",
                    "daysOfWeek": ["Monday"],
                    "tariffType": "Standard",
                }
            ),
            "tariffIntervals",
            "overlap at Monday 08:00",
        ),
    ],
)
async def test_invalid_tariffs_are_refused(api: Api, change: Any, field: str, words: str) -> None:
    """Each rule of the real API: exclusive types, each type once, prices, times, whole week."""
    body = _single("Standard")
    change(body)
    path = f"{_location(api)}/tariffs"
    before = await api.ok(path)
    problem = await api.fails("PUT", path, 400, body=body)
    assert words in " ".join(problem["errors"][field]), problem["errors"]
    assert await api.ok(path) == before


async def test_peak_types_combine_but_not_twice(api: Api) -> None:
    """Peak, OffPeak and SuperOffPeak go together; any of them twice does not."""
    path = f"{_location(api)}/tariffs"
    status, _ = await api.call("PUT", path, body=_peaks("Peak", "OffPeak", "SuperOffPeak"))
    assert status == 200
    twice = _peaks("Peak", "OffPeak", "SuperOffPeak", "OffPeak")
    problem = await api.fails("PUT", path, 400, body=twice)
    assert problem["errors"]["tariffs"] == ["The tariff type OffPeak may only be given once."]
    await api.fails("PUT", path, 400, body=["not", "an", "object"])


async def test_post_creates_and_put_replaces_tariffs(api: Api) -> None:
    """POST on a location with settings is 409; PUT on one without is 404."""
    await api.fails("POST", f"{_location(api)}/tariffs", 409, body=_single("Standard"))
    fresh = api.cloud.add_location(DEMO_USER_ID)
    path = f"{USER}/charging-locations/{fresh.id}/tariffs"
    await api.fails("GET", path, 404)
    await api.fails("PUT", path, 404, body=_single("Standard"))
    status, created = await api.call("POST", path, body=_single("Standard", 0.31))
    assert status == 200
    assert created["tariffs"] == [{"type": "Standard", "price": 0.31, "currency": "EUR"}]


def _documented_example() -> dict[str, Any]:
    """The energy-tariffs guide's Peak/Off-peak example (the page is cited in the file)."""
    body: dict[str, Any] = json.loads((FIXTURES / "energy_tariffs_example.json").read_text())
    del body["_source"]
    return body


async def test_the_documented_tariff_body_is_accepted(api: Api) -> None:
    """The guide's own example (camelCase names, as it writes them) is stored as v2 says."""
    path = f"{_location(api)}/tariffs"
    status, stored = await api.call("PUT", path, body=_documented_example())
    assert status == 200, stored
    assert stored["offPeakChargingOnly"] is False
    assert stored["tariffs"] == [
        {"type": "Peak", "price": 0.4123, "currency": "EUR"},
        {"type": "OffPeak", "price": 0.3242, "currency": "EUR"},
    ]
    assert stored["tariffIntervals"][0]["daysOfWeek"][0] == "Monday"
    assert "holidayTariffIntervals" not in stored


async def test_the_old_intervals_body_is_refused(api: Api) -> None:
    """``{"tariffs", "intervals"}`` is no v2 body: 400, and nothing changes."""
    path = f"{_location(api)}/tariffs"
    before = await api.ok(path)
    body = _single("Standard")
    body["intervals"] = body.pop("tariffIntervals")
    del body["offPeakChargingOnly"]
    problem = await api.fails("PUT", path, 400, body=body)
    assert set(problem["errors"]) >= {"intervals", "tariffIntervals", "offPeakChargingOnly"}
    assert await api.ok(path) == before


async def test_off_peak_only_and_holidays(api: Api) -> None:
    """offPeakChargingOnly needs a peak plan; a holiday plan is checked like the week's."""
    path = f"{_location(api)}/tariffs"
    standard = _single("Standard") | {"offPeakChargingOnly": True}
    problem = await api.fails("PUT", path, 400, body=standard)
    assert "Double or Triple" in problem["errors"]["offPeakChargingOnly"][0]
    holidays = _single("OffPeak")["tariffIntervals"]
    body = _peaks("Peak", "OffPeak", "SuperOffPeak") | {
        "offPeakChargingOnly": True,
        "holidayTariffIntervals": holidays,
    }
    status, stored = await api.call("PUT", path, body=body)
    assert status == 200, stored
    assert stored["offPeakChargingOnly"] is True
    assert stored["holidayTariffIntervals"] == holidays
    body["holidayTariffIntervals"] = [dict(holidays[0], endTime="23:00")]
    problem = await api.fails("PUT", path, 400, body=body)
    assert "Monday 23:00 is not" in problem["errors"]["holidayTariffIntervals"][0]


# --- session settings ----------------------------------------------------------------------------


async def test_session_settings_of_an_active_session(api: Api) -> None:
    """Read the active settings, change them, and the car charges to the new target."""
    demo = api.cloud.demo
    base = f"{USER}/sessions/{demo.active_session_id}/session-settings"
    assert await api.ok(f"{base}/active") == {
        "sessionId": demo.active_session_id,
        "desiredStateOfCharge": 80,
        "departureTime": "2026-11-24T06:30:00.000Z",
        "updatedAt": "2026-11-23T11:00:00.000Z",
    }
    status, changed = await api.call(
        "POST", base, body={"desiredStateOfCharge": 90, "departureTime": "2026-11-24T07:00:00Z"}
    )
    assert status == 200, changed
    assert changed["desiredStateOfCharge"] == 90
    assert changed["departureTime"] == "2026-11-24T07:00:00.000Z"
    vehicle = await api.ok(f"{USER}/vehicles/{demo.charging_vehicle_id}")
    assert vehicle["desiredStateOfCharge"] == 90
    api.advance(hours=5)
    assert (await api.ok(f"{USER}/vehicles/{demo.charging_vehicle_id}/state"))[
        "batteryLevel"
    ] == 90.0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"desiredStateOfCharge": 150}, "desiredStateOfCharge"),
        ({"desiredStateOfCharge": "90"}, "desiredStateOfCharge"),
        ({"departureTime": "2026-11-23T11:00:00Z"}, "departureTime"),
        ({"departureTime": "tomorrow"}, "departureTime"),
        ({}, "body"),
    ],
)
async def test_bad_session_settings_are_400(api: Api, body: dict[str, Any], field: str) -> None:
    """Out-of-range charge, a departure in the past or nothing at all are refused."""
    path = f"{USER}/sessions/{api.cloud.demo.active_session_id}/session-settings"
    problem = await api.fails("POST", path, 400, body=body)
    assert field in problem["errors"]


async def test_session_settings_only_where_the_car_and_session_allow(api: Api) -> None:
    """A car without the capability, or a finished session, cannot take settings."""
    demo = api.cloud.demo
    zoe = api.cloud.plug_in(demo.parked_vehicle_id)
    problem = await api.fails(
        "POST", f"{USER}/sessions/{zoe.id}/session-settings", 400, body={"desiredStateOfCharge": 90}
    )
    assert "desiredStateOfCharge" in problem["errors"]
    finished = next(s for s in api.cloud.sessions.values() if not s.active)
    path = f"{USER}/sessions/{finished.id}/session-settings"
    await api.fails("GET", f"{path}/active", 404)
    await api.fails("POST", path, 400, body={"desiredStateOfCharge": 90})


# --- messages ------------------------------------------------------------------------------------


async def test_messages_are_paged_and_dismissed(api: Api) -> None:
    """includeDismissed (default true) and PATCH to dismiss, newest first."""
    cloud = api.cloud
    for i in range(25):
        cloud.add_message("CarNotReachable", at=NOW - timedelta(minutes=25 - i))
    every = await api.ok(f"{USER}/messages")
    assert (every["totalCount"], every["totalPages"], len(every["items"])) == (27, 2, 20)
    created = [m["createdAt"] for m in await api.all_pages(f"{USER}/messages", 10)]
    assert created == sorted(created, reverse=True)
    active = await api.ok(f"{USER}/messages", params={"includeDismissed": "false"})
    assert active["totalCount"] == 26
    target = active["items"][0]["id"]
    api.advance(seconds=5)
    status, dismissed = await api.call("PATCH", f"{USER}/messages/{target}")
    assert status == 200
    assert (dismissed["isDismissed"], dismissed["dismissedAt"]) == (
        True,
        "2026-11-23T12:00:05.000Z",
    )
    status, again = await api.call("PATCH", f"{USER}/messages/{target}", body={"isDismissed": True})
    assert (status, again["dismissedAt"]) == (200, "2026-11-23T12:00:05.000Z")
    assert await api.ok(f"{USER}/messages/{target}") == again
    active = await api.ok(f"{USER}/messages", params={"includeDismissed": "False"})
    assert active["totalCount"] == 25
    assert target not in [m["id"] for m in active["items"]]
    assert (await api.ok(f"{USER}/messages", params={"includeDismissed": "true"}))[
        "totalCount"
    ] == 27
    await api.fails("GET", f"{USER}/messages", 400, params={"includeDismissed": "maybe"})
    await api.fails("PATCH", f"{USER}/messages/{target}", 400, body={"isDismissed": False})


# --- utility contracts ---------------------------------------------------------------------------


async def test_utility_contracts(api: Api) -> None:
    """PUT fixes the contract and clears the message asking for it; DELETE and POST follow."""
    path = f"{_location(api)}/utility-contracts"
    contract = {"utilityName": "Vattenfall", "contractNumber": "NL-000456"}
    await api.fails("POST", path, 409, body=contract)
    status, stored = await api.call("PUT", path, body=contract)
    assert status == 200
    assert stored["isValid"] is True
    assert stored["contractNumber"] == "NL-000456"
    assert stored["chargingLocationId"] == api.cloud.demo.location_id
    action = await api.ok(f"{USER}/messages/{api.cloud.demo.action_message_id}")
    assert action["isDismissed"] is True
    problem = await api.fails("PUT", path, 400, body={"utilityName": " "})
    assert set(problem["errors"]) == {"utilityName", "contractNumber"}
    status, _ = await api.call("DELETE", path)
    assert status == 204
    await api.fails("DELETE", path, 404)
    await api.fails("PUT", path, 404, body=contract)
    status, created = await api.call("POST", path, body=contract)
    assert (status, created["utilityName"]) == (200, "Vattenfall")


# --- the Python controls -------------------------------------------------------------------------


async def test_add_and_remove_vehicles(api: Api) -> None:
    """A removed car disappears; its running session is force-ended, its history stays."""
    cloud = api.cloud
    tesla = cloud.add_vehicle(DEMO_USER_ID, brand="Tesla", model="Model 3", capabilities=[])
    assert len(await api.ok(f"{USER}/vehicles")) == 3
    session = cloud.plug_in(tesla.id, desired_soc=60)
    assert (await api.ok(f"{USER}/vehicles/{tesla.id}"))["isConnected"] is True
    cloud.remove_vehicle(tesla.id)
    await api.fails("GET", f"{USER}/vehicles/{tesla.id}", 404)
    assert (await api.ok(f"{USER}/sessions/{session.id}"))["status"] == "ForceEnded"
    with pytest.raises(ValueError, match="not plugged in"):
        cloud.unplug(api.cloud.demo.parked_vehicle_id)
    with pytest.raises(ValueError, match="already plugged in"):
        cloud.plug_in(api.cloud.demo.charging_vehicle_id)


async def test_snapshot_and_scale(api: Api) -> None:
    """scale(n) grows the tenant; the admin state counts the world."""
    api.cloud.scale(10, sessions_per_user=5)
    async with api.http.get(f"{api.sim.root}/_admin/state") as response:
        state = (await response.json())["jedlix"]
    assert len(state["users"]) == 11
    assert state["sessions"] == 6 + 50
    assert state["activeSessions"] == 1
    assert (state["vehicles"], state["chargers"], state["chargingLocations"]) == (12, 11, 11)
    assert state["unseenEnums"] == []


async def test_same_world_on_every_run() -> None:
    """Two fresh tenants have the same ids, sessions and prices."""
    first, second = JedlixCloud(Simulator()), JedlixCloud(Simulator())
    assert first.demo == second.demo
    assert first.snapshot() == second.snapshot()
    assert [s.start for s in first.sessions_of(None)] == [s.start for s in second.sessions_of(None)]
    user_a, user_b = first.add_user(sessions=3), second.add_user(sessions=3)
    assert user_a.id == user_b.id


# --- the typed boost setting ----------------------------------------------------------------------


def _boost_example() -> dict[str, Any]:
    """The boost body of prevent-the-creation-of-smart-sessions (cited in the file)."""
    body: dict[str, Any] = json.loads((FIXTURES / "boost_charging_setting.json").read_text())
    del body["_source"]
    return body


async def test_boost_charges_a_paused_session_now(api: Api) -> None:
    """The documented boost body makes a paused car charge now; turning it off pauses again."""
    demo = api.cloud.demo
    state = f"{USER}/vehicles/{demo.charging_vehicle_id}/state"
    api.cloud.stop_charging(demo.charging_vehicle_id)
    assert (await api.ok(state))["chargeState"] == "Stopped"
    path = f"{USER}/sessions/{demo.active_session_id}/session-settings"
    status, answer = await api.call("POST", path, body=_boost_example())
    assert status == 200, answer
    assert (await api.ok(state))["chargeState"] == "Charging"
    level = (await api.ok(state))["batteryLevel"]
    api.advance(minutes=30)
    assert (await api.ok(state))["batteryLevel"] > level
    status, answer = await api.call("POST", path, body={"type": "boostCharging", "enabled": False})
    assert status == 200, answer
    assert (await api.ok(state))["chargeState"] == "Stopped"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "smartCharging", "enabled": True}, "type"),
        ({"type": "boostCharging", "enabled": "yes"}, "enabled"),
        ({"type": "boostCharging"}, "enabled"),
        ({"type": "boostCharging", "enabled": True, "desiredStateOfCharge": 90}, "body"),
        ({"boostCharging": True}, "body"),
    ],
)
async def test_undocumented_session_settings_are_400(
    api: Api, body: dict[str, Any], field: str
) -> None:
    """Only the documented typed setting (or the seed's two fields) is taken; nothing changes."""
    demo = api.cloud.demo
    path = f"{USER}/sessions/{demo.active_session_id}/session-settings"
    before = await api.ok(f"{path}/active")
    problem = await api.fails("POST", path, 400, body=body)
    assert field in problem["errors"]
    assert await api.ok(f"{path}/active") == before
    assert api.cloud.sessions[demo.active_session_id].boost is False


async def test_boost_needs_start_stop_charging(api: Api) -> None:
    """A car Jedlix cannot start and stop takes no boost."""
    zoe = api.cloud.plug_in(api.cloud.demo.parked_vehicle_id)
    problem = await api.fails(
        "POST", f"{USER}/sessions/{zoe.id}/session-settings", 400, body=_boost_example()
    )
    assert "type" in problem["errors"]
