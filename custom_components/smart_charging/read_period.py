"""What every action that reads a period of a cloud's history shares.

Such an action takes a ``start`` and an optional ``end`` (now when left out), each no
earlier than :data:`EARLIEST_READ` and no later than tomorrow; the period must run
forwards and be no longer than what the action allows. Each action then counts its read
against the entry's ``READ_BUDGET`` once it knows its target.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import ServiceCall
from homeassistant.util import dt as dt_util
import probatio

from .const import ATTR_END, ATTR_START
from .validation import EARLIEST_READ, moment, read_span

_SINCE = {"past": EARLIEST_READ, "future": timedelta(days=1)}

# The fields of a read's period, for an action's schema.
READ_PERIOD_FIELDS: dict[Any, Any] = {
    probatio.Required(ATTR_START): moment(ATTR_START, **_SINCE),
    probatio.Optional(ATTR_END): moment(ATTR_END, **_SINCE),
}


def read_period(call: ServiceCall, longest: timedelta) -> tuple[datetime, datetime]:
    """The period an action asks for, refused when it runs backwards or is too long."""
    start: datetime = call.data[ATTR_START]
    end: datetime = call.data.get(ATTR_END) or dt_util.utcnow()
    read_span(start, end, longest)
    return start, end
