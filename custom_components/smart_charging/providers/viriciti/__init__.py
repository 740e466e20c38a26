"""ViriCiti (seed 001): charger groups, their limit layers and per-charger limits."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from ...clouds.viriciti.client import ViricitiClient, parse_group_ids
from ...const import (
    CONF_API_KEY,
    CONF_GROUP_IDS,
    DOMAIN,
    OPT_ACTIVE_INTERVAL,
    OPT_GROUP_LIMIT_HOLD,
    OPT_SETTINGS_INTERVAL,
)
from ...model import DeviceKind, device_key
from ..provider import SECRET, TEXT, Provider
from .coordinator import ViricitiCoordinator
from .stations import STATION_BUTTONS, VIRICITI_ACTIONS


def _group_ids_from_devices(
    hass: HomeAssistant, entry: ConfigEntry, data: dict[str, Any]
) -> dict[str, Any]:
    """Entries of 1.2 and older found their groups with an undocumented call.

    The groups they showed are devices of the entry, named ``viriciti_group_<id>``: those
    ids become the entry's ``group_ids``, so the entry keeps working without a question.
    An entry without group devices gets none and is asked for them (reauthentication).
    """
    if CONF_GROUP_IDS in data:
        return data
    prefix = device_key("viriciti", DeviceKind.GROUP, "")
    ids = sorted(
        ident.removeprefix(prefix)
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        for domain, ident in device.identifiers
        if domain == DOMAIN and ident.startswith(prefix)
    )
    if ids:
        data[CONF_GROUP_IDS] = ", ".join(ids)
    return data


VIRICITI = Provider[ViricitiClient](
    key="viriciti",
    # No public call lists an account's groups: the user enters their ids.
    fields={CONF_API_KEY: SECRET, CONF_GROUP_IDS: TEXT},
    not_found_field=CONF_GROUP_IDS,
    migrate_data=_group_ids_from_devices,
    secrets=(CONF_API_KEY,),
    options=(OPT_ACTIVE_INTERVAL, OPT_SETTINGS_INTERVAL, OPT_GROUP_LIMIT_HOLD),
    default_base_url="https://sdk.viriciti.com",
    client=lambda session, url, data: ViricitiClient(
        session, url, data[CONF_API_KEY], parse_group_ids(data.get(CONF_GROUP_IDS, ""))
    ),
    coordinator=ViricitiCoordinator,
    descriptions=STATION_BUTTONS,
    actions=VIRICITI_ACTIONS,
)
