"""Personal smart charging preferences, as the user writes them and the cloud reports them.

A charge point owner picks one way of smart charging (a mode) and sets that mode's
values. The same frozen dataclasses describe what the user writes and what the cloud
reports back, so a test (or the user) can compare the two directly. The checks a write
must pass are in :mod:`.validation`. Nothing here speaks a wire format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
import re

from ..errors import WriteRefusedError
from ..models import Weekday


class PreferenceMode(StrEnum):
    """Which smart charging method a charge point follows."""

    USER_CONTROLLED_SCHEDULE = "user_controlled_schedule"
    SOLAR = "solar"
    OCTOPUS_AGILE = "octopus_agile"
    OCTOPUS_GO = "octopus_go"
    ENERGI_ELSPOT = "energi_elspot"
    NORDPOOL = "nordpool"
    DISABLED = "disabled"
    UNKNOWN = "unknown"


# The modes a cloud can name; DISABLED and UNKNOWN are ours, never a cloud's type.
CLOUD_MODES = frozenset(
    {
        PreferenceMode.USER_CONTROLLED_SCHEDULE,
        PreferenceMode.SOLAR,
        PreferenceMode.OCTOPUS_AGILE,
        PreferenceMode.OCTOPUS_GO,
        PreferenceMode.ENERGI_ELSPOT,
        PreferenceMode.NORDPOOL,
    }
)
OCTOPUS_MODES = frozenset({PreferenceMode.OCTOPUS_AGILE, PreferenceMode.OCTOPUS_GO})
DAY_AHEAD_MODES = frozenset({PreferenceMode.NORDPOOL, PreferenceMode.ENERGI_ELSPOT})
TARIFF_MODES = OCTOPUS_MODES | DAY_AHEAD_MODES


class Reason(StrEnum):
    """Why a write was refused before sending; the integration translates each key.

    Placeholders (always strings): see :data:`REASON_PLACEHOLDERS`. Errors about a
    weekday window (field ``weekdays``) add ``window``, the window's 1-based position.
    """

    FIELD_REQUIRED = "field_required"
    NOT_FOR_MODE = "not_for_mode"
    INVALID_TIME = "invalid_time"
    EMPTY_WINDOW = "empty_window"
    NOT_A_NUMBER = "not_a_number"
    NOT_AN_INTEGER = "not_an_integer"
    NOT_POSITIVE = "not_positive"
    NEGATIVE = "negative"
    MIN_ABOVE_MAX = "min_above_max"
    MODE_NOT_OFFERED = "mode_not_offered"
    INVALID_PROVIDER = "invalid_provider"
    INTEGRATION_ID_REQUIRED = "integration_id_required"
    NO_DAYS = "no_days"
    INVALID_DAY = "invalid_day"
    DUPLICATE_DAY = "duplicate_day"
    LOCATION_NOT_OFFERED = "location_not_offered"


REASON_PLACEHOLDERS: Mapping[Reason, tuple[str, ...]] = {
    Reason.FIELD_REQUIRED: (),
    Reason.NOT_FOR_MODE: ("mode",),
    Reason.INVALID_TIME: ("value",),
    Reason.EMPTY_WINDOW: ("start", "end"),
    Reason.NOT_A_NUMBER: ("value",),
    Reason.NOT_AN_INTEGER: ("value",),
    Reason.NOT_POSITIVE: ("value",),
    Reason.NEGATIVE: ("value",),
    Reason.MIN_ABOVE_MAX: ("min", "max"),
    Reason.MODE_NOT_OFFERED: ("mode", "offered"),
    Reason.INVALID_PROVIDER: ("provider", "allowed"),
    Reason.INTEGRATION_ID_REQUIRED: ("mode",),
    Reason.NO_DAYS: (),
    Reason.INVALID_DAY: ("day",),
    Reason.DUPLICATE_DAY: ("day",),
    Reason.LOCATION_NOT_OFFERED: ("location", "offered"),
}


class PreferenceError(WriteRefusedError[Reason]):
    """A preference write the integration refuses before sending it.

    ``field`` names the dataclass field (``start_time``, ``max_target_kwh``, ``mode``,
    ``provider``, ``weekdays``, ...), ``reason`` is a :class:`Reason` and
    ``placeholders`` fill the translated message.
    """


@dataclass(frozen=True, kw_only=True)
class WeekdayWindow:
    """A charging window that replaces the default one on the given days."""

    days: tuple[Weekday, ...]
    start_time: time | None
    end_time: time | None


@dataclass(frozen=True, kw_only=True)
class TargetBounds:
    """The least and most energy a session is charged to (``targetCharge``).

    A schedule and the Octopus modes both have them, read and checked alike.
    """

    min_target_kwh: float | None = None
    max_target_kwh: float | None = None


@dataclass(frozen=True, kw_only=True)
class SchedulePreferences(TargetBounds):
    """``user_controlled_schedule``: charge inside a daily window, to a target energy.

    The window may run over midnight (22:00 to 06:00). Prices only track costs.
    """

    start_time: time | None = None
    end_time: time | None = None
    price_peak: float | None = None
    price_off_peak: float | None = None
    weekdays: tuple[WeekdayWindow, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SolarPreferences:
    """``solar``: charge from surplus solar power, topped up from the grid up to a limit."""

    max_current_from_grid_a: float | None = None
    solar_stable_time_s: float | None = None


@dataclass(frozen=True, kw_only=True)
class DynamicTariffPreferences(TargetBounds):
    """A tariff-driven mode: Octopus Agile/Go or day-ahead prices (Nord Pool, Energi Elspot).

    Octopus modes use ``min_target_kwh``/``max_target_kwh``, ``post_code``,
    ``applicable_tax_id`` and (Agile) ``price_threshold``; day-ahead modes use
    ``target_kwh`` and ``location``. ``departure_time`` and ``preconditioning_min``
    belong to every tariff mode.
    """

    provider: PreferenceMode
    departure_time: time | None = None
    target_kwh: float | None = None
    preconditioning_min: int | None = None
    price_threshold: float | None = None
    post_code: str | None = None
    applicable_tax_id: int | None = None
    location: str | None = None
    integration_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class AvailableMode:
    """A mode a charge point offers, with the defaults and integration the cloud gives it."""

    mode: PreferenceMode
    type_name: str
    name: str | None = None
    integration_id: int | None = None
    default_start_time: time | None = None
    default_end_time: time | None = None
    default_departure_time: time | None = None
    default_price_threshold: float | None = None
    location: str | None = None
    location_label: str | None = None
    # Every location key this entry lists (``location`` is the first).
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Preferences:
    """What a charge point's owner preferences are now, as the cloud reports them.

    ``mode`` is what is in force: DISABLED while switched off, even though the cloud
    keeps the last settings (``configured_mode`` and the details) for switching back on.
    ``type_name`` is the cloud's own spelling, kept for modes we have no name for.
    """

    mode: PreferenceMode
    enabled: bool
    configured_mode: PreferenceMode | None = None
    type_name: str | None = None
    integration_id: int | None = None
    schedule: SchedulePreferences | None = None
    solar: SolarPreferences | None = None
    tariff: DynamicTariffPreferences | None = None


_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def parse_time(value: object) -> time | None:
    """A wall-clock time from ``HH:MM`` or ``HH:MM:SS`` (how clouds echo it), else None."""
    if isinstance(value, time):
        return value
    if not isinstance(value, str):
        return None
    match = _TIME.match(value.strip())
    if match is None:
        return None
    hour, minute, second = match.groups()
    return time(int(hour), int(minute), int(second or 0))
