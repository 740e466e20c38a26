"""The HTTP core every cloud client is built on.

It speaks JSON over Home Assistant's shared aiohttp session, maps every failure to one
typed error from :mod:`.errors`, honours ``Retry-After`` and never logs credentials:
only the method, the path (never the query, which may hold an API key; personal ids in
the path masked) and the status. It never follows a redirect: the credentials it sends
are for the cloud's own address, so an answer that points elsewhere is an error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping
from email.utils import parsedate_to_datetime
import json
import logging
import time
from typing import Any
from urllib.parse import quote

import aiohttp

from .errors import (
    AuthError,
    CloudConnectionError,
    CloudTimeoutError,
    ForbiddenError,
    InvalidIdError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RejectedError,
    ServerError,
    ValidationError,
)
from .parse import as_object, is_id
from .window import RequestWindow

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0
# Never wait longer than this for a cloud that asks us to back off, whatever it says.
MAX_RETRY_AFTER = 3600.0

HeadersFactory = Callable[[], Awaitable[Mapping[str, str]]]


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except TypeError, ValueError:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def error_message(body: Any) -> str:
    """The human message in a cloud's error body, whichever format it uses."""
    if isinstance(body, dict):
        for key in ("message", "detail", "title", "error", "errorMessage"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    return ""


def field_errors(body: Any) -> dict[str, list[str]]:
    """Per-field messages of a 400/422 body (AMPECO and RFC 7807 both use ``errors``)."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return {}
    result: dict[str, list[str]] = {}
    for field, messages in errors.items():
        if isinstance(messages, list):
            result[str(field)] = [str(message) for message in messages]
        else:
            result[str(field)] = [str(messages)]
    return result


def segment(value: str | int) -> str:
    """``value`` as one path segment, or an :class:`InvalidIdError` if it is not an id.

    Every client puts ids (its own, a user's, a cloud's) into paths through this, so an
    id like ``..`` or ``a/b`` can never reach another resource.
    """
    text = str(value)
    if not is_id(text):
        raise InvalidIdError(f"not an id: {text[:40]!r}")
    return quote(text, safe="")


def decode_json(raw: bytes, required: bool, what: str) -> Any:
    """The JSON in ``raw`` (None when empty).

    JSON is UTF-8 (RFC 8259); bytes that are not, text that is not JSON, and JSON nested
    deeper than Python can read are an :class:`InvalidResponseError` where an answer is
    ``required`` (a success), and no body at all in an error answer.
    """
    try:
        text = raw.decode("utf-8-sig")
        if not text.strip():
            return None
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        if required:
            raise InvalidResponseError(f"{what} answered with something that is not JSON") from err
        return None


class HttpCore:
    """Send JSON requests to one cloud and turn every failure into a typed error."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        headers: HeadersFactory | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        window: RequestWindow | None = None,
        private: Collection[str] = (),
    ) -> None:
        self._session = session
        # Counts what is sent, for clouds that limit requests per period.
        self.window = window
        self.base_url = base_url.rstrip("/")
        self._headers = headers
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # Monotonic time before which this cloud asked us not to call again.
        self.blocked_until = 0.0
        # Parts of paths that identify a person (a user id): masked wherever a path is
        # logged or named in an error.
        self._private = tuple(value for value in private if value)

    def hold_off(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (a Retry-After); a longer wait asked for earlier stays."""
        self.blocked_until = max(self.blocked_until, time.monotonic() + seconds)

    def raise_if_held(self) -> None:
        """Honour an earlier Retry-After without sending anything: :class:`RateLimitedError`."""
        wait = self.blocked_until - time.monotonic()
        if wait > 0:
            raise RateLimitedError(wait)

    def shown(self, path: str) -> str:
        """``path`` as it may be logged: every personal id in it masked."""
        for value in self._private:
            path = path.replace(value, "***")
        return path

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
    ) -> Any:
        """Send one request and return the decoded JSON body (None when empty)."""
        self.raise_if_held()
        all_headers = {"Accept": "application/json"}
        if authenticated and self._headers is not None:
            all_headers.update(await self._headers())
        if headers:
            all_headers.update(headers)
        url = f"{self.base_url}{path}"
        shown = self.shown(path)
        for attempt in (1, 2):
            if self.window is not None:
                self.window.record()
            try:
                async with self._session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers=all_headers,
                    timeout=self._timeout,
                    allow_redirects=False,
                ) as response:
                    raw = await response.read()
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                break
            except TimeoutError as err:
                _LOGGER.debug("%s %s timed out", method, shown)
                raise CloudTimeoutError(f"{method} {shown} timed out") from err
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as err:
                # A kept-alive connection the server had already closed: the request
                # never got an answer, so it is sent once more on a fresh connection.
                if attempt == 1:
                    _LOGGER.debug("%s %s: connection dropped, sending again", method, shown)
                    continue
                raise CloudConnectionError(f"{method} {shown}: {type(err).__name__}") from err
            except aiohttp.ClientError as err:
                _LOGGER.debug("%s %s failed: %s", method, shown, type(err).__name__)
                raise CloudConnectionError(f"{method} {shown}: {type(err).__name__}") from err
        _LOGGER.debug("%s %s -> %s", method, shown, status)
        if 300 <= status < 400:
            raise InvalidResponseError(f"{method} {shown} was redirected; not followed")
        body = decode_json(raw, status < 300, f"{method} {shown}")
        if status < 300:
            return body
        raise self._error(status, body, retry_after)

    async def request_object(
        self, method: str, path: str, what: str, **kwargs: Any
    ) -> dict[str, Any]:
        """Send one request whose answer must be a JSON object (``what`` names it).

        Anything else is an :class:`InvalidResponseError`, as :func:`.parse.as_object`
        says, so a client reads its fields with the tolerant readers and nothing more.
        """
        return as_object(await self.request(method, path, **kwargs), what)

    def _error(self, status: int, body: Any, retry_after: str | None) -> Exception:
        message = error_message(body)
        if status == 401:
            return AuthError(message or "unauthorized")
        if status == 403:
            return ForbiddenError(message or "forbidden")
        if status == 404:
            return NotFoundError(message or "not found")
        if status in (406, 409):
            return RejectedError(message or f"rejected ({status})")
        if status in (400, 422):
            return ValidationError(message or "invalid request", field_errors(body))
        if status == 429:
            seconds = parse_retry_after(retry_after)
            if seconds:
                self.hold_off(seconds)
            return RateLimitedError(seconds)
        if status >= 500:
            return ServerError(status)
        return InvalidResponseError(f"unexpected status {status}")
