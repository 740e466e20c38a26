"""Bad cloud data (issue 14): what a broken cloud sends never reaches the user as-is.

Each class of bad data is driven through the real simulator and Home Assistant: values
outside a plausible range are unknown, meters never go down, an unreadable answer makes
entities unavailable with one log line (no traceback), dates out of a sane window are
unknown, the next limit change costs bounded work, attributes are bounded and units
come from our own table.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import logging
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from custom_components.smart_charging.clouds.models import (
    ChargerGroup,
    GroupLimit,
    LimitSource,
    LimitWindow,
    Timeframe,
)
from custom_components.smart_charging.clouds.parse import (
    POSITIONS,
    POWER_W,
    Plausible,
    as_currency,
    as_datetime,
    as_int,
    as_quantity,
)
from custom_components.smart_charging.location_sensor import MAX_DAY_PRICES
from custom_components.smart_charging.providers.viriciti.limits import next_change
from simulator.faults import Fault
from simulator.jedlix import DEMO_USER_ID

from .conftest import Sim, add_entry, advance, run_for
from .helpers import state_of

DRIVEWAY = "EH000001"  # charging in the demo world
STATE_PATH = f"/easee/api/chargers/{DRIVEWAY}/state"
CONFIG_PATH = f"/easee/api/chargers/{DRIVEWAY}/config"
SITE_STATE = "/easee/api/sites/501/state"
VIRICITI = "/viriciti/api/v1"
GROUP = "sensor.viriciti_group"
JEDLIX_USER = f"/jedlix/api/v2/users/{DEMO_USER_ID}"
LOCATION = "sensor.charging_location"
PARKED = "sensor.renault_zoe"

BROKEN_NUMBERS = [
    float("nan"),
    float("inf"),
    float("-inf"),
    1e308,
    -50.0,
    10**400,
    "12.5",
    True,
    [1.0],
    {"value": 1.0},
]


@pytest.fixture
async def easee(
    hass: HomeAssistant, simulator: Sim, sim_clock: FrozenDateTimeFactory
) -> ConfigEntry:
    """The demo Easee account, on the simulator's clock like the other clouds here."""
    return await add_entry(hass, simulator, "easee")


def _no_traceback(caplog: pytest.LogCaptureFixture, failures: int = 0) -> None:
    """No error, nothing with a traceback; ``failures`` warnings (a failed poll) at most.

    Home Assistant's coordinator adds the full error at debug level to its one line;
    that is for someone who turned debug logging on, not a traceback in the log.
    """
    shown = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert not [r for r in shown if r.exc_info or r.levelno >= logging.ERROR]
    ours = [
        r.getMessage()
        for r in shown
        if r.levelno >= logging.WARNING and r.name.startswith("custom_components.")
    ]
    assert len(ours) == failures, ours


def _easee_state(simulator: Sim, **override: Any) -> dict[str, Any]:
    return simulator.easee.chargers[DRIVEWAY].state_json() | override


def _serve_easee_state(simulator: Sim, **override: Any) -> None:
    """The charger's state with ``override`` on every read; the dashboard says nothing."""
    simulator.sim.faults.clear()
    simulator.sim.faults.add(
        Fault(path=SITE_STATE, status=200, body={"siteId": 501, "circuitStates": []}, times=None)
    )
    simulator.sim.faults.add(
        Fault(path=STATE_PATH, status=200, body=_easee_state(simulator, **override), times=None)
    )


def _raw_json(body: dict[str, Any]) -> str:
    """JSON as a careless server writes it: NaN and Infinity spelled out."""
    return json.dumps(body, allow_nan=True)


# --- values outside a plausible range are unknown ------------------------------------------


@pytest.mark.parametrize("value", BROKEN_NUMBERS)
async def test_implausible_power_current_and_energy_are_unknown(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    value: Any,
) -> None:
    """NaN, the infinities, 1e308, negatives, a number too big for a float or the wrong type.

    None of them is shown: every quantity of the charger reads unknown, poll after poll,
    and nothing raises.
    """
    assert state_of(hass, "sensor.driveway_power") == "17.25"
    fields = ("totalPower", "outputCurrent", "sessionEnergy", "lifetimeEnergy")
    body = _easee_state(simulator) | dict.fromkeys(fields, value)
    simulator.sim.faults.add(
        Fault(path=SITE_STATE, status=200, body={"siteId": 501, "circuitStates": []}, times=None)
    )
    simulator.sim.faults.add(
        Fault(path=STATE_PATH, kind="raw", status=200, body=_raw_json(body), times=None)
    )
    caplog.set_level(logging.DEBUG, logger="custom_components.smart_charging")
    for _ in range(3):
        await advance(hass, freezer, simulator, 90)
    assert state_of(hass, "sensor.driveway_power") == STATE_UNKNOWN
    assert state_of(hass, "sensor.driveway_current") == STATE_UNKNOWN
    assert state_of(hass, "sensor.driveway_status") == "charging"
    assert state_of(hass, "sensor.driveway_session_energy") == STATE_UNKNOWN
    assert state_of(hass, "sensor.driveway_lifetime_energy") == STATE_UNKNOWN
    _no_traceback(caplog)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -400.0, 1e308, 1e6])
async def test_implausible_settings_are_not_shown_on_numbers(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    value: float,
) -> None:
    """A dynamic current of NaN or a million amps: the number entity is unknown."""
    assert state_of(hass, "number.driveway_dynamic_charger_current") == "32.0"
    body = _easee_state(simulator) | {"dynamicChargerCurrent": value}
    simulator.sim.faults.add(
        Fault(path=SITE_STATE, status=200, body={"siteId": 501, "circuitStates": []}, times=None)
    )
    simulator.sim.faults.add(
        Fault(path=STATE_PATH, kind="raw", status=200, body=_raw_json(body), times=None)
    )
    await advance(hass, freezer, simulator, 150)
    assert state_of(hass, "number.driveway_dynamic_charger_current") == STATE_UNKNOWN
    _no_traceback(caplog)


@pytest.mark.parametrize(
    ("limit", "shown"),
    [(-400, STATE_UNKNOWN), (1e308, STATE_UNKNOWN), (float("nan"), STATE_UNKNOWN), (300, "300.0")],
)
async def test_implausible_group_limits_are_unknown(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    limit: float,
    shown: str,
) -> None:
    """A -400 kW or 1e308 kW external limit is not a limit anyone set."""
    freezer.move_to(simulator.sim.now())
    body = {
        "activeLimit": "external",
        "default": {"limit": 400},
        "external": {
            "limit": limit,
            "start": "2026-11-23T12:00:00.000+00:00",
            "end": "2026-11-23T14:00:00.000+00:00",
        },
    }
    simulator.sim.faults.add(
        Fault(
            path=f"{VIRICITI}/smartcharging/grouplimit/",
            kind="raw",
            method="GET",
            status=200,
            body=_raw_json(body),
            times=None,
        )
    )
    await add_entry(hass, simulator, "viriciti")
    assert state_of(hass, f"{GROUP}_external_limit") == shown
    assert state_of(hass, f"{GROUP}_default_limit") == "400.0"
    _no_traceback(caplog)


@pytest.mark.parametrize(
    ("battery", "range_km", "energy"),
    [
        (float("nan"), -10.0, -5.0),
        (250.0, 1e9, 1e308),
        (-1.0, 1e9, float("nan")),
        (1e308, -10.0, "2.0"),
    ],
)
async def test_implausible_car_and_solar_values_are_unknown(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    battery: Any,
    range_km: Any,
    energy: Any,
) -> None:
    """A battery at 250 % or NaN, a range of a billion km, negative solar energy: unknown."""
    freezer.move_to(simulator.sim.now())
    demo = simulator.jedlix.demo
    location = f"{JEDLIX_USER}/charging-locations/{demo.location_id}"
    solar = [
        {
            "startTime": "2026-11-23T10:00:00.000Z",
            "endTime": "2026-11-23T11:00:00.000Z",
            "energy": energy,
            "dataType": "Actual",
        }
    ]
    simulator.sim.faults.add(
        Fault(
            path=f"{location}/solar-energy",
            kind="raw",
            status=200,
            body=_raw_json(solar),
            times=None,
        )
    )
    # The parked car's own world: its battery level and the range the cloud works out.
    car = simulator.jedlix.vehicles[demo.parked_vehicle_id]
    car.level = battery
    car.range_km = lambda _level: range_km  # type: ignore[method-assign]
    await add_entry(hass, simulator, "jedlix")
    assert state_of(hass, f"{LOCATION}_solar_energy_today") == STATE_UNKNOWN
    assert state_of(hass, f"{PARKED}_battery") == STATE_UNKNOWN
    assert state_of(hass, f"{PARKED}_range") == STATE_UNKNOWN
    _no_traceback(caplog)


# --- meters never go down ---------------------------------------------------------------------


async def test_lifetime_energy_dip_is_held(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """1235.2 -> 100.0 -> 1236.7: the dip is never shown, so nothing is counted twice."""
    seen: list[float] = []
    for lifetime in (1235.2, 100.0, 0.0, 1235.0, 1236.7, 50.5, 1300.0):
        _serve_easee_state(simulator, lifetimeEnergy=lifetime)
        await advance(hass, freezer, simulator, 150)
        seen.append(float(state_of(hass, "sensor.driveway_lifetime_energy")))
    assert seen == [1235.2, 1235.2, 1235.2, 1235.2, 1236.7, 1236.7, 1300.0]
    _no_traceback(caplog)


async def test_session_energy_starts_again_only_for_a_new_session(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A dip within a session is held; the car leaving and a new one starting is a reset."""
    steps: list[tuple[dict[str, Any], float]] = [
        ({"sessionEnergy": 5.0}, 5.0),
        ({"sessionEnergy": 3.0}, 5.0),  # a dip: held
        ({"sessionEnergy": 5.5}, 5.5),
        ({"sessionEnergy": 5.5, "chargerOpMode": 1}, 5.5),  # the car leaves
        ({"sessionEnergy": 0.4}, 0.4),  # a new session
        ({"sessionEnergy": 0.2}, 0.4),  # a dip: held
        ({"sessionEnergy": 0.0}, 0.0),  # zero: a session starts again
    ]
    for override, shown in steps:
        _serve_easee_state(simulator, **override)
        # A charger without a car is read every 30 minutes, one charging every 2.
        await advance(hass, freezer, simulator, 1900 if shown == 0.4 else 150)
        assert float(state_of(hass, "sensor.driveway_session_energy")) == shown, override


async def test_a_held_meter_survives_a_restart(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """After a restart, a cloud that says 100.0 still shows the 1235.2 of before."""
    freezer.move_to(simulator.sim.now())
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.driveway_lifetime_energy", "1235.2"),
                {
                    "native_value": 1235.2,
                    "native_unit_of_measurement": "kWh",
                    "meter_period": None,
                },
            ),
            (
                State("sensor.driveway_session_energy", "9.0"),
                {"native_value": 9.0, "native_unit_of_measurement": "kWh", "meter_period": "x"},
            ),
        ],
    )
    _serve_easee_state(simulator, lifetimeEnergy=100.0, sessionEnergy=2.0)
    await add_entry(hass, simulator, "easee")
    assert state_of(hass, "sensor.driveway_lifetime_energy") == "1235.2"
    # Another period than the stored one: a session that started while we were away.
    assert state_of(hass, "sensor.driveway_session_energy") == "2.0"


async def test_solar_energy_today_starts_again_at_midnight_only(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The day's solar energy dipping within the day is held; a new day starts at zero."""
    freezer.move_to(simulator.sim.now())
    location = f"{JEDLIX_USER}/charging-locations/{simulator.jedlix.demo.location_id}"

    def serve(*energies: float) -> None:
        simulator.sim.faults.clear()
        points = [
            {
                "startTime": f"2026-11-23T{8 + i:02d}:00:00.000Z",
                "endTime": f"2026-11-23T{9 + i:02d}:00:00.000Z",
                "energy": energy,
                "dataType": "Actual",
            }
            for i, energy in enumerate(energies)
        ]
        simulator.sim.faults.add(
            Fault(path=f"{location}/solar-energy", status=200, body=points, times=None)
        )

    serve(1.0, 2.0)
    await add_entry(hass, simulator, "jedlix")
    assert state_of(hass, f"{LOCATION}_solar_energy_today") == "3.0"
    serve(1.0)  # a cloud that forgot an hour
    await advance(hass, freezer, simulator, 3600)
    await run_for(hass, freezer, simulator, 60)  # the hourly read: a tick between polls
    assert state_of(hass, f"{LOCATION}_solar_energy_today") == "3.0"
    serve(1.0, 2.5)
    await advance(hass, freezer, simulator, 3600)
    await run_for(hass, freezer, simulator, 60)  # the hourly read: a tick between polls
    assert state_of(hass, f"{LOCATION}_solar_energy_today") == "3.5"
    serve()  # the next day: nothing yet
    await advance(hass, freezer, simulator, 13 * 3600)
    await run_for(hass, freezer, simulator, 60)
    assert state_of(hass, f"{LOCATION}_solar_energy_today") in (STATE_UNKNOWN, "0.0")


# --- an unreadable answer is a typed error: one log line, unavailable, no traceback -------


@pytest.mark.parametrize(
    "fault",
    [
        Fault(path=SITE_STATE, kind="malformed", status=200, times=None),
        Fault(path=SITE_STATE, kind="raw", status=200, body='{"totalPower": 1\u00ff}', times=None),
        Fault(path=SITE_STATE, kind="raw", status=200, body="[" * 100_000, times=None),
        Fault(path=SITE_STATE, status=200, body=[1, 2, 3], times=None),
        Fault(path=SITE_STATE, status=200, body="charging", times=None),
    ],
    ids=["not-json", "not-utf8", "too-deep", "a-list", "a-string"],
)
async def test_unreadable_answers_make_entities_unavailable_without_a_traceback(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: Fault,
) -> None:
    """Whatever the cloud sends instead of a site's state, one line, nothing raises."""
    simulator.sim.faults.add(fault)
    for _ in range(3):
        await advance(hass, freezer, simulator, 150)
    assert state_of(hass, "sensor.driveway_power") == STATE_UNAVAILABLE
    assert state_of(hass, "sensor.driveway_lifetime_energy") == STATE_UNAVAILABLE
    _no_traceback(caplog, failures=1)
    simulator.sim.faults.clear()
    await advance(hass, freezer, simulator, 150)
    assert state_of(hass, "sensor.driveway_power") != STATE_UNAVAILABLE


# --- dates outside 2000-2100 are unknown, never an OverflowError ---------------------------


@pytest.mark.parametrize(
    "end",
    [
        "9999-12-31T23:59:59.999+00:00",
        "0001-01-01T00:00:00.000+00:00",
        "2999-01-01T00:00:00.000Z",
        "1999-12-31T23:00:00.000Z",
        "2026-13-45T99:00:00Z",
        12345,
    ],
)
async def test_limit_ends_out_of_the_window_are_unknown(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    end: Any,
) -> None:
    """An external limit "until 9999-12-31": no end shown, no OverflowError, poll after poll."""
    freezer.move_to(simulator.sim.now())
    body = {
        "activeLimit": "external",
        "default": {"limit": 400},
        "external": {"limit": 300, "start": "2026-11-23T12:00:00.000Z", "end": end},
        "upcoming": {"limit": 200, "start": end, "end": end},
    }
    simulator.sim.faults.add(
        Fault(
            path=f"{VIRICITI}/smartcharging/grouplimit/",
            method="GET",
            status=200,
            body=body,
            times=None,
        )
    )
    await add_entry(hass, simulator, "viriciti")
    for _ in range(3):
        await advance(hass, freezer, simulator, 120)
    assert state_of(hass, f"{GROUP}_external_limit_end") == STATE_UNKNOWN
    assert state_of(hass, f"{GROUP}_default_limit") == "400.0"
    _no_traceback(caplog)


@pytest.mark.parametrize("future", ["2999-01-01T00:00:00.000Z", "2090-01-01T00:00:00.000Z"])
async def test_a_sample_dated_in_the_future_does_not_stop_the_series(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    future: str,
) -> None:
    """A time-series sample from 2999 (or 2090) is left out; later samples are still read."""
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_1_limit") == "150.0"
    odd = [
        {
            "time": future,
            "groupLimit": 400,
            "limits": [{"chargestation": "charger_1", "position": 1, "limit": 7}],
        }
    ]
    simulator.sim.faults.add(Fault(path=f"{VIRICITI}/smartcharging/time/", status=200, body=odd))
    await advance(hass, freezer, simulator, 3600)
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_1_limit") == "150.0"
    later = [
        {
            "time": dt_now_iso(simulator),
            "groupLimit": 400,
            "limits": [{"chargestation": "charger_1", "position": 1, "limit": 42}],
        }
    ]
    simulator.sim.faults.add(
        Fault(path=f"{VIRICITI}/smartcharging/time/", status=200, body=later, times=None)
    )
    await advance(hass, freezer, simulator, 3600)
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_1_limit") == "42.0"


def dt_now_iso(simulator: Sim) -> str:
    """Now on the simulator's clock, as ViriCiti writes it."""
    return (simulator.sim.now() - timedelta(seconds=1)).isoformat()


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("0001-01-01T00:00:00Z", None),
        ("9999-12-31T23:59:59+00:00", None),
        ("2999-06-01T00:00:00Z", None),
        ("1970-01-01T00:00:00Z", None),
        ("2026-11-23T12:00:00", None),  # no offset
        ("x" * 10_000, None),
        ("2026-11-23T12:00:00Z", datetime(2026, 11, 23, 12, tzinfo=UTC)),
    ],
)
def test_the_date_reader_window(text: str, read: datetime | None) -> None:
    """Every client reads dates with this one reader."""
    assert as_datetime(text) == read


# --- the next limit change is bounded work ---------------------------------------------------


def _group(count: int, start: str, end: str) -> ChargerGroup:
    return ChargerGroup(
        id="g",
        title="g",
        default_limit_kw=400,
        timezone="Europe/Amsterdam",
        timeframes=tuple(
            Timeframe(name=str(i), start=start, end=end, limit_kw=100 + i) for i in range(count)
        ),
    )


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LAYERS = GroupLimit(source=LimitSource.DEFAULT, default_kw=400)


@pytest.mark.parametrize(
    ("count", "start", "end"),
    [
        (30, "* * * * *", "* * * * *"),
        (200, "* * * * *", "* * * * *"),
        (200, "* * * * *", "*/2 * * * *"),
        (200, "0 0 29 2 *", "* * * * *"),
        (1000, "*/5 * * * *", "* * * * *"),
    ],
)
def test_next_change_is_bounded_whatever_the_timeframes(count: int, start: str, end: str) -> None:
    """200 timeframes firing every minute cost milliseconds, not 18 s of the event loop."""
    began = time.perf_counter()
    next_change(_group(count, start, end), LAYERS, NOW)
    assert time.perf_counter() - began < 1.0


def test_next_change_still_found_among_many_timeframes() -> None:
    """Bounded work still finds a sane change: an external end, then the evening window."""
    group = _group(1, "0 18 * * *", "0 20 * * *")
    assert next_change(group, LAYERS, NOW) == (datetime(2026, 11, 23, 17, tzinfo=UTC), 100)
    external = GroupLimit(
        source=LimitSource.EXTERNAL,
        default_kw=400,
        external=LimitWindow(limit_kw=50, end=datetime(2026, 11, 23, 13, tzinfo=UTC)),
    )
    assert next_change(group, external, NOW) == (datetime(2026, 11, 23, 13, tzinfo=UTC), 400)


async def test_a_group_of_200_every_minute_timeframes_polls_quickly(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A cloud that sends 200 timeframes firing every minute: the group still loads fast."""
    freezer.move_to(simulator.sim.now())
    group = {
        "id": "ViriCitiGroup",
        "title": "ViriCiti Group",
        "groupLimit": 400,
        "timeframes": [
            {"name": str(i), "start": "* * * * *", "end": "*/2 * * * *", "limit": 100 + i}
            for i in range(200)
        ],
    }
    simulator.sim.faults.add(
        Fault(path=f"{VIRICITI}/smartcharging/chargergroup/", status=200, body=group, times=None)
    )
    began = time.process_time()  # the frozen clock stops perf_counter
    await add_entry(hass, simulator, "viriciti")
    await advance(hass, freezer, simulator, 120)
    assert time.process_time() - began < 5.0
    assert state_of(hass, f"{GROUP}_default_limit") == "400.0"
    _no_traceback(caplog)


# --- attributes are bounded; units come from our table ----------------------------------------


def _prices(count: int, currency: Any = "EUR") -> list[dict[str, Any]]:
    """``count`` price points from today's midnight (UTC), a few seconds apart."""
    midnight = datetime(2026, 11, 23, tzinfo=UTC)
    step = timedelta(days=2) / count
    return [
        {
            "startTime": (midnight + step * i).isoformat().replace("+00:00", "Z"),
            "endTime": (midnight + step * (i + 1)).isoformat().replace("+00:00", "Z"),
            "price": 0.2,
            "currency": currency,
            "dataType": "Actual",
        }
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [20_000, 2_000, 48])
async def test_price_attributes_are_bounded(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, count: int
) -> None:
    """20,000 price points: today and tomorrow list at most MAX_DAY_PRICES each."""
    freezer.move_to(simulator.sim.now())
    location = f"{JEDLIX_USER}/charging-locations/{simulator.jedlix.demo.location_id}"
    simulator.sim.faults.add(
        Fault(path=f"{location}/dynamic-tariffs", status=200, body=_prices(count), times=None)
    )
    await add_entry(hass, simulator, "jedlix")
    price = hass.states.get(f"{LOCATION}_current_price")
    assert price is not None
    assert price.state == "0.2"
    assert 0 < len(price.attributes["today"]) <= MAX_DAY_PRICES
    assert 0 < len(price.attributes["tomorrow"]) <= MAX_DAY_PRICES
    assert len(json.dumps(dict(price.attributes))) < 16_384


@pytest.mark.parametrize(
    ("currency", "unit"),
    [
        ("EUR", "EUR/kWh"),
        ("nok", "NOK/kWh"),
        ("E" * 807, None),
        ("XXX", None),
        ("€", None),
        ("EU<script>", None),
        (978, None),
        (None, None),
    ],
)
async def test_units_come_from_our_currency_table(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, currency: Any, unit: Any
) -> None:
    """A currency string of 807 characters is no unit; a code we know is."""
    freezer.move_to(simulator.sim.now())
    location = f"{JEDLIX_USER}/charging-locations/{simulator.jedlix.demo.location_id}"
    simulator.sim.faults.add(
        Fault(
            path=f"{location}/dynamic-tariffs",
            status=200,
            body=_prices(48, currency),
            times=None,
        )
    )
    await add_entry(hass, simulator, "jedlix")
    price = hass.states.get(f"{LOCATION}_current_price")
    assert price is not None
    assert price.attributes.get("unit_of_measurement") == unit
    assert as_currency(currency) == (unit.split("/")[0] if unit else None)


@pytest.mark.parametrize(
    ("value", "plausible", "read"),
    [
        (2, POSITIONS, 2),
        (65, POSITIONS, None),
        (-1, POSITIONS, None),
        (2.0, POSITIONS, 2),
        (2.5, POSITIONS, None),
    ],
)
def test_whole_numbers_keep_to_their_range(value: Any, plausible: Plausible, read: Any) -> None:
    """Positions and page sizes are read with a range too: 10**9 connectors is no charger."""
    assert as_int(value, plausible) == read


@pytest.mark.parametrize(
    ("watts", "read"), [(7400, 7.4), (-7400, None), (float("nan"), None), (1e12, None)]
)
def test_quantities_are_scaled_after_their_range(watts: float, read: float | None) -> None:
    """Watts are checked as watts, then shown as kilowatts."""
    assert as_quantity(watts, POWER_W, 1 / 1000) == read


@pytest.mark.parametrize(
    "stored",
    [
        {"native_value": "lots", "native_unit_of_measurement": "kWh"},
        {"native_value": 1235.2},  # no unit: not a sensor's stored data
        {"native_value": True, "native_unit_of_measurement": "kWh", "meter_period": 3},
    ],
)
async def test_unreadable_stored_meters_start_afresh(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, stored: dict[str, Any]
) -> None:
    """Stored data that cannot be read holds nothing: the cloud's value is shown."""
    freezer.move_to(simulator.sim.now())
    mock_restore_cache_with_extra_data(
        hass, [(State("sensor.driveway_lifetime_energy", "1235.2"), stored)]
    )
    _serve_easee_state(simulator, lifetimeEnergy=100.0)
    await add_entry(hass, simulator, "easee")
    assert state_of(hass, "sensor.driveway_lifetime_energy") == "100.0"


async def test_restore_data_is_saved_while_a_car_is_gone(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Restore data is saved with a car gone from the cloud's answer: no error.

    Home Assistant saves what sensors restore every 15 minutes, whether their device is
    in the cloud's latest answer or not; the car's energy total is kept for its return.
    """
    from homeassistant.helpers.restore_state import async_get as restore_data

    freezer.move_to(simulator.sim.now())
    await add_entry(hass, simulator, "jedlix")
    demo = simulator.jedlix.demo
    simulator.jedlix.remove_vehicle(demo.parked_vehicle_id)
    for _ in range(3):
        await advance(hass, freezer, simulator, 120)
    await restore_data(hass).async_dump_states()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    stored = restore_data(hass).last_states
    totals = [key for key in stored if key.endswith("_energy_charged")]
    assert totals
