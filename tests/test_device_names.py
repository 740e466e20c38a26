"""Devices of the same name stay apart, by name and entity id.

The demo Easee account and the demo AMPECO tenant both have a charger called
"Driveway": the second one set up is named with its cloud. Two cars of one model in
one account are numbered.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from custom_components.smart_charging.const import DOMAIN

from .conftest import Sim, add_entry


def _name(hass: HomeAssistant, key: str) -> str | None:
    devices = dr.async_get(hass).async_get_devices(identifiers={(DOMAIN, key)})
    assert len(devices) == 1, key
    return devices[0].name


async def test_same_name_in_two_clouds(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The first keeps "Driveway", the second is "Driveway (AMPECO)"; ids do not change."""
    freezer.move_to(simulator.sim.now())
    easee = await add_entry(hass, simulator, "easee")
    ampeco = await add_entry(hass, simulator, "ampeco")
    assert _name(hass, "easee_EH000001") == "Driveway"
    assert _name(hass, "ampeco_6") == "Driveway (AMPECO)"
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("sensor", DOMAIN, "easee_EH000001_status") == (
        "sensor.driveway_status"
    )
    assert registry.async_get_entity_id("sensor", DOMAIN, "ampeco_6_status") == (
        "sensor.driveway_ampeco_status"
    )
    ids = [entry.entity_id for entry in registry.entities.values() if entry.platform == DOMAIN]
    assert not [entity_id for entity_id in ids if entity_id.endswith("_2")]
    assert hass.states.get("sensor.driveway_ampeco_status") is not None

    # Loaded again, in the other order, each keeps its name.
    for entry in (easee, ampeco):
        assert await hass.config_entries.async_unload(entry.entry_id)
    for entry in (ampeco, easee):
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _name(hass, "easee_EH000001") == "Driveway"
    assert _name(hass, "ampeco_6") == "Driveway (AMPECO)"


async def test_a_name_no_other_entry_has_stays_plain(
    hass: HomeAssistant, ampeco: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Alone, the AMPECO charger is plain "Driveway"."""
    assert _name(hass, "ampeco_6") == "Driveway"
    assert hass.states.get("sensor.driveway_status") is not None


async def test_two_cars_of_one_model(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Of two Renault Zoes, one is "Renault Zoe (2)", with entity ids of its own.

    Numbers go to devices seen for the first time: loaded again, with a third Zoe added
    meanwhile, the first two keep their names and the third is "Renault Zoe (3)".
    """
    freezer.move_to(simulator.sim.now())
    cloud = simulator.jedlix
    added = cloud.add_vehicle(cloud.demo.user_id, brand="Renault", model="Zoe").id
    entry = await add_entry(hass, simulator, "jedlix")
    keys = [f"jedlix_vehicle_{cloud.demo.parked_vehicle_id}", f"jedlix_vehicle_{added}"]
    names = {key: str(_name(hass, key)) for key in keys}
    assert sorted(names.values()) == ["Renault Zoe", "Renault Zoe (2)"]
    registry = er.async_get(hass)
    for key, name in names.items():
        expected = (
            "sensor.renault_zoe_2_battery"
            if name.endswith("(2)")
            else ("sensor.renault_zoe_battery")
        )
        assert registry.async_get_entity_id("sensor", DOMAIN, f"{key}_battery_level") == expected
        assert hass.states.get(expected) is not None

    assert await hass.config_entries.async_unload(entry.entry_id)
    third = cloud.add_vehicle(cloud.demo.user_id, brand="Renault", model="Zoe").id
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert {key: str(_name(hass, key)) for key in keys} == names
    assert _name(hass, f"jedlix_vehicle_{third}") == "Renault Zoe (3)"
