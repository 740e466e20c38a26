"""Fault injection: make the next requests to a cloud fail in a chosen way."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
import json
import math
from typing import Any

from aiohttp import web


@dataclass
class Fault:
    """One injected fault.

    ``path`` is a prefix of the request path it applies to, ``times`` how many requests
    it spoils (None: until cleared). ``kind`` is one of:
    - ``status``: answer ``status`` with ``body`` (JSON) and ``headers``;
    - ``malformed``: answer 200 with a body that is not JSON;
    - ``raw``: answer ``status`` with ``body`` (a string) sent byte for byte as Latin-1,
      so the character U+00FF goes out as the byte 0xFF, which is not UTF-8;
    - ``poison``: serve the request, then give every measurement in its JSON answer (a
      member named like a power, energy, current, limit, battery or price) a value no
      cloud should send: NaN, an infinity, a negative, 1e308 (written as careless
      servers write them), taken in turn from ``body`` if it is a list;
    - ``delay``: wait ``delay`` seconds, then serve the request normally (a timeout
      for a client with a shorter one);
    - ``drop``: close the connection without an answer.
    """

    path: str = "/"
    kind: str = "status"
    status: int = 500
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int | None = 1
    method: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """Build a fault from the admin API's JSON."""
        allowed = set(cls.__dataclass_fields__)
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        fault = cls(**data)
        if fault.kind not in {"status", "malformed", "raw", "poison", "delay", "drop"}:
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        return fault

    def matches(self, request: web.Request) -> bool:
        """Whether this fault applies to the request."""
        if self.method and self.method.upper() != request.method:
            return False
        return request.path.startswith(self.path)


# Members that carry a measurement, by a part of their name (any case).
MEASUREMENTS = ("power", "energy", "current", "limit", "battery", "price", "range")
ABSURD: tuple[float, ...] = (math.nan, math.inf, -math.inf, -400.0, 1e308)


def poisoned(value: Any, absurd: list[float]) -> Any:
    """``value`` with each measurement replaced by the next of ``absurd`` (cycled)."""
    if isinstance(value, list):
        return [poisoned(item, absurd) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if (
            isinstance(item, int | float)
            and not isinstance(item, bool)
            and any(word in key.lower() for word in MEASUREMENTS)
        ):
            result[key] = absurd[0]
            absurd.append(absurd.pop(0))
        else:
            result[key] = poisoned(item, absurd)
    return result


def poison(response: web.StreamResponse, fault: Fault) -> web.StreamResponse:
    """The JSON answer ``response`` with its measurements made absurd (see ``poison``)."""
    if not isinstance(response, web.Response) or response.body is None:
        return response
    try:
        body = json.loads(bytes(response.body))  # type: ignore[arg-type]
    except ValueError:
        return response
    absurd = list(fault.body) if isinstance(fault.body, list) and fault.body else list(ABSURD)
    return web.Response(
        status=response.status,
        text=json.dumps(poisoned(body, absurd), allow_nan=True),
        content_type="application/json",
    )


class FaultInjector:
    """Holds the faults and applies the first one that matches a request."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault."""
        self.faults.append(fault)

    def clear(self) -> None:
        """Forget every fault."""
        self.faults.clear()

    def take(self, request: web.Request) -> Fault | None:
        """Return the fault for this request, counting it down."""
        for fault in self.faults:
            if fault.matches(request):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    @staticmethod
    async def respond(fault: Fault, request: web.Request) -> web.StreamResponse | None:
        """Produce the faulty answer, or None to go on serving normally."""
        if fault.kind in ("delay", "poison"):
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind == "drop":
            transport = request.transport
            if transport is not None:
                transport.close()
            raise asyncio.CancelledError
        if fault.kind == "malformed":
            return web.Response(status=200, text="{not json", content_type="application/json")
        if fault.kind == "raw":
            return web.Response(
                status=fault.status,
                body=str(fault.body).encode("latin-1"),
                headers=fault.headers,
                content_type="application/json",
            )
        text = None if fault.body is None else json.dumps(fault.body)
        return web.Response(
            status=fault.status,
            text=text,
            headers=fault.headers,
            content_type="application/json" if text is not None else None,
        )
