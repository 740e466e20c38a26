"""Setting up and unloading an entry."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from simulator.faults import Fault

from .conftest import Sim, add_entry


async def test_setup_and_unload(hass: HomeAssistant, simulator: Sim) -> None:
    """An entry loads against the simulator and unloads cleanly."""
    entry = await add_entry(hass, simulator, "jedlix")
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_refused_credentials_start_reauth(hass: HomeAssistant, simulator: Sim) -> None:
    """A key the cloud no longer accepts fails setup and asks the user to sign in again."""
    entry = await add_entry(hass, simulator, "viriciti")
    simulator.viriciti.api_keys.clear()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_cloud_down_retries_setup(hass: HomeAssistant, simulator: Sim) -> None:
    """A cloud that is down makes setup retry later instead of failing for good."""
    entry = await add_entry(hass, simulator, "ampeco")
    simulator.sim.faults.add(Fault(path="/ampeco", status=502, times=None))
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
