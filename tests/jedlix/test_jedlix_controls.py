"""A Jedlix driver's controls: departure time, target state of charge and charge now."""

from __future__ import annotations

import json
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest

from simulator.faults import Fault
from simulator.jedlix import DEMO_USER_ID

from ..conftest import Sim, advance, run_for
from ..helpers import state_of

DEPARTURE = "time.volkswagen_id_4_departure"
TARGET = "number.volkswagen_id_4_target_state_of_charge"
BOOST = "switch.volkswagen_id_4_charge_now"
CAR = "sensor.volkswagen_id_4"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "jedlix"


def _session_writes(simulator: Sim) -> list[object]:
    return [e.body for e in simulator.sim.log.matching("POST") if "session-settings" in e.path]


async def _leave_at(hass: HomeAssistant, simulator: Sim, departure: str) -> None:
    """The driver sets the ID.4's departure time; what it sends is logged afresh."""
    simulator.sim.log.clear()
    await hass.services.async_call(
        "time", "set_value", {"entity_id": DEPARTURE, "time": departure}, blocking=True
    )


async def test_controls_only_where_the_car_allows(
    hass: HomeAssistant, jedlix: ConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The ID.4 takes departure, target and boost; the Zoe (no such capabilities) gets none."""
    controls = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(entity_registry, jedlix.entry_id)
        if entry.domain in ("time", "number", "switch")
    }
    assert controls == {DEPARTURE, TARGET, BOOST}
    assert state_of(hass, DEPARTURE) == "07:30:00"
    assert state_of(hass, TARGET) == "80.0"
    assert state_of(hass, BOOST) == "off"


async def test_departure_time_sets_the_next_departure(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """06:45 is tomorrow morning's 06:45 local time: written, read back, shown everywhere."""
    await _leave_at(hass, simulator, "06:45:00")
    assert _session_writes(simulator) == [{"departureTime": "2026-11-24T05:45:00.000Z"}]
    reads = simulator.sim.log.matching("GET")
    assert [e for e in reads if e.path.endswith("/session-settings/active")]
    assert state_of(hass, DEPARTURE) == "06:45:00"
    assert state_of(hass, f"{CAR}_departure_time") == "2026-11-24T05:45:00+00:00"
    session = simulator.jedlix.sessions[simulator.jedlix.demo.active_session_id]
    assert session.departure is not None
    assert session.departure.isoformat() == "2026-11-24T05:45:00+00:00"


async def test_a_departure_earlier_in_the_day_is_tomorrow(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """At 13:00 local, 12:00 has passed today: the car leaves tomorrow at 12:00."""
    await _leave_at(hass, simulator, "12:00:00")
    assert _session_writes(simulator) == [{"departureTime": "2026-11-24T11:00:00.000Z"}]
    assert state_of(hass, DEPARTURE) == "12:00:00"


async def test_target_is_written_and_the_car_follows(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A target of 95 %: the session takes it, the car charges on until it has it."""
    simulator.sim.log.clear()
    await hass.services.async_call(
        "number", "set_value", {"entity_id": TARGET, "value": 95}, blocking=True
    )
    assert _session_writes(simulator) == [{"desiredStateOfCharge": 95}]
    assert state_of(hass, TARGET) == "95.0"
    assert state_of(hass, f"{CAR}_desired_state_of_charge") == "95.0"
    for _ in range(180):
        await advance(hass, freezer, simulator, 120)
    assert float(state_of(hass, f"{CAR}_battery")) == 95.0
    assert state_of(hass, f"{CAR}_charge_state") == "complete"


async def test_target_outside_what_jedlix_takes_is_refused(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """Below the 50 % Jedlix's desired battery level allows: refused, nothing sent."""
    simulator.sim.log.clear()
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "number", "set_value", {"entity_id": TARGET, "value": 40}, blocking=True
        )
    assert _session_writes(simulator) == []
    assert state_of(hass, TARGET) == "80.0"


async def test_charge_now_charges_a_paused_car(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Smart charging paused the car; "charge now" sends the documented boost body."""
    demo = simulator.jedlix.demo
    simulator.jedlix.stop_charging(demo.charging_vehicle_id)
    await advance(hass, freezer, simulator, 120)
    assert state_of(hass, f"{CAR}_charge_state") == "stopped"
    simulator.sim.log.clear()
    await hass.services.async_call("switch", "turn_on", {"entity_id": BOOST}, blocking=True)
    documented = json.loads((FIXTURES / "boost_charging_setting.json").read_text())
    del documented["_source"]
    assert _session_writes(simulator) == [documented]
    assert state_of(hass, BOOST) == "on"
    await advance(hass, freezer, simulator, 120)
    assert state_of(hass, f"{CAR}_charge_state") == "charging"
    assert state_of(hass, BOOST) == "on"
    await hass.services.async_call("switch", "turn_off", {"entity_id": BOOST}, blocking=True)
    assert _session_writes(simulator)[-1] == {"type": "boostCharging", "enabled": False}
    await advance(hass, freezer, simulator, 120)
    assert state_of(hass, BOOST) == "off"
    assert state_of(hass, f"{CAR}_charge_state") == "stopped"


async def test_boost_ends_with_the_session(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Boost belongs to one session: after unplugging and plugging in again it is off."""
    demo = simulator.jedlix.demo
    await hass.services.async_call("switch", "turn_on", {"entity_id": BOOST}, blocking=True)
    simulator.jedlix.unplug(demo.charging_vehicle_id)
    await run_for(hass, freezer, simulator, 390)
    assert state_of(hass, BOOST) == "off"
    simulator.jedlix.plug_in(demo.charging_vehicle_id)
    await run_for(hass, freezer, simulator, 720)
    assert state_of(hass, f"{CAR}_charge_state") == "charging"
    assert state_of(hass, BOOST) == "off"


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("time.set_value", {"entity_id": DEPARTURE, "time": "07:00:00"}),
        ("number.set_value", {"entity_id": TARGET, "value": 90}),
        ("switch.turn_on", {"entity_id": BOOST}),
    ],
)
async def test_controls_need_a_running_session(
    hass: HomeAssistant,
    jedlix: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    service: str,
    data: dict[str, object],
) -> None:
    """Unplugged, there is no session to change: a translated refusal, nothing sent."""
    simulator.jedlix.unplug(simulator.jedlix.demo.charging_vehicle_id)
    await run_for(hass, freezer, simulator, 390)
    simulator.sim.log.clear()
    domain, name = service.split(".")
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(domain, name, data, blocking=True)
    assert caught.value.translation_key == "vehicle_no_active_session"
    assert _session_writes(simulator) == []


@pytest.mark.parametrize(
    ("capability", "service", "data", "key"),
    [
        (
            "DepartureTimes",
            "time.set_value",
            {"entity_id": DEPARTURE, "time": "07:00:00"},
            "vehicle_no_departure_times",
        ),
        (
            "DesiredStateOfCharge",
            "number.set_value",
            {"entity_id": TARGET, "value": 90},
            "vehicle_no_desired_state_of_charge",
        ),
        (
            "StartStopCharging",
            "switch.turn_on",
            {"entity_id": BOOST},
            "vehicle_no_start_stop_charging",
        ),
    ],
)
async def test_a_capability_the_car_lost_is_refused_before_sending(
    hass: HomeAssistant,
    jedlix: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    capability: str,
    service: str,
    data: dict[str, object],
    key: str,
) -> None:
    """The car no longer offers it (its brand's cloud changed): refused, translated."""
    vehicle = simulator.jedlix.vehicles[simulator.jedlix.demo.charging_vehicle_id]
    vehicle.capabilities.remove(capability)
    await advance(hass, freezer, simulator, 120)
    simulator.sim.log.clear()
    domain, name = service.split(".")
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(domain, name, data, blocking=True)
    assert caught.value.translation_key == key
    assert _session_writes(simulator) == []


async def test_a_refused_write_is_a_translated_error(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """The cloud fails the boost (a 503): the user sees a translated error, the state stays."""
    session = simulator.jedlix.demo.active_session_id
    path = f"/jedlix/api/v2/users/{DEMO_USER_ID}/sessions/{session}/session-settings"
    simulator.sim.faults.add(Fault(path=path, status=503, method="POST"))
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call("switch", "turn_on", {"entity_id": BOOST}, blocking=True)
    assert caught.value.translation_key == "communication_error"
    assert state_of(hass, BOOST) == "off"
    assert simulator.jedlix.sessions[session].boost is False
