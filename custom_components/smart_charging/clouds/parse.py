"""Tolerant readers for cloud JSON: a wrong type becomes None, never an exception."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .errors import InvalidResponseError
from .models import note_unknown


def as_float(value: Any) -> float | None:
    """A number, or None for anything else (booleans included)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def as_int(value: Any) -> int | None:
    """A whole number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_bool(value: Any) -> bool | None:
    """A boolean, or None."""
    return value if isinstance(value, bool) else None


def as_str(value: Any) -> str | None:
    """A non-empty string (numbers are written out), or None."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def mapped[M](table: Mapping[Any, M], value: Any, kind: str, unknown: M) -> M:
    """What a cloud's code or name stands for in ``table``; ``unknown`` for a new one.

    Clouds add values over time: one we have no name for is noted once and shown as
    unknown, never an exception (nor is a value of the wrong type, a list say).
    """
    try:
        return table[value]
    except KeyError, TypeError:
        note_unknown(kind, value)
        return unknown


def as_datetime(value: Any) -> datetime | None:
    """An aware datetime from ISO 8601, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def as_object(value: Any, what: str) -> dict[str, Any]:
    """A JSON object, or an InvalidResponseError naming what was expected."""
    if not isinstance(value, dict):
        raise InvalidResponseError(f"{what} is not an object")
    return value


def as_list(value: Any, what: str) -> list[Any]:
    """A JSON list, or an InvalidResponseError naming what was expected."""
    if not isinstance(value, list):
        raise InvalidResponseError(f"{what} is not a list")
    return value


def as_utc(value: Any) -> datetime | None:
    """An aware datetime in UTC, or None for anything unreadable."""
    parsed = as_datetime(value)
    return parsed.astimezone(UTC) if parsed is not None else None


def as_id(value: Any) -> str | None:
    """An id as text, whether the cloud sent a number or a string."""
    number = as_int(value)
    return str(number) if number is not None else as_str(value)


def object_or_none(value: Any) -> dict[str, Any] | None:
    """A JSON object, or None for anything else."""
    return value if isinstance(value, dict) else None


def object_or_empty(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (PHP writes ``{}`` as ``[]``)."""
    return value if isinstance(value, dict) else {}


def as_objects(items: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list; anything else in it (or instead of it) is skipped."""
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]
