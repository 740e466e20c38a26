"""What the benchmark and the soak share: entities, refresh metering and log capture."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
import contextlib
from contextlib import contextmanager
import cProfile
from dataclasses import dataclass, field
import functools
import inspect
import logging
import os
from pathlib import Path
import time
import tracemalloc
from typing import Any
from unittest.mock import patch

import freezegun
import homeassistant
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_component import DATA_INSTANCES
from homeassistant.util import json as ha_json
from pytest_homeassistant_custom_component import common as harness_common

from custom_components.smart_charging.clouds.http import HttpCore
from custom_components.smart_charging.coordinator import SmartChargingCoordinator

# --- entities -----------------------------------------------------------------------------


def entity_entries(hass: HomeAssistant, entry: ConfigEntry) -> list[er.RegistryEntry]:
    """The entry's enabled entities (disabled ones have no state to wait for)."""
    registry = er.async_get(hass)
    return [
        e
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is None
    ]


def unavailable(hass: HomeAssistant, entries: list[er.RegistryEntry]) -> list[str]:
    """The entities of ``entries`` that have no state yet or are unavailable."""
    missing = []
    for e in entries:
        state = hass.states.get(e.entity_id)
        if state is None or state.state == STATE_UNAVAILABLE:
            missing.append(e.entity_id)
    return missing


def entity_id_of(hass: HomeAssistant, domain: str, unique_id: str) -> str | None:
    """The entity id of our entity with this unique id."""
    return er.async_get(hass).async_get_entity_id(domain, "smart_charging", unique_id)


def entity_object(hass: HomeAssistant, entity_id: str) -> Entity | None:
    """The live entity object (to see whether it still waits for a confirmation)."""
    component = hass.data.get(DATA_INSTANCES, {}).get(entity_id.split(".")[0])
    return component.get_entity(entity_id) if component else None


def coordinator_of(entry: ConfigEntry) -> SmartChargingCoordinator | None:
    """The entry's coordinator (None for a cloud without entities yet)."""
    runtime = getattr(entry, "runtime_data", None)
    return getattr(runtime, "coordinator", None)


# --- refreshes ----------------------------------------------------------------------------


@dataclass
class Refresh:
    """One coordinator refresh as measured."""

    at: float
    ok: bool
    cpu: float
    wall: float
    requests: int
    # What failed, as text (keeping the exception would keep its frames alive).
    error: str | None = None


@dataclass
class RequestCounter:
    """Counts what the HTTP core sends (every client of every cloud)."""

    sent: int = 0
    # Sent and not answered yet (nor failed).
    in_flight: int = 0

    @contextmanager
    def installed(self) -> Iterator[RequestCounter]:
        """Count requests while the context is open."""
        original = HttpCore.request

        @functools.wraps(original)
        async def counting(core: HttpCore, *args: Any, **kwargs: Any) -> Any:
            self.sent += 1
            self.in_flight += 1
            try:
                return await original(core, *args, **kwargs)
            finally:
                self.in_flight -= 1

        with patch.object(HttpCore, "request", counting):
            yield self


@dataclass
class RefreshMeter:
    """Wraps a coordinator's refresh to record its outcome, CPU time and requests."""

    coordinator: SmartChargingCoordinator
    counter: RequestCounter
    # Seconds since the epoch, simulated.
    now: Callable[[], float]
    refreshes: list[Refresh] = field(default_factory=list)
    on_refresh: Callable[[Refresh], None] | None = None

    def install(self) -> None:
        """Replace the instance's ``_async_refresh`` with the measuring one."""
        coordinator = self.coordinator
        original = coordinator._async_refresh

        async def measured(*args: Any, **kwargs: Any) -> None:
            sent, cpu, wall = self.counter.sent, time.process_time(), wall_clock()
            await original(*args, **kwargs)
            refresh = Refresh(
                at=self.now(),
                ok=coordinator.last_update_success,
                cpu=time.process_time() - cpu,
                wall=wall_clock() - wall,
                requests=self.counter.sent - sent,
                error=None
                if coordinator.last_update_success
                else describe(coordinator.last_exception),
            )
            self.refreshes.append(refresh)
            if self.on_refresh is not None:
                self.on_refresh(refresh)

        coordinator._async_refresh = measured  # type: ignore[method-assign]
        # A requested refresh (a write to confirm, the stream gone) runs through the
        # debouncer, which was handed the unwrapped method when the coordinator was made.
        coordinator._debounced_refresh.function = measured


# --- logs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    """What the instruments keep of a log record: the text, not the objects it names."""

    name: str
    levelno: int
    levelname: str
    message: str
    exception: str | None

    def getMessage(self) -> str:
        """The formatted message."""
        return self.message


class Capture(logging.Handler):
    """Keeps every record at WARNING or above, and our own INFO lines (recoveries).

    Records are kept as text: a record's arguments (an exception and its frames) would
    otherwise stay alive and count as memory the integration holds.
    """

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[Logged] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep what the instruments look at."""
        if record.levelno >= logging.WARNING or record.name.startswith(
            "custom_components.smart_charging"
        ):
            exc = record.exc_info[1] if record.exc_info else None
            self.records.append(
                Logged(
                    record.name,
                    record.levelno,
                    record.levelname,
                    record.getMessage(),
                    None if exc is None else repr(exc),
                )
            )


@contextmanager
def pytest_capture_off() -> Iterator[None]:
    """Take pytest's own log capture handlers off while the context is open.

    They keep every record (and the exceptions in its arguments) until the test ends:
    memory a running Home Assistant does not hold.
    """
    root = logging.getLogger()
    removed = [h for h in root.handlers if "_pytest" in type(h).__module__]
    for pytest_handler in removed:
        root.removeHandler(pytest_handler)
    try:
        yield
    finally:
        for pytest_handler in removed:
            root.addHandler(pytest_handler)


@contextmanager
def as_installed(hass: HomeAssistant) -> Iterator[None]:
    """Take off what the test harness adds to Home Assistant, while the context is open.

    Timings then show what an installation pays; nothing of the integration's own work
    (or Home Assistant's) is left out. Three things, each something the harness does and
    a running Home Assistant does not:

    - asyncio's debug mode (the harness's ``enable_event_loop_debug`` fixture): a stack
      kept for every callback and task, and every slow callback timed;
    - pytest's log capture (``pytest_capture_off``): every record formatted twice and
      kept until the test ends;
    - the root logger at INFO (the harness's ``logging.basicConfig``): Home Assistant
      without a ``logger:`` setting logs WARNING and above (``async_enable_logging``), so
      the INFO records of every entity registered are never made;
    - freezegun's look up the call stack at every reading of the frozen clock (five
      frames, to let the modules of its ignore list see the real time): with its ignore
      list emptied the clock stays frozen for everyone, but each reading (a state's
      context id reads it at every state written) costs a fraction of it. The frozen
      clock itself stays: the benchmark's simulated hours need it.
    """
    debug = hass.loop.get_debug()
    root = logging.getLogger()
    level = root.level
    ignore = freezegun.api.ignore_lists[-1] if freezegun.api.ignore_lists else None
    hass.loop.set_debug(False)
    root.setLevel(max(level, logging.WARNING))
    if ignore is not None:
        freezegun.api.ignore_lists[-1] = ()
    try:
        with pytest_capture_off():
            yield
    finally:
        if ignore is not None and freezegun.api.ignore_lists:
            freezegun.api.ignore_lists[-1] = ignore
        root.setLevel(level)
        hass.loop.set_debug(debug)


@contextmanager
def profiled(name: str) -> Iterator[None]:
    """Profile the context with cProfile into ``$BENCH_PROFILE/<name>.prof`` (if set).

    Only to find where the time goes: cProfile slows everything, so figures of a run
    with ``BENCH_PROFILE`` set are not the benchmark's.
    """
    folder = os.environ.get("BENCH_PROFILE")
    if not folder:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        Path(folder).mkdir(parents=True, exist_ok=True)
        profile.dump_stats(Path(folder) / f"{name}.prof")


@contextmanager
def captured_logs(*, keep_pytest: bool = True) -> Iterator[Capture]:
    """Capture log records of every logger while the context is open.

    With ``keep_pytest`` False, pytest's own capture handlers are taken off meanwhile
    (``pytest_capture_off``), which a long soak would count as memory Home Assistant holds.
    """
    handler = Capture()
    root = logging.getLogger()
    ours = logging.getLogger("custom_components.smart_charging")
    level = ours.level
    if ours.getEffectiveLevel() > logging.INFO:
        ours.setLevel(logging.INFO)
    with contextlib.ExitStack() as stack:
        if not keep_pytest:
            stack.enter_context(pytest_capture_off())
        root.addHandler(handler)
        try:
            yield handler
        finally:
            root.removeHandler(handler)
            ours.setLevel(level)


def wall_clock() -> float:
    """Real seconds for timing (the harness's freezer fakes ``time.perf_counter``)."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def describe(error: BaseException | None) -> str:
    """An exception and its cause, as one line."""
    if error is None:
        return "no error recorded"
    cause = error.__cause__
    return f"{type(error).__name__}: {error}" + (
        f" <- {type(cause).__name__}: {cause}" if cause else ""
    )


# --- memory -------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def _folder(path: Path) -> str:
    return os.path.join(os.path.realpath(path), "")


# Where a source file belongs, by the folder of the module itself (never a file-name
# pattern, which a user's folder that happens to be called ``bench`` would match too).
PARTS: tuple[tuple[str, str], ...] = (
    ("integration", _folder(REPO / "custom_components")),
    ("simulator", _folder(REPO / "simulator")),
    ("bench", _folder(REPO / "bench")),
    ("tests", _folder(REPO / "tests")),
    ("homeassistant", _folder(Path(homeassistant.__file__).parent)),
    ("harness", _folder(Path(harness_common.__file__).parent)),
)
LOGGING_MODULE = os.path.realpath(logging.__file__)

# tracemalloc's raw frames: (file name, line), the innermost (most recent) first.
Frames = Sequence[tuple[str, int]]


@functools.cache
def part_of(filename: str) -> str:
    """The part of the program ``filename`` belongs to (a name of ``PARTS``, or other).

    ``logging`` is the standard library's module; ``other`` anything else.
    """
    path = os.path.realpath(filename)
    if path == LOGGING_MODULE:
        return "logging"
    return next((part for part, folder in PARTS if path.startswith(folder)), "other")


def select(snapshot: tracemalloc.Snapshot, keep: Callable[[Frames], bool]) -> tracemalloc.Snapshot:
    """The traces of ``snapshot`` whose frames ``keep`` accepts."""
    # The raw traces, as ``Snapshot.filter_traces`` reads them: (domain, size, frames, n).
    raw: Sequence[Any] = snapshot.traces._traces
    return tracemalloc.Snapshot([t for t in raw if keep(t[2])], snapshot.traceback_limit)


def size_of(snapshot: tracemalloc.Snapshot) -> int:
    """Bytes traced in ``snapshot``."""
    return sum(trace.size for trace in snapshot.traces)


def _harness_copy_site() -> tuple[str, int]:
    """The line where the harness keeps its JSON copy of what Home Assistant saves.

    ``mock_storage`` stands in for the disk: ``data[store.key] = json_loads(...)``. Found
    in its source, so a harness that changes it stops the benchmark instead of making it
    leave out something else.
    """
    lines, first = inspect.getsourcelines(harness_common.mock_storage)
    found = [first + i for i, line in enumerate(lines) if "data[store.key] = json_loads(" in line]
    if len(found) != 1:
        raise RuntimeError("the harness's storage copy is no longer where the benchmark looks")
    return os.path.realpath(harness_common.__file__), found[0]


HARNESS_COPY_SITE = _harness_copy_site()


# The copy line parses with Home Assistant's ``json_loads``: what that allocates for it
# has ``json_loads`` as its innermost frame and the copy line right beneath.
def _lines_of(function: Callable[..., Any]) -> tuple[str, range]:
    lines, first = inspect.getsourcelines(function)
    return os.path.realpath(inspect.getfile(function)), range(first, first + len(lines))


JSON_LOADS = _lines_of(ha_json.json_loads)


def harness_copy(frames: Frames) -> bool:
    """An allocation made by the copy line (directly or in the ``json_loads`` it calls).

    Nothing else: any other allocation, whatever harness frames lie beneath it, counts.
    """
    index = 0
    while (
        index < len(frames) - 1
        and frames[index][1] in JSON_LOADS[1]
        and os.path.realpath(frames[index][0]) == JSON_LOADS[0]
    ):
        index += 1
    filename, lineno = frames[index]
    return lineno == HARNESS_COPY_SITE[1] and os.path.realpath(filename) == HARNESS_COPY_SITE[0]
