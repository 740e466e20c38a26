"""An id from a user or a cloud never changes the path it is put into.

Every client puts ids into paths through one function, which refuses what is not an id
before anything is sent; ids a cloud sends are read with the same rule, so a device
whose id is not an id is left out instead of being asked for at another path.
"""

from __future__ import annotations

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.smart_charging.clouds.easee.client import EaseeClient
from custom_components.smart_charging.clouds.errors import InvalidIdError
from custom_components.smart_charging.clouds.http import segment
from custom_components.smart_charging.clouds.jedlix.client import JedlixClient
from custom_components.smart_charging.clouds.jedlix.parse import parse_session, parse_vehicle
from custom_components.smart_charging.clouds.parse import as_id
from custom_components.smart_charging.clouds.viriciti.client import ViricitiClient
from simulator.faults import Fault
from simulator.jedlix import DEMO_USER_ID

from ..conftest import Sim, add_entry
from ..helpers import find_device

NOT_IDS = [
    "",
    ".",
    "..",
    "../sites",
    "a/b",
    "%2e%2e",
    "%2F",
    "a b",
    "a\nb",
    "a\x00b",
    "-leading",
    "x" * 129,
    "é",
    "a?b=c",
    "a#b",
]


@pytest.mark.parametrize("value", NOT_IDS)
def test_what_is_not_an_id_is_refused_and_read_as_none(value: str) -> None:
    """The path guard refuses it; the readers read it as no id at all."""
    with pytest.raises(InvalidIdError):
        segment(value)
    assert as_id(value) is None


@pytest.mark.parametrize(
    "value", ["EH000001", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "charger_1", "42", 42, "a.b_c-d"]
)
def test_real_ids_pass_unchanged(value: str | int) -> None:
    """Serial numbers, UUIDs, names and numbers are ids."""
    assert segment(value) == str(value)
    assert as_id(value) == str(value)


@pytest.mark.parametrize("value", ["..", "../state", "a/b", "%2e%2e", "a\r\nX-Evil: 1"])
async def test_nothing_is_sent_for_an_id_that_is_not_one(
    simulator: Sim, http: aiohttp.ClientSession, value: str
) -> None:
    """Every client refuses before sending: Easee, ViriCiti, Jedlix alike."""
    easee = EaseeClient(http, simulator.url("easee"), "demo@example.com", "demo-password")
    viriciti = ViricitiClient(http, simulator.url("viriciti"), "viriciti-demo-key")
    jedlix = JedlixClient(
        http, simulator.url("jedlix"), "jedlix-demo-key", DEMO_USER_ID, "jedlix-demo-token"
    )
    with pytest.raises(InvalidIdError):
        await easee.async_state(value)
    with pytest.raises(InvalidIdError):
        await viriciti.async_group_limit(value)
    with pytest.raises(InvalidIdError):
        await jedlix.async_dismiss_message(value)
    with pytest.raises(InvalidIdError):
        await jedlix.async_vehicle(value)
    assert [
        e for e in simulator.sim.log.entries if e.path.startswith(("/viriciti", "/jedlix"))
    ] == []
    assert not [e for e in simulator.sim.log.entries if "/state" in e.path]


@pytest.mark.parametrize("value", ["..", "../messages", "a/b", "x y"])
def test_cloud_items_whose_id_is_not_an_id_are_left_out(value: str) -> None:
    """A car or a session the cloud names with a non-id is not read at all."""
    assert parse_vehicle({"id": value, "brand": "Tesla"}) is None
    assert parse_session({"id": value, "status": "Active"}) is None
    session = parse_session({"id": "s1", "status": "Active", "vehicleId": value})
    assert session is not None
    assert session.vehicle_id is None


async def test_a_charger_the_cloud_names_with_a_path_is_not_shown(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """An Easee charger listed as ``../sites`` gets no device and no request of its own."""
    freezer.move_to(simulator.sim.now())
    listed = [c.summary_json() for c in simulator.easee.chargers.values()]
    hostile = listed[0] | {"id": "../sites", "name": "Hostile"}
    simulator.sim.faults.add(
        Fault(path="/easee/api/chargers", method="GET", status=200, body=[*listed, hostile])
    )
    entry = await add_entry(hass, simulator, "easee")
    names = {d.name for d in dr.async_entries_for_config_entry(device_registry, entry.entry_id)}
    assert "Hostile" not in names
    assert {"Driveway", "Garage"} <= names
    assert not [e for e in simulator.sim.log.entries if ".." in e.path]
    assert find_device(hass, entry, "easee_../sites") is None
