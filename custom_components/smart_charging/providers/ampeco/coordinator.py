"""Polling an AMPECO tenant: two list reads, in pages of 100, cover every charge point."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from ...clouds.ampeco.bodies import restore_body
from ...clouds.ampeco.client import PER_PAGE, AmpecoClient
from ...clouds.ampeco.models import (
    AmpecoChargePoint,
    AmpecoSession,
    ChargePointStatus,
    EvseStatus,
)
from ...clouds.ampeco.preferences import (
    PreferenceError,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
)
from ...clouds.errors import RejectedError
from ...clouds.models import ChargerState, ChargerStatus, CommandResult
from ...const import (
    DEFAULT_IDLE_INTERVAL,
    DOMAIN,
    OPT_ACTIVE_INTERVAL,
    OPT_IDLE_INTERVAL,
)
from ...coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from ...model import Snapshot
from .model import AmpecoChargerData

# What an EVSE's status (the contract's ``hardwareStatus`` of an EVSE) says about the
# car while no session runs: "finishing" is a stopped transaction with the cable still
# in, "preparing" a car plugged in before one starts. The first that applies wins.
_WITHOUT_SESSION: tuple[tuple[frozenset[EvseStatus], ChargerStatus], ...] = (
    (frozenset({EvseStatus.CHARGING}), ChargerStatus.CHARGING),
    (frozenset({EvseStatus.FINISHING}), ChargerStatus.COMPLETED),
    (
        frozenset(
            {
                EvseStatus.PREPARING,
                EvseStatus.SUSPENDED_EV,
                EvseStatus.SUSPENDED_EVSE,
                EvseStatus.OCCUPIED,
            }
        ),
        ChargerStatus.AWAITING_START,
    ),
    (frozenset({EvseStatus.FAULTED}), ChargerStatus.ERROR),
)
# EVSE statuses with a car at the charge point: read again every idle interval until the
# car leaves, so "Completed" does not outlast the car.
_CAR_PRESENT = frozenset().union(*(statuses for statuses, _ in _WITHOUT_SESSION[:3]))
# Running sessions are read every 90 s unless the options say otherwise: a car that plugs
# in (its session starts) shows within that, under the two minutes a home owner waits.
SESSIONS_INTERVAL = timedelta(seconds=90)
# A "started since" read asks from this long before the previous read: a session the
# cloud dated a little earlier (clocks differ) is read twice rather than missed.
STARTED_MARGIN = timedelta(minutes=5)


def _ampeco_status(
    point: AmpecoChargePoint,
    session: AmpecoSession | None,
    evses: tuple[EvseStatus, ...] = (),
) -> ChargerStatus:
    """The neutral status of a charge point, from its own status and its session.

    Without a session, its EVSEs (when read) say whether a car is still plugged in.
    """
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
        return next(
            (status for kinds, status in _WITHOUT_SESSION if kinds.intersection(evses)),
            ChargerStatus.DISCONNECTED,
        )
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
            if not isinstance(data, AmpecoChargerData) or data.session_id is None:
                raise RejectedError("no charging session is running")
            await client.async_stop(charger_id, data.session_id)
        else:  # pragma: no cover - buttons exist only for the commands a charger offers
            raise RejectedError(f"{command} is not available")
        return CommandResult(accepted=True, changed=True)

    async def async_set_settings(self, charger_id: str, **changes: Any) -> CommandResult:
        """Smart charging off or on (the Smart charging switch).

        Off is the contract's ``{"enabled": false}``; on writes the last preference that
        was in force again, or asks the user to set one when none is known.
        """
        coordinator = self._coordinator
        client = coordinator.client
        if changes.get("smart_charging") is False:
            answer = await client.async_disable(charger_id)
        elif changes.get("smart_charging") is True:
            body = await coordinator.async_last_preference(charger_id)
            if body is None:
                raise ServiceValidationError(
                    translation_domain=DOMAIN, translation_key="ampeco_no_last_preference"
                )
            answer = await client.async_write(charger_id, body)
        else:  # pragma: no cover - the smart charging switch is its only setting
            raise RejectedError("this charge point has no such setting")
        coordinator.async_apply_preferences(charger_id, answer)
        return CommandResult(accepted=True, changed=True)


def _by_charge_point(sessions: list[AmpecoSession]) -> dict[str, AmpecoSession]:
    return {s.charge_point_id: s for s in sessions if s.charge_point_id}


def _ampeco_charger(
    point: AmpecoChargePoint, session: AmpecoSession | None, evses: tuple[EvseStatus, ...]
) -> AmpecoChargerData:
    """A charge point and its running session (if any), as the neutral charger and more."""
    return AmpecoChargerData(
        charger=point.charger,
        state=ChargerState(
            status=_ampeco_status(point, session, evses),
            power_kw=(session.power_kw or 0.0) if session else 0.0,
            # No running session: nothing charged in it (yet).
            session_energy_kwh=(session.energy_kwh or 0.0) if session else 0.0,
            online=point.online,
            # The Smart charging switch: whether a personal preference is in force.
            smart_charging=point.preferences.enabled if point.preferences else None,
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


class AmpecoCoordinator(SmartChargingCoordinator[AmpecoClient]):
    """Polls an AMPECO tenant: two list reads, in pages of 100, cover every charge point.

    The running sessions every ``active_interval`` (90 s unless set), so a charge
    starting or ending is noticed within it whatever the number of charge points; the
    charge-point list (with preferences, offered modes and whether each is online) every
    ``idle_interval``, as
    preferences change only when written (and a write's answer is shown at once). After a
    start or stop, only that charge point's sessions are read to confirm it.

    A charge point's EVSEs (whether a car is plugged in) are read only when its session
    ends, after a start or stop, and every ``idle_interval`` while a car is still there:
    reading them for every charge point would cost a request each per poll.
    """

    brand = "AMPECO"

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: AmpecoClient
    ) -> None:
        super().__init__(hass, entry, client)
        self._points: dict[str, AmpecoChargePoint] = {}
        self._sessions: dict[str, AmpecoSession] = {}
        self._points_due = self._sessions_due = dt_util.utcnow()
        # When the last full read of a multi-page list was made: the next read asks only
        # for sessions started since (None: the next read is a full one).
        self._started_since: datetime | None = None
        self._confirm: set[str] = set()
        # The EVSE statuses of charge points whose session ended, while they matter.
        self._evses: dict[str, tuple[EvseStatus, ...]] = {}
        # The last preference in force per charge point, as the write that restores it;
        # kept across restarts for the Smart charging switch.
        self._store: Store[dict[str, dict[str, Any]]] = Store(
            hass, 1, f"{DOMAIN}.ampeco_preferences.{entry.entry_id}"
        )
        self._last: dict[str, dict[str, Any]] | None = None
        # Built last: it reads the snapshot and the store set up above.
        self.control = AmpecoControl(self)
        # The planner gives a charge point its charging window as a schedule preference.
        self.window_control = self

    async def _async_fetch(self) -> Snapshot:
        now = dt_util.utcnow()
        had_session = set(self._sessions)
        # Charge points whose EVSEs to read this time.
        evses_due: set[str] = set()
        if now >= self._points_due or not self._points:
            self._points = {p.charger.id: p for p in await self.client.async_charge_points()}
            self._points_due = now + self.option(OPT_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL)
            evses_due |= {cp for cp, kinds in self._evses.items() if _CAR_PRESENT & set(kinds)}
        if now >= self._sessions_due or self.data is None:
            if await self._async_read_sessions(now):
                # A full read confirms every pending start and stop at once.
                evses_due |= self._confirm
                self._confirm.clear()
            self._sessions_due = now + self.option(OPT_ACTIVE_INTERVAL, SESSIONS_INTERVAL)
        while self._confirm:
            cp_id = self._confirm.pop()
            evses_due.add(cp_id)
            self._sessions.pop(cp_id, None)
            self._sessions |= _by_charge_point(await self.client.async_active_sessions(cp_id))
        await self._async_read_evses(evses_due | (had_session - set(self._sessions)))
        await self._async_remember(self._points.values())
        return Snapshot(
            chargers={
                cp_id: _ampeco_charger(point, self._sessions.get(cp_id), self._evses.get(cp_id, ()))
                for cp_id, point in self._points.items()
            }
        )

    async def _async_read_sessions(self, now: datetime) -> bool:
        """The running sessions: all of them (True), or those started since the last read.

        A tenant whose running sessions fill more than one page reads them in full every
        other time and, in between, only the ones started since (a page): a new car
        shows as quickly, and the hourly requests stay within the cloud's budget. Ends
        and the values of running sessions come with the full reads.
        """
        if self._started_since is not None:
            since = self._started_since - STARTED_MARGIN
            started = await self.client.async_active_sessions(started_after=since)
            self._sessions |= _by_charge_point(started)
            self._started_since = None
            return False
        sessions = await self.client.async_active_sessions()
        self._sessions = _by_charge_point(sessions)
        # Several pages: the next read asks only for the sessions started since this one.
        self._started_since = now if len(sessions) > PER_PAGE else None
        return True

    async def _async_read_evses(self, cp_ids: set[str]) -> None:
        """What the EVSEs of charge points without a session report (a car still there?)."""
        for cp_id in sorted(cp_ids):
            if cp_id in self._sessions or cp_id not in self._points:
                self._evses.pop(cp_id, None)
                continue
            self._evses[cp_id] = tuple(e.status for e in await self.client.async_evses(cp_id))

    async def _async_load_last(self) -> dict[str, dict[str, Any]]:
        if self._last is None:
            stored = await self._store.async_load()
            self._last = stored if isinstance(stored, dict) else {}
        return self._last

    async def _async_remember(self, points: Iterable[AmpecoChargePoint]) -> None:
        """Keep the preference each charge point has in force, to restore it later."""
        last = await self._async_load_last()
        changed = False
        for point in points:
            if point.preferences is None:
                continue
            body = restore_body(point.preferences)
            if body is not None and last.get(point.charger.id) != body:
                last[point.charger.id] = body
                changed = True
        if changed:
            # Rare (a preference changed): written at once, so a restart cannot lose it.
            await self._store.async_save(dict(last))

    async def async_last_preference(self, charger_id: str) -> dict[str, Any] | None:
        """The write that restores this charge point's last preference in force."""
        return (await self._async_load_last()).get(charger_id)

    @callback
    def mark_due(self, key: str, *, settings: bool) -> None:
        """Read this device again at the next refresh."""
        self._confirm.add(key)

    def takes_window(self, key: str) -> bool:
        """Whether the charge point offers the user-controlled schedule."""
        data = self.data.chargers.get(key) if self.data else None
        return isinstance(data, AmpecoChargerData) and any(
            mode.mode is PreferenceMode.USER_CONTROLLED_SCHEDULE for mode in data.offered_modes
        )

    async def async_set_window(
        self, key: str, start: datetime, end: datetime, energy_kwh: float
    ) -> None:
        """Write a schedule: the window in Home Assistant's time zone, the energy in it."""
        data = self.data.chargers[key]
        if not isinstance(data, AmpecoChargerData):  # pragma: no cover - takes_window first
            return
        first = dt_util.as_local(start).time().replace(second=0, microsecond=0)
        last = dt_util.as_local(end + timedelta(seconds=59)).time().replace(second=0, microsecond=0)
        energy = round(energy_kwh, 1)
        prefs = SchedulePreferences(
            start_time=first, end_time=last, min_target_kwh=energy, max_target_kwh=energy
        )
        try:
            answer = await self.client.async_set_preferences(key, prefs, data.offered_modes)
        except PreferenceError as err:  # pragma: no cover - the planner's windows pass
            raise RejectedError(str(err)) from err
        self.async_apply_preferences(key, answer)

    @callback
    def async_apply_preferences(self, charger_id: str, preferences: Preferences) -> None:
        """Show the preferences the cloud answered a write with, without asking again."""
        data = self.data.chargers.get(charger_id) if self.data else None
        if not isinstance(data, AmpecoChargerData):
            return
        # Kept for the polls to come too: the list is read again only every idle interval.
        if (point := self._points.get(charger_id)) is not None:
            self._points[charger_id] = replace(point, preferences=preferences)
        chargers = dict(self.data.chargers)
        state = replace(data.state, smart_charging=preferences.enabled)
        chargers[charger_id] = replace(data, preferences=preferences, state=state)
        if point is not None:
            self.hass.async_create_task(self._async_remember([self._points[charger_id]]))
        self.async_show(replace(self.data, chargers=chargers))
