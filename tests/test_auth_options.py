"""Issue 14: options checked as finite minutes in range, and a 429 backoff kept across reload."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from simulator.faults import Fault

from .conftest import Sim, advance

SESSIONS = "/ampeco/public-api/resources/sessions"
GOOD = {"active_interval": 3, "idle_interval": 30, "settings_interval": 120}


def _no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("active_interval", "nan"),
        ("active_interval", "NaN"),
        ("active_interval", float("nan")),
        ("active_interval", "inf"),
        ("idle_interval", float("inf")),
        ("idle_interval", "-inf"),
        ("settings_interval", "1e309"),
        ("active_interval", -5),
        ("active_interval", 0),
        ("active_interval", 0.5),
        ("active_interval", 61),
        ("idle_interval", 4),
        ("settings_interval", 1441),
        ("settings_interval", 10**400),
        ("active_interval", "abc"),
        ("active_interval", ""),
        ("active_interval", None),
        ("active_interval", True),
        ("active_interval", [3]),
        ("active_interval", {"minutes": 3}),
    ],
)
async def test_options_refuse_what_is_not_minutes_in_range(
    hass: HomeAssistant,
    ampeco: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    key: str,
    value: Any,
) -> None:
    """Each bad value is a translated form error on its field; nothing is stored."""
    result = await hass.config_entries.options.async_init(ampeco.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], GOOD | {key: value}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {key: "invalid_option"}
    assert ampeco.options == {}
    result = await hass.config_entries.options.async_configure(result["flow_id"], GOOD)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert ampeco.options == {k: float(v) for k, v in GOOD.items()}
    _no_errors_logged(caplog)


async def test_options_accept_numbers_as_text_and_the_bounds(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The bounds themselves and numbers sent as text are fine, stored as numbers."""
    result = await hass.config_entries.options.async_init(viriciti.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"active_interval": "1", "settings_interval": 1440, "group_limit_hold": " 5 "},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert viriciti.options == {
        "active_interval": 1.0,
        "settings_interval": 1440.0,
        "group_limit_hold": 5.0,
    }


async def test_stored_bad_options_do_not_break_polling(
    hass: HomeAssistant,
    ampeco: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Options an older version stored ("nan", inf, negative) fall back to the defaults."""
    hass.config_entries.async_update_entry(
        ampeco,
        options={"active_interval": "nan", "idle_interval": float("inf"), "settings_interval": -1},
    )
    simulator.sim.log.clear()
    for _ in range(10):  # 5 minutes: the sessions are read every 1.5 (AMPECO's default)
        await advance(hass, freezer, simulator, 30)
    assert len(simulator.sim.log.matching("GET", SESSIONS)) == 3
    assert ampeco.runtime_data.coordinator.last_update_success
    coordinator = ampeco.runtime_data.coordinator
    assert coordinator.option("active_interval", timedelta(minutes=2)) == timedelta(minutes=2)
    # The form offers the defaults in their place.
    result = await hass.config_entries.options.async_init(ampeco.entry_id)
    defaults = {str(k): k.default() for k in result["data_schema"].schema}
    assert defaults == {"active_interval": 1.5, "idle_interval": 30.0, "settings_interval": 120.0}
    _no_errors_logged(caplog)


async def test_reload_during_a_429_waits_for_retry_after(
    hass: HomeAssistant,
    ampeco: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The cloud's Retry-After outlives the client a reload rebuilds."""
    simulator.sim.faults.add(
        Fault(
            path="/ampeco", status=429, body={"message": "Too many"}, headers={"Retry-After": "600"}
        )
    )
    simulator.sim.log.clear()
    for _ in range(10):
        await advance(hass, freezer, simulator, 30)
        if any(e.status == 429 for e in simulator.sim.log.entries):
            break
    (refused,) = [e for e in simulator.sim.log.entries if e.status == 429]
    until = refused.time + timedelta(seconds=600)
    simulator.sim.log.clear()

    await hass.config_entries.async_reload(ampeco.entry_id)
    await hass.async_block_till_done()
    assert simulator.sim.log.entries == []
    # Reloading again changes nothing: the backoff is remembered per entry.
    await hass.config_entries.async_reload(ampeco.entry_id)
    await hass.async_block_till_done()
    for _ in range(40):  # 20 minutes, setup retries included
        await advance(hass, freezer, simulator, 30)
        if ampeco.state is ConfigEntryState.LOADED:
            break
    assert ampeco.state is ConfigEntryState.LOADED
    assert simulator.sim.log.entries
    assert min(e.time for e in simulator.sim.log.entries) >= until
    # Home Assistant logs each setup retry at debug level, with its traceback; nothing
    # is an error.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
