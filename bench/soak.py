"""The fault soak: simulated hours of a misbehaving cloud, and the invariants that must hold.

Every cloud of ``bench.clouds`` gets an entry (through the config flow) and a seeded
plan of faults over the run: 5xx bursts, 429 with and without Retry-After, timeouts,
dropped connections, token expiry and refusal, malformed JSON, bodies that are not UTF-8
JSON, absurd measurements (NaN, infinities, negatives, 1e308), redirects, unknown enum
values and one outage. Cars come and go, and actions are called at random, valid and
invalid. The clock is advanced, not waited for: both Home Assistant's (the freezer) and
the simulator's, together, in 30 s steps.

The run fails (``SoakReport.violations``) unless:

- nothing logs at ERROR or above, and our coordinators log no unexpected exception;
- every action raised a clear Home Assistant error or was confirmed by the simulator's
  log (a 2xx request of the right kind reached the cloud during the call);
- after a 429 with Retry-After, the next request to that cloud comes at least
  Retry-After later (simulated time, from the simulator's log);
- a refresh fails only when the cloud failed since the last good one, and the first good
  refresh after the cloud is healthy again comes within one poll (30 s);
- "unavailable" is logged once per outage and the recovery once;
- the memory traced at the end is within 5 % of the memory after the baseline period,
  the first half of the run (which plays one fault of each kind per cloud first, so
  that what the first occurrence of a kind allocates once is in the baseline). A leak
  that every request, fault or action feeds grows the second half as much as the first;
  what fills once and stops does not: the first hours fill bounded caches (yarl's 256
  parsed URLs, some with a time in their query; Home Assistant's compiled schemas) and
  meet the world's states of the day once (tomorrow's prices, chargers gone offline).
  The day of seed 2026 grew 6.6 % from hour 1 to hour 12 and 2.0 % from hour 12 to 24;
  every hour's figure is in the JSON report (``memory.hourly_bytes``);
- lifetime-energy sensors never decrease and session energy is never negative;
- every entry is still loaded and no reauthentication was asked for;
- no redirect was followed (each points at a path no client may ever request).

Timeouts: the HTTP core gives up after 20 s (``DEFAULT_TIMEOUT``). A ``delay`` fault of
21 s makes the request hang; while one hangs, the soak moves both clocks a second at a
time (checking in real time, in 5 ms naps) until the client's timer fires, so a timeout
costs 20 simulated seconds and almost no real time.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import gc
import json
import logging
import random
import time
import tracemalloc
from typing import Any

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.smart_charging.const import DOMAIN
from simulator.app import Simulator
from simulator.easee.stream import garbage
from simulator.faults import Fault, FaultInjector
from tests.conftest import Sim, add_entry

from .clouds import CLOUDS, CloudSpec
from .harness import (
    Capture,
    Frames,
    Refresh,
    RefreshMeter,
    RequestCounter,
    captured_logs,
    coordinator_of,
    entity_entries,
    harness_copy,
    part_of,
    select,
    size_of,
    wall_clock,
)

STEP = 30.0
# The coordinators' poll: entities must be back within one after the cloud is.
POLL = 30.0
# The HTTP core's timeout is 20 s; a delay longer than that is a timeout.
TIMEOUT_DELAY = 21.0
MEMORY_TOLERANCE = 0.05
# The most 5 ms naps before the clocks move past requests still on their way.
SETTLE_NAPS = 400
# The coordinator logs these when a cloud goes away and comes back.
UNAVAILABLE_PREFIXES = ("Error fetching", "Timeout fetching", "Error requesting")
RECOVERED_SUFFIX = "data recovered"
# The memory check counts what Home Assistant and the integration allocate: an allocation
# counts when one of its TRACE_DEPTH innermost frames is in Home Assistant's package or the
# integration (``custom_components/`` of this repository). The simulator shares the
# process only in the soak; its server side never runs under those frames, so what it
# keeps (histories, logs) is not counted; nor is the soak's own bookkeeping (an innermost
# frame in ``bench/``), or log records (the standard library's ``logging``; pytest's
# handlers are taken off meanwhile). Each file is placed by its module's folder
# (``bench.harness.part_of``), never by a pattern that a folder above the checkout matches.
# One more thing is left out, as the benchmark leaves it out: the test harness's JSON copy
# of what Home Assistant saves (``bench.harness.harness_copy``: that one line), which an
# installation writes to disk instead of keeping.
TRACE_DEPTH = 4


def _running_coverage() -> Any:
    """The coverage measurement running in this process, if any (pytest --cov)."""
    try:
        import coverage  # only where the tests measure it
    except ImportError:
        return None
    return coverage.Coverage.current()


def _nap() -> asyncio.Future[None]:
    """5 ms of real time, slept in a thread: the loop runs meanwhile (its clock is frozen)."""
    return asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.005)


def counted(frames: Frames) -> bool:
    """Whether the soak's memory check counts an allocation with these frames."""
    parts = [part_of(filename) for filename, _ in frames]
    if "simulator" in parts or parts[0] in ("bench", "logging") or harness_copy(frames):
        return False
    return "homeassistant" in parts or "integration" in parts


# Faults per cloud and per simulated hour (a shorter run gets at least one of each).
FAULT_RATES: dict[str, float] = {
    "5xx burst": 6 / 24,
    "429 with Retry-After": 3 / 24,
    "429 without Retry-After": 3 / 24,
    "timeout": 2 / 24,
    "dropped connection": 3 / 24,
    "malformed JSON": 3 / 24,
    "undecodable body": 2 / 24,
    "absurd values": 3 / 24,
    "redirect elsewhere": 2 / 24,
    "token expiry": 2 / 24,
    "token refusal": 1 / 24,
    "unknown enum values": 2 / 24,
    # A cloud that pushes (Easee's charger stream): the hub closes every stream, refuses
    # new ones for a while (401 or 503 on negotiate), or sends frames no client can use.
    "stream drop": 3 / 24,
    "hub refuses": 2 / 24,
    "hub garbage": 2 / 24,
}
# How long a refusing hub refuses, in seconds.
HUB_REFUSAL = (60, 300, 900)
# Faults only a cloud that pushes can have.
HUB_FAULTS = ("stream drop", "hub refuses", "hub garbage")
# Success answers no client can read: Latin-1 text, a UTF-16 mark, nesting deeper than
# Python reads, JSON followed by garbage.
UNDECODABLE = ('{"name": "caf\xe9"}', "\xff\xfe{}", "[" * 50_000 + "]" * 50_000, '{"a": 1} x')
# Where a redirect points: a path of the simulator that no client may ever request, so a
# client that followed a redirect (it must follow none) shows in the simulator's log.
# That credentials never reach another origin is tested with a second server in
# tests/clouds/test_http_hostile.py.
REDIRECT_TRAP = "/_redirected"
LIFE_PER_HOUR = 3.0
ACTIONS_PER_HOUR = 12.0
# After an action, the same one again at once (a slider nudged twice) this often.
REPEAT_CHANCE = 0.3


# --- faults as the simulator applies them -------------------------------------------------


@dataclass(frozen=True)
class Taken:
    """A fault the simulator applied to a request."""

    at: float
    cloud: str
    method: str
    path: str
    kind: str
    status: int
    retry_after: float | None
    # Until when the fault keeps the request from being answered (a delay).
    until: float


class SoakFaults(FaultInjector):
    """The simulator's fault injector, keeping a ledger and counting hanging delays."""

    def __init__(self, sim: Simulator) -> None:
        super().__init__()
        self.sim = sim
        self.taken: list[Taken] = []
        self.delaying = 0

    def take(self, request: web.Request) -> Fault | None:
        """Apply the first matching fault, and note it."""
        fault = super().take(request)
        if fault is not None:
            now = self.sim.now().timestamp()
            header = fault.headers.get("Retry-After") if fault.kind == "status" else None
            self.taken.append(
                Taken(
                    at=now,
                    cloud=_cloud_of(request.path),
                    method=_copy(request.method),
                    path=_copy(request.path),
                    kind=fault.kind,
                    status=fault.status if fault.kind == "status" else 0,
                    retry_after=float(header) if header else None,
                    until=now + (fault.delay if fault.kind == "delay" else 0.0),
                )
            )
        return fault

    async def respond(  # type: ignore[override]
        self, fault: Fault, request: web.Request
    ) -> web.StreamResponse | None:
        """As the simulator does; a delay is counted while it hangs."""
        if fault.kind != "delay":
            return await FaultInjector.respond(fault, request)
        self.delaying += 1
        try:
            return await FaultInjector.respond(fault, request)
        finally:
            self.delaying -= 1


def _cloud_of(path: str) -> str:
    return path.split("/", 2)[1] if path.count("/") >= 1 else ""


# --- the plan -------------------------------------------------------------------------------


@dataclass(order=True)
class Planned:
    """Something that happens at ``at`` seconds into the run."""

    at: float
    seq: int
    cloud: str = field(compare=False)
    kind: str = field(compare=False)
    params: dict[str, Any] = field(compare=False, default_factory=dict)


def _fault_params(rng: random.Random, kind: str) -> dict[str, Any]:
    """The seeded details of one fault of ``kind``."""
    match kind:
        case "5xx burst":
            return {"status": rng.choice((500, 502, 503, 504)), "times": rng.randint(1, 4)}
        case "429 with Retry-After":
            return {"retry_after": rng.choice((30, 60, 120, 300, 600))}
        case "dropped connection":
            return {"times": rng.randint(1, 3)}
        case "unknown enum values":
            return {"minutes": rng.randint(10, 40)}
        case "undecodable body":
            return {"body": rng.choice(UNDECODABLE)}
        case "absurd values":
            return {"times": rng.randint(1, 5)}
        case "redirect elsewhere":
            return {"status": rng.choice((301, 302, 303, 307, 308))}
        case "hub refuses":
            return {"status": rng.choice((401, 503)), "seconds": rng.choice(HUB_REFUSAL)}
    return {}


def plan(
    rng: random.Random,
    clouds: list[CloudSpec],
    hours: float,
    outage_minutes: float,
    warm_up_hours: float = 0.0,
) -> list[Planned]:
    """The seeded schedule of faults, world events and actions.

    With ``warm_up_hours``, each fault kind also happens once per cloud within that time,
    so that what Home Assistant and the integration allocate the first time a kind of
    fault occurs (a repair issue, a translation loaded, a logger) is allocated before the
    memory baseline, and the growth measured after it is what stays per fault.
    """
    end = hours * 3600
    start = 120.0  # the first two minutes are quiet
    events: list[Planned] = []

    def add(at: float, cloud: str, kind: str, **params: Any) -> None:
        events.append(Planned(at, len(events), cloud, kind, params))

    for spec in clouds:
        kinds = [
            kind
            for kind in FAULT_RATES
            if not (kind.startswith("token") and spec.expire_tokens is None)
            and not (kind == "unknown enum values" and spec.unknown_enums is None)
            and not (kind in HUB_FAULTS and spec.hub is None)
        ]
        if warm_up_hours:
            # Evenly spread, each ending well before the baseline is taken.
            span = max(0.0, warm_up_hours * 3600 - start - 900)
            for index, kind in enumerate(kinds):
                at = start + span * index / max(1, len(kinds))
                add(at, spec.name, kind, **_fault_params(rng, kind))
        for kind in kinds:
            rate = FAULT_RATES[kind]
            for _ in range(max(1, round(rate * hours))):
                at = rng.uniform(start, end - 300)
                add(at, spec.name, kind, **_fault_params(rng, kind))
        outage = outage_minutes * 60
        at = rng.uniform(start, max(start, end - outage - 600))
        add(at, spec.name, "outage", seconds=outage, drop=rng.random() < 0.5)
        if spec.life is not None:
            for _ in range(max(1, round(LIFE_PER_HOUR * hours))):
                add(rng.uniform(start, end), spec.name, "life")
    for _ in range(max(1, round(ACTIONS_PER_HOUR * hours))):
        add(rng.uniform(start, end - 60), "", "action")
    return sorted(events)


# --- actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One action call and how to tell that it reached the cloud."""

    label: str
    cloud: str
    domain: str
    service: str
    data: dict[str, Any]
    valid: bool
    # "write": confirmed by a 2xx POST/PUT/DELETE; "read": by any 2xx request.
    kind: str = "write"
    entity_id: str | None = None
    # The state to show at once when it succeeds (switches, numbers).
    expect: str | None = None
    response: bool = False


def _entity_actions(hass: HomeAssistant, cloud: str, entry: ConfigEntry) -> list[Action]:
    actions = []
    for e in entity_entries(hass, entry):
        domain = e.entity_id.split(".")[0]
        target = {ATTR_ENTITY_ID: e.entity_id}
        if domain == "switch":
            for service, expect in (("turn_on", "on"), ("turn_off", "off")):
                label = f"switch.{service} {e.entity_id}"
                actions.append(
                    Action(
                        label, cloud, "switch", service, target, True, "write", e.entity_id, expect
                    )
                )
        elif domain == "button":
            actions.append(
                Action(
                    f"button.press {e.entity_id}",
                    cloud,
                    "button",
                    "press",
                    target,
                    True,
                    "write",
                    e.entity_id,
                )
            )
        elif domain == "number":
            state = hass.states.get(e.entity_id)
            attrs = state.attributes if state else {}
            low, high = float(attrs.get("min", 0)), float(attrs.get("max", 32))
            value = float(random.Random(e.entity_id).randint(int(low) + 1, int(min(high, 400))))
            actions.append(
                Action(
                    f"number.set_value {e.entity_id} {value:g}",
                    cloud,
                    "number",
                    "set_value",
                    {**target, "value": value},
                    True,
                    "write",
                    e.entity_id,
                    str(value),
                )
            )
            for bad in (high + 5, low - 1):
                actions.append(
                    Action(
                        f"number.set_value {e.entity_id} {bad:g} (invalid)",
                        cloud,
                        "number",
                        "set_value",
                        {**target, "value": bad},
                        False,
                        "write",
                        e.entity_id,
                    )
                )
            # A value between steps: valid where the cloud takes fractions (Easee amps),
            # refused where it wants whole numbers (a ViriCiti group limit).
            actions.append(
                Action(
                    f"number.set_value {e.entity_id} {value + 0.5:g} (between steps)",
                    cloud,
                    "number",
                    "set_value",
                    {**target, "value": value + 0.5},
                    True,
                    "write",
                    e.entity_id,
                )
            )
    return actions


def _devices(hass: HomeAssistant, entry: ConfigEntry, prefix: str) -> list[str]:
    """Device ids of the entry whose identifier starts with ``prefix``."""
    registry = dr.async_get(hass)
    return sorted(
        device.id
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if any(d == DOMAIN and i.startswith(prefix) for d, i in device.identifiers)
    )


def _viriciti_actions(hass: HomeAssistant, entry: ConfigEntry, now: datetime) -> list[Action]:
    actions = []
    for device in _devices(hass, entry, "viriciti_group_"):
        base = {ATTR_DEVICE_ID: device}
        limit = 50 + len(actions) * 7 % 300
        actions += [
            Action(
                "set_group_limit",
                "viriciti",
                DOMAIN,
                "set_group_limit",
                {**base, "limit": limit, "duration": "00:30:00"},
                True,
            ),
            Action(
                "set_group_limit limit 0 (invalid)",
                "viriciti",
                DOMAIN,
                "set_group_limit",
                {**base, "limit": 0, "duration": "00:30:00"},
                False,
            ),
            Action(
                "set_group_limit end in the past (invalid)",
                "viriciti",
                DOMAIN,
                "set_group_limit",
                {**base, "limit": 100, "end_time": (now - timedelta(hours=1)).isoformat()},
                False,
            ),
            Action(
                "set_group_limit end and duration (invalid)",
                "viriciti",
                DOMAIN,
                "set_group_limit",
                {
                    **base,
                    "limit": 100,
                    "duration": "00:10:00",
                    "end_time": (now + timedelta(hours=1)).isoformat(),
                },
                False,
            ),
            Action(
                "get_group_limit_history",
                "viriciti",
                DOMAIN,
                "get_group_limit_history",
                {**base, "start": (now - timedelta(days=2)).isoformat(), "end": now.isoformat()},
                True,
                "read",
                response=True,
            ),
            Action(
                "get_group_limit_history start after end (invalid)",
                "viriciti",
                DOMAIN,
                "get_group_limit_history",
                {**base, "start": now.isoformat(), "end": (now - timedelta(days=1)).isoformat()},
                False,
                "read",
                response=True,
            ),
        ]
    return actions


def _ampeco_actions(hass: HomeAssistant, entry: ConfigEntry, now: datetime) -> list[Action]:
    actions = []
    for device in _devices(hass, entry, "ampeco_"):
        base = {ATTR_DEVICE_ID: device}
        actions += [
            Action(
                "set_schedule_preferences",
                "ampeco",
                DOMAIN,
                "set_schedule_preferences",
                {
                    **base,
                    "start_time": "22:00",
                    "end_time": "06:00",
                    "min_target_kwh": 10,
                    "max_target_kwh": 30,
                },
                True,
            ),
            Action(
                "set_schedule_preferences empty window (invalid)",
                "ampeco",
                DOMAIN,
                "set_schedule_preferences",
                {**base, "start_time": "22:00", "end_time": "22:00"},
                False,
            ),
            Action(
                "set_solar_preferences",
                "ampeco",
                DOMAIN,
                "set_solar_preferences",
                {**base, "max_current_from_grid": 6, "solar_stable_time": 300},
                True,
            ),
            Action(
                "set_dynamic_tariff_preferences",
                "ampeco",
                DOMAIN,
                "set_dynamic_tariff_preferences",
                {
                    **base,
                    "provider": "nordpool",
                    "departure_time": "07:30",
                    "min_target_kwh": 10,
                    "max_target_kwh": 40,
                    "price_threshold": 0.2,
                    "location": "NO1",
                },
                True,
            ),
            Action(
                "set_dynamic_tariff_preferences provider acme (invalid)",
                "ampeco",
                DOMAIN,
                "set_dynamic_tariff_preferences",
                {**base, "provider": "acme"},
                False,
            ),
            Action(
                "disable_smart_charging_preferences",
                "ampeco",
                DOMAIN,
                "disable_smart_charging_preferences",
                base,
                True,
            ),
        ]
    return actions


def _jedlix_actions(hass: HomeAssistant, entry: ConfigEntry, now: datetime) -> list[Action]:
    base = {ATTR_CONFIG_ENTRY_ID: entry.entry_id}
    actions = [
        Action(
            "get_sessions",
            "jedlix",
            DOMAIN,
            "get_sessions",
            {**base, "start": (now - timedelta(days=7)).isoformat()},
            True,
            "read",
            response=True,
        ),
        Action(
            "get_sessions start after end (invalid)",
            "jedlix",
            DOMAIN,
            "get_sessions",
            {**base, "start": now.isoformat(), "end": (now - timedelta(days=1)).isoformat()},
            False,
            "read",
            response=True,
        ),
    ]
    week = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    interval = {"start_time": "00:00", "end_time": "00:00", "days": week}
    for device in _devices(hass, entry, "jedlix_location_"):

        def all_week(tariff: str, device: str = device) -> dict[str, Any]:
            return {
                ATTR_DEVICE_ID: device,
                "tariffs": [{"type": tariff, "price": 0.25}],
                "intervals": [interval | {"tariff_type": tariff}],
            }

        actions += [
            Action("set_tariffs", "jedlix", DOMAIN, "set_tariffs", all_week("Standard"), True),
            Action(
                "set_tariffs unknown type (invalid)",
                "jedlix",
                DOMAIN,
                "set_tariffs",
                all_week("Cheapest"),
                False,
            ),
        ]
    return actions


# The integration's own actions, per cloud (entity actions are found for every cloud).
PROVIDER_ACTIONS: dict[str, Callable[[HomeAssistant, ConfigEntry, datetime], list[Action]]] = {
    "viriciti": _viriciti_actions,
    "ampeco": _ampeco_actions,
    "jedlix": _jedlix_actions,
}


def _misaimed_actions(hass: HomeAssistant, entries: dict[str, ConfigEntry]) -> list[Action]:
    """Actions aimed at the wrong kind of device, or at none."""
    actions = [
        Action(
            "disable_smart_charging_preferences unknown device (invalid)",
            "",
            DOMAIN,
            "disable_smart_charging_preferences",
            {ATTR_DEVICE_ID: "0" * 32},
            False,
        ),
    ]
    if "easee" in entries:
        for device in _devices(hass, entries["easee"], "easee_")[:1]:
            actions += [
                Action(
                    "set_group_limit on a charger (invalid)",
                    "",
                    DOMAIN,
                    "set_group_limit",
                    {ATTR_DEVICE_ID: device, "limit": 10, "duration": "00:10:00"},
                    False,
                ),
                Action(
                    "set_solar_preferences on an Easee charger (invalid)",
                    "",
                    DOMAIN,
                    "set_solar_preferences",
                    {ATTR_DEVICE_ID: device, "max_current_from_grid": 6, "solar_stable_time": 300},
                    False,
                ),
            ]
    return actions


# --- the run ------------------------------------------------------------------------------------


@dataclass
class _Availability:
    """What the soak knows about one coordinator's refreshes."""

    ok: bool = True
    last_ok: float | None = None
    outages: int = 0
    recoveries: int = 0
    lags: list[float] = field(default_factory=list)


@dataclass
class SoakReport:
    """The outcome of a soak: counts, and the invariants that did not hold."""

    hours: float
    seed: int
    wall_s: float = 0.0
    faults: Counter[str] = field(default_factory=Counter)
    taken: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    outages: dict[str, int] = field(default_factory=dict)
    recoveries: dict[str, int] = field(default_factory=dict)
    recovery_lag_max: dict[str, float] = field(default_factory=dict)
    refreshes: dict[str, int] = field(default_factory=dict)
    failed_refreshes: dict[str, int] = field(default_factory=dict)
    unavailable_logged: dict[str, int] = field(default_factory=dict)
    recovered_logged: dict[str, int] = field(default_factory=dict)
    retry_after_checks: list[dict[str, Any]] = field(default_factory=list)
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    energy_checks: int = 0
    memory_baseline: int = 0
    memory_end: int = 0
    memory_hourly: list[int] = field(default_factory=list)
    memory_growth: list[str] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The report as JSON-friendly data."""
        return {
            "hours": self.hours,
            "seed": self.seed,
            "wall_s": round(self.wall_s, 1),
            "faults_planned": dict(self.faults),
            "faults_applied_to_requests": dict(self.taken),
            "world_events": dict(self.events),
            "actions": dict(self.actions),
            "action_outcomes": dict(self.outcomes),
            "requests": dict(self.requests),
            "answers": dict(self.statuses),
            "refreshes": self.refreshes,
            "failed_refreshes": self.failed_refreshes,
            "outages": self.outages,
            "recoveries": self.recoveries,
            "recovery_lag_max_s": self.recovery_lag_max,
            "unavailable_logged": self.unavailable_logged,
            "recovered_logged": self.recovered_logged,
            "retry_after_checks": self.retry_after_checks,
            "energy_states_checked": self.energy_checks,
            "memory": {
                "baseline_bytes": self.memory_baseline,
                "end_bytes": self.memory_end,
                "growth_percent": round(self._growth() * 100, 2),
                "hourly_bytes": self.memory_hourly,
                "top_growth": self.memory_growth,
            },
            "warnings": dict(self.warnings),
            "notes": self.notes,
            "violations": self.violations,
        }

    def _growth(self) -> float:
        return (self.memory_end - self.memory_baseline) / max(self.memory_baseline, 1)

    def text(self) -> str:
        """A readable summary."""
        lines = [
            f"Soak: {self.hours:g} simulated hours, seed {self.seed}, "
            f"{self.wall_s:.0f} s of wall time",
            "faults planned: " + _counts(self.faults),
            "faults applied to requests: " + _counts(self.taken),
            "world events: " + _counts(self.events),
            f"actions: {sum(self.actions.values())} called; outcomes: " + _counts(self.outcomes),
            "requests: " + _counts(self.requests) + "; answers: " + _counts(self.statuses),
        ]
        for cloud in sorted(self.refreshes):
            lines.append(
                f"{cloud}: {self.refreshes[cloud]} refreshes, "
                f"{self.failed_refreshes.get(cloud, 0)} failed; "
                f"{self.outages.get(cloud, 0)} outages, {self.recoveries.get(cloud, 0)} "
                f"recoveries (slowest {self.recovery_lag_max.get(cloud, 0):.0f} s after the "
                f"cloud was back); logged {self.unavailable_logged.get(cloud, 0)} unavailable "
                f"and {self.recovered_logged.get(cloud, 0)} recovered"
            )
        waits = ", ".join(
            f"{c['cloud']} {c['retry_after']:g} s -> "
            + ("no request after" if c["waited"] is None else f"{c['waited']:g} s")
            for c in self.retry_after_checks
        )
        lines.append(f"429 with Retry-After, next request after: {waits or 'none'}")
        lines.append(
            f"memory: {self.memory_baseline / 1e6:.2f} MB after the baseline period, "
            f"{self.memory_end / 1e6:.2f} MB at the end ({self._growth() * 100:+.2f} %)"
        )
        lines.append(f"energy states checked: {self.energy_checks}")
        if self.warnings:
            lines.append("warnings logged: " + _counts(self.warnings))
        lines += [f"note: {note}" for note in self.notes]
        if self.violations:
            lines.append(f"FAILED: {len(self.violations)} violations")
            lines += [f"  - {v}" for v in self.violations]
        else:
            lines.append("PASSED: every invariant held")
        return "\n".join(lines)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items())) or "none"


class Soak:
    """One soak run (see the module docstring)."""

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        simulator: Sim,
        *,
        hours: float,
        seed: int,
        outage_minutes: float,
        baseline_hours: float,
        clouds: tuple[str, ...],
    ) -> None:
        self.hass, self.freezer, self.simulator = hass, freezer, simulator
        self.sim = simulator.sim
        self.hours, self.seed = hours, seed
        self.outage_minutes, self.baseline_hours = outage_minutes, baseline_hours
        self.specs = [CLOUDS[name] for name in clouds]
        self.rng = random.Random(seed)
        self.report = SoakReport(hours=hours, seed=seed)
        self.faults = SoakFaults(self.sim)
        self.entries: dict[str, ConfigEntry] = {}
        self.avail: dict[str, _Availability] = {}
        self.meters: dict[str, RefreshMeter] = {}
        self.counter = RequestCounter()
        self.start: datetime = self.sim.now()
        # Failure evidence per cloud: (when, until) from the ledger and the log.
        self.evidence: dict[str, list[tuple[float, float]]] = {}
        self.pending_waits: list[dict[str, Any]] = []
        self.outage_faults: dict[str, Fault] = {}
        self.lifetime: dict[str, float] = {}
        # Changes shown at once and sent later with others (a group limit nudged twice):
        # (when, cloud, label); and when each cloud last accepted a write.
        self.coalesced: list[tuple[float, str, str]] = []
        self.accepted_writes: dict[str, list[float]] = {}
        self._ledger_seen = 0
        self._log_seen = 0
        self._queue: list[Planned] = []

    # --- time ---------------------------------------------------------------------------

    async def _tick(self, seconds: float) -> None:
        self.sim.clock.advance(seconds)
        self.freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(self.hass)

    async def _settle(self) -> None:
        """Wait (in real time) until no request is on its way but the delayed ones.

        Work that Home Assistant does not track can send a request after the last step
        settled: the stream's task, which never ends, asks for a refresh when its
        connection drops. Moving the clocks past a request in flight would time it out
        (the HTTP core's 20 s run on the frozen clock): a timeout no cloud caused.
        """
        for _ in range(SETTLE_NAPS):
            if self.counter.in_flight <= self.faults.delaying:
                return
            await _nap()
        self.report.notes.append(
            f"{self.counter.in_flight} requests still on their way after "
            f"{SETTLE_NAPS * 5} ms of real time at {_hms(self.sim.now().timestamp())}"
        )

    async def _finish[T](self, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable``; while a delayed request hangs, let the clocks run."""
        task = asyncio.ensure_future(awaitable)
        while not task.done():
            nap = _nap()
            await asyncio.wait({task, nap}, return_when=asyncio.FIRST_COMPLETED)
            if not task.done() and self.faults.delaying:
                await self._tick(1.0)
        return task.result()

    async def step(self, seconds: float) -> None:
        """Let ``seconds`` pass and run what fell due."""
        await self._settle()
        await self._tick(seconds)
        await self._finish(self.hass.async_block_till_done(wait_background_tasks=True))
        self._drain()

    # --- bookkeeping --------------------------------------------------------------------------

    def _drain(self) -> None:
        """Read what the ledger and the request log gained since the last look."""
        for taken in self.faults.taken[self._ledger_seen :]:
            self.report.taken[f"{taken.cloud} {taken.kind}"] += 1
            # A 429 with Retry-After is a failure for as long as it asks us to wait (a poll
            # that sends nothing may still succeed in between).
            until = taken.until
            if taken.status == 429 and taken.retry_after:
                until = max(until, taken.at + taken.retry_after)
                self.pending_waits.append(
                    {"cloud": taken.cloud, "at": taken.at, "retry_after": taken.retry_after}
                )
            self.evidence.setdefault(taken.cloud, []).append((taken.at, until))
        self._ledger_seen = len(self.faults.taken)
        entries = self.sim.log.entries
        for entry in entries[self._log_seen :]:
            if entry.path.startswith(REDIRECT_TRAP):
                self.report.violations.append(
                    f"a redirect was followed: {entry.method} {entry.path}"
                )
            cloud = _cloud_of(entry.path)
            at = entry.time.timestamp()
            self.report.requests[cloud] += 1
            if entry.status >= 400:
                self.report.statuses[f"{cloud} {entry.status}"] += 1
            failing = (
                entry.status >= 500
                or entry.status == 401
                or (entry.status == 429 and entry.method == "GET")
            )
            if failing:
                self.evidence.setdefault(cloud, []).append((at, at))
            if entry.method != "GET" and 200 <= entry.status < 300:
                self.accepted_writes.setdefault(cloud, []).append(at)
            for wait in self.pending_waits:
                if wait["cloud"] == cloud and "waited" not in wait and at > wait["at"]:
                    wait["waited"] = at - wait["at"]
        self._log_seen = len(entries)

    def _compact(self) -> None:
        """Forget the request log (its entries were read): memory stays flat."""
        self._drain()
        self.sim.log.clear()
        self._log_seen = 0

    def _failed_since(self, cloud: str, since: float | None) -> list[tuple[float, float]]:
        return [e for e in self.evidence.get(cloud, []) if since is None or e[1] >= since]

    def _healthy_since(self, cloud: str, since: float | None) -> float | None:
        """When the cloud last failed, or stopped asking us to wait."""
        ends = [until for _, until in self._failed_since(cloud, since)]
        ends += [
            w["at"] + w["retry_after"]
            for w in self.pending_waits
            if w["cloud"] == cloud and (since is None or w["at"] >= since)
        ]
        return max(ends, default=None)

    def _on_refresh(self, cloud: str, refresh: Refresh) -> None:
        self._drain()
        state = self.avail[cloud]
        if refresh.ok:
            if not state.ok:
                state.ok = True
                state.recoveries += 1
                back = self._healthy_since(cloud, state.last_ok)
                lag = refresh.at - back if back else 0.0
                state.lags.append(lag)
                if lag > POLL + STEP:
                    self.report.violations.append(
                        f"{cloud}: entities came back {lag:.0f} s after the cloud was "
                        f"healthy again (at {_hms(refresh.at)}), more than one poll"
                    )
            state.last_ok = refresh.at
            return
        if not self._failed_since(cloud, state.last_ok):
            self.report.violations.append(
                f"{cloud}: a refresh failed at {_hms(refresh.at)} although the cloud "
                f"had not failed since the last good one ({refresh.error})"
            )
        if state.ok:
            state.ok = False
            state.outages += 1

    @staticmethod
    def _energy_kind(entity_id: str, unique_id: str) -> str | None:
        if unique_id.endswith(("lifetime_energy", "charged_energy")):
            return "lifetime"
        if unique_id.endswith("session_energy"):
            return "session"
        return None

    def _watch_energy(self) -> None:
        watched: dict[str, str] = {}
        for entry in self.entries.values():
            for e in entity_entries(self.hass, entry):
                kind = self._energy_kind(e.entity_id, e.unique_id)
                if kind:
                    watched[e.entity_id] = kind

        # A callback, run in the event loop as each state is written: a plain function
        # would run in Home Assistant's executor threads, where two states written a
        # second apart (the stream's pushes) can be looked at in the wrong order.
        @callback
        def changed(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is None:
                return
            try:
                value = float(new.state)
            except ValueError:
                return
            self.report.energy_checks += 1
            entity_id = event.data["entity_id"]
            at = f"{dt_util.utcnow():%H:%M:%S}"
            if watched[entity_id] == "session" and value < 0:
                self.report.violations.append(f"{entity_id} went negative: {value} at {at}")
            if watched[entity_id] == "lifetime":
                before = self.lifetime.get(entity_id)
                if before is not None and value < before:
                    self.report.violations.append(
                        f"{entity_id} decreased from {before} to {value} at {at}"
                    )
                self.lifetime[entity_id] = value

        if watched:
            async_track_state_change_event(self.hass, list(watched), changed)

    # --- faults and the world -----------------------------------------------------------------

    async def _apply(self, event: Planned) -> None:
        if event.kind == "action":
            await self._action()
            return
        spec = CLOUDS[event.cloud]
        cloud: Any = self.sim.clouds[event.cloud]
        prefix = spec.prefix
        p = event.params
        if event.kind == "life":
            assert spec.life is not None
            what = spec.life(cloud, self.rng)
            if what:
                self.report.events[f"{event.cloud} {what.split(' ')[0]}"] += 1
            return
        self.report.faults[f"{event.cloud} {event.kind}"] += 1
        match event.kind:
            case "5xx burst":
                self.faults.add(
                    Fault(
                        path=prefix,
                        status=p["status"],
                        times=p["times"],
                        body={"error": "Service unavailable"},
                    )
                )
            case "429 with Retry-After":
                self.faults.add(
                    Fault(
                        path=prefix,
                        status=429,
                        times=1,
                        headers={"Retry-After": str(p["retry_after"])},
                        body={"message": "Too many requests"},
                    )
                )
            case "429 without Retry-After":
                self.faults.add(
                    Fault(path=prefix, status=429, times=1, body={"message": "Too many requests"})
                )
            case "timeout":
                self.faults.add(Fault(path=prefix, kind="delay", delay=TIMEOUT_DELAY, times=1))
            case "dropped connection":
                self.faults.add(Fault(path=prefix, kind="drop", times=p["times"]))
            case "malformed JSON":
                self.faults.add(Fault(path=prefix, kind="malformed", times=1))
            case "undecodable body":
                self.faults.add(Fault(path=prefix, kind="raw", status=200, body=p["body"]))
            case "absurd values":
                # The cloud's real answers, their measurements NaN, infinite, negative
                # or 1e308: entities show unknown, meters hold, nothing raises.
                self.faults.add(Fault(path=prefix, kind="poison", method="GET", times=p["times"]))
            case "redirect elsewhere":
                trap = f"{self.simulator.root}{REDIRECT_TRAP}{prefix}"
                self.faults.add(Fault(path=prefix, status=p["status"], headers={"Location": trap}))
            case "token expiry":
                assert spec.expire_tokens is not None
                spec.expire_tokens(cloud)
            case "token refusal":
                assert spec.expire_tokens is not None
                spec.expire_tokens(cloud)
                self.faults.add(
                    Fault(
                        path=f"{prefix}/api/accounts/refresh_token",
                        status=401,
                        body={"title": "Invalid refresh token"},
                    )
                )
            case "unknown enum values":
                assert spec.unknown_enums is not None
                spec.unknown_enums(cloud, True)
                self._later(event, p["minutes"] * 60, "unknown enum values end")
            case "unknown enum values end":
                assert spec.unknown_enums is not None
                spec.unknown_enums(cloud, False)
            case "stream drop":
                assert spec.hub is not None
                await spec.hub(cloud).drop()
            case "hub refuses":
                # The hub is down (503) or refuses every token (401) for a while, then
                # drops the streams so that clients must come back through it. A 401
                # only on the hub while the REST API takes the same token is not a
                # refusal of the credentials, so it never lasts past the REST refresh
                # a client does before it gives up.
                assert spec.hub is not None
                hub = spec.hub(cloud)
                hub.refuse_status = p["status"]
                await hub.drop()
                self._later(event, p["seconds"], "hub refuses end")
            case "hub refuses end":
                assert spec.hub is not None
                spec.hub(cloud).refuse_status = None
            case "hub garbage":
                assert spec.hub is not None
                hub = spec.hub(cloud)
                charger = next(iter(spec.chargers(cloud)), "EH000001")
                await hub.send_raw(garbage(charger))
            case "outage":
                fault = (
                    Fault(path=prefix, kind="drop", times=None)
                    if p["drop"]
                    else Fault(path=prefix, status=503, times=None, body={"error": "down"})
                )
                self.outage_faults[event.cloud] = fault
                self.faults.faults.insert(0, fault)
                self._later(event, p["seconds"], "outage end")
            case "outage end":
                fault = self.outage_faults.pop(event.cloud)
                if fault in self.faults.faults:
                    self.faults.faults.remove(fault)

    def _later(self, event: Planned, seconds: float, kind: str) -> None:
        self._queue.append(
            Planned(event.at + seconds, len(self._queue) + 10_000, event.cloud, kind, event.params)
        )
        self._queue.sort()

    # --- actions ----------------------------------------------------------------------------

    def _candidates(self) -> list[Action]:
        now = dt_util.utcnow()
        actions: list[Action] = []
        for cloud, entry in self.entries.items():
            actions += _entity_actions(self.hass, cloud, entry)
            if cloud in PROVIDER_ACTIONS:
                actions += PROVIDER_ACTIONS[cloud](self.hass, entry, now)
        return actions + _misaimed_actions(self.hass, self.entries)

    async def _action(self) -> None:
        candidates = self._candidates()
        if not candidates:
            return
        action = self.rng.choice(candidates)
        await self._call(action)
        if self.rng.random() < REPEAT_CHANCE:
            await self._call(action)

    async def _call(self, action: Action) -> None:
        report = self.report
        report.actions[f"{'valid' if action.valid else 'invalid'} {action.service}"] += 1
        self._drain()
        first = len(self.sim.log.entries)
        state = self.hass.states.get(action.entity_id) if action.entity_id else None
        unavailable_before = state is not None and state.state == "unavailable"
        call = self.hass.services.async_call(
            action.domain,
            action.service,
            action.data,
            blocking=True,
            return_response=action.response,
        )
        try:
            await self._finish(call)
        except HomeAssistantError as err:
            clear = bool(getattr(err, "translation_key", None) or str(err))
            kind = type(err).__name__
            report.outcomes[f"{kind}" if clear else f"unclear {kind}"] += 1
            if not clear:
                report.violations.append(f"{action.label}: an error without a message")
            return
        except Exception as err:
            if type(err).__name__ in ("Invalid", "MultipleInvalid"):
                report.outcomes["refused by the action's schema"] += 1
                return
            report.outcomes[f"unexpected {type(err).__name__}"] += 1
            report.violations.append(f"{action.label}: raised {type(err).__name__}: {err}")
            return
        new = self.sim.log.entries[first:]
        confirmed = [
            e
            for e in new
            if _cloud_of(e.path) == action.cloud
            and 200 <= e.status < 300
            and (action.kind == "read" or e.method != "GET")
        ]
        if confirmed:
            report.outcomes["confirmed by the cloud"] += 1
            if not action.valid:
                report.notes.append(f"an invalid action reached the cloud: {action.label}")
            if action.expect is not None and action.entity_id:
                shown = self.hass.states.get(action.entity_id)
                if shown is None or shown.state != action.expect:
                    report.outcomes["confirmed, expected state not shown at once"] += 1
                    report.notes.append(
                        f"{action.label}: shows {shown.state if shown else None} at once"
                    )
        elif unavailable_before:
            report.outcomes["skipped by Home Assistant (entity unavailable)"] += 1
        elif action.expect is not None and self._shows(action.entity_id, action.expect):
            # Right after another change: shown at once, sent once the clicks stop (and
            # the cloud allows); _check makes sure it reaches the cloud or is reported.
            report.outcomes["shown at once, sent with the change after"] += 1
            self.coalesced.append((self.sim.now().timestamp(), action.cloud, action.label))
        else:
            report.outcomes["silently dropped"] += 1
            report.violations.append(
                f"{action.label}: no error, and nothing reached the cloud "
                f"({[(e.method, e.path, e.status) for e in new]})"
            )

    def _shows(self, entity_id: str | None, expected: str) -> bool:
        state = self.hass.states.get(entity_id) if entity_id else None
        return state is not None and state.state == expected

    # --- memory -----------------------------------------------------------------------------

    @staticmethod
    def _snapshot() -> tracemalloc.Snapshot:
        gc.collect()
        return select(tracemalloc.take_snapshot(), counted)

    @staticmethod
    def _size(snapshot: tracemalloc.Snapshot) -> int:
        return size_of(snapshot)

    # --- the whole run ------------------------------------------------------------------------

    async def run(self) -> SoakReport:
        """Set up, play the plan, check the invariants."""
        hass, report = self.hass, self.report
        wall = wall_clock()
        # The test harness runs the loop in asyncio's debug mode, which keeps a stack for
        # every callback and task (memory a production Home Assistant does not spend) and
        # reports each step of the frozen clock as a slow callback: off for the soak.
        debug = hass.loop.get_debug()
        hass.loop.set_debug(False)
        self.freezer.move_to(self.sim.now())
        self.sim.faults = self.faults
        for spec in self.specs:
            if spec.soak_world is not None:
                spec.soak_world(self.sim.clouds[spec.name], self.rng)
        # Traced from before setup, so the baseline holds everything the entries hold.
        tracemalloc.start(TRACE_DEPTH)
        try:
            with captured_logs(keep_pytest=False) as logs, self.counter.installed():
                await self._set_up_and_play()
        finally:
            tracemalloc.stop()
            hass.loop.set_debug(debug)
        self._check(logs)
        report.wall_s = wall_clock() - wall
        return report

    async def _set_up_and_play(self) -> None:
        hass, report = self.hass, self.report
        for spec in self.specs:
            self.entries[spec.name] = await add_entry(
                hass, self.simulator, spec.name, stream=spec.hub is not None
            )
        for cloud, entry in self.entries.items():
            coordinator = coordinator_of(entry)
            if coordinator is None:
                report.notes.append(f"{cloud} has no entities: only its setup is soaked")
                continue
            self.avail[cloud] = _Availability(last_ok=self.sim.now().timestamp())
            meter = RefreshMeter(coordinator, self.counter, lambda: self.sim.now().timestamp())
            meter.on_refresh = lambda r, cloud=cloud: self._on_refresh(cloud, r)
            meter.install()
            self.meters[cloud] = meter
        self._watch_energy()
        self._compact()
        self.start = self.sim.now()
        # A baseline of an hour or more is preceded by one fault of each kind (a day's
        # run); the short soak of scripts/test keeps its plan.
        warm_up = self.baseline_hours if self.baseline_hours >= 1 else 0.0
        self._queue = plan(self.rng, self.specs, self.hours, self.outage_minutes, warm_up)
        await self._play()
        for entry in self.entries.values():
            await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()

    async def _play(self) -> None:
        report = self.report
        end = self.hours * 3600
        baseline: tracemalloc.Snapshot | None = None
        elapsed = 0.0
        next_hour = 3600.0
        while elapsed < end:
            while self._queue and self._queue[0].at <= elapsed:
                await self._apply(self._queue.pop(0))
            await self.step(STEP)
            elapsed = (self.sim.now() - self.start).total_seconds()
            self._compact()
            if baseline is None and elapsed >= self.baseline_hours * 3600:
                baseline = self._snapshot()
                report.memory_baseline = self._size(baseline)
            if elapsed >= next_hour:
                report.memory_hourly.append(self._size(self._snapshot()))
                next_hour += 3600
        final = self._snapshot()
        report.memory_end = self._size(final)
        if baseline is not None:
            report.memory_growth = [
                str(stat) for stat in final.compare_to(baseline, "lineno")[:8] if stat.size_diff
            ] + [
                f"{stat.size_diff:+} B in {stat.count_diff:+} blocks from "
                + " <- ".join(
                    f"{'/'.join(frame.filename.split('/')[-2:])}:{frame.lineno}"
                    for frame in reversed(stat.traceback[-6:])
                )
                for stat in final.compare_to(baseline, "traceback")[:5]
                if stat.size_diff
            ]

    def _check(self, logs: Capture) -> None:
        report = self.report
        for cloud, meter in self.meters.items():
            state = self.avail[cloud]
            report.refreshes[cloud] = len(meter.refreshes)
            report.failed_refreshes[cloud] = sum(1 for r in meter.refreshes if not r.ok)
            report.outages[cloud] = state.outages
            report.recoveries[cloud] = state.recoveries
            report.recovery_lag_max[cloud] = max(state.lags, default=0.0)
            name = meter.coordinator.name
            ours = [r for r in logs.records if name in r.getMessage()]
            down = sum(1 for r in ours if r.getMessage().startswith(UNAVAILABLE_PREFIXES))
            back = sum(1 for r in ours if r.getMessage().endswith(RECOVERED_SUFFIX))
            report.unavailable_logged[cloud], report.recovered_logged[cloud] = down, back
            if down != state.outages:
                report.violations.append(
                    f"{cloud}: {state.outages} outages but {down} 'unavailable' messages"
                )
            if back != state.recoveries:
                report.violations.append(
                    f"{cloud}: {state.recoveries} recoveries but {back} 'recovered' messages"
                )
        for record in logs.records:
            message = record.getMessage()
            if record.levelno >= logging.ERROR:
                report.violations.append(
                    f"{record.levelname} from {record.name}: {message[:300]}"
                    + (f" ({record.exception})" if record.exception else "")
                )
            elif record.levelno >= logging.WARNING:
                report.warnings[f"{record.name}: {_shape(message)}"] += 1
                if record.name.startswith("custom_components") and record.exception:
                    report.violations.append(
                        f"an unexpected exception logged as a warning by {record.name}: "
                        f"{message[:300]}"
                    )
        for wait in self.pending_waits:
            check = {
                "cloud": wait["cloud"],
                "at": _hms(wait["at"]),
                "retry_after": wait["retry_after"],
                "waited": wait.get("waited"),
            }
            report.retry_after_checks.append(check)
            if check["waited"] is not None and check["waited"] < wait["retry_after"]:
                report.violations.append(
                    f"{wait['cloud']}: a request {check['waited']:g} s after a 429 that asked "
                    f"for {wait['retry_after']:g} s"
                )
        if _running_coverage() is not None:
            # Coverage (scripts/test measures it) records each line the first time it
            # runs for each test, allocated in the frame of the code it traces: memory an
            # installation does not have and the check cannot tell apart. The day's soak
            # (scripts/soak, no coverage) judges memory.
            report.notes.append("memory not judged: coverage was measuring")
        elif report.memory_baseline and report._growth() > MEMORY_TOLERANCE:
            report.violations.append(
                f"memory grew {report._growth() * 100:.1f} % after the baseline "
                f"({report.memory_baseline} -> {report.memory_end} bytes)"
            )
        for cloud, entry in self.entries.items():
            if entry.state not in (ConfigEntryState.LOADED, ConfigEntryState.NOT_LOADED):
                report.violations.append(f"{cloud}: the entry ended {entry.state.value}")
        flows = self.hass.config_entries.flow.async_progress()
        for flow in flows:
            if flow["context"].get("source") == "reauth":
                report.violations.append(f"reauthentication asked for: {flow['handler']}")
        if not report.taken:
            report.violations.append("no fault reached a request: the soak tested nothing")
        self._check_coalesced()

    def _check_coalesced(self) -> None:
        """Every change sent later reached its cloud, or the user was told it did not."""
        end = self.sim.now().timestamp()
        told = any(
            issue.domain == DOMAIN and issue.translation_key == "group_limit_not_set"
            for issue in ir.async_get(self.hass).issues.values()
        )
        for at, cloud, label in self.coalesced:
            writes = self.accepted_writes.get(cloud, [])
            # The cloud's minute, a Retry-After and a poll: well within ten minutes.
            if any(at <= when <= at + 600 for when in writes) or at + 600 > end or told:
                continue
            self.report.violations.append(
                f"{label}: shown at {_hms(at)}, but never sent and nothing said so"
            )


def _shape(message: str) -> str:
    """A message without its variable parts, to count alike warnings together."""
    head = message.split(":")[0]
    return "".join("#" if ch.isdigit() else ch for ch in head)[:120]


async def run_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Sim,
    *,
    hours: float,
    seed: int,
    outage_minutes: float,
    baseline_hours: float,
    clouds: tuple[str, ...] = tuple(CLOUDS),
) -> SoakReport:
    """Run a soak of ``hours`` simulated hours and return its report."""
    soak = Soak(
        hass,
        freezer,
        simulator,
        hours=hours,
        seed=seed,
        outage_minutes=outage_minutes,
        baseline_hours=baseline_hours,
        clouds=clouds,
    )
    return await soak.run()


def dumps(report: SoakReport) -> str:
    """The report as JSON."""
    return json.dumps(report.summary(), indent=1, default=str)


__all__ = ["SoakReport", "dumps", "run_soak"]


def _hms(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%H:%M:%S")


def _copy(text: str) -> str:
    """A copy of ``text`` made here, so the ledger does not keep the server's string."""
    return text.encode().decode()
