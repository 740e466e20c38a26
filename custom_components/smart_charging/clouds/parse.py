"""Tolerant readers for cloud JSON: a wrong type becomes None, never an exception."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
import logging
import math
import re
from typing import Any, Final

from .errors import InvalidResponseError
from .models import note_unknown

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Plausible:
    """The values a quantity can physically take; anything outside is a broken answer."""

    name: str
    low: float
    high: float


# The ranges every client reads its quantities with (issue 14). Wide enough for any
# real charger, depot or car, narrow enough that a broken answer is never shown.
POWER_KW: Final = Plausible("power (kW)", 0.0, 10_000.0)  # a depot's grid connection
POWER_W: Final = Plausible("power (W)", 0.0, 10_000_000.0)
CURRENT_A: Final = Plausible("current (A)", 0.0, 2_000.0)
SESSION_KWH: Final = Plausible("session energy (kWh)", 0.0, 10_000.0)
SESSION_WH: Final = Plausible("session energy (Wh)", 0.0, 10_000_000.0)
LIFETIME_KWH: Final = Plausible("lifetime energy (kWh)", 0.0, 100_000_000.0)
SOLAR_KWH: Final = Plausible("solar energy (kWh)", 0.0, 100_000.0)
PERCENT: Final = Plausible("percentage", 0.0, 100.0)
RANGE_KM: Final = Plausible("range (km)", 0.0, 5_000.0)
# Per kWh in the location's currency; negative prices are real (a sunny Sunday).
PRICE: Final = Plausible("price per kWh", -1_000.0, 1_000.0)
LATITUDE: Final = Plausible("latitude", -90.0, 90.0)
LONGITUDE: Final = Plausible("longitude", -180.0, 180.0)
SECONDS: Final = Plausible("duration (s)", 0.0, 366 * 86_400.0)
POSITIONS: Final = Plausible("positions", 0.0, 64.0)  # connectors of one charger
PAGE_SIZE: Final = Plausible("page size", 1.0, 1_000.0)
PAGES: Final = Plausible("page count", 0.0, 100_000.0)
ITEMS: Final = Plausible("item count", 0.0, 10_000_000.0)
# Dates outside this window are a broken answer, not a plan: they read as unknown, and
# any duration added to one stays far from datetime's year 9999.
EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
LATEST: Final = datetime(2100, 1, 1, tzinfo=UTC)


def _implausible(what: str, value: object) -> None:
    _LOGGER.debug("Ignoring implausible %s from the cloud: %.80r", what, value)


def as_float(value: Any, plausible: Plausible | None = None) -> float | None:
    """A finite number (within ``plausible`` if given), or None for anything else.

    Booleans, NaN and the infinities are not numbers here; a value outside the
    quantity's plausible range is logged once (debug) and read as unknown.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    if not math.isfinite(number):
        _implausible("number", value)
        return None
    if plausible is not None and not plausible.low <= number <= plausible.high:
        _implausible(plausible.name, value)
        return None
    return number


def as_quantity(value: Any, plausible: Plausible, scale: float = 1.0) -> float | None:
    """A number within its quantity's plausible range, times ``scale`` (W to kW, say)."""
    number = as_float(value, plausible)
    return None if number is None else number * scale


def as_int(value: Any, plausible: Plausible | None = None) -> int | None:
    """A whole number (within ``plausible`` if given), or None."""
    if isinstance(value, bool):
        return None
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if (
        number is not None
        and plausible is not None
        and not plausible.low <= number <= plausible.high
    ):
        _implausible(plausible.name, value)
        return None
    return number


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
    """An aware datetime from ISO 8601 within 2000-2100, or None.

    Year 1 or 9999 (a cloud's "never"), or 2999 (a broken clock), is not a moment we can
    show or plan around: it reads as unknown, like anything unreadable.
    """
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            return None
        in_window = EARLIEST <= parsed < LATEST
    except ValueError, OverflowError:
        return None
    if not in_window:
        _implausible("date", value)
        return None
    return parsed


# The currencies we name a unit after (ISO 4217, those a charging cloud can bill in);
# any other string, however long or odd, gives no unit.
CURRENCIES: Final = frozenset(
    {
        "AED",
        "AUD",
        "BGN",
        "BRL",
        "CAD",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CZK",
        "DKK",
        "EUR",
        "GBP",
        "HKD",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "ISK",
        "JPY",
        "KRW",
        "MXN",
        "MYR",
        "NOK",
        "NZD",
        "PHP",
        "PLN",
        "RON",
        "RSD",
        "SAR",
        "SEK",
        "SGD",
        "THB",
        "TRY",
        "TWD",
        "UAH",
        "USD",
        "ZAR",
    }
)


def as_currency(value: Any) -> str | None:
    """An ISO 4217 code from our table (any case), or None."""
    if not isinstance(value, str) or len(value) != 3:
        return None
    code = value.upper()
    if code not in CURRENCIES:
        note_unknown("currency", value)
        return None
    return code


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


# What an id may look like (a serial number, a UUID, a number): it goes into request
# paths, so nothing that could change a path (``/``, ``..``, ``%``, spaces, controls).
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def is_id(value: str) -> bool:
    """Whether ``value`` is safe to use as an id (see :data:`ID_PATTERN`)."""
    return ID_PATTERN.fullmatch(value) is not None


def as_id(value: Any) -> str | None:
    """An id as text (a number is written out), or None for anything that is not an id."""
    number = as_int(value)
    text = str(number) if number is not None else as_str(value)
    return text if text is not None and is_id(text) else None


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


class Fields:
    """The fields of one answer object, each read with the tolerant readers above.

    ``fields.number("range", RANGE_KM)`` names the object once, where
    ``as_float(body.get("range"), RANGE_KM)`` repeats it for every field; a field that
    is missing or unreadable is None, as with the readers themselves.
    """

    def __init__(self, body: Mapping[str, Any]) -> None:
        """Read from ``body``."""
        self._body = body

    def number(self, key: str, plausible: Plausible) -> float | None:
        """A number within its plausible range (:func:`as_float`)."""
        return as_float(self._body.get(key), plausible)

    def text(self, key: str) -> str | None:
        """A text (:func:`as_str`)."""
        return as_str(self._body.get(key))

    def flag(self, key: str) -> bool | None:
        """A boolean (:func:`as_bool`)."""
        return as_bool(self._body.get(key))

    def id(self, key: str) -> str | None:
        """An id (:func:`as_id`)."""
        return as_id(self._body.get(key))

    def utc(self, key: str) -> datetime | None:
        """A moment in UTC (:func:`as_utc`)."""
        return as_utc(self._body.get(key))
