"""Client for the Jedlix Smart Charging API, version 2 (seed 002; docs/references.md).

Every call sends a bearer token (the user's, or a management token from the OAuth2
client-credentials grant) and the tenant's ``ApiKey``. Paged lists are read in pages of
100, the most v2 allows. Enums are PascalCase strings that may gain values (seed 002):
each is read into a ``StrEnum`` whose ``UNKNOWN`` takes what is new; odd fields become
``None``; only an answer of the wrong shape is an :class:`InvalidResponseError`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta
import logging
from typing import Any, Final
from urllib.parse import urlsplit

import aiohttp

from ..base import Account, CloudClient, hashed_id
from ..errors import (
    AuthError,
    InvalidResponseError,
    NotFoundError,
)
from ..http import HttpCore, segment
from ..models import ChargingLocation, PricePoint, SolarEnergyPoint, Vehicle, VehicleState
from ..parse import as_list, as_object, as_objects
from .auth import AUDIENCE, TOKEN_URL, ClientCredentials
from .models import (
    JedlixCharger,
    JedlixChargerState,
    Message,
    Session,
    Tariff,
    TariffInterval,
    TariffSettings,
)
from .paging import add_unseen, page_plan
from .parse import (
    Parser,
    fmt_time,
    one,
    parse_charger,
    parse_charger_state,
    parse_location,
    parse_message,
    parse_price_point,
    parse_session,
    parse_solar_point,
    parse_tariff_settings,
    parse_vehicle,
    parse_vehicle_state,
    parsed,
)
from .session_settings import SessionSettingsCalls
from .tariffs import tariff_body, validate_tariffs

_LOGGER = logging.getLogger(__name__)

API: Final = "/api/v2"
# v2 answers 400 to a larger page (seed 002, "Paging").
PAGE_SIZE: Final = 100
# Dynamic tariffs and solar energy answer at most this long a window per request.
MAX_WINDOW: Final = timedelta(days=7)
# A cloud that reports no page count is still not followed for ever.
_MAX_PAGES: Final = 1000


def _windows(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """``[start, end)`` cut into back-to-back pieces the API answers in one request."""
    pieces = []
    while start < end:
        pieces.append((start, min(start + MAX_WINDOW, end)))
        start += MAX_WINDOW
    return pieces


class JedlixClient(SessionSettingsCalls, CloudClient):
    """One Jedlix user, with a user ``token`` or a client id and secret (management)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        api_key: str,
        user_id: str,
        token: str | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        token_url: str = TOKEN_URL,
        audience: str = AUDIENCE,
    ) -> None:
        if token is None and not (client_id and client_secret):
            raise ValueError("give a token, or a client id and secret")
        super().__init__(
            HttpCore(session, base_url, headers=self._auth_headers, private=(user_id,))
        )
        self.user_id = user_id
        self._api_key = api_key
        self._token = token
        self._credentials = (
            ClientCredentials(
                session,
                token_url,
                client_id or "",
                client_secret or "",
                audience,
            )
            if token is None
            else None
        )

    # --- authentication ---------------------------------------------------------------------

    async def _auth_headers(self) -> dict[str, str]:
        token = self._token if self._credentials is None else await self._credentials.token()
        return {"Authorization": f"Bearer {token}", "ApiKey": self._api_key}

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One API call; a refused management token is renewed once."""
        if self._credentials is None:
            return await self.http.request(method, path, **kwargs)
        used = await self._credentials.token()
        try:
            return await self.http.request(method, path, **kwargs)
        except AuthError:
            await self._credentials.forget(used)
            return await self.http.request(method, path, **kwargs)

    # --- paths and pages --------------------------------------------------------------------

    @property
    def _user(self) -> str:
        return f"{API}/users/{segment(self.user_id)}"

    def _location(self, location_id: str) -> str:
        return f"{self._user}/charging-locations/{segment(location_id)}"

    async def _pages(
        self,
        path: str,
        what: str,
        params: Mapping[str, str] | None = None,
        enough: Callable[[list[dict[str, Any]]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Every item of a paged list, in pages of 100: ``ceil(total / 100)`` requests.

        ``enough`` can end the reading early (see :meth:`_rest_of_pages`).
        """
        query = {**(params or {}), "pageSize": str(PAGE_SIZE)}
        first = await self._request("GET", path, params=query | {"pageIndex": "1"})
        return await self._rest_of_pages(path, what, query, as_object(first, what), enough)

    async def _rest_of_pages(
        self,
        path: str,
        what: str,
        query: dict[str, str],
        first: dict[str, Any],
        enough: Callable[[list[dict[str, Any]]], bool] | None = None,
    ) -> list[dict[str, Any]]:
        """Follow the pages after ``first``; an item a shifting list shows twice is kept once.

        The page count comes from the first page; a short page, or ``enough``, ends early.
        """
        size, total_pages = page_plan(first, PAGE_SIZE, _MAX_PAGES)
        items: list[dict[str, Any]] = []
        seen: set[str] = set()
        page, index = first, 1
        while True:
            page_items = as_objects(as_list(page.get("items"), f"{what} items"))
            add_unseen(items, seen, page_items)
            index += 1
            if index > total_pages or len(page_items) < size:
                return items
            if enough is not None and enough(items):
                return items
            body = await self._request(
                "GET", path, params=query | {"pageSize": str(size), "pageIndex": str(index)}
            )
            page = as_object(body, what)

    async def _list(self, path: str, what: str) -> list[dict[str, Any]]:
        """A list v2 sends as an array, or as pages should a tenant send those."""
        body = await self._request("GET", path)
        if isinstance(body, list):
            return as_objects(body)
        if isinstance(body, dict) and isinstance(body.get("items"), list):
            return await self._rest_of_pages(path, what, {}, body)
        raise InvalidResponseError(f"{what} is not a list")

    async def _object(self, path: str, what: str, **kwargs: Any) -> dict[str, Any]:
        return as_object(await self._request("GET", path, **kwargs), what)

    # --- reading ----------------------------------------------------------------------------

    async def async_identify(self) -> Account:
        """Read the user."""
        await self._object(self._user, "the user")
        host = urlsplit(self.http.base_url).netloc
        return Account(unique_id=hashed_id("jedlix", host, self.user_id), title=f"Jedlix {host}")

    async def async_vehicles(self) -> list[Vehicle]:
        """The user's cars with their state (one request)."""
        items = await self._list(f"{self._user}/vehicles", "vehicles")
        return parsed(items, parse_vehicle)

    async def async_vehicle(self, vehicle_id: str) -> Vehicle:
        """One car with its state."""
        body = await self._request("GET", f"{self._user}/vehicles/{segment(vehicle_id)}")
        return one(body, "vehicle", parse_vehicle)

    async def async_vehicle_state(self, vehicle_id: str) -> VehicleState:
        """Just a car's battery and charge state."""
        path = f"{self._user}/vehicles/{segment(vehicle_id)}/state"
        return parse_vehicle_state(await self._object(path, "vehicle state"))

    async def async_chargers(self) -> list[JedlixCharger]:
        """Every charger of the user with its state (one request)."""
        return parsed(await self._list(f"{self._user}/chargers", "chargers"), parse_charger)

    async def async_location_chargers(self, location_id: str) -> list[JedlixCharger]:
        """The chargers of one charging location with their state (one request)."""
        items = await self._list(f"{self._location(location_id)}/chargers", "chargers")
        return parsed(items, parse_charger)

    async def async_charger_state(self, location_id: str, charger_id: str) -> JedlixChargerState:
        """Just a charger's charge state and power."""
        path = f"{self._location(location_id)}/chargers/{segment(charger_id)}/state"
        return parse_charger_state(await self._object(path, "charger state"))

    async def async_charging_locations(self) -> list[ChargingLocation]:
        """The user's charging locations (one request)."""
        items = await self._list(f"{self._user}/charging-locations", "charging locations")
        return parsed(items, parse_location)

    async def async_last_session(self, vehicle_id: str) -> Session | None:
        """The car's latest session (the active one while it is plugged in); None if none."""
        path = f"{self._user}/vehicles/{segment(vehicle_id)}/sessions/last"
        try:
            body = await self._object(path, "session")
        except NotFoundError:
            return None
        return parse_session(body)

    async def async_latest_sessions(self, vehicle_ids: Collection[str]) -> dict[str, Session]:
        """Each car's latest session; pages are read until every car has one."""
        wanted = set(vehicle_ids)
        latest: dict[str, Session] = {}
        looked_at = 0

        def every_car_found(items: list[dict[str, Any]]) -> bool:
            nonlocal looked_at
            for item in items[looked_at:]:
                session = parse_session(item)
                vehicle = session.vehicle_id if session else None
                if session and vehicle in wanted and vehicle not in latest:
                    latest[vehicle] = session
            looked_at = len(items)
            return latest.keys() >= wanted

        # The last page read is not offered to ``every_car_found``: look at it here.
        every_car_found(
            await self._pages(f"{self._user}/sessions", "sessions", enough=every_car_found)
        )
        return latest

    async def async_session(self, session_id: str) -> Session:
        """One session."""
        body = await self._request("GET", f"{self._user}/sessions/{segment(session_id)}")
        return one(body, "session", parse_session)

    async def async_sessions(
        self,
        *,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
        end_from: datetime | None = None,
        end_to: datetime | None = None,
    ) -> list[Session]:
        """The user's sessions, newest first, every page (ranges are ``[from, to)``).

        A session still running has no end, so an end bound leaves it out.
        """
        bounds = {
            "startTimeFrom": start_from,
            "startTimeTo": start_to,
            "endTimeFrom": end_from,
            "endTimeTo": end_to,
        }
        params = {name: fmt_time(when) for name, when in bounds.items() if when is not None}
        items = await self._pages(f"{self._user}/sessions", "sessions", params)
        return parsed(items, parse_session)

    async def async_tariffs(self, location_id: str) -> TariffSettings | None:
        """A location's tariffs and weekly plan; None when it has none yet."""
        try:
            body = await self._object(f"{self._location(location_id)}/tariffs", "tariffs")
        except NotFoundError:
            return None
        return parse_tariff_settings(body)

    async def async_dynamic_tariffs(
        self, location_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[PricePoint]:
        """Hourly prices, oldest first: today and tomorrow, or one request per 7 days."""
        path = f"{self._location(location_id)}/dynamic-tariffs"
        if start is None or end is None:
            items = await self._list(path, "dynamic tariffs")
            return parsed(items, parse_price_point)
        return await self._windowed(path, "dynamic tariffs", start, end, parse_price_point)

    async def async_solar_energy(
        self, location_id: str, start: datetime, end: datetime
    ) -> list[SolarEnergyPoint]:
        """Solar energy per hour in ``[start, end)``: one request per 7 days."""
        path = f"{self._location(location_id)}/solar-energy"
        return await self._windowed(path, "solar energy", start, end, parse_solar_point)

    async def _windowed[T](
        self, path: str, what: str, start: datetime, end: datetime, parse: Parser[T]
    ) -> list[T]:
        found: list[T] = []
        for low, high in _windows(start, end):
            body = await self._request(
                "GET", path, params={"startTime": fmt_time(low), "endTime": fmt_time(high)}
            )
            found += parsed(as_objects(as_list(body, what)), parse)
        return found

    async def async_messages(self, *, include_dismissed: bool = False) -> list[Message]:
        """The user's messages, newest first, every page; dismissed ones only if asked."""
        params = {"includeDismissed": "true" if include_dismissed else "false"}
        items = await self._pages(f"{self._user}/messages", "messages", params)
        return parsed(items, parse_message)

    async def async_message(self, message_id: str) -> Message:
        """One message."""
        body = await self._request("GET", f"{self._user}/messages/{segment(message_id)}")
        return one(body, "message", parse_message)

    # --- writing ----------------------------------------------------------------------------

    async def async_set_tariffs(
        self,
        location_id: str,
        tariffs: Sequence[Tariff],
        intervals: Sequence[TariffInterval],
        *,
        off_peak_charging_only: bool = False,
        holiday_intervals: Sequence[TariffInterval] | None = None,
    ) -> TariffSettings:
        """Replace a location's tariffs (PUT), or create them where it has none (POST).

        The body of "Create tariff settings v2" (:func:`tariff_body`), validated first
        so nothing is sent on a mistake. PUT answers 404 where there are no settings,
        then POST creates them. Returns what the cloud stored.
        """
        options: dict[str, Any] = {"off_peak_charging_only": off_peak_charging_only}
        options["holiday_intervals"] = holiday_intervals
        validate_tariffs(tariffs, intervals, **options)
        path = f"{self._location(location_id)}/tariffs"
        body = tariff_body(tariffs, intervals, **options)
        try:
            answer = await self._request("PUT", path, json_body=body)
        except NotFoundError:
            answer = await self._request("POST", path, json_body=body)
        return parse_tariff_settings(as_object(answer, "tariffs"))

    async def async_dismiss_message(self, message_id: str) -> Message:
        """Dismiss a message (dismissing twice is fine); returns it as the cloud has it."""
        path = f"{self._user}/messages/{segment(message_id)}"
        body = await self._request("PATCH", path, json_body={"isDismissed": True})
        return one(body, "message", parse_message)
