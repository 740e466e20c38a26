"""Following an Easee account: its charger stream, and polling within Easee's limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
import contextlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Final

from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ...clouds.circuit import Circuit
from ...clouds.easee.client import (
    RATE_LIMIT as EASEE_RATE_LIMIT,
    RATE_WINDOW_SECONDS as EASEE_RATE_WINDOW_SECONDS,
    EaseeClient,
)
from ...clouds.easee.models import SiteCharger
from ...clouds.easee.observations import Observation, observe
from ...clouds.easee.stream import ChargerStream
from ...clouds.errors import AuthError
from ...clouds.models import ACTIVE_STATUSES, ALL_COMMANDS, Charger, ChargerSettings, ChargerState
from ...const import (
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    OPT_ACTIVE_INTERVAL,
    OPT_IDLE_INTERVAL,
    OPT_SETTINGS_INTERVAL,
)
from ...coordinator import TICK, SmartChargingConfigEntry, SmartChargingCoordinator, same_or
from ...issues import async_credentials_refused
from ...model import ChargerData, Snapshot

# A site's state carries every charger's state and config in one request (pyeasee reads
# it so): often enough to notice a car plugging in within 90 s without the stream.
SITE_STATE_INTERVAL = timedelta(seconds=90)
# The stream healthy, each site's state is a safety net: a home's idle hour is 2 site
# states, the account's lists (every 2 hours) and a token: at most 5 (issue 15: 6).
SAFETY_NET_INTERVAL = timedelta(minutes=30)
# The stream on but down, its reconnection tries are requests too: an idle site every
# 2 minutes keeps a home's idle hour within 45 (30 states, 12 tries, token, lists).
STREAM_DOWN_INTERVAL = timedelta(minutes=2)
# The entry's switch (under Advanced, on unless turned off) for following the stream.
CONF_CHARGER_STREAM: Final = "charger_stream"
# Polling's share of Easee's limit; the rest is kept for commands, their confirmations
# and token renewals. Spread evenly over the ticks of the window, never in one burst.
POLL_BUDGET = EASEE_RATE_LIMIT - 50
# Urgent reads may use the reserve, all but this much of it.
URGENT_MARGIN = 10
POLL_PER_TICK = int(POLL_BUDGET * TICK.total_seconds() // EASEE_RATE_WINDOW_SECONDS)


@dataclass
class _Tracked:
    """What the coordinator keeps between polls about one charger."""

    charger: Charger
    state: ChargerState | None = None
    state_at: datetime | None = None
    settings: ChargerSettings | None = None
    # Due at once: a charger is read completely the first time it is seen.
    state_due: datetime = field(default_factory=lambda: dt_util.utc_from_timestamp(0))
    settings_due: datetime = field(default_factory=lambda: dt_util.utc_from_timestamp(0))
    # Read before anything merely due: a write to confirm.
    state_urgent: bool = False
    settings_urgent: bool = False
    # Shown in the last site state read: then its own reads are only for confirming.
    in_site: bool = False
    _data: ChargerData | None = None

    def data(self) -> ChargerData | None:
        """This charger's part of the snapshot: the same object while nothing changed.

        Entities write their state only when their charger's data changed, so an
        unchanged charger must not get a new (equal) object at every poll.
        """
        if self.state is None:
            return None
        data = self._data
        if (
            data is None
            or data.charger is not self.charger
            or data.state is not self.state
            or data.settings is not self.settings
        ):
            data = self._data = ChargerData(
                charger=self.charger,
                state=self.state,
                commands=ALL_COMMANDS,
                settings=self.settings,
                complete=self.state_at is not None and self.settings is not None,
            )
        return data


@dataclass(frozen=True, order=True)
class _Read:
    """A per-charger read that is due, in the order it should be sent."""

    urgent_last: bool
    due: datetime
    settings: bool
    charger_id: str = field(compare=False)
    cost: int = field(compare=False)


class EaseeCoordinator(SmartChargingCoordinator[EaseeClient]):
    """Polls one Easee account within Easee's limits (``apis.md``, pyeasee).

    One request per site: each site's state (every 90 s, or ``active_interval`` while a
    car charges, if shorter) carries every charger's state and config. The charger and
    site lists are read every ``settings_interval``. A charger's own reads remain for a
    charger no site state shows (state every ``active_interval`` or ``idle_interval``,
    config every ``settings_interval``) and to confirm a write.

    While the charger stream (``clouds/easee/stream.py``) is healthy, each change it
    pushes is shown at once and each site's state is read only every
    ``SAFETY_NET_INTERVAL``; when it drops, every site is read at once and polling goes
    on as above until the stream is back.

    Easee blocks accounts that send more than about 500 requests per five minutes.
    Polling spends at most ``POLL_BUDGET`` of them, evenly over the ticks: site states
    first (at least one a tick), then a charger's own reads; what does not fit waits
    for a later tick, oldest first; reads confirming a write may use the reserve.
    """

    brand = "Easee"

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: EaseeClient
    ) -> None:
        super().__init__(hass, entry, client)
        self.control = client
        self._tracked: dict[str, _Tracked] = {}
        # Each site's state is due on its own (a site not yet read: at once).
        self._site_due: dict[str, datetime] = {}
        self._sites: list[str] = []
        # Each site's circuits as its last state showed them (the planner's limits).
        self._circuits: dict[str, dict[str, Circuit]] = {}
        self._stream: ChargerStream | None = None
        self._stream_task: asyncio.Task[None] | None = None
        self._show_pending = False

    @property
    def stream_healthy(self) -> bool:
        """Whether the charger stream is connected and subscribed."""
        return self._stream is not None and self._stream.connected

    async def _async_fetch(self) -> Snapshot:
        now = dt_util.utcnow()
        window = self.client.window
        sent_before = window.sent()
        if now >= self._structure_due or not self._tracked:
            await self._fetch_structure(now)
        await self._fetch_site_states(now, sent_before)
        # What is left for routine reads: this tick's share of the budget, and never more
        # than the budget leaves in the window (commands count there too). Urgent reads
        # (a write to confirm, a status that changed) may use the reserve.
        sent = window.sent()
        room = min(POLL_PER_TICK - (sent - sent_before), POLL_BUDGET - sent)
        reserve = EASEE_RATE_LIMIT - URGENT_MARGIN - POLL_BUDGET
        for read in self._due_reads(now):
            urgent = not read.urgent_last
            if room - read.cost < (-reserve if urgent else 0):
                break
            room -= read.cost
            tracked = self._tracked[read.charger_id]
            if read.settings:
                tracked.settings = same_or(
                    tracked.settings, await self.client.async_settings(read.charger_id)
                )
                tracked.settings_urgent = False
                tracked.settings_due = now + self.option(
                    OPT_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL
                )
            else:
                await self._fetch_charger_state(now, read.charger_id, tracked)
        await self._follow_stream()
        return self._snapshot()

    def _snapshot(self) -> Snapshot:
        return Snapshot(
            chargers={
                charger_id: data
                for charger_id, tracked in self._tracked.items()
                if (data := tracked.data()) is not None
            },
            circuits={
                circuit.id: circuit
                for site_id in self._sites
                for circuit in self._circuits.get(site_id, {}).values()
            },
        )

    # --- the stream -----------------------------------------------------------------------------

    async def _follow_stream(self) -> None:
        """Start the stream after the first poll; subscribe to every charger we know."""
        if not self.config_entry.data.get(CONF_CHARGER_STREAM, True):
            return
        if self._stream is None:
            self._stream = ChargerStream(
                self.client.hub_url,
                self.client.async_stream_token,
                self._observed,
                self._stream_health,
                # The hub's Retry-After holds off every request to Easee, polls too.
                self.client.http.hold_off,
            )
            # A task of its own, not a background task of the entry: it never ends by
            # itself, and Home Assistant (and its tests) wait for background tasks to
            # end. It is stopped on unload and when Home Assistant stops.
            self._stream_task = asyncio.get_running_loop().create_task(
                self._run_stream(self._stream), name=f"{self.name} stream"
            )
            self.config_entry.async_on_unload(
                self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_stop_stream)
            )
        await self._stream.subscribe(self._tracked)

    async def _run_stream(self, stream: ChargerStream) -> None:
        try:
            await stream.run()
        except AuthError:
            # The hub refused a renewed token (or the token endpoint the credentials).
            self.logger.warning("%s: Easee refused the account's token", self.name)
            async_credentials_refused(self.hass, self.config_entry)
            self.config_entry.async_start_reauth(self.hass)
        finally:
            await stream.close()

    @callback
    def _stream_health(self, healthy: bool) -> None:
        now = dt_util.utcnow()
        for site_id in self._sites:
            # Healthy: the subscription brought every current value. Dropped: read now.
            self._site_due[site_id] = now + SAFETY_NET_INTERVAL if healthy else now
        if not healthy or not self.last_update_success:
            # Dropped: poll now. Back after the cloud failed: the entities are still
            # unavailable, and only a poll that succeeds shows them again.
            if healthy:
                for site_id in self._sites:
                    self._site_due[site_id] = now
            self.config_entry.async_create_task(self.hass, self.async_request_refresh())

    @callback
    def _observed(self, observation: Observation) -> None:
        """Show a pushed value at once (without moving the next poll)."""
        tracked = self._tracked.get(observation.charger_id)
        if tracked is None or tracked.state is None:
            return
        state, settings = observe(tracked.state, tracked.settings, observation)
        if state is tracked.state and settings is tracked.settings:
            return
        tracked.state, tracked.settings = state, settings
        # A burst of observations (a car starting moves a dozen values) is shown once.
        if not self._show_pending:
            self._show_pending = True
            self.hass.loop.call_soon(self._show_pushed)

    @callback
    def _show_pushed(self) -> None:
        self._show_pending = False
        self.async_show(self._snapshot())

    async def _async_stop_stream(self, _event: Event | None = None) -> None:
        """Cancel the stream's task and wait until it has closed its socket."""
        task, self._stream_task = self._stream_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def async_shutdown(self) -> None:
        """Close the stream with the coordinator (no task or socket left behind)."""
        await self._async_stop_stream()
        await super().async_shutdown()

    def _due_reads(self, now: datetime) -> list[_Read]:
        """Every per-charger read that is due: urgent ones first, then the oldest."""
        reads = []
        for charger_id, tracked in self._tracked.items():
            # A charger its site's state shows is read on its own only to confirm a
            # write, and for settings when the site state had none.
            state_read = not tracked.in_site or tracked.state_urgent
            settings_read = not tracked.in_site or tracked.settings is None
            if now >= tracked.state_due and state_read:
                reads.append(
                    _Read(not tracked.state_urgent, tracked.state_due, False, charger_id, 1)
                )
            if now >= tracked.settings_due and (settings_read or tracked.settings_urgent):
                reads.append(
                    _Read(not tracked.settings_urgent, tracked.settings_due, True, charger_id, 1)
                )
        reads.sort()
        return reads

    async def _fetch_structure(self, now: datetime) -> None:
        chargers = {c.id: c for c in await self.client.async_chargers()}
        self._sites = await self.client.async_site_ids()
        for site_id in self._site_due.keys() - set(self._sites):
            del self._site_due[site_id]
        for charger_id in self._tracked.keys() - chargers.keys():
            del self._tracked[charger_id]
        for charger_id, charger in chargers.items():
            if (tracked := self._tracked.get(charger_id)) is not None:
                if tracked.charger.site_id not in self._sites:
                    tracked.in_site = False
                # Where it hangs comes from its site's state; keep it.
                placed = replace(
                    charger,
                    site_id=tracked.charger.site_id,
                    circuit_id=tracked.charger.circuit_id,
                )
                tracked.charger = same_or(tracked.charger, placed)
            else:
                self._tracked[charger_id] = _Tracked(charger=charger)
        self._structure_read(now)

    async def _fetch_site_states(self, now: datetime, sent_before: int) -> None:
        """Read the sites whose state is due, oldest first, within this tick's budget.

        At least one site a tick, so that every site comes round however large the
        account; the rest wait for the next tick.
        """
        window = self.client.window
        epoch = dt_util.utc_from_timestamp(0)
        due = sorted(
            (self._site_due.get(site_id, epoch), site_id)
            for site_id in self._sites
            if self._site_due.get(site_id, epoch) <= now
        )
        for index, (_, site_id) in enumerate(due):
            sent = window.sent()
            room = min(POLL_PER_TICK - (sent - sent_before), POLL_BUDGET - sent)
            if index and room < 1:
                break
            shown = await self.client.async_site_state(site_id)
            self._site_due[site_id] = now + self._site_interval(shown.values())
            self._circuits[site_id] = {
                item.circuit.id: item.circuit for item in shown.values() if item.circuit
            }
            for charger_id, tracked in self._tracked.items():
                item = shown.get(charger_id)
                if item is None:
                    if tracked.charger.site_id == site_id:
                        # No longer shown there: read on its own until a site shows it.
                        tracked.in_site = False
                    continue
                tracked.in_site = True
                tracked.charger = same_or(
                    tracked.charger,
                    replace(tracked.charger, site_id=item.site_id, circuit_id=item.circuit_id),
                )
                tracked.state = same_or(tracked.state, item.state)
                tracked.state_at = now
                if item.settings is not None:
                    tracked.settings = same_or(tracked.settings, item.settings)

    def _site_interval(self, shown: Iterable[SiteCharger]) -> timedelta:
        """90 s; while a car charges there, *While charging* if that is shorter.

        While the stream is healthy: the safety net's interval; while it is on but down,
        an idle site every 2 minutes.
        """
        if self.stream_healthy:
            return SAFETY_NET_INTERVAL
        if any(item.state.status in ACTIVE_STATUSES for item in shown):
            return min(
                SITE_STATE_INTERVAL, self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)
            )
        return STREAM_DOWN_INTERVAL if self._stream is not None else SITE_STATE_INTERVAL

    async def _fetch_charger_state(self, now: datetime, charger_id: str, tracked: _Tracked) -> None:
        tracked.state = same_or(tracked.state, await self.client.async_state(charger_id))
        tracked.state_at, tracked.state_urgent = now, False
        active = tracked.state.status in ACTIVE_STATUSES
        interval = (
            self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)
            if active
            else self.option(OPT_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL)
        )
        tracked.state_due = now + interval

    @callback
    def mark_due(self, charger_id: str, *, settings: bool) -> None:
        """Read this device again at the next refresh."""
        tracked = self._tracked.get(charger_id)
        if tracked is None:
            return
        if settings:
            tracked.settings_due, tracked.settings_urgent = dt_util.utcnow(), True
        else:
            tracked.state_due, tracked.state_urgent = dt_util.utcnow(), True
