"""A lively day for the demo home: ``python -m simulator --scenario``.

The demo worlds start as an evening at home: the Easee *Driveway* charges, two ViriCiti
depot positions share the group limit, the Jedlix car charges. The scenario then plays
a day on the simulated clock (sped up with ``--speed``), in the home's time zone:

- cars leave in the morning and come home in the evening (Easee, AMPECO, ViriCiti);
  the Easee *Garage* wants authorization, so its driver taps the card on arrival;
- the ViriCiti group's peak shaving starts at 16:00 (the seed's timeframes), and a short
  extra window a few minutes after the start shows a limit change without waiting;
- the day-ahead price changes every hour (Jedlix's prices are a function of time);
  each new hour's price is written to the scenario's log;
- the Jedlix car follows its own routine (home at 18:30, away at 07:30).

``Scenario.step`` applies everything due between the previous step and the clock's
now, so tests drive it with the frozen clock; ``Scenario.run`` calls it in a loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from .ampeco import AmpecoCloud, ApiError
from .app import Simulator
from .easee import EaseeCloud
from .jedlix import JedlixCloud, Renderer
from .viriciti import DEMO_GROUP, Timeframe, ViricitiCloud

HOME_TIME_ZONE = "Europe/Amsterdam"
# The extra peak-shaving window: it opens this long after the scenario starts.
DEMO_PEAK_DELAY = timedelta(minutes=20)
DEMO_PEAK_LENGTH = timedelta(minutes=30)
DEMO_PEAK_LIMIT = 150
DEMO_PEAK_NAME = "Demo peak shaving"
# A clock that jumped further than this replays only the last days (it is a demo).
MAX_CATCH_UP = timedelta(days=7)

Action = Callable[["Scenario"], str | None]


class MissingCloud(LookupError):
    """The simulator has no such cloud (a world built by a test, say)."""


@dataclass(frozen=True)
class Event:
    """Something that happens every day at ``at`` (local time of the home).

    ``action`` does it and says what happened, or returns None when there was nothing
    to do (the car was already gone, say): a step never fails on the world's state.
    """

    at: time
    action: Action


# --- what people do ------------------------------------------------------------------------


def easee_arrives(charger_id: str, kwh: float, *, tap_card: bool = False) -> Action:
    """A car comes home to an Easee charger and wants ``kwh``; the driver may tap a card."""

    def act(scenario: Scenario) -> str | None:
        cloud = scenario.easee
        charger = cloud.chargers.get(charger_id)
        if charger is None or charger.car_connected:
            return None
        cloud.run()
        charger.plug_in(kwh, scenario.now)
        if tap_card:
            charger.command("start_charging")
        cloud.run()
        return f"Easee {charger.name}: a car arrives and wants {kwh:g} kWh"

    return act


def easee_leaves(charger_id: str) -> Action:
    """The car at an Easee charger drives off."""

    def act(scenario: Scenario) -> str | None:
        cloud = scenario.easee
        charger = cloud.chargers.get(charger_id)
        if charger is None or not charger.car_connected:
            return None
        cloud.run()
        energy = charger.session_energy
        charger.unplug(scenario.now)
        cloud.run()
        return f"Easee {charger.name}: the car leaves with {energy:.1f} kWh"

    return act


def ampeco_arrives(charge_point_id: int, kwh: float) -> Action:
    """A car is plugged into an AMPECO charge point and its driver starts the session."""

    def act(scenario: Scenario) -> str | None:
        cloud = scenario.ampeco
        charge_point = cloud.charge_points.get(charge_point_id)
        if charge_point is None or not charge_point.online:
            return None
        evse = charge_point.evses[0]
        if evse.session_id is not None:
            return None
        if not evse.plugged_in:
            cloud.plug_in(charge_point_id, room_kwh=kwh)
        if not scenario.start_ampeco_session(charge_point_id):
            return None
        return f"AMPECO {charge_point.name}: a car arrives, session started ({kwh:g} kWh)"

    return act


def ampeco_leaves(charge_point_id: int) -> Action:
    """The car leaves an AMPECO charge point; its session ends."""

    def act(scenario: Scenario) -> str | None:
        cloud = scenario.ampeco
        charge_point = cloud.charge_points.get(charge_point_id)
        if charge_point is None or not charge_point.evses[0].plugged_in:
            return None
        cloud.unplug(charge_point_id)
        return f"AMPECO {charge_point.name}: the car leaves"

    return act


def depot_arrives(identity: str, position: int) -> Action:
    """A vehicle plugs in at a ViriCiti depot position and starts sharing the limit."""

    def act(scenario: Scenario) -> str | None:
        world = scenario.viriciti
        station = world.stations.get(identity)
        if station is None or position in station.charging:
            return None
        world.start_session(identity, position)
        return f"ViriCiti {identity} position {position}: a vehicle plugs in"

    return act


def depot_leaves(identity: str, position: int) -> Action:
    """The vehicle at a ViriCiti depot position leaves."""

    def act(scenario: Scenario) -> str | None:
        world = scenario.viriciti
        station = world.stations.get(identity)
        if station is None or position not in station.charging:
            return None
        world.end_session(identity, position)
        return f"ViriCiti {identity} position {position}: the vehicle leaves"

    return act


def default_events() -> list[Event]:
    """The demo home's day. Peak shaving at 16:00 comes from the group's own timeframes."""
    return [
        Event(time(6, 30), depot_leaves("charger_1", 1)),
        Event(time(6, 45), depot_leaves("charger_2", 1)),
        Event(time(7, 0), ampeco_leaves(7)),
        Event(time(7, 30), easee_leaves("EH000001")),
        Event(time(7, 50), easee_leaves("EH000002")),
        Event(time(8, 0), ampeco_leaves(6)),
        Event(time(16, 30), depot_arrives("charger_1", 1)),
        Event(time(17, 0), depot_arrives("charger_2", 1)),
        Event(time(17, 40), easee_arrives("EH000002", 18.0, tap_card=True)),
        Event(time(17, 50), ampeco_arrives(7, 25.0)),
        Event(time(18, 0), depot_arrives("charger_1", 2)),
        Event(time(18, 15), easee_arrives("EH000001", 24.0)),
        Event(time(18, 30), ampeco_arrives(6, 35.0)),
        Event(time(23, 0), depot_leaves("charger_1", 2)),
    ]


# --- the scenario --------------------------------------------------------------------------


class Scenario:
    """Plays the demo home's day on ``sim``'s clock (see the module doc)."""

    def __init__(
        self,
        sim: Simulator,
        *,
        events: list[Event] | None = None,
        time_zone: str = HOME_TIME_ZONE,
        demo_peak: bool = True,
    ) -> None:
        self.sim = sim
        self.events = default_events() if events is None else events
        self.zone = ZoneInfo(time_zone)
        self.demo_peak = demo_peak
        self.log: list[tuple[datetime, str]] = []
        self.now = sim.now()
        self._last: datetime | None = None
        self._limits: dict[str, tuple[str, int]] = {}

    # -- the clouds ---------------------------------------------------------------------

    def _cloud[T](self, name: str, kind: type[T]) -> T:
        cloud = self.sim.clouds.get(name)
        if not isinstance(cloud, kind):
            raise MissingCloud(f"the simulator has no {name} cloud")
        return cloud

    @property
    def easee(self) -> EaseeCloud:
        """The simulated Easee cloud."""
        return self._cloud("easee", EaseeCloud)

    @property
    def ampeco(self) -> AmpecoCloud:
        """The simulated AMPECO tenant."""
        return self._cloud("ampeco", AmpecoCloud)

    @property
    def viriciti(self) -> ViricitiCloud:
        """The simulated ViriCiti account."""
        return self._cloud("viriciti", ViricitiCloud)

    @property
    def jedlix(self) -> JedlixCloud:
        """The simulated Jedlix tenant."""
        return self._cloud("jedlix", JedlixCloud)

    def start_ampeco_session(self, charge_point_id: int) -> bool:
        """The driver starts a session in the app (what POST .../start does)."""
        cloud = self.ampeco
        charge_point = cloud.charge_points[charge_point_id]
        try:
            reply = cloud._begin(charge_point, charge_point.evses[0], with_session_id=True)
        except ApiError:
            return False
        return bool(cast(dict[str, Any], reply.body).get("success"))

    # -- playing ------------------------------------------------------------------------

    def say(self, text: str, at: datetime | None = None) -> None:
        """Add a line to the log, at ``at`` (default: the scenario's now)."""
        self.log.append((at or self.now, text))

    def start(self) -> None:
        """Make the start lively and remember it; steps play from here."""
        self.now = self.sim.now()
        self._last = self.now
        self.say("scenario started")
        if "ampeco" in self.sim.clouds:
            # The demo's AMPECO Driveway has a car plugged in but no session yet.
            for charge_point_id, charge_point in sorted(self.ampeco.charge_points.items()):
                evse = charge_point.evses[0]
                if (
                    evse.plugged_in
                    and evse.session_id is None
                    and self.start_ampeco_session(charge_point_id)
                ):
                    self.say(f"AMPECO {charge_point.name}: session started")
        if self.demo_peak and "viriciti" in self.sim.clouds:
            self._add_demo_peak()
        if "jedlix" in self.sim.clouds:
            self.say(self.price_line(self.now))
        self._catch_up()

    def _add_demo_peak(self) -> None:
        world = self.viriciti
        group = world.groups.get(DEMO_GROUP)
        if group is None:
            return
        local = (self.now + DEMO_PEAK_DELAY).astimezone(ZoneInfo(group.timezone))
        begin = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        end = begin + DEMO_PEAK_LENGTH
        window = Timeframe(
            DEMO_PEAK_NAME,
            f"{begin.minute} {begin.hour} * * *",
            f"{end.minute} {end.hour} * * *",
            DEMO_PEAK_LIMIT,
        )
        kept = [tf for tf in group.timeframes if tf.name != DEMO_PEAK_NAME]
        world.set_timeframes(DEMO_GROUP, [*kept, window])
        self.say(
            f"{group.title}: peak shaving to {DEMO_PEAK_LIMIT} kW daily {begin:%H:%M}-{end:%H:%M}"
        )

    def step(self) -> list[str]:
        """Do what fell due since the last step; return the new log lines.

        Each event happens at the step that notices it (the worlds change at their
        clock's now) and is logged at the time it was due.
        """
        if self._last is None:
            self.start()
            return [text for _, text in self.log]
        now = self.sim.now()
        if now <= self._last:
            # The clock stood still, or a test set it back: nothing is due.
            self._last = now
            return []
        first = len(self.log)
        self.now = now
        for when, action in self._due(self._last, now):
            try:
                text = action(self)
            except MissingCloud:
                continue
            if text is not None:
                self.say(text, when)
        self._catch_up()
        self._last = now
        return [text for _, text in self.log[first:]]

    def _catch_up(self) -> None:
        """Bring every world to the clock (energy flows, routines run) and watch limits."""
        if "easee" in self.sim.clouds:
            self.easee.run()
        if "ampeco" in self.sim.clouds:
            self.ampeco.run()
        if "jedlix" in self.sim.clouds:
            self.jedlix.tick()
        self._watch_limits()

    def _watch_limits(self) -> None:
        """Log each ViriCiti group's limit when it changes (peak shaving, external)."""
        if "viriciti" not in self.sim.clouds:
            return
        world = self.viriciti
        for group in world.groups.values():
            layers = group.layers(self.now, world.lookahead)
            now = (layers.active, layers.limit)
            if self._limits.get(group.id) != now:
                self._limits[group.id] = now
                self.say(f"{group.title}: the limit is {layers.limit} kW ({layers.active})")

    def _due(self, after: datetime, until: datetime) -> list[tuple[datetime, Action]]:
        """Every event and hourly price change in ``(after, until]``, in time order."""
        after = max(after, until - MAX_CATCH_UP)
        due: list[tuple[datetime, int, Action]] = []
        day = after.astimezone(self.zone).date()
        last_day = until.astimezone(self.zone).date()
        while day <= last_day:
            for order, event in enumerate(self.events):
                when = datetime.combine(day, event.at, self.zone).astimezone(UTC)
                if after < when <= until:
                    due.append((when, order, event.action))
            day += timedelta(days=1)
        if "jedlix" in self.sim.clouds:
            hour = after.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            hour += timedelta(hours=1)
            while hour <= until:
                due.append((hour, -1, _price_action(hour)))
                hour += timedelta(hours=1)
        due.sort(key=lambda item: (item[0], item[1]))
        return [(when, action) for when, _, action in due]

    def price_line(self, hour: datetime) -> str:
        """The Jedlix demo location's all-in price of the hour containing ``hour``."""
        jedlix = self.jedlix
        location = jedlix.locations[jedlix.demo.location_id]
        slot = hour.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        price = Renderer(jedlix, self.now).dynamic_price(location, slot)
        local = slot.astimezone(self.zone)
        return f"Jedlix: the price from {local:%H:%M} is {price:.3f} EUR/kWh"

    async def run(self, interval: float = 1.0, echo: Callable[[str], None] | None = None) -> None:
        """Step every ``interval`` real seconds until cancelled, echoing each new line."""
        while True:
            first = len(self.log)
            self.step()
            if echo is not None:
                for when, text in self.log[first:]:
                    echo(f"{when.astimezone(self.zone):%Y-%m-%d %H:%M} {text}")
            await asyncio.sleep(interval)


def _price_action(hour: datetime) -> Action:
    def act(scenario: Scenario) -> str:
        return scenario.price_line(hour)

    return act
