"""The demo home's scenario (``python -m simulator --scenario``), on the frozen clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from simulator import Simulator
from simulator.ampeco import AmpecoCloud
from simulator.clock import SimClock
from simulator.clouds import all_clouds
from simulator.easee import CHARGING, EaseeCloud
from simulator.jedlix import JedlixCloud, Renderer
from simulator.scenario import (
    DEMO_PEAK_LIMIT,
    DEMO_PEAK_NAME,
    MAX_CATCH_UP,
    Event,
    MissingCloud,
    Scenario,
    ampeco_arrives,
    ampeco_leaves,
    depot_arrives,
    depot_leaves,
    easee_arrives,
    easee_leaves,
)
from simulator.viriciti import DEMO_GROUP, ViricitiCloud

HOME = ZoneInfo("Europe/Amsterdam")
# Monday 2026-11-23 13:00 in Amsterdam (UTC+1): the simulator's default start.
START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of November 2026 in the home's time zone."""
    return datetime(2026, 11, day, hour, minute, tzinfo=HOME)


class Home:
    """The four demo clouds on a frozen clock, and the scenario playing them."""

    def __init__(
        self, *, clouds: bool = True, events: list[Event] | None = None, demo_peak: bool = True
    ) -> None:
        self.sim = Simulator(clock=SimClock(start=START))
        if clouds:
            for cloud in all_clouds(self.sim):
                self.sim.clouds[cloud.prefix.strip("/")] = cloud
        self.scenario = Scenario(self.sim, events=events, demo_peak=demo_peak)

    def go(self, when: datetime) -> list[str]:
        """Set the clock to ``when`` and let the scenario catch up."""
        self.sim.clock.set(when)
        return self.scenario.step()

    @property
    def easee(self) -> EaseeCloud:
        """The Easee cloud."""
        return self.scenario.easee

    @property
    def ampeco(self) -> AmpecoCloud:
        """The AMPECO tenant."""
        return self.scenario.ampeco

    @property
    def viriciti(self) -> ViricitiCloud:
        """The ViriCiti account."""
        return self.scenario.viriciti

    @property
    def jedlix(self) -> JedlixCloud:
        """The Jedlix tenant."""
        return self.scenario.jedlix

    def price(self, hour: datetime) -> float:
        """The Jedlix demo location's price of the hour starting at ``hour``."""
        location = self.jedlix.locations[self.jedlix.demo.location_id]
        return Renderer(self.jedlix, hour).dynamic_price(location, hour.astimezone(UTC))

    def active_ampeco(self, charge_point_id: int) -> list[str]:
        """Statuses of the charge point's sessions that are still running."""
        return [
            s.status
            for s in self.ampeco.sessions.values()
            if s.charge_point_id == charge_point_id and s.status == "active"
        ]


@pytest.fixture
def home() -> Home:
    """The demo home with its scenario started at 13:00."""
    home = Home()
    home.scenario.start()
    return home


def test_the_start_is_lively(home: Home) -> None:
    """AMPECO's plugged-in car starts charging, a peak window is set, the price is told."""
    lines = [text for _, text in home.scenario.log]
    assert lines[0] == "scenario started"
    assert "AMPECO Driveway: session started" in lines
    assert home.active_ampeco(6) == ["active"]
    group = home.viriciti.group(DEMO_GROUP)
    window = next(tf for tf in group.timeframes if tf.name == DEMO_PEAK_NAME)
    # Twenty minutes after 13:00, rounded up to the next whole minute.
    assert (window.start, window.end, window.limit) == ("21 13 * * *", "51 13 * * *", 150)
    assert "ViriCiti Group: peak shaving to 150 kW daily 13:21-13:51" in lines
    price = home.price(START)
    assert f"Jedlix: the price from 13:00 is {price:.3f} EUR/kWh" in lines
    assert lines[-1] == "ViriCiti Group: the limit is 400 kW (default)"
    # Starting again replaces the window rather than adding a second one.
    home.scenario.start()
    assert [tf.name for tf in group.timeframes].count(DEMO_PEAK_NAME) == 1


def test_the_first_step_starts_the_scenario() -> None:
    """step() before start() starts it and returns the opening lines."""
    home = Home()
    lines = home.scenario.step()
    assert lines[0] == "scenario started"
    assert home.scenario.step() == []


def test_the_peak_shaving_window_comes_and_goes(home: Home) -> None:
    """The group's limit drops to the window's 150 kW, then back to 400 kW."""
    lines = home.go(local(23, 13, 30))
    assert lines == [f"ViriCiti Group: the limit is {DEMO_PEAK_LIMIT} kW (scheduled)"]
    assert home.viriciti.limits(DEMO_GROUP).limit == DEMO_PEAK_LIMIT
    assert home.go(local(23, 13, 55)) == ["ViriCiti Group: the limit is 400 kW (default)"]
    # The seed's own evening window: announced 15 minutes early, then scheduled.
    assert "ViriCiti Group: the limit is 200 kW (upcoming)" in home.go(local(23, 15, 50))
    assert "ViriCiti Group: the limit is 200 kW (scheduled)" in home.go(local(23, 16, 5))


def test_prices_change_every_hour(home: Home) -> None:
    """Each new hour's price is logged, as Jedlix serves it."""
    lines = home.go(local(23, 16, 30))
    price_lines = [line for line in lines if line.startswith("Jedlix")]
    hours = [local(23, h) for h in (14, 15, 16)]
    assert price_lines == [
        f"Jedlix: the price from {h:%H:%M} is {home.price(h):.3f} EUR/kWh" for h in hours
    ]
    assert len({home.price(h) for h in hours}) == 3


def test_cars_come_home_in_the_evening(home: Home) -> None:
    """Easee Garage (card tapped), AMPECO Garage and a depot position start charging."""
    lines = home.go(local(23, 18, 45))
    events = [line for line in lines if not line.startswith(("Jedlix", "ViriCiti Group"))]
    assert events == [
        "Easee Garage: a car arrives and wants 18 kWh",
        "AMPECO Garage: a car arrives, session started (25 kWh)",
        "ViriCiti charger_1 position 2: a vehicle plugs in",
    ]
    garage = home.easee.chargers["EH000002"]
    assert garage.car_connected
    assert garage.op_mode() == CHARGING
    assert home.active_ampeco(7) == ["active"]
    assert home.viriciti.station("charger_1").charging == {1, 2}
    # Logged at the time each was due, in order.
    due = [when for when, text in home.scenario.log if text.startswith(("Easee", "AMPECO G"))]
    assert due == [local(23, 17, 40), local(23, 17, 50)]
    # The Driveway's car was full by then: the Garage gets the circuit's 25 A alone.
    assert home.easee.chargers["EH000001"].op_mode() != CHARGING
    assert garage.available_current == pytest.approx(25.0)


def test_cars_leave_in_the_morning_and_return(home: Home) -> None:
    """Departures in the morning, the Driveway's car back in the evening."""
    home.go(local(23, 23, 30))
    lines = home.go(local(24, 9, 0))
    assert "ViriCiti charger_1 position 2: the vehicle leaves" not in lines  # at 23:00
    assert [line for line in lines if "leaves" in line] == [
        "ViriCiti charger_1 position 1: the vehicle leaves",
        "ViriCiti charger_2 position 1: the vehicle leaves",
        "AMPECO Garage: the car leaves",
        "Easee Driveway: the car leaves with 30.0 kWh",
        "Easee Garage: the car leaves with 18.0 kWh",
        "AMPECO Driveway: the car leaves",
    ]
    driveway = home.easee.chargers["EH000001"]
    assert not driveway.car_connected
    assert home.active_ampeco(6) == []
    assert home.viriciti.station("charger_2").charging == set()
    # The Jedlix car left at 07:30 by its own routine.
    assert home.jedlix.active_session(home.jedlix.demo.charging_vehicle_id) is None
    lines = home.go(local(24, 19, 0))
    assert "Easee Driveway: a car arrives and wants 24 kWh" in lines
    assert "AMPECO Driveway: a car arrives, session started (35 kWh)" in lines
    assert driveway.car_connected
    assert driveway.energy_wanted == 24.0
    assert home.jedlix.active_session(home.jedlix.demo.charging_vehicle_id) is not None


def test_nothing_happens_twice_or_backwards(home: Home) -> None:
    """A still clock brings nothing; a clock set back replays nothing."""
    home.go(local(23, 18, 45))
    assert home.scenario.step() == []
    assert home.go(local(23, 18, 0)) == []
    assert home.go(local(23, 18, 44)) == []
    assert home.go(local(23, 18, 46)) == []


def test_events_only_act_when_there_is_something_to_do() -> None:
    """Leaving an empty charger or arriving at an occupied one logs nothing."""
    home = Home(
        events=[
            Event(time(14, 0), easee_leaves("EH000002")),
            Event(time(14, 0), easee_arrives("EH000001", 10.0)),
            Event(time(14, 0), easee_leaves("EH999999")),
        ],
        demo_peak=False,
    )
    home.scenario.start()
    lines = home.go(local(23, 14, 30))
    assert [line for line in lines if line.startswith("Easee")] == []
    group = home.viriciti.group(DEMO_GROUP)
    assert DEMO_PEAK_NAME not in [tf.name for tf in group.timeframes]


def test_offline_or_busy_ampeco_charge_points_are_left_alone(home: Home) -> None:
    """The offline Cabin gets no car; a refused start logs nothing."""
    assert ampeco_arrives(8, 10.0)(home.scenario) is None
    assert ampeco_arrives(6, 10.0)(home.scenario) is None  # its session runs already
    assert ampeco_leaves(7)(home.scenario) is None  # nothing plugged in
    home.ampeco.plug_in(7)
    home.ampeco.set_online(7, False)
    assert not home.scenario.start_ampeco_session(7)
    home.ampeco.set_online(7, True)
    home.ampeco.charge_point(7).remote_start_stop = False
    assert ampeco_arrives(7, 10.0)(home.scenario) is None


def test_depot_events_skip_unknown_stations(home: Home) -> None:
    """Events for a station that is gone do nothing."""
    assert depot_arrives("charger_9", 1)(home.scenario) is None
    assert depot_leaves("charger_9", 1)(home.scenario) is None
    assert depot_leaves("charger_1", 2)(home.scenario) is None


def test_a_big_clock_jump_replays_only_the_last_week(home: Home) -> None:
    """Thirty days later, at most a week of events and prices is played."""
    lines = home.go(START + timedelta(days=30))
    prices = [line for line in lines if line.startswith("Jedlix")]
    assert len(prices) == MAX_CATCH_UP // timedelta(hours=1)


def test_a_simulator_without_clouds() -> None:
    """The scenario runs on whatever clouds there are; asking for a missing one fails."""
    home = Home(clouds=False)
    assert home.scenario.step() == ["scenario started"]
    assert home.go(START + timedelta(days=1)) == []
    with pytest.raises(MissingCloud, match="no easee cloud"):
        _ = home.easee


def test_a_scenario_without_the_demo_group(home: Home) -> None:
    """No demo group, no extra window (a world built by a test)."""
    home.viriciti.reset(demo=False)
    home.scenario.start()
    assert home.viriciti.groups == {}


async def test_run_steps_and_echoes(home: Home) -> None:
    """run() steps in a loop and echoes each new line with its local time."""
    echoed: list[str] = []
    task = asyncio.create_task(home.scenario.run(interval=0, echo=echoed.append))
    await asyncio.sleep(0)
    home.sim.clock.set(local(23, 13, 30))
    for _ in range(3):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "2026-11-23 13:21 ViriCiti Group: the limit is 150 kW (scheduled)" not in echoed
    assert "2026-11-23 13:30 ViriCiti Group: the limit is 150 kW (scheduled)" in echoed


async def test_run_without_echo(home: Home) -> None:
    """Without an echo, run() only plays the day."""
    task = asyncio.create_task(home.scenario.run(interval=0))
    home.sim.clock.set(local(23, 18, 45))
    for _ in range(3):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert home.easee.chargers["EH000002"].car_connected
