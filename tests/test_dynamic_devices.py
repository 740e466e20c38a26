"""Devices follow the cloud: new ones appear and removed ones go, without a reload."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from .conftest import Sim, add_entry, advance
from .helpers import find_device

TWO_HOURS = 2 * 3600


async def test_viriciti_charger_comes_and_goes(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A charger shows up once its group gives it power; a removed one leaves later.

    No public ViriCiti call lists a group's chargers: the time series is all there is.
    A removed charger gets 0 kW, and leaves when the series has not named it for 31
    days.
    """
    simulator.viriciti.add_station("charger_3", "ViriCitiGroup", positions=1)
    simulator.viriciti.start_session("charger_3", 1)
    await advance(hass, freezer, simulator, TWO_HOURS)
    new = find_device(hass, viriciti, "viriciti_station_charger_3")
    assert new is not None
    assert hass.states.get("sensor.charger_3_viriciti_group_position_1_limit") is not None
    simulator.viriciti.remove_station("charger_2")
    await advance(hass, freezer, simulator, TWO_HOURS)
    assert hass.states.get("sensor.charger_2_viriciti_group_position_1_limit").state == "0.0"
    for _ in range(32):
        await advance(hass, freezer, simulator, 24 * 3600)
    assert find_device(hass, viriciti, "viriciti_station_charger_2") is None


async def test_jedlix_car_comes_and_goes(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A car paired in Jedlix appears at the next poll; an unpaired one disappears.

    Its device is removed the way Home Assistant asks now (no warning about a
    deprecated call in the log).
    """
    freezer.move_to(simulator.sim.now())
    entry = await add_entry(hass, simulator, "jedlix")
    cloud = simulator.jedlix
    vehicle = cloud.add_vehicle(cloud.demo.user_id, brand="Kia", model="EV6")
    vehicle_id = vehicle.id
    await advance(hass, freezer, simulator, 120)
    assert hass.states.get("sensor.kia_ev6_battery") is not None
    cloud.remove_vehicle(cloud.demo.parked_vehicle_id)
    await advance(hass, freezer, simulator, 120)
    gone = find_device(hass, entry, f"jedlix_vehicle_{cloud.demo.parked_vehicle_id}")
    assert gone is None
    assert find_device(hass, entry, f"jedlix_vehicle_{vehicle_id}")
    assert "Detected that custom integration" not in caplog.text


async def test_jedlix_location_goes(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A charging location that leaves the account takes its sensors along, quietly.

    Home Assistant reads the price's unit while the sensor is unavailable too, when the
    location is no longer in the account's data: it keeps the unit it had. An account
    left without a location costs no more requests than one with a location.
    """
    freezer.move_to(simulator.sim.now())
    entry = await add_entry(hass, simulator, "jedlix")
    cloud = simulator.jedlix
    location_id = cloud.demo.location_id
    price = hass.states.get("sensor.charging_location_current_price")
    assert price is not None
    assert price.attributes["unit_of_measurement"] == "EUR/kWh"
    cloud.locations[location_id].user_id = "someone-else"
    # The locations are read again every two hours, between two polls.
    for _ in range(2 * 60 + 1):
        await advance(hass, freezer, simulator, 60)
    assert find_device(hass, entry, f"jedlix_location_{location_id}") is None
    assert hass.states.get("sensor.charging_location_current_price") is None
    assert "Unexpected error updating listener" not in caplog.text
    simulator.sim.log.clear()
    for _ in range(60):
        await advance(hass, freezer, simulator, 60)
    # An account without a location reads the (empty) list every two hours, as one with
    # a location does: not between every two polls.
    reads = [r for r in simulator.sim.log.matching(path="/jedlix") if r.path.endswith("-locations")]
    assert len(reads) <= 1


async def test_ampeco_charge_point_comes(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A charge point added to the tenant appears when the list is next read (30 min)."""
    simulator.ampeco.add_charge_point(name="Carport", modes=["user_controlled_schedule"])
    await advance(hass, freezer, simulator, 30 * 60)
    assert hass.states.get("sensor.carport_status") is not None
