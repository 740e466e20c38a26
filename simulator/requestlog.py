"""A log of every request a cloud received, for tests and benchmarks to count."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class LoggedRequest:
    """What the simulator saw of one request and how it answered."""

    time: datetime
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int

    def as_json(self) -> dict[str, Any]:
        """JSON-friendly form for the admin API."""
        data = asdict(self)
        data["time"] = self.time.isoformat()
        return data


class RequestLog:
    """An append-only list of requests, cleared by tests between steps."""

    def __init__(self) -> None:
        self.entries: list[LoggedRequest] = []

    def add(self, entry: LoggedRequest) -> None:
        """Record one request."""
        self.entries.append(entry)

    def clear(self) -> None:
        """Forget every request."""
        self.entries.clear()

    def matching(self, method: str | None = None, path: str | None = None) -> list[LoggedRequest]:
        """Requests with this method and a path that starts with ``path``."""
        return [
            entry
            for entry in self.entries
            if (method is None or entry.method == method)
            and (path is None or entry.path.startswith(path))
        ]
