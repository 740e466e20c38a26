"""The planner in Home Assistant: goals set by action, plans shown and carried out."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, ServiceCall, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    mock_integration,
    mock_platform,
)

from custom_components.smart_charging.const import DOMAIN
from custom_components.smart_charging.planner_home import PLANNER
from custom_components.smart_charging.planner_store import async_setup_planner
from simulator.faults import Fault

from ..conftest import Sim, add_entry, advance

DRIVEWAY = "EH000001"  # a car is charging
GARAGE = "EH000002"
PRICES = "sensor.energy_prices"


def _hour(now: datetime, hours: int) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


def _publish_prices(hass: HomeAssistant, now: datetime, cheap_at: int) -> None:
    """A price sensor as the Nord Pool custom integration shows one: 0.40, one hour 0.05."""
    raw = [
        {
            "start": _hour(now, h).isoformat(),
            "end": _hour(now, h + 1).isoformat(),
            "value": 0.05 if h == cheap_at else 0.40,
        }
        for h in range(24)
    ]
    hass.states.async_set(PRICES, "0.40", {"raw_today": raw, "raw_tomorrow": []})


@pytest.fixture
async def easee(hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory) -> ConfigEntry:
    """The demo Easee account (two chargers; a car charging at the driveway)."""
    return await add_entry(hass, simulator, "easee")


def _device(hass: HomeAssistant, charger: str) -> str:
    (entry,) = [
        e for e in hass.config_entries.async_entries(DOMAIN) if e.data["provider"] == "easee"
    ]
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"easee_{charger}"), entry.entry_id
    )
    assert device is not None
    return device.id


def _pauses(simulator: Sim, charger: str) -> list[str]:
    return [
        e.path.rsplit("/", 1)[-1]
        for e in simulator.sim.log.matching("POST", f"/easee/api/chargers/{charger}/commands/")
    ]


async def _goal(hass: HomeAssistant, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, "set_charge_goal", data, blocking=True)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _plan(hass: HomeAssistant, device_id: str) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "get_plan", {"device_id": device_id}, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def test_a_goal_is_planned_into_the_cheap_hour_and_carried_out(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """10 kWh by eight hours from now: the car waits (paused) for the cheap hour."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=3)
    driveway = _device(hass, DRIVEWAY)
    simulator.sim.log.clear()
    await _goal(
        hass,
        device_id=driveway,
        energy=10,
        departure=(now + timedelta(hours=8)).isoformat(),
        max_power=11,
        price_entity=PRICES,
    )
    plan = hass.states.get("sensor.driveway_charging_plan")
    assert plan is not None
    assert dt_util.parse_datetime(plan.state) == _hour(now, 3)
    assert plan.attributes["slots"] == [
        {
            "start": _hour(now, 3).isoformat(),
            "end": _hour(now, 4).isoformat(),
            "power_kw": 10.0,
            "price": 0.05,
        }
    ]
    assert plan.attributes["cost"] == pytest.approx(0.5)
    assert hass.states.get("binary_sensor.driveway_plan_at_risk").state == STATE_OFF
    assert hass.states.get("switch.driveway_planning").state == STATE_ON
    # The car was charging at 0.40: paused until the cheap hour, with one write.
    assert _pauses(simulator, DRIVEWAY) == ["pause_charging"]
    response = await _plan(hass, driveway)
    assert response["next_start"] == _hour(now, 3).isoformat()
    assert response["at_risk"] is False
    assert response["planning"] is True


async def test_a_goal_that_cannot_be_met_is_flagged_with_why(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """200 kWh in two hours at 11 kW: at risk, and a repair issue says it is time."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=1)
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=200,
        departure=(now + timedelta(hours=2)).isoformat(),
        price_entity=PRICES,
    )
    assert hass.states.get("binary_sensor.driveway_plan_at_risk").state == STATE_ON
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"plan_at_risk_{driveway}")
    assert issue is not None
    assert issue.translation_key == "plan_at_risk_not_enough_time"
    response = await _plan(hass, driveway)
    assert response["reason"] == "not_enough_time"
    # A goal that fits clears it.
    await _goal(
        hass, device_id=driveway, energy=5, departure=(now + timedelta(hours=2)).isoformat()
    )
    assert hass.states.get("binary_sensor.driveway_plan_at_risk").state == STATE_OFF
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"plan_at_risk_{driveway}") is None


async def test_two_chargers_share_the_limit_and_both_make_it(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """Two goals under an 11 kW limit never plan more than 11 kW at once."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=2)
    leave = (now + timedelta(hours=10)).isoformat()
    for charger in (DRIVEWAY, GARAGE):
        await _goal(
            hass,
            device_id=_device(hass, charger),
            energy=11,
            departure=leave,
            price_entity=PRICES,
            limit=11,
        )
    plans = [await _plan(hass, _device(hass, c)) for c in (DRIVEWAY, GARAGE)]
    assert all(p["at_risk"] is False for p in plans)
    starts = {s["start"] for p in plans for s in p["slots"]}
    for start in starts:
        total = sum(s["power_kw"] for p in plans for s in p["slots"] if s["start"] == start)
        assert total <= 11.0 + 1e-6
    assert sum(p["energy"] for p in plans) == pytest.approx(22.0)
    # Only one of them can have the cheap hour.
    cheap = _hour(now, 2).isoformat()
    assert sum(s["start"] == cheap for p in plans for s in p["slots"]) == 1


async def test_turning_planning_off_gives_the_car_back(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The planner paused the car; turning planning off resumes it, and it stays alone."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=4)
    driveway = _device(hass, DRIVEWAY)
    simulator.sim.log.clear()
    await _goal(
        hass,
        device_id=driveway,
        energy=10,
        departure=(now + timedelta(hours=8)).isoformat(),
        price_entity=PRICES,
    )
    assert _pauses(simulator, DRIVEWAY) == ["pause_charging"]
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: "switch.driveway_planning"}, blocking=True
    )
    assert _pauses(simulator, DRIVEWAY) == ["pause_charging", "resume_charging"]
    assert hass.states.get("switch.driveway_planning").state == STATE_OFF
    # New prices re-plan, but nothing is sent to a charger whose planning is off.
    _publish_prices(hass, now, cheap_at=5)
    await advance(hass, freezer, simulator, 60)
    plan = hass.states.get("sensor.driveway_charging_plan")
    assert dt_util.parse_datetime(plan.state) == _hour(now, 5)
    assert _pauses(simulator, DRIVEWAY) == ["pause_charging", "resume_charging"]
    # On again: the planner takes the charger back (paused until the cheap hour).
    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: "switch.driveway_planning"}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("switch.driveway_planning").state == STATE_ON
    assert _pauses(simulator, DRIVEWAY)[-1] == "pause_charging"


async def test_prices_from_the_nord_pool_action(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """Prices come from ``nordpool.get_prices_for_date`` (per MWh), today and tomorrow."""
    now = dt_util.utcnow()
    asked: list[dict[str, Any]] = []

    async def prices(call: ServiceCall) -> dict[str, Any]:
        asked.append(dict(call.data))
        day = datetime.fromisoformat(call.data["date"]).date()
        start = dt_util.start_of_local_day(day)
        return {
            "SE3": [
                {
                    "start": dt_util.as_utc(start + timedelta(hours=h)).isoformat(),
                    "end": dt_util.as_utc(start + timedelta(hours=h + 1)).isoformat(),
                    "price": 20.0
                    if dt_util.as_utc(start + timedelta(hours=h)) == _hour(now, 2)
                    else 300.0,
                }
                for h in range(24)
            ]
        }

    hass.services.async_register(
        "nordpool", "get_prices_for_date", prices, supports_response=SupportsResponse.ONLY
    )
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=5,
        departure=(now + timedelta(hours=6)).isoformat(),
        nordpool_entry="nordpool_entry_1",
        nordpool_area="se3",
    )
    assert [a["areas"] for a in asked] == [["SE3"], ["SE3"]]
    response = await _plan(hass, driveway)
    assert response["next_start"] == _hour(now, 2).isoformat()
    assert response["slots"][0]["price"] == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"energy": 10, "soc": 80}, "goal_energy_or_soc"),
        ({}, "goal_energy_or_soc"),
        ({"soc": 80}, "goal_soc_needs_capacity"),
        ({"soc": 80, "capacity": 60}, "goal_soc_not_reported"),
        ({"energy": 10, "price_entity": "sensor.nothing"}, "price_entity_not_found"),
        ({"energy": 10, "nordpool_entry": "abc"}, "nordpool_entry_and_area"),
        ({"energy": -3}, "input_out_of_range"),
        ({"energy": "lots"}, "input_not_a_number"),
        ({"energy": 10, "max_power": 0}, "input_out_of_range"),
        ({"energy": 10, "departure": "yesterday"}, "input_not_a_time"),
        ({"energy": 10, "departure": "2020-01-01 07:00:00"}, "input_time_out_of_range"),
    ],
)
async def test_bad_goals_are_refused_and_nothing_is_planned(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    data: dict[str, Any],
    key: str,
) -> None:
    """Each bad input is named; no plan appears and nothing is sent."""
    driveway = _device(hass, DRIVEWAY)
    simulator.sim.log.clear()
    goal = {"departure": (dt_util.utcnow() + timedelta(hours=5)).isoformat(), **data}
    with pytest.raises(ServiceValidationError) as err:
        await _goal(hass, device_id=driveway, **goal)
    assert err.value.translation_key == key
    assert hass.states.get("sensor.driveway_charging_plan") is None
    assert _pauses(simulator, DRIVEWAY) == []
    with pytest.raises(ServiceValidationError) as err:
        await _plan(hass, driveway)
    assert err.value.translation_key == "no_goal"


async def test_a_goal_only_on_a_charger_or_car(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """A device that is not one of our chargers or cars is refused by name."""
    other = dr.async_get(hass).async_get_or_create(
        config_entry_id=easee.entry_id, identifiers={(DOMAIN, "somewhere")}, name="Heat pump"
    )
    with pytest.raises(ServiceValidationError) as err:
        await _goal(
            hass,
            device_id=other.id,
            energy=5,
            departure=(dt_util.utcnow() + timedelta(hours=5)).isoformat(),
        )
    assert err.value.translation_key == "not_a_plan_target"
    assert err.value.translation_placeholders == {"name": "Heat pump"}


async def test_a_group_limit_is_shared_and_its_change_replans(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The ViriCiti group's limit is the shared limit; when it drops, the plan follows.

    Tomorrow at 07:30 UTC, for Home Assistant and the clouds alike, in the demo group's
    time zone (Home Assistant's is the one the planner reads its timeframes in): the group
    runs on its default limit from 08:00 to 16:00 there (its timeframes hold the rest of
    the day), so the default's drop is what the plan must follow, whenever the test runs.
    """
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    morning = (dt_util.utcnow() + timedelta(days=1)).replace(
        hour=7, minute=30, second=0, microsecond=0
    )
    freezer.move_to(morning)
    simulator.sim.clock.set(morning)
    await add_entry(hass, simulator, "easee")
    await add_entry(hass, simulator, "viriciti")
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=3)
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=11,
        departure=(now + timedelta(hours=10)).isoformat(),
        price_entity=PRICES,
    )
    assert (await _plan(hass, driveway))["slots"][0]["power_kw"] == pytest.approx(11.0, abs=0.1)
    simulator.viriciti.set_default_limit("ViriCitiGroup", 6)
    await advance(hass, freezer, simulator, 20 * 60)
    plan = await _plan(hass, driveway)
    assert all(slot["power_kw"] <= 6.0 + 1e-6 for slot in plan["slots"])
    assert plan["energy"] == pytest.approx(11.0, abs=0.5)
    state = hass.states.get("sensor.driveway_charging_plan")
    assert state.attributes["slots"] == plan["slots"]


async def test_a_state_of_charge_goal_on_a_car(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """80 % of a 60 kWh battery: the energy is what the car's charge level leaves."""
    jedlix = await add_entry(hass, simulator, "jedlix")
    car_id = simulator.jedlix.demo.charging_vehicle_id
    car = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, f"jedlix_vehicle_{car_id}"), jedlix.entry_id
    )
    assert car is not None
    now = dt_util.utcnow().replace(microsecond=0)
    _publish_prices(hass, now, cheap_at=2)
    simulator.sim.log.clear()
    leave = now + timedelta(hours=12)
    await _goal(
        hass,
        device_id=car.id,
        soc=80,
        capacity=60,
        departure=leave.isoformat(),
        price_entity=PRICES,
    )
    # Jedlix schedules the car itself: it is handed the departure and goal, once.
    [write] = simulator.sim.log.matching("POST")
    assert write.path.endswith("/session-settings")
    assert write.body == {
        "desiredStateOfCharge": 80,
        "departureTime": leave.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    await advance(hass, freezer, simulator, 20 * 60)
    assert len(simulator.sim.log.matching("POST")) == 1
    plan = await _plan(hass, car.id)
    assert 0 < plan["requested_energy"] < 60 * 0.8
    assert plan["at_risk"] is False
    cheap = [s for s in plan["slots"] if s["start"] == _hour(now, 2).isoformat()]
    assert cheap
    assert cheap[0]["power_kw"] == pytest.approx(11.0)


async def test_without_prices_the_goal_is_still_met(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """Nord Pool not there: no price is known, the car charges at once and makes it."""
    now = dt_util.utcnow()
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=5,
        departure=(now + timedelta(hours=3)).isoformat(),
        nordpool_entry="missing_entry",
        nordpool_area="SE3",
    )
    plan = await _plan(hass, driveway)
    assert plan["at_risk"] is False
    assert plan["next_start"] == now.isoformat()
    assert all(slot["price"] is None for slot in plan["slots"])


async def test_a_price_sensor_that_goes_away(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """The price sensor removed: the plan is made again on no prices, nothing breaks."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=3)
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=5,
        departure=(now + timedelta(hours=6)).isoformat(),
        price_entity=PRICES,
    )
    hass.states.async_remove(PRICES)
    await hass.async_block_till_done()
    plan = await _plan(hass, driveway)
    assert plan["next_start"] == now.isoformat()
    assert plan["energy"] == pytest.approx(5.0)


async def test_a_refused_command_is_logged_and_planning_goes_on(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The cloud refuses the pause: a warning, no error for the user, the plan stands."""
    simulator.sim.faults.add(Fault(path=f"/easee/api/chargers/{DRIVEWAY}/commands", status=503))
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=3)
    await _goal(
        hass,
        device_id=_device(hass, DRIVEWAY),
        energy=5,
        departure=(now + timedelta(hours=6)).isoformat(),
        price_entity=PRICES,
    )
    assert "The planner's write for Driveway was not accepted" in caplog.text
    assert hass.states.get("binary_sensor.driveway_plan_at_risk").state == STATE_OFF


async def test_a_departure_that_passed_ends_the_goal(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """After the departure the goal is gone: no plan, no issue, the sensor unknown."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=0)
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=100,
        departure=(now + timedelta(minutes=20)).isoformat(),
        price_entity=PRICES,
    )
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"plan_at_risk_{driveway}") is not None
    await advance(hass, freezer, simulator, 30 * 60)
    with pytest.raises(ServiceValidationError):
        await _plan(hass, driveway)
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"plan_at_risk_{driveway}") is None
    assert hass.states.get("sensor.driveway_charging_plan").state == "unknown"
    assert hass.states.get("binary_sensor.driveway_plan_at_risk").state == "unknown"
    # Unloaded: the planner goes on without that entry's chargers.
    await hass.config_entries.async_unload(easee.entry_id)
    await advance(hass, freezer, simulator, 15 * 60)
    assert hass.states.get("sensor.driveway_charging_plan").state == "unavailable"


async def test_a_charge_point_is_given_the_plans_window(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """An AMPECO charge point gets the plan's window and energy as its schedule, once."""
    ampeco = await add_entry(hass, simulator, "ampeco")
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "ampeco_6"), ampeco.entry_id
    )
    assert device is not None
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=2)
    simulator.sim.log.clear()
    await _goal(
        hass,
        device_id=device.id,
        energy=7,
        departure=(now + timedelta(hours=6)).isoformat(),
        price_entity=PRICES,
    )
    plan = await _plan(hass, device.id)
    assert plan["next_start"] == _hour(now, 2).isoformat()
    [write] = simulator.sim.log.matching("POST")
    assert write.path.endswith("/personal-smart-charging-preferences")
    assert write.body["type"] == "user_controlled_schedule"
    local = dt_util.as_local
    assert write.body["preferences"]["startTime"] == local(_hour(now, 2)).strftime("%H:%M")
    assert write.body["preferences"]["endTime"] == local(_hour(now, 3)).strftime("%H:%M")
    assert write.body["preferences"]["targetCharge"] == {
        "minTargetChargeKwh": 7,
        "maxTargetChargeKwh": 7,
    }
    # Re-planned on the quarter-hour: the same window is not written again.
    await advance(hass, freezer, simulator, 20 * 60)
    assert len(simulator.sim.log.matching("POST")) == 1


async def test_a_charge_point_without_schedules_gets_a_plan_and_no_write(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """A charge point that offers no user-controlled schedule is planned, not written."""
    simulator.ampeco.add_charge_point(9, "Shed", ["solar"])
    ampeco = await add_entry(hass, simulator, "ampeco")
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "ampeco_9"), ampeco.entry_id
    )
    assert device is not None
    simulator.sim.log.clear()
    await _goal(
        hass,
        device_id=device.id,
        energy=7,
        departure=(dt_util.utcnow() + timedelta(hours=6)).isoformat(),
    )
    assert (await _plan(hass, device.id))["energy"] == pytest.approx(7.0)
    assert simulator.sim.log.matching("POST") == []


async def test_a_car_not_charging_is_not_handed_a_goal_and_a_refusal_is_logged(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Jedlix is handed only what a car takes, only while it charges; refusals are logged.

    A parked car gets a plan but no write; without the desired-state-of-charge capability
    only the departure is written; Jedlix refusing a write is a warning.
    """
    demo = simulator.jedlix.demo
    car = simulator.jedlix.vehicles[demo.charging_vehicle_id]
    car.capabilities = [c for c in car.capabilities if c.lower() != "desiredstateofcharge"]
    jedlix = await add_entry(hass, simulator, "jedlix")
    registry = dr.async_get(hass)
    parked = registry.async_get_device_by_identifier(
        (DOMAIN, f"jedlix_vehicle_{demo.parked_vehicle_id}"), jedlix.entry_id
    )
    charging = registry.async_get_device_by_identifier(
        (DOMAIN, f"jedlix_vehicle_{demo.charging_vehicle_id}"), jedlix.entry_id
    )
    assert parked is not None
    assert charging is not None
    leave = (dt_util.utcnow() + timedelta(hours=8)).isoformat()
    simulator.sim.log.clear()
    await _goal(hass, device_id=parked.id, energy=10, departure=leave)
    assert simulator.sim.log.matching("POST") == []
    assert (await _plan(hass, parked.id))["requested_energy"] == pytest.approx(10.0)
    await _goal(hass, device_id=charging.id, soc=90, capacity=60, departure=leave)
    [write] = simulator.sim.log.matching("POST")
    assert set(write.body) == {"departureTime"}
    simulator.sim.faults.add(Fault(path="/jedlix", method="POST", status=503))
    await _goal(hass, device_id=charging.id, energy=10, departure=leave)
    assert "The planner's write for" in caplog.text


async def test_an_unloaded_entry_keeps_its_goal_planned(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """While its entry is unloaded a goal stays planned from what it asked; no writes."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=3)
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=8,
        departure=(now + timedelta(hours=8)).isoformat(),
        price_entity=PRICES,
    )
    await hass.config_entries.async_unload(easee.entry_id)
    simulator.sim.log.clear()
    await advance(hass, freezer, simulator, 15 * 60)
    plan = await _plan(hass, driveway)
    assert plan["energy"] == pytest.approx(8.0)
    assert simulator.sim.log.entries == []


async def test_the_solar_forecast_is_used_at_its_feed_in_price(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """A solar forecast integration's energy platform: the car waits for the sun."""
    now = dt_util.utcnow()
    sunny = _hour(now, 4)

    async def forecast(hass: HomeAssistant, entry_id: str) -> dict[str, Any]:
        return {"wh_hours": {sunny.isoformat(): 6000, "garbage": "x"}}

    mock_integration(hass, MockModule("sunny_forecast"))
    # A solar integration as Home Assistant loads one: its energy platform's function.
    platform = SimpleNamespace(async_get_solar_forecast=forecast)
    mock_platform(hass, "sunny_forecast.energy", platform)  # type: ignore[arg-type]
    solar = MockConfigEntry(domain="sunny_forecast")
    solar.add_to_hass(hass)
    hass.states.async_set(
        PRICES,
        "0.30",
        {
            "raw_today": [
                {
                    "start": _hour(now, h).isoformat(),
                    "end": _hour(now, h + 1).isoformat(),
                    "value": 0.30,
                }
                for h in range(12)
            ]
        },
    )
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=6,
        departure=(now + timedelta(hours=10)).isoformat(),
        price_entity=PRICES,
        solar_entry=solar.entry_id,
        feed_in_price=0.08,
    )
    plan = await _plan(hass, driveway)
    assert plan["slots"] == [
        {
            "start": sunny.isoformat(),
            "end": _hour(now, 5).isoformat(),
            "power_kw": 6.0,
            "price": 0.30,
        }
    ]
    assert plan["cost"] == pytest.approx(6 * 0.08)
    with pytest.raises(ServiceValidationError) as err:
        await _goal(
            hass, device_id=driveway, energy=6, departure=plan["finish"], solar_entry="nope"
        )
    assert err.value.translation_key == "solar_entry_not_found"


async def test_a_solar_entry_without_a_forecast_plans_without_sun(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """No energy platform, one without a forecast, an entry removed: no sun, a plan."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=2)
    mock_integration(hass, MockModule("no_energy"))
    mock_integration(hass, MockModule("no_forecast"))
    mock_platform(hass, "no_forecast.energy", SimpleNamespace())  # type: ignore[arg-type]
    driveway = _device(hass, DRIVEWAY)
    for domain in ("no_energy", "no_forecast"):
        entry = MockConfigEntry(domain=domain)
        entry.add_to_hass(hass)
        await _goal(
            hass,
            device_id=driveway,
            energy=5,
            departure=(now + timedelta(hours=6)).isoformat(),
            price_entity=PRICES,
            solar_entry=entry.entry_id,
        )
        plan = await _plan(hass, driveway)
        assert plan["next_start"] == _hour(now, 2).isoformat()
    # The forecast's entry removed: the next hourly read finds nothing; the plan goes on.
    await hass.config_entries.async_remove(entry.entry_id)
    await advance(hass, freezer, simulator, 61 * 60)
    assert (await _plan(hass, driveway))["energy"] == pytest.approx(5.0, abs=0.5)


async def test_goals_are_kept_and_come_back_after_a_restart(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A goal and its switch are saved; a new start plans them again from storage."""
    now = dt_util.utcnow()
    _publish_prices(hass, now, cheap_at=3)
    driveway = _device(hass, DRIVEWAY)
    leave = (now + timedelta(hours=8)).replace(microsecond=0)
    await _goal(
        hass,
        device_id=driveway,
        energy=9,
        departure=leave.isoformat(),
        weekday_departure="06:00",
        price_entity=PRICES,
    )
    await hass.services.async_call(
        "switch", "turn_off", {ATTR_ENTITY_ID: "switch.driveway_planning"}, blocking=True
    )
    await advance(hass, freezer, simulator, 5)
    stored = hass_storage["smart_charging.planner"]["data"]
    goal = stored["goals"][f"easee_{DRIVEWAY}"]
    assert (goal["energy_kwh"], goal["departure"], goal["enabled"]) == (
        9.0,
        leave.isoformat(),
        False,
    )
    assert (goal["weekday_time"], goal["weekend_time"]) == ("06:00:00", None)
    assert stored["sources"]["price_entity"] == PRICES
    # Home Assistant starts again: the planner is made anew and reads its storage.
    hass.data.pop(PLANNER)
    await async_setup_planner(hass)
    assert await hass.config_entries.async_reload(easee.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    plan = await _plan(hass, driveway)
    assert plan["departure"] == leave.isoformat()
    assert plan["planning"] is False
    assert plan["next_start"] == _hour(now, 3).isoformat()
    assert hass.states.get("switch.driveway_planning").state == STATE_OFF


async def test_stored_goals_that_do_not_fit_are_left_alone(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Only a stored goal that fits a device of the entry is planned again.

    A passed departure, an unknown kind, a device of another cloud or none, and a key
    that does not match its device are left alone.
    """
    now = dt_util.utcnow()
    leave = (now + timedelta(hours=6)).isoformat()

    def stored(kind: str, key: str, departure: str = leave) -> dict[str, Any]:
        return {"kind": kind, "key": key, "departure": departure, "energy_kwh": 4.0}

    hass_storage["smart_charging.planner"] = {
        "version": 1,
        "minor_version": 1,
        "key": "smart_charging.planner",
        "data": {
            "goals": {
                f"easee_{DRIVEWAY}": stored("chargers", DRIVEWAY),
                "easee_EH000003": stored("chargers", "EH000003", "2020-01-01T00:00:00+00:00"),
                f"easee_{GARAGE}": stored("chargers", DRIVEWAY),
                "easee_vehicle_x": stored("spaceships", "x"),
                "easee_EH999999": stored("chargers", "EH999999"),
                "jedlix_vehicle_7": stored("vehicles", "7"),
            },
            "sources": {"limit_kw": 7.0, "unknown_field": 1},
        },
    }
    await add_entry(hass, simulator, "easee")
    plan = await _plan(hass, _device(hass, DRIVEWAY))
    assert plan["energy"] == pytest.approx(4.0)
    assert all(slot["power_kw"] <= 7.0 + 1e-6 for slot in plan["slots"])
    with pytest.raises(ServiceValidationError):
        await _plan(hass, _device(hass, GARAGE))


async def test_prices_of_a_charging_location(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Jedlix's location prices: the car's plan takes the cheapest hour Jedlix reports."""
    freezer.move_to(simulator.sim.now())  # the simulated world's prices are for its days
    jedlix = await add_entry(hass, simulator, "jedlix")
    demo = simulator.jedlix.demo
    registry = dr.async_get(hass)
    location = registry.async_get_device_by_identifier(
        (DOMAIN, f"jedlix_location_{demo.location_id}"), jedlix.entry_id
    )
    car = registry.async_get_device_by_identifier(
        (DOMAIN, f"jedlix_vehicle_{demo.parked_vehicle_id}"), jedlix.entry_id
    )
    assert location is not None
    assert car is not None
    now = dt_util.utcnow()
    leave = now + timedelta(hours=12)
    await _goal(
        hass,
        device_id=car.id,
        energy=5,
        max_power=11,
        departure=leave.isoformat(),
        price_location=location.id,
    )
    reported = jedlix.runtime_data.coordinator.data.locations[demo.location_id].prices
    ahead = [p for p in reported if p.end and now <= p.start and p.end <= leave]
    assert ahead
    plan = await _plan(hass, car.id)
    assert plan["slots"][0]["price"] == min(p.price for p in ahead)
    # The location is not a price sensor: a charger refused as one.
    with pytest.raises(ServiceValidationError) as err:
        await _goal(
            hass,
            device_id=car.id,
            energy=5,
            departure=leave.isoformat(),
            price_location=car.id,
        )
    assert err.value.translation_key == "not_a_location"


async def test_weekday_and_weekend_departures_come_back(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Rules give the next departure; once it passes, the goal is there for the next one.

    Friday 12:00 in Home Assistant's zone (US/Pacific in the harness): the next departure
    is Saturday's at 10:00; after it, Sunday's; a one-off departure comes first.
    """
    freezer.move_to("2026-11-27T20:00:00+00:00")
    driveway = _device(hass, DRIVEWAY)
    await _goal(
        hass,
        device_id=driveway,
        energy=5,
        weekday_departure="07:00",
        weekend_departure="10:00:00",
    )
    assert (await _plan(hass, driveway))["departure"] == "2026-11-28T18:00:00+00:00"
    await advance(hass, freezer, simulator, 22 * 3600 + 15 * 60)
    assert (await _plan(hass, driveway))["departure"] == "2026-11-29T18:00:00+00:00"
    # A one-off departure before the rules apply again.
    await _goal(
        hass,
        device_id=driveway,
        energy=5,
        departure="2026-11-29T05:00:00+00:00",
        weekday_departure="07:00",
    )
    assert (await _plan(hass, driveway))["departure"] == "2026-11-29T05:00:00+00:00"
    await advance(hass, freezer, simulator, 11 * 3600)
    # Sunday 05:15 UTC is Saturday evening in Pacific time; no weekend rule: Monday 07:00.
    assert (await _plan(hass, driveway))["departure"] == "2026-11-30T15:00:00+00:00"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"energy": 5}, "goal_departure_needed"),
        ({"energy": 5, "weekday_departure": "25:99"}, "input_not_a_time"),
        ({"energy": 5, "weekend_departure": 7}, "input_not_a_time"),
    ],
)
async def test_a_goal_needs_a_departure(
    hass: HomeAssistant, easee: ConfigEntry, data: dict[str, Any], key: str
) -> None:
    """Without a departure or a rule, or with a time that is none, nothing is planned."""
    with pytest.raises(ServiceValidationError) as err:
        await _goal(hass, device_id=_device(hass, DRIVEWAY), **data)
    assert err.value.translation_key == key
