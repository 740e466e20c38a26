"""The ViriCiti Smart Charging SDK, the HTTP side (seed 001, ``1_index``).

Seed 001 is ChargePoint's public page ``7_Smart-Charging``; ``1_index`` is the key's.

Only documented routes are served (under ``/viriciti``); anything else is a 404. All
need a key in ``x-api-key`` or ``?apiKey=`` (``1_index``). No public page describes a
call that lists groups or stations, so none is served: a client knows its group ids
and learns the stations from the time series.

- ``GET /api/v1/smartcharging/chargergroup/{group}``: the seed's group info, only
  active timeframes.
- ``GET|POST /api/v1/smartcharging/grouplimit/{group}``: the limit layers; POST sets
  an external limit.
- ``GET /api/v1/smartcharging/time/{group}?start&end``: the time series.
- ``POST /api/v1/chargestations/{identity}/actions/{change-availability, reset,
  remote-stop-transaction, remote-start-transaction}``: the station actions of
  ``6_Actions`` (``actions.py``).

Errors are ``{"error": "..."}`` with 400 (bad input), 401 (key), 404 (group) and 429
(too many requests, or a group limit changed too often; both with ``Retry-After``).
The world itself (groups, stations, sessions, history) is ``ViricitiWorld``.

Rules the seed leaves open, chosen here (all in simulated time):

- ``upcoming`` looks 15 minutes ahead (``LOOKAHEAD``) and only for a drop of the
  scheduled/default limit; its shape is ``{limit, start, end}`` with ISO times.
- "Group limit may not be changed too often": one accepted POST per group per 60 s,
  else 429 with the seconds left in ``Retry-After``. Refused POSTs do not count.
- 120 requests per API key in any 60 s window, else 429 with ``Retry-After``.
- Group times are written in the group's time zone as ``2021-03-09T16:20:00.000+00:00``
  (the seed's GET spelling; its ``+00.00`` is accepted on input, never written).
- The time series holds samples with ``start <= time < end`` (half-open, so longer
  periods can be split into back-to-back windows), and nothing after now.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
import math
import re
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from ..app import Simulator
from ..common import json_body, json_error
from .actions import StationActionRoutes
from .model import Group, Station

PREFIX = "/viriciti"
DEMO_API_KEY = "viriciti-demo-key"
# Requests per API key within any window of RATE_WINDOW simulated seconds.
REQUESTS_PER_WINDOW = 120
RATE_WINDOW = timedelta(seconds=60)
# "Group limit may not be changed too often": one accepted change per group per minute.
MIN_CHANGE_INTERVAL = timedelta(seconds=60)
MAX_SERIES_SPAN_MS = 31 * 24 * 3600 * 1000

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_UNIX_MS = re.compile(r"[0-9]{1,14}")  # up to the year 5138: no overflow
# The seed spells the UTC offset "+00.00"; read it as "+00:00".
_DOTTED_OFFSET = re.compile(r"([+-][0-9]{2})\.([0-9]{2})$")


class ViricitiCloud(StationActionRoutes):
    """The simulated ViriCiti SDK, serving a ``ViricitiWorld`` on the shared clock.

    Tests change the world with the inherited control methods (``add_group``,
    ``add_station``, ``start_session``, ``scale``, ...) and the clock with
    ``sim.clock``; the demo world is built on creation (``demo=False`` leaves it empty).
    """

    prefix: str = PREFIX

    def __init__(self, sim: Simulator, *, seed: int = 1, demo: bool = True) -> None:
        super().__init__(sim.now, seed=seed)
        self.sim = sim
        self.api_keys: set[str] = {DEMO_API_KEY}
        self.requests_per_window = REQUESTS_PER_WINDOW
        self.min_change_interval = MIN_CHANGE_INTERVAL
        self._requests: dict[str, list[datetime]] = {}
        self.action_log = []
        self._last_change: dict[str, datetime] = {}
        if demo:
            self.build_demo()

    def register(self, app: web.Application) -> None:
        """Add the routes."""
        api = f"{self.prefix}/api/v1"
        app.router.add_get(f"{api}/smartcharging/chargergroup/{{group}}", self._charger_group)
        app.router.add_get(f"{api}/smartcharging/grouplimit/{{group}}", self._get_limit)
        app.router.add_post(f"{api}/smartcharging/grouplimit/{{group}}", self._post_limit)
        app.router.add_get(f"{api}/smartcharging/time/{{group}}", self._time_series)
        self.register_actions(app, api)

    def snapshot(self) -> dict[str, Any]:
        """Groups (with their limit layers now) and stations, for the admin API."""
        now = self.sim.now()
        return {
            "groups": {
                group.id: {
                    "title": group.title,
                    "defaultLimit": group.default_limit,
                    "timezone": group.timezone,
                    "timeframes": [tf.as_json() for tf in group.timeframes],
                    "limits": group.layers(now, self.lookahead).as_json(group.tz),
                    "samples": len(group.samples),
                }
                for group in self.groups.values()
            },
            "stations": [
                station_json(station, self.group(station.group_id))
                | {
                    "charging": sorted(station.charging),
                    "plugged": sorted(station.plugged),
                    "unavailable": sorted(station.unavailable),
                    "transactions": {str(p): t for p, t in station.transactions.items()},
                }
                for station in self.stations.values()
            ],
        }

    def reset(self, *, demo: bool = True) -> None:
        """Empty the world and forget request counts and limit changes."""
        self._requests.clear()
        self.action_log.clear()
        self._last_change.clear()
        super().reset(demo=demo)

    # -- checks shared by the handlers ------------------------------------------------

    def check_key(self, request: web.Request) -> str:
        """401 unless a known key is given; 429 when that key asked too much lately."""
        key = request.headers.get("x-api-key") or request.query.get("apiKey")
        if key is None or key not in self.api_keys:
            raise json_error(401, {"error": "Invalid or missing API key"})
        now = self.sim.now()
        recent = [t for t in self._requests.get(key, []) if now - RATE_WINDOW < t <= now]
        if len(recent) >= self.requests_per_window:
            raise _too_many("Too many requests", recent[0] + RATE_WINDOW - now)
        recent.append(now)
        self._requests[key] = recent
        return key

    def _group_of(self, request: web.Request) -> Group:
        self.check_key(request)
        group = self.groups.get(request.match_info["group"])
        if group is None:
            raise json_error(404, {"error": "Charger group not found"})
        return group

    def _check_change_rate(self, group: Group) -> None:
        """429 when the group's limit was changed less than a minute ago."""
        last = self._last_change.get(group.id)
        if last is None:
            return
        wait = last + self.min_change_interval - self.sim.now()
        # A negative wait has passed; a wait above the interval means the clock went back.
        if timedelta(0) < wait <= self.min_change_interval:
            raise _too_many("Group limit changed too recently", wait)

    # -- handlers ---------------------------------------------------------------------

    async def _charger_group(self, request: web.Request) -> web.Response:
        group = self._group_of(request)
        return web.json_response(
            {
                "title": group.title,
                "id": group.id,
                "groupLimit": group.default_limit,
                "timeframes": [tf.as_json() for tf in group.timeframes if tf.active],
            }
        )

    async def _get_limit(self, request: web.Request) -> web.Response:
        group = self._group_of(request)
        return web.json_response(self.limits(group.id).as_json(group.tz))

    async def _post_limit(self, request: web.Request) -> web.Response:
        group = self._group_of(request)
        body = await json_body(request, {"error": "The body must be JSON"})
        now = self.sim.now()
        limit, end = parse_limit_request(body, group.tz, now)
        if not group.accepts_external:
            raise json_error(400, {"error": "This charger group does not accept external limits"})
        self._check_change_rate(group)
        self.set_external_limit(group.id, limit, end)
        self._last_change[group.id] = now
        return web.json_response(self.limits(group.id).as_json(group.tz))

    async def _time_series(self, request: web.Request) -> web.Response:
        group = self._group_of(request)
        start, end = parse_window(request.query)
        samples = self.history(group.id, start, end)
        return web.json_response([sample.as_json() for sample in samples])


def station_json(station: Station, group: Group) -> dict[str, Any]:
    """A station as the admin API (``/_admin/state``) shows it; not an SDK answer."""
    return {
        "identity": station.identity,
        "groupId": station.group_id,
        "positions": station.positions,
        "maxPower": station.max_power,
        "timezone": group.timezone,
    }


def parse_limit_request(body: Any, tz: ZoneInfo, now: datetime) -> tuple[int, datetime]:
    """``{"groupLimit": int, "endTime": ISO 8601}`` as (limit, aware UTC end), or 400.

    The limit must be a positive JSON integer: not a float (not even 450.0), not a
    boolean, not a string. The end time must lie in the future; without an offset it
    is read in the group's time zone, as the seed says.
    """
    if not isinstance(body, dict):
        raise json_error(400, {"error": "The body must be a JSON object"})
    if "groupLimit" not in body:
        raise json_error(400, {"error": "groupLimit is required"})
    if "endTime" not in body:
        raise json_error(400, {"error": "endTime is required"})
    limit = body["groupLimit"]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise json_error(400, {"error": "groupLimit must be a positive integer"})
    end = parse_end_time(body["endTime"], tz)
    if end <= now:
        raise json_error(400, {"error": "endTime must be in the future"})
    return limit, end


def parse_end_time(value: Any, tz: ZoneInfo) -> datetime:
    """An ISO 8601 date and time as an aware UTC datetime, or 400.

    Accepts ``Z``, ``+00:00`` and the seed's ``+00.00``; a time without an offset is
    in the group's time zone. A bare date is refused: the API wants a moment.
    """
    if not isinstance(value, str) or "T" not in value:
        raise json_error(400, {"error": "endTime must be an ISO 8601 date and time"})
    text = _DOTTED_OFFSET.sub(r"\1:\2", value.strip())
    try:
        when = datetime.fromisoformat(text)
    except ValueError as err:
        raise json_error(400, {"error": "endTime must be an ISO 8601 date and time"}) from err
    if when.tzinfo is None:
        when = when.replace(tzinfo=tz)
    return when.astimezone(UTC)


def parse_window(query: Mapping[str, str]) -> tuple[datetime, datetime]:
    """``start`` and ``end`` in Unix milliseconds, start before end, at most 31 days; or 400."""
    values: list[int] = []
    for name in ("start", "end"):
        raw = query.get(name)
        if raw is None:
            raise json_error(400, {"error": f"{name} is required"})
        if not _UNIX_MS.fullmatch(raw):
            raise json_error(400, {"error": f"{name} must be a Unix timestamp in milliseconds"})
        values.append(int(raw))
    start, end = values
    if start >= end:
        raise json_error(400, {"error": "start must be before end"})
    if end - start > MAX_SERIES_SPAN_MS:
        raise json_error(400, {"error": "The period may be at most 31 days"})
    return _from_ms(start), _from_ms(end)


def _from_ms(value: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=value)


def _too_many(message: str, wait: timedelta) -> web.HTTPException:
    """A 429 whose ``Retry-After`` is the wait in whole seconds, at least one."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    return json_error(429, {"error": message}, headers={"Retry-After": str(seconds)})
