"""Fixtures: Home Assistant's test harness and the simulator on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from unittest.mock import PropertyMock, patch

import aiohttp
from aiohttp.test_utils import TestServer
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.smart_charging.const import CONF_BASE_URL, CONF_PROVIDER, DOMAIN
from simulator import Simulator, create_app
from simulator.ampeco import AmpecoCloud
from simulator.clouds import all_clouds
from simulator.easee import EaseeCloud
from simulator.jedlix import DEMO_USER_ID, JedlixCloud
from simulator.viriciti import ViricitiCloud


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/smart_charging."""


@dataclass
class Sim:
    """The running simulator as tests see it."""

    sim: Simulator
    server: TestServer

    @property
    def root(self) -> str:
        """The simulator's base URL."""
        return str(self.server.make_url("")).rstrip("/")

    def url(self, cloud: str) -> str:
        """The base URL a client of ``cloud`` uses."""
        return f"{self.root}/{cloud}"

    @property
    def easee(self) -> EaseeCloud:
        """The simulated Easee cloud."""
        return self._cloud("easee", EaseeCloud)

    @property
    def viriciti(self) -> ViricitiCloud:
        """The simulated ViriCiti SDK."""
        return self._cloud("viriciti", ViricitiCloud)

    @property
    def ampeco(self) -> AmpecoCloud:
        """The simulated AMPECO tenant."""
        return self._cloud("ampeco", AmpecoCloud)

    @property
    def jedlix(self) -> JedlixCloud:
        """The simulated Jedlix tenant."""
        return self._cloud("jedlix", JedlixCloud)

    def _cloud[T](self, name: str, kind: type[T]) -> T:
        cloud = self.sim.clouds[name]
        assert isinstance(cloud, kind)
        return cloud


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncGenerator[Sim]:
    """Serve all four simulated clouds on a free port of 127.0.0.1."""
    sim = Simulator()
    # Tests jump Home Assistant's clock by hours; the server must not take that as
    # idle time and close the client's keep-alive connections under it.
    server = TestServer(create_app(sim, all_clouds(sim)), host="127.0.0.1")
    await server.start_server(keepalive_timeout=10**9, access_log=None)
    try:
        yield Sim(sim, server)
    finally:
        await server.close()


def entry_data(simulator: Sim, provider: str) -> dict[str, Any]:
    """Config entry data for the simulator's demo account of ``provider``."""
    data: dict[str, Any] = {CONF_PROVIDER: provider, CONF_BASE_URL: simulator.url(provider)}
    match provider:
        case "easee":
            data |= {"username": "demo@example.com", "password": "demo-password"}
        case "viriciti":
            data |= {"api_key": "viriciti-demo-key", "group_ids": "ViriCitiGroup"}
        case "ampeco":
            data |= {"api_token": "ampeco-demo-token"}
        case "jedlix":
            data |= {
                "api_key": "jedlix-demo-key",
                "user_id": DEMO_USER_ID,
                "token": "jedlix-demo-token",
            }
    return data


async def add_entry(
    hass: HomeAssistant, simulator: Sim, provider: str, *, stream: bool = False, **fields: str
) -> ConfigEntry:
    """Add the demo account of ``provider`` the way a user does: through the config flow.

    ``fields`` replace the demo account's answers (a benchmark's ViriCiti group ids).
    Easee's charger stream is on only with ``stream``: a test of polling then polls
    whatever the websocket's timing, and only a test of the stream connects to the hub.
    """
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": provider}
    )
    data = entry_data(simulator, provider) | fields
    del data[CONF_PROVIDER]
    if provider in ("easee", "viriciti"):
        data["advanced"] = {CONF_BASE_URL: data.pop(CONF_BASE_URL)}
    if provider == "easee":
        data["advanced"]["charger_stream"] = stream
    result = await hass.config_entries.flow.async_configure(result["flow_id"], data)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return result["result"]


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable the entities that are disabled by default, to test them too."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
        new_callable=PropertyMock,
    ):
        yield


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Sim, seconds: float
) -> None:
    """Let ``seconds`` pass for Home Assistant and the simulated clouds alike."""
    simulator.sim.clock.advance(seconds)
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    # Scheduled polls run as background tasks: wait for them too.
    await hass.async_block_till_done(wait_background_tasks=True)


async def run_for(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Sim, seconds: float
) -> None:
    """Let ``seconds`` pass tick by tick (30 s), as Home Assistant's own timer would."""
    for _ in range(round(seconds / 30)):
        await advance(hass, freezer, simulator, 30)


def describe(hass: HomeAssistant, entity_entry: er.RegistryEntry) -> dict[str, Any]:
    """What a user sees of an entity: its registry facts and its state, stable across runs."""
    state = hass.states.get(entity_entry.entity_id)
    return {
        "unique_id": entity_entry.unique_id,
        "translation_key": entity_entry.translation_key,
        "original_name": entity_entry.original_name,
        "device_class": entity_entry.original_device_class,
        "entity_category": entity_entry.entity_category,
        "unit": entity_entry.unit_of_measurement,
        "capabilities": entity_entry.capabilities,
        "state": state.state if state else None,
        "attributes": dict(state.attributes) if state else None,
    }


@pytest.fixture
async def another_host(simulator: Sim) -> AsyncGenerator[str]:
    """The same simulated clouds on a second port: to the integration, another host."""
    clouds = list(simulator.sim.clouds.values())
    server = TestServer(create_app(simulator.sim, clouds), host="127.0.0.1")
    await server.start_server(keepalive_timeout=10**9, access_log=None)
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


@pytest.fixture
def sim_clock(simulator: Sim, freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Home Assistant's clock on the simulator's: Monday 2026-11-23 12:00 UTC.

    The simulated clouds' prices, schedules and sessions are for the simulator's days.
    """
    freezer.move_to(simulator.sim.now())
    return freezer


# The demo accounts most tests start from, each added through the config flow.


@pytest.fixture
async def easee(hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory) -> ConfigEntry:
    """The demo Easee account: Driveway (a car charging) and Garage, on one site."""
    return await add_entry(hass, simulator, "easee")


@pytest.fixture
async def ampeco(
    hass: HomeAssistant, simulator: Sim, sim_clock: FrozenDateTimeFactory
) -> ConfigEntry:
    """The demo AMPECO tenant: charge point 6 offers solar, 7 a schedule and Nord Pool."""
    return await add_entry(hass, simulator, "ampeco")


@pytest.fixture
async def jedlix(
    hass: HomeAssistant, simulator: Sim, sim_clock: FrozenDateTimeFactory
) -> ConfigEntry:
    """The demo Jedlix user, in Amsterdam, where its charging location is."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    return await add_entry(hass, simulator, "jedlix")


@pytest.fixture
async def viriciti(
    hass: HomeAssistant, simulator: Sim, sim_clock: FrozenDateTimeFactory
) -> ConfigEntry:
    """The demo ViriCiti key and its charger group."""
    return await add_entry(hass, simulator, "viriciti")


@pytest.fixture
async def http() -> AsyncGenerator[aiohttp.ClientSession]:
    """A plain aiohttp session, as Home Assistant would lend a client."""
    async with aiohttp.ClientSession() as session:
        yield session
