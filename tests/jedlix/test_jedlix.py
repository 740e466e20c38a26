"""Jedlix through Home Assistant: cars, chargers, locations, sessions, tariffs, messages."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from syrupy.assertion import SnapshotAssertion

from custom_components.smart_charging.const import DOMAIN

from ..conftest import Sim, add_entry, advance, run_for
from ..helpers import entities_as_seen, refused, start_repair, state_of
from .helpers import PEAK_OFF_PEAK, WEEKDAYS, car_device, location_device

CAR = "sensor.volkswagen_id_4"
PARKED = "sensor.renault_zoe"
LOCATION = "sensor.charging_location"


async def test_entities_and_states(
    hass: HomeAssistant, jedlix: ConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """Cars, the charger and the location as a user first sees them."""
    assert entities_as_seen(hass, jedlix) == snapshot


async def test_charging_car_and_its_session(hass: HomeAssistant, jedlix: ConfigEntry) -> None:
    """The ID.4 charges in an active session; the Zoe is parked."""
    assert state_of(hass, f"{CAR}_charge_state") == "charging"
    assert state_of(hass, f"{CAR}_session_status") == "active"
    assert state_of(hass, "binary_sensor.volkswagen_id_4_connected_to_jedlix") == "on"
    assert state_of(hass, f"{PARKED}_charge_state") == "disconnected"
    assert state_of(hass, f"{PARKED}_battery") == "64.0"
    # The Zoe has no desired-state-of-charge capability, so no such sensor.
    assert hass.states.get(f"{PARKED}_desired_state_of_charge") is None
    assert hass.states.get(f"{CAR}_desired_state_of_charge") is not None


async def test_battery_rises_while_charging(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Polls follow the car: its battery level and session energy grow."""
    battery = float(state_of(hass, f"{CAR}_battery"))
    energy = float(state_of(hass, f"{CAR}_session_energy"))
    await advance(hass, freezer, simulator, 30 * 60)
    assert float(state_of(hass, f"{CAR}_battery")) > battery
    assert float(state_of(hass, f"{CAR}_session_energy")) > energy


async def test_a_parked_car_writes_only_its_new_report_time(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A parked car reports a new time at every poll: that sensor moves, the rest stays.

    Its battery, range and charge state are not written again (Home Assistant's "last
    reported" of each stays): for a fleet of 500 cars, rewriting them was most of a
    poll's cost.
    """
    keys = ("last_update", "battery", "range", "charge_state", "session_status")

    def shown() -> dict[str, tuple[str, object]]:
        # Home Assistant updates a state's "last reported" in place: copied here.
        states = {key: hass.states.get(f"{PARKED}_{key}") for key in keys}
        return {key: (s.state, s.last_reported) for key, s in states.items() if s}

    # After setup, the first poll writes every entity once.
    await run_for(hass, freezer, simulator, 90)
    before = shown()
    await run_for(hass, freezer, simulator, 3 * 90)
    after = shown()
    assert after["last_update"][0] != before["last_update"][0]
    for key in keys[1:]:
        assert after[key] == before[key], key


async def test_prices_for_automations(hass: HomeAssistant, jedlix: ConfigEntry) -> None:
    """The location shows now's price, actual, and today's and tomorrow's hours."""
    price = hass.states.get(f"{LOCATION}_current_price")
    assert price is not None
    assert float(price.state) > 0
    assert price.attributes["unit_of_measurement"] == "EUR/kWh"
    assert len(price.attributes["today"]) == 24
    assert len(price.attributes["tomorrow"]) == 24
    assert price.attributes["forecast"] is False
    assert state_of(hass, f"{LOCATION}_price_data") == "actual"
    assert price.attributes["tomorrow"][0]["forecast"] is True


async def test_price_and_tariff_follow_the_clock(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A new price hour and a new tariff window show the moment they begin, not a poll later."""
    await hass.services.async_call(
        DOMAIN,
        "set_tariffs",
        {"device_id": location_device(hass, jedlix, simulator), **PEAK_OFF_PEAK},
        blocking=True,
    )
    # Nothing charges, so a poll brings nothing new that would rewrite the sensors.
    for vehicle_id in list(simulator.jedlix.vehicles):
        if simulator.jedlix.active_session(vehicle_id):
            simulator.jedlix.stop_charging(vehicle_id)
    await advance(hass, freezer, simulator, 59 * 60 + 50)
    today = hass.states.get(f"{LOCATION}_current_price")
    assert today is not None
    hourly = {
        dt_util.parse_datetime(point["start"]): point["price"]
        for point in today.attributes["today"]
    }

    async def strike(utc: str) -> None:
        # Home Assistant's clock alone: the simulated cloud is not asked anything new.
        freezer.move_to(utc)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    await strike("2026-11-23T13:00:00.1+00:00")
    assert (
        float(state_of(hass, f"{LOCATION}_current_price"))
        == hourly[dt_util.parse_datetime("2026-11-23T13:00:00+00:00")]
    )
    assert state_of(hass, f"{LOCATION}_tariff_in_force") == "peak"
    await advance(hass, freezer, simulator, 9 * 3600 - 60)
    # 23:00 in Amsterdam: the weekday night is off-peak.
    await strike("2026-11-23T22:00:00.1+00:00")
    assert state_of(hass, f"{LOCATION}_tariff_in_force") == "off_peak"


async def test_unseen_enum_values_are_unknown(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Values Jedlix adds later show as unknown; nothing fails."""
    simulator.jedlix.unseen_enums = True
    # Prices are read again a minute past the hour, on a tick between two polls.
    await advance(hass, freezer, simulator, 3600 + 120)
    await run_for(hass, freezer, simulator, 60)
    assert jedlix.state is ConfigEntryState.LOADED
    assert state_of(hass, f"{CAR}_charge_state") == "unknown"
    assert state_of(hass, f"{CAR}_session_status") == "unknown"
    assert state_of(hass, f"{LOCATION}_price_data") == "unknown"


async def test_get_sessions_follows_every_page(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """A user with 250 sessions gets 250, in three requests of 100."""
    simulator.jedlix.add_sessions(250 - len(simulator.jedlix.sessions))
    simulator.sim.log.clear()
    response = await hass.services.async_call(
        DOMAIN,
        "get_sessions",
        {"config_entry_id": jedlix.entry_id, "start": "2025-12-01T00:00:00+00:00"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    sessions = response["sessions"]
    assert isinstance(sessions, list)
    assert len(sessions) == 250
    assert len({s["id"] for s in sessions}) == 250
    assert len(simulator.sim.log.matching("GET", "/jedlix/api/v2/users")) == 3


async def test_set_tariffs(hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim) -> None:
    """Peak and off-peak tariffs are written and read back; the one in force shows."""
    await hass.services.async_call(
        DOMAIN,
        "set_tariffs",
        {"device_id": location_device(hass, jedlix, simulator), **PEAK_OFF_PEAK},
        blocking=True,
    )
    [write] = [e for e in simulator.sim.log.entries if e.method in ("PUT", "POST")]
    assert {t["type"] for t in write.body["tariffs"]} == {"Peak", "OffPeak"}
    assert write.body["offPeakChargingOnly"] is False
    # Monday 13:00 in Amsterdam: peak.
    assert state_of(hass, f"{LOCATION}_tariff_in_force") == "peak"


async def test_set_tariffs_off_peak_only_with_a_holiday_plan(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """Off-peak charging only and a holiday plan reach Jedlix as its v2 body says."""
    holidays = [
        {
            "start_time": "00:00",
            "end_time": "00:00",
            "days": [*WEEKDAYS, "saturday", "sunday"],
            "tariff_type": "off_peak",
        }
    ]
    await hass.services.async_call(
        DOMAIN,
        "set_tariffs",
        {
            "device_id": location_device(hass, jedlix, simulator),
            **PEAK_OFF_PEAK,
            "off_peak_charging_only": True,
            "holiday_intervals": holidays,
        },
        blocking=True,
    )
    [write] = [e for e in simulator.sim.log.entries if e.method in ("PUT", "POST")]
    assert write.body["offPeakChargingOnly"] is True
    assert write.body["holidayTariffIntervals"][0]["tariffType"] == "OffPeak"
    stored = simulator.jedlix.locations[simulator.jedlix.demo.location_id].tariffs
    assert stored is not None
    assert stored.off_peak_charging_only is True
    assert stored.holiday_intervals is not None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (
            {"tariffs": [{"type": "standard", "price": 0.3}, {"type": "peak", "price": 0.4}]},
            "tariff_exclusive_tariff_type",
        ),
        (
            {"tariffs": [{"type": "peak", "price": 0.3}, {"type": "peak", "price": 0.4}]},
            "tariff_duplicate_tariff_type",
        ),
        ({"intervals": PEAK_OFF_PEAK["intervals"][:2]}, "tariff_week_not_covered"),
        (
            {"tariffs": [{"type": "peak", "price": -1}, {"type": "off_peak", "price": 0.2}]},
            "tariff_negative_price",
        ),
        ({"tariffs": [{"type": "cheap", "price": 0.1}]}, "tariff_unknown_type"),
        (
            {"tariffs": [{"type": "standard", "price": 0.3}], "off_peak_charging_only": True},
            "tariff_off_peak_only_without_peak",
        ),
        ({"off_peak_charging_only": "yes"}, "input_not_a_boolean"),
        (
            {"holiday_intervals": PEAK_OFF_PEAK["intervals"][:2]},
            "tariff_holiday_week_not_covered",
        ),
        (
            {"holiday_intervals": [dict(PEAK_OFF_PEAK["intervals"][0], days=["someday"])]},
            "tariff_holiday_invalid_day",
        ),
    ],
)
async def test_set_tariffs_refuses_bad_input(
    hass: HomeAssistant,
    jedlix: ConfigEntry,
    simulator: Sim,
    change: dict[str, Any],
    key: str,
) -> None:
    """Combinations the API forbids are refused before anything is sent."""
    simulator.sim.log.clear()
    error = await refused(
        hass,
        "set_tariffs",
        device_id=location_device(hass, jedlix, simulator),
        **(PEAK_OFF_PEAK | change),
    )
    assert error.translation_key == key
    assert [e for e in simulator.sim.log.entries if e.method != "GET"] == []


async def test_message_needing_action_is_a_repair_issue(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, issue_registry: ir.IssueRegistry
) -> None:
    """The invalid-utility-contract message shows under Repairs; fixing it dismisses it."""
    message_id = simulator.jedlix.demo.action_message_id
    issue_id = f"message_{jedlix.entry_id}_{message_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders["title"] == "Invalid utility contract"
    manager, flow = await start_repair(hass, issue_id)
    assert flow["step_id"] == "confirm"
    result = await manager.async_configure(flow["flow_id"], {})
    assert result["type"] == "create_entry"
    [patch] = simulator.sim.log.matching("PATCH")
    assert patch.path.endswith(message_id)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_new_messages_raise_an_event(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A message that arrives later fires smart_charging_message; old ones do not."""
    events: list[Event] = []
    hass.bus.async_listen("smart_charging_message", events.append)
    simulator.jedlix.add_message("ReconnectUtilityContract")
    # Messages are read every tenth poll.
    for _ in range(10):
        await advance(hass, freezer, simulator, 120)
    assert [e.data["type"] for e in events] == ["reconnect_utility_contract"]
    assert events[0].data["needs_action"] is True


async def test_dismiss_message_action(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, issue_registry: ir.IssueRegistry
) -> None:
    """The dismiss action dismisses in Jedlix and clears the issue."""
    message_id = simulator.jedlix.demo.action_message_id
    await hass.services.async_call(
        DOMAIN,
        "dismiss_message",
        {"config_entry_id": jedlix.entry_id, "message_id": message_id},
        blocking=True,
    )
    assert simulator.sim.log.matching("PATCH")
    assert issue_registry.async_get_issue(DOMAIN, f"message_{jedlix.entry_id}_{message_id}") is None


async def test_actions_on_another_cloud(hass: HomeAssistant, simulator: Sim) -> None:
    """Jedlix actions aimed at an Easee account say so."""
    easee = await add_entry(hass, simulator, "easee")
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            "get_sessions",
            {"config_entry_id": easee.entry_id, "start": "2026-01-01T00:00:00+00:00"},
            blocking=True,
            return_response=True,
        )
    assert caught.value.translation_key == "not_jedlix"


async def test_revoked_token_starts_reauth(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A token Jedlix no longer accepts asks the user for a new one."""
    simulator.jedlix.revoke_token("jedlix-demo-token")
    await advance(hass, freezer, simulator, 120)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_polling_cost(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """An hour of one user: at most 60 account-level requests, none for a car of its own.

    The charging car's session comes from the user's session list every fourth poll,
    asked only from the start of the session still running.
    """
    simulator.sim.log.clear()
    for _ in range(120):
        await advance(hass, freezer, simulator, 30)
    user = f"/jedlix/api/v2/users/{simulator.jedlix.demo.user_id}"
    car = f"{user}/vehicles/{simulator.jedlix.demo.charging_vehicle_id}/"
    entries = simulator.sim.log.entries
    paths = [entry.path for entry in entries]
    assert not [path for path in paths if path.startswith(car)]
    assert paths.count(f"{user}/vehicles") == 40
    session_reads = [entry for entry in entries if entry.path == f"{user}/sessions"]
    assert len(session_reads) == 10
    assert all("startTimeFrom" in entry.query for entry in session_reads)
    assert paths.count(f"{user}/chargers") in (3, 4)
    assert paths.count(f"{user}/messages") in (3, 4)
    assert len(paths) <= 60


async def test_a_fleet_sets_up_without_a_request_per_car(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Forty more cars, half plugged in: their sessions come from one list read at setup."""
    freezer.move_to(simulator.sim.now())
    cloud = simulator.jedlix
    plugged = []
    for index in range(40):
        charger = cloud.add_charger(cloud.demo.location_id)
        vehicle = cloud.add_vehicle(cloud.demo.user_id, charger_id=charger.id)
        if index % 2:
            cloud.plug_in(vehicle.id, message=False)
            plugged.append(vehicle.id)
    entry = await add_entry(hass, simulator, "jedlix")
    paths = [e.path for e in simulator.sim.log.entries]
    assert not [path for path in paths if path.endswith("/sessions/last")]
    assert paths.count(f"/jedlix/api/v2/users/{cloud.demo.user_id}/sessions") == 1
    vehicles = entry.runtime_data.coordinator.data.vehicles
    assert all(vehicles[v].session and vehicles[v].session.is_active for v in plugged)


async def test_a_session_is_followed_from_plug_in_to_unplug(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A car plugged in later gets its new session from the session list, and its end."""
    cloud = simulator.jedlix
    parked = cloud.demo.parked_vehicle_id
    assert state_of(hass, f"{PARKED}_session_status") != "active"
    cloud.plug_in(parked, message=False)
    # The car shows with the next poll, its session with the next session read (6 min).
    await run_for(hass, freezer, simulator, 390)
    assert state_of(hass, f"{PARKED}_charge_state") == "charging"
    assert state_of(hass, f"{PARKED}_session_status") == "active"
    started = float(state_of(hass, f"{PARKED}_session_energy"))
    await run_for(hass, freezer, simulator, 600)
    assert float(state_of(hass, f"{PARKED}_session_energy")) > started

    cloud.unplug(parked)
    for _ in range(2):
        await advance(hass, freezer, simulator, 120)
    assert state_of(hass, f"{PARKED}_charge_state") == "disconnected"
    assert state_of(hass, f"{PARKED}_session_status") == "complete"


async def test_message_dismissed_in_jedlix_takes_its_issue_along(
    hass: HomeAssistant,
    jedlix: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A message the user dismissed in Jedlix's own app no longer shows under Repairs."""
    message_id = simulator.jedlix.demo.action_message_id
    issue_id = f"message_{jedlix.entry_id}_{message_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    simulator.jedlix.messages[message_id].dismissed_at = simulator.sim.clock.now()
    # Messages are read every tenth poll.
    for _ in range(10):
        await advance(hass, freezer, simulator, 120)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_fixing_an_issue_of_a_removed_account_just_clears_it(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, issue_registry: ir.IssueRegistry
) -> None:
    """An issue left behind by a removed account is cleared when the user confirms it."""
    message_id = simulator.jedlix.demo.action_message_id
    issue_id = f"message_{jedlix.entry_id}_{message_id}"
    assert await hass.config_entries.async_remove(jedlix.entry_id)
    await hass.async_block_till_done()
    # Removing an account leaves its issues to the user.
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    manager, flow = await start_repair(hass, issue_id)
    result = await manager.async_configure(flow["flow_id"], {})
    assert result["type"] == "create_entry"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert simulator.sim.log.matching("PATCH") == []


async def test_set_departure_and_target(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Leave at 07:30 with 90 %: the session takes both, the car shows them, and charges on."""
    demo = simulator.jedlix.demo
    simulator.sim.log.clear()
    await hass.services.async_call(
        DOMAIN,
        "set_departure",
        {
            "device_id": car_device(hass, jedlix, demo.charging_vehicle_id),
            "departure_time": "2026-11-24 07:30:00",
            "target": 90,
        },
        blocking=True,
    )
    [write] = simulator.sim.log.matching("POST")
    assert write.path.endswith(f"/sessions/{demo.active_session_id}/session-settings")
    assert write.body == {"desiredStateOfCharge": 90, "departureTime": "2026-11-24T06:30:00.000Z"}
    reads = simulator.sim.log.matching("GET")
    assert [e for e in reads if e.path.endswith("/session-settings/active")]
    assert state_of(hass, f"{CAR}_desired_state_of_charge") == "90.0"
    assert state_of(hass, f"{CAR}_departure_time") == "2026-11-24T06:30:00+00:00"
    session = simulator.jedlix.sessions[demo.active_session_id]
    assert session.desired_soc == 90
    # Five hours on, the simulated car has charged to the new target.
    for _ in range(150):
        await advance(hass, freezer, simulator, 120)
    assert float(state_of(hass, f"{CAR}_battery")) == 90.0


@pytest.mark.parametrize(
    ("car", "data", "key"),
    [
        ("charging", {}, "departure_nothing_to_set"),
        ("parked", {"target": 80}, "vehicle_no_desired_state_of_charge"),
        ("parked", {"departure_time": "2026-11-24 07:30:00"}, "vehicle_no_departure_times"),
        ("charging", {"target": 40}, "input_out_of_range"),
        ("charging", {"departure_time": "2026-11-20 07:30:00"}, "input_time_out_of_range"),
    ],
)
async def test_set_departure_refuses(
    hass: HomeAssistant,
    jedlix: ConfigEntry,
    simulator: Sim,
    car: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """What the car cannot take, or no value at all, is refused before anything is sent."""
    demo = simulator.jedlix.demo
    vehicle = demo.charging_vehicle_id if car == "charging" else demo.parked_vehicle_id
    simulator.sim.log.clear()
    error = await refused(
        hass, "set_departure", device_id=car_device(hass, jedlix, vehicle), **data
    )
    assert error.translation_key == key
    assert simulator.sim.log.matching("POST") == []


async def test_set_departure_one_at_a_time(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """Only the target, then only the departure: each changes alone, the other stays."""
    demo = simulator.jedlix.demo
    car = car_device(hass, jedlix, demo.charging_vehicle_id)
    departure = state_of(hass, f"{CAR}_departure_time")
    await hass.services.async_call(
        DOMAIN, "set_departure", {"device_id": car, "target": 85}, blocking=True
    )
    assert state_of(hass, f"{CAR}_desired_state_of_charge") == "85.0"
    assert state_of(hass, f"{CAR}_departure_time") == departure
    await hass.services.async_call(
        DOMAIN,
        "set_departure",
        {"device_id": car, "departure_time": "2026-11-24 08:15:00"},
        blocking=True,
    )
    assert state_of(hass, f"{CAR}_departure_time") == "2026-11-24T07:15:00+00:00"
    assert state_of(hass, f"{CAR}_desired_state_of_charge") == "85.0"
    bodies = [e.body for e in simulator.sim.log.matching("POST") if "session-settings" in e.path]
    assert bodies == [
        {"desiredStateOfCharge": 85},
        {"departureTime": "2026-11-24T07:15:00.000Z"},
    ]
