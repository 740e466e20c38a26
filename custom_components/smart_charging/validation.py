"""The checks every action's input passes before anything is sent.

Each validator is built for one field and used in an action's schema. What it refuses
raises a translated ServiceValidationError naming the field (``field``, as the action's
YAML names it), so the user learns which value to change and nothing reaches a cloud:

- :func:`number`: a finite number within a range; booleans are not numbers, and a
  number too large for a float or for 64 bits is simply out of range;
- :func:`moment` and :func:`period`: a date and time, or a duration, within bounds
  (no date arithmetic can overflow afterwards);
- :func:`text`: bounded text without control characters;
- :func:`identifier`: an id that cannot change the path it is put into;
- :func:`items`: a list with at most so many items.

:class:`ReadBudget` bounds the requests long reads (history, sessions) may spend.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import math
import re
from typing import Any
import unicodedata
from weakref import WeakKeyDictionary

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio

from .clouds.window import RequestWindow
from .helpers import invalid

# A group's limit, in whole kW: the set_group_limit action and the group-limit number.
GROUP_LIMIT_MIN_KW = 1
GROUP_LIMIT_MAX_KW = 100_000
# How long an external group limit may hold.
GROUP_LIMIT_MAX_HOLD = timedelta(days=366)
GROUP_LIMIT_MIN_HOLD = timedelta(minutes=1)
# The longest period one read may cover: a group's limit history (93 days: at most 3
# requests of 31 days on ViriCiti) and a user's sessions (a year: one request per 100
# sessions, a few per car), and how far back either may go.
MAX_HISTORY_SPAN = timedelta(days=93)
MAX_SESSIONS_SPAN = timedelta(days=366)
EARLIEST_READ = timedelta(days=5 * 366)
# Long reads per entry per minute: with 93 days at most 3 pieces of 31 days (ViriCiti),
# 3 reads are at most 9 requests a minute, under a tenth of the ~120 a minute allowed.
# The reads go straight to the client, never through the coordinator's poll.
READS_PER_MINUTE = 3

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_SHOWN = 40

type Refusal = Callable[[str], ServiceValidationError]


def shown(value: object) -> str:
    """A value as an error may show it: short, printable."""
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}…"


def _bound(value: float) -> str:
    return f"{value:g}"


def _out_of_range(
    key: str, field: str, value: object, low: str, high: str
) -> ServiceValidationError:
    """``field`` got ``value``, outside ``low``..``high`` (bounds shown as the kind shows them)."""
    return invalid(key, field=field, value=shown(value), min=low, max=high)


def number(
    field: str,
    minimum: float,
    maximum: float,
    *,
    integer: bool = False,
    low: Refusal | None = None,
) -> Callable[[Any], float]:
    """A finite number from ``minimum`` to ``maximum`` (a whole one if ``integer``).

    ``low`` refuses a value below the range (or not whole) with a field's own message.
    """

    def out_of_range(value: object) -> ServiceValidationError:
        return _out_of_range("input_out_of_range", field, value, _bound(minimum), _bound(maximum))

    def validate(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise invalid("input_not_a_number", field=field, value=shown(value))
        if isinstance(value, int) and not minimum <= value <= maximum:
            # Compared as an integer: one beyond 64 bits is out of range, not an error.
            raise low(shown(value)) if low and value < minimum else out_of_range(value)
        try:
            result = float(value)
        except (ValueError, OverflowError) as err:
            raise invalid("input_not_a_number", field=field, value=shown(value)) from err
        if not math.isfinite(result):
            raise invalid("input_not_a_number", field=field, value=shown(value))
        if result < minimum and low is not None:
            raise low(shown(value))
        if not minimum <= result <= maximum:
            raise out_of_range(value)
        if integer and not result.is_integer():
            if low is not None:
                raise low(shown(value))
            raise invalid("input_not_an_integer", field=field, value=shown(value))
        return result

    return validate


def whole(field: str, minimum: int, maximum: int) -> Callable[[Any], int]:
    """A whole number from ``minimum`` to ``maximum``, as an int."""
    check = number(field, minimum, maximum, integer=True)
    return lambda value: int(check(value))


def moment(field: str, *, past: timedelta, future: timedelta) -> Callable[[Any], datetime]:
    """A date and time, at most ``past`` before now and ``future`` after it (UTC)."""

    def validate(value: Any) -> datetime:
        if isinstance(value, bool) or not isinstance(value, str | datetime):
            raise invalid("input_not_a_time", field=field, value=shown(value))
        try:
            parsed = cv.datetime(value)
        except (probatio.Invalid, ValueError, OverflowError) as err:
            raise invalid("input_not_a_time", field=field, value=shown(value)) from err
        now = dt_util.utcnow()
        earliest, latest = now - past, now + future
        # Compared in UTC after a day's margin so no zone offset can overflow.
        if (
            not earliest.replace(tzinfo=None) - timedelta(days=1)
            <= parsed.replace(tzinfo=None)
            <= latest.replace(tzinfo=None) + timedelta(days=1)
        ):
            raise _time_out_of_range(field, value, earliest, latest)
        aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt_util.get_default_time_zone())
        result = dt_util.as_utc(aware)
        if not earliest <= result <= latest:
            raise _time_out_of_range(field, value, earliest, latest)
        return result

    return validate


def _time_out_of_range(
    field: str, value: object, earliest: datetime, latest: datetime
) -> ServiceValidationError:
    return _out_of_range(
        "input_time_out_of_range",
        field,
        value,
        earliest.isoformat(timespec="minutes"),
        latest.isoformat(timespec="minutes"),
    )


def period(field: str, minimum: timedelta, maximum: timedelta) -> Callable[[Any], timedelta]:
    """A duration from ``minimum`` to ``maximum`` ("HH:MM:SS", seconds or a dict)."""

    def validate(value: Any) -> timedelta:
        if isinstance(value, bool):
            raise invalid("input_not_a_duration", field=field, value=shown(value))
        try:
            result: timedelta = cv.time_period(value)
        except (probatio.Invalid, ValueError, OverflowError, TypeError) as err:
            raise invalid("input_not_a_duration", field=field, value=shown(value)) from err
        if not minimum <= result <= maximum:
            raise _out_of_range(
                "input_duration_out_of_range", field, value, str(minimum), str(maximum)
            )
        return result

    return validate


def text(field: str, maximum: int) -> Callable[[Any], str]:
    """Text of 1 to ``maximum`` characters, none of them a control character."""

    def validate(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise invalid("input_not_text", field=field, value=shown(value))
        result = str(value)
        if not 1 <= len(result) <= maximum:
            raise invalid("input_text_length", field=field, max=str(maximum))
        if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in result):
            raise invalid("input_control_characters", field=field)
        return result

    return validate


def identifier(field: str) -> Callable[[Any], str]:
    """An id: letters, digits, ``-`` and ``_``, at most 128, never a path or escape."""

    def validate(value: Any) -> str:
        if not isinstance(value, str) or _ID.fullmatch(value) is None:
            raise invalid("input_invalid_id", field=field)
        return value

    return validate


def items(field: str, item: Any, maximum: int) -> Callable[[Any], list[Any]]:
    """A list of 1 to ``maximum`` items, each checked by ``item``."""
    schema = probatio.Schema([item])

    def validate(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise invalid("input_not_a_list", field=field)
        if len(value) > maximum:
            raise invalid("input_too_many", field=field, max=str(maximum))
        result: list[Any] = schema(value)
        return result

    return validate


def read_span(start: datetime, end: datetime, longest: timedelta) -> None:
    """A read's period: its start before its end, and at most ``longest``."""
    if start >= end:
        raise invalid("start_after_end")
    if end - start > longest:
        raise invalid("period_too_long", field="start", days=str(longest.days))


class ReadBudget:
    """At most :data:`READS_PER_MINUTE` long reads per entry, whatever the caller.

    A read is counted before it is sent, so an action repeated in a loop is refused
    long before the cloud's own limit; the entry's polling keeps the rest.
    """

    def __init__(self) -> None:
        self._windows: WeakKeyDictionary[object, RequestWindow] = WeakKeyDictionary()

    def spend(self, owner: object) -> None:
        """Count one read for ``owner`` (a coordinator), or refuse it."""
        window = self._windows.setdefault(owner, RequestWindow(60))
        if window.sent() >= READS_PER_MINUTE:
            raise invalid("read_budget_spent", reads=str(READS_PER_MINUTE))
        window.record()


READ_BUDGET = ReadBudget()
