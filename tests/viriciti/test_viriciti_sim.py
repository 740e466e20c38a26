"""The simulated ViriCiti Smart Charging SDK, spoken to over HTTP like a client would."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.viriciti import DEMO_GROUP, Timeframe, ViricitiCloud, share

from ..conftest import Sim

FIXTURES = Path(__file__).parent.parent / "fixtures" / "viriciti"
KEY = "viriciti-demo-key"
EVERY_DAY = "0,1,2,3,4,5,6"
# 2026-11-23T12:00Z is a Monday, 13:00 in Amsterdam (UTC+1 in November).
MONDAY = "2026-11-23"


def fixture(name: str) -> Any:
    """A seed example response, as JSON."""
    return json.loads((FIXTURES / name).read_text())


def ms(when: str) -> int:
    """Unix milliseconds of an ISO 8601 time."""
    return int(datetime.fromisoformat(when).timestamp() * 1000)


@dataclass
class Reply:
    """What came back: status, decoded body and headers."""

    status: int
    body: Any
    headers: Mapping[str, str]


@dataclass
class Api:
    """A tiny client for the SDK: the demo key in the header unless told otherwise."""

    session: aiohttp.ClientSession
    simulator: Sim

    @property
    def cloud(self) -> ViricitiCloud:
        """The simulated SDK, to set up situations."""
        return self.simulator.viriciti

    def at(self, when: str) -> None:
        """Set the simulated clock to an ISO 8601 time."""
        self.simulator.sim.clock.set(datetime.fromisoformat(when))

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward."""
        self.simulator.sim.clock.advance(seconds)

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        data: str | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send a request under ``/viriciti/api/v1``."""
        url = f"{self.simulator.url('viriciti')}/api/v1/{path}"
        async with self.session.request(
            method,
            url,
            json=body,
            data=data,
            params=params,
            headers={"x-api-key": KEY} if headers is None else headers,
        ) as response:
            decoded = await response.json(content_type=None)
            return Reply(response.status, decoded, response.headers)

    async def limit(self, group: str = DEMO_GROUP) -> Any:
        """``GET grouplimit``, which must answer 200."""
        reply = await self.call("GET", f"smartcharging/grouplimit/{group}")
        assert reply.status == 200, reply.body
        return reply.body

    async def set_limit(self, limit: Any, end: Any, group: str = DEMO_GROUP) -> Reply:
        """``POST grouplimit``."""
        return await self.call(
            "POST", f"smartcharging/grouplimit/{group}", body={"groupLimit": limit, "endTime": end}
        )

    async def series(self, start: str, end: str, group: str = DEMO_GROUP) -> Any:
        """``GET time`` between two ISO times, which must answer 200."""
        reply = await self.call(
            "GET",
            f"smartcharging/time/{group}",
            params={"start": str(ms(start)), "end": str(ms(end))},
        )
        assert reply.status == 200, reply.body
        return reply.body


@pytest.fixture
def api(simulator: Sim, http: aiohttp.ClientSession) -> Api:
    """A client session against the simulator's ViriCiti SDK."""
    return Api(http, simulator)


def scheduled(limit: int, start: str, end: str) -> dict[str, Any]:
    """The ``scheduled`` object of ``GET grouplimit``."""
    return {"limit": limit, "start": start, "end": end}


EVENING = scheduled(200, f"0 16 * * {EVERY_DAY}", f"0 0 * * {EVERY_DAY}")
NIGHT = scheduled(100, f"0 0 * * {EVERY_DAY}", f"0 8 * * {EVERY_DAY}")

ROUTES = [
    ("GET", f"smartcharging/chargergroup/{DEMO_GROUP}"),
    ("GET", f"smartcharging/grouplimit/{DEMO_GROUP}"),
    ("GET", f"smartcharging/time/{DEMO_GROUP}?start=1795000000000&end=1795435200000"),
]


# -- authentication --------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), ROUTES)
async def test_key_in_header_or_query_is_accepted(api: Api, method: str, path: str) -> None:
    """The key may come in the ``x-api-key`` header or the ``apiKey`` query."""
    assert (await api.call(method, path)).status == 200
    separator = "&" if "?" in path else "?"
    by_query = await api.call(method, f"{path}{separator}apiKey={KEY}", headers={})
    assert by_query.status == 200


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(
    ("headers", "query"),
    [({}, ""), ({"x-api-key": "wrong"}, ""), ({}, "apiKey=wrong")],
    ids=["missing", "wrong-header", "wrong-query"],
)
async def test_missing_or_wrong_key_is_401(
    api: Api, method: str, path: str, headers: dict[str, str], query: str
) -> None:
    """Without a known key every route answers 401 with a JSON error."""
    separator = "&" if "?" in path else "?"
    reply = await api.call(method, f"{path}{separator}{query}" if query else path, headers=headers)
    assert reply.status == 401
    assert reply.body == {"error": "Invalid or missing API key"}


async def test_post_without_key_changes_nothing(api: Api) -> None:
    """A refused POST does not set a limit."""
    reply = await api.call(
        "POST",
        f"smartcharging/grouplimit/{DEMO_GROUP}",
        body={"groupLimit": 300, "endTime": "2026-11-23T13:00:00Z"},
        headers={},
    )
    assert reply.status == 401
    assert (await api.limit())["activeLimit"] == "default"


# -- static information ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "chargestations"),
        ("GET", "chargestations/charger_1"),
        ("GET", "smartcharging/chargergroups"),
        ("DELETE", f"smartcharging/grouplimit/{DEMO_GROUP}"),
        ("POST", "chargestations/charger_1/actions/unlock-connector"),
    ],
)
async def test_undocumented_routes_are_refused(api: Api, method: str, path: str) -> None:
    """No public page lists groups or stations or these calls: the simulator has none."""
    url = f"{api.simulator.url('viriciti')}/api/v1/{path}"
    async with api.session.request(method, url, headers={"x-api-key": KEY}) as response:
        assert response.status in (404, 405)


async def test_chargergroup_matches_the_seed(api: Api) -> None:
    """The demo group is the seed's example, byte for byte as JSON."""
    reply = await api.call("GET", f"smartcharging/chargergroup/{DEMO_GROUP}")
    assert reply.status == 200
    assert reply.body == fixture("chargergroup_response.json")


async def test_chargergroup_shows_only_active_timeframes(api: Api) -> None:
    """A timeframe switched off is neither shown nor applied."""
    api.cloud.set_timeframes(
        DEMO_GROUP,
        [
            Timeframe("off", "0 12 * * *", "0 14 * * *", 50, active=False),
            Timeframe("evening", "0 18 * * *", "0 22 * * *", 250),
        ],
    )
    reply = await api.call("GET", f"smartcharging/chargergroup/{DEMO_GROUP}")
    assert [tf["name"] for tf in reply.body["timeframes"]] == ["evening"]
    assert await api.limit() == {"activeLimit": "default", "default": {"limit": 400}}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "smartcharging/chargergroup/Nope"),
        ("GET", "smartcharging/grouplimit/Nope"),
        ("POST", "smartcharging/grouplimit/Nope"),
        ("GET", "smartcharging/time/Nope?start=1795000000000&end=1795435200000"),
    ],
)
async def test_unknown_group_is_404(api: Api, method: str, path: str) -> None:
    """A group the key cannot see answers 404 with a JSON error."""
    body = {"groupLimit": 100, "endTime": "2026-11-23T13:00:00Z"} if method == "POST" else None
    reply = await api.call(method, path, body=body)
    assert reply.status == 404
    assert reply.body == {"error": "Charger group not found"}


# -- the limit hierarchy ---------------------------------------------------------------


async def test_default_applies_outside_timeframes(api: Api) -> None:
    """At 13:00 in Amsterdam no timeframe runs: only the default."""
    assert await api.limit() == {"activeLimit": "default", "default": {"limit": 400}}


async def test_scheduled_applies_inside_a_timeframe(api: Api) -> None:
    """At 17:00 the 16:00-00:00 timeframe runs."""
    api.at(f"{MONDAY}T17:00:00+01:00")
    assert await api.limit() == {
        "activeLimit": "scheduled",
        "default": {"limit": 400},
        "scheduled": EVENING,
    }


async def test_timeframe_ending_at_midnight(api: Api) -> None:
    """16:00-00:00 runs until midnight; then 00:00-08:00 takes over; at 08:00 the default."""
    api.at(f"{MONDAY}T23:59:59+01:00")
    assert (await api.limit())["scheduled"] == EVENING
    api.at("2026-11-24T00:00:00+01:00")
    assert await api.limit() == {
        "activeLimit": "scheduled",
        "default": {"limit": 400},
        "scheduled": NIGHT,
    }
    api.at("2026-11-24T07:59:59+01:00")
    assert (await api.limit())["scheduled"] == NIGHT
    api.at("2026-11-24T08:00:00+01:00")
    assert await api.limit() == {"activeLimit": "default", "default": {"limit": 400}}


async def test_timeframe_crossing_midnight_on_chosen_days(api: Api) -> None:
    """Friday 22:00 to Saturday 02:00 (5 = Friday) holds after midnight, not on Sunday."""
    api.cloud.set_timeframes(DEMO_GROUP, [Timeframe("fri-night", "0 22 * * 5", "0 2 * * 6", 150)])
    expected = {
        "activeLimit": "scheduled",
        "default": {"limit": 400},
        "scheduled": scheduled(150, "0 22 * * 5", "0 2 * * 6"),
    }
    api.at("2026-11-27T23:00:00+01:00")  # Friday
    assert await api.limit() == expected
    api.at("2026-11-28T01:59:00+01:00")  # Saturday, after midnight
    assert await api.limit() == expected
    api.at("2026-11-28T02:00:00+01:00")
    assert (await api.limit())["activeLimit"] == "default"
    api.at("2026-11-29T01:00:00+01:00")  # Sunday: no start on Saturday evening
    assert (await api.limit())["activeLimit"] == "default"
    api.at("2026-11-26T23:00:00+01:00")  # Thursday
    assert (await api.limit())["activeLimit"] == "default"


async def test_day_of_week_zero_is_sunday(api: Api) -> None:
    """Cron day-of-week 0 is Sunday, as the seed says."""
    api.cloud.set_timeframes(DEMO_GROUP, [Timeframe("sun", "0 10 * * 0", "0 12 * * 0", 120)])
    api.at("2026-11-29T11:00:00+01:00")  # Sunday
    assert (await api.limit())["scheduled"]["limit"] == 120
    api.at("2026-11-30T11:00:00+01:00")  # Monday
    assert "scheduled" not in await api.limit()


async def test_timeframes_follow_the_group_time_zone(api: Api) -> None:
    """A cron hour is local: 16:00 in Amsterdam is 15:00 UTC in winter, 14:00 in summer."""
    api.at("2026-11-23T15:00:00Z")
    assert (await api.limit())["scheduled"] == EVENING
    api.at("2026-07-06T14:00:00Z")
    assert (await api.limit())["scheduled"] == EVENING
    api.at("2026-07-06T13:59:00Z")
    assert "scheduled" not in await api.limit()


async def test_upcoming_anticipates_a_drop(api: Api) -> None:
    """15 minutes before 16:00 the coming 200 kW is already the active limit."""
    api.at(f"{MONDAY}T15:50:00+01:00")
    assert await api.limit() == {
        "activeLimit": "upcoming",
        "default": {"limit": 400},
        "upcoming": {
            "limit": 200,
            "start": f"{MONDAY}T16:00:00.000+01:00",
            "end": "2026-11-24T00:00:00.000+01:00",
        },
    }
    api.at(f"{MONDAY}T15:45:00+01:00")
    assert (await api.limit())["activeLimit"] == "upcoming"
    api.at(f"{MONDAY}T15:44:59+01:00")
    assert await api.limit() == {"activeLimit": "default", "default": {"limit": 400}}


async def test_upcoming_ranks_above_scheduled(api: Api) -> None:
    """Before midnight the scheduled 200 kW gives way to the coming 100 kW."""
    api.at(f"{MONDAY}T23:50:00+01:00")
    assert await api.limit() == {
        "activeLimit": "upcoming",
        "default": {"limit": 400},
        "upcoming": {
            "limit": 100,
            "start": "2026-11-24T00:00:00.000+01:00",
            "end": "2026-11-24T08:00:00.000+01:00",
        },
        "scheduled": EVENING,
    }


async def test_no_upcoming_for_a_rise(api: Api) -> None:
    """Ten minutes before 08:00 the limit will rise to 400 kW: nothing is anticipated."""
    api.at("2026-11-24T07:50:00+01:00")
    assert await api.limit() == {
        "activeLimit": "scheduled",
        "default": {"limit": 400},
        "scheduled": NIGHT,
    }


async def test_external_ranks_above_everything(api: Api) -> None:
    """An external limit wins over an upcoming drop; the other layers are still shown."""
    api.at(f"{MONDAY}T15:50:00+01:00")
    reply = await api.set_limit(300, f"{MONDAY}T17:00:00+01:00")
    assert reply.status == 200
    expected = {
        "activeLimit": "external",
        "default": {"limit": 400},
        "external": {
            "limit": 300,
            "start": f"{MONDAY}T15:50:00.000+01:00",
            "end": f"{MONDAY}T17:00:00.000+01:00",
        },
        "upcoming": {
            "limit": 200,
            "start": f"{MONDAY}T16:00:00.000+01:00",
            "end": "2026-11-24T00:00:00.000+01:00",
        },
    }
    assert reply.body == expected
    assert await api.limit() == expected
    api.advance(15 * 60)
    assert (await api.limit())["activeLimit"] == "external"


async def test_external_limit_expires(api: Api) -> None:
    """At its end time the external limit is gone and the scheduled limit applies again."""
    api.at(f"{MONDAY}T16:30:00+01:00")
    assert (await api.set_limit(250, f"{MONDAY}T17:00:00+01:00")).status == 200
    api.advance(29 * 60 + 59)
    assert (await api.limit())["external"]["limit"] == 250
    api.advance(1)
    assert await api.limit() == {
        "activeLimit": "scheduled",
        "default": {"limit": 400},
        "scheduled": EVENING,
    }


async def test_external_limit_expires_to_default(api: Api) -> None:
    """Without a timeframe the default applies again after the end time."""
    assert (await api.set_limit(350, "2026-11-23T12:30:00Z")).status == 200
    assert (await api.limit())["activeLimit"] == "external"
    api.advance(30 * 60)
    assert await api.limit() == {"activeLimit": "default", "default": {"limit": 400}}


async def test_new_external_limit_replaces_the_old_one(api: Api) -> None:
    """A second POST (after the pause) replaces the first external limit."""
    assert (await api.set_limit(350, "2026-11-23T14:00:00Z")).status == 200
    api.advance(60)
    reply = await api.set_limit(150, "2026-11-23T12:30:00Z")
    assert reply.body["external"] == {
        "limit": 150,
        "start": f"{MONDAY}T13:01:00.000+01:00",
        "end": f"{MONDAY}T13:30:00.000+01:00",
    }
    api.advance(30 * 60)
    assert (await api.limit())["activeLimit"] == "default"


# -- the seed's examples ---------------------------------------------------------------


async def test_post_matches_the_seed_example(api: Api) -> None:
    """The seed's POST, in its situation, answers the seed's response.

    The seed spells the offset ``+00.00`` in this example and ``+00:00`` in the GET
    example; the simulator accepts both and always writes ``+00:00``.
    """
    api.at("2021-02-10T15:00:00Z")
    api.cloud.add_group("ViriCitiChargers", default_limit=500, timezone="UTC")
    api.at("2021-02-10T16:00:00Z")
    reply = await api.call(
        "POST",
        "smartcharging/grouplimit/ViriCitiChargers",
        data=(FIXTURES / "grouplimit_post_request.json").read_text(),
        headers={"x-api-key": KEY, "Content-Type": "application/json"},
    )
    assert reply.status == 200
    expected = json.loads(
        (FIXTURES / "grouplimit_post_response.json").read_text().replace("+00.00", "+00:00")
    )
    assert reply.body == expected


async def test_get_matches_the_seed_example(api: Api) -> None:
    """The seed's GET example: an external limit during a scheduled 16:00-20:00 timeframe."""
    api.at("2021-03-09T12:00:00Z")
    api.cloud.add_group(
        "ViriCitiChargers",
        default_limit=500,
        timezone="UTC",
        timeframes=[
            Timeframe("16:00-20:00", f"0 16 * * {EVERY_DAY}", f"0 20 * * {EVERY_DAY}", 300)
        ],
    )
    api.at("2021-03-09T16:20:00Z")
    reply = await api.set_limit(200, "2021-03-09T16:50:00.000+00:00", group="ViriCitiChargers")
    assert reply.status == 200
    api.advance(5 * 60)
    assert await api.limit("ViriCitiChargers") == fixture("grouplimit_get_response.json")


async def test_time_series_matches_the_seed_example(api: Api) -> None:
    """Three positions plug in at 16:20:05 under a 250 kW limit: 100, 100 and (capped) 50."""
    api.cloud.reset(demo=False)
    api.at("2020-07-15T00:00:00Z")
    api.cloud.add_group("group_1", default_limit=250, timezone="UTC")
    api.cloud.add_station("charger_1", "group_1", positions=2, max_power=150)
    api.cloud.add_station("charger_2", "group_1", positions=1, max_power=50)
    api.at("2020-07-16T16:20:05Z")
    for identity, position in [("charger_1", 1), ("charger_1", 2), ("charger_2", 1)]:
        api.cloud.start_session(identity, position)
    api.at("2020-07-17T09:00:00Z")
    reply = await api.call(
        "GET",
        "smartcharging/time/group_1",
        params={"start": "1594890000000", "end": "1594976400000"},
    )
    assert reply.status == 200
    assert reply.body == fixture("time_series_response.json")


# -- validation of POST grouplimit -----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"groupLimit": 0, "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"groupLimit": -5, "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"groupLimit": 450.0, "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"groupLimit": 450.5, "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"groupLimit": "450", "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"groupLimit": True, "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"groupLimit": None, "endTime": "2026-11-23T13:00:00Z"}, "groupLimit must be"),
        ({"endTime": "2026-11-23T13:00:00Z"}, "groupLimit is required"),
        ({"groupLimit": 300}, "endTime is required"),
        ({"groupLimit": 300, "endTime": "2026-11-23T11:00:00Z"}, "endTime must be in the future"),
        ({"groupLimit": 300, "endTime": "2026-11-23T12:00:00Z"}, "endTime must be in the future"),
        ({"groupLimit": 300, "endTime": "tomorrow"}, "endTime must be an ISO 8601"),
        ({"groupLimit": 300, "endTime": "2026-11-24"}, "endTime must be an ISO 8601"),
        ({"groupLimit": 300, "endTime": "2026-11-23T25:00:00Z"}, "endTime must be an ISO 8601"),
        ({"groupLimit": 300, "endTime": 1795000000000}, "endTime must be an ISO 8601"),
        ([300, "2026-11-23T13:00:00Z"], "The body must be a JSON object"),
    ],
)
async def test_invalid_limit_requests_are_400(api: Api, body: Any, error: str) -> None:
    """Only a positive integer limit with a future end time is accepted."""
    reply = await api.call("POST", f"smartcharging/grouplimit/{DEMO_GROUP}", body=body)
    assert reply.status == 400
    assert reply.body["error"].startswith(error)
    assert (await api.limit())["activeLimit"] == "default"


async def test_body_that_is_not_json_is_400(api: Api) -> None:
    """A body that does not parse is refused."""
    reply = await api.call("POST", f"smartcharging/grouplimit/{DEMO_GROUP}", data="groupLimit=5")
    assert reply.status == 400
    assert reply.body == {"error": "The body must be JSON"}


@pytest.mark.parametrize(
    ("end_time", "end"),
    [
        ("2026-11-23T14:00:00.000+00.00", "2026-11-23T15:00:00.000+01:00"),
        ("2026-11-23T14:00:00.000+00:00", "2026-11-23T15:00:00.000+01:00"),
        ("2026-11-23T14:00:00Z", "2026-11-23T15:00:00.000+01:00"),
        ("2026-11-23T14:00:00+01:00", "2026-11-23T14:00:00.000+01:00"),
        ("2026-11-23T14:00:00", "2026-11-23T14:00:00.000+01:00"),
    ],
    ids=["seed-dotted-offset", "offset", "zulu", "local-offset", "no-offset-is-group-zone"],
)
async def test_end_time_spellings(api: Api, end_time: str, end: str) -> None:
    """The seed's ``+00.00``, ``+00:00`` and ``Z`` are read; no offset means the group's zone."""
    reply = await api.set_limit(300, end_time)
    assert reply.status == 200
    assert reply.body["external"]["end"] == end


async def test_group_that_refuses_external_limits(api: Api) -> None:
    """A group not configured for external limits refuses them (seed, note 2)."""
    api.cloud.add_group("Closed", default_limit=100, accepts_external=False)
    reply = await api.set_limit(50, "2026-11-23T13:00:00Z", group="Closed")
    assert reply.status == 400
    assert reply.body == {"error": "This charger group does not accept external limits"}


# -- rate limits -----------------------------------------------------------------------


async def test_limit_changed_too_often_is_429(api: Api) -> None:
    """One change per group per minute; refused requests do not count as changes."""
    assert (await api.set_limit(0, "2026-11-23T14:00:00Z")).status == 400
    assert (await api.set_limit(300, "2026-11-23T14:00:00Z")).status == 200
    api.advance(20)
    refused = await api.set_limit(250, "2026-11-23T14:00:00Z")
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "40"
    assert refused.body == {"error": "Group limit changed too recently"}
    assert (await api.limit())["external"]["limit"] == 300
    api.advance(40)
    assert (await api.set_limit(250, "2026-11-23T14:00:00Z")).status == 200
    assert (await api.limit())["external"]["limit"] == 250


async def test_change_rule_is_per_group(api: Api) -> None:
    """Changing one group does not hold back another."""
    api.cloud.add_group("Other", default_limit=100)
    assert (await api.set_limit(300, "2026-11-23T14:00:00Z")).status == 200
    assert (await api.set_limit(50, "2026-11-23T14:00:00Z", group="Other")).status == 200


async def test_too_many_requests_per_key_is_429(api: Api) -> None:
    """120 requests per key per simulated minute; then 429 until the window moves on."""
    group = f"smartcharging/chargergroup/{DEMO_GROUP}"
    for _ in range(120):
        assert (await api.call("GET", group)).status == 200
    refused = await api.call("GET", f"smartcharging/grouplimit/{DEMO_GROUP}")
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.body == {"error": "Too many requests"}
    api.cloud.api_keys.add("second-key")
    other = await api.call("GET", group, headers={"x-api-key": "second-key"})
    assert other.status == 200
    api.advance(59)
    assert (await api.call("GET", group)).headers["Retry-After"] == "1"
    api.advance(1)
    assert (await api.call("GET", group)).status == 200


# -- time series -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"end": "1795435200000"}, "start is required"),
        ({"start": "1795000000000"}, "end is required"),
        ({"start": "abc", "end": "1795435200000"}, "start must be a Unix timestamp"),
        ({"start": "1795000000000.5", "end": "1795435200000"}, "start must be a Unix timestamp"),
        ({"start": "-5", "end": "1795435200000"}, "start must be a Unix timestamp"),
        ({"start": "1795000000000", "end": "1.8e12"}, "end must be a Unix timestamp"),
        ({"start": "1795000000000", "end": "1795000000000"}, "start must be before end"),
        ({"start": "1795435200000", "end": "1795000000000"}, "start must be before end"),
        (
            {"start": "1795000000000", "end": str(1795000000000 + 31 * 86_400_000 + 1)},
            "The period may be at most 31 days",
        ),
    ],
)
async def test_time_series_window_is_checked(api: Api, params: dict[str, str], error: str) -> None:
    """Both bounds are required integers (ms), start before end, at most 31 days apart."""
    reply = await api.call("GET", f"smartcharging/time/{DEMO_GROUP}", params=params)
    assert reply.status == 400
    assert reply.body["error"].startswith(error)


async def test_time_series_of_exactly_31_days_is_allowed(api: Api) -> None:
    """The limit itself is allowed."""
    params = {"start": "1795000000000", "end": str(1795000000000 + 31 * 86_400_000)}
    reply = await api.call("GET", f"smartcharging/time/{DEMO_GROUP}", params=params)
    assert reply.status == 200
    assert isinstance(reply.body, list)


async def _depot(api: Api) -> None:
    """A 300 kW group in UTC without timeframes: A has 2 x 150 kW, B 1 x 50 kW."""
    api.cloud.add_group("Depot", default_limit=300)
    api.cloud.add_station("A", "Depot", positions=2, max_power=150)
    api.cloud.add_station("B", "Depot", positions=1, max_power=50)


def sample(time: str, group_limit: int, *limits: tuple[str, int, int]) -> dict[str, Any]:
    """A time-series item."""
    return {
        "limits": [
            {"limit": kw, "chargestation": station, "position": position}
            for station, position, kw in limits
        ],
        "groupLimit": group_limit,
        "time": time,
    }


async def test_group_limit_is_shared_among_positions(api: Api) -> None:
    """Positions come and go; each change of the sharing is one sample."""
    await _depot(api)
    api.advance(60)
    api.cloud.start_session("A", 1)
    api.advance(600)
    api.cloud.start_session("A", 2)
    api.advance(600)
    api.cloud.start_session("B", 1)
    api.advance(600)
    api.cloud.end_session("A", 1)
    api.advance(600)
    assert (await api.set_limit(120, "2026-11-23T13:00:00Z", group="Depot")).status == 200
    api.advance(3600)
    series = await api.series("2026-11-23T12:00:00Z", "2026-11-23T14:00:00Z", group="Depot")
    assert series == [
        sample("2026-11-23T12:00:00.000Z", 300),
        sample("2026-11-23T12:01:00.000Z", 300, ("A", 1, 150)),
        sample("2026-11-23T12:11:00.000Z", 300, ("A", 1, 150), ("A", 2, 150)),
        sample("2026-11-23T12:21:00.000Z", 300, ("A", 1, 125), ("A", 2, 125), ("B", 1, 50)),
        sample("2026-11-23T12:31:00.000Z", 300, ("A", 2, 150), ("B", 1, 50)),
        sample("2026-11-23T12:41:00.000Z", 120, ("A", 2, 70), ("B", 1, 50)),
        sample("2026-11-23T13:00:00.000Z", 300, ("A", 2, 150), ("B", 1, 50)),
    ]


async def test_time_series_keeps_to_the_window(api: Api) -> None:
    """Only samples with start <= time < end; nothing from before the group existed."""
    await _depot(api)
    api.advance(60)
    api.cloud.start_session("A", 1)
    api.advance(60)
    api.cloud.start_session("B", 1)
    api.advance(60)
    assert await api.series("2026-11-23T12:01:00Z", "2026-11-23T12:02:00Z", group="Depot") == [
        sample("2026-11-23T12:01:00.000Z", 300, ("A", 1, 150))
    ]
    assert await api.series("2026-11-23T11:00:00Z", "2026-11-23T12:00:00Z", group="Depot") == []
    later = await api.series("2026-11-23T12:01:00.001Z", "2026-11-24T00:00:00Z", group="Depot")
    assert [item["time"] for item in later] == ["2026-11-23T12:02:00.000Z"]


async def test_time_series_follows_timeframes(api: Api) -> None:
    """The demo group's sharing changes with the upcoming drops and the rise at 08:00."""
    api.advance(24 * 3600)
    series = await api.series("2026-11-23T12:00:00Z", "2026-11-24T12:00:00Z")
    both = (("charger_1", 1), ("charger_2", 1))
    assert series == [
        sample("2026-11-23T14:45:00.000Z", 200, (*both[0], 150), (*both[1], 50)),
        sample("2026-11-23T22:45:00.000Z", 100, (*both[0], 50), (*both[1], 50)),
        sample("2026-11-24T07:00:00.000Z", 400, (*both[0], 150), (*both[1], 50)),
    ]


async def test_stations_leaving_and_moving(api: Api) -> None:
    """A removed station's sessions end; a moved one's history stays with its old group."""
    await _depot(api)
    api.cloud.add_group("Yard", default_limit=100)
    api.cloud.start_session("A", 1)
    api.cloud.start_session("B", 1)
    api.advance(60)
    api.cloud.move_station("B", "Yard")
    api.advance(60)
    api.cloud.start_session("B", 1)
    api.advance(60)
    api.cloud.remove_station("A")
    api.advance(60)
    depot = await api.series("2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z", group="Depot")
    assert depot == [
        sample("2026-11-23T12:00:00.000Z", 300, ("A", 1, 150), ("B", 1, 50)),
        sample("2026-11-23T12:01:00.000Z", 300, ("A", 1, 150)),
        sample("2026-11-23T12:03:00.000Z", 300),
    ]
    yard = await api.series("2026-11-23T12:00:00Z", "2026-11-23T13:00:00Z", group="Yard")
    assert yard == [
        sample("2026-11-23T12:00:00.000Z", 100),
        sample("2026-11-23T12:02:00.000Z", 100, ("B", 1, 50)),
    ]
    stations = api.cloud.snapshot()["stations"]
    assert [(s["identity"], s["groupId"]) for s in stations] == [
        ("charger_1", DEMO_GROUP),
        ("charger_2", DEMO_GROUP),
        ("B", "Yard"),
    ]


async def test_demo_history_is_plausible(api: Api) -> None:
    """The demo week has sessions, every share within caps and the group limit."""
    series = await api.series("2026-11-16T12:00:00Z", "2026-11-23T12:00:01Z")
    assert len(series) > 20
    caps = {"charger_1": 150, "charger_2": 50}
    for item in series:
        assert item["groupLimit"] in {100, 200, 400}
        assert sum(entry["limit"] for entry in item["limits"]) <= item["groupLimit"]
        assert all(0 < entry["limit"] <= caps[entry["chargestation"]] for entry in item["limits"])
    assert series[-1] == sample(
        "2026-11-23T11:30:00.000Z", 400, ("charger_1", 1, 150), ("charger_2", 1, 50)
    )
    now = api.cloud.current(DEMO_GROUP).as_json()
    assert (now["groupLimit"], now["limits"]) == (series[-1]["groupLimit"], series[-1]["limits"])


def test_demo_world_is_deterministic() -> None:
    """The same seed gives the same history; another seed another."""

    def history(seed: int) -> list[dict[str, Any]]:
        cloud = ViricitiCloud(Simulator(), seed=seed)
        return [s.as_json() for s in cloud.group(DEMO_GROUP).samples]

    assert history(1) == history(1)
    assert history(1) != history(2)


async def test_world_scales_to_many_chargers(api: Api) -> None:
    """``scale`` adds chargers over groups; the limit is still shared within bounds."""
    added = api.cloud.scale(60, groups=3, positions=2)
    assert len(added) == 58
    stations = api.cloud.snapshot()["stations"]
    assert len(stations) == 60
    assert {s["groupId"] for s in stations} == {DEMO_GROUP, f"{DEMO_GROUP}2", f"{DEMO_GROUP}3"}
    reply = await api.call("GET", f"smartcharging/chargergroup/{DEMO_GROUP}3")
    assert reply.body["title"] == "ViriCiti Group 3"
    current = api.cloud.current(f"{DEMO_GROUP}2")
    assert current.limits
    assert sum(item.limit for item in current.limits) <= current.group_limit == 400


async def test_admin_state_shows_the_world(api: Api) -> None:
    """The admin snapshot lists groups with their layers and stations with sessions."""
    async with api.session.get(f"{api.simulator.root}/_admin/state") as response:
        state = (await response.json())["viriciti"]
    assert state["groups"][DEMO_GROUP]["limits"] == {
        "activeLimit": "default",
        "default": {"limit": 400},
    }
    assert [s["charging"] for s in state["stations"]] == [[1], [1]]


# -- the rules on their own ------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "caps", "expected"),
    [
        (250, [150, 150, 50], [100, 100, 50]),
        (100, [150, 150, 150], [34, 33, 33]),
        (1000, [150, 50], [150, 50]),
        (120, [150, 50], [70, 50]),
        (200, [], []),
        (2, [150, 150, 150], [1, 1, 0]),
    ],
)
def test_share_is_max_min_fair(limit: int, caps: list[int], expected: list[int]) -> None:
    """Water filling in whole kW; the sum never exceeds the limit."""
    assert share(limit, caps) == expected


@pytest.mark.parametrize(
    ("start", "end", "limit"),
    [
        ("0 25 * * *", "0 8 * * *", 100),
        ("0 16 * * *", "nonsense", 100),
        ("0 0 * * *", "0 8 * * *", 0),
    ],
)
def test_bad_timeframes_are_refused(start: str, end: str, limit: int) -> None:
    """A bad cron or a non-positive limit fails when the timeframe is made."""
    with pytest.raises(ValueError, match="timeframe"):
        Timeframe("bad", start, end, limit)


def test_changes_may_not_be_played_out_of_order() -> None:
    """A past change before one already recorded, or a future one, is refused."""
    sim = Simulator()
    cloud = ViricitiCloud(sim)
    with pytest.raises(ValueError, match="recorded past"):
        cloud.end_session("charger_1", 1, at=sim.now() - timedelta(days=2))
    with pytest.raises(ValueError, match="future"):
        cloud.start_session("charger_1", 2, at=sim.now() + timedelta(seconds=1))
    with pytest.raises(ValueError, match="already charging"):
        cloud.start_session("charger_1", 1)
    with pytest.raises(ValueError, match="no position"):
        cloud.start_session("charger_2", 2)


def test_clock_moving_back_forgets_what_came_after() -> None:
    """Setting the clock back drops the samples after it; the next change is recorded then.

    The world itself (sessions, limits) stays as it is: only the record is rewound.
    """
    sim = Simulator()
    cloud = ViricitiCloud(sim)
    sim.clock.set(datetime(2026, 11, 23, 11, 15, tzinfo=UTC))
    cloud.end_session("charger_1", 1)
    times = [s.time.isoformat() for s in cloud.group(DEMO_GROUP).samples[-2:]]
    assert times == ["2026-11-23T11:00:00+00:00", "2026-11-23T11:15:00+00:00"]
    assert [item.chargestation for item in cloud.current(DEMO_GROUP).limits] == ["charger_2"]
