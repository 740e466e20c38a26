"""The benchmark: what Smart Charging costs a cloud and Home Assistant, measured.

For one cloud and N chargers: the simulator runs in its own process (``bench.simserver``)
so its CPU and memory are not counted as Home Assistant's; Home Assistant runs in the
test harness with a frozen clock that the benchmark moves together with the simulator's.
Each run returns a JSON-friendly dict; ``bench.report`` turns them into the table.
Nothing here asserts a target: the figures are measured and reported.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import gc
from pathlib import Path
import sys
import time
import tracemalloc
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from tests.conftest import add_entry

from .clouds import CLOUDS, CloudSpec
from .harness import (
    HARNESS_COPY_SITE,
    RefreshMeter,
    RequestCounter,
    as_installed,
    coordinator_of,
    entity_entries,
    entity_id_of,
    entity_object,
    harness_copy,
    part_of,
    profiled,
    pytest_capture_off,
    select,
    size_of,
    unavailable,
    wall_clock,
)

REPO = Path(__file__).resolve().parent.parent
SIZES = (1, 10, 100, 500)
STEP = 30  # seconds: the coordinators' tick
HOUR = 3600
# The polling window: two hours, so that the reads due every two hours are counted (the
# figures are per hour).
WINDOW_HOURS = 2
# In the per-N runs, a car arrives and another leaves this often (seconds).
LIFE_EVERY = 20 * 60
# How long (simulated) setup may take, retries included, before it counts as failed.
SETUP_PATIENCE = 600
# How long (simulated) to wait for a car to show, and for a press to be confirmed.
ARRIVAL_PATIENCE = 900
CONFIRM_PATIENCE = 120
# Frames kept per traced allocation: enough to say where the memory goes.
TRACE_DEPTH = 8
# Allocation sites listed in the results (where the memory goes).
TOP_SITES = 15
# How long (simulated) a large account may take to be read in full after setup.
FULL_READ_PATIENCE = 3600


class RemoteSim:
    """The simulator in a child process, and the admin calls the benchmark makes."""

    def __init__(self, cloud: str, n: int, sites: int | None = None) -> None:
        self.cloud, self.n, self.sites = cloud, n, sites
        self.root = ""
        self._process: asyncio.subprocess.Process | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> RemoteSim:
        """Start the child and wait until it listens."""
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.simserver",
            self.cloud,
            str(self.n),
            *([] if self.sites is None else [str(self.sites)]),
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self._process.stdout is not None
        line = (await self._process.stdout.readline()).decode().split()
        if not line or line[0] != "port":
            raise RuntimeError(f"the simulator did not start: {line}")
        self.root = f"http://127.0.0.1:{line[1]}"
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop the child."""
        if self._session is not None:
            await self._session.close()
        if self._process is not None:
            self._process.kill()
            await self._process.wait()

    def url(self, cloud: str) -> str:
        """The base URL of ``cloud`` (what a config entry stores)."""
        return f"{self.root}/{cloud}"

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        assert self._session is not None
        async with self._session.request(method, f"{self.root}{path}", json=body) as response:
            response.raise_for_status()
            if response.content_type != "application/json":
                return None
            return await response.json()

    async def now(self) -> datetime:
        """The simulated time."""
        return datetime.fromisoformat((await self._call("GET", "/_admin/clock"))["now"])

    async def advance(self, seconds: float) -> None:
        """Move the simulated clock."""
        await self._call("POST", "/_admin/clock", {"advance": seconds})

    async def requests(self) -> list[dict[str, Any]]:
        """The request log."""
        result: list[dict[str, Any]] = await self._call("GET", "/_admin/requests")
        return result

    async def clear(self) -> None:
        """Forget the request log."""
        await self._call("DELETE", "/_admin/requests")

    async def chargers(self) -> dict[str, bool]:
        """Charger id -> busy."""
        result: dict[str, bool] = await self._call("GET", "/_admin/bench/chargers")
        return result

    async def arrive(self, charger: str) -> None:
        """A car arrives and charges."""
        await self._call("POST", "/_admin/bench/arrive", {"charger": charger})

    async def connect(self, charger: str) -> None:
        """A car is plugged in without a session."""
        await self._call("POST", "/_admin/bench/connect", {"charger": charger})

    async def leave(self, charger: str) -> None:
        """The cars at a charger leave."""
        await self._call("POST", "/_admin/bench/leave", {"charger": charger})

    async def hub(self, refuse: int | None, drop: bool = False) -> bool:
        """Take the cloud's push hub down (``refuse``: its status) or up; False: none."""
        return bool(
            (await self._call("POST", "/_admin/bench/hub", {"refuse": refuse, "drop": drop}))["hub"]
        )

    async def key(self) -> str | None:
        """The device key the press aims at, if the cloud's row names one."""
        result: str | None = await self._call("GET", "/_admin/bench/key")
        return result


class Bench:
    """One benchmark run: Home Assistant, the remote simulator and both clocks."""

    def __init__(self, hass: HomeAssistant, freezer: FrozenDateTimeFactory, sim: RemoteSim) -> None:
        self.hass, self.freezer, self.sim = hass, freezer, sim
        self.spec: CloudSpec = CLOUDS[sim.cloud]
        self.counter = RequestCounter()

    async def step(self, seconds: float) -> None:
        """Let ``seconds`` pass for Home Assistant and the cloud, and run what fell due."""
        await self.sim.advance(seconds)
        self.freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(self.hass)
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def setup(self) -> tuple[ConfigEntry, dict[str, Any]]:
        """Add the entry through the config flow; wait until every entity is available."""
        await self.sim.clear()
        wall, cpu = wall_clock(), time.process_time()
        entry = await add_entry(
            self.hass,
            self.sim,  # type: ignore[arg-type]
            self.sim.cloud,
            stream=self.spec.hub is not None,
            **self.spec.entry_fields(self.sim.n),
        )
        waited = 0
        while waited < SETUP_PATIENCE and not self._ready(entry):
            await self.step(STEP)
            waited += STEP
        entities = entity_entries(self.hass, entry)
        log = await self.sim.requests()
        ready = self._ready(entry)
        result = {
            "ready": ready,
            "state": entry.state.value,
            "wall_s": wall_clock() - wall,
            "cpu_s": time.process_time() - cpu,
            "simulated_wait_s": waited,
            "entities": len(entities),
            "unavailable": len(unavailable(self.hass, entities)),
            "requests": len(log),
            "refused_429": sum(1 for r in log if r["status"] == 429),
            "has_entities": coordinator_of(entry) is not None,
        }
        if ready and self.spec.full_read is not None:
            result |= await self._until_read_in_full(entry, waited, cpu)
        return entry, result

    async def _until_read_in_full(
        self, entry: ConfigEntry, waited: int, cpu: float
    ) -> dict[str, Any]:
        """Step until every charger has had its own reads (clouds that page them in).

        ``cpu``: the process time when setup began, for the CPU until then (the entities
        added meanwhile are part of setting the account up).
        """
        assert self.spec.full_read is not None
        wanted = {
            path for charger in await self.sim.chargers() for path in self.spec.full_read(charger)
        }
        sent: set[str] = set()
        while True:
            log = await self.sim.requests()
            sent.update(r["path"] for r in log)
            if wanted <= sent or waited >= FULL_READ_PATIENCE:
                break
            await self.step(STEP)
            waited += STEP
        entities = entity_entries(self.hass, entry)
        return {
            "read_in_full_s": waited if wanted <= sent else None,
            "cpu_s_read_in_full": time.process_time() - cpu,
            "entities_read_in_full": len(entities),
            "unavailable_read_in_full": len(unavailable(self.hass, entities)),
            "refused_429_read_in_full": sum(1 for r in log if r["status"] == 429),
        }

    def _ready(self, entry: ConfigEntry) -> bool:
        """Loaded, and every entity (if the cloud has any) available."""
        if entry.state is not ConfigEntryState.LOADED:
            return False
        entities = entity_entries(self.hass, entry)
        if not entities:
            return coordinator_of(entry) is None
        return not unavailable(self.hass, entities)

    async def hour(self, entry: ConfigEntry, *, life: bool = False) -> dict[str, Any]:
        """Polling, per hour: requests by charger and by account, per refresh, CPU.

        Measured over :data:`WINDOW_HOURS` hours so that the reads due every two hours
        (structure, settings) fall inside; with ``life``, a car arrives at an idle charger
        and another leaves every :data:`LIFE_EVERY` seconds, as in a real depot.
        """
        coordinator = coordinator_of(entry)
        busy = await self.sim.chargers()
        meter = None
        if coordinator is not None:
            meter = RefreshMeter(coordinator, self.counter, lambda: dt_util.utcnow().timestamp())
            meter.install()
        await self.sim.clear()
        changed: set[str] = set()
        every = LIFE_EVERY // STEP
        for index in range(WINDOW_HOURS * HOUR // STEP):
            if life and index and index % every == 0:
                changed |= await self._life(busy, changed)
            await self.step(STEP)
        log = await self.sim.requests()
        return summarise_hour(
            self.spec, len(busy), busy, log, meter, hours=WINDOW_HOURS, changed=changed
        )

    async def _life(self, busy: dict[str, bool], changed: set[str]) -> set[str]:
        """One car arrives at an idle charger, one charging car leaves (if each exists)."""
        spec, moved = self.spec, set()
        ordered = sorted(busy.items(), key=lambda kv: _natural(kv[0]))
        idle = [charger for charger, charging in ordered if not charging]
        charging = [charger for charger, charging in ordered if charging]
        arriving = next((c for c in reversed(idle) if c not in changed), None)
        if arriving is not None and spec.arrive is not None:
            await self.sim.arrive(arriving)
            moved.add(arriving)
        leaving = next((c for c in reversed(charging) if c not in changed), None)
        if leaving is not None and spec.leave is not None:
            await self.sim.leave(leaving)
            moved.add(leaving)
        return moved

    async def _after_account_poll(self) -> None:
        """Step until a refresh has just read the account- or site-level state."""
        for _ in range(10):
            await self.sim.clear()
            await self.step(STEP)
            log = await self.sim.requests()
            if any(self._charger_of(r["path"]) is None for r in log):
                return

    def _charger_of(self, path: str) -> str | None:
        pattern = self.spec.charger_path
        match = pattern.match(path) if pattern else None
        return match.group(1) if match else None

    async def arrival(self, entry: ConfigEntry) -> dict[str, Any] | None:
        """Seconds from a car arriving (the instant a poll was answered) to it showing.

        That is the worst placement: the read that has just been answered missed the car,
        and the next one is a whole interval away.
        """
        spec = self.spec
        if spec.arrive is None or spec.arrival_unique_id is None:
            return None
        idle = sorted((c for c, b in (await self.sim.chargers()).items() if not b), key=_natural)
        if not idle:
            return {"note": "no idle charger"}
        charger = idle[0]
        entity_id = entity_id_of(self.hass, "sensor", spec.arrival_unique_id(charger))
        if entity_id is None:
            return {"note": f"no entity {spec.arrival_unique_id(charger)}"}
        before = _state(self.hass, entity_id)
        await self._after_account_poll()
        await self.sim.arrive(charger)
        for second in range(1, ARRIVAL_PATIENCE + 1):
            await self.step(1)
            now = _state(self.hass, entity_id)
            if now != before:
                return {"seconds": second, "from": before, "to": now, "charger": charger}
        return {"seconds": None, "from": before, "charger": charger}

    async def press(self, entry: ConfigEntry) -> dict[str, Any] | None:
        """Requests and simulated seconds from a press until the cloud confirms it."""
        spec, hass = self.spec, self.hass
        press = spec.press
        if press is None:
            return None
        key = await self.sim.key()
        if key is None:
            chargers = await self.sim.chargers()
            want_busy = press.wants == "busy"
            candidates = sorted(
                (c for c, b in chargers.items() if b == want_busy),
                key=_natural,
            )
            if not candidates:
                return {"note": f"no {press.wants} charger"}
            key = candidates[0]
            if press.wants == "connected":
                assert spec.connect is not None
                await self.sim.connect(key)
                await self.step(1)
        entity_id = entity_id_of(hass, press.domain, press.unique_id(key))
        if entity_id is None:
            return {"note": f"no entity {press.unique_id(key)}"}
        confirm_id = (
            entity_id_of(hass, "sensor", press.confirm_unique_id(key))
            if press.confirm_unique_id
            else None
        )
        before = _state(hass, confirm_id) if confirm_id else None
        await self.sim.clear()
        await hass.services.async_call(
            press.domain, press.service, {ATTR_ENTITY_ID: entity_id, **press.data}, blocking=True
        )
        at_once = _state(hass, entity_id)
        shown = None if press.expected is None else at_once == press.expected

        def confirmed() -> bool:
            if confirm_id is not None:
                return _state(hass, confirm_id) != before
            entity = entity_object(hass, entity_id)
            waiting = getattr(entity, "_expected", None) is not None
            return not waiting and _state(hass, entity_id) == press.expected

        seconds: int | None = 0
        while not confirmed():
            assert seconds is not None
            if seconds >= CONFIRM_PATIENCE:
                seconds = None
                break
            await self.step(1)
            seconds += 1
        log = await self.sim.requests()
        writes = [r for r in log if r["method"] != "GET"]
        # The reads that look at the pressed device (its path or a filter names it); the
        # routine polls of other devices in the meantime are not the press's cost.
        reads = [
            r
            for r in log
            if r["method"] == "GET"
            and (key in r["path"].split("/") or key in (r.get("query") or {}).values())
        ]
        return {
            "entity": entity_id,
            "shown_at_once": shown,
            "state_at_once": at_once,
            "requests": len(log),
            "extra_requests": len(reads),
            "writes": len(writes),
            "seconds_to_confirm": seconds,
            "confirmed_state": _state(hass, confirm_id or entity_id),
        }


def _natural(key: str) -> tuple[int, str]:
    digits = "".join(ch for ch in key if ch.isdigit())
    return (int(digits) if digits else 0, key)


def _state(hass: HomeAssistant, entity_id: str | None) -> str | None:
    state = hass.states.get(entity_id) if entity_id else None
    return state.state if state else None


def summarise_hour(
    spec: CloudSpec,
    n: int,
    busy: dict[str, bool],
    log: list[dict[str, Any]],
    meter: RefreshMeter | None,
    *,
    hours: int = 1,
    changed: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Requests per charger (idle, busy) and per account, per refresh, and CPU, per hour.

    ``log`` covers ``hours`` hours; counts are divided by it (429 and failed answers are
    the window's totals). Chargers in ``changed`` (a car came or went) count in every
    total but not in the idle or charging charger's own figures.
    """
    per_charger = dict.fromkeys(busy, 0)
    account = account_calls = 0
    for entry in log:
        match = spec.charger_path.match(entry["path"]) if spec.charger_path else None
        if match and match.group(1) in per_charger:
            per_charger[match.group(1)] += 1
        else:
            account += 1
            account_calls += not spec.next_page(entry.get("query") or {})
    steady = {cid: count / hours for cid, count in per_charger.items() if cid not in changed}
    idle = [count for cid, count in steady.items() if not busy[cid]]
    charging = [count for cid, count in steady.items() if busy[cid]]
    result: dict[str, Any] = {
        "window_hours": hours,
        "cars_came_or_went": len(changed),
        "requests": len(log) / hours,
        "per_charger_all": len(log) / hours / n,
        "idle_chargers": len(idle),
        "charging_chargers": len(charging),
        "idle_own_mean": _mean(idle),
        "idle_own_max": max(idle, default=None),
        "charging_own_mean": _mean(charging),
        "charging_own_max": max(charging, default=None),
        "account_level": account / hours,
        "account_level_calls": account_calls / hours,
        "own_total": sum(per_charger.values()) / hours,
        "refused_429": sum(1 for r in log if r["status"] == 429),
        "failed": sum(1 for r in log if r["status"] >= 400),
    }
    if meter is not None:
        refreshes = meter.refreshes
        polling = [r for r in refreshes if r.requests]
        result |= {
            "refreshes": len(refreshes),
            "failed_refreshes": sum(1 for r in refreshes if not r.ok),
            "polling_refreshes": len(polling),
            "requests_per_refresh_mean": _mean([r.requests for r in polling]),
            "requests_per_refresh_max": max((r.requests for r in polling), default=None),
            "cpu_per_polling_refresh_ms": _mean([r.cpu * 1000 for r in polling]),
            "cpu_per_refresh_ms": _mean([r.cpu * 1000 for r in refreshes]),
            "cpu_per_polling_refresh_max_ms": max((r.cpu * 1000 for r in polling), default=None),
            "cpu_hour_ms": sum(r.cpu for r in refreshes) * 1000 / hours,
        }
    return result


def _mean(values: list[int] | list[float]) -> float | None:
    return sum(values) / len(values) if values else None


async def run(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str, n: int
) -> dict[str, Any]:
    """Setup, an hour of polling, a car arriving and a press, for ``cloud`` with ``n``."""
    async with RemoteSim(cloud, n) as sim:
        freezer.move_to(await sim.now())
        bench = Bench(hass, freezer, sim)
        result: dict[str, Any] = {"cloud": cloud, "n": n}
        with bench.counter.installed(), as_installed(hass):
            with profiled(f"{cloud}-{n}-setup"):
                entry, result["setup"] = await bench.setup()
            if entry.state is not ConfigEntryState.LOADED:
                return result
            with profiled(f"{cloud}-{n}-hour"):
                result["hour"] = await bench.hour(entry, life=True)
            if coordinator_of(entry) is None:
                return result
            arrival = await bench.arrival(entry)
            result["arrival"] = arrival
            result["press"] = await bench.press(entry)
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    return result


# The home owner's run: this long (simulated) for the world to settle once idle.
SETTLE = 300


async def home(hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str) -> dict[str, Any]:
    """What one home owner's account costs: an idle hour, a car arriving, a charging hour.

    The world of N = 1 with every car gone; every request of each hour counts (its own,
    the site's or account's, tokens).
    """
    async with RemoteSim(cloud, 1) as sim:
        freezer.move_to(await sim.now())
        bench = Bench(hass, freezer, sim)
        result: dict[str, Any] = {"cloud": cloud}
        with bench.counter.installed(), as_installed(hass):
            entry, result["setup"] = await bench.setup()
            if entry.state is not ConfigEntryState.LOADED or coordinator_of(entry) is None:
                return result
            assert bench.spec.leave is not None
            for charger, busy in (await sim.chargers()).items():
                if busy:
                    await sim.leave(charger)
            for _ in range(SETTLE // STEP):
                await bench.step(STEP)
            result["units"] = len(await sim.chargers())
            result["idle_hour"] = await bench.hour(entry)
            result["arrival"] = await bench.arrival(entry)
            result["charging_hour"] = await bench.hour(entry)
            for charger, busy in (await sim.chargers()).items():
                if busy:
                    await sim.leave(charger)
            if await sim.hub(503, drop=True):
                # The push stream down (the hub answers 503): an idle hour of polling
                # alone, the stream's reconnection tries included.
                for _ in range(SETTLE // STEP):
                    await bench.step(STEP)
                result["idle_hour_stream_down"] = await bench.hour(entry)
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    return result


async def memory(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: str, n: int
) -> dict[str, Any]:
    """Memory the process holds for the entry: tracemalloc delta of its setup, all of it.

    Every allocation still held after setup counts, wherever it was made, with one
    exception: the test harness keeps a JSON copy of what Home Assistant saves (the
    registries) in memory, where an installation writes it to disk. That copy is the
    allocations of one line of the harness (``HARNESS_COPY_SITE``: the line itself, or the
    ``json_loads`` it calls); it is reported in its own figure, and the allocation sites
    left out are listed so it shows that nothing else is. Two things of the test harness
    that a production Home Assistant does not have are switched off while it is measured:
    asyncio's debug mode (a stack kept for every callback and task) and pytest's log
    capture (every record kept until the test ends).
    """
    async with RemoteSim(cloud, n) as sim:
        freezer.move_to(await sim.now())
        bench = Bench(hass, freezer, sim)
        debug = hass.loop.get_debug()
        hass.loop.set_debug(False)
        gc.collect()
        tracemalloc.start(TRACE_DEPTH)
        try:
            with pytest_capture_off():
                before = tracemalloc.take_snapshot()
                entry, setup = await bench.setup()
                gc.collect()
                after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
            hass.loop.set_debug(debug)
        result = _memory_figures(before, after, n, setup)
        if entry.state is ConfigEntryState.LOADED:
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    return result


def _memory_figures(
    before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, n: int, setup: dict[str, Any]
) -> dict[str, Any]:
    """Counted and left-out bytes, per charger and per entity, and where they go."""
    entities = setup.get("entities_read_in_full", setup["entities"])

    def counted(frames: Any) -> bool:
        return not harness_copy(frames)

    after_held, before_held = select(after, counted), select(before, counted)
    total = size_of(after) - size_of(before)
    held = size_of(after_held) - size_of(before_held)
    copy = total - held
    delta = [stat for stat in after_held.compare_to(before_held, "lineno") if stat.size_diff]
    copied = select(after, harness_copy).compare_to(select(before, harness_copy), "traceback")
    left_out = sorted(
        {
            " <- ".join(f"{_short(f.filename)}:{f.lineno}" for f in reversed(stat.traceback[-3:]))
            for stat in copied
            if stat.size_diff
        }
    )
    by_part: dict[str, int] = {}
    for stat in delta:
        part = part_of(stat.traceback[-1].filename)
        by_part[part] = by_part.get(part, 0) + stat.size_diff
    top = sorted(delta, key=lambda stat: stat.size_diff, reverse=True)
    return {
        "ready": setup["ready"],
        "entities": entities,
        "bytes": held,
        "all_bytes": total,
        "harness_storage_bytes": copy,
        "harness_storage_site": "{}:{}".format(*HARNESS_COPY_SITE),
        "left_out_sites": left_out,
        "per_charger_kb": held / n / 1024,
        "harness_storage_per_charger_kb": copy / n / 1024,
        "per_entity_kb": held / entities / 1024 if entities else None,
        "bytes_by_part": dict(sorted(by_part.items(), key=lambda kv: -kv[1])),
        "top_sites": [
            f"{stat.size_diff:+} B in {stat.count_diff:+} blocks: "
            f"{_short(stat.traceback[-1].filename)}:{stat.traceback[-1].lineno}"
            for stat in top[:TOP_SITES]
        ],
    }


def _short(filename: str) -> str:
    parts = filename.split("/")
    for anchor in ("site-packages", "custom_components", "python3.14"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    return "/".join(parts[-3:])


# Issue 15's large account: 500 Easee chargers on 10 sites.
LARGE_ACCOUNT = (500, 10)


async def large_account(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> dict[str, Any]:
    """Issue 15's account: the requests until every entity shows a value, and when.

    ``simulated_wait_s`` 0 is "within the first poll": every entity was available when
    adding the entry returned, before the clock moved. Each entity's state is read too:
    available is not enough, it must not be unknown either (buttons left out: a button's
    state is the time of its last press, unknown until the first).
    """
    n, sites = LARGE_ACCOUNT
    async with RemoteSim("easee", n, sites) as sim:
        freezer.move_to(await sim.now())
        bench = Bench(hass, freezer, sim)
        entry, setup = await bench.setup()
        entities = entity_entries(hass, entry)
        unknown = [
            e.entity_id
            for e in entities
            if e.domain != "button"
            and (state := hass.states.get(e.entity_id)) is not None
            and state.state == "unknown"
        ]
        result = {"chargers": n, "sites": sites, **setup, "unknown": len(unknown)}
        result["unknown_examples"] = unknown[:5]
        if entry.state is ConfigEntryState.LOADED:
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    return result
