"""The AMPECO public API (seed 000 and the OpenAPI 3.110.0 subset), as strict as the real one.

Every request is checked against the contract (:mod:`simulator.ampeco.contract`) and
refused the Laravel way (422 ``{message, errors}``); every response is checked too, and a
response outside the contract becomes a loud 500, because a simulator that drifts from
the contract would let the integration drift with it.

Routes (under ``/ampeco``; ``{cp}`` is a charge point id):

- ``GET  /public-api/resources/charge-points/v2.0`` (cursor paging, ``include``)
- ``GET  /public-api/resources/charge-points/v2.0/{cp}`` and ``.../{cp}/evses``
- ``GET  .../{cp}/available-personal-smart-charging-modes``
- ``GET|POST .../{cp}/personal-smart-charging-preferences`` (POST answers 201)
- ``POST .../{cp}/smart-charging`` (201)
- ``POST /public-api/actions/charge-point/v1.0/{cp}/start[/{evse}]`` (202, 406 refused)
- ``POST /public-api/actions/charge-point/v1.0/{cp}/stop/{session}`` (202, 406 refused)
- ``GET  /public-api/resources/sessions/v1.0[/{session}]`` (cursor paging, ``filter[..]``)

Rules this simulator chose where the contract is silent:
- 401 ``{"message": "Unauthenticated."}`` before anything else; then a per-token limit of
  :data:`RATE_LIMIT` requests per simulated minute (429 ``Too Many Attempts.`` with
  ``X-RateLimit-Limit``, ``X-RateLimit-Remaining``, ``Retry-After``, ``X-RateLimit-Reset``;
  every counted answer carries the first two);
- unknown or non-numeric ids: 404 ``{"message": "Record not found."}``;
- a cursor the server did not issue: 422 on ``cursor`` (Laravel would restart at page one,
  which would hide a client bug);
- unreadable JSON counts as an empty body (Laravel), so the required fields are missing;
- stop answers 202 without a body, as the contract declares none.
"""

from __future__ import annotations

import base64
import binascii
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import itertools
import json
import math
from typing import Any

from aiohttp import web

from ..app import Simulator
from ..common import bearer
from ..openapi import coerce, parse_query
from .contract import (
    SpecViolation,
    contract,
    laravel_body,
    smart_charging_variants,
)
from .model import (
    SimChargePoint,
    SimEvse,
    SimSession,
    all_modes,
    mode,
    nordpool_modes,
)
from .prefs import (
    Form,
    PreferenceBodyError,
    PreferenceRequest,
    echo,
    normalise,
    pick_declared,
    rule_errors,
)

PREFIX = "/ampeco"
API = f"{PREFIX}/public-api/resources"
DEMO_TOKEN = "ampeco-demo-token"
# Requests per token and window. Generous, so ordinary tests (with a frozen clock, all in
# one simulated instant) never meet it; tests of 429 lower it.
RATE_LIMIT = 120
RATE_WINDOW = timedelta(minutes=1)
DEFAULT_CAR_ROOM_KWH = 40.0
NOT_FOUND = {"message": "Record not found."}
EXCHANGES_KEPT = 10_000


@dataclass(frozen=True)
class Reply:
    """What a route answers: status, JSON body (None for none) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """Raised by a route to answer with an error body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, body)
        self.reply = Reply(status, body, headers or {})


@dataclass(frozen=True)
class Exchange:
    """One answered request, kept so tests can check every response against the contract."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    status: int
    body: Any


Route = Callable[[web.Request], Awaitable[Reply]]


def _encode_cursor(key: int, forward: bool) -> str:
    raw = json.dumps({"id": key, "_pointsToNextItems": forward}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(text: str) -> tuple[int, bool]:
    """Laravel's cursor: base64 of ``{"id": .., "_pointsToNextItems": ..}``; else 422."""
    try:
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        key, forward = data["id"], data["_pointsToNextItems"]
    except (ValueError, KeyError, TypeError, binascii.Error) as err:
        raise _invalid({"cursor": ["The cursor field is invalid."]}) from err
    if not isinstance(key, int) or not isinstance(forward, bool):
        raise _invalid({"cursor": ["The cursor field is invalid."]})
    return key, forward


def _invalid(errors: dict[str, list[str]]) -> ApiError:
    return ApiError(422, laravel_body(errors))


def _refused(message: str) -> ApiError:
    return ApiError(406, {"message": message})


def _int_param(request: web.Request, name: str) -> int:
    """A numeric path parameter; anything else is a record that does not exist."""
    value = request.match_info[name]
    if not value.isdigit():
        raise ApiError(404, NOT_FOUND)
    return int(value)


async def _json(request: web.Request) -> Any:
    """The JSON body, None when there is none; unreadable JSON counts as no input (Laravel)."""
    raw = await request.read()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return {}


@dataclass
class AmpecoCloud:
    """The simulated AMPECO tenant: its charge points, sessions and API tokens."""

    sim: Simulator
    prefix: str = PREFIX
    tokens: set[str] = field(default_factory=lambda: {DEMO_TOKEN})
    charge_points: dict[int, SimChargePoint] = field(default_factory=dict)
    sessions: dict[int, SimSession] = field(default_factory=dict)
    rate_limit: int | None = RATE_LIMIT
    rate_window: timedelta = RATE_WINDOW
    check_responses: bool = True
    # The latest answers (bounded, for long scripts/develop runs).
    exchanges: deque[Exchange] = field(default_factory=lambda: deque(maxlen=EXCHANGES_KEPT))
    preference_requests: list[PreferenceRequest] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    _recent: dict[str, deque[datetime]] = field(default_factory=dict)
    _last_run: datetime | None = None
    _session_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _authorization_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(5001))

    def __post_init__(self) -> None:
        if not self.charge_points:
            self._demo_world()

    # --- the application ------------------------------------------------------------------

    def register(self, app: web.Application) -> None:
        """Add the routes."""
        resources = f"{self.prefix}/public-api/resources"
        cp = f"{resources}/charge-points/v2.0/{{chargePoint}}"
        actions = f"{self.prefix}/public-api/actions/charge-point/v1.0/{{chargePoint}}"
        routes: list[tuple[str, str, Route]] = [
            ("GET", f"{resources}/charge-points/v2.0", self._list_charge_points),
            ("GET", cp, self._get_charge_point),
            ("GET", f"{cp}/evses", self._evses),
            ("GET", f"{cp}/available-personal-smart-charging-modes", self._modes),
            ("GET", f"{cp}/personal-smart-charging-preferences", self._get_preferences),
            ("POST", f"{cp}/personal-smart-charging-preferences", self._post_preferences),
            ("POST", f"{cp}/smart-charging", self._smart_charging),
            ("POST", f"{actions}/start", self._start),
            ("POST", f"{actions}/start/{{evse}}", self._start_evse),
            ("POST", f"{actions}/stop/{{session}}", self._stop),
            ("GET", f"{resources}/sessions/v1.0", self._list_sessions),
            ("GET", f"{resources}/sessions/v1.0/{{session}}", self._get_session),
        ]
        for method, path, route in routes:
            app.router.add_route(method, path, self._endpoint(route))

    def snapshot(self) -> dict[str, Any]:
        """Charge points, sessions and the preference bodies received, for the admin API."""
        self.run()
        everything = {
            "lastBootNotification",
            "smartCharging",
            "personalSmartChargingPreferences",
            "availablePersonalSmartChargingModes",
        }
        return {
            "charge_points": [cp.json(everything) for _, cp in sorted(self.charge_points.items())],
            "sessions": [s.json() for _, s in sorted(self.sessions.items())],
            "last_preference_body_form": self.last_preference_body_form,
            "preference_requests": [r.as_json() for r in self.preference_requests],
            "violations": list(self.violations),
        }

    def _endpoint(self, route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """Wrap a route: auth, rate limit, query check, then the contract check of the reply."""

        async def handle(request: web.Request) -> web.StreamResponse:
            rate: dict[str, str] = {}
            try:
                rate = self._authorize(request)
                errors = contract().query_errors(
                    request.method, request.path, list(request.query.items())
                )
                if errors:
                    raise _invalid(errors)
                self.run()
                reply = await route(request)
            except ApiError as err:
                reply = err.reply
            return self._send(request, reply, rate)

        return handle

    def _send(self, request: web.Request, reply: Reply, rate: dict[str, str]) -> web.Response:
        if self.check_responses:
            try:
                problems = contract().response_problems(
                    request.method, request.path, reply.status, reply.body
                )
            except SpecViolation as err:
                problems = [str(err)]
            if problems:
                self.violations.extend(problems)
                reply = Reply(
                    500,
                    {
                        "message": "Simulator response outside the AMPECO contract: "
                        + "; ".join(problems)
                    },
                )
        self.exchanges.append(
            Exchange(
                request.method,
                request.path,
                tuple(request.query.items()),
                reply.status,
                reply.body,
            )
        )
        headers = rate | reply.headers
        if reply.body is None:
            return web.Response(status=reply.status, headers=headers)
        return web.json_response(reply.body, status=reply.status, headers=headers)

    def _authorize(self, request: web.Request) -> dict[str, str]:
        """401 for an unknown token; 429 past the per-token limit; else the rate headers."""
        token = bearer(request)
        if token is None or token not in self.tokens:
            raise ApiError(401, {"message": "Unauthenticated."})
        if self.rate_limit is None:
            return {}
        now = self.sim.now()
        recent = self._recent.setdefault(token, deque())
        while recent and recent[0] <= now - self.rate_window:
            recent.popleft()
        limit = str(self.rate_limit)
        if len(recent) >= self.rate_limit:
            wait = max(math.ceil((recent[0] + self.rate_window - now).total_seconds()), 1)
            raise ApiError(
                429,
                {"message": "Too Many Attempts."},
                {
                    "X-RateLimit-Limit": limit,
                    "X-RateLimit-Remaining": "0",
                    "Retry-After": str(wait),
                    "X-RateLimit-Reset": str(int(now.timestamp()) + wait),
                },
            )
        recent.append(now)
        return {
            "X-RateLimit-Limit": limit,
            "X-RateLimit-Remaining": str(self.rate_limit - len(recent)),
        }

    # --- the world --------------------------------------------------------------------------

    def _demo_world(self) -> None:
        """Three home charge points that differ in what they offer and how they are."""
        driveway = self.add_charge_point(6, "Driveway", all_modes(), plugged_in=True)
        # The state the guide's example response shows.
        driveway.preference = {
            "type": "user_controlled_schedule",
            "integrationId": None,
            "preferences": {"startTime": "23:00:00", "endTime": "05:00:00", "targetCharge": []},
            "enabled": True,
        }
        self.add_charge_point(7, "Garage", [mode("user_controlled_schedule"), *nordpool_modes()])
        cabin = self.add_charge_point(
            8,
            "Cabin",
            [mode("user_controlled_schedule"), mode("solar")],
            online=False,
            remote_start_stop=False,
        )
        cabin.preference = {
            "type": "solar",
            "integrationId": None,
            "preferences": {"maxCurrentFromGrid": 6, "solarStableTime": 120},
            "enabled": True,
        }

    def run(self) -> None:
        """Bring the sessions up to the simulated now: energy flows into plugged-in cars."""
        now = self.sim.now()
        hours = max((now - (self._last_run or now)).total_seconds(), 0.0) / 3600
        for session in self.sessions.values():
            if session.status == "active":
                self._charge(session, hours, now)
        self._last_run = now

    def _charge(self, session: SimSession, hours: float, now: datetime) -> None:
        charge_point = self.charge_points.get(session.charge_point_id)
        evse = self._evse(charge_point, session.evse_id)
        if charge_point is None or evse is None or not charge_point.online or not evse.plugged_in:
            session.current_kw = 0.0
            return
        delivered = min(session.power_kw * hours, evse.car_room_kwh)
        session.energy_kwh += delivered
        evse.car_room_kwh -= delivered
        session.current_kw = session.power_kw if evse.car_room_kwh > 0 else 0.0
        session.peak_kw = max(session.peak_kw, session.current_kw)
        session.updated_at = now

    @staticmethod
    def _evse(charge_point: SimChargePoint | None, evse_id: int) -> SimEvse | None:
        if charge_point is None:
            return None
        return next((evse for evse in charge_point.evses if evse.id == evse_id), None)

    # --- control, for tests and scripts -----------------------------------------------------

    def add_charge_point(
        self,
        charge_point_id: int | None = None,
        name: str | None = None,
        modes: list[dict[str, Any]] | list[str] | None = None,
        *,
        online: bool = True,
        remote_start_stop: bool = True,
        evses: int = 1,
        plugged_in: bool = False,
    ) -> SimChargePoint:
        """A new charge point in the tenant; ``modes`` are mode entries or mode names."""
        self.run()
        now = self.sim.now()
        if charge_point_id is None:
            charge_point_id = max(self.charge_points, default=0) + 1
        entries = [mode(m) if isinstance(m, str) else m for m in (modes or all_modes())]
        charge_point = SimChargePoint(
            id=charge_point_id,
            name=name or f"Charge point {charge_point_id}",
            modes=entries,
            evses=[
                SimEvse(id=charge_point_id * 100 + n, network_id=str(n), created_at=now)
                for n in range(1, evses + 1)
            ],
            created_at=now,
            online=online,
            remote_start_stop=remote_start_stop,
        )
        self.charge_points[charge_point_id] = charge_point
        if plugged_in:
            self.plug_in(charge_point_id)
        return charge_point

    def remove_charge_point(self, charge_point_id: int) -> None:
        """The charge point leaves the tenant; its running session ends."""
        self.run()
        for session in self.sessions.values():
            if session.charge_point_id == charge_point_id and session.status == "active":
                session.finish(self.sim.now(), "other")
        del self.charge_points[charge_point_id]

    def charge_point(self, charge_point_id: int) -> SimChargePoint:
        """One charge point (KeyError when there is none)."""
        return self.charge_points[charge_point_id]

    def set_online(self, charge_point_id: int, online: bool = True) -> None:
        """The charge point loses or regains its connection to the cloud."""
        self.run()
        charge_point = self.charge_points[charge_point_id]
        charge_point.online = online
        charge_point.touch(self.sim.now())

    def set_modes(self, charge_point_id: int, modes: list[dict[str, Any]] | list[str]) -> None:
        """Change which personal smart charging modes the charge point offers."""
        entries = [mode(m) if isinstance(m, str) else m for m in modes]
        self.charge_points[charge_point_id].modes = entries

    def plug_in(
        self, charge_point_id: int, evse: int = 1, room_kwh: float = DEFAULT_CAR_ROOM_KWH
    ) -> None:
        """A car is plugged into EVSE ``evse`` (its network id) and takes ``room_kwh``."""
        self.run()
        charge_point = self.charge_points[charge_point_id]
        target = charge_point.evse_by_network_id(str(evse))
        if target is None:
            raise KeyError(f"charge point {charge_point_id} has no EVSE {evse}")
        target.plugged_in = True
        target.finishing = False
        target.car_room_kwh = room_kwh
        charge_point.touch(self.sim.now())

    def unplug(self, charge_point_id: int, evse: int = 1) -> None:
        """The car leaves; a session on that EVSE ends with reason ``evdisconnected``."""
        self.run()
        charge_point = self.charge_points[charge_point_id]
        target = charge_point.evse_by_network_id(str(evse))
        if target is None:
            raise KeyError(f"charge point {charge_point_id} has no EVSE {evse}")
        target.plugged_in = False
        target.finishing = False
        target.car_room_kwh = 0.0
        if target.session_id is not None:
            self.sessions[target.session_id].finish(self.sim.now(), "evdisconnected")
            target.session_id = None
        charge_point.touch(self.sim.now())

    def scale(self, count: int, plugged_in: int = 0) -> None:
        """Replace the world by ``count`` charge points (ids 1..count), every mode offered."""
        self.charge_points = {}
        self.sessions = {}
        for index in range(1, count + 1):
            self.add_charge_point(index, plugged_in=index <= plugged_in)

    @property
    def last_preference_body_form(self) -> Form | None:
        """Which form the last preferences POST used: ``"contract"`` or ``"guide"``."""
        return self.preference_requests[-1].form if self.preference_requests else None

    # --- helpers for routes ---------------------------------------------------------------

    def _charge_point(self, request: web.Request) -> SimChargePoint:
        charge_point = self.charge_points.get(_int_param(request, "chargePoint"))
        if charge_point is None:
            raise ApiError(404, NOT_FOUND)
        return charge_point

    @staticmethod
    def _include(request: web.Request) -> set[str]:
        values = parse_query(list(request.query.items())).get("include")
        coerced = coerce(values, {"type": "array", "items": {"type": "string"}})
        return {str(v) for v in coerced} if isinstance(coerced, list) else set()

    @staticmethod
    def _page(request: web.Request, keys: list[int]) -> tuple[list[int], dict[str, Any]]:
        """Laravel cursor paging over sorted ``keys``: the page, and ``links``/``meta``."""
        per_page = int(request.query.get("per_page", "100"))
        cursor = request.query.get("cursor")
        if cursor is None:
            page = keys[:per_page]
        else:
            key, forward = _decode_cursor(cursor)
            page = (
                [k for k in keys if k > key][:per_page]
                if forward
                else [k for k in keys if k < key][-per_page:]
            )
        base = str(request.url.with_query(None))
        has_prev = bool(page) and any(k < page[0] for k in keys)
        has_next = bool(page) and any(k > page[-1] for k in keys)
        prev_cursor = _encode_cursor(page[0], False) if has_prev else None
        next_cursor = _encode_cursor(page[-1], True) if has_next else None

        def link(value: str | None) -> str | None:
            return None if value is None else f"{base}?cursor={value}&per_page={per_page}"

        return page, {
            "links": {
                "first": None,
                "last": None,
                "prev": link(prev_cursor),
                "next": link(next_cursor),
            },
            "meta": {
                "path": base,
                "per_page": per_page,
                "next_cursor": next_cursor,
                "prev_cursor": prev_cursor,
            },
        }

    def _record(
        self,
        charge_point: SimChargePoint,
        form: Form,
        changes: tuple[str, ...],
        body: Any,
        status: int,
    ) -> None:
        self.preference_requests.append(
            PreferenceRequest(self.sim.now(), charge_point.id, form, changes, body, status)
        )

    def _check_body(self, request: web.Request, body: Any) -> None:
        errors = contract().body_errors(request.method, request.path, body)
        if errors:
            raise _invalid(errors)

    # --- routes ---------------------------------------------------------------------------

    async def _list_charge_points(self, request: web.Request) -> Reply:
        include = self._include(request)
        page, paging = self._page(request, sorted(self.charge_points))
        data = [self.charge_points[key].json(include) for key in page]
        return Reply(200, {"data": data} | paging)

    async def _get_charge_point(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        return Reply(200, {"data": charge_point.json(self._include(request))})

    async def _evses(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        include = self._include(request)
        by_id = {evse.id: evse for evse in charge_point.evses}
        page, paging = self._page(request, sorted(by_id))
        data = []
        for key in page:
            evse = by_id[key]
            session = self.sessions.get(evse.session_id) if evse.session_id is not None else None
            data.append(charge_point.evse_json(evse, session, include))
        return Reply(200, {"data": data} | paging)

    async def _modes(self, request: web.Request) -> Reply:
        return Reply(200, {"data": self._charge_point(request).modes})

    async def _get_preferences(self, request: web.Request) -> Reply:
        return Reply(200, {"data": self._charge_point(request).preference})

    async def _post_preferences(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        raw = await _json(request)
        try:
            normalised = normalise(raw)
        except PreferenceBodyError as err:
            self._record(
                charge_point, "guide", ('{"data": [...]} with other than one item',), raw, 422
            )
            raise _invalid(err.errors) from err
        errors = contract().body_errors(request.method, request.path, normalised.body)
        for key, messages in rule_errors(normalised.body, charge_point).items():
            errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
        if errors:
            self._record(charge_point, normalised.form, normalised.changes, raw, 422)
            raise _invalid(errors)
        body: dict[str, Any] = normalised.body
        kind = body.get("type")
        offered = charge_point.offered(kind) if isinstance(kind, str) else None
        charge_point.preference = echo(body, charge_point.preference, offered)
        charge_point.touch(self.sim.now())
        self._record(charge_point, normalised.form, normalised.changes, raw, 201)
        return Reply(201, {"data": charge_point.preference})

    async def _smart_charging(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        raw = await _json(request)
        body = raw if isinstance(raw, dict) else {}
        self._check_body(request, body)
        variant = smart_charging_variants()[body["mode"]]
        stored: dict[str, Any] = pick_declared(body, variant)
        properties = variant.get("properties", {})
        if "circuitId" in properties:
            stored["circuitId"] = None
        if "electricalConfiguration" in properties:
            stored.setdefault("electricalConfiguration", "star")
        charge_point.smart_charging = stored
        charge_point.touch(self.sim.now())
        return Reply(201, {"data": stored})

    async def _start(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        await self._start_body(request)
        plugged = [e for e in charge_point.evses if e.plugged_in and e.session_id is None]
        evse = plugged[0] if plugged else charge_point.evses[0]
        return self._begin(charge_point, evse, with_session_id=False)

    async def _start_evse(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        evse = charge_point.evse_by_network_id(str(_int_param(request, "evse")))
        if evse is None:
            raise ApiError(404, NOT_FOUND)
        await self._start_body(request)
        return self._begin(charge_point, evse, with_session_id=True)

    async def _start_body(self, request: web.Request) -> None:
        raw = await _json(request)
        if raw is not None:
            self._check_body(request, raw if isinstance(raw, dict) else {})

    def _begin(self, charge_point: SimChargePoint, evse: SimEvse, with_session_id: bool) -> Reply:
        """Start a session, or say why not: 406 when the charge point refuses."""
        if not charge_point.online:
            raise _refused("The charge point is offline.")
        if not charge_point.remote_start_stop:
            raise _refused("The charge point does not support remote start.")
        if not evse.plugged_in:
            raise _refused("No vehicle is connected to the charge point.")
        if evse.session_id is not None:
            body: dict[str, Any] = {
                "success": False,
                "authorizationId": None,
                "errorCode": "SESSION_ALREADY_RUNNING",
                "message": "A session is already running on this EVSE.",
            }
            if with_session_id:
                body["sessionId"] = evse.session_id
            return Reply(202, body)
        now = self.sim.now()
        session = SimSession(
            id=next(self._session_ids),
            charge_point_id=charge_point.id,
            evse_id=evse.id,
            authorization_id=next(self._authorization_ids),
            started_at=now,
            power_kw=evse.max_power_kw,
            updated_at=now,
        )
        session.current_kw = session.power_kw if evse.car_room_kwh > 0 else 0.0
        session.peak_kw = session.current_kw
        self.sessions[session.id] = session
        evse.session_id = session.id
        evse.finishing = False
        charge_point.touch(now)
        reply: dict[str, Any] = {"success": True, "authorizationId": session.authorization_id}
        if with_session_id:
            reply["sessionId"] = session.id
        return Reply(202, reply)

    async def _stop(self, request: web.Request) -> Reply:
        charge_point = self._charge_point(request)
        session = self.sessions.get(_int_param(request, "session"))
        if session is None or session.charge_point_id != charge_point.id:
            raise ApiError(404, NOT_FOUND)
        raw = await _json(request)
        body = raw if isinstance(raw, dict) else {}
        if raw is not None:
            self._check_body(request, body)
        force = body.get("force", False) is True
        if session.status != "active":
            raise _refused("The session is not active.")
        if not force and not charge_point.online:
            raise _refused("The charge point is offline.")
        if not force and not charge_point.remote_start_stop:
            raise _refused("The charge point does not support remote stop.")
        now = self.sim.now()
        session.finish(now, "force_stop" if force else "remote")
        evse = self._evse(charge_point, session.evse_id)
        if evse is not None:
            evse.session_id = None
            # The transaction stopped; the cable is still in until the car leaves.
            evse.finishing = evse.plugged_in
        charge_point.touch(now)
        return Reply(202)

    async def _list_sessions(self, request: web.Request) -> Reply:
        filters = parse_query(list(request.query.items())).get("filter")
        wanted = filters if isinstance(filters, dict) else {}
        keys = sorted(key for key, s in self.sessions.items() if self._matches(s, wanted))
        page, paging = self._page(request, keys)
        return Reply(200, {"data": [self.sessions[key].json() for key in page]} | paging)

    @staticmethod
    def _matches(session: SimSession, wanted: dict[str, Any]) -> bool:
        checks = {
            "chargePointId": str(session.charge_point_id),
            "evseId": str(session.evse_id),
            "status": session.status,
        }
        if not all(str(wanted[name]) == value for name, value in checks.items() if name in wanted):
            return False
        if "startedAfter" in wanted:
            return session.started_at > _date_filter(wanted["startedAfter"])
        return True

    async def _get_session(self, request: web.Request) -> Reply:
        session = self.sessions.get(_int_param(request, "session"))
        if session is None:
            raise ApiError(404, NOT_FOUND)
        return Reply(200, {"data": session.json()})


def _date_filter(value: Any) -> datetime:
    """A ``filter[...]`` date-time (the contract check has refused anything else)."""
    when = datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
