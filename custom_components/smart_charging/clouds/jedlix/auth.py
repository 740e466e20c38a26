"""Management tokens from Jedlix's OAuth2 client-credentials grant.

As developer.jedlix.com/docs/quickstart-guide and docs/management-access-token show it:
``POST https://jedlix-b2e.eu.auth0.com/oauth/token`` with the form ``grant_type=
client_credentials``, ``client_id``, ``client_secret`` and ``audience`` (the environment,
``https://smartcharging.jedlix.com``); the answer's ``access_token`` then goes into the
``Authorization`` header next to the ``ApiKey``. The token is fetched once, renewed a
minute before it expires, and once more when the API refuses it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
import logging
import time
from typing import Final

import aiohttp

from ..errors import (
    AuthError,
    CloudConnectionError,
    CloudTimeoutError,
    InvalidResponseError,
    RateLimitedError,
    ServerError,
)
from ..http import DEFAULT_TIMEOUT, decode_json, parse_retry_after
from ..parse import SECONDS, as_float, as_str

_LOGGER = logging.getLogger(__name__)

# Ask for a new management token this long before the old one expires.
TOKEN_MARGIN: Final = 60.0
# Where the documented grant is sent, and the audience it names (management-access-token).
TOKEN_URL: Final = "https://jedlix-b2e.eu.auth0.com/oauth/token"
AUDIENCE: Final = "https://smartcharging.jedlix.com"


@dataclass
class _Grant:
    token: str
    expires_at: float  # time.monotonic()


class ClientCredentials:
    """A management token for a client id and secret, fetched and renewed as needed."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token_url: str,
        client_id: str,
        secret: str,
        audience: str = AUDIENCE,
    ) -> None:
        self._session = session
        self._token_url = token_url
        self._form = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "audience": audience,
        }
        self._grant: _Grant | None = None
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        """A token that is valid for at least another minute."""
        async with self._lock:
            grant = self._grant
            if grant is None or grant.expires_at - TOKEN_MARGIN < time.monotonic():
                grant = self._grant = await self._fetch()
            return grant.token

    async def forget(self, used: str) -> None:
        """The API refused ``used``: the next call fetches a new one (once, not per caller)."""
        async with self._lock:
            if self._grant is not None and self._grant.token == used:
                self._grant = None

    async def _fetch(self) -> _Grant:
        """POST the client credentials and the audience (a form, as OAuth2 wants)."""
        try:
            async with self._session.post(
                self._token_url,
                data=self._form,
                headers={"Accept": "application/json"},
                timeout=aiohttp.ClientTimeout(total=DEFAULT_TIMEOUT),
                # The client secret is for this address only (see ..http).
                allow_redirects=False,
            ) as response:
                status, retry_after = response.status, response.headers.get("Retry-After")
                raw = await response.read()
        except TimeoutError as err:
            raise CloudTimeoutError("token request timed out") from err
        except aiohttp.ClientError as err:
            raise CloudConnectionError(f"token request: {type(err).__name__}") from err
        _LOGGER.debug("POST token -> %s", status)
        if status in (400, 401, 403):
            raise AuthError("the client credentials were refused")
        if status == 429:
            raise RateLimitedError(parse_retry_after(retry_after))
        if 300 <= status < 400:
            raise InvalidResponseError("the token request was redirected; not followed")
        if status >= 300:
            raise ServerError(status)
        grant = decode_json(raw, False, "the token request")
        if not isinstance(grant, dict):
            raise InvalidResponseError("the token answer is not a JSON object")
        token, lifetime = (
            as_str(grant.get("access_token")),
            as_float(grant.get("expires_in"), SECONDS),
        )
        if token is None:
            raise InvalidResponseError("the token answer had no access_token")
        return _Grant(token, time.monotonic() + (lifetime if lifetime is not None else 3600.0))
