"""Client for the AMPECO public API (seed 000 and the OpenAPI 3.110.0 subset).

AMPECO is a white-label charge-point cloud: each tenant has its own host and hands out
API tokens. This client reads a tenant's charge points (with their personal smart charging
preferences and the modes they offer, in pages of 100), writes preferences, starts and
stops sessions and reads the sessions that run.

Where the user's guide (seed 000) and the vendor's contract disagree, the client speaks
the contract: a preference write is the bare variant (not the guide's ``{"data":
[variant]}``), energies are spelled ``minTargetChargeKwh``/``maxTargetChargeKwh``/
``targetChargeKwh``, ``solarStableTime`` and ``postCode`` have the contract's types, and
times go out as ``HH:MM`` (the server echoes ``HH:MM:SS``; both are read back).

Every write is checked by :mod:`.preferences` first, so nothing is sent for a mistake the
integration can see itself; what only the cloud can judge comes back as a 422
(:class:`~.errors.ValidationError` with the cloud's field messages).

Answers are read tolerantly: a value of the wrong type becomes None and an enumeration
value we have never seen becomes UNKNOWN (logged once); only an answer whose overall
shape is wrong raises :class:`~.errors.InvalidResponseError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
import logging
from typing import Any, Final

import aiohttp

from ..base import Account, CloudClient, account_host
from ..errors import InvalidResponseError, RejectedError
from ..http import HttpCore, segment
from ..parse import as_bool, as_id, as_int, as_list, as_object, as_str
from .bodies import DISABLE_BODY, schedule_body, solar_body, tariff_body
from .models import AmpecoChargePoint, AmpecoEvse, AmpecoSession, SessionStatus, StartResult
from .parse import (
    data_of,
    next_cursor,
    parse_charge_point,
    parse_evse,
    parse_modes,
    parse_preferences,
    parse_session,
)
from .preferences import (
    AvailableMode,
    DynamicTariffPreferences,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
)
from .validation import validate_dynamic_tariff, validate_schedule, validate_solar

_LOGGER = logging.getLogger(__name__)

API = "/public-api/resources"
CHARGE_POINTS = f"{API}/charge-points/v2.0"
SESSIONS = f"{API}/sessions/v1.0"
ACTIONS = "/public-api/actions/charge-point/v1.0"
# The largest page the API serves; a tenant with 250 charge points is read in 3 requests.
PER_PAGE: Final = 100
# A guard against a cloud whose cursors never end (100 000 items).
MAX_PAGES: Final = 1000
# Relations read with the charge point list, so one poll needs no request per charge point.
INCLUDE: Final = (
    "lastBootNotification",
    "personalSmartChargingPreferences",
    "availablePersonalSmartChargingModes",
)


class AmpecoClient(CloudClient):
    """One AMPECO tenant and API token."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, api_token: str) -> None:
        async def headers() -> dict[str, str]:
            return {"Authorization": f"Bearer {api_token}"}

        super().__init__(HttpCore(session, base_url, headers=headers))

    async def async_identify(self) -> Account:
        """Read the first page of charge points."""
        page = await self.http.request("GET", CHARGE_POINTS, params={"per_page": 1})
        if not isinstance(page, dict) or not isinstance(page.get("data"), list):
            raise InvalidResponseError("charge points are not a list")
        return self.known_account()

    def known_account(self) -> Account:
        """The tenant, named by its host.

        The contract (OpenAPI 3.110.0) calls the host "the tenant identifier"
        (``servers[0].variables.tenantUrl``) and has no endpoint that names the account
        an API token belongs to; tokens are the tenant's, server to server. So the host
        is the unique id: a rotated token is the same entry.
        """
        host = account_host(self.http.base_url)
        return Account(unique_id=f"ampeco:{host}", title=f"AMPECO {host}")

    # --- reading ------------------------------------------------------------------------------

    async def _all_pages(self, path: str, params: Mapping[str, str | int]) -> list[Any]:
        """Every item of a cursor-paged list, in pages of :data:`PER_PAGE`.

        The cursor is sent with our own parameters rather than by following
        ``links.next``, whose URL need not carry the filters and relations we asked for.
        """
        items: list[Any] = []
        seen: set[str] = set()
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            query: dict[str, str | int] = {**params, "per_page": PER_PAGE}
            if cursor is not None:
                query["cursor"] = cursor
            page = await self.http.request_object("GET", path, "page", params=query)
            items.extend(as_list(page.get("data"), "page data"))
            cursor = next_cursor(page)
            if cursor is None:
                return items
            if cursor in seen:
                raise InvalidResponseError(f"{path} repeats a page cursor")
            seen.add(cursor)
        raise InvalidResponseError(f"{path} has more than {MAX_PAGES} pages")

    async def async_charge_points(self) -> list[AmpecoChargePoint]:
        """Every charge point of the tenant, with its preferences and offered modes."""
        include = {f"include[{index}]": name for index, name in enumerate(INCLUDE)}
        items = await self._all_pages(CHARGE_POINTS, include)
        charge_points = []
        for item in items:
            parsed = parse_charge_point(item) if isinstance(item, dict) else None
            if parsed is not None:
                charge_points.append(parsed)
        return charge_points

    async def async_evses(self, cp_id: str) -> list[AmpecoEvse]:
        """The EVSEs of one charge point, with what each reports now."""
        items = await self._all_pages(f"{CHARGE_POINTS}/{segment(cp_id)}/evses", {})
        evses = [parse_evse(item) for item in items if isinstance(item, dict)]
        return [evse for evse in evses if evse is not None]

    async def async_available_modes(self, cp_id: str) -> tuple[AvailableMode, ...]:
        """The personal smart charging modes one charge point offers."""
        path = f"{CHARGE_POINTS}/{segment(cp_id)}/available-personal-smart-charging-modes"
        body = await self.http.request("GET", path)
        return parse_modes(as_list(data_of(body, "available modes"), "available modes"))

    async def async_preferences(self, cp_id: str) -> Preferences:
        """One charge point's personal smart charging preferences."""
        body = await self.http.request("GET", self._preferences_path(cp_id))
        return parse_preferences(as_object(data_of(body, "preferences"), "preferences"))

    async def async_active_sessions(
        self, cp_id: str | None = None, *, started_after: datetime | None = None
    ) -> list[AmpecoSession]:
        """Running sessions: of one charge point, or of the whole tenant in one list.

        ``started_after`` (the contract's ``filter[startedAfter]``) lists only the sessions
        started since then: one page where the whole list would take several.
        """
        params: dict[str, str | int] = {"filter[status]": SessionStatus.ACTIVE.value}
        if cp_id is not None:
            params["filter[chargePointId]"] = str(cp_id)
        if started_after is not None:
            params["filter[startedAfter]"] = started_after.isoformat(timespec="seconds")
        items = await self._all_pages(SESSIONS, params)
        sessions = [parse_session(item) for item in items if isinstance(item, dict)]
        return [session for session in sessions if session is not None]

    async def async_session(self, session_id: str) -> AmpecoSession:
        """One session, by id."""
        body = await self.http.request("GET", f"{SESSIONS}/{segment(session_id)}")
        session = parse_session(as_object(data_of(body, "session"), "session"))
        if session is None:
            raise InvalidResponseError("the session has no id")
        return session

    # --- writing preferences ------------------------------------------------------------------

    @staticmethod
    def _preferences_path(cp_id: str) -> str:
        return f"{CHARGE_POINTS}/{segment(cp_id)}/personal-smart-charging-preferences"

    async def _offered(
        self, cp_id: str, offered: Sequence[AvailableMode] | None
    ) -> Sequence[AvailableMode]:
        """The modes to validate against: the caller's (from the last poll) or fresh ones."""
        if offered is not None:
            return offered
        return await self.async_available_modes(cp_id)

    async def _post_preferences(self, cp_id: str, body: dict[str, Any]) -> Preferences:
        """Send one contract-form variant; the preferences the 201 answer reports."""
        answer = await self.http.request("POST", self._preferences_path(cp_id), json_body=body)
        return parse_preferences(as_object(data_of(answer, "preferences"), "preferences"))

    async def async_set_preferences(
        self,
        cp_id: str,
        prefs: SchedulePreferences | SolarPreferences | DynamicTariffPreferences,
        offered: Sequence[AvailableMode] | None = None,
    ) -> Preferences:
        """Switch to the mode ``prefs`` describes (a schedule, solar, a tariff-driven mode).

        The write is checked first against the modes the charge point offers: a bad one
        is a PreferenceError and nothing is sent.
        """
        modes = await self._offered(cp_id, offered)
        match prefs:
            case SchedulePreferences():
                body = schedule_body(validate_schedule(prefs, modes))
            case SolarPreferences():
                body = solar_body(validate_solar(prefs, modes))
            case DynamicTariffPreferences():
                body = tariff_body(validate_dynamic_tariff(prefs, modes))
        return await self._post_preferences(cp_id, body)

    async def async_write(self, cp_id: str, body: dict[str, Any]) -> Preferences:
        """Send a preference body built earlier (:func:`.bodies.restore_body`) again."""
        return await self._post_preferences(cp_id, dict(body))

    async def async_disable(self, cp_id: str) -> Preferences:
        """Switch personal smart charging off; the cloud keeps the settings for later."""
        return await self._post_preferences(cp_id, dict(DISABLE_BODY))

    # --- sessions -----------------------------------------------------------------------------

    async def async_start(self, cp_id: str, evse: str | int | None = None) -> StartResult:
        """Start a session, on one EVSE (its network id) or wherever a car waits.

        A refusal is a RejectedError with the cloud's message: 406 from the charge point
        (offline, no car, no remote start) or a 202 that says ``success: false``.
        """
        path = f"{ACTIONS}/{segment(cp_id)}/start"
        if evse is not None:
            path = f"{path}/{segment(evse)}"
        body = await self.http.request_object("POST", path, "start answer")
        if as_bool(body.get("success")) is False:
            reason = as_str(body.get("message")) or as_str(body.get("errorCode"))
            raise RejectedError(reason or "the charge point did not start")
        return StartResult(
            authorization_id=as_int(body.get("authorizationId")),
            session_id=as_id(body.get("sessionId")),
        )

    async def async_stop(self, cp_id: str, session_id: str, *, force: bool = False) -> None:
        """Stop a session; ``force`` ends it whatever the charge point answers.

        A refusal (406: offline, not active, no remote stop) is a RejectedError.
        """
        path = f"{ACTIONS}/{segment(cp_id)}/stop/{segment(session_id)}"
        await self.http.request("POST", path, json_body={"force": True} if force else None)
