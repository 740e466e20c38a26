"""The config flow: every cloud, every error, reauthentication and reconfiguration."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntry,
    ConfigFlowResult,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN
from simulator.faults import Fault

from .conftest import Sim, add_entry, advance, entry_data

PROVIDERS = ["easee", "viriciti", "ampeco", "jedlix"]


def _form_input(simulator: Sim, provider: str, **changes: str) -> dict[str, object]:
    data = entry_data(simulator, provider) | changes
    del data["provider"]
    if provider in ("easee", "viriciti"):
        data["advanced"] = {CONF_BASE_URL: data.pop(CONF_BASE_URL)}
    return data


def _viriciti_answers(api_key: str, url: str) -> dict[str, object]:
    """The ViriCiti form filled in: a key, the demo group and the address under Advanced."""
    return {"api_key": api_key, "group_ids": "ViriCitiGroup", "advanced": {CONF_BASE_URL: url}}


async def _start(hass: HomeAssistant, entry: ConfigEntry, source: str) -> ConfigFlowResult:
    return await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": source, "entry_id": entry.entry_id},
        data=entry.data if source == SOURCE_REAUTH else None,
    )


async def _open_form(hass: HomeAssistant, provider: str) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == PROVIDERS
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": provider}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == provider
    return result["flow_id"]


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_each_cloud_creates_an_entry(
    hass: HomeAssistant, simulator: Sim, provider: str
) -> None:
    """Every cloud in the menu signs in against the simulator and creates an entry."""
    entry = await add_entry(hass, simulator, provider)
    # The tests' Easee entries poll only (``add_entry``); the Advanced switch is stored.
    switches = {"charger_stream": False} if provider == "easee" else {}
    assert entry.data == entry_data(simulator, provider) | switches
    assert entry.unique_id
    assert entry.title.lower().startswith(provider)


@pytest.mark.parametrize(
    ("provider", "wrong"),
    [
        ("easee", {"password": "wrong"}),
        ("viriciti", {"api_key": "wrong"}),
        ("ampeco", {"api_token": "wrong"}),
        ("jedlix", {"token": "wrong"}),
        ("jedlix", {"api_key": "wrong"}),
    ],
)
async def test_wrong_credentials_then_right(
    hass: HomeAssistant, simulator: Sim, provider: str, wrong: dict[str, str]
) -> None:
    """Wrong credentials show invalid_auth; fixing them creates the entry."""
    flow_id = await _open_form(hass, provider)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, provider, **wrong)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, provider)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_cannot_connect(hass: HomeAssistant, simulator: Sim) -> None:
    """A cloud that answers 503 shows cannot_connect."""
    flow_id = await _open_form(hass, "viriciti")
    simulator.sim.faults.add(Fault(path="/viriciti", status=503))
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, "viriciti")
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_unexpected_answer(hass: HomeAssistant, simulator: Sim) -> None:
    """A cloud answering something that is not its API shows unknown."""
    flow_id = await _open_form(hass, "ampeco")
    simulator.sim.faults.add(Fault(path="/ampeco", status=404, body={"message": "nope"}))
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, "ampeco")
    )
    assert result["errors"] == {"base": "unknown"}


async def test_invalid_url(hass: HomeAssistant, simulator: Sim) -> None:
    """An address that is not http(s) is refused before anything is sent."""
    flow_id = await _open_form(hass, "jedlix")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, "jedlix", base_url="ftp://example.com")
    )
    assert result["errors"] == {CONF_BASE_URL: "invalid_url"}
    assert simulator.sim.log.entries == []


async def test_same_account_twice(hass: HomeAssistant, simulator: Sim) -> None:
    """The same account cannot be added twice."""
    await add_entry(hass, simulator, "easee")
    flow_id = await _open_form(hass, "easee")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, "easee")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_two_easee_accounts_side_by_side(hass: HomeAssistant, simulator: Sim) -> None:
    """Two Easee accounts are two entries."""
    from simulator.easee import EaseeAccount

    simulator.easee.accounts.append(EaseeAccount(1002, "second@example.com", "pw-2"))
    await add_entry(hass, simulator, "easee")
    flow_id = await _open_form(hass, "easee")
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        _form_input(simulator, "easee", username="second@example.com", password="pw-2"),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


async def test_reauth_asks_only_for_the_secret(hass: HomeAssistant, simulator: Sim) -> None:
    """After a password change, reauthentication takes the new password."""
    entry = await add_entry(hass, simulator, "easee")
    simulator.easee.accounts[0].password = "new-password"
    result = await _start(hass, entry, SOURCE_REAUTH)
    assert result["step_id"] == "reauth_confirm"
    assert set(result["data_schema"].schema) == {"password"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"password": "new-password"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data["password"] == "new-password"


async def test_reauth_with_another_account_is_refused(
    hass: HomeAssistant, simulator: Sim, caplog: pytest.LogCaptureFixture
) -> None:
    """A Jedlix token of another user does not silently switch the entry's account."""
    entry = await add_entry(hass, simulator, "jedlix")
    simulator.jedlix.users["other"] = {"id": "other"}
    simulator.jedlix.tokens["other-token"] = "other"
    result = await _start(hass, entry, SOURCE_REAUTH)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": "jedlix-demo-key", "token": "other-token"}
    )
    # The token belongs to another user, so reading this entry's user is forbidden: a
    # translated form error, with nothing logged as an error.
    assert result["errors"] == {"base": "forbidden"}
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


async def test_reconfigure_keeps_the_entry(hass: HomeAssistant, simulator: Sim) -> None:
    """Reconfigure changes the address of the same account."""
    entry = await add_entry(hass, simulator, "viriciti")
    result = await _start(hass, entry, SOURCE_RECONFIGURE)
    assert result["step_id"] == "reconfigure"
    new_url = f"{simulator.url('viriciti')}/"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _viriciti_answers("viriciti-demo-key", new_url)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_BASE_URL] == simulator.url("viriciti")


async def test_reconfigure_to_another_account_is_refused(
    hass: HomeAssistant, simulator: Sim, another_host: str
) -> None:
    """Reconfiguring with another account's key aborts instead of mixing devices.

    Nothing ViriCiti answers names the account, so its entries are named by host: the
    other account here is the one on another host (the simulator on a second port).
    """
    entry = await add_entry(hass, simulator, "viriciti")
    simulator.viriciti.api_keys.add("another-key")
    other_host = f"{another_host}/viriciti"
    result = await _start(hass, entry, SOURCE_RECONFIGURE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _viriciti_answers("another-key", other_host)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.data["api_key"] == "viriciti-demo-key"


async def test_reconfigure_shows_errors(hass: HomeAssistant, simulator: Sim) -> None:
    """A refused key during reconfigure shows the error and changes nothing."""
    entry = await add_entry(hass, simulator, "ampeco")
    result = await _start(hass, entry, SOURCE_RECONFIGURE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"base_url": simulator.url("ampeco"), "api_token": "nope"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    assert entry.data["api_token"] == "ampeco-demo-token"


async def test_options_change_polling_without_a_restart(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A shorter charging interval applies from the next poll, with no reload."""
    entry = await add_entry(hass, simulator, "easee")
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "init"
    assert set(result["data_schema"].schema) == {
        "active_interval",
        "idle_interval",
        "settings_interval",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"active_interval": 1, "idle_interval": 5, "settings_interval": 120}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["active_interval"] == 1
    # Easee reads one site state for all its chargers; while a car charges, as often as
    # *While charging* asks when that is under 90 s. The next read was planned 90 s
    # out; from then on every minute.
    site_state = "/easee/api/sites/501/state"
    simulator.sim.log.clear()
    for _ in range(3):
        await advance(hass, freezer, simulator, 30)
    assert len(simulator.sim.log.matching(path=site_state)) == 1
    for _ in range(20):
        await advance(hass, freezer, simulator, 30)
    assert len(simulator.sim.log.matching(path=site_state)) == 11


async def test_viriciti_options_include_the_hold_time(hass: HomeAssistant, simulator: Sim) -> None:
    """The group-limit hold time is offered where there are group limits."""
    entry = await add_entry(hass, simulator, "viriciti")
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "group_limit_hold" in result["data_schema"].schema


@pytest.mark.parametrize(
    ("provider", "offered"),
    [
        ("ampeco", {"active_interval", "idle_interval", "settings_interval"}),
        ("jedlix", {"active_interval", "settings_interval"}),
    ],
)
async def test_options_offer_only_what_the_cloud_uses(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    provider: str,
    offered: set[str],
) -> None:
    """Each cloud's options are the intervals its polling uses, and no others."""
    freezer.move_to(simulator.sim.now())
    entry = await add_entry(hass, simulator, provider)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert set(result["data_schema"].schema) == offered


async def test_malformed_address(hass: HomeAssistant, simulator: Sim) -> None:
    """An address that cannot even be parsed is refused like any invalid one."""
    flow_id = await _open_form(hass, "viriciti")
    result = await hass.config_entries.flow.async_configure(
        flow_id, _form_input(simulator, "viriciti", base_url="http://[::1")
    )
    assert result["errors"] == {CONF_BASE_URL: "invalid_url"}
