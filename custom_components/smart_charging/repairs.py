"""Repairs: the fix flows of the issues a user can fix from Settings > Repairs.

The issues themselves are raised where their cause is seen: the shared coordinator's
(:mod:`.issues`) and each cloud's own (a Jedlix message, say). A fixable issue carries
its entry's id; the entry's cloud builds the flow that fixes it.
"""

from __future__ import annotations

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow
from homeassistant.core import HomeAssistant

from .const import CONF_PROVIDER
from .providers import PROVIDERS


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a fixable issue, from the cloud of the entry that raised it."""
    entry = hass.config_entries.async_get_entry(str((data or {}).get("entry_id")))
    provider = PROVIDERS.get(entry.data[CONF_PROVIDER]) if entry is not None else None
    if data is None or provider is None or provider.fix_flow is None:
        # The entry is gone: confirming removes the issue.
        return ConfirmRepairFlow()
    return provider.fix_flow(data)
