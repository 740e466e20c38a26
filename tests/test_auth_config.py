"""Issue 14: what an attacker or a careless user can type into the flows, and the answers.

Every case goes through the real config or options flow against the simulator and
checks the form error, what the simulator received and that nothing was logged as an
error (no traceback).
"""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE, ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN
from custom_components.smart_charging.inputs import url_error

from .conftest import Sim, add_entry, entry_data
from .helpers import open_form

# Addresses that are no usable base URL, whatever the cloud: invalid_url.
INVALID = [
    "https://user:secret@{host}/x",  # user info would be sent with every request
    "https://user@{host}/x",
    "https://:secret@{host}/x",
    "https://{host}/x?apiKey=1",  # the client appends paths to the base
    "https://{host}/x?",
    "https://{host}/x#frag",
    "https://{host}/x#",
    "https://{host}/x\r\nX-Injected: 1",
    "https://{host}/x\ny",
    "https://{host}/\rx",
    "https://{host}/x\x00",
    "https://{host}/a b",
    "https://{host}/\tx",
    "https://{host}/" + "a" * 100_000,
    "ftp://{host}/x",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "ws://{host}/x",
    "https:///x",
    "//{host}/x",
    "{host}/x",
    "https://{host}:99999/x",
    "https://{host}:port/x",
    "https://exa_mple.com/x",
    "https://{host}\\@evil.example/x",
    "https://{host}/x\\y",
    "https://[::1/x",
    "https://-bad-.example.com",
    "https://" + "a" * 64 + ".example.com",  # a DNS label is at most 63 characters
    "",
]
# http:// to another computer: insecure_url (credentials would cross a network in clear).
INSECURE = [
    "http://api.easee.com",
    "http://cp.example.com/x",
    "http://10.0.0.2:8123/x",
    "http://192.168.1.10",
    "http://[fe80::1]/x",
    "http://127.0.0.1.example.com/x",
    "http://localhost.example.com/x",
    "http://0.0.0.0/x",
]


def _no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Traceback" not in caplog.text


def _form_input(simulator: Sim, provider: str, **changes: Any) -> dict[str, Any]:
    data = entry_data(simulator, provider) | changes
    del data["provider"]
    if provider in ("easee", "viriciti"):
        data["advanced"] = {CONF_BASE_URL: data.pop(CONF_BASE_URL)}
    return data


async def _submit(hass: HomeAssistant, provider: str, user_input: dict[str, Any]) -> Any:
    result = await open_form(hass, provider)
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def _flow(hass: HomeAssistant, entry: ConfigEntry, source: str) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": source, "entry_id": entry.entry_id},
        data=entry.data if source == SOURCE_REAUTH else None,
    )
    return str(result["flow_id"])


def _host(simulator: Sim) -> str:
    return simulator.root.split("//", 1)[1]


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["ampeco", "viriciti", "jedlix"])
@pytest.mark.parametrize("template", INVALID)
async def test_malformed_addresses_are_invalid_url(
    hass: HomeAssistant,
    simulator: Sim,
    caplog: pytest.LogCaptureFixture,
    provider: str,
    template: str,
) -> None:
    """Each malformed address is a translated form error; nothing reaches any cloud."""
    url = template.format(host=_host(simulator))
    result = await _submit(hass, provider, _form_input(simulator, provider, base_url=url))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_BASE_URL: "invalid_url"}
    assert simulator.sim.log.entries == []
    _no_errors_logged(caplog)


@pytest.mark.parametrize("provider", ["easee", "ampeco", "jedlix"])
@pytest.mark.parametrize("url", INSECURE)
async def test_plain_http_to_another_computer_is_refused(
    hass: HomeAssistant,
    simulator: Sim,
    caplog: pytest.LogCaptureFixture,
    provider: str,
    url: str,
) -> None:
    """http:// is only for this computer; anything else must be https."""
    result = await _submit(hass, provider, _form_input(simulator, provider, base_url=url))
    assert result["errors"] == {CONF_BASE_URL: "insecure_url"}
    assert simulator.sim.log.entries == []
    _no_errors_logged(caplog)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8123/x",
        "http://127.1.2.3/x",
        "http://localhost/x",
        "http://LOCALHOST:1/x",
        "http://[::1]:8123/x",
        "https://cp.example.com",
        "https://cp.example.com:8443/public/",
        "https://münchen.example/x",
        "https://10.0.0.2/x%20y",
        "https://[2001:db8::1]/x",
    ],
)
def test_addresses_that_are_accepted(url: str) -> None:
    """https anywhere, http to loopback (the simulator), IDN hosts and IP literals."""
    assert url_error(url) is None


async def test_spaces_and_slash_around_an_address_are_dropped(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    """Spaces and a trailing / around a good address are not an error."""
    url = simulator.url("ampeco")
    result = await _submit(hass, "ampeco", _form_input(simulator, "ampeco", base_url=f" {url}/ "))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_BASE_URL] == url
    assert simulator.sim.log.matching("GET", "/ampeco/public-api")
    _no_errors_logged(caplog)


async def test_reauth_of_an_entry_with_a_stored_insecure_address(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    """An older version stored http:// to a real host: reauth says so instead of sending."""
    entry = await add_entry(hass, simulator, "jedlix")
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_BASE_URL: "http://jedlix.example.com"}
    )
    simulator.sim.log.clear()
    flow_id = await _flow(hass, entry, SOURCE_REAUTH)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {"api_key": "jedlix-demo-key", "token": "jedlix-demo-token"}
    )
    assert result["errors"] == {"base": "insecure_url"}
    assert simulator.sim.log.entries == []
    _no_errors_logged(caplog)


@pytest.mark.parametrize(
    "url", ["https://u:p@{host}/viriciti", "http://{host}/viriciti?x=1", "http://example.com"]
)
async def test_reconfigure_refuses_bad_addresses(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture, url: str
) -> None:
    """Reconfigure checks the address like the first form and keeps the old one."""
    entry = await add_entry(hass, simulator, "viriciti")
    simulator.sim.log.clear()
    flow_id = await _flow(hass, entry, SOURCE_RECONFIGURE)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            "api_key": "viriciti-demo-key",
            "group_ids": "ViriCitiGroup",
            "advanced": {CONF_BASE_URL: url.format(host=_host(simulator))},
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"][CONF_BASE_URL] in ("invalid_url", "insecure_url")
    assert entry.data[CONF_BASE_URL] == simulator.url("viriciti")
    assert simulator.sim.log.entries == []
    _no_errors_logged(caplog)
