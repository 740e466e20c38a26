"""Polling the charger groups a ViriCiti API key can see, and setting their limit."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.util import dt as dt_util

from ...clouds.errors import NotFoundError
from ...clouds.models import ChargerGroup, GroupLimit, LimitSample, Station
from ...clouds.viriciti.client import ViricitiClient
from ...const import (
    DEFAULT_ACTIVE_INTERVAL,
    DOMAIN,
    LOGGER,
    OPT_ACTIVE_INTERVAL,
)
from ...coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from ...model import GroupData, Snapshot, StationData
from .limits import next_change


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
    # The stations the time series named, with the highest position it named of each,
    # and when it last named each: one not named for STATION_GONE has left the group.
    stations: dict[str, int] = field(default_factory=dict)
    seen: dict[str, datetime] = field(default_factory=dict)


# A group's time series is read every this many polls of its limit.
SERIES_POLLS = 3
# The key may send about 120 requests a minute. A first look costs three per group
# (settings, limit, time series); past this many in one go, time series wait a minute.
VIRICITI_BURST = 100
SERIES_DEFERRED = timedelta(minutes=1)
# No public call lists a group's stations: one the time series has not named for as
# long as the series reaches back (31 days) is taken to have left.
STATION_GONE = timedelta(days=31)


class ViricitiCoordinator(SmartChargingCoordinator[ViricitiClient]):
    """Polls the groups the user entered (no public call lists them).

    Stations are those a group's time series names (no public call lists them either),
    with as many positions as it named. Timeframes are cron times of the group's zone,
    which no public answer reports: Home Assistant's time zone is taken for it.

    Per group: its limit layers every ``active_interval`` and just after the limit is
    due to change, and the new part of its time series every third poll; group
    settings every ``settings_interval``.
    """

    brand = "ViriCiti"

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: ViricitiClient
    ) -> None:
        super().__init__(hass, entry, client)
        self.group_control = ViricitiGroupControl(self)
        self._groups: dict[str, _TrackedGroup] = {}

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
        self.async_show(replace(self.data, groups=groups))

    async def _async_fetch(self) -> Snapshot:
        if not self.client.group_ids:
            # An entry of an older version whose groups could not be found out.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="group_ids_missing"
            )
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
                station.identity: StationData(
                    station=station, position_limits=self._position_limits(station)
                )
                for station in self._stations()
            },
        )

    def _stations(self) -> list[Station]:
        """Each station a group's time series named, in that group."""
        return [
            Station(
                identity=identity,
                group_id=tracked.group.id,
                positions=positions,
                timezone=tracked.group.timezone,
            )
            for tracked in self._groups.values()
            for identity, positions in tracked.stations.items()
        ]

    def _position_limits(self, station: Station) -> dict[int, float]:
        """Each position's share of the group limit.

        A position left out of the latest sample gets nothing (0 kW). A station exists
        only once a sample named it, so there is always a latest sample.
        """
        tracked = self._groups[station.group_id]
        return {
            position: tracked.position_limits.get((station.identity, position), 0.0)
            for position in range(1, station.positions + 1)
        }

    async def _fetch_structure(self, now: datetime) -> None:
        zone = str(self.hass.config.time_zone or "UTC")
        # Settings and limits of every group are needed now; time series can wait. The
        # first time, the config flow may just have checked each group once too.
        cost = 2 if self._groups else 3
        series_now = VIRICITI_BURST - 1 - cost * len(self.client.group_ids)
        for group_id in self.client.group_ids:
            try:
                group = await self.client.async_group(group_id, zone)
            except NotFoundError:
                # Deleted in the portal: its devices leave; back if it is made again.
                LOGGER.warning("ViriCiti knows no charger group %s any more", group_id)
                self._groups.pop(group_id, None)
                continue
            if group_id in self._groups:
                self._groups[group_id].group = group
                continue
            self._groups[group_id] = tracked = _TrackedGroup(group=group)
            if series_now > 0:
                series_now -= 1
            else:
                tracked.series_due = now + SERIES_DEFERRED
        self._structure_read(now)

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
        end = now + timedelta(milliseconds=1)
        samples = await self.client.async_limit_history(tracked.group.id, start, end)
        # A sample the cloud dates after what was asked for (a clock years ahead) is not
        # data yet: taken, it would move the next read's start past every real sample.
        samples = [sample for sample in samples if sample.time < end]
        for sample in samples:
            for limit in sample.limits:
                known = tracked.stations.get(limit.station, 0)
                tracked.stations[limit.station] = max(known, limit.position)
                tracked.seen[limit.station] = max(
                    sample.time, tracked.seen.get(limit.station, sample.time)
                )
        for identity, seen in list(tracked.seen.items()):
            if seen < now - STATION_GONE:
                del tracked.seen[identity], tracked.stations[identity]
        if samples:
            latest = samples[-1]
            tracked.position_limits = {
                (limit.station, limit.position): limit.limit_kw for limit in latest.limits
            }
            tracked.series_from = latest.time + timedelta(milliseconds=1)

    @callback
    def mark_due(self, key: str, *, settings: bool) -> None:
        """Read this device again at the next refresh.

        A group's limit; for a station (after an action), its group's time series, which
        shows a transaction starting or ending as the positions' shares.
        """
        now = dt_util.utcnow()
        if (tracked := self._groups.get(key)) is not None:
            tracked.limit_due = now
        for tracked in self._groups.values():
            if key in tracked.stations:
                tracked.series_due = now


class ViricitiGroupControl:
    """Setting a group's external limit, shown at once from the cloud's answer."""

    def __init__(self, coordinator: ViricitiCoordinator) -> None:
        self._coordinator = coordinator

    async def async_set_group_limit(
        self, group_id: str, limit_kw: int, end: datetime
    ) -> GroupLimit:
        """Set an external limit until ``end``; the layers the cloud answers are shown."""
        limit = await self._coordinator.client.async_set_group_limit(group_id, limit_kw, end)
        self._coordinator.async_apply_group_limit(group_id, limit)
        return limit

    async def async_limit_history(
        self, group_id: str, start: datetime, end: datetime
    ) -> list[LimitSample]:
        """How the group's limit was shared between ``start`` and ``end``."""
        return await self._coordinator.client.async_limit_history(group_id, start, end)
