"""Coordinators: one poll serves every entity of an account.

Each cloud's coordinator decides per refresh what is due, so an idle charger costs a
few requests an hour while a charging one is followed closely. Client errors are
mapped here, once: refused credentials start reauthentication, a 429 defers the next
poll by its Retry-After, anything else marks the entities unavailable until it passes.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api.ampeco import AmpecoChargePoint, AmpecoClient, AmpecoSession, ChargePointStatus
from .api.base import ChargerControl, GroupControl
from .api.easee import (
    RATE_LIMIT as EASEE_RATE_LIMIT,
    RATE_WINDOW_SECONDS as EASEE_RATE_WINDOW_SECONDS,
    EaseeClient,
)
from .api.errors import AuthError, RateLimitedError, RejectedError, SmartChargingError
from .api.jedlix import JedlixClient
from .api.models import (
    ACTIVE_STATUSES,
    ButtonPress,
    Charger,
    ChargerGroup,
    ChargerSettings,
    ChargerState,
    ChargerStatus,
    ChargeState,
    ChargingLocation,
    CommandResult,
    GroupLimit,
    JedlixCharger,
    Message,
    PricePoint,
    Session,
    SolarEnergyPoint,
    Station,
    TariffSettings,
    Vehicle,
)
from .api.preferences import AvailableMode, Preferences
from .api.viriciti import ViricitiClient
from .const import (
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DOMAIN,
    LOGGER,
    OPT_ACTIVE_INTERVAL,
    OPT_IDLE_INTERVAL,
    OPT_SETTINGS_INTERVAL,
)
from .limits import next_change
from .repairs import (
    async_check_chargers,
    async_credentials_accepted,
    async_credentials_refused,
    async_message_dismissed,
    async_sync_messages,
)

if TYPE_CHECKING:
    from .runtime import SmartChargingConfigEntry

# How often the coordinator wakes up to see what is due; a wake-up with nothing due
# sends nothing.
TICK = timedelta(seconds=30)
# Easee's dashboard state covers every charger of a site in one request: polled often
# enough to notice a car plugging in within two minutes.
SITE_STATE_INTERVAL = timedelta(seconds=90)
# After a 429, the last values stay shown (nothing is sent until Retry-After has passed)
# if they are at most this old; a cloud that keeps refusing makes entities unavailable.
RATE_LIMIT_GRACE = timedelta(minutes=15)
# Polling's share of Easee's limit; the rest is kept for commands, their confirmations
# and token renewals. Spread evenly over the ticks of the window, never in one burst.
POLL_BUDGET = EASEE_RATE_LIMIT - 50
# Urgent reads may use the reserve, all but this much of it.
URGENT_MARGIN = 10
POLL_PER_TICK = int(POLL_BUDGET * TICK.total_seconds() // EASEE_RATE_WINDOW_SECONDS)
# After a command, look at that charger again this long after (twice at most).
CONFIRM_DELAYS = (timedelta(seconds=5), timedelta(seconds=20))


class _AvailabilityLogger(logging.Logger):
    """The coordinators' logger: a cloud going away is a warning, not an error.

    Home Assistant's coordinator logs the first failed poll with ``error`` and the
    recovery with ``info``, once each. A cloud that is briefly unreachable is expected
    and needs no action, so that one message is a warning; nothing else changes.
    """

    def error(self, msg: object, *args: object, **kwargs: Any) -> None:
        """Log what the coordinator reports as an error at warning level."""
        self.warning(msg, *args, **kwargs)


def _availability_logger() -> logging.Logger:
    logger = _AvailabilityLogger(f"{LOGGER.name}.coordinator")
    logger.parent = LOGGER
    return logger


class SmartChargingCoordinator(DataUpdateCoordinator["Snapshot"]):
    """Maps client errors to Home Assistant's outcomes; subclasses fetch."""

    config_entry: SmartChargingConfigEntry

    def __init__(self, hass: HomeAssistant, entry: SmartChargingConfigEntry, name: str) -> None:
        super().__init__(
            hass,
            _availability_logger(),
            config_entry=entry,
            name=f"{name} {entry.title}",
            update_interval=TICK,
            always_update=False,
        )
        # Confirmations still to come, cancelled with the coordinator.
        self._confirm_cancels: dict[object, CALLBACK_TYPE] = {}
        self._last_good: datetime | None = None
        # When each charger was first seen in an error state (for the repair issue).
        self._error_since: dict[str, datetime] = {}

    @property
    def control(self) -> ChargerControl | None:
        """The client's charger controls, for clouds that have them."""
        return None

    @property
    def group_control(self) -> GroupControl | None:
        """The client's group-limit controls, for clouds that have them."""
        return None

    @callback
    def async_apply_group_limit(self, group_id: str, limit: GroupLimit) -> None:
        """Show the limit layers a write was answered with (clouds with groups)."""

    @callback
    def async_confirm_soon(
        self, charger_id: str, confirmed: Callable[[], bool], *, settings: bool = False
    ) -> None:
        """After a write, read that charger again until ``confirmed`` (twice at most).

        The cloud accepts a write at once and applies it seconds later, so the first
        look is a few seconds after the write and the second only if still needed.
        A settings write is confirmed from the settings, a command from the state.
        """

        for delay in CONFIRM_DELAYS:
            token = object()
            self._confirm_cancels[token] = async_call_later(
                self.hass,
                delay,
                partial(self._confirm_due, token, charger_id, confirmed, settings),
            )

    @callback
    def _confirm_due(
        self,
        token: object,
        charger_id: str,
        confirmed: Callable[[], bool],
        settings: bool,
        _now: datetime,
    ) -> None:
        del self._confirm_cancels[token]
        if confirmed():
            return
        self._mark_due(charger_id, settings=settings)
        self.config_entry.async_create_task(self.hass, self.async_refresh())

    @callback
    def _mark_due(self, charger_id: str, *, settings: bool) -> None:
        """Make the next refresh read this charger's state (or settings)."""

    @callback
    def async_forget_message(self, message_id: str) -> None:
        """A dismissed message no longer needs the user (clouds with messages)."""

    async def async_shutdown(self) -> None:
        """Cancel pending confirmations with the coordinator."""
        for cancel in self._confirm_cancels.values():
            cancel()
        self._confirm_cancels.clear()
        await super().async_shutdown()

    def option(self, key: str, default: timedelta) -> timedelta:
        """A duration from the entry's options (minutes there), or its default."""
        minutes = self.config_entry.options.get(key)
        return timedelta(minutes=minutes) if minutes else default

    async def _async_update_data(self) -> Snapshot:
        try:
            data = await self._async_fetch()
        except AuthError as err:
            async_credentials_refused(self.hass, self.config_entry)
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except RateLimitedError as err:
            now = dt_util.utcnow()
            if self._last_good is not None and now - self._last_good < RATE_LIMIT_GRACE:
                # "Slow down" (often after a write) is not "gone": keep what we know.
                self.logger.debug("%s asks to wait (%s); keeping the last values", self.name, err)
                return self.data
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="rate_limited",
                retry_after=err.retry_after,
            ) from err
        except SmartChargingError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self._last_good = dt_util.utcnow()
        async_credentials_accepted(self.hass, self.config_entry)
        async_check_chargers(
            self.hass, self.config_entry, data, self._error_since, dt_util.utcnow()
        )
        return data

    @abstractmethod
    async def _async_fetch(self) -> Snapshot:
        """Ask the cloud for what is due and return the new snapshot."""


# The commands a charger takes; which ones a charger offers is data (``commands``).
ALL_COMMANDS = frozenset(
    {
        "start_charging",
        "stop_charging",
        "pause_charging",
        "resume_charging",
        "toggle_charging",
        "override_schedule",
    }
)


@dataclass(frozen=True, kw_only=True)
class ChargerData:
    """Everything known about one charger, whichever cloud it is on."""

    charger: Charger
    state: ChargerState
    commands: frozenset[str] = frozenset()
    settings: ChargerSettings | None = None
    button: ButtonPress | None = None
    preferences: Preferences | None = None
    offered_modes: tuple[AvailableMode, ...] = ()
    session_id: str | None = None
    # False while only part of the charger has been read (a large Easee account is
    # read in full over some minutes): the entities that need the rest come later.
    complete: bool = True


@dataclass(frozen=True, kw_only=True)
class GroupData:
    """A charger group: its settings, its limit layers and the next change."""

    group: ChargerGroup
    limit: GroupLimit
    next_change: tuple[datetime, float | None] | None = None


@dataclass(frozen=True, kw_only=True)
class StationData:
    """A charger of a group and the power its positions were last given."""

    station: Station
    position_limits: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class VehicleData:
    """A car and its current (or last) charging session."""

    vehicle: Vehicle
    session: Session | None = None


@dataclass(frozen=True, kw_only=True)
class LocationData:
    """A charging location: the price of electricity there, its tariffs, its solar."""

    location: ChargingLocation
    name: str
    prices: tuple[PricePoint, ...] = ()
    tariffs: TariffSettings | None = None
    solar: tuple[SolarEnergyPoint, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """What one poll of an account knows; entities read only this."""

    chargers: dict[str, ChargerData] = field(default_factory=dict)
    groups: dict[str, GroupData] = field(default_factory=dict)
    stations: dict[str, StationData] = field(default_factory=dict)
    vehicles: dict[str, VehicleData] = field(default_factory=dict)
    locations: dict[str, LocationData] = field(default_factory=dict)
    messages: tuple[Message, ...] = ()


@dataclass
class _Tracked:
    """What the coordinator keeps between polls about one charger."""

    charger: Charger
    state: ChargerState | None = None
    state_at: datetime | None = None
    settings: ChargerSettings | None = None
    button: ButtonPress | None = None
    # Due at once: a charger is read completely the first time it is seen.
    state_due: datetime = field(default_factory=lambda: dt_util.utc_from_timestamp(0))
    settings_due: datetime = field(default_factory=lambda: dt_util.utc_from_timestamp(0))
    # Read before anything merely due: a write to confirm, a status that just changed.
    state_urgent: bool = False
    settings_urgent: bool = False
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
            or data.button is not self.button
        ):
            data = self._data = ChargerData(
                charger=self.charger,
                state=self.state,
                commands=ALL_COMMANDS,
                settings=self.settings,
                button=self.button,
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


class EaseeCoordinator(SmartChargingCoordinator):
    """Polls one Easee account within Easee's limits (``apis.md``).

    Per hour, an idle charger costs two state reads and half a settings read; a
    charging one a state read every ``active_interval``. Account-level: the charger
    list and sites every ``settings_interval`` and each site's dashboard state every
    90 s, which also tells when a car plugs in, so that charger is read first.

    Easee blocks accounts that send more than about 500 requests per five minutes.
    Polling spends at most ``POLL_BUDGET`` of them, evenly over the ticks; what does
    not fit waits for a later tick, oldest first. A large account is therefore shown
    from the sites' dashboard state at once and read in full over the next minutes,
    and its charging chargers are read less often than ``active_interval``.
    """

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: EaseeClient
    ) -> None:
        super().__init__(hass, entry, "Easee")
        self.client = client
        self._tracked: dict[str, _Tracked] = {}
        self._structure_due = dt_util.utcnow()
        self._site_state_due = dt_util.utcnow()

    @property
    def control(self) -> ChargerControl:
        """Easee chargers take commands and settings."""
        return self.client

    async def _async_fetch(self) -> Snapshot:
        now = dt_util.utcnow()
        window = self.client.window
        sent_before = window.sent()
        if now >= self._structure_due or not self._tracked:
            await self._fetch_structure(now)
        if now >= self._site_state_due:
            await self._fetch_site_states(now)
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
                tracked.settings = _same_or(
                    tracked.settings, await self.client.async_settings(read.charger_id)
                )
                tracked.settings_urgent = False
                tracked.settings_due = now + self.option(
                    OPT_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL
                )
            else:
                await self._fetch_charger_state(now, read.charger_id, tracked)
        return Snapshot(
            chargers={
                charger_id: data
                for charger_id, tracked in self._tracked.items()
                if (data := tracked.data()) is not None
            }
        )

    def _due_reads(self, now: datetime) -> list[_Read]:
        """Every per-charger read that is due: urgent ones first, then the oldest."""
        reads = []
        for charger_id, tracked in self._tracked.items():
            if now >= tracked.state_due:
                button = tracked.settings is not None and tracked.settings.smart_button_enabled
                reads.append(
                    _Read(
                        not tracked.state_urgent, tracked.state_due, False, charger_id, 1 + button
                    )
                )
            if now >= tracked.settings_due:
                reads.append(
                    _Read(not tracked.settings_urgent, tracked.settings_due, True, charger_id, 1)
                )
        reads.sort()
        return reads

    async def _fetch_structure(self, now: datetime) -> None:
        chargers = {c.id: c for c in await self.client.async_chargers()}
        for charger_id in self._tracked.keys() - chargers.keys():
            del self._tracked[charger_id]
        for charger_id, charger in chargers.items():
            if (tracked := self._tracked.get(charger_id)) is not None:
                tracked.charger = _same_or(tracked.charger, charger)
            else:
                self._tracked[charger_id] = _Tracked(charger=charger)
        self._structure_due = now + self.option(OPT_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL)

    async def _fetch_site_states(self, now: datetime) -> None:
        sites = {t.charger.site_id for t in self._tracked.values() if t.charger.site_id}
        for site_id in sorted(sites):
            for charger_id, shown in (await self.client.async_site_state(site_id)).items():
                tracked = self._tracked.get(charger_id)
                if tracked is None:
                    continue
                if tracked.state is None:
                    # Shown from the dashboard state until its own read comes round.
                    tracked.state = shown
                    continue
                if shown.status != tracked.state.status:
                    # Something happened (a car plugged in, charging ended): read it first.
                    tracked.state_due, tracked.state_urgent = now, True
                tracked.state = _same_or(
                    tracked.state,
                    replace(
                        tracked.state,
                        status=shown.status,
                        status_code=shown.status_code,
                        power_kw=shown.power_kw,
                        online=shown.online,
                        reason=shown.reason,
                        reason_code=shown.reason_code,
                    ),
                )
        self._site_state_due = now + SITE_STATE_INTERVAL

    async def _fetch_charger_state(self, now: datetime, charger_id: str, tracked: _Tracked) -> None:
        tracked.state = _same_or(tracked.state, await self.client.async_state(charger_id))
        tracked.state_at, tracked.state_urgent = now, False
        active = tracked.state.status in ACTIVE_STATUSES
        if tracked.settings is not None and tracked.settings.smart_button_enabled:
            button = await self.client.async_button_press(charger_id)
            tracked.button = _same_or(tracked.button, button) if button else tracked.button
        interval = (
            self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)
            if active
            else self.option(OPT_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL)
        )
        tracked.state_due = now + interval

    @callback
    def _mark_due(self, charger_id: str, *, settings: bool) -> None:
        tracked = self._tracked.get(charger_id)
        if tracked is None:
            return
        if settings:
            tracked.settings_due, tracked.settings_urgent = dt_util.utcnow(), True
        else:
            tracked.state_due, tracked.state_urgent = dt_util.utcnow(), True


def _same_or[T](old: T | None, new: T) -> T:
    """``old`` when ``new`` equals it: unchanged data keeps its identity (see ``data``)."""
    return old if old is not None and old == new else new


@dataclass
class _TrackedGroup:
    """What the coordinator keeps between polls about one group."""

    group: ChargerGroup
    limit: GroupLimit | None = None
    limit_due: datetime = field(default_factory=lambda: dt_util.utc_from_timestamp(0))
    # Where the next time-series read starts: only what is new is asked for.
    series_from: datetime | None = None
    series_due: datetime = field(default_factory=lambda: dt_util.utc_from_timestamp(0))
    position_limits: dict[tuple[str, int], float] = field(default_factory=dict)


# A group's time series is read every this many polls of its limit.
SERIES_POLLS = 3
# The key may send about 120 requests a minute. A first look costs three per group
# (settings, limit, time series); past this many in one go, time series wait a minute.
VIRICITI_BURST = 100
SERIES_DEFERRED = timedelta(minutes=1)


class ViricitiCoordinator(SmartChargingCoordinator):
    """Polls the groups an API key can see.

    Per group: its limit layers every ``active_interval`` and just after the limit is
    due to change, and the new part of its time series every third poll; stations and
    group settings every ``settings_interval``.
    """

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: ViricitiClient
    ) -> None:
        super().__init__(hass, entry, "ViriCiti")
        self.client = client
        self._stations: dict[str, Station] = {}
        self._groups: dict[str, _TrackedGroup] = {}
        self._structure_due = dt_util.utcnow()

    @property
    def group_control(self) -> GroupControl:
        """ViriCiti groups take an external limit."""
        return self.client

    @callback
    def async_apply_group_limit(self, group_id: str, limit: GroupLimit) -> None:
        """Show the layers the cloud answered a write with, without asking again."""
        tracked = self._groups.get(group_id)
        if tracked is None or self.data is None:
            return
        tracked.limit = limit
        now = dt_util.utcnow()
        groups = dict(self.data.groups)
        groups[group_id] = GroupData(
            group=tracked.group, limit=limit, next_change=next_change(tracked.group, limit, now)
        )
        self.async_set_updated_data(replace(self.data, groups=groups))

    async def _async_fetch(self) -> Snapshot:
        now = dt_util.utcnow()
        if now >= self._structure_due or not self._groups:
            await self._fetch_structure(now)
        changes: dict[str, tuple[datetime, float | None] | None] = {}
        for group_id, tracked in self._groups.items():
            if now >= tracked.limit_due or tracked.limit is None:
                await self._fetch_limit(now, tracked)
            if now >= tracked.series_due:
                await self._fetch_series(now, tracked)
            assert tracked.limit is not None
            changes[group_id] = next_change(tracked.group, tracked.limit, now)
            if (change := changes[group_id]) is not None:
                # Look again just after the limit changes, not a poll later.
                tracked.limit_due = min(tracked.limit_due, change[0] + timedelta(seconds=5))
        return Snapshot(
            groups={
                group_id: GroupData(
                    group=tracked.group, limit=tracked.limit, next_change=changes[group_id]
                )
                for group_id, tracked in self._groups.items()
                if tracked.limit is not None
            },
            stations={
                identity: StationData(
                    station=station, position_limits=self._position_limits(station)
                )
                for identity, station in self._stations.items()
                if station.group_id in self._groups
            },
        )

    def _position_limits(self, station: Station) -> dict[int, float]:
        """Each position's share of the group limit.

        A position left out of the latest sample gets nothing (0 kW); before the first
        sample nothing is known.
        """
        tracked = self._groups[station.group_id]
        if tracked.series_from is None:
            return {}
        return {
            position: tracked.position_limits.get((station.identity, position), 0.0)
            for position in range(1, station.positions + 1)
        }

    async def _fetch_structure(self, now: datetime) -> None:
        self._stations = {s.identity: s for s in await self.client.async_stations()}
        zones = {s.group_id: s.timezone or "UTC" for s in self._stations.values()}
        for group_id in self._groups.keys() - zones.keys():
            del self._groups[group_id]
        # Settings and limits of every group are needed now; time series can wait.
        series_now = VIRICITI_BURST - 1 - 2 * len(zones)
        for group_id, zone in zones.items():
            group = await self.client.async_group(group_id, zone)
            if group_id in self._groups:
                self._groups[group_id].group = group
                continue
            self._groups[group_id] = tracked = _TrackedGroup(group=group)
            if series_now > 0:
                series_now -= 1
            else:
                tracked.series_due = now + SERIES_DEFERRED
        self._structure_due = now + self.option(OPT_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL)

    async def _fetch_limit(self, now: datetime, tracked: _TrackedGroup) -> None:
        tracked.limit = await self.client.async_group_limit(tracked.group.id)
        tracked.limit_due = now + self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)

    async def _fetch_series(self, now: datetime, tracked: _TrackedGroup) -> None:
        # The sharing among positions changes as cars come and go, more slowly than a
        # limit matters: it is read every third poll.
        interval = self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)
        tracked.series_due = now + interval * SERIES_POLLS
        # The first read looks back as far as the cloud allows, to find the latest sharing.
        start = tracked.series_from or now - timedelta(days=31)
        samples = await self.client.async_limit_history(
            tracked.group.id, start, now + timedelta(milliseconds=1)
        )
        if samples:
            latest = samples[-1]
            tracked.position_limits = {
                (limit.station, limit.position): limit.limit_kw for limit in latest.limits
            }
            tracked.series_from = latest.time + timedelta(milliseconds=1)

    @callback
    def _mark_due(self, key: str, *, settings: bool) -> None:
        if (tracked := self._groups.get(key)) is not None:
            tracked.limit_due = dt_util.utcnow()


def _ampeco_status(point: AmpecoChargePoint, session: AmpecoSession | None) -> ChargerStatus:
    """The neutral status of a charge point, from its own status and its session."""
    match point.status:
        case ChargePointStatus.OFFLINE | ChargePointStatus.NEVER_CONNECTED:
            return ChargerStatus.OFFLINE
        case ChargePointStatus.UNAVAILABLE:
            return ChargerStatus.OFFLINE
        case ChargePointStatus.FAULTED:
            return ChargerStatus.ERROR
        case ChargePointStatus.UNKNOWN:
            return ChargerStatus.UNKNOWN
    if session is None:
        return ChargerStatus.DISCONNECTED
    return ChargerStatus.CHARGING if (session.power_kw or 0) > 0 else ChargerStatus.AWAITING_START


class AmpecoControl:
    """Start and stop for AMPECO charge points, behind the neutral ChargerControl.

    AMPECO stops a session, not a charge point, so stop looks up the charge point's
    running session in the latest snapshot.
    """

    def __init__(self, coordinator: AmpecoCoordinator) -> None:
        self._coordinator = coordinator

    async def async_command(self, charger_id: str, command: str) -> CommandResult:
        """Start or stop charging."""
        client = self._coordinator.client
        if command == "start_charging":
            await client.async_start(charger_id)
        elif command == "stop_charging":
            data = self._coordinator.data.chargers.get(charger_id)
            if data is None or data.session_id is None:
                raise RejectedError("no charging session is running")
            await client.async_stop(charger_id, data.session_id)
        else:  # pragma: no cover - buttons exist only for the commands a charger offers
            raise RejectedError(f"{command} is not available")
        return CommandResult(accepted=True, changed=True)

    async def async_set_settings(self, charger_id: str, **changes: Any) -> CommandResult:
        """AMPECO charge points have no settings Smart Charging writes."""
        raise RejectedError("this charge point has no settings to change")


def _by_charge_point(sessions: list[AmpecoSession]) -> dict[str, AmpecoSession]:
    return {s.charge_point_id: s for s in sessions if s.charge_point_id}


def _ampeco_charger(point: AmpecoChargePoint, session: AmpecoSession | None) -> ChargerData:
    """A charge point and its running session (if any), as the neutral charger."""
    return ChargerData(
        charger=point.charger,
        state=ChargerState(
            status=_ampeco_status(point, session),
            power_kw=(session.power_kw or 0.0) if session else 0.0,
            # No running session: nothing charged in it (yet).
            session_energy_kwh=(session.energy_kwh or 0.0) if session else 0.0,
            online=point.online,
        ),
        commands=(
            frozenset({"start_charging", "stop_charging"})
            if point.remote_start_stop
            else frozenset()
        ),
        preferences=point.preferences,
        offered_modes=point.modes or (),
        session_id=session.id if session else None,
    )


class AmpecoCoordinator(SmartChargingCoordinator):
    """Polls an AMPECO tenant: two list reads, in pages of 100, cover every charge point.

    The running sessions every ``active_interval``, so a charge starting or ending is
    noticed within it whatever the number of charge points; the charge-point list (with
    preferences, offered modes and whether each is online) every ``idle_interval``, as
    preferences change only when written (and a write's answer is shown at once). After a
    start or stop, only that charge point's sessions are read to confirm it.
    """

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: AmpecoClient
    ) -> None:
        super().__init__(hass, entry, "AMPECO")
        self.client = client
        self._control = AmpecoControl(self)
        self._points: dict[str, AmpecoChargePoint] = {}
        self._sessions: dict[str, AmpecoSession] = {}
        self._points_due = self._sessions_due = dt_util.utcnow()
        self._confirm: set[str] = set()

    @property
    def control(self) -> ChargerControl:
        """Start and stop, where a charge point allows it."""
        return self._control

    async def _async_fetch(self) -> Snapshot:
        now = dt_util.utcnow()
        if now >= self._points_due or not self._points:
            self._points = {p.charger.id: p for p in await self.client.async_charge_points()}
            self._points_due = now + self.option(OPT_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL)
        if now >= self._sessions_due or self.data is None:
            self._sessions = _by_charge_point(await self.client.async_active_sessions())
            self._sessions_due = now + self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)
            self._confirm.clear()
        while self._confirm:
            cp_id = self._confirm.pop()
            self._sessions.pop(cp_id, None)
            self._sessions |= _by_charge_point(await self.client.async_active_sessions(cp_id))
        return Snapshot(
            chargers={
                cp_id: _ampeco_charger(point, self._sessions.get(cp_id))
                for cp_id, point in self._points.items()
            }
        )

    @callback
    def _mark_due(self, key: str, *, settings: bool) -> None:
        self._confirm.add(key)

    @callback
    def async_apply_preferences(self, charger_id: str, preferences: Preferences) -> None:
        """Show the preferences the cloud answered a write with, without asking again."""
        data = self.data.chargers.get(charger_id) if self.data else None
        if data is None:
            return
        # Kept for the polls to come too: the list is read again only every idle interval.
        if (point := self._points.get(charger_id)) is not None:
            self._points[charger_id] = replace(point, preferences=preferences)
        chargers = dict(self.data.chargers)
        chargers[charger_id] = replace(data, preferences=preferences)
        self.async_set_updated_data(replace(self.data, chargers=chargers))


# A Jedlix charge state, as the neutral charger status.
_JEDLIX_STATUS: dict[ChargeState, ChargerStatus] = {
    ChargeState.CHARGING: ChargerStatus.CHARGING,
    ChargeState.COMPLETE: ChargerStatus.COMPLETED,
    ChargeState.DISCONNECTED: ChargerStatus.DISCONNECTED,
    ChargeState.STOPPED: ChargerStatus.AWAITING_START,
}
# How often each part of a Jedlix account is read, in polls of ``active_interval``:
# within 60 account-level calls an hour at the default two minutes (30 + 15 + 6 + 3).
_JEDLIX_EVERY = {"vehicles": 1, "sessions": 2, "chargers": 5, "messages": 10}


class JedlixCoordinator(SmartChargingCoordinator):
    """Polls one Jedlix user.

    Every ``active_interval``: the vehicles (one request, with their state), so a car
    plugging in is noticed within it; every second poll the sessions of the cars that
    are plugged in, all from one read of the user's session list (never one request per
    car); every fifth poll the chargers, every tenth the messages. Prices and solar
    energy once an hour (they are hourly), locations and tariffs every
    ``settings_interval``.
    """

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: JedlixClient
    ) -> None:
        super().__init__(hass, entry, "Jedlix")
        self.client = client
        self._due = dt_util.utcnow()
        # When each part of the account is next read (absent: at the next poll).
        self._part_due: dict[str, datetime] = {}
        self._structure_due = dt_util.utcnow()
        self._hourly_due = dt_util.utcnow()
        self._vehicles: dict[str, VehicleData] = {}
        # The newest session start seen: a session not seen yet starts after it.
        self._newest_start: datetime | None = None
        self._chargers: dict[str, ChargerData] = {}
        self._locations: dict[str, LocationData] = {}
        self._messages: tuple[Message, ...] = ()
        self._seen_messages: set[str] = set()

    async def _async_fetch(self) -> Snapshot:
        now = dt_util.utcnow()
        if now >= self._structure_due or not self._locations:
            await self._fetch_locations(now)
        if now >= self._hourly_due:
            await self._fetch_hourly(now)
        if now < self._due and self.data is not None:
            return replace(self.data, locations=dict(self._locations))
        interval = self.option(OPT_ACTIVE_INTERVAL, DEFAULT_ACTIVE_INTERVAL)
        self._due = now + interval
        due = {part for part in _JEDLIX_EVERY if now >= self._part_due.get(part, now)}
        first = not self._part_due
        for part in due:
            # Half a tick early is on time: polls come on the tick, not to the second.
            self._part_due[part] = now + interval * _JEDLIX_EVERY[part] - TICK / 2
        if "vehicles" in due:
            await self._fetch_vehicles(sessions_due="sessions" in due)
        if "chargers" in due:
            self._chargers = {
                c.id: _same_or(self._chargers.get(c.id), self._charger_data(c))
                for c in await self.client.async_chargers()
            }
        if "messages" in due:
            messages = tuple(await self.client.async_messages())
            async_sync_messages(
                self.hass,
                self.config_entry,
                messages,
                self._seen_messages,
                first=first,
            )
            # The rest were announced by their event: an inbox the user never empties
            # must not grow in memory with it.
            self._messages = tuple(m for m in messages if m.needs_action)
        return Snapshot(
            chargers=dict(self._chargers),
            vehicles=dict(self._vehicles),
            locations=dict(self._locations),
            messages=self._messages,
        )

    async def _fetch_locations(self, now: datetime) -> None:
        locations = sorted(
            await self.client.async_charging_locations(),
            key=lambda loc: loc.created_at or now,
        )
        fresh = {}
        for index, location in enumerate(locations, start=1):
            old = self._locations.get(location.id)
            fresh[location.id] = LocationData(
                location=location,
                name="Charging location" if len(locations) == 1 else f"Charging location {index}",
                prices=old.prices if old else (),
                solar=old.solar if old else (),
                tariffs=await self.client.async_tariffs(location.id),
            )
        self._locations = fresh
        self._hourly_due = min(self._hourly_due, now)
        self._structure_due = now + self.option(OPT_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL)

    async def _fetch_hourly(self, now: datetime) -> None:
        """Today's and tomorrow's prices and today's solar energy, once an hour."""
        midnight = dt_util.start_of_local_day()
        for location_id, data in self._locations.items():
            self._locations[location_id] = replace(
                data,
                prices=tuple(await self.client.async_dynamic_tariffs(location_id)),
                solar=tuple(await self.client.async_solar_energy(location_id, midnight, now)),
            )
        next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        self._hourly_due = next_hour + timedelta(minutes=1)

    async def _fetch_vehicles(self, *, sessions_due: bool) -> None:
        vehicles = await self.client.async_vehicles()
        # Cars seen for the first time: their latest sessions from the user's session
        # list, a few pages for a whole fleet (one request per car would not scale).
        new = [v.id for v in vehicles if v.id not in self._vehicles]
        first_look = await self.client.async_latest_sessions(new) if new else {}
        self._saw(first_look.values())
        # Plugged in (or was): follow its session; a parked car's is settled.
        followed = [
            v.id
            for v in vehicles
            if (old := self._vehicles.get(v.id)) is not None
            and (
                v.charge_state is not ChargeState.DISCONNECTED
                or (old.session is not None and old.session.is_active)
            )
        ]
        latest = await self._latest_sessions(followed) if followed and sessions_due else {}
        fresh = {}
        for vehicle in vehicles:
            old = self._vehicles.get(vehicle.id)
            if old is None:
                session = first_look.get(vehicle.id)
            else:
                session = _same_or(old.session, latest.get(vehicle.id, old.session))
            fresh[vehicle.id] = _same_or(old, VehicleData(vehicle=vehicle, session=session))
        self._vehicles = fresh

    async def _latest_sessions(self, followed: list[str]) -> dict[str, Session]:
        """The followed cars' latest sessions, from one read of the user's session list.

        Only sessions that can have changed are asked for: from the start of the oldest
        one still running, or newer than any seen before (a new one starts after those).
        """
        starts = [
            session.start
            for vehicle_id in followed
            if (session := self._vehicles[vehicle_id].session) is not None
            and session.is_active
            and session.start is not None
        ]
        if self._newest_start is not None:
            starts.append(self._newest_start)
        sessions = await self.client.async_sessions(start_from=min(starts, default=None))
        self._saw(sessions)
        wanted, latest = set(followed), {}
        for session in sessions:  # newest first
            if session.vehicle_id in wanted and session.vehicle_id not in latest:
                latest[session.vehicle_id] = session
        return latest

    def _saw(self, sessions: Iterable[Session]) -> None:
        for session in sessions:
            if session.start is not None and (
                self._newest_start is None or session.start > self._newest_start
            ):
                self._newest_start = session.start

    @staticmethod
    def _charger_data(charger: JedlixCharger) -> ChargerData:
        state = charger.state
        status = (
            _JEDLIX_STATUS.get(state.charge_state, ChargerStatus.UNKNOWN)
            if state is not None
            else ChargerStatus.UNKNOWN
        )
        return ChargerData(
            charger=charger.as_charger(),
            state=ChargerState(status=status, power_kw=state.power_kw if state else None),
        )

    @callback
    def _mark_due(self, key: str, *, settings: bool) -> None:
        self._structure_due = dt_util.utcnow()

    @callback
    def async_apply_tariffs(self, location_id: str, tariffs: TariffSettings) -> None:
        """Show the tariffs the cloud answered a write with."""
        data = self._locations.get(location_id)
        if data is None or self.data is None:
            return
        self._locations[location_id] = replace(data, tariffs=tariffs)
        self.async_set_updated_data(replace(self.data, locations=dict(self._locations)))

    @callback
    def async_forget_message(self, message_id: str) -> None:
        """A dismissed message no longer needs the user."""
        self._messages = tuple(m for m in self._messages if m.id != message_id)
        async_message_dismissed(self.hass, self.config_entry, message_id)
        self.async_set_updated_data(replace(self.data, messages=self._messages))
