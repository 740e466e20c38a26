"""Odd answers from a cloud are data, not crashes; every cloud error reaches the user translated."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest

from custom_components.smart_charging.clouds.errors import InvalidResponseError
from custom_components.smart_charging.clouds.parse import (
    as_bool,
    as_datetime,
    as_float,
    as_int,
    as_list,
    as_object,
    as_str,
)
from simulator.faults import Fault

from .conftest import Sim, add_entry, advance
from .helpers import state_of

DRIVEWAY_STATE = "/easee/api/chargers/EH000001/state"


def test_tolerant_readers() -> None:
    """Wrong types read as None; only a wrong overall shape is an error."""
    assert as_float(True) is None
    assert as_float("1.5") is None
    assert as_float(3) == 3.0
    assert as_int(2.0) == 2
    assert as_int(2.5) is None
    assert as_int(False) is None
    assert as_int("7") is None
    assert as_bool(1) is None
    assert as_str("") is None
    assert as_str(12) == "12"
    assert as_str(None) is None
    assert as_datetime("2026-11-23T12:00:00.000Z") == datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert as_datetime("2026-11-23T12:00:00") is None  # no zone: not a moment
    assert as_datetime("yesterday") is None
    assert as_datetime(5) is None
    with pytest.raises(InvalidResponseError, match="charger"):
        as_object([], "charger")
    with pytest.raises(InvalidResponseError, match="chargers"):
        as_list({}, "chargers")


async def test_garbled_state_is_shown_as_unknown(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A state with wrong types and missing fields: values unknown, nothing raises."""
    garbled = {"chargerOpMode": "three", "totalPower": "fast", "isOnline": "yes", "extra": [1]}
    # The site's state carries the charger's state (one request per site).
    site_state = {
        "circuitStates": [
            {
                "circuit": {"id": 601},
                "chargerStates": [{"chargerID": "EH000001", "chargerState": garbled}],
            }
        ]
    }
    simulator.sim.faults.add(
        Fault(path="/easee/api/sites/501/state", status=200, body=site_state, times=None)
    )
    await advance(hass, freezer, simulator, 90)
    assert state_of(hass, "sensor.driveway_status") == "unknown"
    assert state_of(hass, "sensor.driveway_power") == "unknown"
    assert state_of(hass, "binary_sensor.driveway_connectivity") == "unknown"


async def test_wrong_shape_makes_entities_unavailable_not_broken(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A list where an object belongs fails the poll cleanly; the next good one recovers."""
    simulator.sim.faults.add(Fault(path="/easee/api/sites/501/state", status=200, body=[]))
    await advance(hass, freezer, simulator, 90)
    assert state_of(hass, "sensor.driveway_status") == "unavailable"
    await advance(hass, freezer, simulator, 30)
    assert state_of(hass, "sensor.driveway_status") == "charging"


async def test_odd_items_in_lists_are_skipped(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Chargers, sites and circuits that are not objects or lack an id are passed over."""
    odd_sites = [1, {"name": "no id"}, {"id": 501}]
    simulator.sim.faults.add(
        Fault(path="/easee/api/sites", method="GET", status=200, body=odd_sites)
    )
    simulator.sim.faults.add(
        Fault(
            path="/easee/api/chargers",
            method="GET",
            status=200,
            body=["junk", {"name": "no id"}, {"id": "EH000001", "name": "Driveway"}],
        )
    )
    await add_entry(hass, simulator, "easee")
    assert state_of(hass, "sensor.driveway_status") == "charging"
    assert hass.states.get("sensor.garage_status") is None


@pytest.mark.parametrize(
    ("status", "body", "error", "key"),
    [
        (401, {"title": "Unauthorized"}, HomeAssistantError, "invalid_auth"),
        (403, {"title": "Forbidden"}, HomeAssistantError, "forbidden"),
        (404, {"title": "Charger not found"}, HomeAssistantError, "not_found"),
        (409, {"title": "Busy"}, HomeAssistantError, "rejected"),
        (429, {"title": "Slow down"}, HomeAssistantError, "rate_limited"),
        (418, {"title": "Teapot"}, HomeAssistantError, "unknown_error"),
        (
            400,
            {"title": "Invalid", "errors": {"smartCharging": ["Not allowed now."]}},
            ServiceValidationError,
            "cloud_validation",
        ),
    ],
)
async def test_every_cloud_error_reaches_the_user(
    hass: HomeAssistant,
    easee: ConfigEntry,
    simulator: Sim,
    status: int,
    body: dict[str, Any],
    error: type[Exception],
    key: str,
) -> None:
    """A refused settings write fails with the matching translated message."""
    simulator.sim.faults.add(
        Fault(path="/easee/api/chargers/EH000001/settings", status=status, body=body, times=2)
    )
    with pytest.raises(error) as caught:
        await hass.services.async_call(
            "switch", "turn_on", {ATTR_ENTITY_ID: "switch.driveway_smart_charging"}, blocking=True
        )
    assert getattr(caught.value, "translation_key", None) == key
    if key == "cloud_validation":
        assert "smartCharging: Not allowed now." in str(caught.value)
    if key == "invalid_auth":
        flows = hass.config_entries.flow.async_progress()
        assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_a_failed_poll_does_not_keep_the_answer_or_the_token(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Until the next good poll, the error kept for the user holds its message only.

    Home Assistant keeps the last error; its frames would keep the cloud's answer (here a
    large body that is not JSON) and the request's bearer token alive with it.
    """
    garbage = "x" * 200_000
    simulator.sim.faults.add(
        Fault(path="/easee/api/sites/501/state", kind="raw", status=200, body=garbage)
    )
    await advance(hass, freezer, simulator, 90)
    assert state_of(hass, "sensor.driveway_status") == "unavailable"
    coordinator = easee.runtime_data.coordinator
    error = coordinator.last_exception
    assert error is not None
    assert "not JSON" in str(error)
    held: list[object] = []
    link: BaseException | None = error.__cause__
    while link is not None:
        tb = link.__traceback__
        while tb is not None:
            held.extend(tb.tb_frame.f_locals.values())
            tb = tb.tb_next
        link = link.__cause__ or link.__context__
    assert not any(isinstance(value, (bytes, str)) and len(value) >= 100_000 for value in held)
    assert not any(type(value).__name__ == "ClientResponse" for value in held)
    assert not any("Bearer " in repr(value) for value in held)
