"""Small helpers the simulated clouds share."""

from __future__ import annotations

from typing import Any

from aiohttp import web


def json_error(status: int, body: Any, headers: dict[str, str] | None = None) -> web.HTTPException:
    """An aiohttp HTTP exception carrying a JSON body, to ``raise`` from a handler."""
    cls = web.HTTPException
    for candidate in (
        web.HTTPBadRequest,
        web.HTTPUnauthorized,
        web.HTTPForbidden,
        web.HTTPNotFound,
        web.HTTPNotAcceptable,
        web.HTTPConflict,
        web.HTTPUnprocessableEntity,
        web.HTTPTooManyRequests,
    ):
        if candidate.status_code == status:
            cls = candidate
            break
    return cls(
        text=web.json_response(body).text,
        content_type="application/json",
        headers=headers,
    )


def bearer(request: web.Request) -> str | None:
    """The bearer token of the request, if it has one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def json_body(request: web.Request, error: Any) -> Any:
    """The request's JSON body; ``error`` is the 400 body when it is not JSON."""
    try:
        return await request.json()
    except ValueError as err:
        raise json_error(400, error) from err
