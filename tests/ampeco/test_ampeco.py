"""AMPECO charge points through Home Assistant: preferences, start and stop."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.smart_charging.const import DEFAULT_IDLE_INTERVAL, DOMAIN
from simulator.ampeco import validate_logged_requests

from ..conftest import Sim, add_entry, advance
from ..helpers import device_of, entities_as_seen, refused, state_of

PREFS = "/personal-smart-charging-preferences"


@pytest.fixture(autouse=True)
def every_request_follows_the_contract(simulator: Sim, request: pytest.FixtureRequest) -> Any:
    """After each test: every request the integration sent validates against the spec.

    A test marked ``off_contract`` sends a value on purpose that only the cloud checks.
    """
    yield
    if request.node.get_closest_marker("off_contract") is None:
        assert validate_logged_requests(simulator.sim.log.entries) > 0


def _writes(simulator: Sim) -> list[Any]:
    return [e.body for e in simulator.sim.log.matching("POST") if e.path.endswith(PREFS)]


async def _call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


async def _set(
    hass: HomeAssistant, entry: ConfigEntry, action: str, charge_point: str, **data: Any
) -> None:
    """A preference action on a charge point (6: Driveway, 7: Garage)."""
    await _call(hass, action, device_id=device_of(hass, entry, f"ampeco_{charge_point}"), **data)


async def _refused(
    hass: HomeAssistant, entry: ConfigEntry, action: str, charge_point: str, **data: Any
) -> ServiceValidationError:
    """The error of a preference action on a charge point that is refused."""
    device = device_of(hass, entry, f"ampeco_{charge_point}")
    return await refused(hass, action, device_id=device, **data)


async def test_entities_and_states(
    hass: HomeAssistant, ampeco: ConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """The three demo charge points as a user first sees them."""
    assert entities_as_seen(hass, ampeco) == snapshot


async def test_the_seed_state_is_shown(hass: HomeAssistant, ampeco: ConfigEntry) -> None:
    """Charge point 6 starts as in the seed: a 23:00-05:00 schedule, with no target."""
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == "user_controlled_schedule"
    assert state_of(hass, "sensor.driveway_charging_window_start") == "23:00"
    assert state_of(hass, "sensor.driveway_charging_window_end") == "05:00"
    assert state_of(hass, "sensor.driveway_target_energy") == "unknown"
    # Only charge points that allow remote start and stop get the buttons.
    assert hass.states.get("button.driveway_start_charging") is not None
    assert hass.states.get("button.cabin_start_charging") is None


async def test_set_schedule(hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim) -> None:
    """A schedule is sent in the contract's form and read back from the cloud's answer."""
    await _set(
        hass,
        ampeco,
        "set_schedule_preferences",
        "6",
        start_time="22:00",
        end_time="06:00",
        min_target_kwh=20,
        max_target_kwh=40,
        price_peak=0.23,
        price_off_peak=0.12,
    )
    [body] = _writes(simulator)
    assert body["type"] == "user_controlled_schedule"
    assert body["preferences"]["startTime"] == "22:00"
    assert body["preferences"]["targetCharge"] == {
        "minTargetChargeKwh": 20,
        "maxTargetChargeKwh": 40,
    }
    assert simulator.ampeco.last_preference_body_form == "contract"
    assert state_of(hass, "sensor.driveway_charging_window_start") == "22:00"
    assert state_of(hass, "sensor.driveway_charging_window_end") == "06:00"
    assert state_of(hass, "sensor.driveway_target_energy") == "40.0"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"start_time": "22:00", "end_time": "22:00"}, "preference_empty_window"),
        ({"min_target_kwh": 50, "max_target_kwh": 30}, "preference_min_above_max"),
        ({"min_target_kwh": -5}, "preference_not_positive"),
        ({"price_peak": -0.1}, "preference_negative"),
        (
            {"weekdays": [{"days": ["funday"], "start_time": "10:00", "end_time": "12:00"}]},
            "preference_invalid_day",
        ),
        (
            {
                "weekdays": [
                    {"days": ["monday"], "start_time": "10:00", "end_time": "12:00"},
                    {"days": ["monday"], "start_time": "14:00", "end_time": "16:00"},
                ]
            },
            "preference_duplicate_day",
        ),
    ],
)
async def test_set_schedule_refuses_bad_input(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, data: dict[str, Any], key: str
) -> None:
    """Bad schedules get a translated error naming the field, and nothing is sent."""
    error = await _refused(
        hass,
        ampeco,
        "set_schedule_preferences",
        "6",
        **{"start_time": "22:00", "end_time": "06:00", **data},
    )
    assert error.translation_key == key
    assert error.translation_placeholders["field"]
    assert _writes(simulator) == []


async def test_set_solar(hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim) -> None:
    """Solar charging with a grid top-up limit."""
    await _set(
        hass, ampeco, "set_solar_preferences", "6", max_current_from_grid=6, solar_stable_time=300
    )
    [body] = _writes(simulator)
    assert body["preferences"] == {"maxCurrentFromGrid": 6, "solarStableTime": 300}
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == "solar"
    assert state_of(hass, "sensor.driveway_maximum_current_from_the_grid") == "6.0"


async def test_solar_where_it_is_not_offered(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """The garage charge point offers no solar mode: refused before sending."""
    error = await _refused(
        hass, ampeco, "set_solar_preferences", "7", max_current_from_grid=6, solar_stable_time=300
    )
    assert error.translation_key == "preference_mode_not_offered"
    assert _writes(simulator) == []


async def test_set_octopus_agile(hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim) -> None:
    """Octopus Agile takes its integration id from the charge point's offered modes."""
    await _set(
        hass,
        ampeco,
        "set_dynamic_tariff_preferences",
        "6",
        provider="octopus_agile",
        departure_time="07:30",
        min_target_kwh=45,
        max_target_kwh=60,
        price_threshold=0.25,
        post_code="1000",
        applicable_tax_id=205366174,
    )
    [body] = _writes(simulator)
    assert body["type"] == "octopus_agile"
    assert body["integrationId"]
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == "octopus_agile"
    assert state_of(hass, "sensor.driveway_departure_time") == "07:30"
    assert state_of(hass, "sensor.driveway_price_threshold") == "0.25"
    assert state_of(hass, "sensor.driveway_target_energy") == "60.0"


async def test_set_nordpool(hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim) -> None:
    """Nord Pool with a target and a departure time on the garage charge point."""
    await _set(
        hass,
        ampeco,
        "set_dynamic_tariff_preferences",
        "7",
        provider="nordpool",
        departure_time="07:00",
        target_kwh=30,
    )
    assert _writes(simulator)[0]["type"] == "nordpool"
    assert state_of(hass, "sensor.garage_smart_charging_mode") == "nordpool"
    assert state_of(hass, "sensor.garage_target_energy") == "30.0"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"provider": "octopus_go", "departure_time": "07:00"}, "preference_mode_not_offered"),
        ({"provider": "tesla", "departure_time": "07:00"}, "preference_invalid_provider"),
        (
            {"provider": "nordpool", "departure_time": "07:00", "target_kwh": 0},
            "preference_not_positive",
        ),
        (
            {
                "provider": "nordpool",
                "departure_time": "07:00",
                "target_kwh": 10,
                "min_target_kwh": 5,
            },
            "preference_not_for_mode",
        ),
        (
            # The garage's modes offer Nord Pool in GB1, SE3, NO1 and DK1: not Finland.
            {"provider": "nordpool", "departure_time": "07:00", "target_kwh": 10, "location": "FI"},
            "preference_location_not_offered",
        ),
    ],
)
async def test_set_dynamic_tariff_refuses_bad_input(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, data: dict[str, Any], key: str
) -> None:
    """Bad tariff preferences are refused before sending."""
    error = await _refused(hass, ampeco, "set_dynamic_tariff_preferences", "7", **data)
    assert error.translation_key == key
    assert _writes(simulator) == []


@pytest.mark.off_contract
async def test_cloud_field_error_is_shown(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """An offered price area the contract refuses: the cloud's 422 reaches the user.

    The demo tenant offers SE3 (the guide: Nord Pool covers Sweden), but the 3.110.0
    contract's write body allows only ``GB1``; the contract-strict simulator says so.
    """
    error = await _refused(
        hass,
        ampeco,
        "set_dynamic_tariff_preferences",
        "7",
        provider="nordpool",
        departure_time="07:00",
        target_kwh=30,
        location="SE3",
    )
    assert error.translation_key == "cloud_validation"
    assert "location" in str(error)


async def test_disable(hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim) -> None:
    """Turning preferences off sends only enabled: false; the mode then reads Off."""
    await _set(hass, ampeco, "disable_smart_charging_preferences", "6")
    assert _writes(simulator) == [{"enabled": False}]
    assert state_of(hass, "sensor.driveway_smart_charging_mode") == "disabled"
    assert state_of(hass, "sensor.driveway_charging_window_start") == "unknown"


async def test_preferences_on_a_device_without_them(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim
) -> None:
    """Aiming a preference action at an Easee charger says it has none."""
    easee = await add_entry(hass, simulator, "easee")
    with pytest.raises(ServiceValidationError) as caught:
        await _call(
            hass,
            "disable_smart_charging_preferences",
            device_id=device_of(hass, easee, "easee_EH000001"),
        )
    assert caught.value.translation_key == "no_preferences"


async def test_start_and_stop(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Start charging a plugged-in car, watch the energy, stop it."""
    assert state_of(hass, "sensor.driveway_status") == "disconnected"
    simulator.sim.log.clear()
    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: "button.driveway_start_charging"}, blocking=True
    )
    await advance(hass, freezer, simulator, 10)
    assert state_of(hass, "sensor.driveway_status") == "charging"
    # Confirmed by one read of this charge point's sessions, not of every list.
    [write, confirm] = simulator.sim.log.entries
    assert write.method == "POST"
    assert confirm.query["filter[chargePointId]"] == "6"
    assert float(state_of(hass, "sensor.driveway_power")) > 0
    await advance(hass, freezer, simulator, 600)
    assert float(state_of(hass, "sensor.driveway_session_energy")) > 0
    simulator.sim.log.clear()
    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: "button.driveway_stop_charging"}, blocking=True
    )
    await advance(hass, freezer, simulator, 10)
    # The car is still plugged in: the EVSE reports "finishing", not an empty charger.
    assert state_of(hass, "sensor.driveway_status") == "completed"
    evse_reads = [e.path for e in simulator.sim.log.entries if e.path.endswith("/evses")]
    assert evse_reads == ["/ampeco/public-api/resources/charge-points/v2.0/6/evses"]
    # Once the car leaves, the next read of the charge point's list says so.
    simulator.ampeco.unplug(6)
    await advance(hass, freezer, simulator, DEFAULT_IDLE_INTERVAL.total_seconds())
    assert state_of(hass, "sensor.driveway_status") == "disconnected"


async def test_start_refused_without_a_car(hass: HomeAssistant, ampeco: ConfigEntry) -> None:
    """The charge point refuses to start with no car: the user sees why."""
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: "button.garage_start_charging"}, blocking=True
        )
    assert caught.value.translation_key == "rejected"


async def test_stop_with_nothing_running(hass: HomeAssistant, ampeco: ConfigEntry) -> None:
    """Stop with no session running is refused without a request."""
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call(
            "button", "press", {ATTR_ENTITY_ID: "button.garage_stop_charging"}, blocking=True
        )
    assert caught.value.translation_key == "rejected"


async def test_polling_cost(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Running sessions every 90 s, the charge points every half hour: 42 an hour."""
    simulator.sim.log.clear()
    for _ in range(120):
        await advance(hass, freezer, simulator, 30)
    sessions = simulator.sim.log.matching("GET", "/ampeco/public-api/resources/sessions/v1.0")
    points = simulator.sim.log.matching("GET", "/ampeco/public-api/resources/charge-points/v2.0")
    assert (len(sessions), len(points)) == (40, 2)
    assert len(simulator.sim.log.entries) == 42


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"max_current_from_grid": -2, "solar_stable_time": 300}, "preference_negative"),
        ({"max_current_from_grid": 6, "solar_stable_time": 0}, "preference_not_positive"),
        ({"max_current_from_grid": 6, "solar_stable_time": -30}, "preference_not_positive"),
    ],
)
async def test_set_solar_refuses_bad_input(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, data: dict[str, Any], key: str
) -> None:
    """Bad solar preferences are refused before sending."""
    error = await _refused(hass, ampeco, "set_solar_preferences", "6", **data)
    assert error.translation_key == key
    assert _writes(simulator) == []


async def test_disable_on_an_unknown_device(hass: HomeAssistant, ampeco: ConfigEntry) -> None:
    """A device id that does not exist is named in the error."""
    with pytest.raises(ServiceValidationError) as caught:
        await _call(hass, "disable_smart_charging_preferences", device_id="not-a-device")
    assert caught.value.translation_key == "device_not_found"


async def test_disable_on_an_unloaded_account(hass: HomeAssistant, ampeco: ConfigEntry) -> None:
    """Preferences of an account that is not loaded cannot be written."""
    device_id = device_of(hass, ampeco, "ampeco_6")
    await hass.config_entries.async_unload(ampeco.entry_id)
    with pytest.raises(ServiceValidationError) as caught:
        await _call(hass, "disable_smart_charging_preferences", device_id=device_id)
    assert caught.value.translation_key == "entry_not_loaded"


async def _charge(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, seconds: float
) -> float:
    """One session on the Driveway charge point: start, charge, stop; its last energy."""
    for button in ("start", "stop"):
        await hass.services.async_call(
            "button",
            "press",
            {ATTR_ENTITY_ID: f"button.driveway_{button}_charging"},
            blocking=True,
        )
        await advance(hass, freezer, simulator, 10 if button == "stop" else seconds)
        if button == "start":
            energy = float(state_of(hass, "sensor.driveway_session_energy"))
    return energy


async def test_energy_charged_adds_the_sessions_up_for_the_energy_dashboard(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """AMPECO counts per session; the total grows with each and survives a reload."""
    total = "sensor.driveway_energy_charged"
    assert float(state_of(hass, total)) == 0
    state = hass.states.get(total)
    assert state is not None
    assert state.attributes["state_class"] == "total_increasing"
    assert state.attributes["unit_of_measurement"] == "kWh"
    first = await _charge(hass, simulator, freezer, 600)
    assert first > 0
    assert float(state_of(hass, "sensor.driveway_session_energy")) == 0
    assert float(state_of(hass, total)) == pytest.approx(first)
    second = await _charge(hass, simulator, freezer, 900)
    assert float(state_of(hass, total)) == pytest.approx(first + second)
    assert await hass.config_entries.async_reload(ampeco.entry_id)
    await hass.async_block_till_done()
    assert float(state_of(hass, total)) == pytest.approx(first + second)
