"""The Jedlix v2 client against the simulated tenant: reads, paging, enums, tariffs, errors.

Plain aiohttp sessions talk to the simulator; the simulator's request log counts and
inspects what the client sent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
import logging
import math
import re
from typing import Any
import uuid

import aiohttp
import pytest

from custom_components.smart_charging.clouds.errors import (
    AuthError,
    ForbiddenError,
    InvalidResponseError,
    NotFoundError,
    ValidationError,
)
from custom_components.smart_charging.clouds.jedlix.client import JedlixClient
from custom_components.smart_charging.clouds.jedlix.models import (
    CalibrationState,
    MessageType,
    NotificationType,
    SessionStatus,
    Tariff,
    TariffInterval,
    TariffType,
)
from custom_components.smart_charging.clouds.jedlix.parse import (
    fmt_time,
    parse_charger_state,
    parse_enum,
    parse_message,
    parse_price_point,
    parse_session,
    parse_tariff_settings,
    parse_vehicle_state,
)
from custom_components.smart_charging.clouds.jedlix.tariffs import (
    TARIFF_REASON_PLACEHOLDERS,
    TariffError,
    TariffReason,
    validate_tariffs,
)
from custom_components.smart_charging.clouds.models import ChargeState, PriceDataType, Weekday
from simulator.faults import Fault
from simulator.jedlix import (
    CALIBRATION_STATES,
    CAPABILITIES,
    CHARGE_STATES,
    DATA_TYPES,
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_TOKEN,
    DEMO_USER_ID,
    MESSAGE_TYPES,
    NOTIFICATION_TYPES,
    SESSION_STATUSES,
    TARIFF_TYPES,
    UNSEEN,
    JedlixCloud,
)
from simulator.requestlog import LoggedRequest

from ..conftest import Sim
from .helpers import manager_client

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday, 13:00 in Amsterdam
QUERY_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
USER_PATH = f"/jedlix/api/v2/users/{DEMO_USER_ID}"

# Seed 002's values and the member each must become: spelled out, not derived.
CHARGE: dict[str, ChargeState] = {
    "Complete": ChargeState.COMPLETE,
    "Charging": ChargeState.CHARGING,
    "Disconnected": ChargeState.DISCONNECTED,
    "Stopped": ChargeState.STOPPED,
}
STATUS: dict[str, SessionStatus] = {
    "Active": SessionStatus.ACTIVE,
    "Complete": SessionStatus.COMPLETE,
    "ForceEnded": SessionStatus.FORCE_ENDED,
}
CALIBRATION: dict[str, CalibrationState] = {
    "NoSession": CalibrationState.NO_SESSION,
    "NotStarted": CalibrationState.NOT_STARTED,
    "InProgress": CalibrationState.IN_PROGRESS,
    "Complete": CalibrationState.COMPLETE,
}
TARIFF: dict[str, TariffType] = {
    "Standard": TariffType.STANDARD,
    "Peak": TariffType.PEAK,
    "OffPeak": TariffType.OFF_PEAK,
    "SuperOffPeak": TariffType.SUPER_OFF_PEAK,
    "Dynamic": TariffType.DYNAMIC,
}
DATA: dict[str, PriceDataType] = {
    "Actual": PriceDataType.ACTUAL,
    "Forecast": PriceDataType.FORECAST,
}
NOTIFICATION: dict[str, NotificationType] = {
    "PushNotification": NotificationType.PUSH_NOTIFICATION,
    "Email": NotificationType.EMAIL,
    "SMS": NotificationType.SMS,
    "Banner": NotificationType.BANNER,
}
MESSAGE: dict[str, MessageType] = {
    "StartSession": MessageType.START_SESSION,
    "EndSession": MessageType.END_SESSION,
    "InvalidCredentials": MessageType.INVALID_CREDENTIALS,
    "CarNotFound": MessageType.CAR_NOT_FOUND,
    "CarNotReachable": MessageType.CAR_NOT_REACHABLE,
    "ZeInteractiveToBeActivated": MessageType.ZE_INTERACTIVE_TO_BE_ACTIVATED,
    "ZeInteractiveCannotBeActivated": MessageType.ZE_INTERACTIVE_CANNOT_BE_ACTIVATED,
    "ZeInteractiveExpiresSoon": MessageType.ZE_INTERACTIVE_EXPIRES_SOON,
    "ReadyForPairing": MessageType.READY_FOR_PAIRING,
    "SessionImpossible": MessageType.SESSION_IMPOSSIBLE,
    "CheckCarActivation": MessageType.CHECK_CAR_ACTIVATION,
    "ReceivedNoPower": MessageType.RECEIVED_NO_POWER,
    "GeoLocationDisabled": MessageType.GEO_LOCATION_DISABLED,
    "AudiNotPaired": MessageType.AUDI_NOT_PAIRED,
    "AudiPairingNotComplete": MessageType.AUDI_PAIRING_NOT_COMPLETE,
    "InvalidUtilityContract": MessageType.INVALID_UTILITY_CONTRACT,
    "ReconnectUtilityContract": MessageType.RECONNECT_UTILITY_CONTRACT,
    "InvalidCredentialsBanner": MessageType.INVALID_CREDENTIALS_BANNER,
    "MyRenaultAccessRevoked": MessageType.MY_RENAULT_ACCESS_REVOKED,
    "AudiRemoteAccessDisabled": MessageType.AUDI_REMOTE_ACCESS_DISABLED,
    "AudiRemoteAccessDisabledBanner": MessageType.AUDI_REMOTE_ACCESS_DISABLED_BANNER,
}
# Messages the user has to act on (a repair issue); the rest pass by themselves.
NEEDS_ACTION = {
    "InvalidCredentials",
    "InvalidCredentialsBanner",
    "InvalidUtilityContract",
    "ReconnectUtilityContract",
    "MyRenaultAccessRevoked",
    "AudiRemoteAccessDisabled",
    "AudiRemoteAccessDisabledBanner",
    "AudiNotPaired",
    "AudiPairingNotComplete",
    "ZeInteractiveToBeActivated",
    "CheckCarActivation",
    "GeoLocationDisabled",
}


@pytest.fixture
def cloud(simulator: Sim) -> JedlixCloud:
    """The simulated tenant, its request log emptied."""
    simulator.sim.log.clear()
    return simulator.jedlix


def _client_for(
    simulator: Sim, http: aiohttp.ClientSession, user_id: str, token: str
) -> JedlixClient:
    return JedlixClient(http, simulator.url("jedlix"), DEMO_API_KEY, user_id, token)


def _sent(simulator: Sim, method: str | None = None, path: str = "/jedlix/") -> list[LoggedRequest]:
    """Requests the tenant received with this method and exactly this path (or prefix)."""
    return [
        entry
        for entry in simulator.sim.log.entries
        if (method is None or entry.method == method)
        and (entry.path == path or (path.endswith("/") and entry.path.startswith(path)))
    ]


def _advance(simulator: Sim, **delta: float) -> None:
    simulator.sim.clock.advance(timedelta(**delta).total_seconds())


# --- identity and paging -----------------------------------------------------------------------


async def test_identify_reads_the_user_once(client: JedlixClient, simulator: Sim) -> None:
    """The config flow's check: one GET of the user, a stable id that hides the user id."""
    simulator.sim.log.clear()
    account = await client.async_identify()
    again = await client.async_identify()
    assert account == again
    assert account.title == f"Jedlix {simulator.url('jedlix').split('/')[2]}"
    assert DEMO_USER_ID not in account.unique_id
    assert [(e.method, e.path) for e in _sent(simulator)] == [("GET", USER_PATH)] * 2


@pytest.mark.parametrize(("count", "requests"), [(0, 1), (1, 1), (100, 1), (101, 2), (250, 3)])
async def test_sessions_follow_every_page_in_pages_of_100(
    simulator: Sim, http: aiohttp.ClientSession, count: int, requests: int
) -> None:
    """Every session, newest first, once each, in ceil(count / 100) requests of 100."""
    cloud = simulator.jedlix
    user = cloud.add_user(token="many", sessions=count)
    simulator.sim.log.clear()
    sessions = await _client_for(simulator, http, user.id, "many").async_sessions()
    assert len(sessions) == count
    assert {s.id for s in sessions} == {s.id for s in cloud.sessions_of(user.id)}
    starts = [s.start for s in sessions if s.start is not None]
    assert starts == sorted(set(starts), reverse=True)
    sent = _sent(simulator, "GET", f"/jedlix/api/v2/users/{user.id}/sessions")
    assert len(simulator.sim.log.entries) == len(sent) == requests
    assert [e.query for e in sent] == [
        {"pageSize": "100", "pageIndex": str(i)} for i in range(1, requests + 1)
    ]


def _page(ids: range, index: int, total_pages: int | None) -> dict[str, Any]:
    items = [{"id": f"s{i}", "status": "Complete"} for i in ids]
    page: dict[str, Any] = {"pageIndex": index, "pageSize": 100, "items": items}
    if total_pages is not None:
        page["totalPages"] = total_pages
    return page


async def test_a_list_that_shifts_while_paging_keeps_each_item_once(
    client: JedlixClient, simulator: Sim
) -> None:
    """A session that starts between two pages pushes one onto the next: it is kept once.

    A short page ends the list even when the page count promised more, and without a
    page count the total count decides.
    """
    path = f"{USER_PATH}/sessions"
    simulator.sim.faults.add(Fault(path=path, status=200, body=_page(range(100), 1, 5)))
    simulator.sim.faults.add(Fault(path=path, status=200, body=_page(range(99, 130), 2, 5)))
    sessions = await client.async_sessions()
    assert [s.id for s in sessions] == [f"s{i}" for i in range(130)]
    assert len(_sent(simulator, "GET", path)) == 2
    simulator.sim.log.clear()
    counted = _page(range(100), 1, None) | {"totalCount": 100}
    simulator.sim.faults.add(Fault(path=path, status=200, body=counted))
    assert len(await client.async_sessions()) == 100
    assert len(_sent(simulator, "GET", path)) == 1


async def test_messages_follow_every_page(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """251 open messages in 3 requests; dismissed ones are left out unless asked for."""
    for i in range(250):
        cloud.add_message("CarNotReachable", at=NOW - timedelta(minutes=300 - i))
    simulator.sim.log.clear()
    messages = await client.async_messages()
    assert len(messages) == len({m.id for m in messages}) == 251
    assert not any(m.is_dismissed for m in messages)
    created = [m.created_at for m in messages if m.created_at is not None]
    assert len(created) == 251
    assert created == sorted(created, reverse=True)
    sent = _sent(simulator, "GET", f"{USER_PATH}/messages")
    assert [e.query for e in sent] == [
        {"includeDismissed": "false", "pageSize": "100", "pageIndex": str(i)} for i in (1, 2, 3)
    ]
    everything = await client.async_messages(include_dismissed=True)
    assert len(everything) == 252
    assert _sent(simulator, "GET", f"{USER_PATH}/messages")[-1].query["includeDismissed"] == "true"


async def test_session_time_filters_are_sent_in_the_v2_format(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """Start and end bounds go out as yyyy-MM-ddTHH:mm:ss.fffZ and select [from, to)."""
    every = cloud.sessions_of(DEMO_USER_ID)
    since = every[2].start.astimezone(timezone(timedelta(hours=5)))  # any offset will do
    recent = await client.async_sessions(start_from=since)
    assert [s.id for s in recent] == [s.id for s in every[:3]]
    query = _sent(simulator, "GET", f"{USER_PATH}/sessions")[-1].query
    assert query["startTimeFrom"] == fmt_time(every[2].start)
    assert QUERY_TIME.match(query["startTimeFrom"])
    ended = await client.async_sessions(
        start_to=NOW, end_from=datetime(2020, 1, 1, tzinfo=UTC), end_to=NOW
    )
    # The running session has no end yet, so an end bound leaves it out.
    assert [s.id for s in ended] == [s.id for s in every if s.end is not None]
    query = _sent(simulator, "GET", f"{USER_PATH}/sessions")[-1].query
    assert (query["startTimeTo"], query["endTimeFrom"], query["endTimeTo"]) == (
        "2026-11-23T12:00:00.000Z",
        "2020-01-01T00:00:00.000Z",
        "2026-11-23T12:00:00.000Z",
    )
    assert fmt_time(datetime(2026, 1, 2, 3, 4, 5, 678999, tzinfo=UTC)) == (
        "2026-01-02T03:04:05.678Z"
    )


# --- reads -------------------------------------------------------------------------------------


async def test_vehicles_with_their_state(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """Both demo cars in one request; desired charge and departure only where offered."""
    vehicles = {v.id: v for v in await client.async_vehicles()}
    assert len(_sent(simulator)) == 1
    charging = vehicles[cloud.demo.charging_vehicle_id]
    parked = vehicles[cloud.demo.parked_vehicle_id]
    assert (charging.brand, charging.model, charging.version) == (
        "Volkswagen",
        "ID.4",
        "Pro Performance",
    )
    assert (charging.is_connected, charging.is_connectable) == (True, True)
    assert charging.capabilities == frozenset(CAPABILITIES)
    assert charging.has("DesiredStateOfCharge")
    assert (charging.battery_level, charging.range_km) == (49.3, 209.0)
    assert charging.charge_state is ChargeState.CHARGING
    assert charging.updated_at == NOW
    assert charging.desired_state_of_charge == 80
    assert charging.departure_time == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)
    assert charging.created_at == datetime(2023, 12, 19, 13, 30, tzinfo=UTC)
    assert parked.is_connected is False
    assert parked.charge_state is ChargeState.DISCONNECTED
    assert not parked.has("DesiredStateOfCharge")
    assert (parked.desired_state_of_charge, parked.departure_time) == (None, None)
    assert await client.async_vehicle(charging.id) == charging
    assert await client.async_vehicle_state(charging.id) == charging.state
    with pytest.raises(NotFoundError):
        await client.async_vehicle("nope")


async def test_chargers_with_their_state(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """The home charger, its power while the car charges, and the neutral Charger."""
    demo = cloud.demo
    [charger] = await client.async_chargers()
    assert len(_sent(simulator)) == 1
    assert (charger.id, charger.charging_location_id) == (demo.charger_id, demo.location_id)
    assert (charger.brand, charger.model) == ("Alfen", "Eve Single Pro-line")
    assert charger.state is not None
    assert charger.state.charge_state is ChargeState.CHARGING
    assert (charger.state.power_kw, charger.state.updated_at) == (11.0, NOW)
    neutral = charger.as_charger()
    assert (neutral.name, neutral.manufacturer, neutral.site_id) == (
        "Alfen Eve Single Pro-line",
        "Alfen",
        demo.location_id,
    )
    assert await client.async_location_chargers(demo.location_id) == [charger]
    assert await client.async_charger_state(demo.location_id, demo.charger_id) == charger.state
    cloud.unplug(demo.charging_vehicle_id)
    state = await client.async_charger_state(demo.location_id, demo.charger_id)
    assert (state.charge_state, state.power_kw) == (ChargeState.DISCONNECTED, 0.0)


async def test_charging_locations_keep_address_for_diagnostics(
    client: JedlixClient, cloud: JedlixCloud
) -> None:
    """Address and coordinates are read (for redaction tests), dates are UTC."""
    [location] = await client.async_charging_locations()
    assert location.id == cloud.demo.location_id
    assert location.user_id == DEMO_USER_ID
    assert (location.latitude, location.longitude) == (52.0894, 5.11)
    assert location.address is not None
    assert (location.address.street, location.address.house_number) == ("Stationsplein", "1A")
    assert (location.address.city, location.address.country) == ("Utrecht", "NL")
    assert location.created_at == datetime(2023, 12, 19, 13, 30, tzinfo=UTC)


async def test_last_session_per_vehicle(client: JedlixClient, cloud: JedlixCloud) -> None:
    """The charging car's active session; None for a car that never charged."""
    demo = cloud.demo
    session = await client.async_last_session(demo.charging_vehicle_id)
    assert session is not None
    assert session.id == demo.active_session_id
    assert session.status is SessionStatus.ACTIVE
    assert session.is_active
    assert session.calibration_state is CalibrationState.COMPLETE  # an hour in
    assert (session.vehicle_id, session.charging_location_id, session.charger_id) == (
        demo.charging_vehicle_id,
        demo.location_id,
        demo.charger_id,
    )
    assert (session.start, session.end) == (NOW - timedelta(hours=1), None)
    assert session.energy_kwh == 11.0
    assert (session.start_battery_level, session.battery_level) == (35.0, 49.3)
    assert session.desired_state_of_charge == 80
    assert await client.async_session(demo.active_session_id) == session
    assert await client.async_last_session(demo.parked_vehicle_id) is None
    ended = cloud.unplug(demo.charging_vehicle_id)
    last = await client.async_last_session(demo.charging_vehicle_id)
    assert last is not None
    assert (last.status, last.calibration_state, last.end) == (
        SessionStatus.COMPLETE,
        None,
        ended.end,
    )
    assert not last.is_active
    with pytest.raises(NotFoundError):
        await client.async_session("nope")


async def test_latest_sessions_of_a_fleet(client: JedlixClient, cloud: JedlixCloud) -> None:
    """Each car's latest session from the user's list, reading pages only until all are found."""
    demo = cloud.demo
    # 250 past sessions of the charging car push the parked cars' far down the list.
    cloud.add_sessions(250)
    parked = cloud.add_vehicle(DEMO_USER_ID, model="ID.7")
    older = cloud.add_sessions(1, vehicle_id=parked.id)[0]
    cloud.sim.log.clear()
    latest = await client.async_latest_sessions([demo.charging_vehicle_id])
    assert latest[demo.charging_vehicle_id].id == demo.active_session_id
    # The newest session is on the first page: one request.
    assert len(cloud.sim.log.matching("GET", f"/jedlix/api/v2/users/{DEMO_USER_ID}/sessions")) == 1
    cloud.sim.log.clear()
    latest = await client.async_latest_sessions(
        [demo.charging_vehicle_id, parked.id, demo.parked_vehicle_id]
    )
    assert latest[parked.id].id == older.id
    # A car that never charged has no session; finding that out reads every page.
    assert demo.parked_vehicle_id not in latest
    assert len(cloud.sim.log.matching("GET", f"/jedlix/api/v2/users/{DEMO_USER_ID}/sessions")) == 3


async def test_tariffs_of_a_location(client: JedlixClient, cloud: JedlixCloud) -> None:
    """The demo home is on a Dynamic tariff all week; a new location has none."""
    settings = await client.async_tariffs(cloud.demo.location_id)
    assert settings is not None
    assert settings.charging_location_id == cloud.demo.location_id
    assert settings.tariffs == (Tariff(type=TariffType.DYNAMIC, price=0.0242, currency="EUR"),)
    assert settings.intervals == (
        TariffInterval(
            start_time="00:00",
            end_time="00:00",
            days_of_week=tuple(Weekday),
            tariff_type=TariffType.DYNAMIC,
        ),
    )
    assert settings.tariff_at(datetime(2026, 11, 29, 23, 59)) == settings.tariffs[0]
    fresh = cloud.add_location(DEMO_USER_ID)
    assert await client.async_tariffs(fresh.id) is None


async def test_dynamic_prices_today_and_tomorrow(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """48 hours from local midnight in one request: Actual up to now, Forecast after."""
    prices = await client.async_dynamic_tariffs(cloud.demo.location_id)
    assert _sent(simulator)[0].query == {}
    assert len(prices) == 48
    assert prices[0].start == datetime(2026, 11, 22, 23, 0, tzinfo=UTC)  # 00:00 in Amsterdam
    assert all(p.end == p.start + timedelta(hours=1) for p in prices)
    assert {p.currency for p in prices} == {"EUR"}
    assert all(p.price > 0 for p in prices)
    actual = [p for p in prices if p.data_type is PriceDataType.ACTUAL]
    assert [p.start for p in actual] == [p.start for p in prices if p.start <= NOW]
    assert len(actual) == 14
    assert all(p.is_forecast for p in prices[14:])
    assert not any(p.is_forecast for p in actual)
    simulator.sim.log.clear()
    start = datetime(2026, 11, 20, tzinfo=UTC)
    ten_days = await client.async_dynamic_tariffs(
        cloud.demo.location_id, start, start + timedelta(days=10)
    )
    assert len(ten_days) == 240
    assert [(e.query["startTime"], e.query["endTime"]) for e in _sent(simulator)] == [
        ("2026-11-20T00:00:00.000Z", "2026-11-27T00:00:00.000Z"),
        ("2026-11-27T00:00:00.000Z", "2026-11-30T00:00:00.000Z"),
    ]


async def test_solar_energy_for_a_window(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """One request per 7 days of window; nothing at night, sunshine around noon."""
    start = datetime(2026, 11, 23, tzinfo=UTC)
    day = await client.async_solar_energy(cloud.demo.location_id, start, start + timedelta(1))
    assert len(day) == 24
    assert [p.energy_kwh for p in day[:7]] == [0.0] * 7
    assert max(day, key=lambda p: p.energy_kwh).start == start + timedelta(hours=11)
    assert [p.data_type for p in day[11:14]] == [
        PriceDataType.ACTUAL,
        PriceDataType.ACTUAL,
        PriceDataType.FORECAST,
    ]
    assert len(_sent(simulator)) == 1
    simulator.sim.log.clear()
    week_and_a_day = await client.async_solar_energy(
        cloud.demo.location_id, start, start + timedelta(days=8)
    )
    assert len(week_and_a_day) == 8 * 24
    assert week_and_a_day[:24] == day
    assert len(_sent(simulator)) == 2
    assert all(QUERY_TIME.match(v) for e in _sent(simulator) for v in e.query.values())


async def test_messages_and_their_dismissal(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """The open message asks for action; dismissing it sends one PATCH and hides it."""
    [message] = await client.async_messages()
    assert message.id == cloud.demo.action_message_id
    assert message.type is MessageType.INVALID_UTILITY_CONTRACT
    assert message.type_raw == "InvalidUtilityContract"
    assert message.notification_type is NotificationType.BANNER
    assert message.needs_action
    assert message.title == "Invalid utility contract"
    assert message.body is not None
    assert "utility contract" in message.body
    assert message.charging_location_id == cloud.demo.location_id
    assert message.created_at == NOW - timedelta(hours=27)
    assert (message.is_dismissed, message.dismissed_at) == (False, None)
    _advance(simulator, seconds=5)
    simulator.sim.log.clear()
    dismissed = await client.async_dismiss_message(message.id)
    assert [(e.method, e.body) for e in _sent(simulator)] == [("PATCH", {"isDismissed": True})]
    assert dismissed.is_dismissed
    assert dismissed.dismissed_at == NOW + timedelta(seconds=5)
    assert await client.async_message(message.id) == dismissed
    assert await client.async_messages() == []
    again = await client.async_dismiss_message(message.id)
    assert again == dismissed
    everything = await client.async_messages(include_dismissed=True)
    assert [m.type for m in everything] == [
        MessageType.END_SESSION,  # six hours ago, newer than the contract message
        MessageType.INVALID_UTILITY_CONTRACT,
    ]
    with pytest.raises(NotFoundError):
        await client.async_dismiss_message("nope")


# --- enums -------------------------------------------------------------------------------------


def test_tables_cover_the_seed() -> None:
    """The expectations below list every value of seed 002, no more, no less."""
    assert set(CHARGE) == set(CHARGE_STATES)
    assert set(STATUS) == set(SESSION_STATUSES)
    assert set(CALIBRATION) == set(CALIBRATION_STATES)
    assert set(TARIFF) == set(TARIFF_TYPES)
    assert set(DATA) == set(DATA_TYPES)
    assert set(NOTIFICATION) == set(NOTIFICATION_TYPES)
    assert set(MESSAGE) == set(MESSAGE_TYPES)
    assert NEEDS_ACTION.issubset(MESSAGE)


@pytest.mark.parametrize(
    ("table", "parse"),
    [
        (CHARGE, lambda raw: parse_vehicle_state({"chargeState": raw}).charge_state),
        (CHARGE, lambda raw: parse_charger_state({"chargeState": raw}).charge_state),
        (STATUS, lambda raw: _session({"status": raw}).status),
        (CALIBRATION, lambda raw: _session({"calibrationState": raw}).calibration_state),
        (TARIFF, lambda raw: parse_tariff_settings({"tariffs": [_tariff(raw)]}).tariffs[0].type),
        (DATA, lambda raw: _price({"dataType": raw}).data_type),
        (NOTIFICATION, lambda raw: _message({"notificationType": raw}).notification_type),
        (MESSAGE, lambda raw: _message({"type": raw}).type),
    ],
)
def test_every_seed_value_parses_to_its_member(
    table: dict[str, Any], parse: Callable[[str], Any]
) -> None:
    """PascalCase as v2 sends it, and v1's camelCase too, land on the same member."""
    for raw, member in table.items():
        assert parse(raw) is member, raw
        v1 = raw.lower() if raw.isupper() else raw[0].lower() + raw[1:]
        assert parse(v1) is member, v1


def _session(extra: dict[str, Any]) -> Any:
    session = parse_session({"id": "s"} | extra)
    assert session is not None
    return session


def _tariff(kind: Any) -> dict[str, Any]:
    return {"type": kind, "price": 0.2, "currency": "EUR"}


def _price(extra: dict[str, Any]) -> Any:
    point = parse_price_point({"startTime": "2026-11-23T12:00:00.000Z", "price": 0.2} | extra)
    assert point is not None
    return point


def _message(extra: dict[str, Any]) -> Any:
    message = parse_message({"id": "m"} | extra)
    assert message is not None
    return message


async def test_every_seed_value_through_the_simulator(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """Each enum value of the seed, as the simulated cloud sends it, reaches its member."""
    demo = cloud.demo
    states = {v.charge_state for v in await client.async_vehicles()}
    cloud.stop_charging(demo.charging_vehicle_id)
    states |= {v.charge_state for v in await client.async_vehicles()}
    cloud.resume_charging(demo.charging_vehicle_id)
    _advance(simulator, hours=5)
    [charger] = await client.async_chargers()
    assert charger.state is not None
    states |= {charger.state.charge_state}
    assert states == set(CHARGE.values())
    statuses = {s.status for s in await client.async_sessions()}
    assert statuses == set(STATUS.values())
    for raw, member in CALIBRATION.items():
        cloud.set_calibration(demo.active_session_id, raw)
        assert (await client.async_session(demo.active_session_id)).calibration_state is member
    for i, raw in enumerate(MESSAGE):
        cloud.add_message(raw, notification_type=NOTIFICATION_TYPES[i % 4])
    messages = await client.async_messages(include_dismissed=True)
    for message in messages:
        assert message.type_raw is not None
        assert message.type is MESSAGE[message.type_raw]
        assert message.needs_action is (message.type_raw in NEEDS_ACTION)
    assert {m.type for m in messages} == set(MESSAGE.values())
    assert {m.notification_type for m in messages} == set(NOTIFICATION.values())
    prices = await client.async_dynamic_tariffs(demo.location_id)
    assert {p.data_type for p in prices} == set(DATA.values())


async def test_unseen_enum_values_read_as_unknown(
    client: JedlixClient, cloud: JedlixCloud, caplog: pytest.LogCaptureFixture
) -> None:
    """With the cloud's new values switched on, every read still works: UNKNOWN, no error."""
    demo = cloud.demo
    cloud.unseen_enums = True
    caplog.set_level(logging.DEBUG, logger="custom_components.smart_charging.clouds.models")
    for _ in range(2):
        vehicles = await client.async_vehicles()
        assert {v.charge_state for v in vehicles} == {ChargeState.UNKNOWN}
        assert all(UNSEEN["capability"] in v.capabilities for v in vehicles)
        [charger] = await client.async_chargers()
        assert charger.state is not None
        assert charger.state.charge_state is ChargeState.UNKNOWN
        sessions = await client.async_sessions()
        assert {s.status for s in sessions} == {SessionStatus.UNKNOWN}
        active = [s for s in sessions if s.is_active]
        assert [s.id for s in active] == [demo.active_session_id]
        assert active[0].calibration_state is CalibrationState.UNKNOWN
        settings = await client.async_tariffs(demo.location_id)
        assert settings is not None
        assert [t.type for t in settings.tariffs] == [TariffType.UNKNOWN]
        assert [i.tariff_type for i in settings.intervals] == [TariffType.UNKNOWN]
        prices = await client.async_dynamic_tariffs(demo.location_id)
        assert {p.data_type for p in prices} == {PriceDataType.UNKNOWN}
        assert not any(p.is_forecast for p in prices)
        start = datetime(2026, 11, 23, tzinfo=UTC)
        solar = await client.async_solar_energy(demo.location_id, start, NOW)
        assert {p.data_type for p in solar} == {PriceDataType.UNKNOWN}
        messages = await client.async_messages(include_dismissed=True)
        assert {m.type for m in messages} == {MessageType.UNKNOWN}
        assert {m.type_raw for m in messages} == {UNSEEN["messageType"]}
        assert {m.notification_type for m in messages} == {NotificationType.UNKNOWN}
        assert not any(m.needs_action for m in messages)
    # Each new value is logged at most once, however often it is read.
    for value in ("Discharging", "Suspended", "CriticalPeak", "BatteryHealthWarning"):
        assert sum(repr(value) in r.getMessage() for r in caplog.records) <= 1
    # A write still answers with the new tariff type, read as UNKNOWN.
    stored = await client.async_set_tariffs(demo.location_id, *_standard())
    assert [t.type for t in stored.tariffs] == [TariffType.UNKNOWN]


def test_a_new_value_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    """note_unknown: the first sight of a value is logged at debug, later ones are not."""
    caplog.set_level(logging.DEBUG)
    value = f"Brand{uuid.uuid4().hex}"
    for _ in range(3):
        assert parse_enum("Jedlix chargeState", ChargeState, value) is ChargeState.UNKNOWN
    assert [r.levelno for r in caplog.records if value in r.getMessage()] == [logging.DEBUG]
    assert parse_enum("Jedlix chargeState", ChargeState, None) is None
    assert parse_enum("Jedlix chargeState", ChargeState, 3) is ChargeState.UNKNOWN


async def test_odd_data_becomes_none_not_an_error(client: JedlixClient, simulator: Sim) -> None:
    """Wrong types in a cloud answer become None; items without an id are left out."""
    odd_vehicle = {
        "id": "v1",
        "details": "not an object",
        "isConnected": "yes",
        "capabilities": [1, "ChargeState", None],
        "chargeState": {"batteryLevel": "50", "range": True, "chargeState": 7, "updatedAt": 1},
        "desiredStateOfCharge": True,
        "departureTime": "tomorrow",
    }
    body = [odd_vehicle, {"no": "id"}, "text", None]
    simulator.sim.faults.add(Fault(path=f"{USER_PATH}/vehicles", status=200, body=body))
    [vehicle] = await client.async_vehicles()
    assert vehicle.id == "v1"
    assert (vehicle.brand, vehicle.is_connected, vehicle.departure_time) == (None, None, None)
    assert vehicle.capabilities == frozenset({"ChargeState"})
    assert (vehicle.battery_level, vehicle.range_km, vehicle.updated_at) == (None, None, None)
    assert vehicle.charge_state is ChargeState.UNKNOWN
    assert vehicle.desired_state_of_charge is None
    odd_message = {"id": "m1", "type": None, "isDismissed": "no", "createdAt": "2026-13-01"}
    page = {"pageIndex": 1, "pageSize": 100, "totalPages": 1, "totalCount": 1}
    simulator.sim.faults.add(
        Fault(path=f"{USER_PATH}/messages", status=200, body=page | {"items": [odd_message]})
    )
    [message] = await client.async_messages()
    assert (message.type, message.type_raw, message.created_at) == (MessageType.UNKNOWN, None, None)
    assert (message.is_dismissed, message.needs_action) == (False, False)
    tariffs = {"tariffs": [_tariff("Standard"), _tariff("Peak") | {"price": "1"}], "intervals": 3}
    simulator.sim.faults.add(
        Fault(path=f"{USER_PATH}/charging-locations/", body=tariffs, status=200)
    )
    settings = await client.async_tariffs("anywhere")
    assert settings is not None
    assert ([t.type for t in settings.tariffs], settings.intervals) == ([TariffType.STANDARD], ())


@pytest.mark.parametrize(
    ("suffix", "body", "read"),
    [
        ("/vehicles", {"vehicles": []}, lambda c: c.async_vehicles()),
        ("/sessions", {"items": "none", "totalPages": 1}, lambda c: c.async_sessions()),
        ("/sessions", [], lambda c: c.async_sessions()),
        ("/messages", "messages", lambda c: c.async_messages()),
        ("", [], lambda c: c.async_identify()),
    ],
)
async def test_a_wrong_shape_is_an_invalid_response(
    client: JedlixClient, simulator: Sim, suffix: str, body: Any, read: Any
) -> None:
    """Only an answer of the wrong shape altogether is an InvalidResponseError."""
    simulator.sim.faults.add(Fault(path=f"{USER_PATH}{suffix}", status=200, body=body))
    with pytest.raises(InvalidResponseError):
        await read(client)


# --- tariffs -----------------------------------------------------------------------------------

WEEK = tuple(Weekday)
WEEKDAYS_ONLY = WEEK[:5]


def _t(kind: TariffType, price: float = 0.25, currency: str = "EUR") -> Tariff:
    return Tariff(type=kind, price=price, currency=currency)


def _i(
    kind: TariffType,
    start: str = "00:00",
    end: str = "00:00",
    days: tuple[Weekday, ...] = WEEK,
) -> TariffInterval:
    return TariffInterval(start_time=start, end_time=end, days_of_week=days, tariff_type=kind)


def _standard() -> tuple[list[Tariff], list[TariffInterval]]:
    return [_t(TariffType.STANDARD)], [_i(TariffType.STANDARD)]


def _peaks() -> tuple[list[Tariff], list[TariffInterval]]:
    """Peak by day, OffPeak through weeknights (across midnight), SuperOffPeak at weekends."""
    peak, off, sup = TariffType.PEAK, TariffType.OFF_PEAK, TariffType.SUPER_OFF_PEAK
    return (
        [_t(peak, 0.32), _t(off, 0.21), _t(sup, 0.12)],
        [
            _i(peak, "07:00", "23:00", WEEKDAYS_ONLY),
            _i(off, "23:00", "07:00", WEEK[:4]),
            _i(off, "23:00", "24:00", (Weekday.FRIDAY,)),
            _i(off, "00:00", "07:00", (Weekday.MONDAY,)),
            _i(sup, "00:00", "00:00", WEEK[5:]),
        ],
    )


def _with(
    base: Callable[[], tuple[list[Tariff], list[TariffInterval]]],
    change: Callable[[list[Tariff], list[TariffInterval]], object],
) -> tuple[list[Tariff], list[TariffInterval]]:
    tariffs, intervals = base()
    change(tariffs, intervals)
    return tariffs, intervals


S, P, D = TariffType.STANDARD, TariffType.PEAK, TariffType.DYNAMIC
OFF = TariffType.OFF_PEAK
# (tariffs, intervals[, keyword arguments]), field, reason, placeholders
INVALID: list[tuple[tuple[Any, ...], str, TariffReason, dict[str, str]]]
INVALID = [
    (
        ([_t(S)], [_i(S)], {"off_peak_charging_only": True}),
        "off_peak_charging_only",
        TariffReason.OFF_PEAK_ONLY_WITHOUT_PEAK,
        {},
    ),
    (
        ([_t(S)], [_i(S)], {"holiday_intervals": []}),
        "holiday_intervals",
        TariffReason.NO_INTERVALS,
        {},
    ),
    (([], [_i(S)]), "tariffs", TariffReason.NO_TARIFFS, {}),
    (
        ([_t(TariffType.UNKNOWN)], [_i(TariffType.UNKNOWN)]),
        "tariffs",
        TariffReason.UNKNOWN_TARIFF_TYPE,
        {"position": "1"},
    ),
    (
        ([_t(S, math.nan)], [_i(S)]),
        "tariffs",
        TariffReason.INVALID_PRICE,
        {"type": "standard", "price": "nan"},
    ),
    (
        ([_t(S, math.inf)], [_i(S)]),
        "tariffs",
        TariffReason.INVALID_PRICE,
        {"type": "standard", "price": "inf"},
    ),
    (
        ([_t(S, -0.01)], [_i(S)]),
        "tariffs",
        TariffReason.NEGATIVE_PRICE,
        {"type": "standard", "price": "-0.01"},
    ),
    (
        ([_t(S, currency="euro")], [_i(S)]),
        "tariffs",
        TariffReason.INVALID_CURRENCY,
        {"type": "standard", "currency": "euro"},
    ),
    (
        ([_t(S, currency="eur")], [_i(S)]),
        "tariffs",
        TariffReason.INVALID_CURRENCY,
        {"type": "standard", "currency": "eur"},
    ),
    (
        _with(_peaks, lambda t, i: t.append(_t(OFF, 0.1))),
        "tariffs",
        TariffReason.DUPLICATE_TARIFF_TYPE,
        {"type": "off_peak"},
    ),
    (
        ([_t(S), _t(S, 0.3)], [_i(S)]),
        "tariffs",
        TariffReason.DUPLICATE_TARIFF_TYPE,
        {"type": "standard"},
    ),
    (
        _with(_standard, lambda t, i: t.append(_t(P))),
        "tariffs",
        TariffReason.EXCLUSIVE_TARIFF_TYPE,
        {"type": "standard"},
    ),
    (
        ([_t(OFF), _t(D)], [_i(D)]),
        "tariffs",
        TariffReason.EXCLUSIVE_TARIFF_TYPE,
        {"type": "dynamic"},
    ),
    (([_t(S)], []), "intervals", TariffReason.NO_INTERVALS, {}),
    (
        ([_t(S)], [_i(S, start="7:00")]),
        "intervals",
        TariffReason.INVALID_TIME,
        {"position": "1", "time": "7:00"},
    ),
    (
        ([_t(S)], [_i(S, start="24:00")]),
        "intervals",
        TariffReason.INVALID_TIME,
        {"position": "1", "time": "24:00"},
    ),
    (
        _with(_peaks, lambda t, i: i.__setitem__(1, _i(OFF, "23:00", "07:60", WEEK[:4]))),
        "intervals",
        TariffReason.INVALID_TIME,
        {"position": "2", "time": "07:60"},
    ),
    (
        ([_t(S)], [_i(S, end="25:00")]),
        "intervals",
        TariffReason.INVALID_TIME,
        {"position": "1", "time": "25:00"},
    ),
    (([_t(S)], [_i(S, days=())]), "intervals", TariffReason.NO_DAYS, {"position": "1"}),
    (
        ([_t(S)], [_i(S, days=(Weekday.TUESDAY, *WEEK[1:]))]),
        "intervals",
        TariffReason.DUPLICATE_DAY,
        {"position": "1", "day": "tuesday"},
    ),
    (
        ([_t(S)], [_i(P)]),
        "intervals",
        TariffReason.INTERVAL_WITHOUT_TARIFF,
        {"position": "1", "type": "peak"},
    ),
    (
        ([_t(S)], [_i(S, end="23:00")]),
        "intervals",
        TariffReason.WEEK_NOT_COVERED,
        {"day": "monday", "time": "23:00"},
    ),
    (
        ([_t(S)], [_i(S, days=WEEK[:6])]),
        "intervals",
        TariffReason.WEEK_NOT_COVERED,
        {"day": "sunday", "time": "00:00"},
    ),
    (
        _with(_peaks, lambda t, i: i.pop(2)),
        "intervals",
        TariffReason.WEEK_NOT_COVERED,
        {"day": "friday", "time": "23:00"},
    ),
    (
        _with(_standard, lambda t, i: i.append(_i(S, "08:00", "09:00", (Weekday.MONDAY,)))),
        "intervals",
        TariffReason.INTERVALS_OVERLAP,
        {"day": "monday", "time": "08:00"},
    ),
    (
        # Sunday night runs into Monday morning: the overlap is at the start of the week.
        _with(_standard, lambda t, i: i.append(_i(S, "23:00", "01:00", (Weekday.SUNDAY,)))),
        "intervals",
        TariffReason.INTERVALS_OVERLAP,
        {"day": "monday", "time": "00:00"},
    ),
]


def test_every_reason_is_tested_and_has_its_placeholders() -> None:
    """Each reason key has a case below, and each case fills exactly its placeholders."""
    assert {reason for _, _, reason, _ in INVALID} == set(TariffReason)
    assert set(TARIFF_REASON_PLACEHOLDERS) == set(TariffReason)
    for _, _, reason, placeholders in INVALID:
        assert tuple(placeholders) == TARIFF_REASON_PLACEHOLDERS[reason], reason


@pytest.mark.parametrize(("given", "field", "reason", "placeholders"), INVALID)
async def test_invalid_tariffs_are_refused_before_sending(
    client: JedlixClient,
    cloud: JedlixCloud,
    simulator: Sim,
    given: tuple[Any, ...],
    field: str,
    reason: TariffReason,
    placeholders: dict[str, str],
) -> None:
    """The API's rules, checked here: a TariffError with a stable key, nothing sent."""
    location = cloud.locations[cloud.demo.location_id]
    before = location.tariffs
    tariffs, intervals, *options = given
    with pytest.raises(TariffError) as caught:
        await client.async_set_tariffs(location.id, tariffs, intervals, **dict(*options))
    assert (caught.value.field, caught.value.reason, caught.value.placeholders) == (
        field,
        reason,
        placeholders,
    )
    assert reason.value in str(caught.value)
    assert _sent(simulator) == []
    assert location.tariffs is before


async def test_valid_tariffs_are_written_and_read_back(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """A peak plan replaces the Dynamic one with one PUT; the answer is what is stored."""
    tariffs, intervals = _peaks()
    validate_tariffs(tariffs, intervals)
    stored = await client.async_set_tariffs(cloud.demo.location_id, tariffs, intervals)
    [put] = _sent(simulator)
    assert put.method == "PUT"
    assert put.body["tariffs"][1] == {"type": "OffPeak", "price": 0.21, "currency": "EUR"}
    assert put.body["offPeakChargingOnly"] is False
    assert "intervals" not in put.body
    assert "holidayTariffIntervals" not in put.body
    assert put.body["tariffIntervals"][0] == {
        "startTime": "07:00",
        "endTime": "23:00",
        "daysOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "tariffType": "Peak",
    }
    assert stored.tariffs == tuple(tariffs)
    # The cloud writes the end of the day as 00:00; it means the same.
    assert stored.intervals[2].end_time == "00:00"
    assert stored.intervals[:2] + stored.intervals[3:] == tuple(intervals[:2] + intervals[3:])
    assert stored.updated_at == NOW
    assert await client.async_tariffs(cloud.demo.location_id) == stored
    validate_tariffs(stored.tariffs, stored.intervals)
    for local, kind in [
        (datetime(2026, 11, 23, 13, 0), P),
        (datetime(2026, 11, 23, 6, 59), OFF),
        (datetime(2026, 11, 24, 3, 0), OFF),
        (datetime(2026, 11, 27, 23, 30), OFF),
        (datetime(2026, 11, 28, 12, 0), TariffType.SUPER_OFF_PEAK),
    ]:
        found = stored.tariff_at(local)
        assert found is not None
        assert found.type is kind, local


async def test_tariffs_are_created_where_there_are_none(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """PUT answers 404 on a location without tariffs: then POST creates them."""
    fresh = cloud.add_location(DEMO_USER_ID)
    stored = await client.async_set_tariffs(fresh.id, [_t(S, 0.31)], [_i(S)])
    assert [(e.method, e.status) for e in _sent(simulator)] == [("PUT", 404), ("POST", 200)]
    assert stored.tariffs == (_t(S, 0.31),)
    assert stored.charging_location_id == fresh.id
    simulator.sim.log.clear()
    dynamic = await client.async_set_tariffs(fresh.id, [_t(D, 0.02)], [_i(D)])
    assert [(e.method, e.status) for e in _sent(simulator)] == [("PUT", 200)]
    assert dynamic.tariffs == (_t(D, 0.02),)
    assert await client.async_tariffs(fresh.id) == dynamic
    with pytest.raises(NotFoundError):
        await client.async_set_tariffs("nowhere", *_standard())


# --- errors ------------------------------------------------------------------------------------


async def test_a_400_carries_the_field_errors(client: JedlixClient) -> None:
    """The cloud's RFC 7807 validation problem becomes ValidationError with its fields."""
    with pytest.raises(ValidationError) as caught:
        await client.async_sessions(start_from=NOW, start_to=NOW - timedelta(days=1))
    assert list(caught.value.field_errors) == ["startTimeFrom"]
    assert caught.value.field_errors["startTimeFrom"] == [
        "startTimeFrom must not be after startTimeTo."
    ]
    assert caught.value.message == "See errors."


async def test_a_revoked_token_is_an_auth_error(
    client: JedlixClient, cloud: JedlixCloud, simulator: Sim
) -> None:
    """401 (the integration then starts reauth), for reads and writes alike."""
    await client.async_identify()
    cloud.revoke_token(DEMO_TOKEN)
    simulator.sim.log.clear()
    with pytest.raises(AuthError):
        await client.async_identify()
    with pytest.raises(AuthError):
        await client.async_sessions()
    with pytest.raises(AuthError):
        await client.async_set_tariffs(cloud.demo.location_id, *_standard())
    # Each refused once, never retried with the same token.
    assert [e.status for e in _sent(simulator)] == [401, 401, 401]


async def test_a_wrong_api_key_is_an_auth_error(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """The ApiKey header counts as much as the token."""
    client = JedlixClient(http, simulator.url("jedlix"), "wrong", DEMO_USER_ID, DEMO_TOKEN)
    with pytest.raises(AuthError):
        await client.async_vehicles()


async def test_another_users_data_is_forbidden(simulator: Sim, http: aiohttp.ClientSession) -> None:
    """A token used for a user it does not belong to is 403: ForbiddenError, not reauth."""
    other = simulator.jedlix.add_user(token="other")
    client = _client_for(simulator, http, other.id, DEMO_TOKEN)
    with pytest.raises(ForbiddenError):
        await client.async_identify()
    with pytest.raises(ForbiddenError):
        await client.async_messages()
    assert (await _client_for(simulator, http, other.id, "other").async_identify()).title


async def test_client_credentials_fetch_and_renew_a_management_token(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """The grant gives a token; when the cloud refuses it later, one new grant, one retry."""
    simulator.sim.log.clear()
    client = manager_client(simulator, http)
    await client.async_identify()
    assert len(await client.async_vehicles()) == 2
    grants = _sent(simulator, "POST", "/jedlix/connect/token")
    assert len(grants) == 1
    _advance(simulator, hours=1, seconds=1)  # the token expires on the cloud's clock
    await client.async_identify()
    assert len(_sent(simulator, "POST", "/jedlix/connect/token")) == 2
    assert [e.status for e in _sent(simulator, "GET", USER_PATH)] == [200, 401, 200]
    wrong = JedlixClient(
        http,
        simulator.url("jedlix"),
        DEMO_API_KEY,
        DEMO_USER_ID,
        client_id=DEMO_CLIENT_ID,
        client_secret="nope",
        token_url=f"{simulator.url('jedlix')}/connect/token",
    )
    simulator.sim.log.clear()
    with pytest.raises(AuthError):
        await wrong.async_identify()
    assert [(e.method, e.status) for e in _sent(simulator)] == [("POST", 401)]
    with pytest.raises(ValueError, match="token"):
        JedlixClient(http, simulator.url("jedlix"), DEMO_API_KEY, DEMO_USER_ID)
