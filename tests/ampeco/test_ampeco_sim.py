"""The simulated AMPECO public API: contract, guide-form leniency, behaviour and control."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from simulator.ampeco import (
    DEVIATIONS,
    PREFERENCES,
    SpecViolation,
    mode,
    validate_logged_requests,
    validate_request,
    validate_response,
    vendor_document,
)
from simulator.ampeco.contract import contract
from simulator.openapi import OpenApi

from ..conftest import Sim

CPS = "/public-api/resources/charge-points/v2.0"
ACTIONS = "/public-api/actions/charge-point/v1.0"
SESSIONS = "/public-api/resources/sessions/v1.0"
TOKEN = "ampeco-demo-token"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "ampeco"


def fixture(name: str) -> Any:
    """A payload of the user's guide (seed 000), verbatim."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def prefs(cp: int) -> str:
    """The preferences path of charge point ``cp``."""
    return f"{CPS}/{cp}/personal-smart-charging-preferences"


@dataclass
class Answer:
    """One HTTP answer, decoded."""

    status: int
    body: Any
    headers: Mapping[str, str]


@dataclass
class Client:
    """A bare HTTP client of the simulated tenant."""

    session: aiohttp.ClientSession
    base: str

    async def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Any = None,
        token: str | None = TOKEN,
        data: str | None = None,
    ) -> Answer:
        """Send one request; ``body`` goes as JSON, ``data`` as raw text."""
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if data is not None:
            headers["Content-Type"] = "application/json"
        async with self.session.request(
            method,
            self.base + path,
            json=body,
            data=data,
            params=params,
            headers=headers,
        ) as response:
            text = await response.text()
            return Answer(response.status, json.loads(text) if text else None, response.headers)

    async def get(self, path: str, **kwargs: Any) -> Answer:
        """GET ``path``."""
        return await self.call("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Answer:
        """POST ``body`` as JSON to ``path``."""
        return await self.call("POST", path, body=body, **kwargs)


@pytest.fixture
def api(simulator: Sim, http: aiohttp.ClientSession) -> Client:
    """A client of the simulated AMPECO tenant."""
    return Client(http, simulator.url("ampeco"))


@pytest.fixture(autouse=True)
def every_response_keeps_the_contract(simulator: Sim) -> Iterator[None]:
    """After each test: every AMPECO response of that test validates against the contract."""
    yield
    for exchange in simulator.ampeco.exchanges:
        validate_response(exchange.method, exchange.path, exchange.status, exchange.body)
    assert simulator.ampeco.violations == []


# --- auth, paging, parameters -------------------------------------------------------------------


async def test_requests_need_a_known_bearer_token(api: Client) -> None:
    """No token, an unknown token or another scheme: 401 ``Unauthenticated.``."""
    for token in (None, "wrong-token"):
        answer = await api.get(CPS, token=token)
        assert (answer.status, answer.body) == (401, {"message": "Unauthenticated."})
    async with api.session.get(
        api.base + CPS, headers={"Authorization": f"Basic {TOKEN}"}
    ) as response:
        assert response.status == 401
    assert (await api.get(CPS)).status == 200


async def test_cursor_paging_walks_every_page_and_back(api: Client, simulator: Sim) -> None:
    """``per_page`` 3 over 7 charge points: three pages by ``links.next``, back by ``prev``."""
    simulator.ampeco.scale(7)
    seen: list[list[int]] = []
    url: str | None = None
    first = await api.get(CPS, params={"per_page": 3})
    page = first.body
    assert page["links"]["prev"] is None
    assert page["meta"]["prev_cursor"] is None
    while True:
        seen.append([cp["id"] for cp in page["data"]])
        url = page["links"]["next"]
        if url is None:
            break
        assert url.startswith(f"{api.base}{CPS}?cursor=")
        async with api.session.get(url, headers={"Authorization": f"Bearer {TOKEN}"}) as resp:
            page = await resp.json()
    assert seen == [[1, 2, 3], [4, 5, 6], [7]]
    assert page["meta"] == {
        "path": f"{api.base}{CPS}",
        "per_page": 3,
        "next_cursor": None,
        "prev_cursor": page["meta"]["prev_cursor"],
    }
    back = await api.get(CPS, params={"per_page": 3, "cursor": page["meta"]["prev_cursor"]})
    assert [cp["id"] for cp in back.body["data"]] == [4, 5, 6]


async def test_default_page_is_100_of_many(api: Client, simulator: Sim) -> None:
    """Scaled to 150 charge points, the default page holds 100 and points to the rest."""
    simulator.ampeco.scale(150, plugged_in=2)
    first = await api.get(CPS)
    assert len(first.body["data"]) == 100
    assert first.body["meta"]["per_page"] == 100
    rest = await api.get(CPS, params={"cursor": first.body["meta"]["next_cursor"]})
    assert [cp["id"] for cp in rest.body["data"]] == list(range(101, 151))
    assert rest.body["links"]["next"] is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "The per page field must be between 1 and 100."),
        ("101", "The per page field must be between 1 and 100."),
        ("-5", "The per page field must be between 1 and 100."),
        ("ten", "The per page field must be an integer."),
    ],
)
async def test_per_page_out_of_bounds_is_422(api: Client, value: str, message: str) -> None:
    """``per_page`` outside 1..100 (or not a number) is refused the Laravel way."""
    answer = await api.get(CPS, params={"per_page": value})
    assert answer.status == 422
    assert answer.body == {"message": message, "errors": {"per_page": [message]}}


async def test_per_page_bounds_themselves_are_fine(api: Client) -> None:
    """1 and 100 are allowed."""
    for value in (1, 100):
        answer = await api.get(CPS, params={"per_page": value})
        assert answer.status == 200
        assert answer.body["meta"]["per_page"] == value
    assert len((await api.get(CPS, params={"per_page": 1})).body["data"]) == 1


async def test_a_cursor_that_is_not_ours_is_422(api: Client) -> None:
    """A made-up cursor is refused instead of silently restarting at page one."""
    answer = await api.get(CPS, params={"cursor": "not-a-cursor"})
    assert answer.status == 422
    assert answer.body["errors"] == {"cursor": ["The cursor field is invalid."]}


async def test_include_adds_relations_and_refuses_unknown_ones(api: Client) -> None:
    """``include[]`` adds the preference and the modes; an unknown relation is 422."""
    answer = await api.get(
        f"{CPS}/7",
        params=[
            ("include[]", "personalSmartChargingPreferences"),
            ("include[]", "availablePersonalSmartChargingModes"),
        ],
    )
    data = answer.body["data"]
    assert data["personalSmartChargingPreferences"] == {"enabled": False}
    assert [m["type"] for m in data["availablePersonalSmartChargingModes"]] == [
        "user_controlled_schedule",
        *["nordpool"] * 4,
    ]
    assert "lastBootNotification" not in data
    listed = await api.get(CPS, params={"include": "lastBootNotification"})
    assert all("lastBootNotification" in cp for cp in listed.body["data"])
    bad = await api.get(CPS, params=[("include[]", "owner")])
    assert bad.status == 422
    assert bad.body["errors"] == {"include.0": ["The selected include.0 is invalid."]}


async def test_unknown_ids_are_404(api: Client) -> None:
    """Charge points, EVSEs and sessions that do not exist answer 404 ``{message}``."""
    for path in (
        f"{CPS}/999",
        f"{CPS}/abc",
        f"{CPS}/999/evses",
        f"{CPS}/999/available-personal-smart-charging-modes",
        prefs(999),
        f"{SESSIONS}/999",
    ):
        answer = await api.get(path)
        assert (answer.status, answer.body) == (404, {"message": "Record not found."}), path
    for path in (f"{ACTIONS}/6/start/9", f"{ACTIONS}/6/stop/999", prefs(999)):
        answer = await api.post(path, {"enabled": False})
        assert answer.status == 404, path


# --- the demo world -----------------------------------------------------------------------------


async def test_demo_charge_points_differ(api: Client) -> None:
    """Driveway has a car, Garage is empty, Cabin is offline and cannot start remotely."""
    listed = await api.get(CPS)
    by_id = {cp["id"]: cp for cp in listed.body["data"]}
    assert sorted(by_id) == [6, 7, 8]
    assert by_id[6]["networkStatus"] == "available"
    assert by_id[8]["networkStatus"] == "temporarily_unavailable"
    assert "remote_start_stop_capable" in by_id[6]["capabilities"]
    assert "remote_start_stop_capable" not in by_id[8]["capabilities"]
    statuses = {}
    for cp in (6, 7, 8):
        evses = await api.get(f"{CPS}/{cp}/evses", params={"include[]": "connectors"})
        (evse,) = evses.body["data"]
        assert evse["connectors"][0]["type"] == "type2"
        statuses[cp] = evse["hardwareStatus"]
    assert statuses == {6: "preparing", 7: "available", 8: "unavailable"}


async def test_each_charge_point_offers_its_own_modes(api: Client) -> None:
    """Available modes differ; tariff modes name their integration."""
    offered = {}
    for cp in (6, 7, 8):
        answer = await api.get(f"{CPS}/{cp}/available-personal-smart-charging-modes")
        offered[cp] = {m["type"]: m["integrationId"] for m in answer.body["data"]}
    assert offered[6] == {
        "user_controlled_schedule": None,
        "solar": None,
        "octopus_agile": 1,
        "octopus_go": 2,
        "nordpool": 3,
        "energi_elspot": 4,
    }
    assert offered[7] == {"user_controlled_schedule": None, "nordpool": 3}
    assert offered[8] == {"user_controlled_schedule": None, "solar": None}


async def test_demo_preference_is_the_guides_example_response(api: Client) -> None:
    """Charge point 6 (the guide's) starts with exactly the guide's example response."""
    answer = await api.get(prefs(6))
    assert answer.status == 200
    assert answer.body == fixture("seed_response_user_controlled_schedule")
    validate_response("GET", prefs(6), 200, fixture("seed_response_user_controlled_schedule"))


# --- writing preferences: one valid body per mode -----------------------------------------------

VALID_BODIES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "user_controlled_schedule": (
        {
            "type": "user_controlled_schedule",
            "enabled": True,
            "preferences": {
                "startTime": "22:30",
                "endTime": "06:00",
                "targetCharge": {"minTargetChargeKwh": 10, "maxTargetChargeKwh": 25.5},
                "trackElectricityCosts": {"priceOffPeak": 0.12, "pricePeak": 0.3},
                "weekDays": [
                    {"days": ["saturday", "sunday"], "startTime": "10:00", "endTime": "16:00"}
                ],
            },
        },
        {
            "type": "user_controlled_schedule",
            "integrationId": None,
            "preferences": {
                "startTime": "22:30:00",
                "endTime": "06:00:00",
                "targetCharge": {"minTargetChargeKwh": 10, "maxTargetChargeKwh": 25.5},
                "trackElectricityCosts": {"priceOffPeak": 0.12, "pricePeak": 0.3},
                "weekDays": [
                    {"days": ["saturday", "sunday"], "startTime": "10:00:00", "endTime": "16:00:00"}
                ],
            },
            "enabled": True,
        },
    ),
    "solar": (
        {"type": "solar", "preferences": {"maxCurrentFromGrid": 6, "solarStableTime": 300}},
        {
            "type": "solar",
            "integrationId": None,
            "preferences": {"maxCurrentFromGrid": 6, "solarStableTime": 300},
            "enabled": True,
        },
    ),
    "octopus_agile": (
        {
            "type": "octopus_agile",
            "integrationId": 1,
            "enabled": True,
            "preferences": {
                "applicableTaxId": 3,
                "postCode": "SW1A 1AA",
                "priceThreshold": 0.2,
                "targetCharge": {
                    "departureTime": "07:30",
                    "minTargetChargeKwh": 20,
                    "maxTargetChargeKwh": 40,
                },
            },
        },
        {
            "type": "octopus_agile",
            "integrationId": 1,
            "preferences": {
                "applicableTaxId": 3,
                "targetCharge": {
                    "departureTime": "07:30:00",
                    "minTargetChargeKwh": 20,
                    "maxTargetChargeKwh": 40,
                },
                "postCode": "SW1A 1AA",
                "priceThreshold": 0.2,
            },
            "enabled": True,
        },
    ),
    "octopus_go": (
        {
            "type": "octopus_go",
            "integrationId": 2,
            "preferences": {"applicableTaxId": 3, "postCode": "SW1A 1AA"},
        },
        {
            "type": "octopus_go",
            "integrationId": 2,
            "preferences": {"applicableTaxId": 3, "targetCharge": [], "postCode": "SW1A 1AA"},
            "enabled": True,
        },
    ),
    "nordpool": (
        {
            "type": "nordpool",
            "preferences": {
                "location": "GB1",
                "targetCharge": {"departureTime": "06:45:00", "targetChargeKwh": 30},
            },
        },
        {
            "type": "nordpool",
            "integrationId": 3,
            "preferences": {
                "location": "GB1",
                "targetCharge": {"departureTime": "06:45:00", "targetChargeKwh": 30},
            },
            "enabled": True,
        },
    ),
    "energi_elspot": (
        {
            "type": "energi_elspot",
            "integrationId": 4,
            "enabled": False,
            "preferences": {
                "location": "GB1",
                "targetCharge": {
                    "departureTime": "08:00",
                    "preconditioningTime": 15,
                    "targetChargeKwh": 12.5,
                },
            },
        },
        {
            "type": "energi_elspot",
            "integrationId": 4,
            "preferences": {
                "location": "GB1",
                "targetCharge": {
                    "departureTime": "08:00:00",
                    "preconditioningTime": 15,
                    "targetChargeKwh": 12.5,
                },
            },
            "enabled": False,
        },
    ),
}


@pytest.mark.parametrize("kind", sorted(VALID_BODIES))
async def test_one_valid_contract_body_per_mode(api: Client, simulator: Sim, kind: str) -> None:
    """Each mode's contract body: 201 ``{data}``, echoed with seconds, read back by GET."""
    body, expected = VALID_BODIES[kind]
    validate_request("POST", prefs(6), body)
    answer = await api.post(prefs(6), body)
    assert answer.status == 201
    assert answer.body == {"data": expected}
    assert (await api.get(prefs(6))).body == {"data": expected}
    assert simulator.ampeco.last_preference_body_form == "contract"
    assert simulator.ampeco.preference_requests[-1].changes == ()


async def test_disabling_keeps_the_last_settings(api: Client) -> None:
    """``{"enabled": false}`` turns the current mode off and keeps its settings."""
    answer = await api.post(prefs(6), {"enabled": False})
    assert answer.status == 201
    expected = fixture("seed_response_user_controlled_schedule")["data"] | {"enabled": False}
    assert answer.body == {"data": expected}
    assert (await api.get(prefs(7))).body == {"data": {"enabled": False}}
    again = await api.post(prefs(7), {"enabled": False})
    assert again.body == {"data": {"enabled": False}}


async def test_integration_ids_come_from_the_tenant(api: Client) -> None:
    """A schedule has no integration whatever the body says; Nord Pool gets the tenant's."""
    body = VALID_BODIES["user_controlled_schedule"][0] | {"integrationId": 5}
    answer = await api.post(prefs(6), body)
    assert answer.status == 201
    assert answer.body["data"]["integrationId"] is None
    nordpool = await api.post(prefs(7), VALID_BODIES["nordpool"][0])
    assert nordpool.body["data"]["integrationId"] == 3


async def test_spec_examples_are_accepted_with_their_integrations(
    api: Client, simulator: Sim
) -> None:
    """The contract's own examples pass on a charge point with the examples' integrations.

    ``charger_electricity_rate`` is a contract type outside the guide's six modes; no
    charge point offers it, so it is refused by ``type``.
    """
    simulator.ampeco.add_charge_point(
        20,
        "Spec examples",
        [
            mode("user_controlled_schedule"),
            mode("solar"),
            mode("octopus_agile", 97),
            mode("octopus_go", 150),
            mode("nordpool", 95),
        ],
    )
    examples = vendor_document()["paths"][PREFERENCES]["post"]["requestBody"]["content"][
        "application/json"
    ]["examples"]
    statuses = {}
    for name, example in examples.items():
        validate_request("POST", prefs(20), example["value"])
        answer = await api.post(prefs(20), example["value"])
        statuses[name] = answer.status
        if answer.status == 422:
            assert answer.body["errors"] == {"type": ["The selected type is invalid."]}
    assert statuses == {
        "userControlledSchedule": 201,
        "solar": 201,
        "octopusAgile": 201,
        "octopusGo": 201,
        "nordPool": 201,
        "chargerElectricityRate": 422,
        "personalModeDisabled": 201,
    }


# --- the guide's form ---------------------------------------------------------------------------


async def test_guide_solar_example_is_accepted_and_normalised(api: Client, simulator: Sim) -> None:
    """``{"data": [..]}`` with ``solarStableTime: "300"``: 201, stored as the number 300."""
    raw = fixture("seed_request_solar")
    with pytest.raises(SpecViolation):
        validate_request("POST", prefs(6), raw)
    answer = await api.post(prefs(6), raw)
    assert answer.status == 201
    assert answer.body["data"] == {
        "type": "solar",
        "integrationId": None,
        "preferences": {"maxCurrentFromGrid": 12, "solarStableTime": 300},
        "enabled": True,
    }
    assert simulator.ampeco.last_preference_body_form == "guide"
    assert simulator.ampeco.preference_requests[-1].changes == (
        'unwrapped {"data": [variant]}',
        "solarStableTime: string -> number",
    )


async def test_guide_octopus_example_is_accepted_with_contract_spellings(
    api: Client, simulator: Sim
) -> None:
    """``minTargetKwh``/``maxTargetKwh`` become the contract's names; ``postCode`` a string."""
    answer = await api.post(prefs(6), fixture("seed_request_octopus_agile"))
    assert answer.status == 201
    assert answer.body["data"] == {
        "type": "octopus_agile",
        "integrationId": 1,
        "preferences": {
            "applicableTaxId": 205366174,
            "targetCharge": {
                "departureTime": "07:30:00",
                "minTargetChargeKwh": 45,
                "maxTargetChargeKwh": 60,
            },
            "postCode": "1000",
            "priceThreshold": 0.25,
        },
        "enabled": True,
    }
    assert simulator.ampeco.last_preference_body_form == "guide"
    assert "minTargetKwh -> minTargetChargeKwh" in simulator.ampeco.preference_requests[-1].changes


async def test_guide_elspot_example_gets_its_integration(api: Client) -> None:
    """The guide's energi_elspot body (no integrationId, ``targetKwh``) is stored complete."""
    answer = await api.post(prefs(6), fixture("seed_request_energi_elspot"))
    assert answer.status == 201
    assert answer.body["data"] == {
        "type": "energi_elspot",
        "integrationId": 4,
        "preferences": {
            "location": "GB1",
            "targetCharge": {"departureTime": "07:30:00", "targetChargeKwh": 45},
        },
        "enabled": True,
    }


async def test_guide_first_example_says_solar_and_is_refused(api: Client, simulator: Sim) -> None:
    """The guide's schedule example says ``type: solar``: solar's fields are missing -> 422.

    The guide shows a 201 with a schedule for it; a strict server cannot, because the
    body asks for solar without solar's two required fields.
    """
    answer = await api.post(prefs(6), fixture("seed_request_user_controlled_schedule"))
    assert answer.status == 422
    assert answer.body == {
        "message": "The preferences.max current from grid field is required. (and 1 more error)",
        "errors": {
            "preferences.maxCurrentFromGrid": [
                "The preferences.max current from grid field is required."
            ],
            "preferences.solarStableTime": ["The preferences.solar stable time field is required."],
        },
    }
    assert simulator.ampeco.last_preference_body_form == "guide"
    assert (await api.get(prefs(6))).body == fixture("seed_response_user_controlled_schedule")


async def test_guide_first_example_with_the_intended_type_is_accepted(api: Client) -> None:
    """With ``type: user_controlled_schedule`` the same body is stored, times with seconds."""
    raw = fixture("seed_request_user_controlled_schedule")
    raw["data"][0]["type"] = "user_controlled_schedule"
    answer = await api.post(prefs(6), raw)
    assert answer.status == 201
    assert answer.body["data"]["preferences"] == {
        "startTime": "22:00:00",
        "endTime": "06:00:00",
        "targetCharge": {"minTargetChargeKwh": 55, "maxTargetChargeKwh": 70},
        "trackElectricityCosts": {"priceOffPeak": 0.12, "pricePeak": 0.23},
    }


async def test_guide_spellings_in_a_bare_body_count_as_guide_form(
    api: Client, simulator: Sim
) -> None:
    """Not only the wrapper: a bare body with ``targetKwh`` is guide form too."""
    body = {
        "type": "nordpool",
        "preferences": {
            "location": "GB1",
            "targetCharge": {"departureTime": "07:00", "targetKwh": 20},
        },
    }
    answer = await api.post(prefs(7), body)
    assert answer.status == 201
    assert answer.body["data"]["preferences"]["targetCharge"] == {
        "departureTime": "07:00:00",
        "targetChargeKwh": 20,
    }
    assert simulator.ampeco.preference_requests[-1].form == "guide"
    async with api.session.get(f"{simulator.root}/_admin/state") as response:
        state = (await response.json())["ampeco"]
    assert state["last_preference_body_form"] == "guide"
    assert state["preference_requests"][-1]["changes"] == ["targetKwh -> targetChargeKwh"]


# --- invalid preference bodies ------------------------------------------------------------------

SCHEDULE: dict[str, Any] = {
    "type": "user_controlled_schedule",
    "preferences": {"startTime": "22:00", "endTime": "06:00"},
}


@pytest.mark.parametrize(
    ("cp", "body", "errors"),
    [
        (6, {}, {"enabled": ["The enabled field is required."]}),
        (6, {"enabled": True}, {"type": ["The type field is required."]}),
        (6, {"enabled": "yes"}, {"enabled": ["The enabled field must be true or false."]}),
        (6, {"type": "rocket", "preferences": {}}, {"type": ["The selected type is invalid."]}),
        (
            6,
            {"type": "user_controlled_schedule", "preferences": {"startTime": "25:00"}},
            {
                "preferences.endTime": ["The preferences.end time field is required."],
                "preferences.startTime": [
                    "The preferences.start time field must match the format H:i."
                ],
            },
        ),
        (
            6,
            {
                "type": "octopus_agile",
                "preferences": {"postCode": "X", "applicableTaxId": 1, "priceThreshold": 1},
            },
            {"integrationId": ["The integration id field is required."]},
        ),
        (
            6,
            {
                "type": "octopus_go",
                "integrationId": 99,
                "preferences": {"postCode": "X", "applicableTaxId": 1},
            },
            {"integrationId": ["The selected integration id is invalid."]},
        ),
        (
            6,
            {"type": "solar", "preferences": {"maxCurrentFromGrid": "lots", "solarStableTime": 60}},
            {
                "preferences.maxCurrentFromGrid": [
                    "The preferences.max current from grid field must be a number."
                ]
            },
        ),
        (
            6,
            {"type": "solar", "preferences": {"maxCurrentFromGrid": -6, "solarStableTime": 60}},
            {
                "preferences.maxCurrentFromGrid": [
                    "The preferences.max current from grid field must be at least 0."
                ]
            },
        ),
        (
            7,
            {
                "type": "nordpool",
                "preferences": {
                    "location": "SE3",
                    "targetCharge": {"departureTime": "07:00", "targetChargeKwh": 5},
                },
            },
            {"preferences.location": ["The selected preferences.location is invalid."]},
        ),
        (
            6,
            SCHEDULE
            | {
                "preferences": SCHEDULE["preferences"]
                | {"targetCharge": {"minTargetChargeKwh": 50, "maxTargetChargeKwh": 20}}
            },
            {
                "preferences.targetCharge.minTargetChargeKwh": [
                    "The preferences.target charge.min target charge kwh field must be less "
                    "than or equal to 20."
                ]
            },
        ),
        (
            6,
            SCHEDULE
            | {"preferences": SCHEDULE["preferences"] | {"weekDays": [{"days": ["someday"]}]}},
            {
                "preferences.weekDays.0.days.0": [
                    "The selected preferences.week days.0.days.0 is invalid."
                ],
                "preferences.weekDays.0.endTime": [
                    "The preferences.week days.0.end time field is required."
                ],
                "preferences.weekDays.0.startTime": [
                    "The preferences.week days.0.start time field is required."
                ],
            },
        ),
        (
            7,
            {"type": "solar", "preferences": {"maxCurrentFromGrid": 6, "solarStableTime": 60}},
            {"type": ["The selected type is invalid."]},
        ),
        (6, {"data": []}, {"data": ["The data field must contain 1 items."]}),
    ],
)
async def test_invalid_preference_bodies_are_422(
    api: Client, cp: int, body: Any, errors: dict[str, list[str]]
) -> None:
    """Schema and tenant rules answer 422 with Laravel's field messages."""
    before = (await api.get(prefs(cp))).body
    answer = await api.post(prefs(cp), body)
    assert answer.status == 422
    assert answer.body["errors"] == errors
    messages = [m for field in answer.body["errors"].values() for m in field]
    more = len(messages) - 1
    suffix = f" (and {more} more error{'s' if more > 1 else ''})" if more else ""
    assert answer.body["message"] == messages[0] + suffix
    assert (await api.get(prefs(cp))).body == before


async def test_unreadable_json_counts_as_no_input(api: Client) -> None:
    """Broken JSON is read as an empty body (Laravel), so ``enabled`` is missing."""
    answer = await api.call("POST", prefs(6), data="{not json")
    assert answer.status == 422
    assert answer.body["errors"] == {"enabled": ["The enabled field is required."]}


# --- smart charging -----------------------------------------------------------------------------


async def test_smart_charging_is_validated_by_mode(api: Client) -> None:
    """A ``tod`` body is stored (201); a missing field or unknown mode is 422."""
    body = {
        "mode": "tod",
        "defaultChargePointMaxCurrent": 16.5,
        "maxVoltage": "230",
        "phases": "single_phase",
        "phaseRotation": None,
        "periods": [
            {
                "weekDay": "all",
                "elements": [{"startAt": "08:00", "endAt": "16:00", "maxCurrent": 10}],
            }
        ],
    }
    answer = await api.post(f"{CPS}/6/smart-charging", body)
    assert answer.status == 201
    assert answer.body["data"]["periods"][0]["elements"][0]["startAt"] == "08:00:00"
    assert answer.body["data"]["electricalConfiguration"] == "star"
    shown = await api.get(f"{CPS}/6", params={"include[]": "smartCharging"})
    assert shown.body["data"]["smartCharging"] == answer.body["data"]
    missing = await api.post(f"{CPS}/6/smart-charging", {"mode": "dynamic", "maxVoltage": "230"})
    assert missing.status == 422
    assert set(missing.body["errors"]) == {
        "defaultChargePointMaxCurrent",
        "phases",
        "phaseRotation",
    }
    unknown = await api.post(f"{CPS}/6/smart-charging", {"mode": "turbo"})
    assert unknown.body["errors"] == {"mode": ["The selected mode is invalid."]}
    off = await api.post(f"{CPS}/6/smart-charging", {"mode": "disabled"})
    assert (off.status, off.body) == (201, {"data": {"mode": "disabled"}})


# --- start, stop and sessions -------------------------------------------------------------------


async def test_start_charge_and_stop_a_session(api: Client, simulator: Sim) -> None:
    """Start (202) opens a session that takes energy with the clock; stop (202) ends it."""
    started = await api.post(f"{ACTIONS}/6/start", {"idTag": "ABC123"})
    assert started.status == 202
    assert started.body["success"] is True
    (session,) = (await api.get(SESSIONS)).body["data"]
    assert session["status"] == "active"
    assert session["authorizationId"] == started.body["authorizationId"]
    simulator.sim.clock.advance(1800)
    evse = (await api.get(f"{CPS}/6/evses")).body["data"][0]
    assert evse["hardwareStatus"] == "charging"
    running = (await api.get(f"{SESSIONS}/{session['id']}")).body["data"]
    assert running["energy"] == 3700.0
    assert running["powerKw"] == 7.4
    stopped = await api.post(f"{ACTIONS}/6/stop/{session['id']}")
    assert (stopped.status, stopped.body) == (202, None)
    done = (await api.get(f"{SESSIONS}/{session['id']}")).body["data"]
    assert (done["status"], done["reason"]) == ("finished", "remote")
    assert done["stoppedAt"] == "2026-11-23T12:30:00Z"
    again = await api.post(f"{ACTIONS}/6/stop/{session['id']}")
    assert (again.status, again.body) == (406, {"message": "The session is not active."})


async def test_start_on_a_named_evse_returns_the_session(api: Client) -> None:
    """``start/{evse}`` answers with the session id; a second start reports the running one."""
    first = await api.post(f"{ACTIONS}/6/start/1")
    assert first.status == 202
    assert first.body["success"] is True
    second = await api.post(f"{ACTIONS}/6/start/1")
    assert second.status == 202
    assert second.body["success"] is False
    assert second.body["errorCode"] == "SESSION_ALREADY_RUNNING"
    assert second.body["sessionId"] == first.body["sessionId"]


@pytest.mark.parametrize(
    ("cp", "message"),
    [
        (8, "The charge point is offline."),
        (7, "No vehicle is connected to the charge point."),
    ],
)
async def test_start_refused_is_406(api: Client, cp: int, message: str) -> None:
    """An offline charge point or one without a car refuses to start."""
    answer = await api.post(f"{ACTIONS}/{cp}/start")
    assert (answer.status, answer.body) == (406, {"message": message})


async def test_refusals_follow_the_world(api: Client, simulator: Sim) -> None:
    """Plugging in, going offline, lacking remote start, force stop: each changes the answer."""
    ampeco = simulator.ampeco
    ampeco.plug_in(7)
    assert (await api.post(f"{ACTIONS}/7/start")).status == 202
    (session,) = (await api.get(SESSIONS, params={"filter[chargePointId]": "7"})).body["data"]
    ampeco.set_online(7, False)
    refused = await api.post(f"{ACTIONS}/7/stop/{session['id']}")
    assert (refused.status, refused.body) == (406, {"message": "The charge point is offline."})
    forced = await api.post(f"{ACTIONS}/7/stop/{session['id']}", {"force": True})
    assert forced.status == 202
    assert (await api.get(f"{SESSIONS}/{session['id']}")).body["data"]["reason"] == "force_stop"
    ampeco.add_charge_point(30, "Dumb box", ["solar"], remote_start_stop=False, plugged_in=True)
    dumb = await api.post(f"{ACTIONS}/30/start")
    assert dumb.body == {"message": "The charge point does not support remote start."}
    bad = await api.post(f"{ACTIONS}/6/start", {"idTag": 5})
    assert bad.status == 422
    assert bad.body["errors"] == {"idTag": ["The id tag field must be a string."]}
    wrong_cp = await api.post(f"{ACTIONS}/6/stop/{session['id']}")
    assert wrong_cp.status == 404


async def test_a_full_car_suspends_and_unplugging_ends_the_session(
    api: Client, simulator: Sim
) -> None:
    """A car with room for 1 kWh is full after ~8 minutes; unplugging finishes the session."""
    simulator.ampeco.plug_in(7, room_kwh=1.0)
    await api.post(f"{ACTIONS}/7/start")
    simulator.sim.clock.advance(3600)
    (session,) = (await api.get(SESSIONS)).body["data"]
    assert session["energy"] == 1000.0
    assert session["powerKw"] == 0.0
    evse = (await api.get(f"{CPS}/7/evses")).body["data"][0]
    assert evse["hardwareStatus"] == "suspendedEV"
    simulator.ampeco.unplug(7)
    ended = (await api.get(f"{SESSIONS}/{session['id']}")).body["data"]
    assert (ended["status"], ended["reason"]) == ("finished", "evdisconnected")


async def test_sessions_filter_and_page(api: Client, simulator: Sim) -> None:
    """Sessions filter by charge point and status and page by cursor."""
    simulator.ampeco.scale(4, plugged_in=4)
    for cp in (1, 2, 3, 4):
        await api.post(f"{ACTIONS}/{cp}/start")
    (first,) = (await api.get(SESSIONS, params={"filter[chargePointId]": "2"})).body["data"]
    await api.post(f"{ACTIONS}/2/stop/{first['id']}")
    active = await api.get(SESSIONS, params={"filter[status]": "active", "per_page": 2})
    assert [s["chargePointId"] for s in active.body["data"]] == [1, 3]
    following = await api.get(
        SESSIONS, params={"filter[status]": "active", "cursor": active.body["meta"]["next_cursor"]}
    )
    assert [s["chargePointId"] for s in following.body["data"]] == [4]
    bad = await api.get(SESSIONS, params={"filter[status]": "sleeping"})
    assert bad.body["errors"] == {"filter.status": ["The selected filter.status is invalid."]}


async def test_sessions_started_after(api: Client, simulator: Sim) -> None:
    """``filter[startedAfter]`` lists the sessions started since; a non-date is a 422."""
    simulator.ampeco.scale(3, plugged_in=3)
    await api.post(f"{ACTIONS}/1/start")
    since = simulator.sim.now()
    simulator.sim.clock.advance(60)
    await api.post(f"{ACTIONS}/3/start")
    newer = await api.get(SESSIONS, params={"filter[startedAfter]": since.isoformat()})
    assert [s["chargePointId"] for s in newer.body["data"]] == [3]
    bad = await api.get(SESSIONS, params={"filter[startedAfter]": "yesterday"})
    assert bad.status == 422
    assert bad.body["errors"] == {
        "filter.startedAfter": ["The filter.started after field must be a valid date."]
    }


# --- rate limit ---------------------------------------------------------------------------------


async def test_rate_limit_answers_429_with_headers(api: Client, simulator: Sim) -> None:
    """Past the per-token limit: 429 with X-RateLimit-* and Retry-After, until the window ends."""
    simulator.ampeco.rate_limit = 3
    remaining = []
    for _ in range(3):
        answer = await api.get(CPS)
        assert answer.headers["X-RateLimit-Limit"] == "3"
        remaining.append(answer.headers["X-RateLimit-Remaining"])
    assert remaining == ["2", "1", "0"]
    limited = await api.get(CPS)
    assert limited.status == 429
    assert limited.body == {"message": "Too Many Attempts."}
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["Retry-After"] == "60"
    simulator.sim.clock.advance(30)
    assert (await api.get(CPS)).headers["Retry-After"] == "30"
    simulator.sim.clock.advance(30)
    assert (await api.get(CPS)).status == 200


async def test_the_default_limit_is_generous(api: Client, simulator: Sim) -> None:
    """With the frozen clock, a hundred requests in one instant still pass."""
    for _ in range(100):
        assert (await api.get(f"{CPS}/6")).status == 200
    assert simulator.ampeco.rate_limit is not None
    assert simulator.ampeco.rate_limit >= 100


# --- control ------------------------------------------------------------------------------------


async def test_charge_points_come_and_go(api: Client, simulator: Sim) -> None:
    """``add_charge_point``/``remove_charge_point``/``set_modes`` change what the API shows."""
    added = simulator.ampeco.add_charge_point(name="Shed", modes=["user_controlled_schedule"])
    assert added.id == 9
    assert [cp["id"] for cp in (await api.get(CPS)).body["data"]] == [6, 7, 8, 9]
    simulator.ampeco.set_modes(9, ["solar"])
    modes = await api.get(f"{CPS}/9/available-personal-smart-charging-modes")
    assert [m["type"] for m in modes.body["data"]] == ["solar"]
    simulator.ampeco.remove_charge_point(9)
    assert (await api.get(f"{CPS}/9")).status == 404
    with pytest.raises(ValueError, match="unknown personal smart charging mode"):
        mode("turbo")


# --- the validation helpers ---------------------------------------------------------------------


async def test_validation_helpers_for_client_tests(api: Client, simulator: Sim) -> None:
    """``validate_logged_requests`` passes contract requests and names guide-form ones."""
    await api.get(CPS, params={"per_page": 10})
    await api.post(prefs(6), VALID_BODIES["solar"][0])
    assert validate_logged_requests(simulator.sim.log.entries) == 2
    await api.post(prefs(6), fixture("seed_request_solar"))
    with pytest.raises(SpecViolation, match="enabled"):
        validate_logged_requests(simulator.sim.log.entries)
    validate_request("GET", f"{api.base}{CPS}?per_page=5")
    with pytest.raises(SpecViolation, match="per page"):
        validate_request("GET", f"{CPS}?per_page=500")
    with pytest.raises(SpecViolation, match="not an operation"):
        validate_request("GET", "/public-api/resources/nothing")
    with pytest.raises(SpecViolation, match="body is required"):
        validate_request("POST", prefs(6))
    with pytest.raises(SpecViolation, match="declares no 418"):
        validate_response("GET", CPS, 418, {})
    with pytest.raises(SpecViolation, match="targetCharge"):
        validate_response(
            "GET",
            prefs(6),
            200,
            {
                "data": SCHEDULE
                | {"preferences": {"startTime": "1", "endTime": "2", "targetCharge": [1]}}
            },
        )


def test_the_vendor_oneof_read_literally_refuses_every_enabled_body() -> None:
    """Why the contract is patched: each enabled body also matches the "Disabled" variant."""
    raw = OpenApi(vendor_document())
    op = raw.operation("POST", prefs(6))
    assert op is not None
    body = VALID_BODIES["solar"][0] | {"enabled": True}
    assert raw.request_errors(op, body)
    assert contract().body_errors("POST", prefs(6), body) == {}
    assert len(DEVIATIONS) == 6


async def test_every_response_validates_against_the_contract(api: Client, simulator: Sim) -> None:
    """With the inline check off, every route's answers still match the contract."""
    ampeco = simulator.ampeco
    ampeco.check_responses = False
    await api.get(CPS, token=None)
    await api.get(CPS, params={"per_page": 0})
    await api.get(
        CPS,
        params=[
            ("include[]", name)
            for name in (
                "lastBootNotification",
                "chargingProfile",
                "smartCharging",
                "smartChargingPreferences",
                "personalSmartChargingPreferences",
                "availablePersonalSmartChargingModes",
            )
        ],
    )
    for cp in (6, 7, 8):
        await api.get(f"{CPS}/{cp}")
        await api.get(
            f"{CPS}/{cp}/evses",
            params=[("include[]", "connectors"), ("include[]", "chargingProfile")],
        )
        await api.get(f"{CPS}/{cp}/available-personal-smart-charging-modes")
        await api.get(prefs(cp))
    await api.get(f"{CPS}/404")
    for body, _ in VALID_BODIES.values():
        await api.post(prefs(6), body)
        await api.get(prefs(6))
    await api.post(prefs(6), {"enabled": False})
    await api.post(prefs(6), {"type": "rocket"})
    await api.post(f"{CPS}/6/smart-charging", {"mode": "disabled"})
    await api.post(f"{CPS}/6/smart-charging", {})
    started = await api.post(f"{ACTIONS}/6/start/1")
    await api.post(f"{ACTIONS}/6/start")
    await api.post(f"{ACTIONS}/6/start/1")
    await api.post(f"{ACTIONS}/8/start")
    await api.post(f"{ACTIONS}/8/start/1")
    simulator.sim.clock.advance(600)
    await api.get(SESSIONS)
    await api.get(f"{SESSIONS}/{started.body['sessionId']}")
    await api.post(f"{ACTIONS}/6/stop/{started.body['sessionId']}")
    await api.post(f"{ACTIONS}/6/stop/{started.body['sessionId']}")
    ampeco.rate_limit = 1
    await api.get(SESSIONS)
    covered = set()
    for exchange in ampeco.exchanges:
        validate_response(exchange.method, exchange.path, exchange.status, exchange.body)
        op = contract().operation(exchange.method, exchange.path)
        covered.add((op.method, op.template, exchange.status))
    assert {(method, template) for method, template, _ in covered} == {
        (method, path.replace("{cp}", "{chargePoint}"))
        for method, path in (
            ("GET", CPS),
            ("GET", f"{CPS}/{{cp}}"),
            ("GET", f"{CPS}/{{cp}}/evses"),
            ("GET", f"{CPS}/{{cp}}/available-personal-smart-charging-modes"),
            ("GET", f"{CPS}/{{cp}}/personal-smart-charging-preferences"),
            ("POST", f"{CPS}/{{cp}}/personal-smart-charging-preferences"),
            ("POST", f"{CPS}/{{cp}}/smart-charging"),
            ("POST", f"{ACTIONS}/{{cp}}/start"),
            ("POST", f"{ACTIONS}/{{cp}}/start/{{evse}}"),
            ("POST", f"{ACTIONS}/{{cp}}/stop/{{session}}"),
            ("GET", SESSIONS),
            ("GET", f"{SESSIONS}/{{session}}"),
        )
    }
    statuses = {status for _, _, status in covered}
    assert statuses == {200, 201, 202, 401, 404, 406, 422, 429}
