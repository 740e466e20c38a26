"""The AMPECO client against the simulated tenant: reads, preference writes, sessions.

No part of the client is mocked: every test talks HTTP to the simulator, which checks
each request and response against the vendor's OpenAPI subset. After each test every
request the client sent is validated against the strict contract too, except in tests
that ask for ``off_contract`` because they deliberately send a value the contract refuses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import time
from typing import Any

import aiohttp
import pytest

from custom_components.smart_charging.clouds.ampeco import bodies
from custom_components.smart_charging.clouds.ampeco.client import AmpecoClient
from custom_components.smart_charging.clouds.ampeco.models import (
    ChargePointStatus,
    EvseStatus,
    SessionStatus,
)
from custom_components.smart_charging.clouds.ampeco.parse import neutral_field
from custom_components.smart_charging.clouds.ampeco.preferences import (
    AvailableMode,
    DynamicTariffPreferences,
    PreferenceError,
    PreferenceMode,
    Preferences,
    Reason,
    SchedulePreferences,
    SolarPreferences,
    WeekdayWindow,
)
from custom_components.smart_charging.clouds.errors import (
    InvalidResponseError,
    NotFoundError,
    RejectedError,
    ValidationError,
)
from custom_components.smart_charging.clouds.models import Weekday
from simulator.ampeco import mode, validate_logged_requests
from simulator.faults import Fault

from ..conftest import Sim

TOKEN = "ampeco-demo-token"
CPS = "/ampeco/public-api/resources/charge-points/v2.0"
ACTIONS = "/ampeco/public-api/actions/charge-point/v1.0"


@pytest.fixture
def off_contract() -> None:
    """Mark a test that sends a value the contract refuses (to see the cloud's 422)."""


@pytest.fixture
async def client(
    simulator: Sim, http: aiohttp.ClientSession, request: pytest.FixtureRequest
) -> AsyncIterator[AmpecoClient]:
    """A client of the simulated tenant; afterwards, every request it sent keeps the contract."""
    yield AmpecoClient(http, simulator.url("ampeco"), TOKEN)
    if "off_contract" not in request.fixturenames:
        validate_logged_requests(simulator.sim.log.entries)


def posts(simulator: Sim) -> list[Any]:
    """The POST requests the tenant received."""
    return simulator.sim.log.matching("POST")


# --- reading ----------------------------------------------------------------------------------


async def test_identify_names_the_tenant_without_the_token(
    client: AmpecoClient, simulator: Sim
) -> None:
    """One cheap list call; the unique id is stable per tenant and token and hides the token."""
    account = await client.async_identify()
    again = await client.async_identify()
    host = simulator.url("ampeco").split("//")[1].split("/")[0]
    assert account.title == f"AMPECO {host}"
    assert account.unique_id == again.unique_id
    assert TOKEN not in account.unique_id
    (first, _) = simulator.sim.log.matching("GET", CPS)
    assert first.query == {"per_page": "1"}


async def test_charge_points_carry_status_preferences_and_modes(client: AmpecoClient) -> None:
    """The demo tenant: one list request gives identity, status, preferences and modes."""
    charge_points = {cp.charger.id: cp for cp in await client.async_charge_points()}
    assert sorted(charge_points) == ["6", "7", "8"]
    driveway, garage, cabin = charge_points["6"], charge_points["7"], charge_points["8"]
    assert driveway.charger.name == "Driveway"
    assert (driveway.charger.manufacturer, driveway.charger.model) == ("Simulated", "Home 7")
    assert (driveway.status, driveway.online, driveway.remote_start_stop) == (
        ChargePointStatus.AVAILABLE,
        True,
        True,
    )
    assert (cabin.status, cabin.online, cabin.remote_start_stop) == (
        ChargePointStatus.OFFLINE,
        False,
        False,
    )
    # The guide's example response: times echoed with seconds, targetCharge as [].
    assert driveway.preferences == Preferences(
        mode=PreferenceMode.USER_CONTROLLED_SCHEDULE,
        enabled=True,
        configured_mode=PreferenceMode.USER_CONTROLLED_SCHEDULE,
        type_name="user_controlled_schedule",
        schedule=SchedulePreferences(start_time=time(23), end_time=time(5)),
    )
    assert garage.preferences == Preferences(mode=PreferenceMode.DISABLED, enabled=False)
    assert cabin.preferences is not None
    assert cabin.preferences.solar == SolarPreferences(
        max_current_from_grid_a=6, solar_stable_time_s=120
    )
    assert garage.modes is not None
    # One Nord Pool entry per location the tenant offers.
    assert [(m.mode, m.location) for m in garage.modes] == [
        (PreferenceMode.USER_CONTROLLED_SCHEDULE, None),
        (PreferenceMode.NORDPOOL, "GB1"),
        (PreferenceMode.NORDPOOL, "SE3"),
        (PreferenceMode.NORDPOOL, "NO1"),
        (PreferenceMode.NORDPOOL, "DK1"),
    ]


async def test_every_page_is_read_with_100_per_request(
    client: AmpecoClient, simulator: Sim
) -> None:
    """250 charge points arrive complete and in order, in exactly 3 requests of 100."""
    simulator.ampeco.scale(250)
    charge_points = await client.async_charge_points()
    assert [cp.charger.id for cp in charge_points] == [str(n) for n in range(1, 251)]
    assert all(cp.modes is not None and len(cp.modes) == 9 for cp in charge_points)
    requests = simulator.sim.log.matching("GET", CPS)
    assert len(requests) == 3
    assert all(r.query["per_page"] == "100" and r.status == 200 for r in requests)
    assert "cursor" not in requests[0].query
    assert all("cursor" in r.query for r in requests[1:])
    # The relations are asked for on every page, not only the first.
    assert all(r.query["include[1]"] == "personalSmartChargingPreferences" for r in requests)


async def test_available_modes_give_integrations_and_defaults(client: AmpecoClient) -> None:
    """Tariff modes name their integration; defaults and locations are parsed."""
    offered = await client.async_available_modes("6")
    modes = {m.mode: m for m in reversed(offered)}
    assert set(modes) == {
        PreferenceMode.USER_CONTROLLED_SCHEDULE,
        PreferenceMode.SOLAR,
        PreferenceMode.OCTOPUS_AGILE,
        PreferenceMode.OCTOPUS_GO,
        PreferenceMode.NORDPOOL,
        PreferenceMode.ENERGI_ELSPOT,
    }
    schedule = modes[PreferenceMode.USER_CONTROLLED_SCHEDULE]
    assert (schedule.default_start_time, schedule.default_end_time) == (time(22), time(6))
    agile = modes[PreferenceMode.OCTOPUS_AGILE]
    assert (agile.integration_id, agile.default_price_threshold) == (1, 0.25)
    assert agile.default_departure_time == time(7, 30)
    nordpool = modes[PreferenceMode.NORDPOOL]
    assert (nordpool.integration_id, nordpool.location, nordpool.location_label) == (
        3,
        "GB1",
        "United Kingdom",
    )


async def test_unknown_charge_point_is_not_found(client: AmpecoClient) -> None:
    """A charge point the tenant does not have is a NotFoundError, for reads and writes."""
    with pytest.raises(NotFoundError):
        await client.async_preferences("999")
    with pytest.raises(NotFoundError):
        await client.async_disable("999")


# --- writing: one valid write per category, read back ------------------------------------------


async def test_schedule_round_trip(client: AmpecoClient, simulator: Sim) -> None:
    """An overnight window with targets, prices and weekend windows comes back as written."""
    written = SchedulePreferences(
        start_time=time(22, 30),
        end_time=time(6, 0),
        min_target_kwh=10,
        max_target_kwh=25.5,
        price_peak=0.3,
        price_off_peak=0.12,
        weekdays=(
            WeekdayWindow(
                days=(Weekday.SATURDAY, Weekday.SUNDAY), start_time=time(10), end_time=time(16)
            ),
        ),
    )
    result = await client.async_set_preferences("6", written)
    assert result.mode is PreferenceMode.USER_CONTROLLED_SCHEDULE
    assert result.enabled is True
    assert result.schedule == written
    (post,) = posts(simulator)
    assert post.status == 201
    assert post.body == {
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
    }
    assert simulator.ampeco.last_preference_body_form == "contract"
    # The server echoed seconds; they were parsed back into the same times.
    assert simulator.ampeco.charge_point(6).preference["preferences"]["startTime"] == "22:30:00"
    assert await client.async_preferences("6") == result


async def test_schedule_window_defaults_come_from_the_charge_point(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Without times, the charge point's default window (22:00-06:00) is written."""
    result = await client.async_set_preferences("7", SchedulePreferences(max_target_kwh=30))
    assert result.schedule == SchedulePreferences(
        start_time=time(22), end_time=time(6), max_target_kwh=30
    )
    assert posts(simulator)[0].body["preferences"]["targetCharge"] == {"maxTargetChargeKwh": 30}


async def test_solar_round_trip(client: AmpecoClient, simulator: Sim) -> None:
    """Solar values go out as numbers (not the guide's string) and come back equal."""
    written = SolarPreferences(max_current_from_grid_a=6, solar_stable_time_s=300)
    result = await client.async_set_preferences("8", written)
    assert (result.mode, result.solar) == (PreferenceMode.SOLAR, written)
    assert posts(simulator)[0].body == {
        "type": "solar",
        "enabled": True,
        "preferences": {"maxCurrentFromGrid": 6, "solarStableTime": 300},
    }
    assert simulator.ampeco.last_preference_body_form == "contract"


async def test_solar_allows_no_grid_current(client: AmpecoClient) -> None:
    """0 A from the grid (solar only) is a value the vendor recommends."""
    written = SolarPreferences(max_current_from_grid_a=0, solar_stable_time_s=60)
    assert (await client.async_set_preferences("6", written)).solar == written


TARIFF_WRITES: dict[str, tuple[DynamicTariffPreferences, dict[str, Any], Any]] = {
    # provider: (written, what the read-back adds from the modes, body sent)
    "octopus_agile": (
        DynamicTariffPreferences(
            provider=PreferenceMode.OCTOPUS_AGILE,
            departure_time=time(7, 30),
            min_target_kwh=20,
            max_target_kwh=40,
            preconditioning_min=10,
            price_threshold=0.2,
            post_code="SW1A 1AA",
            applicable_tax_id=3,
        ),
        {"integration_id": 1},
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
                    "preconditioningTime": 10,
                    "minTargetChargeKwh": 20,
                    "maxTargetChargeKwh": 40,
                },
            },
        },
    ),
    "octopus_go": (
        DynamicTariffPreferences(
            provider=PreferenceMode.OCTOPUS_GO,
            post_code="SW1A 1AA",
            applicable_tax_id=3,
            integration_id=2,
        ),
        {},
        {
            "type": "octopus_go",
            "integrationId": 2,
            "enabled": True,
            "preferences": {"applicableTaxId": 3, "postCode": "SW1A 1AA"},
        },
    ),
    "nordpool": (
        DynamicTariffPreferences(
            provider=PreferenceMode.NORDPOOL, departure_time=time(6, 45), target_kwh=30
        ),
        {"location": "GB1", "integration_id": 3},
        {
            "type": "nordpool",
            "integrationId": 3,
            "enabled": True,
            "preferences": {
                "location": "GB1",
                "targetCharge": {"departureTime": "06:45", "targetChargeKwh": 30},
            },
        },
    ),
    "energi_elspot": (
        DynamicTariffPreferences(
            provider=PreferenceMode.ENERGI_ELSPOT,
            target_kwh=12.5,
            preconditioning_min=15,
            location="GB1",
        ),
        {"departure_time": time(7, 30), "integration_id": 4},
        {
            "type": "energi_elspot",
            "integrationId": 4,
            "enabled": True,
            "preferences": {
                "location": "GB1",
                "targetCharge": {
                    "departureTime": "07:30",
                    "preconditioningTime": 15,
                    "targetChargeKwh": 12.5,
                },
            },
        },
    ),
}


@pytest.mark.parametrize("provider", sorted(TARIFF_WRITES))
async def test_dynamic_tariff_round_trip(
    client: AmpecoClient, simulator: Sim, provider: str
) -> None:
    """Each tariff: integration id and defaults filled from the modes, read back from the 201."""
    written, filled, body = TARIFF_WRITES[provider]
    expected = replace(written, **filled)
    result = await client.async_set_preferences("6", written)
    assert result.mode == PreferenceMode(provider)
    assert result.tariff == expected
    assert result.integration_id == expected.integration_id
    (post,) = posts(simulator)
    assert (post.body, post.status) == (body, 201)
    assert simulator.ampeco.last_preference_body_form == "contract"
    assert await client.async_preferences("6") == result


async def test_agile_price_threshold_defaults_to_the_tenants(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Agile needs a threshold; without one the mode's default (max_price 0.25) is sent."""
    written = DynamicTariffPreferences(
        provider=PreferenceMode.OCTOPUS_AGILE, post_code="AB1 2CD", applicable_tax_id=1
    )
    result = await client.async_set_preferences("6", written)
    assert result.tariff is not None
    assert (result.tariff.price_threshold, result.tariff.integration_id) == (0.25, 1)
    assert posts(simulator)[0].body["preferences"]["priceThreshold"] == 0.25


async def test_disable_keeps_the_settings_and_reports_disabled(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Disabling answers mode DISABLED, and the cloud keeps the last schedule for later."""
    result = await client.async_disable("6")
    assert posts(simulator)[0].body == {"enabled": False}
    assert result.mode is PreferenceMode.DISABLED
    assert result.enabled is False
    assert result.configured_mode is PreferenceMode.USER_CONTROLLED_SCHEDULE
    assert result.schedule == SchedulePreferences(start_time=time(23), end_time=time(5))
    assert await client.async_preferences("6") == result


# --- writing: refused before sending -----------------------------------------------------------

WINDOW: dict[str, Any] = {"start_time": time(22), "end_time": time(6)}


async def _refused(client: AmpecoClient, cp: str, prefs: Any, *modes: Any) -> PreferenceError:
    """The client's refusal of writing ``prefs`` to charge point ``cp`` (given its modes)."""
    with pytest.raises(PreferenceError) as caught:
        await client.async_set_preferences(cp, prefs, *modes)
    return caught.value


INVALID_SCHEDULES: list[tuple[str, SchedulePreferences, str, str, dict[str, str]]] = [
    (
        "8",
        SchedulePreferences(start_time=time(22, 0, 30), end_time=time(6)),
        "start_time",
        Reason.INVALID_TIME,
        {"value": "22:00:30"},
    ),
    (
        "6",
        SchedulePreferences(start_time=time(22), end_time=time(22)),
        "end_time",
        Reason.EMPTY_WINDOW,
        {"start": "22:00", "end": "22:00"},
    ),
    (
        "6",
        SchedulePreferences(**WINDOW, min_target_kwh=50, max_target_kwh=20),
        "min_target_kwh",
        Reason.MIN_ABOVE_MAX,
        {"min": "50", "max": "20"},
    ),
    (
        "6",
        SchedulePreferences(**WINDOW, max_target_kwh=0),
        "max_target_kwh",
        Reason.NOT_POSITIVE,
        {"value": "0"},
    ),
    (
        "6",
        SchedulePreferences(**WINDOW, price_peak=-0.1),
        "price_peak",
        Reason.NEGATIVE,
        {"value": "-0.1"},
    ),
    (
        "6",
        SchedulePreferences(**WINDOW, min_target_kwh=float("nan")),
        "min_target_kwh",
        Reason.NOT_A_NUMBER,
        {"value": "nan"},
    ),
    (
        "6",
        SchedulePreferences(
            **WINDOW,
            weekdays=(
                WeekdayWindow(days=(Weekday.MONDAY,), start_time=time(16), end_time=time(23)),
                WeekdayWindow(
                    days=(Weekday.FRIDAY, Weekday.MONDAY), start_time=time(17), end_time=time(22)
                ),
            ),
        ),
        "weekdays",
        Reason.DUPLICATE_DAY,
        {"day": "monday", "window": "2"},
    ),
    (
        "6",
        SchedulePreferences(
            **WINDOW, weekdays=(WeekdayWindow(days=(), start_time=time(1), end_time=time(2)),)
        ),
        "weekdays",
        Reason.NO_DAYS,
        {"window": "1"},
    ),
    (
        "6",
        SchedulePreferences(
            **WINDOW,
            weekdays=(WeekdayWindow(days=(Weekday.SUNDAY,), start_time=time(9), end_time=None),),
        ),
        "weekdays",
        Reason.FIELD_REQUIRED,
        {"window": "1"},
    ),
]


async def test_mode_not_offered_lists_what_is(client: AmpecoClient, simulator: Sim) -> None:
    """Solar on the Garage (schedule and Nord Pool only) is refused naming the offered modes."""
    error = await _refused(
        client, "7", SolarPreferences(max_current_from_grid_a=6, solar_stable_time_s=60)
    )
    assert (error.field, error.reason, error.placeholders) == (
        "mode",
        Reason.MODE_NOT_OFFERED,
        {"mode": "solar", "offered": "user_controlled_schedule, nordpool"},
    )
    assert str(error) == (
        "mode: mode_not_offered (mode=solar, offered=user_controlled_schedule, nordpool)"
    )
    assert posts(simulator) == []


async def test_schedule_needs_a_window_when_the_charge_point_has_no_default(
    client: AmpecoClient, simulator: Sim
) -> None:
    """A mode entry without defaults leaves the window to the user."""
    simulator.ampeco.set_modes(
        7, [{"name": "Scheduled", "integrationId": None, "type": "user_controlled_schedule"}]
    )
    error = await _refused(client, "7", SchedulePreferences(end_time=time(6)))
    assert (error.field, error.reason) == ("start_time", Reason.FIELD_REQUIRED)
    assert posts(simulator) == []


INVALID_SOLAR: list[tuple[SolarPreferences, str, str, dict[str, str]]] = [
    (
        SolarPreferences(max_current_from_grid_a=-6, solar_stable_time_s=60),
        "max_current_from_grid_a",
        Reason.NEGATIVE,
        {"value": "-6"},
    ),
    (
        SolarPreferences(max_current_from_grid_a=6, solar_stable_time_s=0),
        "solar_stable_time_s",
        Reason.NOT_POSITIVE,
        {"value": "0"},
    ),
    (
        SolarPreferences(solar_stable_time_s=60),
        "max_current_from_grid_a",
        Reason.FIELD_REQUIRED,
        {},
    ),
    (
        SolarPreferences(max_current_from_grid_a=6),
        "solar_stable_time_s",
        Reason.FIELD_REQUIRED,
        {},
    ),
    (
        SolarPreferences(max_current_from_grid_a=float("inf"), solar_stable_time_s=60),
        "max_current_from_grid_a",
        Reason.NOT_A_NUMBER,
        {"value": "inf"},
    ),
]


AGILE: dict[str, Any] = {"post_code": "SW1A 1AA", "applicable_tax_id": 3, "price_threshold": 0.2}

INVALID_TARIFFS: list[tuple[str, DynamicTariffPreferences, str, str, dict[str, str]]] = [
    (
        "6",
        DynamicTariffPreferences(provider=PreferenceMode.SOLAR),
        "provider",
        Reason.INVALID_PROVIDER,
        {"provider": "solar", "allowed": "energi_elspot, nordpool, octopus_agile, octopus_go"},
    ),
    (
        "7",
        DynamicTariffPreferences(provider=PreferenceMode.OCTOPUS_GO, **AGILE),
        "provider",
        Reason.MODE_NOT_OFFERED,
        {"mode": "octopus_go", "offered": "user_controlled_schedule, nordpool"},
    ),
    (
        "6",
        DynamicTariffPreferences(provider=PreferenceMode.OCTOPUS_AGILE, applicable_tax_id=3),
        "post_code",
        Reason.FIELD_REQUIRED,
        {},
    ),
    (
        "6",
        DynamicTariffPreferences(
            provider=PreferenceMode.OCTOPUS_AGILE, **AGILE, min_target_kwh=60, max_target_kwh=45
        ),
        "min_target_kwh",
        Reason.MIN_ABOVE_MAX,
        {"min": "60", "max": "45"},
    ),
    (
        "6",
        DynamicTariffPreferences(provider=PreferenceMode.OCTOPUS_AGILE, **AGILE, target_kwh=45),
        "target_kwh",
        Reason.NOT_FOR_MODE,
        {"mode": "octopus_agile"},
    ),
    (
        "6",
        DynamicTariffPreferences(
            provider=PreferenceMode.OCTOPUS_GO, post_code="X", applicable_tax_id=0
        ),
        "applicable_tax_id",
        Reason.NOT_POSITIVE,
        {"value": "0"},
    ),
    (
        "6",
        DynamicTariffPreferences(
            provider=PreferenceMode.OCTOPUS_AGILE, **AGILE | {"price_threshold": -1}
        ),
        "price_threshold",
        Reason.NEGATIVE,
        {"value": "-1"},
    ),
    (
        "7",
        DynamicTariffPreferences(provider=PreferenceMode.NORDPOOL, departure_time=time(7)),
        "target_kwh",
        Reason.FIELD_REQUIRED,
        {},
    ),
    (
        "7",
        DynamicTariffPreferences(
            provider=PreferenceMode.NORDPOOL, target_kwh=20, post_code="SW1A 1AA"
        ),
        "post_code",
        Reason.NOT_FOR_MODE,
        {"mode": "nordpool"},
    ),
    (
        "7",
        DynamicTariffPreferences(
            provider=PreferenceMode.NORDPOOL, target_kwh=20, departure_time=time(7, 15, 5)
        ),
        "departure_time",
        Reason.INVALID_TIME,
        {"value": "07:15:05"},
    ),
    (
        "6",
        DynamicTariffPreferences(
            provider=PreferenceMode.ENERGI_ELSPOT, target_kwh=20, preconditioning_min=-5
        ),
        "preconditioning_min",
        Reason.NEGATIVE,
        {"value": "-5"},
    ),
]


# Solar preferences are tried on the Driveway (6), which offers solar.
INVALID = [*INVALID_SCHEDULES, *(("6", *case) for case in INVALID_SOLAR), *INVALID_TARIFFS]


@pytest.mark.parametrize(("cp", "prefs", "field", "reason", "placeholders"), INVALID)
async def test_invalid_preferences_are_refused_before_sending(
    client: AmpecoClient,
    simulator: Sim,
    cp: str,
    prefs: SchedulePreferences | SolarPreferences | DynamicTariffPreferences,
    field: str,
    reason: str,
    placeholders: dict[str, str],
) -> None:
    """Each mistake names its field and reason; no POST reaches the cloud."""
    error = await _refused(client, cp, prefs)
    assert (error.field, error.reason, error.placeholders) == (field, reason, placeholders)
    assert posts(simulator) == []


async def test_octopus_needs_an_integration_id(client: AmpecoClient, simulator: Sim) -> None:
    """When neither the user nor the modes answer give one, Octopus is refused."""
    simulator.ampeco.set_modes(6, [mode("user_controlled_schedule")])
    simulator.ampeco.charge_point(6).modes.append(
        {"name": "Octopus Go", "integrationId": None, "type": "octopus_go", "defaults": {}}
    )
    error = await _refused(
        client,
        "6",
        DynamicTariffPreferences(
            provider=PreferenceMode.OCTOPUS_GO, post_code="X", applicable_tax_id=1
        ),
    )
    assert (error.field, error.reason, error.placeholders) == (
        "integration_id",
        Reason.INTEGRATION_ID_REQUIRED,
        {"mode": "octopus_go"},
    )
    assert posts(simulator) == []


async def test_validation_uses_the_modes_the_caller_already_has(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Given the modes (from the last poll), a refused write sends nothing at all."""
    offered = [AvailableMode(mode=PreferenceMode.SOLAR, type_name="solar")]
    error = await _refused(client, "6", SchedulePreferences(**WINDOW), offered)
    assert error.reason == Reason.MODE_NOT_OFFERED
    assert simulator.sim.log.entries == []


# --- writing: what only the cloud can refuse ---------------------------------------------------


async def test_cloud_422_on_a_foreign_integration_keeps_its_field_errors(
    client: AmpecoClient, simulator: Sim
) -> None:
    """An integration id that is not the tenant's: ValidationError with the cloud's message."""
    written = DynamicTariffPreferences(
        provider=PreferenceMode.OCTOPUS_GO,
        post_code="SW1A 1AA",
        applicable_tax_id=3,
        integration_id=99,
    )
    with pytest.raises(ValidationError) as caught:
        await client.async_set_preferences("6", written)
    assert caught.value.field_errors == {
        "integrationId": ["The selected integration id is invalid."]
    }
    assert caught.value.message == "The selected integration id is invalid."
    assert neutral_field("integrationId") == "integration_id"
    assert posts(simulator)[0].status == 422
    assert (await client.async_preferences("6")).mode is PreferenceMode.USER_CONTROLLED_SCHEDULE


async def test_cloud_422_on_a_mode_it_no_longer_offers(
    client: AmpecoClient, simulator: Sim
) -> None:
    """Stale modes from an earlier poll let a write through; the cloud refuses the type."""
    stale = [AvailableMode(mode=PreferenceMode.SOLAR, type_name="solar")]
    with pytest.raises(ValidationError) as caught:
        await client.async_set_preferences(
            "7", SolarPreferences(max_current_from_grid_a=6, solar_stable_time_s=60), stale
        )
    assert caught.value.field_errors == {"type": ["The selected type is invalid."]}
    assert neutral_field("type") == "mode"
    assert [p.status for p in posts(simulator)] == [422]


async def test_cloud_422_on_a_price_region_it_does_not_know(
    client: AmpecoClient, simulator: Sim, off_contract: None
) -> None:
    """Which regions exist is the cloud's to say: SE3 is sent and refused by field."""
    written = DynamicTariffPreferences(
        provider=PreferenceMode.NORDPOOL, target_kwh=5, location="SE3"
    )
    with pytest.raises(ValidationError) as caught:
        await client.async_set_preferences("7", written)
    assert caught.value.field_errors == {
        "preferences.location": ["The selected preferences.location is invalid."]
    }
    assert neutral_field("preferences.location") == "location"
    assert neutral_field("preferences.weekDays.0.startTime") == "weekdays"
    assert neutral_field("somethingElse") is None


# --- start, stop, sessions ---------------------------------------------------------------------


async def test_start_on_an_offline_charge_point_is_rejected(
    client: AmpecoClient, simulator: Sim
) -> None:
    """406 from the cloud becomes RejectedError with the cloud's message."""
    with pytest.raises(RejectedError, match=r"^The charge point is offline\.$"):
        await client.async_start("8")
    with pytest.raises(RejectedError, match="No vehicle is connected"):
        await client.async_start("7", evse=1)
    assert [p.status for p in posts(simulator)] == [406, 406]


async def test_session_life_start_charge_stop(client: AmpecoClient, simulator: Sim) -> None:
    """Start, read the active session's energy as it grows, stop, and read it finished."""
    started = await client.async_start("6", evse=1)
    assert started.session_id is not None
    assert started.authorization_id is not None
    simulator.sim.clock.advance(1800)
    (active,) = await client.async_active_sessions()
    assert (active.id, active.charge_point_id, active.status) == (
        started.session_id,
        "6",
        SessionStatus.ACTIVE,
    )
    assert active.energy_kwh == pytest.approx(3.7)
    assert active.power_kw == pytest.approx(7.4)
    assert active.start is not None
    assert active.start.utcoffset() is not None
    assert await client.async_active_sessions("7") == []
    evses = await client.async_evses("6")
    assert [(e.network_id, e.status) for e in evses] == [("1", EvseStatus.CHARGING)]
    await client.async_stop("6", started.session_id)
    finished = await client.async_session(started.session_id)
    assert (finished.status, finished.reason) == (SessionStatus.FINISHED, "remote")
    assert finished.end is not None
    assert await client.async_active_sessions("6") == []


async def test_second_start_is_rejected_by_the_answer(client: AmpecoClient) -> None:
    """A 202 with ``success: false`` is a refusal too, with the cloud's message."""
    await client.async_start("6")
    with pytest.raises(RejectedError, match="already running"):
        await client.async_start("6")


async def test_stop_of_a_finished_session_is_rejected(client: AmpecoClient) -> None:
    """Stopping twice: the second is a 406, RejectedError."""
    started = await client.async_start("6", evse=1)
    assert started.session_id is not None
    await client.async_stop("6", started.session_id)
    with pytest.raises(RejectedError, match="not active"):
        await client.async_stop("6", started.session_id, force=True)


# --- odd answers -------------------------------------------------------------------------------


async def test_unknown_values_become_unknown(
    client: AmpecoClient, simulator: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    """A mode, status or session state we have never seen is UNKNOWN, never an exception."""
    cloud = simulator.ampeco
    cloud.check_responses = False  # the cloud now says things its contract does not
    cloud.charge_point(7).preference = {
        "type": "vehicle_to_grid",
        "integrationId": 12,
        "preferences": {"reserveKwh": 10},
        "enabled": True,
    }
    cloud.set_modes(7, [mode("nordpool"), {"type": "vehicle_to_grid", "name": "V2G"}])
    started = await client.async_start("6", evse=1)
    assert started.session_id is not None
    cloud.sessions[int(started.session_id)].status = "paused_by_grid"
    caplog.set_level("DEBUG")

    prefs = await client.async_preferences("7")
    assert (prefs.mode, prefs.configured_mode, prefs.type_name) == (
        PreferenceMode.UNKNOWN,
        PreferenceMode.UNKNOWN,
        "vehicle_to_grid",
    )
    assert (prefs.integration_id, prefs.schedule, prefs.solar, prefs.tariff) == (
        12,
        None,
        None,
        None,
    )
    modes = await client.async_available_modes("7")
    assert [(m.mode, m.type_name) for m in modes] == [
        (PreferenceMode.NORDPOOL, "nordpool"),
        (PreferenceMode.UNKNOWN, "vehicle_to_grid"),
    ]
    session = await client.async_session(started.session_id)
    assert session.status is SessionStatus.UNKNOWN
    assert "vehicle_to_grid" in caplog.text

    listed = (await client.async_charge_points())[0]
    simulator.sim.faults.add(
        Fault(
            path=CPS,
            method="GET",
            status=200,
            body={
                "data": [
                    {"id": 6, "name": "Driveway", "networkStatus": "hibernating"},
                    {"id": 7, "networkStatus": "available", "hardwareStatus": "melting"},
                    {"id": 8, "networkStatus": "available"},
                    {"id": 9, "networkStatus": "never_connected", "hardwareStatus": None},
                ],
                "links": {"next": None},
                "meta": {"next_cursor": None},
            },
        )
    )
    statuses = [(cp.charger.id, cp.status) for cp in await client.async_charge_points()]
    assert statuses == [
        ("6", ChargePointStatus.UNKNOWN),
        ("7", ChargePointStatus.UNKNOWN),
        ("8", ChargePointStatus.AVAILABLE),
        ("9", ChargePointStatus.NEVER_CONNECTED),
    ]
    assert listed.status is ChargePointStatus.AVAILABLE


async def test_wrong_types_become_none(client: AmpecoClient, simulator: Sim) -> None:
    """Values of the wrong type are read as missing; the rest of the answer still counts."""
    simulator.ampeco.check_responses = False
    simulator.ampeco.charge_point(6).preference = {
        "type": "user_controlled_schedule",
        "integrationId": "none",
        "preferences": {
            "startTime": 2300,
            "endTime": "05:00:00",
            "targetCharge": "lots",
            "trackElectricityCosts": {"pricePeak": "0.3", "priceOffPeak": 0.1},
            "weekDays": [{"days": ["monday", "someday"], "startTime": "25:00", "endTime": None}],
        },
        "enabled": "yes",
    }
    prefs = await client.async_preferences("6")
    assert prefs == Preferences(
        mode=PreferenceMode.USER_CONTROLLED_SCHEDULE,
        enabled=True,
        configured_mode=PreferenceMode.USER_CONTROLLED_SCHEDULE,
        type_name="user_controlled_schedule",
        schedule=SchedulePreferences(
            end_time=time(5),
            price_off_peak=0.1,
            weekdays=(WeekdayWindow(days=(Weekday.MONDAY,), start_time=None, end_time=None),),
        ),
    )


async def test_a_wrong_shape_is_an_invalid_response(client: AmpecoClient, simulator: Sim) -> None:
    """Only an answer whose overall shape is wrong raises, as InvalidResponseError."""
    simulator.sim.faults.add(
        Fault(path=f"{CPS}/6/personal", status=200, body={"data": ["not", "a", "variant"]})
    )
    with pytest.raises(InvalidResponseError):
        await client.async_preferences("6")
    simulator.sim.faults.add(Fault(path=CPS, status=200, body={"data": {"id": 6}}))
    with pytest.raises(InvalidResponseError):
        await client.async_charge_points()
    simulator.sim.faults.add(Fault(path=CPS, kind="malformed"))
    with pytest.raises(InvalidResponseError):
        await client.async_available_modes("6")


async def test_a_cursor_that_repeats_ends_the_walk(client: AmpecoClient, simulator: Sim) -> None:
    """A cloud that hands out the same cursor again would loop forever; it is an error."""
    page = {"data": [{"id": 1}], "links": {}, "meta": {"next_cursor": "abc"}}
    simulator.sim.faults.add(Fault(path=CPS, status=200, body=page, times=2))
    with pytest.raises(InvalidResponseError, match="repeats"):
        await client.async_charge_points()


# Every day in one window that runs almost round the clock, and a free off-peak price.
FULL_SCHEDULE: dict[str, Any] = {
    "start_time": time(0, 15),
    "end_time": time(23, 45),
    "min_target_kwh": 1.5,
    "price_off_peak": 0,
    "weekdays": (WeekdayWindow(days=tuple(Weekday), start_time=time(12), end_time=time(11, 59)),),
}


# --- the contract -------------------------------------------------------------------------------


async def test_every_request_the_client_sends_keeps_the_contract(
    client: AmpecoClient, simulator: Sim
) -> None:
    """A full round of reads, one write per category, start and stop: all contract-valid."""
    simulator.ampeco.plug_in(7)
    await client.async_identify()
    await client.async_charge_points()
    await client.async_evses("6")
    await client.async_available_modes("6")
    await client.async_preferences("6")
    await client.async_set_preferences("6", SchedulePreferences(**FULL_SCHEDULE))
    await client.async_set_preferences(
        "6", SolarPreferences(max_current_from_grid_a=8, solar_stable_time_s=120)
    )
    for written, _, _ in TARIFF_WRITES.values():
        await client.async_set_preferences("6", written)
    await client.async_disable("6")
    started = await client.async_start("6", evse=1)
    await client.async_start("7")
    assert started.session_id is not None
    await client.async_active_sessions()
    await client.async_active_sessions("6")
    await client.async_session(started.session_id)
    await client.async_stop("6", started.session_id)
    entries = simulator.sim.log.entries
    # 18 calls, and each write but disable read the offered modes first.
    assert validate_logged_requests(entries) == len(entries) == 18 + 6
    assert all(entry.status < 300 for entry in entries)


@pytest.mark.parametrize(
    ("build", "prefs"),
    [
        (bodies.schedule_body, SchedulePreferences(start_time=time(1))),
        (
            bodies.schedule_body,
            SchedulePreferences(
                start_time=time(1),
                end_time=time(6),
                weekdays=(
                    WeekdayWindow(days=(Weekday.MONDAY,), start_time=time(1), end_time=None),
                ),
            ),
        ),
        (bodies.solar_body, SolarPreferences(max_current_from_grid_a=6)),
    ],
)
def test_a_body_is_built_only_from_a_validated_write(build: Any, prefs: Any) -> None:
    """A write with a required value missing never becomes a body with nulls in it."""
    with pytest.raises(ValueError, match="validated write"):
        build(prefs)
