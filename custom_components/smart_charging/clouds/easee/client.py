"""Client for the Easee cloud (seed 003, ``apis.md``).

Easee signs in with a user name and password and hands out a short-lived access token
and a refresh token that works once. The client keeps the pair fresh: it refreshes
ahead of expiry, signs in again when a refresh fails, and retries a request once when
the cloud says the token is no longer valid, so an expired token never reaches the user.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import time
from typing import Any, Final

import aiohttp

from ..base import Account, CloudClient, hashed_id
from ..errors import AuthError, RejectedError, ValidationError
from ..http import HttpCore, segment
from ..models import ALL_COMMANDS, Charger, ChargerSettings, ChargerState, CommandResult
from ..parse import as_id, as_int, as_list, as_object, as_str
from ..window import RequestWindow
from .models import SiteCharger
from .parse import parse_circuit, parse_settings, parse_state

# Refresh this long before the cloud says the token expires.
TOKEN_MARGIN = 60.0
# Easee's published limit (apis.md): about 500 requests per five minutes per account.
RATE_LIMIT: Final = 500
RATE_WINDOW_SECONDS: Final = 300.0

SETTING_NAMES: Final[dict[str, str]] = {
    "authorization_required": "authorizationRequired",
    "local_pre_authorize": "localPreAuthorizeEnabled",
    "local_authorize_offline": "localAuthorizeOfflineEnabled",
    "allow_offline_unknown_id": "allowOfflineTxForUnknownId",
    "smart_button_enabled": "smartButtonEnabled",
    "smart_charging": "smartCharging",
    "max_current_a": "maxChargerCurrent",
}
# pyeasee 0.8.21 (charger.py, set_dynamic_charger_current): the dynamic charger current
# is a command with a body; 0 minutes keeps it until it is changed again.
SET_DYNAMIC_CURRENT: Final = "set_dynamic_charger_current"

HUB_PATH: Final = "/hubs/chargers"
# Easee's REST API and its hub live on different hosts (pyeasee: ``base``, ``sr_base``);
# any other base URL (the simulator, a proxy) serves the hub under itself.
PUBLIC_HUBS: Final = {"https://api.easee.com": "https://streams.easee.com"}


def hub_url(base_url: str) -> str:
    """The charger hub for an account whose REST API is at ``base_url``."""
    base = base_url.rstrip("/")
    return f"{PUBLIC_HUBS.get(base, base)}{HUB_PATH}"


@dataclass
class _Tokens:
    access: str
    refresh: str
    expires_at: float


class EaseeClient(CloudClient):
    """One Easee account."""

    def __init__(
        self, session: aiohttp.ClientSession, base_url: str, username: str, password: str
    ) -> None:
        self.window = RequestWindow(RATE_WINDOW_SECONDS)
        super().__init__(
            HttpCore(session, base_url, headers=self._auth_headers, window=self.window)
        )
        self._username = username
        self._password = password
        self._tokens: _Tokens | None = None
        self._token_lock = asyncio.Lock()

    # --- tokens -------------------------------------------------------------------------------

    async def _auth_headers(self) -> dict[str, str]:
        tokens = await self._valid_tokens()
        return {"Authorization": f"Bearer {tokens.access}"}

    async def _valid_tokens(self) -> _Tokens:
        async with self._token_lock:
            tokens = self._tokens
            if tokens is None:
                tokens = await self._login()
            elif tokens.expires_at - TOKEN_MARGIN < time.time():
                tokens = await self._refresh(tokens)
            self._tokens = tokens
            return tokens

    async def _login(self) -> _Tokens:
        try:
            body = await self._token_request(
                "/api/accounts/login", {"userName": self._username, "password": self._password}
            )
        except ValidationError as err:
            # Easee answers a wrong password with 400, not 401.
            raise AuthError(err.message) from err
        return self._parse_tokens(body)

    async def _refresh(self, tokens: _Tokens) -> _Tokens:
        try:
            body = await self._token_request(
                "/api/accounts/refresh_token",
                {"accessToken": tokens.access, "refreshToken": tokens.refresh},
            )
        except AuthError, ValidationError:
            # A refresh token works once; when it is refused, sign in again.
            return await self._login()
        return self._parse_tokens(body)

    async def _token_request(self, path: str, body: dict[str, str]) -> Any:
        """The answer of a token endpoint: these are sent without a token of their own."""
        return await self.http.request("POST", path, json_body=body, authenticated=False)

    @staticmethod
    def _parse_tokens(body: Any) -> _Tokens:
        try:
            return _Tokens(
                access=str(body["accessToken"]),
                refresh=str(body["refreshToken"]),
                expires_at=time.time() + float(body["expiresIn"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise AuthError("the sign-in answer had no token") from err

    async def async_stream_token(self, renew: bool = False) -> str:
        """A valid access token for one attempt to connect to the charger stream.

        ``renew``: the hub refused the last one. The attempt (the hub's negotiate) counts
        against Easee's limit like any request, and none is made while an earlier
        Retry-After runs (:class:`RateLimitedError`). Raises :class:`AuthError` when the
        credentials themselves are refused.
        """
        self.http.raise_if_held()
        if renew:
            async with self._token_lock:
                stale = self._tokens
                self._tokens = await (self._refresh(stale) if stale else self._login())
        access = (await self._valid_tokens()).access
        self.window.record()
        return access

    @property
    def hub_url(self) -> str:
        """The charger stream's hub for this account's base URL."""
        return hub_url(self.http.base_url)

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send an authenticated request, renewing the token once if it was refused."""
        try:
            return await self.http.request(method, path, **kwargs)
        except AuthError:
            async with self._token_lock:
                stale = self._tokens
                if stale is not None:
                    self._tokens = await self._refresh(stale)
            return await self.http.request(method, path, **kwargs)

    # --- reading ------------------------------------------------------------------------------

    async def async_identify(self) -> Account:
        """Sign in and read the profile."""
        profile = as_object(await self.request("GET", "/api/accounts/profile"), "profile")
        user_id = as_str(profile.get("userId"))
        return Account(
            unique_id=hashed_id("easee", user_id or self._username.lower()),
            title=f"Easee {self._username}",
        )

    async def async_chargers(self) -> list[Charger]:
        """Every charger of the account (its site and circuit come with its site's state)."""
        chargers = []
        for item in as_list(await self.request("GET", "/api/chargers"), "chargers"):
            charger_id = as_id(item.get("id")) if isinstance(item, dict) else None
            if charger_id is None:
                continue
            chargers.append(
                Charger(
                    id=charger_id,
                    name=as_str(item.get("name")) or charger_id,
                    manufacturer="Easee",
                    model=_model(as_int(item.get("productCode"))),
                )
            )
        return chargers

    async def async_site_ids(self) -> list[str]:
        """The ids of the account's sites."""
        sites = as_list(await self.request("GET", "/api/sites"), "sites")
        return [
            site_id
            for site in sites
            if isinstance(site, dict) and (site_id := as_id(site.get("id"))) is not None
        ]

    async def async_site_state(self, site_id: str) -> dict[str, SiteCharger]:
        """Every charger of a site, its circuit, state and config, in one request."""
        body = as_object(
            await self.request("GET", f"/api/sites/{segment(site_id)}/state"), "site state"
        )
        chargers: dict[str, SiteCharger] = {}
        for item in body.get("circuitStates") or []:
            if not isinstance(item, dict):
                continue
            about = item.get("circuit")
            circuit_id = as_id(about.get("id")) if isinstance(about, dict) else None
            members = [
                entry
                for entry in item.get("chargerStates") or []
                if isinstance(entry, dict) and isinstance(entry.get("chargerState"), dict)
            ]
            circuit = parse_circuit(circuit_id, about, members)
            for entry in members:
                charger_id = as_id(entry.get("chargerID"))
                state, config = entry["chargerState"], entry.get("chargerConfig")
                if charger_id:
                    chargers[charger_id] = SiteCharger(
                        site_id=site_id,
                        circuit_id=circuit_id,
                        state=parse_state(state),
                        settings=parse_settings(config) if isinstance(config, dict) else None,
                        circuit=circuit,
                    )
        return chargers

    async def async_state(self, charger_id: str) -> ChargerState:
        """A charger's full state."""
        body = await self.request("GET", f"/api/chargers/{segment(charger_id)}/state")
        return parse_state(as_object(body, "charger state"))

    async def async_settings(self, charger_id: str) -> ChargerSettings:
        """A charger's access and current settings."""
        body = await self.request("GET", f"/api/chargers/{segment(charger_id)}/config")
        return parse_settings(as_object(body, "charger config"))

    # --- writing ------------------------------------------------------------------------------

    async def async_command(self, charger_id: str, command: str) -> CommandResult:
        """Send a command; the cloud accepts it now and carries it out shortly after."""
        # Easee takes every command there is.
        if command not in ALL_COMMANDS:
            raise ValueError(f"unknown command {command}")
        try:
            body = await self.request(
                "POST", f"/api/chargers/{segment(charger_id)}/commands/{command}"
            )
        except ValidationError as err:
            # A command has no fields to get wrong: a 400 is the charger refusing it
            # (offline, for example).
            raise RejectedError(err.message) from err
        return _command_result(body)

    async def async_set_settings(self, charger_id: str, **changes: Any) -> CommandResult:
        """Change settings, named as in :class:`ChargerSettings` (plus smart_charging).

        The dynamic charger current is a command of its own; the rest is one settings body.
        """
        result = CommandResult(accepted=True, changed=False)
        if (amps := changes.pop("dynamic_current_a", None)) is not None:
            body = await self.request(
                "POST",
                f"/api/chargers/{segment(charger_id)}/commands/{SET_DYNAMIC_CURRENT}",
                json_body={"amps": amps, "minutes": 0},
            )
            result = _command_result(body)
        if changes:
            payload = {SETTING_NAMES[name]: value for name, value in changes.items()}
            body = await self.request(
                "POST", f"/api/chargers/{segment(charger_id)}/settings", json_body=payload
            )
            result = _command_result(body)
        return result


def _command_result(body: Any) -> CommandResult:
    """200 (done, no body) or 202 with ``{device, commandId, ticks}``; ticks 0 is a no-op."""
    if not isinstance(body, dict):
        return CommandResult(accepted=True, changed=True)
    ticks = as_int(body.get("ticks"))
    return CommandResult(
        accepted=True, changed=ticks != 0, command_id=as_str(body.get("commandId"))
    )


def _model(product_code: int | None) -> str | None:
    return {1: "Easee Home", 100: "Easee Home", 2: "Easee Charge", 3: "Easee Charge Core"}.get(
        product_code or -1
    )
