"""ViriCiti charger groups through Home Assistant: limits, timeframes, actions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.smart_charging.const import DOMAIN
from simulator.faults import Fault
from simulator.viriciti import Timeframe

from ..conftest import Sim, advance
from ..helpers import device_of, entities_as_seen, refused, state_of
from .conftest import add_groups

GROUP = "sensor.viriciti_group"
GROUP_ID = "ViriCitiGroup"
GROUP_DEVICE = f"viriciti_group_{GROUP_ID}"
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday; 13:00 in Amsterdam


def _posts(simulator: Sim) -> list[Any]:
    return [e.body for e in simulator.sim.log.matching("POST", "/viriciti/")]


async def test_entities_and_states(
    hass: HomeAssistant, viriciti: ConfigEntry, snapshot: SnapshotAssertion
) -> None:
    """The group and its chargers as a user first sees them."""
    assert entities_as_seen(hass, viriciti) == snapshot


async def test_default_limit_and_next_change(hass: HomeAssistant, viriciti: ConfigEntry) -> None:
    """At 13:00 in Amsterdam the default 400 kW holds; at 16:00 the evening 200 kW starts."""
    assert state_of(hass, f"{GROUP}_active_limit") == "400.0"
    assert state_of(hass, f"{GROUP}_active_limit_source") == "default"
    assert state_of(hass, f"{GROUP}_scheduled_limit") == "unknown"
    assert state_of(hass, f"{GROUP}_next_limit_change") == "2026-11-23T15:00:00+00:00"
    assert state_of(hass, f"{GROUP}_next_limit") == "200.0"
    assert state_of(hass, "number.viriciti_group_group_limit") == "400.0"


async def test_chargers_hang_under_their_group(
    hass: HomeAssistant, viriciti: ConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """Each charger is a device linked to its group, with the share of each position."""
    group = device_of(hass, viriciti, GROUP_DEVICE)
    charger = device_registry.async_get(device_of(hass, viriciti, "viriciti_station_charger_1"))
    assert charger is not None
    assert charger.via_device_id == group
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_1_limit") == "150.0"
    assert state_of(hass, "sensor.charger_1_viriciti_group_position_2_limit") == "0.0"
    assert state_of(hass, "sensor.charger_2_viriciti_group_position_1_limit") == "50.0"


async def test_each_layer_of_the_hierarchy(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Default, then upcoming (15 min before the drop), scheduled, and external over all."""
    await advance(hass, freezer, simulator, 2 * 3600 + 46 * 60)  # 14:46 UTC
    assert state_of(hass, f"{GROUP}_active_limit_source") == "upcoming"
    assert state_of(hass, f"{GROUP}_active_limit") == "200.0"
    await advance(hass, freezer, simulator, 15 * 60)  # 15:01 UTC, 16:01 local
    assert state_of(hass, f"{GROUP}_active_limit_source") == "scheduled"
    assert state_of(hass, f"{GROUP}_scheduled_limit") == "200.0"
    await hass.services.async_call(
        "number",
        "set_value",
        {ATTR_ENTITY_ID: "number.viriciti_group_group_limit", "value": 300},
        blocking=True,
    )
    assert state_of(hass, f"{GROUP}_active_limit_source") == "external"
    assert state_of(hass, f"{GROUP}_active_limit") == "300.0"


async def test_timeframe_crossing_midnight(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """From the 16:00-00:00 window into the 00:00-08:00 one, and out at 08:00."""
    await advance(hass, freezer, simulator, 3 * 3600 + 60)  # 16:01 local
    assert state_of(hass, f"{GROUP}_next_limit_change") == "2026-11-23T23:00:00+00:00"
    assert state_of(hass, f"{GROUP}_next_limit") == "100.0"
    await advance(hass, freezer, simulator, 8 * 3600)  # 00:01 local
    assert state_of(hass, f"{GROUP}_active_limit") == "100.0"
    assert state_of(hass, f"{GROUP}_next_limit_change") == "2026-11-24T07:00:00+00:00"
    assert state_of(hass, f"{GROUP}_next_limit") == "400.0"


async def test_number_sets_an_external_limit_that_expires(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The number holds the limit for the hold time (1 h), then the default returns."""
    await hass.services.async_call(
        "number",
        "set_value",
        {ATTR_ENTITY_ID: "number.viriciti_group_group_limit", "value": 250},
        blocking=True,
    )
    assert _posts(simulator) == [{"groupLimit": 250, "endTime": "2026-11-23T13:00:00.000+00:00"}]
    assert state_of(hass, f"{GROUP}_external_limit") == "250.0"
    assert state_of(hass, f"{GROUP}_external_limit_end") == "2026-11-23T13:00:00+00:00"
    assert state_of(hass, "number.viriciti_group_group_limit") == "250.0"
    assert state_of(hass, f"{GROUP}_next_limit_change") == "2026-11-23T13:00:00+00:00"
    await advance(hass, freezer, simulator, 3600 + 10)
    assert state_of(hass, f"{GROUP}_active_limit_source") == "default"
    assert state_of(hass, f"{GROUP}_external_limit") == "unknown"
    assert state_of(hass, "number.viriciti_group_group_limit") == "400.0"


async def test_number_refuses_a_fraction(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """A limit that is not a whole number of kW is refused before anything is sent."""
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            "number",
            "set_value",
            {ATTR_ENTITY_ID: "number.viriciti_group_group_limit", "value": 12.5},
            blocking=True,
        )
    assert caught.value.translation_key == "limit_not_positive_integer"
    assert _posts(simulator) == []


async def _set_limit(hass: HomeAssistant, viriciti: ConfigEntry, **data: Any) -> None:
    """The ``set_group_limit`` action on the demo group."""
    data["device_id"] = device_of(hass, viriciti, GROUP_DEVICE)
    await hass.services.async_call(DOMAIN, "set_group_limit", data, blocking=True)


async def test_set_group_limit_action(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """The action sets the limit until an end time, and it is read back as external."""
    await _set_limit(hass, viriciti, limit=180, end_time="2026-11-23T14:30:00+00:00")
    assert _posts(simulator) == [{"groupLimit": 180, "endTime": "2026-11-23T14:30:00.000+00:00"}]
    assert state_of(hass, f"{GROUP}_active_limit_source") == "external"
    assert state_of(hass, f"{GROUP}_external_limit_end") == "2026-11-23T14:30:00+00:00"


async def test_a_write_does_not_end_an_outage(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """While ViriCiti's reads fail, a limit the action wrote does not bring the group back.

    Only a poll that succeeds does: the outage is logged once, and its end once.
    """
    simulator.sim.faults.add(
        Fault(path="/viriciti/", method="GET", status=503, body={"error": "down"}, times=None)
    )
    await advance(hass, freezer, simulator, 300)
    assert state_of(hass, f"{GROUP}_active_limit") == "unavailable"
    await _set_limit(hass, viriciti, limit=180, end_time="2026-11-23T14:30:00+00:00")
    assert _posts(simulator) == [{"groupLimit": 180, "endTime": "2026-11-23T14:30:00.000+00:00"}]
    assert state_of(hass, f"{GROUP}_active_limit") == "unavailable"
    await advance(hass, freezer, simulator, 300)
    simulator.sim.faults.clear()
    await advance(hass, freezer, simulator, 300)
    assert state_of(hass, f"{GROUP}_active_limit") == "180.0"
    assert caplog.text.count("Error fetching ViriCiti") == 1
    assert caplog.text.count("data recovered") == 1


async def test_set_group_limit_for_a_duration(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """A duration counts from now."""
    await _set_limit(hass, viriciti, limit=90, duration="00:30:00")
    assert _posts(simulator) == [{"groupLimit": 90, "endTime": "2026-11-23T12:30:00.000+00:00"}]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"limit": 0, "duration": "01:00:00"}, "limit_not_positive_integer"),
        ({"limit": -20, "duration": "01:00:00"}, "limit_not_positive_integer"),
        ({"limit": 99.5, "duration": "01:00:00"}, "limit_not_positive_integer"),
        ({"limit": 100, "end_time": "2026-11-23T11:00:00+00:00"}, "end_time_in_past"),
        ({"limit": 100}, "end_time_or_duration"),
        (
            {"limit": 100, "duration": "01:00:00", "end_time": "2026-11-23T14:00:00+00:00"},
            "end_time_or_duration",
        ),
    ],
)
async def test_set_group_limit_refuses_bad_input(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    data: dict[str, Any],
    key: str,
) -> None:
    """Bad input gets a translated error and nothing is sent."""
    error = await refused(
        hass, "set_group_limit", device_id=device_of(hass, viriciti, GROUP_DEVICE), **data
    )
    assert error.translation_key == key
    assert _posts(simulator) == []


async def test_set_group_limit_on_a_charger_device(
    hass: HomeAssistant, viriciti: ConfigEntry
) -> None:
    """Aiming the action at a charger instead of a group says so."""
    charger = device_of(hass, viriciti, "viriciti_station_charger_1")
    error = await refused(
        hass, "set_group_limit", device_id=charger, limit=100, duration="01:00:00"
    )
    assert error.translation_key == "not_a_group"


async def test_set_group_limit_on_an_unloaded_entry(
    hass: HomeAssistant, viriciti: ConfigEntry
) -> None:
    """An action aimed at an unloaded account fails clearly."""
    device_id = device_of(hass, viriciti, GROUP_DEVICE)
    await hass.config_entries.async_unload(viriciti.entry_id)
    error = await refused(
        hass, "set_group_limit", device_id=device_id, limit=100, duration="01:00:00"
    )
    assert error.translation_key == "entry_not_loaded"


async def test_cloud_refusal_of_a_limit_is_visible(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """Changing the limit twice within a minute: the cloud's 429 reaches the user."""
    await _set_limit(hass, viriciti, limit=150, duration="01:00:00")
    with pytest.raises(HomeAssistantError) as caught:
        await _set_limit(hass, viriciti, limit=140, duration="01:00:00")
    assert caught.value.translation_key == "rate_limited"
    assert state_of(hass, f"{GROUP}_active_limit") == "150.0"


async def _history(hass: HomeAssistant, viriciti: ConfigEntry, start: str, end: str) -> Any:
    """What the group's limit-history action answers for ``start`` to ``end``."""
    data = {"device_id": device_of(hass, viriciti, GROUP_DEVICE), "start": start, "end": end}
    return await hass.services.async_call(
        DOMAIN, "get_group_limit_history", data, blocking=True, return_response=True
    )


async def test_history_splits_long_periods(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim
) -> None:
    """40 days are asked for in two requests; the samples come back as response data."""
    simulator.sim.log.clear()
    response = await _history(
        hass, viriciti, "2026-10-14T12:00:00+00:00", "2026-11-23T12:00:00+00:00"
    )
    requests = simulator.sim.log.matching("GET", "/viriciti/api/v1/smartcharging/time/")
    assert [(int(r.query["end"]) - int(r.query["start"])) // 86_400_000 for r in requests] == [
        31,
        9,
    ]
    assert response is not None
    samples = response["samples"]
    assert isinstance(samples, list)
    assert samples, "the demo world has a week of sessions"
    assert samples[-1]["limits"] == [
        {"charger": "charger_1", "position": 1, "limit": 150.0},
        {"charger": "charger_2", "position": 1, "limit": 50.0},
    ]


async def test_history_refuses_an_empty_period(hass: HomeAssistant, viriciti: ConfigEntry) -> None:
    """A start after the end is refused."""
    with pytest.raises(ServiceValidationError) as caught:
        await _history(hass, viriciti, "2026-11-23T12:00:00+00:00", "2026-11-22T12:00:00+00:00")
    assert caught.value.translation_key == "start_after_end"


async def test_next_change_across_a_week_boundary(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A Sunday-evening timeframe seen on a Friday: the change is after the weekend turns."""
    freezer.move_to(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))  # Friday
    simulator.sim.clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    simulator.viriciti.reset(demo=False)
    simulator.viriciti.add_group(
        "Depot",
        title="Depot",
        default_limit=500,
        timezone="Europe/Amsterdam",
        timeframes=[Timeframe("Sunday evening", "0 18 * * 0", "0 22 * * 0", 120)],
    )
    simulator.viriciti.add_station("depot_1", "Depot", positions=1)
    await add_groups(hass, simulator, "Depot")
    assert state_of(hass, "sensor.depot_next_limit_change") == "2026-11-29T17:00:00+00:00"
    assert state_of(hass, "sensor.depot_next_limit") == "120.0"


async def test_group_outage(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """While the SDK is down the group is unavailable, and comes back with it."""
    simulator.sim.faults.add(Fault(path="/viriciti", status=502, times=None))
    await advance(hass, freezer, simulator, 180)
    assert state_of(hass, f"{GROUP}_active_limit") == "unavailable"
    simulator.sim.faults.clear()
    await advance(hass, freezer, simulator, 180)
    assert state_of(hass, f"{GROUP}_active_limit") == "400.0"


async def test_polling_cost(
    hass: HomeAssistant, viriciti: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """An hour of polling one group costs about 40 requests, whatever its size."""
    simulator.sim.log.clear()
    for _ in range(120):
        await advance(hass, freezer, simulator, 30)
    assert len(simulator.sim.log.entries) <= 45


async def _press(hass: HomeAssistant, value: float) -> None:
    await hass.services.async_call(
        "number",
        "set_value",
        {ATTR_ENTITY_ID: "number.viriciti_group_group_limit", "value": value},
        blocking=True,
    )


def _accepted(simulator: Sim) -> list[Any]:
    return [
        e.body["groupLimit"]
        for e in simulator.sim.log.matching("POST", "/viriciti/")
        if e.status < 300
    ]


async def test_quick_changes_of_the_limit_are_one_change_at_the_clouds_pace(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The minus pressed three times: the first is sent, the other two as one, when allowed.

    ViriCiti takes one change a minute; the user's own clicks get no error, and the
    control shows only the limit in force or the one on its way.
    """
    for value in (399, 398, 397):
        await _press(hass, value)
    assert _accepted(simulator) == [399]
    assert state_of(hass, "number.viriciti_group_group_limit") == "397.0"
    await advance(hass, freezer, simulator, 3)
    # Sent once the clicks stopped; the cloud asks to wait out its minute.
    assert [e.status for e in simulator.sim.log.matching("POST", "/viriciti/")] == [200, 429]
    assert state_of(hass, "number.viriciti_group_group_limit") == "397.0"
    for _ in range(4):
        await advance(hass, freezer, simulator, 15)
    assert _accepted(simulator) == [399, 397]
    assert state_of(hass, f"{GROUP}_external_limit") == "397.0"
    assert state_of(hass, "number.viriciti_group_group_limit") == "397.0"
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]


async def test_a_later_change_the_cloud_refuses_is_not_lost_silently(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A coalesced change refused (not a wait): the limit in force shows, a repair says why."""
    await _press(hass, 350)
    await _press(hass, 340)
    simulator.sim.faults.add(
        Fault(path="/viriciti/", method="POST", status=400, body={"error": "Invalid limit"})
    )
    await advance(hass, freezer, simulator, 3)
    assert _accepted(simulator) == [350]
    assert state_of(hass, "number.viriciti_group_group_limit") == "350.0"
    [issue] = [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert issue.translation_key == "group_limit_not_set"
    assert issue.translation_placeholders["limit"] == "340"
    # The next change that goes through clears it.
    await advance(hass, freezer, simulator, 60)
    await _press(hass, 330)
    assert _accepted(simulator) == [350, 330]
    assert not [i for i in issue_registry.issues.values() if i.domain == DOMAIN]


async def test_a_change_not_yet_sent_is_not_lost_with_a_reload(
    hass: HomeAssistant,
    viriciti: ConfigEntry,
    simulator: Sim,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Reloaded before a coalesced change went out: it is sent then, or reported."""
    await _press(hass, 390)
    await _press(hass, 380)
    # The setup after the unload waits out ViriCiti's Retry-After (it may not be ready).
    await hass.config_entries.async_reload(viriciti.entry_id)
    await hass.async_block_till_done()
    # Sent at once on the way out; ViriCiti wants its minute, so the user is told.
    posts = simulator.sim.log.matching("POST", "/viriciti/")
    assert [(e.body["groupLimit"], e.status) for e in posts] == [(390, 200), (380, 429)]
    [issue] = [i for i in issue_registry.issues.values() if i.domain == DOMAIN]
    assert issue.translation_placeholders["limit"] == "380"
