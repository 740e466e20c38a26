"""Jedlix v2 wire rules shared by every route: dates, problem details, paging, queries.

The seed fixes these once for the whole API (one date format, one paging pattern, RFC 7807
errors), so they live here and the handlers only call them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import math
from typing import Any

from aiohttp import web

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
VALIDATION_TITLE = "One or more validation errors occurred."

_PROBLEM_TYPES = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
}
_EXCEPTIONS: dict[int, type[web.HTTPException]] = {
    400: web.HTTPBadRequest,
    401: web.HTTPUnauthorized,
    403: web.HTTPForbidden,
    404: web.HTTPNotFound,
    409: web.HTTPConflict,
}

Errors = dict[str, list[str]]


def fmt_time(when: datetime | None) -> str | None:
    """A datetime as the seed's single format, ``yyyy-MM-ddTHH:mm:ss.fffZ`` (UTC, millis)."""
    if when is None:
        return None
    utc = when.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def problem_body(
    status: int, title: str, detail: str, instance: str, errors: Errors | None = None
) -> dict[str, Any]:
    """The RFC 7807 document; ``errors`` is the ASP.NET-style field map of a 400."""
    body: dict[str, Any] = {
        "type": _PROBLEM_TYPES.get(status, "about:blank"),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(
    status: int,
    title: str,
    detail: str = "",
    instance: str = "",
    errors: Errors | None = None,
    *,
    allowed: Sequence[str] = (),
) -> web.HTTPException:
    """An RFC 7807 problem-details error to ``raise`` from a handler."""
    text = json.dumps(problem_body(status, title, detail, instance, errors))
    content_type = "application/problem+json"
    if status == 405:
        return web.HTTPMethodNotAllowed("", allowed, text=text, content_type=content_type)
    return _EXCEPTIONS[status](text=text, content_type=content_type)


def invalid(request: web.Request, errors: Errors, detail: str = "") -> web.HTTPException:
    """A 400 validation problem listing what is wrong with which field."""
    return problem(400, VALIDATION_TITLE, detail or "See errors.", request.path, errors)


def not_found(request: web.Request, what: str) -> web.HTTPException:
    """A 404 problem naming the missing resource."""
    return problem(404, "Not Found", f"{what} was not found.", request.path)


def parse_time_text(text: str) -> datetime | None:
    """An ISO 8601 date-time as aware UTC; a value without offset is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def query_time(request: web.Request, name: str, errors: Errors) -> datetime | None:
    """Query parameter ``name`` as a UTC datetime; an unreadable value is added to errors."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    parsed = parse_time_text(raw)
    if parsed is None:
        errors.setdefault(name, []).append(f"The value '{raw}' is not valid for {name}.")
    return parsed


def query_bool(request: web.Request, name: str, default: bool, errors: Errors) -> bool:
    """Query parameter ``name`` as ``true``/``false`` (any case), as ASP.NET binds it."""
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    errors.setdefault(name, []).append(f"The value '{raw}' is not valid for {name}.")
    return default


def newest_first[T](items: Iterable[T], created: Callable[[T], datetime]) -> list[T]:
    """The seed's order, new to old; of equal times the one added last comes first."""
    ranked = sorted(enumerate(items), key=lambda pair: (created(pair[1]), pair[0]), reverse=True)
    return [item for _, item in ranked]


@dataclass(frozen=True)
class Page:
    """Which page a list request asks for."""

    index: int
    size: int


def _query_int(request: web.Request, name: str, default: int, errors: Errors) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        return int(raw, 10)
    except ValueError:
        errors.setdefault(name, []).append(f"The value '{raw}' is not valid for {name}.")
        return default


def query_page(request: web.Request, errors: Errors) -> Page:
    """``pageIndex`` (from 1) and ``pageSize`` (1..100); v2 refuses more than 100."""
    index = _query_int(request, "pageIndex", 1, errors)
    size = _query_int(request, "pageSize", DEFAULT_PAGE_SIZE, errors)
    if "pageIndex" not in errors and index < 1:
        errors["pageIndex"] = ["The pageIndex must be 1 or more."]
    if "pageSize" not in errors and not 1 <= size <= MAX_PAGE_SIZE:
        errors["pageSize"] = [f"The pageSize must be between 1 and {MAX_PAGE_SIZE}."]
    return Page(index, size)


def paged[T](
    items: Sequence[T], page: Page, render: Callable[[T], dict[str, Any]]
) -> dict[str, Any]:
    """One page of ``items`` (already ordered newest first) in the seed's envelope."""
    start = (page.index - 1) * page.size
    return {
        "pageIndex": page.index,
        "pageSize": page.size,
        "totalPages": math.ceil(len(items) / page.size),
        "totalCount": len(items),
        "items": [render(item) for item in items[start : start + page.size]],
    }


def check_range(
    errors: Errors, low_name: str, low: datetime | None, high_name: str, high: datetime | None
) -> None:
    """A ``from`` after its ``to`` is a validation error, as an empty range is a mistake."""
    if low is not None and high is not None and low > high:
        errors.setdefault(low_name, []).append(f"{low_name} must not be after {high_name}.")


def in_range(value: datetime | None, low: datetime | None, high: datetime | None) -> bool:
    """Whether ``value`` lies in ``[low, high)``; a missing bound does not limit."""
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value < high)
