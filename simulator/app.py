"""The simulator application: the admin path and the middleware every cloud shares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
import json
from typing import Any, Protocol

from aiohttp import web

from .clock import SimClock
from .faults import Fault, FaultInjector, poison
from .requestlog import LoggedRequest, RequestLog

ADMIN_PREFIX = "/_admin"


class Cloud(Protocol):
    """What each simulated cloud provides to the application."""

    prefix: str

    def register(self, app: web.Application) -> None:
        """Add the cloud's routes (under ``prefix``)."""

    def snapshot(self) -> dict[str, Any]:
        """The cloud's state as JSON, for the admin API."""


@dataclass
class Simulator:
    """Everything the simulated clouds share: the clock, the log and the faults."""

    clock: SimClock = field(default_factory=SimClock)
    log: RequestLog = field(default_factory=RequestLog)
    faults: FaultInjector = field(default_factory=FaultInjector)
    clouds: dict[str, Cloud] = field(default_factory=dict)

    def now(self) -> datetime:
        """The simulated time."""
        return self.clock.now()


SIMULATOR = web.AppKey("simulator", Simulator)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def cloud_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply injected faults and log every request to a cloud (not to the admin path)."""
    if request.path.startswith(ADMIN_PREFIX):
        return await handler(request)
    sim = request.app[SIMULATOR]
    # When the request came: a websocket's handler returns only when it closes.
    received = sim.now()
    body: Any = None
    if request.can_read_body:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
    fault = sim.faults.take(request)
    response: web.StreamResponse | None = None
    if fault is not None:
        response = await sim.faults.respond(fault, request)
    if response is None:
        try:
            response = await handler(request)
        except web.HTTPException as err:
            _log(sim, request, received, body, err.status)
            raise
        if fault is not None and fault.kind == "poison":
            response = poison(response, fault)
    _log(sim, request, received, body, response.status)
    return response


def _log(sim: Simulator, request: web.Request, received: datetime, body: Any, status: int) -> None:
    sim.log.add(
        LoggedRequest(
            time=received,
            method=request.method,
            path=request.path,
            query=dict(request.query),
            body=body,
            status=status,
        )
    )


async def _root(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    return web.json_response({"name": "Smart Charging simulator", "clouds": sorted(sim.clouds)})


async def _get_clock(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    return web.json_response({"now": sim.now().isoformat(), "speed": sim.clock.speed})


async def _set_clock(request: web.Request) -> web.Response:
    """``{"advance": seconds}`` or ``{"set": "ISO 8601"}``."""
    sim = request.app[SIMULATOR]
    data = await request.json()
    if "advance" in data:
        sim.clock.advance(float(data["advance"]))
    elif "set" in data:
        sim.clock.set(datetime.fromisoformat(data["set"]))
    else:
        raise web.HTTPBadRequest(text="give 'advance' or 'set'")
    return await _get_clock(request)


async def _get_requests(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    return web.json_response([entry.as_json() for entry in sim.log.entries])


async def _clear_requests(request: web.Request) -> web.Response:
    request.app[SIMULATOR].log.clear()
    return web.Response(status=204)


async def _add_fault(request: web.Request) -> web.Response:
    try:
        fault = Fault.from_json(await request.json())
    except (TypeError, ValueError) as err:
        raise web.HTTPBadRequest(text=str(err)) from err
    request.app[SIMULATOR].faults.add(fault)
    return web.Response(status=201)


async def _clear_faults(request: web.Request) -> web.Response:
    request.app[SIMULATOR].faults.clear()
    return web.Response(status=204)


async def _get_state(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR]
    return web.json_response({name: c.snapshot() for name, c in sim.clouds.items()})


def create_app(sim: Simulator | None = None, clouds: list[Cloud] | None = None) -> web.Application:
    """Build the application serving every cloud in ``clouds`` and the admin path."""
    sim = sim or Simulator()
    app = web.Application(middlewares=[cloud_middleware])
    app[SIMULATOR] = sim
    for cloud in clouds or []:
        sim.clouds[cloud.prefix.strip("/")] = cloud
        cloud.register(app)
    app.router.add_get("/", _root)
    app.router.add_get(f"{ADMIN_PREFIX}/clock", _get_clock)
    app.router.add_post(f"{ADMIN_PREFIX}/clock", _set_clock)
    app.router.add_get(f"{ADMIN_PREFIX}/requests", _get_requests)
    app.router.add_delete(f"{ADMIN_PREFIX}/requests", _clear_requests)
    app.router.add_post(f"{ADMIN_PREFIX}/faults", _add_fault)
    app.router.add_delete(f"{ADMIN_PREFIX}/faults", _clear_faults)
    app.router.add_get(f"{ADMIN_PREFIX}/state", _get_state)
    return app
