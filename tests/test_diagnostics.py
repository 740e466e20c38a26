"""Diagnostics never contain a secret or a personal detail."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from .conftest import Sim, add_entry
from .helpers import diagnostics_of

SECRETS = ("demo-password", "demo@example.com", "127.0.0.1")


async def test_entry_diagnostics_are_redacted(
    hass: HomeAssistant, easee: ConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """The entry's credentials, user name and address are redacted; the data is there."""
    result = await diagnostics_of(hass, hass_client, easee)
    text = json.dumps(result)
    for secret in SECRETS:
        assert secret not in text
    assert result["entry"]["data"]["password"] == "**REDACTED**"
    assert result["entry"]["data"]["provider"] == "easee"
    assert result["data"]["chargers"]["EH000001"]["state"]["status"] == "charging"


async def test_device_diagnostics(
    hass: HomeAssistant, easee: ConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """A device's diagnostics hold only that device."""
    result = await diagnostics_of(hass, hass_client, easee, "easee_EH000002")
    assert list(result["data"]["chargers"]) == ["EH000002"]
    assert result["data"]["chargers"]["EH000002"]["state"]["status"] == "disconnected"


async def test_jedlix_diagnostics_hide_address_coordinates_and_user(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Realistic data: the location's address, coordinates and the user id are redacted."""
    entry = await add_entry(hass, simulator, "jedlix")
    result = await diagnostics_of(hass, hass_client, entry)
    text = json.dumps(result)
    location = simulator.jedlix.locations[simulator.jedlix.demo.location_id]
    private = [
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",  # the user id
        "jedlix-demo-token",
        "jedlix-demo-key",
        str(location.latitude),
        str(location.longitude),
        location.address.street,
        location.address.postal_code,
    ]
    for secret in private:
        assert secret not in text, secret
    [data] = result["data"]["locations"].values()
    assert data["location"]["address"] == "**REDACTED**"
    assert data["location"]["latitude"] == "**REDACTED**"
    assert result["data"]["vehicles"]
