"""Every kind of device returns its own diagnostics, redacted, and nothing of the others."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_charging.model import DeviceKind, device_key

from .conftest import Sim, add_entry
from .helpers import diagnostics_of

# Per device kind: a field the device's own data must carry, so an empty answer fails.
CASES = [
    ("viriciti", DeviceKind.GROUP, "limit"),
    ("viriciti", DeviceKind.STATION, "position_limits"),
    ("ampeco", DeviceKind.CHARGER, "preferences"),
    ("jedlix", DeviceKind.VEHICLE, "session"),
    ("jedlix", DeviceKind.CHARGER, "state"),
    ("jedlix", DeviceKind.LOCATION, "prices"),
]


@pytest.mark.parametrize(
    ("provider", "kind", "field"), CASES, ids=[f"{p}-{k.value}" for p, k, _ in CASES]
)
async def test_each_kind_of_device_has_its_own_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    provider: str,
    kind: DeviceKind,
    field: str,
) -> None:
    """A group, a station, a charge point, a car, a charger and a location each answer."""
    entry = await add_entry(hass, simulator, provider)
    devices = entry.runtime_data.coordinator.data.devices(kind)
    assert len(devices) >= 1
    key = sorted(devices)[0]
    result = await diagnostics_of(hass, hass_client, entry, device_key(provider, kind, key))

    assert list(result["data"][kind.value]) == [key]
    assert field in result["data"][kind.value][key]
    others = {name: found for name, found in result["data"].items() if name != kind.value}
    assert not any(others.values()), others
    text = json.dumps(result)
    for secret in ("viriciti-demo-key", "ampeco-demo-token", "jedlix-demo-token"):
        assert secret not in text


async def test_location_diagnostics_hide_the_address(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A charging location's own diagnostics redact where the user lives."""
    entry = await add_entry(hass, simulator, "jedlix")
    location_id = simulator.jedlix.demo.location_id
    result = await diagnostics_of(
        hass, hass_client, entry, device_key("jedlix", DeviceKind.LOCATION, location_id)
    )

    location = result["data"]["locations"][location_id]["location"]
    assert location["address"] == "**REDACTED**"
    assert location["latitude"] == "**REDACTED**"
    place = simulator.jedlix.locations[location_id]
    assert place.address.street not in json.dumps(result)
