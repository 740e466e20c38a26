"""The HTTP side of the simulated Jedlix v2 API: authentication, lookups and handlers.

Handlers stay thin: check who asks, find the objects, validate the query, and hand the
rendering to ``Renderer`` so every response follows the same wire rules.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
import json
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from ..common import bearer
from .model import (
    CAPABILITIES,
    UNSEEN,
    Charger,
    Location,
    Message,
    Session,
    UtilityContract,
    Vehicle,
)
from .render import Renderer, contract_json, location_json, user_json
from .tariffs import parse_settings
from .wire import (
    Errors,
    Page,
    check_range,
    in_range,
    invalid,
    newest_first,
    not_found,
    paged,
    parse_time_text,
    problem,
    query_bool,
    query_page,
    query_time,
)
from .world import JedlixWorld

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

TOKEN_LIFETIME = timedelta(hours=1)
MAX_SPAN = timedelta(days=7)
SESSION_FILTERS = ("startTimeFrom", "startTimeTo", "endTimeFrom", "endTimeTo")
# Routes of v1 that v2 deleted (seed 002, "What's Deleted"): they answer 404 whatever the
# method, even where a v2 route with a path parameter would otherwise take the path.
DELETED_ROUTES = (
    "/users/{user_id}/charging-locations/{location_id}/energy-supplier",
    "/users/{user_id}/charging-locations/{location_id}/chargers/start-connect-session",
    "/users/{user_id}/messages/active",
    "/users/{user_id}/vehicles/{vehicle_id}/session-settings",
    "/users/{user_id}/vehicles/{vehicle_id}/session-settings/active",
    "/users/{user_id}/vehicles/start-connect-session",
)
SUPPORTED_CAR_MODELS = (
    ("Volkswagen", "ID.3", "Pro", CAPABILITIES),
    ("Volkswagen", "ID.4", "Pro Performance", CAPABILITIES),
    ("Renault", "Zoe", "R135", ("ChargeState", "StateOfCharge", "GeoLocation", "PullTelemetry")),
    ("Tesla", "Model 3", "Long Range", CAPABILITIES),
    ("Audi", "Q4 e-tron", "40", ("ChargeState", "StateOfCharge", "Pairing", "PushTelemetry")),
)


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON answer."""
    return web.json_response(data, status=status)


class JedlixApi:
    """Routes of one simulated tenant over its ``world``."""

    def __init__(self, world: JedlixWorld, prefix: str) -> None:
        self.world = world
        self.prefix = prefix

    # --- who is asking ------------------------------------------------------------------------

    def check_auth(
        self, request: web.Request, user_id: str | None = None, *, tenant: bool = False
    ) -> None:
        """401 without a known ``ApiKey`` and token; 403 when the token may not see this.

        A tenant (management) token sees every user; a user's token sees only that user
        and none of the tenant-wide lists.
        """
        world = self.world
        if request.headers.get("ApiKey") not in world.api_keys:
            raise problem(401, "Unauthorized", "A valid ApiKey header is required.", request.path)
        token = bearer(request) or ""
        expiry = world.tenant_tokens.get(token, world.now())
        is_tenant = token in world.tenant_tokens and (expiry is None or expiry > world.now())
        owner = world.tokens.get(token)
        if owner is None and not is_tenant:
            raise problem(401, "Unauthorized", "A valid bearer token is required.", request.path)
        world.tick()
        if is_tenant:
            return
        if tenant:
            raise problem(403, "Forbidden", "A user token cannot list the tenant.", request.path)
        if user_id is not None and owner != user_id:
            raise problem(403, "Forbidden", "The token does not belong to this user.", request.path)

    def _user_id(self, request: web.Request) -> str:
        user_id = request.match_info["user_id"]
        self.check_auth(request, user_id)
        if self.world.user(user_id) is None:
            raise not_found(request, "The user")
        return user_id

    def _location(self, request: web.Request) -> Location:
        user_id = self._user_id(request)
        location = self.world.locations.get(request.match_info["location_id"])
        if location is None or location.user_id != user_id:
            raise not_found(request, "The charging location")
        return location

    def _charger(self, request: web.Request) -> Charger:
        location = self._location(request)
        charger = self.world.chargers.get(request.match_info["charger_id"])
        if charger is None or charger.location_id != location.id:
            raise not_found(request, "The charger")
        return charger

    def _vehicle(self, request: web.Request) -> Vehicle:
        user_id = self._user_id(request)
        vehicle = self.world.vehicles.get(request.match_info["vehicle_id"])
        if vehicle is None or vehicle.user_id != user_id:
            raise not_found(request, "The vehicle")
        return vehicle

    def _session(self, request: web.Request) -> Session:
        user_id = self._user_id(request)
        session = self.world.sessions.get(request.match_info["session_id"])
        if session is None or session.user_id != user_id:
            raise not_found(request, "The session")
        return session

    def _message(self, request: web.Request) -> Message:
        user_id = self._user_id(request)
        message = self.world.messages.get(request.match_info["message_id"])
        if message is None or message.user_id != user_id:
            raise not_found(request, "The message")
        return message

    def _render(self) -> Renderer:
        return Renderer(self.world, self.world.now())

    # --- routes -----------------------------------------------------------------------------

    def register(self, app: web.Application) -> None:
        """Add every v2 route, the deleted ones as 404s, and a problem-details fallback."""
        v2 = f"{self.prefix}/api/v2"
        for path in DELETED_ROUTES:
            app.router.add_route("*", f"{v2}{path}", self._deleted)
        user = f"{v2}/users/{{user_id}}"
        location = f"{user}/charging-locations/{{location_id}}"
        charger = f"{location}/chargers/{{charger_id}}"
        vehicle = f"{user}/vehicles/{{vehicle_id}}"
        session = f"{user}/sessions/{{session_id}}"
        routes: list[tuple[str, str, Handler]] = [
            ("GET", f"{v2}/users", self._users),
            ("GET", user, self._user),
            ("GET", f"{v2}/charging-locations", self._tenant_locations),
            ("GET", f"{user}/charging-locations", self._user_locations),
            ("GET", location, self._get_location),
            ("GET", f"{user}/chargers", self._user_chargers),
            ("GET", f"{location}/chargers", self._location_chargers),
            ("GET", charger, self._get_charger),
            ("GET", f"{charger}/state", self._charger_state),
            ("GET", f"{v2}/vehicles", self._tenant_vehicles),
            ("GET", f"{user}/vehicles", self._user_vehicles),
            ("GET", vehicle, self._get_vehicle),
            ("GET", f"{vehicle}/state", self._vehicle_state),
            ("GET", f"{vehicle}/sessions/last", self._last_session),
            ("GET", f"{v2}/sessions", self._tenant_sessions),
            ("GET", f"{user}/sessions", self._user_sessions),
            ("GET", session, self._get_session),
            ("GET", f"{session}/tariffs", self._session_tariffs),
            ("POST", f"{session}/session-settings", self._update_settings),
            ("GET", f"{session}/session-settings/active", self._active_settings),
            ("GET", f"{location}/tariffs", self._get_tariffs),
            ("PUT", f"{location}/tariffs", self._put_tariffs),
            ("POST", f"{location}/tariffs", self._post_tariffs),
            ("GET", f"{location}/dynamic-tariffs", self._dynamic_tariffs),
            ("GET", f"{location}/solar-energy", self._solar_energy),
            ("PUT", f"{location}/utility-contracts", self._put_contract),
            ("POST", f"{location}/utility-contracts", self._post_contract),
            ("DELETE", f"{location}/utility-contracts", self._delete_contract),
            ("GET", f"{user}/financials", self._financials),
            ("GET", f"{user}/messages", self._messages),
            ("GET", f"{user}/messages/{{message_id}}", self._get_message),
            ("PATCH", f"{user}/messages/{{message_id}}", self._dismiss_message),
            ("GET", f"{v2}/supported-car-models", self._car_models),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, path, handler)
        app.router.add_post(f"{self.prefix}/connect/token", self._token)
        self._fallback_resource = app.router.add_route(
            "*", f"{self.prefix}/{{tail:.*}}", self._fallback
        ).resource

    async def _deleted(self, request: web.Request) -> web.Response:
        raise problem(404, "Not Found", "This endpoint does not exist in v2.", request.path)

    async def _fallback(self, request: web.Request) -> web.Response:
        """404 for unknown paths, 405 for a known path with another method; as problems."""
        allowed: set[str] = set()
        for resource in request.app.router.resources():
            if resource is self._fallback_resource:
                continue
            match, methods = await resource.resolve(request)
            if match is None:
                allowed |= methods
        if allowed:
            raise problem(
                405,
                "Method Not Allowed",
                f"Use {', '.join(sorted(allowed))}.",
                request.path,
                allowed=sorted(allowed),
            )
        raise problem(404, "Not Found", "No such endpoint.", request.path)

    async def _token(self, request: web.Request) -> web.Response:
        """OAuth2 client-credentials grant for tenant (management) tokens.

        As docs/quickstart-guide shows it: a form with ``grant_type``, ``client_id``,
        ``client_secret`` and the environment as ``audience``; without one, no token
        (``invalid_request``, RFC 6749 5.2).
        """
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type"}, 400)
        if not form.get("audience"):
            return json_response({"error": "invalid_request"}, 400)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if not isinstance(client_id, str) or self.world.clients.get(client_id) != secret:
            return json_response({"error": "invalid_client"}, 401)
        token = secrets.token_urlsafe(24)
        self.world.tenant_tokens[token] = self.world.now() + TOKEN_LIFETIME
        return json_response(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": int(TOKEN_LIFETIME.total_seconds()),
                "scope": "api",
            }
        )

    # --- users and charging locations ---------------------------------------------------------

    def _created_filter(
        self, request: web.Request
    ) -> tuple[Page, datetime | None, datetime | None]:
        errors: Errors = {}
        page = query_page(request, errors)
        low = query_time(request, "createdFrom", errors)
        high = query_time(request, "createdTo", errors)
        check_range(errors, "createdFrom", low, "createdTo", high)
        if errors:
            raise invalid(request, errors)
        return page, low, high

    async def _users(self, request: web.Request) -> web.Response:
        self.check_auth(request, tenant=True)
        page, low, high = self._created_filter(request)
        users = [u for u in self.world.all_users() if in_range(u.created_at, low, high)]
        return json_response(paged(users, page, user_json))

    async def _user(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        user = self.world.user(user_id)
        assert user is not None
        return json_response(user_json(user))

    def _locations_of(self, user_id: str | None) -> list[Location]:
        found = [
            loc
            for loc in self.world.locations.values()
            if user_id is None or loc.user_id == user_id
        ]
        return newest_first(found, lambda loc: loc.created_at)

    async def _tenant_locations(self, request: web.Request) -> web.Response:
        self.check_auth(request, tenant=True)
        page, low, high = self._created_filter(request)
        found = [loc for loc in self._locations_of(None) if in_range(loc.created_at, low, high)]
        return json_response(paged(found, page, location_json))

    async def _user_locations(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        return json_response([location_json(loc) for loc in self._locations_of(user_id)])

    async def _get_location(self, request: web.Request) -> web.Response:
        return json_response(location_json(self._location(request)))

    # --- chargers -------------------------------------------------------------------------------

    def _chargers_where(self, keep: Callable[[Charger], bool]) -> list[Charger]:
        found = [c for c in self.world.chargers.values() if keep(c)]
        return newest_first(found, lambda c: c.created_at)

    async def _user_chargers(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        render = self._render()
        chargers = self._chargers_where(lambda c: c.user_id == user_id)
        return json_response([render.charger(c) for c in chargers])

    async def _location_chargers(self, request: web.Request) -> web.Response:
        location = self._location(request)
        render = self._render()
        chargers = self._chargers_where(lambda c: c.location_id == location.id)
        return json_response([render.charger(c) for c in chargers])

    async def _get_charger(self, request: web.Request) -> web.Response:
        return json_response(self._render().charger(self._charger(request)))

    async def _charger_state(self, request: web.Request) -> web.Response:
        return json_response(self._render().charger_state(self._charger(request)))

    # --- vehicles -------------------------------------------------------------------------------

    def _vehicles_of(self, user_id: str | None) -> list[Vehicle]:
        found = [v for v in self.world.vehicles.values() if user_id is None or v.user_id == user_id]
        return newest_first(found, lambda v: v.created_at)

    async def _tenant_vehicles(self, request: web.Request) -> web.Response:
        self.check_auth(request, tenant=True)
        page, low, high = self._created_filter(request)
        found = [v for v in self._vehicles_of(None) if in_range(v.created_at, low, high)]
        return json_response(paged(found, page, self._render().vehicle))

    async def _user_vehicles(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        render = self._render()
        return json_response([render.vehicle(v) for v in self._vehicles_of(user_id)])

    async def _get_vehicle(self, request: web.Request) -> web.Response:
        return json_response(self._render().vehicle(self._vehicle(request)))

    async def _vehicle_state(self, request: web.Request) -> web.Response:
        return json_response(self._render().vehicle_state(self._vehicle(request)))

    async def _last_session(self, request: web.Request) -> web.Response:
        vehicle = self._vehicle(request)
        sessions = [
            s for s in self.world.sessions_of(vehicle.user_id) if s.vehicle_id == vehicle.id
        ]
        if not sessions:
            raise not_found(request, "A session of this vehicle")
        return json_response(self._render().session(sessions[0]))

    # --- sessions -------------------------------------------------------------------------------

    def _filtered_sessions(
        self, request: web.Request, user_id: str | None, errors: Errors
    ) -> list[Session]:
        """Sessions within the seed's four time filters, half-open ``[from, to)``."""
        bounds = {name: query_time(request, name, errors) for name in SESSION_FILTERS}
        check_range(
            errors, "startTimeFrom", bounds["startTimeFrom"], "startTimeTo", bounds["startTimeTo"]
        )
        check_range(errors, "endTimeFrom", bounds["endTimeFrom"], "endTimeTo", bounds["endTimeTo"])
        if errors:
            raise invalid(request, errors)
        return [
            s
            for s in self.world.sessions_of(user_id)
            if in_range(s.start, bounds["startTimeFrom"], bounds["startTimeTo"])
            and in_range(s.end, bounds["endTimeFrom"], bounds["endTimeTo"])
        ]

    async def _tenant_sessions(self, request: web.Request) -> web.Response:
        self.check_auth(request, tenant=True)
        errors: Errors = {}
        page = query_page(request, errors)
        sessions = self._filtered_sessions(request, None, errors)
        return json_response(paged(sessions, page, self._render().session))

    async def _user_sessions(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        errors: Errors = {}
        page = query_page(request, errors)
        sessions = self._filtered_sessions(request, user_id, errors)
        return json_response(paged(sessions, page, self._render().session))

    async def _get_session(self, request: web.Request) -> web.Response:
        return json_response(self._render().session(self._session(request)))

    async def _session_tariffs(self, request: web.Request) -> web.Response:
        return json_response(self._render().session_tariffs(self._session(request)))

    async def _active_settings(self, request: web.Request) -> web.Response:
        session = self._session(request)
        if not session.active:
            raise problem(404, "Not Found", "The session is not active.", request.path)
        return json_response(self._render().session_settings(session))

    async def _update_settings(self, request: web.Request) -> web.Response:
        """Change a running session: how full and by when, or the typed boost setting.

        The typed setting is ``{"type": "boostCharging", "enabled": bool}`` as
        docs/prevent-the-creation-of-smart-sessions shows it; any other ``type`` is 400.
        """
        session = self._session(request)
        body = await self._body(request)
        if not session.active:
            raise problem(400, "Bad Request", "The session is not active.", request.path)
        vehicle = self.world.vehicles.get(session.vehicle_id)
        if "type" in body:
            session.boost = self._boost(request, body, vehicle)
        else:
            self._plan(request, body, vehicle, session)
        session.settings_updated_at = self.world.now()
        self.world.reprice(session)
        return json_response(self._render().session_settings(session))

    @staticmethod
    def _boost(request: web.Request, body: dict[str, Any], vehicle: Vehicle | None) -> bool:
        errors: Errors = {}
        if body["type"] != "boostCharging":
            errors["type"] = ["Unknown session setting type."]
        elif not isinstance(body.get("enabled"), bool):
            errors["enabled"] = ["Give true or false."]
        elif set(body) != {"type", "enabled"}:
            errors["body"] = ["boostCharging takes only type and enabled."]
        elif vehicle is None or not vehicle.has("StartStopCharging"):
            errors["type"] = ["Jedlix cannot start and stop this vehicle's charging."]
        if errors:
            raise invalid(request, errors)
        return bool(body["enabled"])

    def _plan(
        self,
        request: web.Request,
        body: dict[str, Any],
        vehicle: Vehicle | None,
        session: Session,
    ) -> None:
        errors: Errors = {}
        unknown = set(body) - {"desiredStateOfCharge", "departureTime"}
        if unknown:
            errors["body"] = [f"Unknown field {name}." for name in sorted(unknown)]
        desired = self._desired_soc(body, vehicle, errors)
        departure = self._departure(body, vehicle, errors)
        if desired is None and departure is None and not errors:
            errors["body"] = ["Give desiredStateOfCharge, departureTime or both."]
        if errors:
            raise invalid(request, errors)
        if desired is not None:
            session.desired_soc = desired
        if departure is not None:
            session.departure = departure

    async def _body(self, request: web.Request) -> dict[str, Any]:
        """The JSON object of the request; an empty body counts as ``{}``."""
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise invalid(request, {"body": ["The body is not valid JSON."]}) from None
        if not isinstance(body, dict):
            raise invalid(request, {"body": ["The body must be a JSON object."]})
        return body

    @staticmethod
    def _desired_soc(body: dict[str, Any], vehicle: Vehicle | None, errors: Errors) -> int | None:
        value = body.get("desiredStateOfCharge")
        if value is None:
            return None
        if vehicle is None or not vehicle.has("DesiredStateOfCharge"):
            errors["desiredStateOfCharge"] = ["The vehicle cannot take a desired state of charge."]
        elif not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
            errors["desiredStateOfCharge"] = ["Give a whole percentage from 1 to 100."]
        else:
            return value
        return None

    def _departure(
        self, body: dict[str, Any], vehicle: Vehicle | None, errors: Errors
    ) -> datetime | None:
        value = body.get("departureTime")
        if value is None:
            return None
        parsed = parse_time_text(value) if isinstance(value, str) else None
        if vehicle is None or not vehicle.has("DepartureTimes"):
            errors["departureTime"] = ["The vehicle cannot take a departure time."]
        elif parsed is None:
            errors["departureTime"] = ["Give an ISO 8601 date-time in UTC."]
        elif parsed <= self.world.now():
            errors["departureTime"] = ["The departure time must be in the future."]
        else:
            return parsed
        return None

    # --- tariffs ----------------------------------------------------------------------------------

    async def _get_tariffs(self, request: web.Request) -> web.Response:
        location = self._location(request)
        if location.tariffs is None:
            raise not_found(request, "Tariff settings of this charging location")
        return json_response(self._render().tariffs(location))

    async def _write_tariffs(self, request: web.Request, create: bool) -> web.Response:
        """POST creates (409 when there are settings), PUT replaces (404 when none)."""
        location = self._location(request)
        body = await self._body(request)
        if create and location.tariffs is not None:
            raise problem(409, "Conflict", "Tariff settings exist; use PUT.", request.path)
        if not create and location.tariffs is None:
            raise not_found(request, "Tariff settings of this charging location (use POST)")
        settings, errors = parse_settings(body, self.world.now())
        if settings is None:
            raise invalid(request, errors, "The tariff settings are not valid.")
        location.tariffs = settings
        location.updated_at = self.world.now()
        return json_response(self._render().tariffs(location))

    async def _put_tariffs(self, request: web.Request) -> web.Response:
        return await self._write_tariffs(request, create=False)

    async def _post_tariffs(self, request: web.Request) -> web.Response:
        return await self._write_tariffs(request, create=True)

    def _window(
        self, request: web.Request, default: tuple[datetime, datetime] | None
    ) -> tuple[datetime, datetime]:
        """``startTime``/``endTime`` of the query: required unless a default is given."""
        errors: Errors = {}
        names = ("startTime", "endTime")
        given = {name: query_time(request, name, errors) for name in names}
        fallback = dict(zip(names, default, strict=True)) if default else {}
        for name in names:
            if given[name] is None and name not in errors:
                if name in fallback:
                    given[name] = fallback[name]
                else:
                    errors[name] = [f"The {name} field is required."]
        start, end = given["startTime"], given["endTime"]
        if start is not None and end is not None:
            if end <= start:
                errors["endTime"] = ["The endTime must be after the startTime."]
            elif end - start > MAX_SPAN:
                errors["endTime"] = ["The interval may be at most 7 days."]
        if errors or start is None or end is None:
            raise invalid(request, errors)
        return start, end

    def _today_and_tomorrow(self, location: Location) -> tuple[datetime, datetime]:
        zone = ZoneInfo(location.time_zone)
        today = self.world.now().astimezone(zone).date()
        start = datetime.combine(today, datetime.min.time(), zone)
        end = datetime.combine(today + timedelta(days=2), datetime.min.time(), zone)
        return start, end

    async def _dynamic_tariffs(self, request: web.Request) -> web.Response:
        """Hourly day-ahead prices; by default the location's today and tomorrow."""
        location = self._location(request)
        start, end = self._window(request, self._today_and_tomorrow(location))
        return json_response(self._render().dynamic_tariffs(location, start, end))

    async def _solar_energy(self, request: web.Request) -> web.Response:
        location = self._location(request)
        start, end = self._window(request, None)
        return json_response(self._render().solar_energy(location, start, end))

    async def _financials(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        sessions = self._filtered_sessions(request, user_id, {})
        return json_response(self._render().financials(user_id, sessions))

    # --- utility contracts ------------------------------------------------------------------------

    def _contract_body(self, request: web.Request, body: dict[str, Any]) -> tuple[str, str]:
        errors: Errors = {}
        values = []
        for name in ("utilityName", "contractNumber"):
            value = body.get(name)
            if not isinstance(value, str) or not value.strip():
                errors[name] = [f"The {name} field is required."]
            values.append(str(value).strip())
        if errors:
            raise invalid(request, errors)
        return values[0], values[1]

    async def _write_contract(self, request: web.Request, create: bool) -> web.Response:
        """Store a valid contract and clear the messages asking the user to fix it."""
        location = self._location(request)
        body = await self._body(request)
        if create and location.contract is not None:
            raise problem(409, "Conflict", "A utility contract exists; use PUT.", request.path)
        if not create and location.contract is None:
            raise not_found(request, "A utility contract of this charging location (use POST)")
        name, number = self._contract_body(request, body)
        now = self.world.now()
        created = location.contract.created_at if location.contract else now
        location.contract = UtilityContract(name, number, True, created, now)
        for message in self.world.messages.values():
            if (
                message.location_id == location.id
                and message.type in ("InvalidUtilityContract", "ReconnectUtilityContract")
                and message.dismissed_at is None
            ):
                message.dismissed_at = now
        return json_response(contract_json(location, location.contract))

    async def _put_contract(self, request: web.Request) -> web.Response:
        return await self._write_contract(request, create=False)

    async def _post_contract(self, request: web.Request) -> web.Response:
        return await self._write_contract(request, create=True)

    async def _delete_contract(self, request: web.Request) -> web.Response:
        location = self._location(request)
        if location.contract is None:
            raise not_found(request, "A utility contract of this charging location")
        location.contract = None
        return web.Response(status=204)

    # --- messages ---------------------------------------------------------------------------------

    async def _messages(self, request: web.Request) -> web.Response:
        """Paged, newest first; ``includeDismissed`` defaults to true."""
        user_id = self._user_id(request)
        errors: Errors = {}
        page = query_page(request, errors)
        include = query_bool(request, "includeDismissed", True, errors)
        if errors:
            raise invalid(request, errors)
        messages = self.world.messages_of(user_id, include)
        return json_response(paged(messages, page, self._render().message))

    async def _get_message(self, request: web.Request) -> web.Response:
        return json_response(self._render().message(self._message(request)))

    async def _dismiss_message(self, request: web.Request) -> web.Response:
        """Dismiss (idempotent); a body, if any, may only say ``isDismissed: true``."""
        message = self._message(request)
        body = await self._body(request)
        if body.get("isDismissed", True) is not True or set(body) - {"isDismissed"}:
            raise invalid(request, {"isDismissed": ["A message can only be dismissed."]})
        if message.dismissed_at is None:
            message.dismissed_at = self.world.now()
        return json_response(self._render().message(message))

    # --- catalogue --------------------------------------------------------------------------------

    async def _car_models(self, request: web.Request) -> web.Response:
        self.check_auth(request)
        extra = [UNSEEN["capability"]] if "capability" in self.world.unseen else []
        return json_response(
            [
                {"brand": b, "model": m, "version": v, "capabilities": [*caps, *extra]}
                for b, m, v, caps in SUPPORTED_CAR_MODELS
            ]
        )
