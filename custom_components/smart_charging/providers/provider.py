"""What a cloud brings to Smart Charging, in one place: :class:`Provider`.

The shared code (setup, the config flow, actions, repairs) asks the entry's provider
and never names a cloud. Adding a cloud is adding a package beside the others that
builds one ``Provider`` and listing it in :data:`..PROVIDERS` (``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.selector import (
    Selector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from ..clouds.base import CloudClient
from ..const import CONF_BASE_URL
from ..coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from ..helpers import Action

# Form fields the clouds ask for.
TEXT = TextSelector()
URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
SECRET = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
USERNAME = TextSelector(TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username"))


@dataclass(frozen=True, kw_only=True)
class Provider[ClientT: CloudClient]:
    """One cloud: how to sign in to it, poll it, and what it adds.

    ``fields`` are the config flow's form (the secrets among them are asked for again on
    reauthentication); a cloud with a public ``default_base_url`` hides the URL under
    Advanced. ``options`` are the entry options that mean something for this cloud;
    ``descriptions`` the entities only this cloud has, added beside the neutral ones.
    """

    key: str
    fields: Mapping[str, Selector[Any]]
    secrets: tuple[str, ...]
    options: tuple[str, ...]
    client: Callable[[aiohttp.ClientSession, str, Mapping[str, Any]], ClientT]
    coordinator: Callable[
        [HomeAssistant, SmartChargingConfigEntry, ClientT], SmartChargingCoordinator
    ]
    default_base_url: str | None = None
    # On/off settings under Advanced beside the base URL, with their defaults (Easee's
    # charger stream: tests and users who want polling only turn it off).
    advanced_switches: Mapping[str, bool] = field(default_factory=dict)
    descriptions: tuple[EntityDescription, ...] = ()
    # Where this cloud's own default differs from the shared one (the options form shows it).
    option_defaults: Mapping[str, timedelta] = field(default_factory=dict)
    # This cloud's own actions (a cloud whose features all have entities or neutral
    # actions has none); registered with the neutral ones.
    actions: tuple[Action, ...] = ()
    fix_flow: Callable[[dict[str, str | int | float | None]], RepairsFlow] | None = None
    # The field whose ids the cloud did not know (a 404 or an id that is no id while the
    # config flow checks it); without one, such an answer is an unexpected one.
    not_found_field: str | None = None
    # Entry data of an older version brought up to date (``async_migrate_entry``).
    migrate_data: Callable[[HomeAssistant, ConfigEntry, dict[str, Any]], dict[str, Any]] | None = (
        None
    )

    def base_url(self, data: Mapping[str, Any]) -> str:
        """The entry's base URL, or the cloud's public one when the entry has none."""
        return str(data.get(CONF_BASE_URL) or self.default_base_url)

    def create_client(self, hass: HomeAssistant, data: Mapping[str, Any]) -> ClientT:
        """A client for the account in ``data``, on Home Assistant's shared session."""
        return self.client(async_get_clientsession(hass), self.base_url(data), data)

    def create_coordinator(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry
    ) -> SmartChargingCoordinator:
        """The coordinator that polls the entry's account."""
        return self.coordinator(hass, entry, self.create_client(hass, entry.data))
