"""The simulator in its own process, for the benchmark.

``python -m bench.simserver CLOUD N [SITES]`` serves the four simulated clouds, ``CLOUD``'s
world scaled to ``N`` chargers (``bench.clouds``; Easee's on ``SITES`` equal sites if
given), on a free port of 127.0.0.1 and prints ``port <n>`` once it listens. In its own
process its CPU time and memory are not counted as Home Assistant's. Under the simulator's
admin path (never logged as a request to a cloud) it also answers:

- ``GET /_admin/bench/chargers``: ``{charger id: busy}``;
- ``POST /_admin/bench/arrive``, ``/_admin/bench/connect`` and ``/_admin/bench/leave`` with
  ``{"charger": id}``: a car arrives and charges, is only plugged in, or leaves;
- ``GET /_admin/bench/key``: the device key the benchmark's press aims at, if the row names one;
- ``POST /_admin/bench/hub`` with ``{"refuse": status or null, "drop": bool}``: the cloud's
  push hub refuses new streams (and drops the open ones), or serves again.
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web

from simulator import Simulator, create_app
from simulator.ampeco import AmpecoCloud
from simulator.easee import EaseeCloud
from simulator.jedlix import JedlixCloud
from simulator.viriciti import ViricitiCloud

from .clouds import CLOUDS, CloudSpec, easee_on_sites


def build_app(spec: CloudSpec, n: int, sites: int | None = None) -> web.Application:
    """The simulator with ``spec``'s cloud scaled to ``n`` and the benchmark's routes.

    ``sites``: Easee's chargers on that many sites of equal size instead of the mix.
    """
    sim = Simulator()
    defaults = {
        "easee": EaseeCloud,
        "viriciti": ViricitiCloud,
        "ampeco": AmpecoCloud,
        "jedlix": JedlixCloud,
    }
    clouds = [
        spec.build(sim, n) if name == spec.name else factory(sim)
        for name, factory in defaults.items()
    ]
    app = create_app(sim, clouds)
    cloud = sim.clouds[spec.name]
    if sites is not None:
        assert isinstance(cloud, EaseeCloud), "only Easee's world has sites to deal out"
        easee_on_sites(cloud, sites)

    async def chargers(request: web.Request) -> web.Response:
        return web.json_response(spec.chargers(cloud))

    async def arrive(request: web.Request) -> web.Response:
        assert spec.arrive is not None
        spec.arrive(cloud, str((await request.json())["charger"]))
        return web.json_response({})

    async def leave(request: web.Request) -> web.Response:
        assert spec.leave is not None
        spec.leave(cloud, str((await request.json())["charger"]))
        return web.json_response({})

    async def connect(request: web.Request) -> web.Response:
        assert spec.connect is not None
        spec.connect(cloud, str((await request.json())["charger"]))
        return web.json_response({})

    async def key(request: web.Request) -> web.Response:
        return web.json_response(spec.press_key(cloud) if spec.press_key else None)

    async def hub(request: web.Request) -> web.Response:
        """``{"refuse": status or null, "drop": bool}``: take the push hub down or up."""
        if spec.hub is None:
            return web.json_response({"hub": False})
        body = await request.json()
        stream = spec.hub(cloud)
        stream.refuse_status = body.get("refuse")
        if body.get("drop"):
            await stream.drop()
        return web.json_response({"hub": True})

    app.router.add_get("/_admin/bench/chargers", chargers)
    app.router.add_post("/_admin/bench/arrive", arrive)
    app.router.add_post("/_admin/bench/connect", connect)
    app.router.add_post("/_admin/bench/leave", leave)
    app.router.add_get("/_admin/bench/key", key)
    app.router.add_post("/_admin/bench/hub", hub)
    return app


async def serve(spec: CloudSpec, n: int, sites: int | None) -> None:
    """Listen until killed."""
    runner = web.AppRunner(build_app(spec, n, sites), access_log=None, keepalive_timeout=3600)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    sys.stdout.write(f"port {port}\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


def main() -> None:
    """Serve ``CLOUD`` with ``N`` chargers (Easee: on ``SITES`` sites, if given)."""
    name, n = sys.argv[1], int(sys.argv[2])
    sites = int(sys.argv[3]) if len(sys.argv) > 3 else None
    asyncio.run(serve(CLOUDS[name], n, sites))


if __name__ == "__main__":
    main()
