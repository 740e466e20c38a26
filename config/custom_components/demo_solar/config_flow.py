"""One entry, added without questions: the home's place comes from Home Assistant."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult

from .const import DOMAIN, TITLE


class DemoSolarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add the demo forecast (one entry; the manifest allows no second)."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Create the entry at once."""
        return self.async_create_entry(title=TITLE, data={})
