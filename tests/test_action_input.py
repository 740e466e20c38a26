"""Hostile action input: every field is bounded, typed and refused before anything is sent.

Each case asserts the translated error's key and the field it names, and that the
simulated clouds saw no request at all.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest

from custom_components.smart_charging.const import DOMAIN

from .conftest import Sim, advance
from .helpers import device_of
from .jedlix.helpers import PEAK_OFF_PEAK, location_device

STRINGS = json.loads(
    (Path(__file__).parent.parent / "custom_components/smart_charging/strings.json").read_text()
)
NOW = "2026-11-23T12:00:00+00:00"
HOSTILE_IDS = ["..", "a/b", "%2e%2e", "x" * 129, "abc\n", "", "ünï", "a b", "../../users", "-x"]


def label(field: str) -> str:
    """How a message names a field: its label in the action forms, where they all agree."""
    names = {
        spec["name"]
        for action in STRINGS["services"].values()
        for key, spec in action.get("fields", {}).items()
        if key == field
    }
    return names.pop() if len(names) == 1 else field


async def _refused(
    hass: HomeAssistant, simulator: Sim, service: str, data: dict[str, Any]
) -> ServiceValidationError:
    """Call ``service``; it must fail with a translated error and send nothing."""
    simulator.sim.log.clear()
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN,
            service,
            data,
            blocking=True,
            return_response=service in ("get_sessions", "get_group_limit_history"),
        )
    assert caught.value.translation_domain == DOMAIN
    assert simulator.sim.log.entries == []
    return caught.value


# --- set_group_limit, get_group_limit_history and the group-limit number --------------------


@pytest.fixture
def group(hass: HomeAssistant, viriciti: ConfigEntry) -> str:
    """The demo ViriCiti group's device id."""
    return device_of(hass, viriciti, "viriciti_group_ViriCitiGroup")


@pytest.mark.parametrize(
    ("data", "key", "field"),
    [
        ({"limit": True}, "input_not_a_number", "limit"),
        ({"limit": False}, "input_not_a_number", "limit"),
        ({"limit": 100_001}, "input_out_of_range", "limit"),
        ({"limit": 1e12}, "input_out_of_range", "limit"),
        ({"limit": 10**30}, "input_out_of_range", "limit"),
        ({"limit": -(10**30)}, "limit_not_positive_integer", None),
        ({"limit": "nan"}, "input_not_a_number", "limit"),
        ({"limit": "1e400"}, "input_not_a_number", "limit"),
        ({"limit": float("inf")}, "input_not_a_number", "limit"),
        ({"limit": [150]}, "input_not_a_number", "limit"),
        ({"limit": "lots"}, "input_not_a_number", "limit"),
        ({"duration": {"days": 999_999_999}}, "input_duration_out_of_range", "duration"),
        ({"duration": "999999999:00:00"}, "input_duration_out_of_range", "duration"),
        ({"duration": "00:00:10"}, "input_duration_out_of_range", "duration"),
        ({"duration": "-01:00:00"}, "input_duration_out_of_range", "duration"),
        ({"duration": True}, "input_not_a_duration", "duration"),
        ({"duration": "forever"}, "input_not_a_duration", "duration"),
        ({"end_time": "9999-12-31T23:59:59+00:00"}, "input_time_out_of_range", "end_time"),
        ({"end_time": "9999-12-31T23:59:59-12:00"}, "input_time_out_of_range", "end_time"),
        ({"end_time": "0001-01-01T00:00:00+14:00"}, "input_time_out_of_range", "end_time"),
        ({"end_time": "2028-01-01T00:00:00+00:00"}, "input_time_out_of_range", "end_time"),
        ({"end_time": True}, "input_not_a_time", "end_time"),
        ({"end_time": "tomorrow"}, "input_not_a_time", "end_time"),
    ],
)
async def test_set_group_limit_refuses(
    hass: HomeAssistant, simulator: Sim, group: str, data: dict[str, Any], key: str, field: str
) -> None:
    """Far dates, huge or non-numbers and booleans are refused by name; nothing is sent."""
    call = {"device_id": group, "limit": 150, "duration": "01:00:00", **data}
    if "end_time" in data:
        del call["duration"]
    error = await _refused(hass, simulator, "set_group_limit", call)
    assert error.translation_key == key
    if field is not None:
        assert error.translation_placeholders["field"] == label(field)


@pytest.mark.parametrize("device_id", HOSTILE_IDS)
async def test_group_actions_refuse_a_device_id_that_is_no_id(
    hass: HomeAssistant, simulator: Sim, group: str, device_id: str
) -> None:
    """A device id with path characters, escapes or control characters is not looked up."""
    error = await _refused(
        hass, simulator, "set_group_limit", {"device_id": device_id, "limit": 150, "duration": 60}
    )
    assert (error.translation_key, error.translation_placeholders) == (
        "input_invalid_id",
        {"field": "device_id"},
    )


async def test_the_group_limit_number_has_the_action_s_bounds(
    hass: HomeAssistant, simulator: Sim, group: str
) -> None:
    """The number entity refuses what the action refuses, with the same messages."""
    entity = hass.data["entity_components"]["number"].get_entity(
        "number.viriciti_group_group_limit"
    )
    assert (entity.native_min_value, entity.native_max_value) == (1, 100_000)
    simulator.sim.log.clear()
    for value, key in (
        (True, "input_not_a_number"),
        (float("nan"), "input_not_a_number"),
        (100_001, "input_out_of_range"),
        (1e12, "input_out_of_range"),
        (0.5, "limit_not_positive_integer"),
        (0, "limit_not_positive_integer"),
    ):
        with pytest.raises(ServiceValidationError) as caught:
            await entity.async_set_native_value(value)
        assert caught.value.translation_key == key, value
    assert simulator.sim.log.entries == []


@pytest.mark.parametrize(
    ("data", "key", "field"),
    [
        ({"start": "1990-01-01T00:00:00+00:00"}, "input_time_out_of_range", "start"),
        ({"start": "0001-01-01T00:00:00"}, "input_time_out_of_range", "start"),
        ({"start": "2026-08-01T00:00:00+00:00"}, "period_too_long", "start"),
        ({"end": "9999-12-31T00:00:00+00:00"}, "input_time_out_of_range", "end"),
        ({"end": "2027-06-01T00:00:00+00:00"}, "input_time_out_of_range", "end"),
        ({"start": 1_700_000_000}, "input_not_a_time", "start"),
        ({"start": False}, "input_not_a_time", "start"),
    ],
)
async def test_group_limit_history_refuses(
    hass: HomeAssistant, simulator: Sim, group: str, data: dict[str, Any], key: str, field: str
) -> None:
    """Far starts and periods over 93 days are refused; no request is sent."""
    call = {"device_id": group, "start": "2026-11-01T00:00:00+00:00", **data}
    error = await _refused(hass, simulator, "get_group_limit_history", call)
    assert (error.translation_key, error.translation_placeholders["field"]) == (key, label(field))


async def test_group_limit_history_spends_a_bounded_share(
    hass: HomeAssistant, simulator: Sim, group: str, sim_clock: FrozenDateTimeFactory
) -> None:
    """93 days are 3 requests; a fourth read within a minute is refused, not sent."""
    simulator.sim.log.clear()
    call = {"device_id": group, "start": "2026-08-22T12:00:00+00:00", "end": NOW}
    for _ in range(3):
        await hass.services.async_call(
            DOMAIN, "get_group_limit_history", call, blocking=True, return_response=True
        )
    assert len(simulator.sim.log.entries) == 9
    error = await _refused(hass, simulator, "get_group_limit_history", call)
    assert (error.translation_key, error.translation_placeholders) == (
        "read_budget_spent",
        {"reads": "3"},
    )
    # A minute later the action may read again; the entry's polling never waited.
    await advance(hass, sim_clock, simulator, 61)
    simulator.sim.log.clear()
    await hass.services.async_call(
        DOMAIN, "get_group_limit_history", call, blocking=True, return_response=True
    )
    assert len(simulator.sim.log.matching("GET", "/viriciti/")) >= 3
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.runtime_data.coordinator.last_update_success


# --- AMPECO preferences ---------------------------------------------------------------------


@pytest.fixture
def charge_point(hass: HomeAssistant, ampeco: ConfigEntry) -> str:
    """The demo AMPECO charge point 6's device id."""
    return device_of(hass, ampeco, "ampeco_6")


SOLAR = {"max_current_from_grid": 6, "solar_stable_time": 300}
WINDOW = {"days": ["monday"], "start_time": "10:00", "end_time": "12:00"}
AGILE = {"provider": "octopus_agile", "post_code": "SW1A 1AA", "applicable_tax_id": 3}


@pytest.mark.parametrize(
    ("service", "data", "key", "field"),
    [
        ("set_solar_preferences", {"max_current_from_grid": True}, "input_not_a_number", None),
        ("set_solar_preferences", {"max_current_from_grid": 1e9}, "input_out_of_range", None),
        ("set_solar_preferences", {"max_current_from_grid": 33}, "input_out_of_range", None),
        ("set_solar_preferences", {"max_current_from_grid": "inf"}, "input_not_a_number", None),
        ("set_solar_preferences", {"solar_stable_time": 10**20}, "input_out_of_range", None),
        ("set_solar_preferences", {"solar_stable_time": 3601}, "input_out_of_range", None),
        ("set_solar_preferences", {"solar_stable_time": True}, "input_not_a_number", None),
        ("set_schedule_preferences", {"min_target_kwh": 5000}, "input_out_of_range", None),
        ("set_schedule_preferences", {"max_target_kwh": True}, "input_not_a_number", None),
        ("set_schedule_preferences", {"price_peak": 1e12}, "input_out_of_range", None),
        ("set_schedule_preferences", {"price_off_peak": "nan"}, "input_not_a_number", None),
        ("set_schedule_preferences", {"weekdays": [WINDOW] * 8}, "input_too_many", "weekdays"),
        ("set_schedule_preferences", {"weekdays": WINDOW}, "input_not_a_list", "weekdays"),
        (
            "set_schedule_preferences",
            {"weekdays": [{**WINDOW, "days": ["mon\x00day"]}]},
            "input_control_characters",
            "weekdays",
        ),
        (
            "set_schedule_preferences",
            {"weekdays": [{**WINDOW, "days": ["monday"] * 8}]},
            "input_too_many",
            "weekdays",
        ),
        ("set_dynamic_tariff_preferences", {"post_code": "A" * 100_000}, "input_text_length", None),
        (
            "set_dynamic_tariff_preferences",
            {"post_code": "SW1A\n1AA"},
            "input_control_characters",
            None,
        ),
        ("set_dynamic_tariff_preferences", {"post_code": ""}, "input_text_length", None),
        ("set_dynamic_tariff_preferences", {"post_code": True}, "input_not_text", None),
        (
            "set_dynamic_tariff_preferences",
            {"location": "GB\u202e1"},
            "input_control_characters",
            None,
        ),
        (
            "set_dynamic_tariff_preferences",
            {"applicable_tax_id": 10**30},
            "input_out_of_range",
            None,
        ),
        (
            "set_dynamic_tariff_preferences",
            {"applicable_tax_id": 1.5},
            "input_not_an_integer",
            None,
        ),
        ("set_dynamic_tariff_preferences", {"integration_id": True}, "input_not_a_number", None),
        ("set_dynamic_tariff_preferences", {"integration_id": 10**6}, "input_out_of_range", None),
        ("set_dynamic_tariff_preferences", {"target_kwh": 5000}, "input_out_of_range", None),
        ("set_dynamic_tariff_preferences", {"price_threshold": 1e12}, "input_out_of_range", None),
        ("set_dynamic_tariff_preferences", {"provider": "x" * 1000}, "input_text_length", None),
    ],
)
async def test_preferences_refuse(
    hass: HomeAssistant,
    simulator: Sim,
    charge_point: str,
    service: str,
    data: dict[str, Any],
    key: str,
    field: str | None,
) -> None:
    """Physics and the cloud bound every preference; the error names the field."""
    base: dict[str, Any] = {
        "set_solar_preferences": SOLAR,
        "set_schedule_preferences": {},
        "set_dynamic_tariff_preferences": AGILE,
    }[service]
    error = await _refused(hass, simulator, service, {"device_id": charge_point, **base, **data})
    assert error.translation_key == key
    assert error.translation_placeholders["field"] == label(field or next(iter(data)))


@pytest.mark.parametrize("device_id", HOSTILE_IDS)
async def test_preferences_refuse_a_device_id_that_is_no_id(
    hass: HomeAssistant, simulator: Sim, charge_point: str, device_id: str
) -> None:
    """Ids with path characters are refused before any lookup or request."""
    error = await _refused(
        hass, simulator, "disable_smart_charging_preferences", {"device_id": device_id}
    )
    assert error.translation_key == "input_invalid_id"


# --- Jedlix ---------------------------------------------------------------------------------


async def _dismiss(
    hass: HomeAssistant, simulator: Sim, jedlix: ConfigEntry, message_id: Any
) -> ServiceValidationError:
    """The refusal of dismissing ``message_id`` of the demo user's messages."""
    data = {"config_entry_id": jedlix.entry_id, "message_id": message_id}
    return await _refused(hass, simulator, "dismiss_message", data)


@pytest.mark.parametrize("message_id", [*HOSTILE_IDS, "x/../../vehicles", "%2F", 123])
async def test_dismiss_message_refuses_what_is_not_an_id(
    hass: HomeAssistant, simulator: Sim, jedlix: ConfigEntry, message_id: Any
) -> None:
    """``..``, ``a/b``, escapes, long or control characters never reach the path."""
    error = await _dismiss(hass, simulator, jedlix, message_id)
    assert (error.translation_key, error.translation_placeholders) == (
        "input_invalid_id",
        {"field": label("message_id")},
    )


@pytest.mark.parametrize(
    "message_id", ["6f1c8b2e-5b1a-4f0e-9b53-0b6f2a1e7d10", "messages", "x" * 128]
)
async def test_dismiss_message_refuses_a_message_the_entry_never_read(
    hass: HomeAssistant, simulator: Sim, jedlix: ConfigEntry, message_id: str
) -> None:
    """A well-formed id that is not among the entry's messages is not sent."""
    error = await _dismiss(hass, simulator, jedlix, message_id)
    assert error.translation_key == "message_not_known"
    assert error.translation_placeholders == {
        "field": label("message_id"),
        "message_id": message_id,
    }


@pytest.mark.parametrize("entry_id", HOSTILE_IDS)
async def test_jedlix_actions_refuse_an_entry_id_that_is_no_id(
    hass: HomeAssistant, simulator: Sim, jedlix: ConfigEntry, entry_id: str
) -> None:
    """The account id is checked like any other id."""
    error = await _refused(
        hass, simulator, "get_sessions", {"config_entry_id": entry_id, "start": NOW}
    )
    assert error.translation_placeholders == {"field": label("config_entry_id")}


@pytest.mark.parametrize(
    ("data", "key", "field"),
    [
        ({"start": "1990-01-01T00:00:00+00:00"}, "input_time_out_of_range", "start"),
        ({"start": "2025-01-01T00:00:00+00:00"}, "period_too_long", "start"),
        ({"end": "9999-12-31T23:59:59+00:00"}, "input_time_out_of_range", "end"),
        ({"start": True}, "input_not_a_time", "start"),
        ({"start": ["2026-11-01"]}, "input_not_a_time", "start"),
    ],
)
async def test_get_sessions_refuses(
    hass: HomeAssistant,
    simulator: Sim,
    jedlix: ConfigEntry,
    data: dict[str, Any],
    key: str,
    field: str,
) -> None:
    """Session periods are bounded (a year at most), in time and in span."""
    call = {"config_entry_id": jedlix.entry_id, "start": "2026-11-01T00:00:00+00:00", **data}
    error = await _refused(hass, simulator, "get_sessions", call)
    assert (error.translation_key, error.translation_placeholders["field"]) == (key, label(field))


async def test_get_sessions_spends_a_bounded_share(
    hass: HomeAssistant, simulator: Sim, jedlix: ConfigEntry
) -> None:
    """A script reading sessions in a loop is stopped after three reads a minute."""
    call = {"config_entry_id": jedlix.entry_id, "start": "2026-11-01T00:00:00+00:00"}
    for _ in range(3):
        await hass.services.async_call(
            DOMAIN, "get_sessions", call, blocking=True, return_response=True
        )
    error = await _refused(hass, simulator, "get_sessions", call)
    assert error.translation_key == "read_budget_spent"


def _tariffs(**change: Any) -> dict[str, Any]:
    return {**PEAK_OFF_PEAK, **change}


@pytest.mark.parametrize(
    ("data", "key", "field"),
    [
        (_tariffs(tariffs=[{"type": "standard", "price": 1e12}]), "input_out_of_range", "tariffs"),
        (_tariffs(tariffs=[{"type": "standard", "price": True}]), "input_not_a_number", "tariffs"),
        (_tariffs(tariffs=[{"type": "standard", "price": "nan"}]), "input_not_a_number", "tariffs"),
        (
            _tariffs(tariffs=[{"type": "standard", "price": 0.3, "currency": "EU\x00"}]),
            "input_control_characters",
            "tariffs",
        ),
        (
            _tariffs(tariffs=[{"type": "standard", "price": 0.3}] * 6),
            "input_too_many",
            "tariffs",
        ),
        (_tariffs(intervals=PEAK_OFF_PEAK["intervals"] * 17), "input_too_many", "intervals"),
        (
            _tariffs(intervals=[{**PEAK_OFF_PEAK["intervals"][0], "start_time": "x" * 9}]),
            "input_text_length",
            "intervals",
        ),
        (
            _tariffs(intervals=[{**PEAK_OFF_PEAK["intervals"][0], "days": ["monday"] * 8}]),
            "input_too_many",
            "intervals",
        ),
    ],
)
async def test_set_tariffs_refuses(
    hass: HomeAssistant,
    simulator: Sim,
    jedlix: ConfigEntry,
    data: dict[str, Any],
    key: str,
    field: str,
) -> None:
    """Prices, currencies and list sizes are bounded before the tariff rules run."""
    device = location_device(hass, jedlix, simulator)
    error = await _refused(hass, simulator, "set_tariffs", {"device_id": device, **data})
    assert (error.translation_key, error.translation_placeholders["field"]) == (key, label(field))
