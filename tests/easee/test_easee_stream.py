"""Easee's charger stream through Home Assistant: pushed changes, fallback, reauth, unload.

The integration subscribes over a real websocket to the simulator's SignalR hub, as
pyeasee does. The simulated clock stands still unless a test advances it, so a change
that shows without advancing it came through the stream, not a poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN
from custom_components.smart_charging.providers.easee.coordinator import EaseeCoordinator
from simulator.easee import SimCharger
from simulator.easee.stream import INVOCATION, RECORD_END, garbage
from simulator.faults import Fault

from ..conftest import Sim, add_entry, advance

DRIVEWAY = "EH000001"  # a car is charging
GARAGE = "EH000002"  # nothing plugged in; authorization required
HUB = "/easee/hubs/chargers"


async def _until(hass: HomeAssistant, condition: Callable[[], bool]) -> None:
    """Let the event loop run until ``condition`` holds (a bounded number of turns).

    The frozen clock stops the loop's timers, so this spins on socket events alone.
    """
    for _ in range(5000):
        if condition():
            return
        await asyncio.sleep(0)
        await hass.async_block_till_done()
    assert condition()


async def _spin(hass: HomeAssistant) -> None:
    """Let the event loop turn a while (the stream works in a task of its own)."""
    for _ in range(200):
        await asyncio.sleep(0)
    await hass.async_block_till_done()


def _coordinator(entry: ConfigEntry) -> EaseeCoordinator:
    coordinator = entry.runtime_data.coordinator
    assert isinstance(coordinator, EaseeCoordinator)
    return coordinator


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


@pytest.fixture
async def easee(hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory) -> ConfigEntry:
    """The demo account, its stream connected and subscribed to both chargers."""
    entry = await add_entry(hass, simulator, "easee", stream=True)
    coordinator = _coordinator(entry)
    await _until(hass, lambda: coordinator.stream_healthy)
    await _until(
        hass,
        lambda: any(len(c.subscribed) == 2 for c in simulator.easee.stream.connections.values()),
    )
    return entry


def _rest(simulator: Sim) -> list[str]:
    """The REST requests the simulator received (the hub's own excluded)."""
    return [e.path for e in simulator.sim.log.entries if not e.path.startswith(HUB)]


async def test_a_plug_in_shows_without_a_poll(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """A car plugged in shows at once, from the stream: nothing is read, the clock stands."""
    assert _state(hass, "sensor.garage_status") == "disconnected"
    simulator.sim.log.clear()
    simulator.easee.chargers[GARAGE].plug_in(20.0, simulator.sim.now())
    simulator.easee.run()
    await _until(hass, lambda: _state(hass, "sensor.garage_status") == "awaiting_start")
    assert _state(hass, "sensor.garage_reason_for_no_current") == "not_authorized"
    assert _state(hass, "binary_sensor.garage_cable_locked") == "on"
    assert _rest(simulator) == []


async def test_healthy_stream_polls_only_as_a_safety_net(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """With the stream up, an idle hour reads each site's state twice (every 30 minutes)."""
    simulator.sim.log.clear()
    for _ in range(60):
        await advance(hass, freezer, simulator, 60)
    site_reads = [p for p in _rest(simulator) if p == "/easee/api/sites/501/state"]
    assert len(site_reads) == 2
    assert len(_rest(simulator)) <= 6


async def test_drop_resumes_polling_then_reconnects(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A dropped stream: the site is read at once, then the stream comes back, resubscribed."""
    coordinator = _coordinator(easee)
    stream = simulator.easee.stream
    # An idle site (the car at the driveway leaves; the stream shows it).
    simulator.easee.chargers[DRIVEWAY].unplug(simulator.sim.now())
    simulator.easee.run()
    await _until(hass, lambda: _state(hass, "sensor.driveway_status") == "disconnected")
    stream.refuse_status = 503
    simulator.sim.log.clear()
    await stream.drop()
    await _until(hass, lambda: not coordinator.stream_healthy)
    await _until(hass, lambda: "/easee/api/sites/501/state" in _rest(simulator))
    # Polling goes on while the hub refuses, an idle site every 2 minutes (the
    # reconnection tries are requests too).
    simulator.sim.log.clear()
    await advance(hass, freezer, simulator, 90)
    assert "/easee/api/sites/501/state" not in _rest(simulator)
    await advance(hass, freezer, simulator, 30)
    assert "/easee/api/sites/501/state" in _rest(simulator)
    assert not coordinator.stream_healthy
    # The hub is back: the next try (at most 5 minutes later) reconnects and resubscribes.
    stream.refuse_status = None
    for _ in range(10):
        await advance(hass, freezer, simulator, 30)
        await _spin(hass)
        if coordinator.stream_healthy:
            break
    await _until(hass, lambda: coordinator.stream_healthy)
    await _until(hass, lambda: any(len(c.subscribed) == 2 for c in stream.connections.values()))
    simulator.easee.chargers[GARAGE].plug_in(20.0, simulator.sim.now())
    simulator.easee.run()
    await _until(hass, lambda: _state(hass, "sensor.garage_status") == "awaiting_start")


async def test_hub_refusing_a_renewed_token_retries_later(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A 401 from the hub renews the token; if the hub still refuses, it is tried later."""
    coordinator = _coordinator(easee)
    stream = simulator.easee.stream
    stream.refuse_status = 401
    simulator.sim.log.clear()
    await stream.drop()
    await _until(hass, lambda: not coordinator.stream_healthy)
    await _spin(hass)
    await advance(hass, freezer, simulator, 5)
    await _until(hass, lambda: _paths(simulator).count(f"{HUB}/negotiate") == 2)
    assert "/easee/api/accounts/refresh_token" in _paths(simulator)
    # REST still takes the token: no reauthentication, polling carries on.
    assert not _reauth_flows(hass)
    stream.refuse_status = None
    for _ in range(5):
        await advance(hass, freezer, simulator, 30)
        await _spin(hass)
    await _until(hass, lambda: coordinator.stream_healthy)
    assert easee.state is ConfigEntryState.LOADED


async def test_refused_credentials_start_reauth(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The hub refuses the token and Easee refuses a refresh and a new sign-in: reauth."""
    stream = simulator.easee.stream
    stream.refuse_status = 401
    simulator.sim.faults.add(
        Fault(path="/easee/api/accounts/refresh_token", status=401, times=None)
    )
    simulator.sim.faults.add(
        Fault(
            path="/easee/api/accounts/login",
            status=400,
            times=None,
            body={"title": "Invalid username or password"},
        )
    )
    await stream.drop()
    await _until(hass, lambda: not _coordinator(easee).stream_healthy)
    await _spin(hass)
    await advance(hass, freezer, simulator, 5)
    await _until(hass, lambda: bool(_reauth_flows(hass)))


def _paths(simulator: Sim) -> list[str]:
    return [e.path for e in simulator.sim.log.entries]


def _reauth_flows(hass: HomeAssistant) -> list[object]:
    flows = hass.config_entries.flow.async_progress_by_handler("smart_charging")
    return [f for f in flows if f["context"].get("source") == SOURCE_REAUTH]


async def test_garbage_is_data(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Odd observations and a broken frame: no traceback, states stay true, it reconnects."""
    coordinator = _coordinator(easee)
    frames = garbage(DRIVEWAY)
    authorization = _state(hass, "switch.driveway_authorization_required")
    await simulator.easee.stream.send_raw(frames[:-1])
    await _until(hass, lambda: _state(hass, "sensor.driveway_power") == "unknown")
    # Values that do not read as their type are unknown, never absurd; a setting that
    # does not read keeps its value; the rest (other ids, other chargers) is ignored.
    assert _state(hass, "sensor.driveway_status") == "unknown"
    assert _state(hass, "sensor.driveway_session_energy") == "unknown"
    assert _state(hass, "switch.driveway_authorization_required") == authorization
    assert _state(hass, "sensor.garage_status") == "disconnected"
    assert coordinator.stream_healthy
    # A frame that is not the hub protocol: that connection is given up, polling resumes.
    await simulator.easee.stream.send_raw(frames[-1:])
    await _until(hass, lambda: not coordinator.stream_healthy)
    await _until(hass, lambda: _state(hass, "sensor.driveway_status") == "charging")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    # The next poll (polling resumed at once) and the reconnection put everything right.
    for _ in range(5):
        await advance(hass, freezer, simulator, 30)
        await _spin(hass)
    await _until(hass, lambda: coordinator.stream_healthy)
    assert _state(hass, "sensor.driveway_power") == "17.25"


async def test_unload_closes_the_stream(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """Unloading the entry closes the websocket; the hub has no connection left."""
    assert simulator.easee.stream.connections
    assert await hass.config_entries.async_unload(easee.entry_id)
    assert easee.state is ConfigEntryState.NOT_LOADED
    await _until(hass, lambda: not simulator.easee.stream.connections)


async def test_the_stream_is_on_unless_turned_off(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A user who leaves Advanced alone gets the stream; turning it off polls only."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "easee"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "username": "demo@example.com",
            "password": "demo-password",
            "advanced": {CONF_BASE_URL: simulator.url("easee")},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    assert entry.data["charger_stream"] is True
    await _until(hass, lambda: _coordinator(entry).stream_healthy)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "username": "demo@example.com",
            "password": "demo-password",
            "advanced": {CONF_BASE_URL: simulator.url("easee"), "charger_stream": False},
        },
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    await _until(hass, lambda: not simulator.easee.stream.connections)
    simulator.sim.log.clear()
    for _ in range(3):
        await advance(hass, freezer, simulator, 90)
    assert not _coordinator(entry).stream_healthy
    assert not [p for p in _paths(simulator) if p.startswith(HUB)]
    assert _paths(simulator).count("/easee/api/sites/501/state") == 3


async def test_a_redirected_hub_is_not_followed(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A negotiate answered with a redirect: the token does not follow it; polling goes on."""
    coordinator = _coordinator(easee)
    trap = f"{simulator.root}/_redirected/easee"
    simulator.sim.faults.add(
        Fault(path=f"{HUB}/negotiate", status=307, headers={"Location": trap}, times=None)
    )
    simulator.sim.log.clear()
    await simulator.easee.stream.drop()
    await _until(hass, lambda: not coordinator.stream_healthy)
    for _ in range(4):
        await advance(hass, freezer, simulator, 30)
        await _spin(hass)
    assert f"{HUB}/negotiate" in _paths(simulator)
    assert not [p for p in _paths(simulator) if p.startswith("/_redirected")]
    assert not coordinator.stream_healthy
    assert "/easee/api/sites/501/state" in _rest(simulator)
    simulator.sim.faults.clear()
    for _ in range(12):
        await advance(hass, freezer, simulator, 30)
        await _spin(hass)
        if coordinator.stream_healthy:
            break
    await _until(hass, lambda: coordinator.stream_healthy)


@pytest.mark.parametrize(
    "refusing",
    [
        Fault(path=f"{HUB}/negotiate", status=429, headers={"Retry-After": "600"}),
        Fault(path=HUB, method="GET", status=429, headers={"Retry-After": "600"}),
    ],
    ids=["negotiate", "upgrade"],
)
async def test_a_hub_asking_to_wait_is_obeyed(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    refusing: Fault,
) -> None:
    """A 429 with Retry-After from the hub: nothing at all is sent to Easee until it passes."""
    coordinator = _coordinator(easee)
    simulator.sim.faults.add(refusing)
    await simulator.easee.stream.drop()
    await _until(hass, lambda: not coordinator.stream_healthy)
    for _ in range(3):
        await advance(hass, freezer, simulator, 5)
        await _spin(hass)
    await _until(hass, lambda: any(e.status == 429 for e in simulator.sim.log.entries))
    simulator.sim.log.clear()
    for _ in range(9):
        await advance(hass, freezer, simulator, 60)
        await _spin(hass)
    # Nine minutes: no site read (due every 2 minutes), no new try at the hub.
    assert _paths(simulator) == []
    assert not coordinator.stream_healthy
    for _ in range(3):
        await advance(hass, freezer, simulator, 60)
        await _spin(hass)
    assert "/easee/api/sites/501/state" in _paths(simulator)


@pytest.mark.parametrize(
    "fault",
    [
        # Not JSON, JSON without a connection id, an answer far larger than a negotiation.
        Fault(path=f"{HUB}/negotiate", kind="malformed"),
        Fault(path=f"{HUB}/negotiate", status=200, body={"negotiateVersion": 1}),
        Fault(path=f"{HUB}/negotiate", kind="raw", status=200, body="[" * 70_000),
        # The websocket's upgrade refused by a server error.
        Fault(path=HUB, method="GET", status=503),
    ],
    ids=["not-json", "no-connection-id", "oversized", "upgrade-503"],
)
async def test_a_hub_that_answers_nonsense_is_a_failed_try(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    fault: Fault,
) -> None:
    """An unusable answer from the hub is one failed try: polling serves, the next try works."""
    coordinator = _coordinator(easee)
    simulator.sim.faults.add(fault)
    simulator.sim.log.clear()
    await simulator.easee.stream.drop()
    await _until(hass, lambda: not coordinator.stream_healthy)
    await _until(hass, lambda: "/easee/api/sites/501/state" in _rest(simulator))
    for _ in range(12):
        await advance(hass, freezer, simulator, 5)
        await _spin(hass)
        if coordinator.stream_healthy:
            break
    await _until(hass, lambda: coordinator.stream_healthy)
    assert not simulator.sim.faults.faults


async def test_a_new_charger_is_followed_on_the_open_stream(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A charger added to the account is subscribed on the stream already open."""
    coordinator = _coordinator(easee)
    simulator.easee.add_charger(SimCharger("EH000009", "Carport", 501, 601))
    for _ in range(4):
        await advance(hass, freezer, simulator, 30 * 60)
        await _spin(hass)
    await _until(hass, lambda: hass.states.get("sensor.carport_status") is not None)
    assert coordinator.stream_healthy
    await _until(
        hass,
        lambda: any(
            "EH000009" in c.subscribed for c in simulator.easee.stream.connections.values()
        ),
    )
    simulator.sim.log.clear()
    simulator.easee.chargers["EH000009"].plug_in(20.0, simulator.sim.now())
    simulator.easee.run()
    await _until(hass, lambda: _state(hass, "sensor.carport_status") != "disconnected")
    assert _rest(simulator) == []


def _updates(*items: dict[str, object]) -> list[str]:
    """``ProductUpdate`` frames, one observation each."""
    return [
        json.dumps({"type": INVOCATION, "target": "ProductUpdate", "arguments": [item]})
        + RECORD_END
        for item in items
    ]


async def test_values_sent_as_json_are_read_as_text_ones(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """A hub sending numbers and booleans as JSON values instead of text: read the same."""
    await simulator.easee.stream.send_raw(
        _updates(
            {"mid": DRIVEWAY, "dataType": 3, "id": 120, "value": 7.5},
            {"mid": DRIVEWAY, "dataType": 2, "id": 103, "value": False},
            {"mid": DRIVEWAY, "dataType": 3, "id": 48, "value": 10},
        )
    )
    await _until(hass, lambda: _state(hass, "sensor.driveway_power") == "7.5")
    await _until(hass, lambda: _state(hass, "binary_sensor.driveway_cable_locked") == "off")
    await _until(hass, lambda: _state(hass, "number.driveway_dynamic_charger_current") == "10.0")
    # A boolean where a number belongs, a number where a boolean does: unknown, not wrong.
    await simulator.easee.stream.send_raw(
        _updates(
            {"mid": DRIVEWAY, "dataType": 3, "id": 120, "value": True},
            {"mid": DRIVEWAY, "dataType": 2, "id": 103, "value": 1},
        )
    )
    await _until(hass, lambda: _state(hass, "sensor.driveway_power") == "unknown")
    await _until(hass, lambda: _state(hass, "binary_sensor.driveway_cable_locked") == "unknown")
