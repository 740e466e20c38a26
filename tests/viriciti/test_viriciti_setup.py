"""ViriCiti's groups come from the user: entered ids, checked with the documented call.

No public ViriCiti page describes a call that lists an account's groups or stations
(``docs/references.md``), so the config flow asks for the group ids; entries of older
versions get them from the group devices they already have.
"""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.smart_charging.clouds.base import account_host
from custom_components.smart_charging.const import CONF_BASE_URL, DOMAIN

from ..conftest import Sim, entry_data
from ..helpers import open_form

GROUP_PATH = "/viriciti/api/v1/smartcharging/chargergroup/"


async def _form(hass: HomeAssistant) -> str:
    result = await open_form(hass, "viriciti")
    return str(result["flow_id"])


def _input(simulator: Sim, group_ids: str) -> dict[str, object]:
    return {
        "api_key": "viriciti-demo-key",
        "group_ids": group_ids,
        "advanced": {CONF_BASE_URL: simulator.url("viriciti")},
    }


async def test_each_entered_group_is_checked(hass: HomeAssistant, simulator: Sim) -> None:
    """An id the cloud does not know is a form error on the ids; the right ones pass."""
    simulator.viriciti.add_group("Yard", default_limit=100)
    flow_id = await _form(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, _input(simulator, "ViriCitiGroup, Nowhere")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"group_ids": "not_found"}
    assert [e.path for e in simulator.sim.log.entries] == [
        f"{GROUP_PATH}ViriCitiGroup",
        f"{GROUP_PATH}Nowhere",
    ]
    result = await hass.config_entries.flow.async_configure(
        flow_id, _input(simulator, "ViriCitiGroup,Yard ViriCitiGroup")
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert hass.states.get("sensor.viriciti_group_active_limit") is not None
    assert hass.states.get("sensor.yard_active_limit") is not None
    # Nothing undocumented was asked for.
    assert all("/smartcharging/" in e.path for e in simulator.sim.log.entries)


async def test_an_id_that_is_no_id_or_none_at_all_is_refused(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """``../x`` is never put into a path, and an empty list names no group."""
    flow_id = await _form(hass)
    for text in ("../chargestations", " , "):
        simulator.sim.log.clear()
        result = await hass.config_entries.flow.async_configure(flow_id, _input(simulator, text))
        assert result["errors"] == {"group_ids": "not_found"}
        assert simulator.sim.log.entries == []


def _old_entry(simulator: Sim) -> MockConfigEntry:
    data = entry_data(simulator, "viriciti")
    del data["group_ids"]
    return MockConfigEntry(
        domain=DOMAIN,
        data=data,
        unique_id=f"viriciti:{account_host(simulator.root)}",
        version=1,
        minor_version=2,
        title="ViriCiti",
    )


async def test_an_old_entry_keeps_its_groups(hass: HomeAssistant, simulator: Sim) -> None:
    """A 1.2 entry's group devices name its groups: it loads without a question."""
    entry = _old_entry(simulator)
    entry.add_to_hass(hass)
    dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, "viriciti_group_ViriCitiGroup"), (DOMAIN, "other")},
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.minor_version == 3
    assert entry.data["group_ids"] == "ViriCitiGroup"
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.viriciti_group_active_limit").state == "400.0"


async def test_an_old_entry_without_groups_asks_for_them(
    hass: HomeAssistant, simulator: Sim
) -> None:
    """Without group devices, the entry asks for its group ids (reauthentication)."""
    entry = _old_entry(simulator)
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert "group_ids" not in entry.data
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"])
    assert result["step_id"] == "reauth_confirm"
    assert set(result["data_schema"].schema) == {"api_key", "group_ids"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_key": "viriciti-demo-key", "group_ids": "ViriCitiGroup"}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.viriciti_group_active_limit").state == "400.0"
