"""Easee end to end: entities, commands and settings through Home Assistant."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.smart_charging.const import DOMAIN
from simulator.easee import SimCharger
from simulator.faults import Fault

from ..conftest import Sim, add_entry, advance, describe

DRIVEWAY = "EH000001"  # a car is charging
GARAGE = "EH000002"  # nothing plugged in; authorization required


@pytest.fixture
async def easee(hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory) -> ConfigEntry:
    """The demo Easee account, added through the config flow.

    The clock is frozen first, so the polls it schedules follow the tests' clock.
    """
    return await add_entry(hass, simulator, "easee")


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _posts(simulator: Sim, charger_id: str) -> list[tuple[str, Any]]:
    """The writes a charger received, as (last path part, body)."""
    return [
        (entry.path.rsplit("/", 1)[-1], entry.body)
        for entry in simulator.sim.log.matching("POST", f"/easee/api/chargers/{charger_id}/")
    ]


async def _call(
    hass: HomeAssistant, domain: str, service: str, entity_id: str, **data: Any
) -> None:
    await hass.services.async_call(
        domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities_and_states(
    hass: HomeAssistant,
    simulator: Sim,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every entity of both demo chargers, with its state, as a user first sees them."""
    entry = await add_entry(hass, simulator, "easee")
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert {
        entity_entry.entity_id: describe(hass, entity_entry)
        for entity_entry in sorted(entries, key=lambda e: e.entity_id)
    } == snapshot


async def test_charging_charger(hass: HomeAssistant, easee: ConfigEntry) -> None:
    """The driveway charger charges at the circuit's 25 A on three phases."""
    assert _state(hass, "sensor.driveway_status") == "charging"
    assert _state(hass, "sensor.driveway_power") == "17.25"
    assert _state(hass, "sensor.driveway_current") == "25.0"
    assert _state(hass, "switch.driveway_charging") == STATE_ON
    assert _state(hass, "binary_sensor.driveway_cable_locked") == STATE_ON
    assert _state(hass, "sensor.garage_status") == "disconnected"
    assert _state(hass, "switch.garage_authorization_required") == STATE_ON


async def test_energy_accumulates(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """While charging, session and lifetime energy grow with each read."""
    lifetime = float(_state(hass, "sensor.driveway_lifetime_energy"))
    await advance(hass, freezer, simulator, 180)
    # 17.25 kW for 3 minutes; the cloud rounds to watt-hours.
    assert float(_state(hass, "sensor.driveway_session_energy")) == pytest.approx(0.8625, abs=1e-3)
    assert float(_state(hass, "sensor.driveway_lifetime_energy")) == pytest.approx(
        lifetime + 0.8625, abs=1e-3
    )


async def test_pause_shows_at_once_and_is_confirmed(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Turning charging off pauses the charger; the switch is off before the cloud says so."""
    simulator.sim.log.clear()
    await _call(hass, "switch", "turn_off", "switch.driveway_charging")
    assert _posts(simulator, DRIVEWAY) == [("pause_charging", None)]
    assert _state(hass, "switch.driveway_charging") == STATE_OFF
    # The cloud has not applied it yet: it still says charging.
    assert _state(hass, "sensor.driveway_status") == "charging"
    simulator.sim.log.clear()
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, "sensor.driveway_status") == "awaiting_start"
    assert (
        _state(hass, "sensor.driveway_reason_for_no_current") == "dynamic_charger_current_too_low"
    )
    assert _state(hass, "switch.driveway_charging") == STATE_OFF
    # Confirmed with one read of that charger's state.
    assert [e.path for e in simulator.sim.log.entries] == [f"/easee/api/chargers/{DRIVEWAY}/state"]
    await advance(hass, freezer, simulator, 20)
    assert not simulator.sim.log.matching(path=f"/easee/api/chargers/{DRIVEWAY}/state")[1:]

    await _call(hass, "switch", "turn_on", "switch.driveway_charging")
    assert _posts(simulator, DRIVEWAY)[-1] == ("resume_charging", None)
    assert _state(hass, "switch.driveway_charging") == STATE_ON
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, "sensor.driveway_status") == "charging"


async def test_expected_state_goes_back_when_the_cloud_does_not_follow(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Resuming a car nobody authorized: the switch shows on, then the cloud's off."""
    simulator.easee.chargers[GARAGE].plug_in(20.0, simulator.sim.now())
    await advance(hass, freezer, simulator, 90)
    await _call(hass, "switch", "turn_on", "switch.garage_charging")
    assert _state(hass, "switch.garage_charging") == STATE_ON
    await advance(hass, freezer, simulator, 61)
    assert _state(hass, "switch.garage_charging") == STATE_OFF


async def test_start_with_no_car_says_so(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """Start with nothing plugged in: Easee refuses, the user reads why, nothing shows on."""
    with pytest.raises(HomeAssistantError) as caught:
        await _call(hass, "button", "press", "button.garage_start_charging")
    assert caught.value.translation_key == "rejected"
    assert "No car is connected" in str(caught.value)
    with pytest.raises(HomeAssistantError):
        await _call(hass, "switch", "turn_on", "switch.garage_charging")
    assert _state(hass, "switch.garage_charging") == STATE_OFF


async def test_paused_shows_its_dynamic_current_at_zero(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Paused, the charger reports a dynamic current of 0 A beside its reason; resumed, 32."""
    await _call(hass, "switch", "turn_off", "switch.driveway_charging")
    await advance(hass, freezer, simulator, 61)
    reason = _state(hass, "sensor.driveway_reason_for_no_current")
    assert reason == "dynamic_charger_current_too_low"
    assert float(_state(hass, "number.driveway_dynamic_charger_current")) == 0
    await _call(hass, "switch", "turn_on", "switch.driveway_charging")
    await advance(hass, freezer, simulator, 61)
    assert float(_state(hass, "number.driveway_dynamic_charger_current")) == 32


async def test_refused_command_fails_visibly_and_state_stays(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """An offline charger refuses commands: the user gets an error, the switch stays on."""
    simulator.easee.chargers[DRIVEWAY].online = False
    with pytest.raises(HomeAssistantError) as caught:
        await _call(hass, "switch", "turn_off", "switch.driveway_charging")
    assert caught.value.translation_key == "rejected"
    assert "Charger is offline" in str(caught.value)
    assert _state(hass, "switch.driveway_charging") == STATE_ON


async def test_cloud_down_during_a_write(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """A 503 on a command is a communication error, shown to the user."""
    simulator.sim.faults.add(Fault(path=f"/easee/api/chargers/{DRIVEWAY}/commands", status=503))
    with pytest.raises(HomeAssistantError) as caught:
        await _call(hass, "button", "press", "button.driveway_stop_charging")
    assert caught.value.translation_key == "communication_error"


@pytest.mark.parametrize(
    ("entity", "setting"),
    [
        ("switch.garage_authorization_required", "authorizationRequired"),
        ("switch.garage_authorize_offline_with_local_rfid_list", "localAuthorizeOfflineEnabled"),
        ("switch.garage_allow_offline_charging_for_unknown_rfid", "allowOfflineTxForUnknownId"),
        ("switch.garage_smart_button_forwarding", "smartButtonEnabled"),
        ("switch.garage_smart_charging", "smartCharging"),
    ],
)
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_settings_switches(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    entity: str,
    setting: str,
) -> None:
    """Each settings switch writes its setting and is read back from the cloud."""
    before = _state(hass, entity)
    want = before != STATE_ON
    await _call(hass, "switch", "turn_on" if want else "turn_off", entity)
    assert _posts(simulator, GARAGE)[-1] == ("settings", {setting: want})
    assert _state(hass, entity) == (STATE_ON if want else STATE_OFF)
    await advance(hass, freezer, simulator, 5)
    assert simulator.easee.chargers[GARAGE].settings[setting] is want
    assert _state(hass, entity) == (STATE_ON if want else STATE_OFF)


async def test_rare_access_settings_start_disabled(
    hass: HomeAssistant, easee: ConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The offline and smart-button settings are listed, disabled until a user wants them."""
    for entity_id in (
        "switch.garage_authorize_offline_with_local_rfid_list",
        "switch.garage_allow_offline_charging_for_unknown_rfid",
        "switch.garage_smart_button_forwarding",
    ):
        registered = entity_registry.async_get(entity_id)
        assert registered is not None, entity_id
        assert registered.disabled_by is er.RegistryEntryDisabler.INTEGRATION
        assert hass.states.get(entity_id) is None
    assert _state(hass, "switch.garage_authorization_required") == STATE_ON


async def test_authorization_flow(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """With authorization required, a new car waits (reason 55) until Start is pressed."""
    simulator.easee.chargers[GARAGE].plug_in(20.0, simulator.sim.now())
    # The site's dashboard state, read every 90 s, notices the car.
    await advance(hass, freezer, simulator, 90)
    assert _state(hass, "sensor.garage_status") == "awaiting_start"
    assert _state(hass, "sensor.garage_reason_for_no_current") == "not_authorized"
    await _call(hass, "button", "press", "button.garage_start_charging")
    assert _posts(simulator, GARAGE)[-1] == ("start_charging", None)
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, "sensor.garage_status") == "charging"
    await _call(hass, "button", "press", "button.garage_stop_charging")
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, "sensor.garage_status") == "awaiting_start"
    await _call(hass, "button", "press", "button.garage_toggle_charging")
    assert _posts(simulator, GARAGE)[-1] == ("toggle_charging", None)
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, "sensor.garage_status") == "charging"


async def test_override_schedule(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A charger waiting for its schedule charges at once after Charge now."""
    charger = simulator.easee.chargers[DRIVEWAY]
    charger.schedule_pending = True
    await advance(hass, freezer, simulator, 90)
    assert _state(hass, "sensor.driveway_reason_for_no_current") == "pending_schedule"
    await _call(hass, "button", "press", "button.driveway_charge_now_override_schedule")
    assert _posts(simulator, DRIVEWAY)[-1] == ("override_schedule", None)
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, "sensor.driveway_status") == "charging"


async def test_dynamic_current(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The dynamic current is set within the charger's maximum; outside it, nothing is sent."""
    entity = "number.driveway_dynamic_charger_current"
    assert _state(hass, entity) == "32.0"
    await _call(hass, "number", "set_value", entity, value=16)
    # pyeasee's command for it (charger.py, set_dynamic_charger_current); 0 minutes: until
    # it is changed again.
    assert _posts(simulator, DRIVEWAY)[-1] == (
        "set_dynamic_charger_current",
        {"amps": 16.0, "minutes": 0},
    )
    assert _state(hass, entity) == "16.0"
    await advance(hass, freezer, simulator, 5)
    assert _state(hass, entity) == "16.0"
    assert _state(hass, "sensor.driveway_current") == "16.0"
    sent = len(simulator.sim.log.entries)
    with pytest.raises(ServiceValidationError):
        await _call(hass, "number", "set_value", entity, value=40)
    assert len(simulator.sim.log.entries) == sent


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_unknown_codes_are_data(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """An op mode and a reason in no table show as unknown, and the raw reason code."""
    charger = simulator.easee.chargers[DRIVEWAY]
    charger.forced_op_mode, charger.forced_reason = 42, 99
    await advance(hass, freezer, simulator, 90)
    assert _state(hass, "sensor.driveway_status") == "unknown"
    assert _state(hass, "sensor.driveway_reason_for_no_current") == "unknown"
    assert _state(hass, "sensor.driveway_reason_for_no_current_code") == "99"


async def test_token_expiry_is_survived(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """An access token that expires mid-session is renewed without the user noticing."""
    simulator.easee.expire_tokens()
    simulator.sim.log.clear()
    await advance(hass, freezer, simulator, 90)
    assert easee.state is ConfigEntryState.LOADED
    assert _state(hass, "sensor.driveway_status") == "charging"
    paths = [e.path for e in simulator.sim.log.entries]
    assert "/easee/api/accounts/refresh_token" in paths or "/easee/api/accounts/login" in paths
    assert not hass.config_entries.flow.async_progress()


async def test_changed_password_starts_reauth(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """When the password no longer works, the user is asked to sign in again."""
    simulator.easee.accounts[0].password = "changed"
    simulator.easee.expire_tokens()
    simulator.easee.refresh_tokens.clear()
    await advance(hass, freezer, simulator, 90)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_cloud_outage_makes_entities_unavailable(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """While the cloud is down the entities are unavailable; they come back with it."""
    simulator.sim.faults.add(Fault(path="/easee", status=503, times=None))
    await advance(hass, freezer, simulator, 90)
    assert _state(hass, "sensor.driveway_status") == STATE_UNAVAILABLE
    simulator.sim.faults.clear()
    await advance(hass, freezer, simulator, 30)
    assert _state(hass, "sensor.driveway_status") == "charging"


async def test_rate_limit_defers_polling(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """After a 429 with Retry-After, nothing is sent until it has passed."""
    simulator.sim.faults.add(Fault(path="/easee", status=429, headers={"Retry-After": "600"}))
    await advance(hass, freezer, simulator, 90)
    simulator.sim.log.clear()
    for _ in range(10):
        await advance(hass, freezer, simulator, 55)
    assert simulator.sim.log.entries == []
    await advance(hass, freezer, simulator, 120)
    assert simulator.sim.log.entries
    assert _state(hass, "sensor.driveway_status") == "charging"


async def test_new_and_removed_chargers(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A charger added in the cloud appears without a reload; one removed disappears.

    Its entities go quietly: none of them reads the charger's data once it is gone.
    """
    simulator.easee.add_charger(SimCharger("EH000003", "Carport", 501, 601))
    await advance(hass, freezer, simulator, 2 * 3600)
    assert _state(hass, "sensor.carport_status") == "disconnected"
    assert device_registry.async_get_device_by_identifier(
        (DOMAIN, "easee_EH000003"), easee.entry_id
    )
    simulator.easee.remove_charger(GARAGE)
    await advance(hass, freezer, simulator, 2 * 3600)
    assert (
        device_registry.async_get_device_by_identifier((DOMAIN, f"easee_{GARAGE}"), easee.entry_id)
        is None
    )
    assert hass.states.get("sensor.garage_status") is None or (
        _state(hass, "sensor.garage_status") == STATE_UNAVAILABLE
    )
    assert "Unexpected error updating listener" not in caplog.text


async def test_polling_cost(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """An hour costs the chargers nothing of their own: 40 site-state reads cover both.

    It used to cost the idle charger 3 requests of its own and the charging one about 21,
    on top of the same 40 site-state reads.
    """
    simulator.sim.log.clear()
    for _ in range(120):
        await advance(hass, freezer, simulator, 30)
    for cid in (DRIVEWAY, GARAGE):
        assert simulator.sim.log.matching(path=f"/easee/api/chargers/{cid}/") == []
    assert len(simulator.sim.log.matching("GET", "/easee/api/sites/501/state")) == 40
    # Everything else: at most a token refresh (the token lives an hour).
    others = [
        entry
        for entry in simulator.sim.log.matching(path="/easee")
        if entry.path != "/easee/api/sites/501/state"
    ]
    assert len(others) <= 2


async def test_outage_is_logged_once(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A cloud going away is one warning, its return one info line, and nothing between."""
    # The whole cloud goes: its REST API and its hub (the stream drops, polling resumes).
    simulator.sim.faults.add(Fault(path="/easee", status=503, times=None))
    simulator.easee.stream.refuse_status = 503
    await simulator.easee.stream.drop()
    for _ in range(6):
        await advance(hass, freezer, simulator, 90)
    simulator.sim.faults.clear()
    simulator.easee.stream.refuse_status = None
    for _ in range(3):
        await advance(hass, freezer, simulator, 90)
    ours = [r for r in caplog.records if r.name.startswith("custom_components.smart_charging")]
    assert [(r.levelname, r.getMessage().split(":")[0]) for r in ours if r.levelno >= 20] == [
        ("WARNING", f"Error fetching Easee entry {easee.entry_id} data"),
        ("INFO", f"Fetching Easee entry {easee.entry_id} data recovered"),
    ]
    # The account's e-mail address is personal data: no log line names it.
    assert not [r for r in caplog.records if "demo@example.com" in r.getMessage()]


async def test_slow_down_keeps_values_until_it_lasts(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A 429 keeps the last values on show; a cloud refusing for 15 min makes them unavailable."""
    simulator.sim.faults.add(
        Fault(path="/easee", status=429, headers={"Retry-After": "60"}, times=None)
    )
    await advance(hass, freezer, simulator, 90)
    assert simulator.sim.log.matching(path="/easee")[-1].status == 429
    assert _state(hass, "sensor.driveway_status") == "charging"
    for _ in range(30):
        await advance(hass, freezer, simulator, 30)
    assert _state(hass, "sensor.driveway_status") == STATE_UNAVAILABLE
