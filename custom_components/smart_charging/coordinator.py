"""The shared coordinator: one poll serves every entity of an account.

Each cloud's coordinator (in its provider package) decides per refresh what is due, so
an idle charger costs a few requests an hour while a charging one is followed closely.
Client errors are mapped here, once, whichever cloud raised them: refused credentials
start reauthentication, a 429 keeps the last values while they are recent, anything
else marks the entities unavailable until it passes. After a write, the device is read
again a few seconds later until the cloud confirms it (:meth:`async_confirm_soon`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
import logging
import traceback
from typing import Any, ClassVar, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .clouds.base import ChargerControl, CloudClient, GroupControl
from .clouds.errors import (
    AuthError,
    RateLimitedError,
    SmartChargingError,
)
from .const import DEFAULT_SETTINGS_INTERVAL, DOMAIN, LOGGER, OPT_SETTINGS_INTERVAL
from .inputs import option_minutes
from .issues import async_check_chargers, async_credentials_accepted, async_credentials_refused
from .model import DeviceKind, Snapshot

# How often the coordinator wakes up to see what is due; a wake-up with nothing due
# sends nothing.
TICK = timedelta(seconds=30)
# After a 429, the last values stay shown (nothing is sent until Retry-After has passed)
# if they are at most this old; a cloud that keeps refusing makes entities unavailable.
RATE_LIMIT_GRACE = timedelta(minutes=15)
# After a command, look at that device again this long after (twice at most).
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


def same_or[T](old: T | None, new: T) -> T:
    """``old`` when ``new`` equals it: unchanged data keeps its identity.

    Entities write their state only when their device's data changed (an identity check
    first), so an unchanged device must not get a new, equal object at every poll.
    """
    return old if old is not None and old == new else new


class GoalControl(Protocol):
    """A cloud that schedules a car itself from its departure and goal (the planner's)."""

    def takes_goal(self, key: str) -> bool:
        """Whether the car can be handed a departure now (a running session)."""

    async def async_set_goal(self, key: str, departure: datetime, soc: int | None) -> None:
        """Hand the cloud the car's departure and, if given, its goal state of charge."""


class WindowControl(Protocol):
    """A charge point that charges an energy within a daily window it is given."""

    def takes_window(self, key: str) -> bool:
        """Whether the charge point offers such a window."""

    async def async_set_window(
        self, key: str, start: datetime, end: datetime, energy_kwh: float
    ) -> None:
        """Give it the window and the energy to charge within it."""


class SmartChargingCoordinator[ClientT: CloudClient = CloudClient](DataUpdateCoordinator[Snapshot]):
    """Maps client errors to Home Assistant's outcomes; each cloud's subclass fetches.

    A subclass says what its cloud can do by what it sets: ``control`` for chargers that
    take commands and settings, ``group_control`` for groups whose limit can be set,
    ``goal_control`` for cars the cloud schedules itself from a departure and a goal and
    ``window_control`` for charge points given a charging window (the planner uses both).
    ``brand`` names the cloud on devices that have no manufacturer of their own (a
    group, a charging location). ``ClientT`` is the cloud's client class, so a subclass
    reads its own client's calls from ``self.client`` without declaring it again.
    """

    config_entry: SmartChargingConfigEntry
    brand: ClassVar[str]

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: ClientT
    ) -> None:
        super().__init__(
            hass,
            _availability_logger(),
            config_entry=entry,
            # The entry's title may name a person (an e-mail) or a tenant: logs get the id.
            name=f"{self.brand} entry {entry.entry_id}",
            update_interval=TICK,
            always_update=False,
        )
        self._client = client
        self.control: ChargerControl | None = None
        self.group_control: GroupControl | None = None
        self.goal_control: GoalControl | None = None
        self.window_control: WindowControl | None = None
        # Confirmations still to come, cancelled with the coordinator.
        self._confirm_cancels: dict[object, CALLBACK_TYPE] = {}
        self._last_good: datetime | None = None
        # When each charger was first seen in an error state (for the repair issue).
        self._error_since: dict[str, datetime] = {}
        # When the account's structure (its devices and their settings) is next read,
        # for a cloud that reads it every ``settings_interval`` (at the first refresh).
        self._structure_due = dt_util.utcnow()
        # What the entities were last told of: the poll's outcome and the snapshot.
        self._told: tuple[bool, Snapshot | None] | None = None

    @property
    def client(self) -> ClientT:
        """The account's client (read-only, so a coordinator of any cloud is a base one)."""
        return self._client

    @callback
    def async_update_listeners(self) -> None:
        """Tell the entities of the devices whose data changed, and every other listener.

        An account of 500 chargers has some 9,000 entities; a pushed value or a site's
        poll changes a few chargers. Each entity listens with its device as context
        (``(kind, key)``), and a device's data keeps its identity while unchanged (see
        ``same_or``), so the others are skipped without a call. When the poll's outcome
        changed (the cloud gone or back), every entity is told.
        """
        told, self._told = self._told, (self.last_update_success, self.data)
        if told is None or told[0] != self.last_update_success or told[1] is None:
            super().async_update_listeners()
            return
        changed: set[tuple[DeviceKind, str]] = set()
        for kind in DeviceKind:
            now, before = self.data.devices(kind), told[1].devices(kind)
            keys = now.keys() | before.keys()
            changed.update((kind, key) for key in keys if now.get(key) is not before.get(key))
        for update_callback, context in list(self._listeners.values()):
            if context is not None and context not in changed:
                continue
            try:
                update_callback()
            except Exception:
                self.logger.exception("Unexpected error updating listener for %s", self.name)

    @callback
    def async_show(self, data: Snapshot) -> None:
        """Show ``data`` at once: what a write answered, a value the cloud pushed.

        Not ``async_set_updated_data``: that also marks the cloud reachable, which only a
        poll may do (an outage would end without its "recovered" line, and the next
        failed poll would log a second one), and puts the next poll off.
        """
        self.data = data
        self.async_update_listeners()

    @callback
    def async_confirm_soon(
        self, key: str, confirmed: Callable[[], bool], *, settings: bool = False
    ) -> None:
        """After a write, read that device again until ``confirmed`` (twice at most).

        The cloud accepts a write at once and applies it seconds later, so the first
        look is a few seconds after the write and the second only if still needed.
        A settings write is confirmed from the settings, a command from the state.
        """

        for delay in CONFIRM_DELAYS:
            token = object()
            self._confirm_cancels[token] = async_call_later(
                self.hass,
                delay,
                partial(self._confirm_due, token, key, confirmed, settings),
            )

    @callback
    def _confirm_due(
        self,
        token: object,
        key: str,
        confirmed: Callable[[], bool],
        settings: bool,
        _now: datetime,
    ) -> None:
        del self._confirm_cancels[token]
        if confirmed():
            return
        self.mark_due(key, settings=settings)
        self.config_entry.async_create_task(self.hass, self.async_refresh())

    @callback
    def mark_due(self, key: str, *, settings: bool) -> None:
        """Make the next refresh read this device's state (or settings) again.

        Here the whole structure is read again; a cloud that can read one device on its
        own does that instead.
        """
        self._structure_due = dt_util.utcnow()

    def _structure_read(self, now: datetime) -> None:
        """The structure was read at ``now``: read it again after ``settings_interval``."""
        self._structure_due = now + self.option(OPT_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL)

    async def async_shutdown(self) -> None:
        """Cancel pending confirmations with the coordinator."""
        for cancel in self._confirm_cancels.values():
            cancel()
        self._confirm_cancels.clear()
        await super().async_shutdown()

    def option(self, key: str, default: timedelta) -> timedelta:
        """A duration from the entry's options (minutes there), or its default.

        A stored value that is not a finite number in the option's range (an older
        version accepted ``"nan"``) is ignored: polling goes on at the default.
        """
        return option_minutes(self.config_entry.options, key, default)

    async def _async_update_data(self) -> Snapshot:
        try:
            data = await self._async_fetch()
        except AuthError as err:
            _release_frames(err)
            async_credentials_refused(self.hass, self.config_entry)
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except RateLimitedError as err:
            _release_frames(err)
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
            _release_frames(err)
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


@dataclass
class SmartChargingData:
    """What a loaded entry keeps in ``runtime_data``.

    The coordinator that polls it, and the entities only its cloud has (the provider's
    ``descriptions``), which the platforms add beside their neutral ones.
    """

    coordinator: SmartChargingCoordinator
    descriptions: tuple[EntityDescription, ...] = ()


type SmartChargingConfigEntry = ConfigEntry[SmartChargingData]


def _release_frames(err: BaseException) -> None:
    """Let the frames of a failed poll go, keeping the error and its message.

    Home Assistant keeps a coordinator's last error (and its cause) until the next poll
    succeeds; its frames would keep the cloud's whole answer and the request, with its
    credentials, alive that long.
    """
    seen: set[int] = set()
    link: BaseException | None = err
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        traceback.clear_frames(link.__traceback__)
        link = link.__cause__ or link.__context__
