"""HTTP edge cases: error bodies that say nothing, extra headers, URLs aiohttp refuses."""

from __future__ import annotations

import aiohttp
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.clouds.errors import AuthError, NotFoundError
from custom_components.smart_charging.clouds.http import HttpCore
from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN
from simulator.faults import Fault

from ..conftest import Sim
from ..helpers import open_form


async def test_an_error_body_without_a_message_gets_a_plain_one(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """A 404 whose body names no message (a list, an object without one, text) is "not found"."""
    core = HttpCore(http, simulator.root)
    simulator.sim.faults.add(Fault(path="/x", status=404, body=["gone"]))
    with pytest.raises(NotFoundError, match=r"^not found$"):
        await core.request("GET", "/x")
    # An object without any of the message fields the clouds use.
    simulator.sim.faults.add(Fault(path="/x", status=404, body={"code": 4041, "message": ""}))
    with pytest.raises(NotFoundError, match=r"^not found$"):
        await core.request("GET", "/x")
    # The simulator's own 404 for a path it does not serve is plain text.
    with pytest.raises(NotFoundError, match=r"^not found$"):
        await core.request("GET", "/no/such/path")


async def test_headers_given_with_one_request_reach_the_cloud(
    simulator: Sim, http: aiohttp.ClientSession
) -> None:
    """A header passed with a single request is sent with it (here ViriCiti's key)."""
    core = HttpCore(http, simulator.url("viriciti"))
    path = "/api/v1/smartcharging/chargergroup/ViriCitiGroup"
    with pytest.raises(AuthError):
        await core.request("GET", path)
    group = await core.request("GET", path, headers={"x-api-key": "viriciti-demo-key"})
    assert group["title"] == "ViriCiti Group"


async def test_a_base_url_with_a_port_out_of_range(hass: HomeAssistant, simulator: Sim) -> None:
    """A base URL with a port out of range is refused as invalid; nothing is created."""
    result = await open_form(hass, "viriciti")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            "api_key": "viriciti-demo-key",
            "group_ids": "ViriCitiGroup",
            "advanced": {CONF_BASE_URL: "http://127.0.0.1:99999"},
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_BASE_URL: "invalid_url"}
    assert hass.config_entries.async_entries(DOMAIN) == []
