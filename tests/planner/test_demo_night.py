"""The demo home's night and day, with the harness's clock and the simulator's.

At night two cars want 30 kWh each by 07:00, under the ViriCiti group limit; by day a car
at home is charged from the demo's solar forecast.

The cars are at the Easee Driveway and Garage chargers, which share the demo site's
25 A circuit (8.6 kW each when both charge): that is the power the goals give.

What the browser e2e cannot do (Home Assistant there runs on the wall clock), done here
with the harness's clock and the simulator's moved together: the goals are set as the
demo sets them (Jedlix's location prices, the group limit of the ViriCiti entry), the
night passes, and the simulator's chargers are read every two minutes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest

from custom_components.smart_charging.const import DOMAIN
from e2e import demo_planner
from simulator.jedlix.render import Renderer

from ..conftest import Sim, add_entry, advance
from ..helpers import device_of

CARS = ("EH000001", "EH000002")  # the Easee Driveway and Garage chargers
GROUP = "ViriCitiGroup"
EVENING = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)  # 22:00 in Amsterdam
DEPARTURE = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam
GOAL_KWH = 30.0
# The two chargers share the demo site's 25 A circuit: 12.5 A each on three phases.
MAX_POWER = 8.6
STEP = 120  # seconds between two looks at the simulator


async def test_the_demo_night_charges_both_cars_in_the_cheapest_hours(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Both cars have 30 kWh by 07:00, bought in the night's cheapest hours, within the limit."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    simulator.sim.clock.set(EVENING)
    freezer.move_to(EVENING)
    easee = simulator.easee
    # Two cars come home wanting more than the goal; the Garage's driver taps the card.
    for charger_id in CARS:
        charger = easee.chargers[charger_id]
        if charger.car_connected:
            charger.unplug(EVENING)
        charger.plug_in(45.0, EVENING)
    easee.chargers[CARS[1]].command("start_charging")
    easee.run()
    entries = {p: await add_entry(hass, simulator, p) for p in ("easee", "viriciti", "jedlix")}
    location_id = simulator.jedlix.demo.location_id
    location = device_of(hass, entries["jedlix"], f"jedlix_location_{location_id}")
    devices = {}
    for charger_id in CARS:
        devices[charger_id] = device_of(hass, entries["easee"], f"easee_{charger_id}")
        await hass.services.async_call(
            DOMAIN,
            "set_charge_goal",
            {
                "device_id": devices[charger_id],
                "energy": GOAL_KWH,
                "max_power": MAX_POWER,
                "departure": DEPARTURE.isoformat(),
                "price_location": location,
            },
            blocking=True,
        )
        await hass.async_block_till_done(wait_background_tasks=True)
    plans = {
        c: await hass.services.async_call(
            DOMAIN, "get_plan", {"device_id": d}, blocking=True, return_response=True
        )
        for c, d in devices.items()
    }
    for plan in plans.values():
        assert plan["at_risk"] is False
        assert plan["energy"] == pytest.approx(GOAL_KWH, abs=0.1)
        assert datetime.fromisoformat(plan["finish"]) <= DEPARTURE

    # The night passes; the simulator's chargers and group are read at every step.
    start_energy = {c: easee.chargers[c].session_energy for c in CARS}
    charged: dict[str, dict[datetime, float]] = {c: defaultdict(float) for c in CARS}
    worst_margin = float("inf")
    now = EVENING
    while now < DEPARTURE:
        before = {c: easee.chargers[c].session_energy for c in CARS}
        limit = simulator.viriciti.groups[GROUP].layers(now, simulator.viriciti.lookahead).limit
        await advance(hass, freezer, simulator, STEP)
        easee.run()
        power = sum(easee.chargers[c].power_kw() for c in CARS)
        worst_margin = min(worst_margin, limit - power)
        hour = now.replace(minute=0, second=0, microsecond=0)
        for c in CARS:
            charged[c][hour] += easee.chargers[c].session_energy - before[c]
        now += timedelta(seconds=STEP)

    # Never above the group limit, and each car has its 30 kWh by 07:00.
    assert worst_margin >= 0
    for c in CARS:
        assert easee.chargers[c].session_energy - start_energy[c] >= GOAL_KWH - 0.5, c

    # In the cheapest hours: no hour the car charged in costs more than one it skipped.
    jedlix = simulator.jedlix
    renderer = Renderer(jedlix, EVENING)
    site = jedlix.locations[location_id]
    hours = [EVENING + timedelta(hours=h) for h in range(9)]
    price = {h: renderer.dynamic_price(site, h) for h in hours}
    for c in CARS:
        used = [h for h in hours if charged[c][h] > 0.5]
        skipped = [h for h in hours if charged[c][h] < 0.05]
        assert used
        assert skipped, "the night was too short to choose"
        assert max(price[h] for h in used) <= min(price[h] for h in skipped), (c, charged[c])
        # What the plan said is what happened: its slots are the hours the car charged.
        planned = {datetime.fromisoformat(s["start"]) for s in plans[c]["slots"]}
        assert set(used) <= planned


MORNING = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam
EVENING_DEPARTURE = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 17:00 in Amsterdam
DAY_GOAL_KWH = 5.0


async def test_the_demo_day_charges_in_the_sun_at_the_feed_in_price(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, demo_solar: None
) -> None:
    """The demo's solar forecast: a car home all day is planned into the sunny hours.

    Without the forecast the goal buys the day's cheapest grid hour; with it, as the demo
    sets its goals (the demo forecast's entry, the feed-in price), the plan takes the
    roof's surplus, at the feed-in price, and the car charges while the sun shines.
    """
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    await hass.config.async_update(
        latitude=demo_planner.HOME_LATITUDE, longitude=demo_planner.HOME_LONGITUDE
    )
    simulator.sim.clock.set(MORNING)
    freezer.move_to(MORNING)
    easee = simulator.easee
    driveway = easee.chargers[CARS[0]]
    if driveway.car_connected:
        driveway.unplug(MORNING)
    driveway.plug_in(45.0, MORNING)
    easee.run()
    entries = {p: await add_entry(hass, simulator, p) for p in ("easee", "viriciti", "jedlix")}
    result = await hass.config_entries.flow.async_init(
        demo_planner.SOLAR_DOMAIN, context={"source": "user"}
    )
    solar_entry = result["result"].entry_id
    location_key = f"jedlix_location_{simulator.jedlix.demo.location_id}"
    location = device_of(hass, entries["jedlix"], location_key)
    device = device_of(hass, entries["easee"], f"easee_{CARS[0]}")
    goal = {
        "device_id": device,
        "energy": DAY_GOAL_KWH,
        "max_power": MAX_POWER,
        "departure": EVENING_DEPARTURE.isoformat(),
        "price_location": location,
    }

    async def plan_for(**extra: object) -> dict[str, Any]:
        await hass.services.async_call(DOMAIN, "set_charge_goal", goal | extra, blocking=True)
        await hass.async_block_till_done(wait_background_tasks=True)
        plan = await hass.services.async_call(
            DOMAIN, "get_plan", {"device_id": device}, blocking=True, return_response=True
        )
        assert isinstance(plan, dict)
        return plan

    sunny = demo_planner.sunny_hours(MORNING.date(), days=1)
    assert len(sunny) >= 6  # a November day in Amsterdam: about 08:00 to 17:00
    grid_only = await plan_for()
    hour_slots = {datetime.fromisoformat(s["start"]) for s in grid_only["slots"]}
    assert grid_only["energy"] == pytest.approx(DAY_GOAL_KWH)
    cheapest = min(s["price"] for s in grid_only["slots"])
    assert grid_only["cost"] == pytest.approx(DAY_GOAL_KWH * cheapest, rel=0.05)

    with_sun = await plan_for(solar_entry=solar_entry, feed_in_price=demo_planner.FEED_IN_PRICE)
    assert with_sun["at_risk"] is False
    assert with_sun["energy"] == pytest.approx(DAY_GOAL_KWH)
    # All of it from the roof, at the feed-in price: cheaper than the grid's best hour.
    assert with_sun["cost"] == pytest.approx(DAY_GOAL_KWH * demo_planner.FEED_IN_PRICE)
    assert with_sun["cost"] < grid_only["cost"]
    sun_slots = {datetime.fromisoformat(s["start"]).replace(minute=0) for s in with_sun["slots"]}
    assert sun_slots <= sunny
    assert sun_slots != hour_slots  # shifted: the sunny morning instead of the cheap hour
    # The roof's output is all the car is given: never more than the forecast's hour.
    assert all(s["power_kw"] < 1.5 for s in with_sun["slots"])

    # The day passes: the car has its energy by the departure, charged in sunny hours only.
    start = driveway.session_energy
    charged: dict[datetime, float] = defaultdict(float)
    now = MORNING
    while now < EVENING_DEPARTURE:
        before = driveway.session_energy
        await advance(hass, freezer, simulator, STEP)
        easee.run()
        charged[now.replace(minute=0, second=0, microsecond=0)] += driveway.session_energy - before
        now += timedelta(seconds=STEP)
    assert driveway.session_energy - start >= DAY_GOAL_KWH - 0.5
    assert {hour for hour, energy in charged.items() if energy > 0.05} <= sunny
