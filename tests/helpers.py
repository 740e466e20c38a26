"""Helpers the test files share: what a user reads off Home Assistant, found the user's way.

Kept apart from ``conftest.py`` so the fixtures stay there and these stay plain functions.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.repairs import RepairsFlowManager, repairs_flow_manager
from homeassistant.config_entries import ConfigEntry, ConfigFlowResult
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_charging.const import DOMAIN

from .conftest import describe


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state a user sees; the entity must be there at all."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def find_device(hass: HomeAssistant, entry: ConfigEntry, identifier: str) -> dr.DeviceEntry | None:
    """The device ``identifier`` of ``entry`` in the device registry, if it is there."""
    return dr.async_get(hass).async_get_device_by_identifier((DOMAIN, identifier), entry.entry_id)


def device_entry(hass: HomeAssistant, entry: ConfigEntry, identifier: str) -> dr.DeviceEntry:
    """The device ``identifier`` of ``entry``, which must be there."""
    device = find_device(hass, entry, identifier)
    assert device is not None, identifier
    return device


def device_of(hass: HomeAssistant, entry: ConfigEntry, identifier: str) -> str:
    """The device id an action is given for the device ``identifier`` of ``entry``."""
    return device_entry(hass, entry, identifier).id


def entities_as_seen(hass: HomeAssistant, entry: ConfigEntry) -> dict[str, dict[str, Any]]:
    """Every entity of ``entry`` as a user sees it, by entity id (for a snapshot)."""
    entries = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return {e.entity_id: describe(hass, e) for e in sorted(entries, key=lambda e: e.entity_id)}


async def refused(hass: HomeAssistant, action: str, **data: Any) -> ServiceValidationError:
    """The error a refused action shows the user (the call must be refused)."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(DOMAIN, action, data, blocking=True)
    return caught.value


async def diagnostics_of(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    entry: ConfigEntry,
    identifier: str | None = None,
) -> Any:
    """What a user downloads as diagnostics: of ``entry``, or of its device ``identifier``.

    The harness's helpers set up the diagnostics integration and ask over HTTP.
    """
    if identifier is None:
        return await get_diagnostics_for_config_entry(hass, hass_client, entry)
    device = device_entry(hass, entry, identifier)
    return await get_diagnostics_for_device(hass, hass_client, entry, device)


async def start_repair(hass: HomeAssistant, issue_id: str) -> tuple[RepairsFlowManager, FlowResult]:
    """The user opens the repair of ``issue_id`` under Settings > Repairs: its first step."""
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    return manager, await manager.async_init(DOMAIN, data={"issue_id": issue_id})


async def open_form(hass: HomeAssistant, provider: str) -> ConfigFlowResult:
    """The user adds the integration and picks ``provider`` in its menu: that cloud's form."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": provider}
    )
