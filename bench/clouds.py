"""The clouds the benchmark and the soak drive: one row each in ``CLOUDS``.

A row says how to build that cloud's world with N chargers (groups, vehicles and
locations scaled with them), which requests belong to one charger rather than to the
account, what a car arriving looks like, which press the benchmark times, and how the
soak makes the world live and misbehave. Jedlix follows cars rather than chargers, so
its unit is a car with its home charger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import itertools
import random
import re
from typing import Any

from simulator.ampeco import AmpecoCloud
from simulator.app import Cloud, Simulator
from simulator.easee import EaseeCloud, SimCharger
from simulator.easee.cloud import SimCircuit, SimSite
from simulator.jedlix import JedlixCloud
from simulator.viriciti import ViricitiCloud

# Sites (Easee) and charger groups (ViriCiti) are not all alike: the chargers of a world
# are dealt out to sites of these sizes in turn (a home, a small business, a car park),
# the last one taking what is left.
EASEE_SITE_SIZES = (1, 2, 5, 12, 30)
VIRICITI_GROUP_SIZES = (4, 10, 16)


def site_sizes(n: int, sizes: tuple[int, ...]) -> list[int]:
    """The sizes of the sites that hold ``n`` chargers."""
    result: list[int] = []
    while sum(result) < n:
        result.append(min(sizes[len(result) % len(sizes)], n - sum(result)))
    return result


@dataclass(frozen=True)
class Press:
    """The switch, button or number press the benchmark times, and what it should show."""

    domain: str
    service: str
    # Unique id of the entity, from the chosen device key.
    unique_id: Callable[[str], str]
    data: dict[str, Any] = field(default_factory=dict)
    # The state shown at once (None: a button, which has no state of its own).
    expected: str | None = None
    # The entity whose state shows the cloud's confirmation, and the state it reaches.
    confirm_unique_id: Callable[[str], str] | None = None
    # Whether the device must be idle-with-a-car (AMPECO start) or busy (Easee pause).
    wants: str = "busy"


@dataclass(frozen=True)
class CloudSpec:
    """What the instruments need to know about one cloud."""

    name: str
    # The benchmark world: ``n`` chargers, about half of them busy.
    build: Callable[[Simulator, int], Cloud]
    # Charger id -> whether a car charges there now.
    chargers: Callable[[Any], dict[str, bool]]
    # A request path that belongs to one charger (group 1: its id); None: none do.
    charger_path: re.Pattern[str] | None = None
    # Paged list reads in a full refresh (0: the cloud has no list endpoint for state).
    list_endpoints: int = 0
    # Single requests a refresh may send beside its lists (the per-refresh target is
    # lists x ceil(N / 100) + this): fixed by the coordinator's design, not measured.
    refresh_constant: int = 0
    # Whether a request (its query) asks for a page after the first: one read of a list
    # that covers every charger is one account-level call, however many pages it takes.
    next_page: Callable[[dict[str, str]], bool] = lambda query: False
    # Sites (ViriCiti: groups) in the world of N chargers: site-level calls are per site.
    sites: Callable[[int], int] = lambda n: 1
    # What the config flow is given beyond the demo account's answers, for N chargers.
    entry_fields: Callable[[int], dict[str, str]] = lambda n: {}
    # A car arrives at an idle charger and starts charging.
    arrive: Callable[[Any, str], None] | None = None
    # A car is plugged in without a session (AMPECO: the start button then starts it).
    connect: Callable[[Any, str], None] | None = None
    # Every car at a charger leaves (the home owner's run starts from an idle charger).
    leave: Callable[[Any, str], None] | None = None
    # The entity that shows a car arriving, by charger id.
    arrival_unique_id: Callable[[str], str] | None = None
    # What the arrival figure shows on this cloud, when that needs saying.
    arrival_note: str | None = None
    # Whether the arrival is judged against "under 2 minutes" (a state call shows it).
    arrival_judged: bool = True
    press: Press | None = None
    # Clouds that show a large account in part first: the request paths that read one
    # charger in full (its remaining entities are added once they have been sent).
    full_read: Callable[[str], tuple[str, ...]] | None = None
    # The device key the press aims at, from the world (None: the charger the press wants).
    press_key: Callable[[Any], str] | None = None
    # --- the soak -------------------------------------------------------------------------
    # Make the world of the soak (small, deterministic with the seed).
    soak_world: Callable[[Any, random.Random], None] | None = None
    # One random thing that happens in the world (a car comes or goes); returns what.
    life: Callable[[Any, random.Random], str | None] | None = None
    # Switch unknown enum values on or off.
    unknown_enums: Callable[[Any, bool], None] | None = None
    # Make every access token invalid (expiry) and refuse the refresh token (refusal).
    expire_tokens: Callable[[Any], None] | None = None
    # The cloud's push hub (Easee's charger stream), for the soak's stream faults.
    hub: Callable[[Any], Any] | None = None
    # Paths whose faults the soak may inject (prefixes under the cloud's own prefix).
    prefix: str = ""

    def __post_init__(self) -> None:
        """The cloud's path prefix is its name."""
        object.__setattr__(self, "prefix", f"/{self.name}")


# --- Easee --------------------------------------------------------------------------------


def _easee_build(sim: Simulator, n: int) -> Cloud:
    """N chargers on sites of ``EASEE_SITE_SIZES``; every second one has a car charging."""
    cloud = EaseeCloud(sim)
    cloud.scale(n)
    chargers = list(cloud.chargers.values())
    cloud.sites, start = [], 0
    for number, size in enumerate(site_sizes(n, EASEE_SITE_SIZES)):
        site = SimSite(501 + number, f"Site {number + 1}", 1001, [])
        for charger in chargers[start : start + size]:
            charger.site_id = site.id
            site.circuits.append(SimCircuit(charger.circuit_id, f"Circuit {charger.name}", 32.0))
        cloud.sites.append(site)
        start += size
    for index, charger in enumerate(chargers):
        if index % 2:
            charger.plug_in(1000.0, sim.now())
    return cloud


def easee_on_sites(cloud: EaseeCloud, sites: int) -> None:
    """The same chargers dealt out to ``sites`` sites of equal size (issue 15's account)."""
    chargers = list(cloud.chargers.values())
    size = -(-len(chargers) // sites)
    cloud.sites = []
    for number in range(sites):
        site = SimSite(501 + number, f"Site {number + 1}", 1001, [])
        for charger in chargers[number * size : (number + 1) * size]:
            charger.site_id = site.id
            site.circuits.append(SimCircuit(charger.circuit_id, f"Circuit {charger.name}", 32.0))
        cloud.sites.append(site)


def _easee_chargers(cloud: EaseeCloud) -> dict[str, bool]:
    cloud.run()
    return {cid: charger.is_charging for cid, charger in cloud.chargers.items()}


def _easee_arrive(cloud: EaseeCloud, charger_id: str) -> None:
    cloud.run()
    cloud.chargers[charger_id].plug_in(40.0, cloud.sim.now())


def _easee_leave(cloud: EaseeCloud, charger_id: str) -> None:
    cloud.run()
    cloud.chargers[charger_id].unplug(cloud.sim.now())


def _easee_soak_world(cloud: EaseeCloud, rng: random.Random) -> None:
    # The demo site (Driveway charging, Garage needing authorization) and four more bays.
    for i in range(3, 7):
        charger = SimCharger(f"EH00000{i}", f"Bay {i}", 501, 601)
        charger.settings["authorizationRequired"] = rng.random() < 0.5
        cloud.add_charger(charger)


def _easee_life(cloud: EaseeCloud, rng: random.Random) -> str | None:
    cloud.run()
    now = cloud.sim.now()
    charger = cloud.chargers[rng.choice(sorted(cloud.chargers))]
    roll = rng.random()
    if roll < 0.1:
        charger.online = not charger.online
        return f"{charger.id} {'online' if charger.online else 'offline'}"
    if charger.car_connected:
        charger.unplug(now)
        return f"car leaves {charger.id}"
    charger.plug_in(rng.uniform(5.0, 40.0), now)
    return f"car arrives at {charger.id}"


def _easee_unknown_enums(cloud: EaseeCloud, on: bool) -> None:
    charger = cloud.chargers[sorted(cloud.chargers)[0]]
    charger.forced_op_mode = 42 if on else None
    charger.forced_reason = 77 if on else None


def _easee_expire(cloud: EaseeCloud) -> None:
    cloud.expire_tokens()


def _easee_hub(cloud: EaseeCloud) -> Any:
    return cloud.stream


# --- ViriCiti -----------------------------------------------------------------------------


# How long before the benchmark starts every ViriCiti station had a car (seconds).
VIRICITI_USED_BEFORE = 3600


def _viriciti_build(sim: Simulator, n: int) -> Cloud:
    """N chargers in groups of ``VIRICITI_GROUP_SIZES``, each position busy at 0.5.

    A group's time series names a station only while a car charges there, and no other
    public call lists a group's stations: one never used would never show. As in a
    depot in use, every station had a car an hour before the benchmark starts.
    """
    cloud = ViricitiCloud(sim, demo=False)
    sizes = site_sizes(n, VIRICITI_GROUP_SIZES)
    cloud.scale(0, groups=len(sizes))
    groups = sorted(cloud.groups, key=_natural_group)
    identities = [f"charger_{number}" for number in range(1, n + 1)]
    members = iter(identities)
    for group_id, size in zip(groups, sizes, strict=True):
        for identity in itertools.islice(members, size):
            cloud.add_station(identity, group_id, positions=2, max_power=150)
            cloud.start_session(identity, 1)
    sim.clock.advance(VIRICITI_USED_BEFORE)
    for identity in identities:
        cloud.end_session(identity, 1)
        for position in (1, 2):
            if cloud.random.random() < 0.5:
                cloud.start_session(identity, position)
    return cloud


def _viriciti_group_of(identity: str) -> str:
    """The group of ``charger_<k>`` in the world ``_viriciti_build`` makes."""
    number, index, reach = int(identity.rsplit("_", 1)[1]), 0, 0
    while True:
        reach += VIRICITI_GROUP_SIZES[index % len(VIRICITI_GROUP_SIZES)]
        if number <= reach:
            return "ViriCitiGroup" if index == 0 else f"ViriCitiGroup{index + 1}"
        index += 1


def _viriciti_entry_fields(n: int) -> dict[str, str]:
    """The group ids of the world of N chargers (the simulator names them so)."""
    count = len(site_sizes(n, VIRICITI_GROUP_SIZES))
    ids = ["ViriCitiGroup", *(f"ViriCitiGroup{k}" for k in range(2, count + 1))]
    return {"group_ids": ", ".join(ids)}


def _natural_group(group_id: str) -> int:
    digits = "".join(ch for ch in group_id if ch.isdigit())
    return int(digits) if digits else 1


def _viriciti_chargers(cloud: ViricitiCloud) -> dict[str, bool]:
    return {identity: bool(s.charging) for identity, s in cloud.stations.items()}


def _viriciti_arrive(cloud: ViricitiCloud, identity: str) -> None:
    station = cloud.stations[identity]
    free = [
        p
        for p in range(1, station.positions + 1)
        if p not in station.charging and p not in station.unavailable
    ]
    cloud.start_session(identity, free[0])


def _viriciti_leave(cloud: ViricitiCloud, identity: str) -> None:
    for position in sorted(cloud.stations[identity].charging):
        cloud.end_session(identity, position)


def _viriciti_soak_world(cloud: ViricitiCloud, rng: random.Random) -> None:
    # The demo group and a second one, six chargers in all.
    cloud.scale(6, groups=2, busy=0.5)


def _viriciti_life(cloud: ViricitiCloud, rng: random.Random) -> str | None:
    identity = rng.choice(sorted(cloud.stations))
    station = cloud.stations[identity]
    position = rng.randint(1, station.positions)
    if position in station.charging:
        cloud.end_session(identity, position)
        return f"car leaves {identity}/{position}"
    if position in station.unavailable:
        # Taken out of service (a soak action did): a driver moves on.
        return None
    cloud.start_session(identity, position)
    return f"car arrives at {identity}/{position}"


# --- AMPECO -------------------------------------------------------------------------------


def _ampeco_build(sim: Simulator, n: int) -> Cloud:
    cloud = AmpecoCloud(sim)
    cloud.scale(n, plugged_in=n // 2)
    for cp_id in range(1, n // 2 + 1):
        _ampeco_start(cloud, cp_id)
    return cloud


def _ampeco_start(cloud: AmpecoCloud, cp_id: int) -> None:
    """A session starts as if the driver used a card (no public control starts one)."""
    charge_point = cloud.charge_points[cp_id]
    cloud._begin(charge_point, charge_point.evses[0], with_session_id=False)


def _ampeco_chargers(cloud: AmpecoCloud) -> dict[str, bool]:
    cloud.run()
    return {
        str(cp_id): any(evse.session_id is not None for evse in cp.evses)
        for cp_id, cp in cloud.charge_points.items()
    }


def _ampeco_arrive(cloud: AmpecoCloud, cp_id: str) -> None:
    cloud.plug_in(int(cp_id))
    _ampeco_start(cloud, int(cp_id))


def _ampeco_leave(cloud: AmpecoCloud, cp_id: str) -> None:
    cloud.unplug(int(cp_id))


def _ampeco_connect(cloud: AmpecoCloud, cp_id: str) -> None:
    cloud.plug_in(int(cp_id))


def _ampeco_soak_world(cloud: AmpecoCloud, rng: random.Random) -> None:
    # The demo tenant (6 charging-capable, 7 schedule/nordpool, 8 offline) and two more.
    for cp_id in (9, 10):
        cloud.add_charge_point(cp_id, f"Bay {cp_id}")


def _ampeco_life(cloud: AmpecoCloud, rng: random.Random) -> str | None:
    cloud.run()
    cp_id = rng.choice(sorted(cloud.charge_points))
    charge_point = cloud.charge_points[cp_id]
    evse = charge_point.evses[0]
    if rng.random() < 0.1 and cp_id != 6:
        cloud.set_online(cp_id, not charge_point.online)
        return f"{cp_id} {'online' if charge_point.online else 'offline'}"
    if evse.plugged_in:
        cloud.unplug(cp_id)
        return f"car leaves {cp_id}"
    cloud.plug_in(cp_id, room_kwh=rng.uniform(5.0, 40.0))
    return f"car arrives at {cp_id}"


# --- Jedlix -------------------------------------------------------------------------------


def _jedlix_build(sim: Simulator, n: int) -> Cloud:
    cloud = JedlixCloud(sim)
    for index in range(n - 1):
        charger = cloud.add_charger(cloud.demo.location_id)
        vehicle = cloud.add_vehicle(cloud.demo.user_id, charger_id=charger.id)
        # About half the cars charge (the demo's ID.4 already does).
        if index % 2:
            cloud.plug_in(vehicle.id, message=False)
    return cloud


def _jedlix_chargers(cloud: JedlixCloud) -> dict[str, bool]:
    # Jedlix follows cars: a car (with its charger at home) is the unit that is idle or
    # charging, and its own calls name the car.
    cloud.tick()
    return {
        vid: cloud.active_session(vid) is not None
        for vid, vehicle in cloud.vehicles.items()
        if vehicle.user_id == cloud.demo.user_id
    }


def _jedlix_arrive(cloud: JedlixCloud, vehicle_id: str) -> None:
    cloud.plug_in(vehicle_id, message=False)


def _jedlix_leave(cloud: JedlixCloud, vehicle_id: str) -> None:
    cloud.unplug(vehicle_id)


def _jedlix_life(cloud: JedlixCloud, rng: random.Random) -> str | None:
    cloud.tick()
    vehicle_id = rng.choice(sorted(_jedlix_chargers(cloud)))
    if cloud.active_session(vehicle_id) is not None:
        cloud.unplug(vehicle_id)
        return f"car leaves {vehicle_id}"
    cloud.plug_in(vehicle_id)
    return f"car arrives at {vehicle_id}"


def _jedlix_unknown_enums(cloud: JedlixCloud, on: bool) -> None:
    cloud.unseen_enums = on


def _key(provider: str, kind: str, description: str) -> Callable[[str], str]:
    prefix = {"chargers": "", "groups": "group_", "stations": "station_", "vehicles": "vehicle_"}[
        kind
    ]
    return lambda key: f"{provider}_{prefix}{key}_{description}"


CLOUDS: dict[str, CloudSpec] = {
    spec.name: spec
    for spec in (
        CloudSpec(
            name="easee",
            build=_easee_build,
            chargers=_easee_chargers,
            charger_path=re.compile(r"^/easee/(?:api/chargers|state)/([^/]+)/"),
            sites=lambda n: len(site_sizes(n, EASEE_SITE_SIZES)),
            arrive=_easee_arrive,
            leave=_easee_leave,
            arrival_unique_id=_key("easee", "chargers", "status"),
            press=Press(
                "switch", "turn_off", _key("easee", "chargers", "charging"), expected="off"
            ),
            soak_world=_easee_soak_world,
            life=_easee_life,
            unknown_enums=_easee_unknown_enums,
            expire_tokens=_easee_expire,
            hub=_easee_hub,
        ),
        CloudSpec(
            name="viriciti",
            build=_viriciti_build,
            chargers=_viriciti_chargers,
            sites=lambda n: len(site_sizes(n, VIRICITI_GROUP_SIZES)),
            # Every group of the world, as a depot manager enters them.
            entry_fields=_viriciti_entry_fields,
            arrive=_viriciti_arrive,
            leave=_viriciti_leave,
            arrival_unique_id=_key("viriciti", "stations", "position_1_limit"),
            # A station is known once its group's time series named it: the first read
            # of each group's series (deferred a minute past a burst at N = 500).
            full_read=lambda identity: (
                f"/viriciti/api/v1/smartcharging/time/{_viriciti_group_of(identity)}",
            ),
            arrival_note="no state call: a car shows in the group's time series (every 6 min)",
            arrival_judged=False,
            press=Press(
                "number",
                "set_value",
                _key("viriciti", "groups", "group_limit"),
                data={"value": 123},
                expected="123.0",
            ),
            press_key=lambda cloud: sorted(cloud.groups)[0],
            soak_world=_viriciti_soak_world,
            life=_viriciti_life,
        ),
        CloudSpec(
            name="ampeco",
            build=_ampeco_build,
            chargers=_ampeco_chargers,
            charger_path=re.compile(
                r"^/ampeco/public-api/(?:resources/charge-points/v2\.0|"
                r"actions/charge-point/v1\.0)/([^/]+)"
            ),
            list_endpoints=2,
            next_page=lambda query: "cursor" in query,
            arrive=_ampeco_arrive,
            leave=_ampeco_leave,
            connect=_ampeco_connect,
            arrival_unique_id=_key("ampeco", "chargers", "status"),
            arrival_note=(
                "the list carries no connector state: a car shows when its session starts"
            ),
            press=Press(
                "button",
                "press",
                _key("ampeco", "chargers", "start"),
                confirm_unique_id=_key("ampeco", "chargers", "status"),
                expected=None,
                wants="connected",
            ),
            soak_world=_ampeco_soak_world,
            life=_ampeco_life,
        ),
        CloudSpec(
            name="jedlix",
            build=_jedlix_build,
            chargers=_jedlix_chargers,
            charger_path=re.compile(r"^/jedlix/api/v2/users/[^/]+/vehicles/([^/]+)/"),
            # The user's session list (pages of 100) follows every plugged-in car; beside
            # it a refresh reads the cars, the chargers and the messages (one request each).
            list_endpoints=1,
            refresh_constant=3,
            next_page=lambda query: query.get("pageIndex", "1") != "1",
            arrive=_jedlix_arrive,
            leave=_jedlix_leave,
            arrival_unique_id=_key("jedlix", "vehicles", "charge_state"),
            life=_jedlix_life,
            unknown_enums=_jedlix_unknown_enums,
        ),
    )
}
