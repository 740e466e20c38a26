"""The Jedlix Smart Charging API, version 2 (seed 002, ``apis.md``).

``JedlixCloud`` is the tenant the tests, the benchmarks and ``scripts/develop`` talk to:
its state and Python controls come from ``JedlixWorld``, its routes from ``JedlixApi``,
and an admin path switches on enum values no client has seen yet.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..app import ADMIN_PREFIX, Simulator
from .api import JedlixApi
from .model import UNSEEN
from .wire import problem
from .world import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_TENANT_TOKEN,
    DEMO_TOKEN,
    DEMO_USER_ID,
    DemoIds,
    JedlixWorld,
)

PREFIX = "/jedlix"

__all__ = [
    "DEMO_API_KEY",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_TENANT_TOKEN",
    "DEMO_TOKEN",
    "DEMO_USER_ID",
    "PREFIX",
    "DemoIds",
    "JedlixCloud",
    "problem",
]


class JedlixCloud(JedlixWorld):
    """The simulated Jedlix tenant: world, routes and the unseen-enum switch."""

    prefix: str = PREFIX

    def __init__(self, sim: Simulator, prefix: str = PREFIX) -> None:
        super().__init__(sim)
        self.prefix = prefix
        self.api = JedlixApi(self, prefix)

    def register(self, app: web.Application) -> None:
        """Add the v2 routes and ``/_admin/jedlix/unseen-enums``."""
        self.api.register(app)
        admin = f"{ADMIN_PREFIX}{self.prefix}/unseen-enums"
        app.router.add_get(admin, self._get_unseen)
        app.router.add_post(admin, self._set_unseen)

    def check_auth(self, request: web.Request, user_id: str | None = None) -> None:
        """401 without a known ``ApiKey`` and bearer token; 403 for another user's data."""
        self.api.check_auth(request, user_id)

    def snapshot(self) -> dict[str, Any]:
        """Counts of the world and the ids of its users, for the admin API."""
        return {
            "users": list(self.users),
            "chargingLocations": len(self.locations),
            "chargers": len(self.chargers),
            "vehicles": len(self.vehicles),
            "sessions": len(self.sessions),
            "activeSessions": sum(s.active for s in self.sessions.values()),
            "messages": len(self.messages),
            "unseenEnums": sorted(self.unseen),
        }

    async def _get_unseen(self, request: web.Request) -> web.Response:
        return web.json_response({"fields": sorted(self.unseen), "values": UNSEEN})

    async def _set_unseen(self, request: web.Request) -> web.Response:
        """``{"enabled": bool}`` for every enum field, or ``{"fields": [...]}`` for some."""
        try:
            data = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="send JSON") from None
        if isinstance(data, dict) and isinstance(data.get("enabled"), bool):
            self.unseen_enums = data["enabled"]
        elif isinstance(data, dict) and isinstance(data.get("fields"), list):
            try:
                self.set_unseen_enums(*map(str, data["fields"]))
            except ValueError as err:
                raise web.HTTPBadRequest(text=str(err)) from err
        else:
            raise web.HTTPBadRequest(text='give {"enabled": bool} or {"fields": [...]}')
        return await self._get_unseen(request)
