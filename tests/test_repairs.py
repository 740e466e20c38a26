"""Repair issues appear when the user must act, and go away when the cause is gone."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from custom_components.smart_charging.const import DOMAIN

from .conftest import Sim, advance


async def test_refused_credentials_raise_an_issue_until_fixed(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A changed password shows a repair issue; signing in again clears it."""
    issue_id = f"invalid_credentials_{easee.entry_id}"
    simulator.easee.accounts[0].password = "changed"
    simulator.easee.expire_tokens()
    simulator.easee.refresh_tokens.clear()
    await advance(hass, freezer, simulator, 90)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "invalid_credentials"
    flow = hass.config_entries.flow.async_progress()[0]
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"password": "changed"}
    )
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_charger_in_error_for_half_an_hour(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An error for a few minutes is no issue; for half an hour it is, until it clears."""
    issue_id = f"charger_error_{easee.entry_id}_EH000001"
    simulator.easee.chargers["EH000001"].error = True
    await advance(hass, freezer, simulator, 90)
    assert hass.states.get("sensor.driveway_status").state == "error"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    for _ in range(20):
        await advance(hass, freezer, simulator, 90)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders == {"charger": "Driveway"}
    simulator.easee.chargers["EH000001"].error = False
    await advance(hass, freezer, simulator, 90)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_removed_charger_takes_its_issue_along(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A charger that leaves the account while in error leaves no issue behind."""
    issue_id = f"charger_error_{easee.entry_id}_EH000002"
    simulator.easee.chargers["EH000002"].error = True
    for _ in range(22):
        await advance(hass, freezer, simulator, 90)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    simulator.easee.remove_charger("EH000002")
    await advance(hass, freezer, simulator, 2 * 3600)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
