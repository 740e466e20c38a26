"""The demo home's charging goals: two cars, each wanting 30 kWh by 07:00.

The cars are the ones the simulator's evening starts with: at the Easee *Driveway*
charger (paused and resumed by the planner) and at the AMPECO *Driveway* charge point
(given the plan's window as its schedule). Prices come from the Jedlix charging
location (the simulator's day-ahead prices); the shared limit is the ViriCiti group's,
which the planner reads from that entry by itself. The solar forecast is the demo's own
(``config/custom_components/demo_solar``: a 6 kWp roof at the home's place, a seeded
sky; Forecast.Solar would need the internet), its surplus worth the feed-in price: an
hour with sun before the departure is used for its sun.

``scripts/develop`` sets these goals when it seeds the demo home (``--goals``); the
browser test sets them in its last step, through the same REST call
(``/api/services/smart_charging/set_charge_goal``), so its earlier steps see the chargers
as the scenario left them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
import importlib
from pathlib import Path
import sys
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

DOMAIN = "smart_charging"
HOME_ZONE = ZoneInfo("Europe/Amsterdam")
HOME_LATITUDE, HOME_LONGITUDE = 52.37, 4.89  # config/configuration.yaml
REPO = Path(__file__).resolve().parent.parent
GOAL_KWH = 30
DEPARTURE_AT = 7  # local hour
# What a kWh fed into the grid fetches (EUR): the demo roof's surplus is worth this.
FEED_IN_PRICE = 0.05
SOLAR_DOMAIN = "demo_solar"
MIN_AHEAD = timedelta(hours=4)
# The two Easee demo chargers share a 25 A circuit: 8.6 kW each when both charge.
MAX_POWER = {"easee_EH000001": 8.6, "ampeco_6": 11}
TARGETS = ("easee_EH000001", "ampeco_6")
EASEE_DRIVEWAY = "EH000001"
# The plan sensors the goals add, as the dashboard names them.
PLAN_SENSORS = ("sensor.driveway_charging_plan", "sensor.driveway_ampeco_charging_plan")
# An entity of each device the browser test finds the device by.
DEVICE_OF = {
    "easee_EH000001": "sensor.driveway_status",
    "ampeco_6": "sensor.driveway_ampeco_status",
    "jedlix_location": "sensor.charging_location_current_price",
}

if TYPE_CHECKING:
    from .__main__ import EndToEnd

type Websocket = Callable[..., Awaitable[Any]]
type Call = Callable[[str, dict[str, Any]], Awaitable[Any]]


def next_departure(now: datetime) -> datetime:
    """The next 07:00 in the demo home's time zone that leaves time to charge.

    At least four hours ahead (30 kWh at 8.6 kW takes three and a half), so the demo's
    goals can be met whenever it starts; the clouds' prices (today and tomorrow) then
    still cover it.
    """
    local = now.astimezone(HOME_ZONE)
    leave = local.replace(hour=DEPARTURE_AT, minute=0, second=0, microsecond=0)
    if leave < local + MIN_AHEAD:
        leave = (local + timedelta(days=1)).replace(
            hour=DEPARTURE_AT, minute=0, second=0, microsecond=0
        )
    return leave


def device_ids(devices: list[dict[str, Any]]) -> dict[str, str]:
    """Our device registry ids by identifier; the (first) Jedlix location as well."""
    found: dict[str, str] = {}
    for device in devices:
        for domain, key in device.get("identifiers", []):
            if domain != DOMAIN:
                continue
            if key.startswith("jedlix_location_"):
                found.setdefault("jedlix_location", device["id"])
            found[key] = device["id"]
    return found


def goals(
    ids: dict[str, str], departure: datetime, solar_entry: str | None = None
) -> list[dict[str, Any]]:
    """The data of each demo goal's set_charge_goal call (with the demo's sun, if there)."""
    sun = {"solar_entry": solar_entry, "feed_in_price": FEED_IN_PRICE} if solar_entry else {}
    return [
        {
            "device_id": ids[target],
            "energy": GOAL_KWH,
            "departure": departure.isoformat(),
            "max_power": MAX_POWER[target],
            "price_location": ids["jedlix_location"],
        }
        | sun
        for target in TARGETS
    ]


def solar_entry(entries: list[dict[str, Any]]) -> str | None:
    """The demo solar forecast's entry id among Home Assistant's config entries."""
    return next((e["entry_id"] for e in entries if e.get("domain") == SOLAR_DOMAIN), None)


def sunny_hours(first: date, days: int = 2) -> set[datetime]:
    """The hours the demo's forecast gives sun in, from ``first`` on (UTC hour starts).

    The same function the demo_solar integration answers Home Assistant with, at the
    demo home's place (config/configuration.yaml).
    """
    config = str(REPO / "config")
    if config not in sys.path:
        sys.path.append(config)
    forecast = importlib.import_module("custom_components.demo_solar.forecast")
    hours = forecast.wh_hours(HOME_LATITUDE, HOME_LONGITUDE, HOME_ZONE, first, days)
    return {datetime.fromisoformat(start).astimezone(UTC) for start in hours}


async def async_set_goals(websocket: Websocket, call: Call, now: datetime) -> list[str]:
    """Set the demo goals; return what was set, one line a goal."""
    ids = device_ids(await websocket("config/device_registry/list"))
    missing = [key for key in (*TARGETS, "jedlix_location") if key not in ids]
    if missing:
        return [f"no goals: the demo has no {', '.join(missing)} device"]
    done = []
    departure = next_departure(now)
    solar = solar_entry(await websocket("config_entries/get", domain=SOLAR_DOMAIN))
    for data in goals(ids, departure, solar):
        await call("set_charge_goal", data)
        done.append(f"{data['energy']} kWh by {departure:%H:%M} on {data['device_id']}")
    return done


# --- the browser test's step ---------------------------------------------------------------


class PlanFailed(AssertionError):
    """The planner step did not hold."""


def _plan(test: EndToEnd, device_id: str) -> dict[str, Any]:
    answer = test.ha(
        "POST", f"/api/services/{DOMAIN}/get_plan?return_response", {"device_id": device_id}
    )
    return dict(answer["service_response"])


def step_plan(test: EndToEnd, wait_until: Callable[..., str]) -> str:
    """30 kWh by 07:00 on two cars: the plans take the cheapest hours, within the limit.

    The goals go through the REST API; the plans are read with get_plan and on the
    dashboard; the Easee charger follows its plan at once (charging in a slot, paused
    outside) and the AMPECO charge point is given the plan's window. The night itself
    cannot pass here (Home Assistant runs on the wall clock): the harness test
    ``tests/planner/test_demo_night.py`` lets it pass and reads the chargers.
    """
    ids = {
        key: str(test.ha("POST", "/api/template", {"template": f"{{{{ device_id('{e}') }}}}"}))
        for key, e in DEVICE_OF.items()
    }
    # The owner hands the Driveway to the planner: the earlier step's automation (resume
    # whenever it is paused) would undo every pause the plan asks for.
    test.ha("POST", "/api/services/automation/turn_off", {"entity_id": "all"})
    now = datetime.now(HOME_ZONE)
    departure = next_departure(now)
    test.sim("/_admin/requests", "DELETE")
    solar = solar_entry(test.ha("GET", f"/api/config/config_entries/entry?domain={SOLAR_DOMAIN}"))
    for data in goals(ids, departure, solar):
        test.ha("POST", f"/api/services/{DOMAIN}/set_charge_goal", data)
    plans = {target: _plan(test, ids[target]) for target in TARGETS}
    for target, plan in plans.items():
        if plan["at_risk"] or abs(plan["energy"] - GOAL_KWH) > 0.1:
            raise PlanFailed(f"{target}: {plan}")
        if datetime.fromisoformat(plan["finish"]) > departure:
            raise PlanFailed(f"{target} finishes after {departure}: {plan['finish']}")
    # The cheapest hours, by the simulator's own prices.
    location = test.jedlix("/charging-locations")[0]["id"]
    prices = {
        datetime.fromisoformat(p["startTime"]): float(p["price"])
        for p in test.jedlix(f"/charging-locations/{location}/dynamic-tariffs")
    }
    easee = plans[TARGETS[0]]
    used = {datetime.fromisoformat(s["start"]) for s in easee["slots"]}
    # An hour with sun is taken for its sun (at the feed-in price): the grid's hours are
    # judged among the others.
    sunny = sunny_hours(now.date()) if solar else set()
    ahead = [
        h for h in prices if now < h and h + timedelta(hours=1) <= departure and h not in sunny
    ]
    skipped = [prices[h] for h in ahead if h not in used]
    paid = [prices[h] for h in used if h in prices and h not in sunny]
    if not used or (paid and skipped and max(paid) > min(skipped)):
        raise PlanFailed(f"not the cheapest hours: paid {paid}, skipped {sorted(skipped)}")
    # Never above the group limit: the two plans together, slot by slot.
    _, limit = test.group_limit()
    load: dict[str, float] = {}
    for plan in plans.values():
        for slot in plan["slots"]:
            load[slot["start"]] = load.get(slot["start"], 0.0) + slot["power_kw"]
    if max(load.values()) > limit:
        raise PlanFailed(f"the plans take {max(load.values())} kW, the limit is {limit} kW")
    # The Easee charger follows the plan now.
    first = min(used)
    # The planner's first order of a session is always sent: resume in a slot, else
    # pause. Which one depends on the second the plan was made (a slot may start then).
    orders = {
        command: f"/chargers/{EASEE_DRIVEWAY}/commands/{command}"
        for command in ("pause_charging", "resume_charging")
    }
    wait_until(
        "the simulator receives the plan's first order for the Easee Driveway",
        lambda: (any(test.sim_requests("POST", p) for p in orders.values()), "no order"),
        30,
    )
    command = next(c for c, path in orders.items() if test.sim_requests("POST", path))

    def follows() -> tuple[bool, str]:
        """The charger charges exactly when its plan, read now, has a slot now."""
        plan = _plan(test, ids[TARGETS[0]])
        at = datetime.now(HOME_ZONE)
        planned = any(
            datetime.fromisoformat(s["start"]) <= at < datetime.fromisoformat(s["end"])
            for s in plan["slots"]
        )
        state = test.easee_driveway()
        return (state["chargerOpMode"] == 3) == planned, f"planned {planned} now: {state}"

    wait_until("the Easee Driveway follows its plan", follows, 60)
    wait_until(
        "the AMPECO charge point is given the plan's window",
        lambda: (
            bool(test.sim_requests("POST", "/personal-smart-charging-preferences")),
            "no schedule preference written",
        ),
        30,
    )
    test.open_dashboard()
    # The first hour of the Easee plan, beside its price, in the plans' table.
    earliest = min(easee["slots"], key=lambda slot: slot["start"])
    start = f"{first.astimezone(HOME_ZONE):%H:%M} {earliest['power_kw']} {earliest['price']}"
    detail = wait_until(
        "the dashboard shows the plans against the prices",
        lambda: _shows(test, start),
        60,
    )
    test.screenshot("charging-plans", full_page=True)
    hours = sorted(f"{h.astimezone(HOME_ZONE):%H}" for h in used)
    return (
        f"{command} sent; 30 kWh by {departure:%H:%M}: hours {hours}"
        f" at {max(paid, default=0):.3f} at most (skipped from {min(skipped, default=0):.3f}); "
        f"peak {max(load.values()):.1f} of {limit} kW; {detail}"
    )


def _shows(test: EndToEnd, start: str) -> tuple[bool, str]:
    shown = test.text(test.section("Charging plans"))
    return start in shown, f"Charging plans shows {shown[:300]!r}, expected {start}"
