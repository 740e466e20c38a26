"""Build the right cloud client for a config entry's data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_PASSWORD, CONF_TOKEN, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api.ampeco import AmpecoClient
from .api.base import CloudClient
from .api.easee import EaseeClient
from .api.jedlix import JedlixClient
from .api.viriciti import ViricitiClient
from .const import (
    CONF_API_KEY,
    CONF_API_TOKEN,
    CONF_BASE_URL,
    CONF_PROVIDER,
    CONF_USER_ID,
    DEFAULT_BASE_URLS,
    Provider,
)


def base_url(data: Mapping[str, Any]) -> str:
    """The entry's base URL, or the cloud's public one when the entry has none."""
    provider = Provider(data[CONF_PROVIDER])
    return str(data.get(CONF_BASE_URL) or DEFAULT_BASE_URLS[provider])


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> CloudClient:
    """A client for the cloud and credentials in ``data``, on Home Assistant's session."""
    session = async_get_clientsession(hass)
    url = base_url(data)
    match Provider(data[CONF_PROVIDER]):
        case Provider.EASEE:
            return EaseeClient(session, url, data[CONF_USERNAME], data[CONF_PASSWORD])
        case Provider.VIRICITI:
            return ViricitiClient(session, url, data[CONF_API_KEY])
        case Provider.AMPECO:
            return AmpecoClient(session, url, data[CONF_API_TOKEN])
        case Provider.JEDLIX:
            return JedlixClient(
                session, url, data[CONF_API_KEY], data[CONF_USER_ID], data[CONF_TOKEN]
            )
