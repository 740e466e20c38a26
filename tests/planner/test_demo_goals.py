"""The demo home's charging goals, as ``e2e/demo_planner.py`` sets them for scripts/develop.

The same websocket command and action calls, against Home Assistant in the test harness
with the demo accounts: both cars get a plan, and the entities the dashboard's *Charging
plans* section names are the ones the goals add.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import yaml

from custom_components.smart_charging.const import DOMAIN
from e2e import demo_planner

from ..conftest import Sim, add_entry

DASHBOARD = Path(__file__).parents[2] / "config" / "dashboards" / "smart_charging.yaml"


def _dashboard_plans_section() -> str:
    """The dashboard's Charging plans section, as text (its entity ids and templates)."""
    views = yaml.safe_load(DASHBOARD.read_text())["views"]
    for section in views[0]["sections"]:
        if any(card.get("heading") == "Charging plans" for card in section["cards"]):
            return yaml.safe_dump(section)
    raise AssertionError("the dashboard has no Charging plans section")


def _drivers(hass: HomeAssistant, client: Any) -> tuple[demo_planner.Websocket, demo_planner.Call]:
    """What the e2e demo drives Home Assistant with: its websocket API and its actions."""
    ids = iter(range(1, 1000))

    async def websocket(command: str, **data: Any) -> Any:
        await client.send_json({"id": next(ids), "type": command, **data})
        answer = await client.receive_json()
        assert answer["success"], answer
        return answer["result"]

    async def call(service: str, data: dict[str, Any]) -> None:
        await hass.services.async_call(DOMAIN, service, data, blocking=True)
        await hass.async_block_till_done(wait_background_tasks=True)

    return websocket, call


async def test_the_demo_goals_plan_both_cars_with_the_dashboards_entities(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
) -> None:
    """30 kWh by 07:00 for both Driveway cars, priced by Jedlix; the dashboard finds them."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)  # signed in at the real time, the token's
    # 22:00 in Amsterdam, for Home Assistant and the clouds alike.
    evening = (dt_util.utcnow() + timedelta(days=1)).replace(
        hour=21, minute=0, second=0, microsecond=0
    )
    freezer.move_to(evening)
    simulator.sim.clock.set(evening)
    for provider in ("easee", "viriciti", "ampeco", "jedlix"):
        await add_entry(hass, simulator, provider)
    websocket, call = _drivers(hass, client)

    now = dt_util.utcnow()
    done = await demo_planner.async_set_goals(websocket, call, now)
    departure = demo_planner.next_departure(now)
    assert departure == evening + timedelta(hours=9)  # 07:00 the next morning
    assert len(done) == 2
    assert all(line.startswith("30 kWh by 07:00 on ") for line in done)
    section = _dashboard_plans_section()
    for sensor in demo_planner.PLAN_SENSORS:
        plan = hass.states.get(sensor)
        assert plan is not None, sensor
        assert plan.attributes["energy"] == 30.0
        assert datetime.fromisoformat(plan.attributes["finish"]) <= departure
        assert plan.attributes["slots"]
        assert all(slot["price"] is not None for slot in plan.attributes["slots"])
        base = sensor.removeprefix("sensor.").removesuffix("_charging_plan")
        at_risk = hass.states.get(f"binary_sensor.{base}_plan_at_risk")
        assert at_risk is not None
        assert at_risk.state == STATE_OFF
        planning = hass.states.get(f"switch.{base}_planning")
        assert planning is not None
        assert planning.state == STATE_ON
        for entity_id in (sensor, at_risk.entity_id, planning.entity_id):
            assert entity_id in section


async def test_without_the_demo_devices_no_goal_is_set(hass: HomeAssistant) -> None:
    """A home without the demo's chargers gets no goal, and says which are missing."""

    async def websocket(command: str, **data: Any) -> Any:
        assert command == "config/device_registry/list"
        return [{"id": "abc", "identifiers": [["other", "x"]]}]

    async def call(service: str, data: dict[str, Any]) -> None:
        raise AssertionError("no goal may be set")

    (line,) = await demo_planner.async_set_goals(websocket, call, dt_util.utcnow())
    assert "easee_EH000001" in line
    assert "jedlix_location" in line


def test_the_demo_departure_leaves_time_to_charge() -> None:
    """07:00 today while four hours remain, else tomorrow's."""
    zone = demo_planner.HOME_ZONE
    early = datetime(2026, 12, 7, 2, 30, tzinfo=zone)
    late = datetime(2026, 12, 7, 3, 30, tzinfo=zone)
    assert demo_planner.next_departure(early) == datetime(2026, 12, 7, 7, 0, tzinfo=zone)
    assert demo_planner.next_departure(late) == datetime(2026, 12, 8, 7, 0, tzinfo=zone)


async def test_demo_goals_set_in_the_morning_use_the_demo_sun(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    demo_solar: None,
) -> None:
    """Set at 09:00, the goals see the day's sun before 07:00 tomorrow and take it."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    await hass.config.async_update(
        latitude=demo_planner.HOME_LATITUDE, longitude=demo_planner.HOME_LONGITUDE
    )
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)
    morning = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
    freezer.move_to(morning)
    simulator.sim.clock.set(morning)
    for provider in ("easee", "viriciti", "ampeco", "jedlix"):
        await add_entry(hass, simulator, provider)
    await hass.config_entries.flow.async_init(demo_planner.SOLAR_DOMAIN, context={"source": "user"})
    await hass.async_block_till_done()
    websocket, call = _drivers(hass, client)

    done = await demo_planner.async_set_goals(websocket, call, morning)
    assert len(done) == 2
    sunny = demo_planner.sunny_hours(morning.date())
    slots, cost = [], 0.0
    for sensor in demo_planner.PLAN_SENSORS:
        plan = hass.states.get(sensor)
        assert plan is not None, sensor
        assert plan.attributes["energy"] == 30.0
        slots += plan.attributes["slots"]
        cost += plan.attributes["cost"]
    # The roof's surplus is the home's: the cars share it, all of it taken.
    in_sun = [s for s in slots if datetime.fromisoformat(s["start"]).replace(minute=0) in sunny]
    assert in_sun
    # What the sun gives costs the feed-in price: cheaper than buying it all.
    bought = sum(s["power_kw"] * _hours(s) * s["price"] for s in slots)
    assert cost < bought - 0.5


def _hours(slot: dict[str, Any]) -> float:
    start, end = (datetime.fromisoformat(slot[key]) for key in ("start", "end"))
    return (end - start).total_seconds() / 3600
