"""Jedlix through Home Assistant at the edges, and diagnostics of an unloaded account.

A location with little data, messages that need nothing from the user.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.smart_charging.const import DOMAIN
from simulator.faults import Fault
from simulator.jedlix import DEMO_USER_ID

from ..conftest import Sim, add_entry, advance
from ..helpers import diagnostics_of, state_of

USER = f"/jedlix/api/v2/users/{DEMO_USER_ID}"
LOCATION = "sensor.charging_location"


async def test_a_location_with_only_later_prices_no_solar_and_no_tariffs(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Prices only from tomorrow: no price now, but tomorrow's are there for automations.

    No solar data and no tariffs yet: those are unknown, not zero or a guess.
    """
    freezer.move_to(simulator.sim.now())  # Monday 12:00 UTC, 13:00 in Amsterdam
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    location = f"{USER}/charging-locations/{simulator.jedlix.demo.location_id}"
    tomorrow = [
        {
            "startTime": f"2026-11-24T{hour:02d}:00:00.000Z",
            "endTime": f"2026-11-24T{hour + 1:02d}:00:00.000Z",
            "price": 0.2 + hour / 100,
            "currency": "EUR",
            "dataType": "Forecast",
        }
        for hour in (6, 7)
    ]
    for path, status, body in (
        (f"{location}/dynamic-tariffs", 200, tomorrow),
        (f"{location}/solar-energy", 200, []),
        (f"{location}/tariffs", 404, {"title": "Not Found", "status": 404}),
    ):
        simulator.sim.faults.add(
            Fault(path=path, method="GET", status=status, body=body, times=None)
        )
    await add_entry(hass, simulator, "jedlix")
    price = hass.states.get(f"{LOCATION}_current_price")
    assert price is not None
    assert price.state == "unknown"
    assert price.attributes["today"] == []
    assert [p["price"] for p in price.attributes["tomorrow"]] == [0.26, 0.27]
    assert price.attributes["forecast"] is None
    assert state_of(hass, f"{LOCATION}_price_data") == "unknown"
    assert state_of(hass, f"{LOCATION}_solar_energy_today") == "unknown"
    assert state_of(hass, f"{LOCATION}_tariff_in_force") == "unknown"


async def test_a_message_that_needs_nothing_is_an_event_not_an_issue(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A session-started message fires the event (needs_action false) and raises no issue."""
    freezer.move_to(simulator.sim.now())
    entry = await add_entry(hass, simulator, "jedlix")
    events: list[Event] = []
    hass.bus.async_listen("smart_charging_message", events.append)
    message = simulator.jedlix.add_message("StartSession")
    # Messages are read every tenth poll.
    for _ in range(10):
        await advance(hass, freezer, simulator, 120)
    assert [(e.data["type"], e.data["needs_action"]) for e in events] == [("start_session", False)]
    assert issue_registry.async_get_issue(DOMAIN, f"message_{entry.entry_id}_{message.id}") is None


async def test_diagnostics_of_an_unloaded_account(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An account that is not loaded has no data to show; its secrets stay hidden."""
    entry: ConfigEntry = await add_entry(hass, simulator, "easee")
    await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    result = await diagnostics_of(hass, hass_client, entry)
    assert result["data"] is None
    assert result["entry"]["data"]["password"] == "**REDACTED**"
    assert "demo-password" not in str(result)
