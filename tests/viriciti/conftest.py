"""ViriCiti tests run Home Assistant in the demo depot's time zone.

No public ViriCiti answer names a group's time zone; the integration reads the cron
timeframes in Home Assistant's, as a depot's own Home Assistant would be set up.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.const import CONF_BASE_URL

from ..conftest import Sim
from ..helpers import open_form


@pytest.fixture(autouse=True)
async def depot_time_zone(request: pytest.FixtureRequest) -> None:
    """Home Assistant in Europe/Amsterdam, where the simulator's demo groups are."""
    if "hass" in request.fixturenames:
        hass = request.getfixturevalue("hass")
        await hass.config.async_set_time_zone("Europe/Amsterdam")


async def add_groups(hass: HomeAssistant, simulator: Sim, *group_ids: str) -> ConfigEntry:
    """Add the demo key through the config flow, naming these charger groups."""
    result = await open_form(hass, "viriciti")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "api_key": "viriciti-demo-key",
            "group_ids": ", ".join(group_ids),
            "advanced": {CONF_BASE_URL: simulator.url("viriciti")},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return result["result"]
