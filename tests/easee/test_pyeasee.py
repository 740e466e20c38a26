"""pyeasee, the public Easee client, against the simulator: the simulator speaks Easee.

pyeasee 0.8.21 (PyPI) is what the easee_hass integration's users run against the real
cloud. Every call it makes for a feature of ours must succeed against the simulator, and
what it parses must equal the simulator's world and what our entities show.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pyeasee import Easee
from pyeasee.charger import Charger, ChargerConfig, ChargerState
from pyeasee.site import Circuit, Site, SiteState
import pytest

from simulator.easee import EaseeCloud, SimCharger

from ..conftest import Sim, add_entry

LOGIN = ("demo@example.com", "demo-password")
DRIVEWAY, GARAGE = "EH000001", "EH000002"


@pytest.fixture
async def easee(simulator: Sim) -> AsyncGenerator[Easee]:
    """pyeasee, signed in to the simulator instead of api.easee.com."""
    client = Easee(*LOGIN)
    client.base = simulator.url("easee")
    try:
        yield client
    finally:
        await client.close()


def _world(cloud: EaseeCloud, charger_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The simulator's own state and config of a charger, as its routes would answer."""
    cloud.run()
    charger = cloud.chargers[charger_id]
    return cloud.state_of(charger), cloud.config_of(charger)


async def _site_and_circuit(easee: Easee) -> tuple[Site, Circuit]:
    sites = await easee.get_sites()
    assert [site.id for site in sites] == [501]
    circuits = sites[0].get_circuits()
    assert [circuit.id for circuit in circuits] == [601]
    return sites[0], circuits[0]


async def test_pyeasee_reads_what_the_simulator_holds(easee: Easee, simulator: Sim) -> None:
    """Sign in, list chargers and sites, read the site state and each charger's config."""
    cloud = simulator.easee
    chargers = await easee.get_chargers()
    assert all(isinstance(c, Charger) for c in chargers)
    assert {c.id: (c.name, c.product_code) for c in chargers} == {
        DRIVEWAY: ("Driveway", 100),
        GARAGE: ("Garage", 100),
    }
    site, circuit = await _site_and_circuit(easee)
    assert (site.name, circuit["ratedCurrent"]) == ("Home", 25.0)
    assert {c.id for c in circuit.get_chargers()} == {DRIVEWAY, GARAGE}

    site_state = await easee.get_site_state(str(site.id))
    assert isinstance(site_state, SiteState)
    for charger in chargers:
        state, config = _world(cloud, charger.id)
        raw_state = site_state.get_charger_state(charger.id, raw=True)
        raw_config = site_state.get_charger_config(charger.id, raw=True)
        assert isinstance(raw_state, ChargerState)
        assert isinstance(raw_config, ChargerConfig)
        assert raw_state.get_data() == state
        assert raw_config.get_data() == config
        # pyeasee's readable form maps every code the simulator sends.
        shown = site_state.get_charger_state(charger.id)
        assert shown["chargerOpMode"] in {"CHARGING", "DISCONNECTED"}
        assert str(shown["reasonForNoCurrent"]).startswith(f"({state['reasonForNoCurrent']})")
        assert site_state.get_charger_config(charger.id)["phaseMode"] == "Auto"
        # The charger's own config read agrees with the site state.
        assert (await charger.get_config(raw=True)).get_data() == config

    driveway = next(c for c in chargers if c.id == DRIVEWAY)
    observations = await driveway.get_observations(109, 96, 120)
    assert {o["id"]: o["value"] for o in observations} == {
        109: cloud.chargers[DRIVEWAY].op_mode(),
        96: cloud.chargers[DRIVEWAY].reason(),
        120: cloud.chargers[DRIVEWAY].power_kw(),
    }


async def _state_after(easee: Easee, simulator: Sim, charger_id: str) -> dict[str, Any]:
    """The charger's state pyeasee reads once the cloud carried out what was sent."""
    simulator.sim.clock.advance(simulator.easee.command_delay.total_seconds() + 1)
    site_state = await easee.get_site_state("501")
    state = site_state.get_charger_state(charger_id, raw=True).get_data()
    assert state == _world(simulator.easee, charger_id)[0]
    return dict(state)


async def test_every_command_and_setting_we_use(easee: Easee, simulator: Sim) -> None:
    """Commands, settings and dynamic currents through pyeasee's own calls all succeed."""
    cloud = simulator.easee
    chargers = {c.id: c for c in await easee.get_chargers()}
    garage, driveway = chargers[GARAGE], chargers[DRIVEWAY]
    cloud.chargers[GARAGE].plug_in(20.0, simulator.sim.now())

    assert (await garage.start()).status == 202
    assert (await _state_after(easee, simulator, GARAGE))["chargerOpMode"] == 3
    assert (await garage.pause()).status == 202
    assert (await _state_after(easee, simulator, GARAGE))["reasonForNoCurrent"] == 52
    assert (await garage.resume()).status == 202
    assert (await _state_after(easee, simulator, GARAGE))["chargerOpMode"] == 3
    assert (await garage.toggle()).status == 202  # authorization required: ends the session
    assert (await _state_after(easee, simulator, GARAGE))["chargerOpMode"] == 2
    assert (await garage.stop()).status == 202
    cloud.chargers[DRIVEWAY].schedule_pending = True
    assert (await driveway.override_schedule()).status == 202
    assert (await _state_after(easee, simulator, DRIVEWAY))["chargerOpMode"] == 3

    assert (await driveway.smart_charging(True)).status == 202
    assert (await driveway.smartButtonEnabled(True)).status == 202
    assert (await driveway.set_max_charger_current(20)).status == 202
    assert (await driveway.enable_idle_current(True)).status == 202
    assert (await driveway.phaseMode(3)).status == 202
    assert (await driveway.set_led_strip_brightness(70)).status == 202
    # The access settings of seed 003 have no pyeasee method: sent through its transport.
    access = {"authorizationRequired": True, "localAuthorizeOfflineEnabled": False}
    response = await easee.post(f"/api/chargers/{DRIVEWAY}/settings", json=access)
    assert response.status == 202
    assert (await driveway.set_dynamic_charger_current(12)).status == 202
    state = await _state_after(easee, simulator, DRIVEWAY)
    assert (state["smartCharging"], state["dynamicChargerCurrent"]) == (True, 12.0)
    config = (await driveway.get_config(raw=True)).get_data()
    assert config == _world(cloud, DRIVEWAY)[1]
    assert {key: config[key] for key in (*access, "maxChargerCurrent", "phaseMode")} == {
        **access,
        "maxChargerCurrent": 20.0,
        "phaseMode": 3,
    }
    assert (config["smartButtonEnabled"], config["enableIdleCurrent"]) == (True, True)
    assert config["ledStripBrightness"] == 70

    # The circuit: its dynamic current, its maximum and its offline fallback.
    _, circuit = await _site_and_circuit(easee)
    assert (await circuit.set_dynamic_current(10, timeToLive=5)).status == 202
    assert (await circuit.set_max_current(16)).status == 200
    assert (await circuit.set_max_offline_current(8)).status == 200
    assert cloud.sites[0].circuits[0].limit(simulator.sim.now()) == 10
    site_state = await easee.get_site_state("501")
    assert site_state.get_charger_config(DRIVEWAY, raw=True)["circuitMaxCurrentP1"] == 16
    assert site_state.get_charger_state(DRIVEWAY, raw=True)["offlineMaxCircuitCurrentP3"] == 8
    # Through the charger, as pyeasee offers it too.
    charger = next(c for c in circuit.get_chargers() if c.id == DRIVEWAY)
    assert (await charger.set_dynamic_charger_circuit_current(9)).status == 202
    assert cloud.sites[0].circuits[0].limit(simulator.sim.now()) == 9


# Our entities and the pyeasee field each shows (state, or config when marked).
SHOWN: dict[str, tuple[str, bool]] = {
    "sensor.{}_power": ("totalPower", False),
    "sensor.{}_current": ("outputCurrent", False),
    "sensor.{}_session_energy": ("sessionEnergy", False),
    "sensor.{}_lifetime_energy": ("lifetimeEnergy", False),
    "sensor.{}_dynamic_charger_current": ("dynamicChargerCurrent", False),
    "number.{}_dynamic_charger_current": ("dynamicChargerCurrent", False),
    "sensor.{}_reason_for_no_current_code": ("reasonForNoCurrent", False),
    "sensor.{}_led_mode": ("ledMode", False),
    "binary_sensor.{}_connectivity": ("isOnline", False),
    "binary_sensor.{}_cable_locked": ("cableLocked", False),
    "switch.{}_smart_charging": ("smartCharging", False),
    "switch.{}_authorization_required": ("authorizationRequired", True),
    "switch.{}_authorize_offline_with_local_rfid_list": ("localAuthorizeOfflineEnabled", True),
    "switch.{}_allow_offline_charging_for_unknown_rfid": ("allowOfflineTxForUnknownId", True),
    "switch.{}_smart_button_forwarding": ("smartButtonEnabled", True),
}
# pyeasee's readable op modes (charger.py STATUS) and our status sensor's states.
STATUS = {
    "CHARGING": "charging",
    "DISCONNECTED": "disconnected",
    "AWAITING_START": "awaiting_start",
}


def _as_shown(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(float(value)) if isinstance(value, float) else str(value)


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_entities_show_what_pyeasee_reads(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, easee: Easee
) -> None:
    """For every field our entities show, pyeasee reads the same value."""
    cloud = simulator.easee
    garage: SimCharger = cloud.chargers[GARAGE]
    garage.plug_in(10.0, simulator.sim.now())  # waits for authorization: reason 55
    garage.settings["smartButtonEnabled"] = True
    # The simulated clock stands still: pyeasee reads the world our first poll read.
    await add_entry(hass, simulator, "easee")
    site_state = await easee.get_site_state("501")
    compared = 0
    for charger_id, name in ((DRIVEWAY, "driveway"), (GARAGE, "garage")):
        state = site_state.get_charger_state(charger_id, raw=True)
        config = site_state.get_charger_config(charger_id, raw=True)
        for pattern, (field, in_config) in SHOWN.items():
            shown = hass.states.get(pattern.format(name))
            assert shown is not None, pattern.format(name)
            value = (config if in_config else state)[field]
            expected = _as_shown(value)
            if isinstance(value, float) and shown.state != expected:
                assert float(shown.state) == pytest.approx(value, abs=1e-3), pattern
            else:
                assert shown.state == expected, (pattern.format(name), field)
            compared += 1
        readable = site_state.get_charger_state(charger_id)["chargerOpMode"]
        status = hass.states.get(f"sensor.{name}_status")
        assert status is not None
        assert status.state == STATUS[readable]
    assert compared == 2 * len(SHOWN)


async def _until(arrived: asyncio.Event, condition: Callable[[], bool]) -> None:
    """Wait (10 s at most) until the stream has brought what ``condition`` looks for."""
    async with asyncio.timeout(10):
        while not condition():
            await arrived.wait()
            arrived.clear()


async def test_pyeasee_streams_changes(easee: Easee, simulator: Sim) -> None:
    """Subscribe over SignalR as pyeasee does: the current values, then each change."""
    cloud = simulator.easee
    easee.sr_base = f"{simulator.url('easee')}/hubs/chargers"
    received: list[tuple[str, int, int, Any]] = []
    arrived = asyncio.Event()

    async def callback(charger_id: str, data_type: int, obs_id: int, value: Any) -> None:
        received.append((charger_id, data_type, obs_id, value))
        arrived.set()

    garage = next(c for c in await easee.get_chargers() if c.id == GARAGE)
    await easee.sr_subscribe(garage, callback)
    # Op mode (109, an integer) and cable lock (103, a boolean) as pyeasee converts them.
    await _until(arrived, lambda: (GARAGE, 4, 109, 1) in received)
    assert (GARAGE, 2, 103, False) in received
    assert easee.sr_is_connected()
    cloud.chargers[GARAGE].plug_in(10.0, simulator.sim.now())
    cloud.run()
    await _until(arrived, lambda: (GARAGE, 4, 109, 2) in received)
    assert (GARAGE, 4, 96, 55) in received  # waiting for authorization (seed 003)
    assert (GARAGE, 2, 103, True) in received
    # Only changes follow the current values: the lifetime energy was sent once.
    assert [r for r in received if r[2] == 124] == [(GARAGE, 3, 124, 1234.5)]
