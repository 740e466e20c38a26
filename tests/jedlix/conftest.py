"""The Jedlix client tests' client: the demo user's, over a plain session."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.smart_charging.clouds.jedlix.client import JedlixClient
from simulator.jedlix import DEMO_API_KEY, DEMO_TOKEN, DEMO_USER_ID

from ..conftest import Sim


@pytest.fixture
def client(simulator: Sim, http: aiohttp.ClientSession) -> JedlixClient:
    """The demo user's client, as the config flow builds it."""
    return JedlixClient(http, simulator.url("jedlix"), DEMO_API_KEY, DEMO_USER_ID, DEMO_TOKEN)
