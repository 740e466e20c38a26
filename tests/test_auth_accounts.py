"""Issue 14: which account an entry is, rotated keys, other users' tokens, the migration."""

from __future__ import annotations

import logging
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_charging.clouds.base import account_host, hashed_id
from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN
from simulator.jedlix import DEMO_USER_ID

from .conftest import Sim, add_entry, entry_data
from .helpers import open_form

SECRET = {"viriciti": "api_key", "ampeco": "api_token"}


def _no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Traceback" not in caplog.text


def _rotate(simulator: Sim, provider: str, new: str) -> None:
    """The cloud forgets the old secret and knows only ``new``."""
    if provider == "viriciti":
        simulator.viriciti.api_keys.clear()
        simulator.viriciti.api_keys.add(new)
    else:
        simulator.ampeco.tokens.clear()
        simulator.ampeco.tokens.add(new)


async def _reauth(hass: HomeAssistant, entry: Any, user_input: dict[str, str]) -> Any:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_REAUTH, "entry_id": entry.entry_id}, data=entry.data
    )
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://CP.Example.com/x", "cp.example.com"),
        ("https://cp.example.com:443", "cp.example.com"),
        ("http://127.0.0.1:80/x", "127.0.0.1"),
        ("https://cp.example.com:8443/", "cp.example.com:8443"),
        ("http://[::1]:8123/viriciti", "[::1]:8123"),
        ("https://[2001:DB8::1]", "[2001:db8::1]"),
    ],
)
def test_account_host(url: str, host: str) -> None:
    """One host, one id: case and the scheme's default port make no difference."""
    assert account_host(url) == host


@pytest.mark.parametrize("provider", ["viriciti", "ampeco"])
async def test_unique_id_names_the_host_not_the_secret(
    hass: HomeAssistant, simulator: Sim, provider: str
) -> None:
    """The entry's id is the cloud and host; no part of the key is in it."""
    entry = await add_entry(hass, simulator, provider)
    secret = entry.data[SECRET[provider]]
    assert entry.unique_id == f"{provider}:{account_host(simulator.root)}"
    assert secret not in (entry.unique_id or "")
    assert hashed_id(provider, secret) != entry.unique_id


@pytest.mark.parametrize("provider", ["viriciti", "ampeco"])
async def test_reauth_with_a_rotated_key(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture, provider: str
) -> None:
    """A rotated key of the same account is taken: the old one is refused, the new stored."""
    entry = await add_entry(hass, simulator, provider)
    unique_id = entry.unique_id
    _rotate(simulator, provider, "rotated-secret")
    simulator.sim.log.clear()
    result = await _reauth(hass, entry, {SECRET[provider]: "wrong"})
    assert result["errors"] == {"base": "invalid_auth"}
    assert [e.status for e in simulator.sim.log.entries] == [401]
    flow_id = result["flow_id"]
    result = await hass.config_entries.flow.async_configure(
        flow_id, {SECRET[provider]: "rotated-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data[SECRET[provider]] == "rotated-secret"
    assert entry.unique_id == unique_id
    assert entry.state is ConfigEntryState.LOADED
    _no_errors_logged(caplog)


@pytest.mark.parametrize("provider", ["viriciti", "ampeco"])
async def test_second_key_of_the_same_host_is_the_same_account(
    hass: HomeAssistant, simulator: Sim, provider: str
) -> None:
    """Another key for the same host cannot make a second entry of the same devices."""
    await add_entry(hass, simulator, provider)
    (simulator.viriciti.api_keys if provider == "viriciti" else simulator.ampeco.tokens).add("k2")
    result = await open_form(hass, provider)
    user_input: dict[str, Any] = {SECRET[provider]: "k2"}
    if provider == "viriciti":
        user_input["group_ids"] = "ViriCitiGroup"
        user_input["advanced"] = {CONF_BASE_URL: simulator.url(provider)}
    else:
        user_input[CONF_BASE_URL] = simulator.url(provider)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_another_ampeco_tenant_is_another_entry(
    hass: HomeAssistant, simulator: Sim, another_host: str
) -> None:
    """A tenant on another host is added beside the first; reconfigure cannot swap them."""
    first = await add_entry(hass, simulator, "ampeco")
    result = await open_form(hass, "ampeco")
    other = {CONF_BASE_URL: f"{another_host}/ampeco", "api_token": "ampeco-demo-token"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], other)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id != first.unique_id
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": first.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], other)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert first.data[CONF_BASE_URL] == simulator.url("ampeco")


# --- a Jedlix token of another user ---------------------------------------------------------


@pytest.mark.parametrize(
    ("user_id", "token"),
    [
        (DEMO_USER_ID, "other-token"),  # another user's token for this user
        ("other", "jedlix-demo-token"),  # this token for another user
        ("other", "other-token-2"),  # a third user's token for the other one
    ],
)
async def test_jedlix_token_of_another_user_is_a_form_error(
    hass: HomeAssistant,
    simulator: Sim,
    caplog: pytest.LogCaptureFixture,
    user_id: str,
    token: str,
) -> None:
    """The cloud answers 403; the form says so, nothing is logged as an error."""
    simulator.jedlix.users["other"] = {"id": "other"}
    simulator.jedlix.users["third"] = {"id": "third"}
    simulator.jedlix.tokens["other-token"] = "other"
    simulator.jedlix.tokens["other-token-2"] = "third"
    result = await open_form(hass, "jedlix")
    data = entry_data(simulator, "jedlix") | {"user_id": user_id, "token": token}
    del data["provider"]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "forbidden"}
    assert [e.status for e in simulator.sim.log.entries] == [403]
    assert hass.config_entries.async_entries(DOMAIN) == []
    _no_errors_logged(caplog)


async def test_jedlix_reauth_with_another_users_token_then_the_right_one(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    """Reauth keeps asking after a 403 and takes the user's own new token."""
    entry = await add_entry(hass, simulator, "jedlix")
    simulator.jedlix.users["other"] = {"id": "other"}
    simulator.jedlix.tokens["other-token"] = "other"
    simulator.jedlix.tokens["new-token"] = DEMO_USER_ID
    result = await _reauth(hass, entry, {"api_key": "jedlix-demo-key", "token": "other-token"})
    assert result["errors"] == {"base": "forbidden"}
    assert entry.data["token"] == "jedlix-demo-token"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": "jedlix-demo-key", "token": "new-token"}
    )
    assert result["reason"] == "reauth_successful"
    assert entry.data["token"] == "new-token"
    _no_errors_logged(caplog)


# --- the migration --------------------------------------------------------------------------


def _legacy(simulator: Sim, provider: str, secret: str | None = None) -> MockConfigEntry:
    data = entry_data(simulator, provider)
    if secret is not None:
        data[SECRET[provider]] = secret
    host = simulator.root.split("//", 1)[1]
    old_id = (
        hashed_id("viriciti", data["api_key"])
        if provider == "viriciti"
        else hashed_id("ampeco", host, data["api_token"])
    )
    return MockConfigEntry(
        domain=DOMAIN, data=data, unique_id=old_id, version=1, minor_version=1, title=provider
    )


@pytest.mark.parametrize("provider", ["viriciti", "ampeco"])
async def test_migration_names_old_entries_by_host_without_a_request(
    hass: HomeAssistant, simulator: Sim, provider: str
) -> None:
    """A 1.1 entry gets its host id while the cloud refuses everything (no request needed)."""
    entry = _legacy(simulator, provider)
    entry.add_to_hass(hass)
    _rotate(simulator, provider, "not-the-stored-one")
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.minor_version == 3
    assert entry.unique_id == f"{provider}:{account_host(simulator.root)}"
    # Setup itself was refused (the stored key is gone): reauth with the new key works.
    assert entry.state is ConfigEntryState.SETUP_ERROR
    result = await _reauth(hass, entry, {SECRET[provider]: "not-the-stored-one"})
    assert result["reason"] == "reauth_successful"


async def test_migration_keeps_the_old_id_when_the_host_id_is_taken(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    """Two keys of one host as two entries: the second keeps its id, both still load."""
    simulator.viriciti.api_keys.add("second-key")
    first, second = _legacy(simulator, "viriciti"), _legacy(simulator, "viriciti", "second-key")
    first.add_to_hass(hass)
    second.add_to_hass(hass)
    old_second = second.unique_id
    await hass.config_entries.async_setup(first.entry_id)
    await hass.async_block_till_done()
    assert first.unique_id == f"viriciti:{account_host(simulator.root)}"
    assert second.unique_id == old_second
    assert second.minor_version == 3
    assert first.state is second.state is ConfigEntryState.LOADED
    assert "keeps its unique id" in caplog.text


async def test_entries_of_other_clouds_keep_their_ids(hass: HomeAssistant, simulator: Sim) -> None:
    """Easee and Jedlix ids already named the user: the migration leaves them."""
    for provider in ("easee", "jedlix"):
        data = entry_data(simulator, provider)
        entry = MockConfigEntry(
            domain=DOMAIN, data=data, unique_id=f"old-{provider}", version=1, minor_version=1
        )
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert entry.unique_id == f"old-{provider}"
        assert entry.minor_version == 3


async def test_an_entry_from_a_newer_version_is_not_touched(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """A major version this code does not know fails migration instead of guessing."""
    entry = MockConfigEntry(
        domain=DOMAIN, data=entry_data(simulator, "viriciti"), unique_id="x", version=2
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.MIGRATION_ERROR
    assert entry.unique_id == "x"
