"""Client for the ViriCiti Smart Charging SDK (seed 001, ``docs/references.md``).

Seed 001 is ChargePoint's public page ``7_Smart-Charging``; ``1_index`` is the key's.

The API key travels in the ``x-api-key`` header, never in the URL, so it cannot end up
in a log line. No public page describes a call that lists an account's groups or
stations ("the static Charging Stations API" is named but not documented): the groups
are the ids the user entered, each checked with the documented group call, and the
stations are those the group's time series names.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import re
from typing import Any, Final

import aiohttp

from ..base import Account, CloudClient, account_host
from ..errors import NotFoundError
from ..http import HttpCore, segment
from ..models import (
    ChargerGroup,
    GroupLimit,
    LimitSample,
    LimitSource,
    LimitWindow,
    PositionLimit,
    Timeframe,
    note_unknown,
)
from ..parse import (
    POSITIONS,
    POWER_KW,
    as_bool,
    as_datetime,
    as_float,
    as_id,
    as_int,
    as_list,
    as_str,
)
from .actions import StationActions

# The time series answers at most this much per request (seed 001).
MAX_SERIES_SPAN: Final = timedelta(days=31)


def parse_group_ids(text: str) -> tuple[str, ...]:
    """The group ids a user entered, separated by commas or white space, each once."""
    ids = [part for part in re.split(r"[,\s]+", text or "") if part]
    return tuple(dict.fromkeys(ids))


def _ms(when: datetime) -> str:
    return str(int(when.timestamp() * 1000))


def _window(value: Any) -> LimitWindow | None:
    if not isinstance(value, dict) or (limit := as_float(value.get("limit"), POWER_KW)) is None:
        return None
    return LimitWindow(limit_kw=limit, start=_time(value.get("start")), end=_time(value.get("end")))


def _time(value: Any) -> datetime | None:
    """ISO 8601, also in the seed's spelling of the offset (``+00.00``)."""
    if isinstance(value, str) and len(value) > 6 and value[-3] == ".":
        value = f"{value[:-3]}:{value[-2:]}"
    return as_datetime(value)


def parse_group_limit(body: dict[str, Any]) -> GroupLimit:
    """The layers of ``GET/POST grouplimit``."""
    raw_source = as_str(body.get("activeLimit"))
    try:
        source = LimitSource(raw_source or "")
    except ValueError:
        note_unknown("ViriCiti activeLimit", raw_source)
        source = LimitSource.UNKNOWN
    default = body.get("default")
    scheduled = body.get("scheduled")
    return GroupLimit(
        source=source,
        default_kw=as_float(default.get("limit"), POWER_KW) if isinstance(default, dict) else None,
        external=_window(body.get("external")),
        upcoming=_window(body.get("upcoming")),
        scheduled_kw=as_float(scheduled.get("limit"), POWER_KW)
        if isinstance(scheduled, dict)
        else None,
    )


def parse_group(body: dict[str, Any], timezone: str) -> ChargerGroup:
    """``GET chargergroup``: title, default limit and the peak-shaving timeframes."""
    timeframes = []
    for item in body.get("timeframes") or []:
        if not isinstance(item, dict):
            continue
        start, end, limit = (
            as_str(item.get("start")),
            as_str(item.get("end")),
            as_float(item.get("limit"), POWER_KW),
        )
        if start and end and limit is not None:
            timeframes.append(
                Timeframe(
                    name=as_str(item.get("name")) or f"{start} - {end}",
                    start=start,
                    end=end,
                    limit_kw=limit,
                    active=as_bool(item.get("active")) is not False,
                )
            )
    group_id = as_id(body.get("id")) or ""
    return ChargerGroup(
        id=group_id,
        title=as_str(body.get("title")) or group_id,
        default_limit_kw=as_float(body.get("groupLimit"), POWER_KW),
        timezone=timezone,
        timeframes=tuple(timeframes),
    )


def parse_samples(body: Any) -> list[LimitSample]:
    """``GET time``: how the group's limit was shared over time, oldest first."""
    samples = []
    for item in as_list(body, "time series"):
        if not isinstance(item, dict) or (when := as_datetime(item.get("time"))) is None:
            continue
        limits = []
        for limit in item.get("limits") or []:
            if not isinstance(limit, dict):
                continue
            station, position = (
                as_str(limit.get("chargestation")),
                as_int(limit.get("position"), POSITIONS),
            )
            value = as_float(limit.get("limit"), POWER_KW)
            if station and position is not None and value is not None:
                limits.append(PositionLimit(station=station, position=position, limit_kw=value))
        samples.append(
            LimitSample(
                time=when,
                group_limit_kw=as_float(item.get("groupLimit"), POWER_KW),
                limits=tuple(limits),
            )
        )
    return sorted(samples, key=lambda sample: sample.time)


class ViricitiClient(CloudClient):
    """One ViriCiti API key."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_key: str,
        group_ids: tuple[str, ...] = (),
    ) -> None:
        async def headers() -> dict[str, str]:
            return {"x-api-key": api_key}

        super().__init__(HttpCore(session, base_url, headers=headers))
        self.group_ids = group_ids
        # The station actions of ``6_Actions`` (change availability, reset, start, stop).
        self.actions = StationActions(self.http)

    async def async_identify(self) -> Account:
        """Read every entered group with the documented group call (a 404 is an unknown id)."""
        if not self.group_ids:
            raise NotFoundError("no charger group id was given")
        for group_id in self.group_ids:
            await self.async_group(group_id, "UTC")
        return self.known_account()

    def known_account(self) -> Account:
        """The SDK's host: one ViriCiti account per host.

        Nothing the SDK answers names the account (seed 001 has no account or customer
        endpoint; group ids are per group and change with them), and the API key is a
        secret that gets rotated. The host is neither, so the unique id is made of it: a
        rotated key is the same entry, and a second ViriCiti account on the same host
        cannot be added beside the first.
        """
        return Account(unique_id=f"viriciti:{account_host(self.http.base_url)}", title="ViriCiti")

    async def async_group(self, group_id: str, timezone: str) -> ChargerGroup:
        """A group's title, default limit and timeframes."""
        body = await self.http.request_object(
            "GET", f"/api/v1/smartcharging/chargergroup/{segment(group_id)}", "charger group"
        )
        return parse_group(body, timezone)

    async def async_group_limit(self, group_id: str) -> GroupLimit:
        """Every layer of the group's limit."""
        body = await self.http.request_object(
            "GET", f"/api/v1/smartcharging/grouplimit/{segment(group_id)}", "group limit"
        )
        return parse_group_limit(body)

    async def async_set_group_limit(
        self, group_id: str, limit_kw: int, end: datetime
    ) -> GroupLimit:
        """Set an external limit (a positive whole number of kW) until ``end``."""
        body = await self.http.request_object(
            "POST",
            f"/api/v1/smartcharging/grouplimit/{segment(group_id)}",
            "group limit",
            json_body={
                "groupLimit": limit_kw,
                "endTime": end.astimezone(UTC).isoformat(timespec="milliseconds"),
            },
        )
        return parse_group_limit(body)

    async def async_limit_history(
        self, group_id: str, start: datetime, end: datetime
    ) -> list[LimitSample]:
        """How the group's limit was shared from ``start`` to ``end``.

        The cloud answers at most 31 days per request, so a longer period is asked for
        in back-to-back pieces.
        """
        samples: list[LimitSample] = []
        piece_start = start
        while piece_start < end:
            piece_end = min(piece_start + MAX_SERIES_SPAN, end)
            body = await self.http.request(
                "GET",
                f"/api/v1/smartcharging/time/{segment(group_id)}",
                params={"start": _ms(piece_start), "end": _ms(piece_end)},
            )
            samples.extend(parse_samples(body))
            piece_start = piece_end
        return samples
