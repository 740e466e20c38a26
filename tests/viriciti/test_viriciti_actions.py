"""ViriCiti station actions (``6_Actions``) through Home Assistant: buttons and actions.

The demo group shares 400 kW: charger_1 (two positions of 150 kW) charges at position
1, charger_2 (one of 50 kW) at position 1. What a depot manager notices: the power a
position gets (the time series, read again after each action), and the charger's
refusals as errors.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.smart_charging.const import DOMAIN
from simulator.faults import Fault

from ..conftest import Sim, add_entry, advance
from ..helpers import device_of, state_of

CHARGER_1 = "charger_1_viriciti_group"
POSITION_1 = f"sensor.{CHARGER_1}_position_1_limit"
POSITION_2 = f"sensor.{CHARGER_1}_position_2_limit"


@pytest.fixture
async def viriciti(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> ConfigEntry:
    """The demo ViriCiti key, with Home Assistant's clock set to the simulator's."""
    freezer.move_to(simulator.sim.now())
    _CLOCKS[hass] = (freezer, simulator)
    return await add_entry(hass, simulator, "viriciti")


# Each test's clocks, so a press can let time pass as it does between a user's presses.
_CLOCKS: WeakKeyDictionary[HomeAssistant, tuple[FrozenDateTimeFactory, Sim]] = WeakKeyDictionary()


async def _settle(hass: HomeAssistant) -> None:
    """Let the refresh an action asked for run, and a quarter of a minute pass.

    Home Assistant spaces asked-for refreshes by ten seconds; a depot manager's next
    press comes later than that.
    """
    await hass.async_block_till_done()
    freezer, simulator = _CLOCKS[hass]
    await advance(hass, freezer, simulator, 15)


async def _press(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: f"button.{entity_id}"}, blocking=True
    )
    await _settle(hass)


async def _action(hass: HomeAssistant, name: str, data: dict[str, Any]) -> None:
    await hass.services.async_call(DOMAIN, name, data, blocking=True)
    await _settle(hass)


async def test_restart_ends_the_session_and_the_share_follows(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """Restart is a soft reset; the running session ends and its share goes to 0 kW."""
    assert state_of(hass, POSITION_1) == "150.0"
    await _press(hass, f"{CHARGER_1}_restart")
    assert simulator.viriciti.action_log == [("charger_1", "reset", {"type": "Soft"})]
    assert state_of(hass, POSITION_1) == "0.0"
    # The other charger is untouched.
    assert state_of(hass, "sensor.charger_2_viriciti_group_position_1_limit") == "50.0"


async def test_stop_and_start_a_session(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """A session stopped by its id, then started again for a charging card."""
    station = simulator.viriciti.stations["charger_1"]
    device = device_of(hass, viriciti, "viriciti_station_charger_1")
    transaction = station.transactions[1]
    await _action(
        hass,
        "viriciti_stop_transaction",
        {ATTR_DEVICE_ID: device, "transaction_id": transaction},
    )
    assert state_of(hass, POSITION_1) == "0.0"
    assert station.plugged == {1}
    await _action(
        hass,
        "viriciti_start_transaction",
        {ATTR_DEVICE_ID: device, "position": 1, "id_tag": "CARD-0042"},
    )
    assert state_of(hass, POSITION_1) == "150.0"
    assert simulator.viriciti.action_log[-1] == (
        "charger_1",
        "remote-start-transaction",
        {"idTag": "CARD-0042", "connectorId": 1},
    )


async def test_refusals_reach_the_user(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """A transaction that is not running, or a position without a car, is refused."""
    device = device_of(hass, viriciti, "viriciti_station_charger_1")
    with pytest.raises(HomeAssistantError) as err:
        await _action(
            hass, "viriciti_stop_transaction", {ATTR_DEVICE_ID: device, "transaction_id": 7}
        )
    assert err.value.translation_key == "rejected"
    # Position 2 has no car plugged in.
    with pytest.raises(HomeAssistantError) as err:
        await _action(
            hass,
            "viriciti_start_transaction",
            {ATTR_DEVICE_ID: device, "position": 2, "id_tag": "CARD-0042"},
        )
    assert err.value.translation_key == "rejected"
    assert state_of(hass, POSITION_1) == "150.0"
    assert state_of(hass, POSITION_2) == "0.0"


async def test_making_positions_unavailable(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """A free position goes at once; a charging one once its session ends."""
    station = simulator.viriciti.stations["charger_1"]
    await _press(hass, f"{CHARGER_1}_make_position_2_unavailable")
    assert station.unavailable == {2}
    # Position 1 charges: the charger schedules it (answer Scheduled, no error).
    await _press(hass, f"{CHARGER_1}_make_position_1_unavailable")
    assert station.unavailable == {2}
    assert state_of(hass, POSITION_1) == "150.0"
    await _press(hass, f"{CHARGER_1}_restart")
    assert station.unavailable == {1, 2}
    # The car is still plugged in, but an unavailable position does not start.
    device = device_of(hass, viriciti, "viriciti_station_charger_1")
    start = {ATTR_DEVICE_ID: device, "position": 1, "id_tag": "CARD-0042"}
    with pytest.raises(HomeAssistantError):
        await _action(hass, "viriciti_start_transaction", start)
    assert state_of(hass, POSITION_1) == "0.0"
    await _press(hass, f"{CHARGER_1}_make_position_1_available")
    await _action(hass, "viriciti_start_transaction", start)
    assert state_of(hass, POSITION_1) == "150.0"
    assert [body for _, action, body in simulator.viriciti.action_log][:2] == [
        {"connectorId": 2, "type": "Inoperative"},
        {"connectorId": 1, "type": "Inoperative"},
    ]


async def test_buttons_follow_the_positions(hass: HomeAssistant, viriciti: ConfigEntry) -> None:
    """Each charger has a restart button and two buttons per position it has."""
    states = {state.entity_id for state in hass.states.async_all("button")}
    assert states == {
        f"button.{CHARGER_1}_restart",
        f"button.{CHARGER_1}_make_position_1_available",
        f"button.{CHARGER_1}_make_position_1_unavailable",
        f"button.{CHARGER_1}_make_position_2_available",
        f"button.{CHARGER_1}_make_position_2_unavailable",
        "button.charger_2_viriciti_group_restart",
        "button.charger_2_viriciti_group_make_position_1_available",
        "button.charger_2_viriciti_group_make_position_1_unavailable",
    }


START, STOP = "viriciti_start_transaction", "viriciti_stop_transaction"


@pytest.mark.parametrize(
    ("action", "data", "key", "field"),
    [
        (START, {"position": 1, "id_tag": "X" * 21}, "input_text_length", "Charging card"),
        (START, {"position": 1, "id_tag": "A\nB"}, "input_control_characters", "Charging card"),
        (START, {"position": 0, "id_tag": "CARD"}, "input_out_of_range", "Position"),
        (START, {"position": 3, "id_tag": "CARD"}, "viriciti_no_position", "Position"),
        (STOP, {"transaction_id": -1}, "input_out_of_range", "Session id"),
        (STOP, {"transaction_id": 1.5}, "input_not_an_integer", "Session id"),
    ],
)
async def test_bad_input_is_refused_before_sending(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    action: str,
    data: dict[str, Any],
    key: str,
    field: str,
) -> None:
    """Each field is checked, named in the message by its label, and nothing is sent."""
    device = device_of(hass, viriciti, "viriciti_station_charger_1")
    with pytest.raises(ServiceValidationError) as err:
        await _action(hass, action, {ATTR_DEVICE_ID: device, **data})
    assert err.value.translation_key == key
    assert err.value.translation_placeholders["field"] == field
    assert simulator.viriciti.action_log == []


async def test_a_group_is_not_a_charger(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """The transaction actions are for chargers; a group is refused by name."""
    group = device_of(hass, viriciti, "viriciti_group_ViriCitiGroup")
    with pytest.raises(ServiceValidationError) as err:
        await _action(
            hass, "viriciti_stop_transaction", {ATTR_DEVICE_ID: group, "transaction_id": 1}
        )
    assert err.value.translation_key == "not_a_station"
    assert simulator.viriciti.action_log == []


@pytest.mark.parametrize("body", [{"status": "Perhaps"}, {"state": "Accepted"}, ["Accepted"]])
async def test_an_answer_we_cannot_read_is_no_success(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, body: Any
) -> None:
    """An answer without a status OCPP names is not taken for an accepted action."""
    simulator.sim.faults.add(Fault(path="/viriciti/api/v1/chargestations/", status=200, body=body))
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, f"{CHARGER_1}_restart")
    assert err.value.translation_key in ("rejected", "unknown_error")
    assert state_of(hass, POSITION_1) == "150.0"
