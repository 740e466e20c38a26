"""Jedlix's own models (seed 002): car sessions, location tariffs and messages.

The v2 API sends its enums as PascalCase strings and warns it may add values at any
time, so each enum below has an UNKNOWN member and the parser never fails on a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ..models import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    WEEKDAYS,
    Charger,
    ChargeState,
    ChargingSession,
    Weekday,
)


class SessionStatus(StrEnum):
    """Where a Jedlix charging session is: running, finished, or ended by force."""

    ACTIVE = "active"
    COMPLETE = "complete"
    FORCE_ENDED = "force_ended"
    UNKNOWN = "unknown"


class CalibrationState(StrEnum):
    """How far Jedlix is with learning the car's charging curve in an active session."""

    NO_SESSION = "no_session"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    UNKNOWN = "unknown"


class TariffType(StrEnum):
    """A kind of energy tariff of a charging location."""

    STANDARD = "standard"
    PEAK = "peak"
    OFF_PEAK = "off_peak"
    SUPER_OFF_PEAK = "super_off_peak"
    DYNAMIC = "dynamic"
    UNKNOWN = "unknown"


class MessageType(StrEnum):
    """What a Jedlix message is about (seed 002's list, in snake case)."""

    START_SESSION = "start_session"
    END_SESSION = "end_session"
    INVALID_CREDENTIALS = "invalid_credentials"
    CAR_NOT_FOUND = "car_not_found"
    CAR_NOT_REACHABLE = "car_not_reachable"
    ZE_INTERACTIVE_TO_BE_ACTIVATED = "ze_interactive_to_be_activated"
    ZE_INTERACTIVE_CANNOT_BE_ACTIVATED = "ze_interactive_cannot_be_activated"
    ZE_INTERACTIVE_EXPIRES_SOON = "ze_interactive_expires_soon"
    READY_FOR_PAIRING = "ready_for_pairing"
    SESSION_IMPOSSIBLE = "session_impossible"
    CHECK_CAR_ACTIVATION = "check_car_activation"
    RECEIVED_NO_POWER = "received_no_power"
    GEO_LOCATION_DISABLED = "geo_location_disabled"
    AUDI_NOT_PAIRED = "audi_not_paired"
    AUDI_PAIRING_NOT_COMPLETE = "audi_pairing_not_complete"
    INVALID_UTILITY_CONTRACT = "invalid_utility_contract"
    RECONNECT_UTILITY_CONTRACT = "reconnect_utility_contract"
    INVALID_CREDENTIALS_BANNER = "invalid_credentials_banner"
    MY_RENAULT_ACCESS_REVOKED = "my_renault_access_revoked"
    AUDI_REMOTE_ACCESS_DISABLED = "audi_remote_access_disabled"
    AUDI_REMOTE_ACCESS_DISABLED_BANNER = "audi_remote_access_disabled_banner"
    UNKNOWN = "unknown"


class NotificationType(StrEnum):
    """How Jedlix delivered a message to the user."""

    PUSH_NOTIFICATION = "push_notification"
    EMAIL = "email"
    SMS = "sms"
    BANNER = "banner"
    UNKNOWN = "unknown"


# Messages that stay true until the user fixes something (a contract, a sign-in, the car's
# remote access or pairing): smart charging does not work until then. The others report
# an event (a session started, the car was out of reach) that passes by itself.
ACTION_MESSAGE_TYPES = frozenset(
    {
        MessageType.INVALID_CREDENTIALS,
        MessageType.INVALID_CREDENTIALS_BANNER,
        MessageType.INVALID_UTILITY_CONTRACT,
        MessageType.RECONNECT_UTILITY_CONTRACT,
        MessageType.MY_RENAULT_ACCESS_REVOKED,
        MessageType.AUDI_REMOTE_ACCESS_DISABLED,
        MessageType.AUDI_REMOTE_ACCESS_DISABLED_BANNER,
        MessageType.AUDI_NOT_PAIRED,
        MessageType.AUDI_PAIRING_NOT_COMPLETE,
        MessageType.ZE_INTERACTIVE_TO_BE_ACTIVATED,
        MessageType.CHECK_CAR_ACTIVATION,
        MessageType.GEO_LOCATION_DISABLED,
    }
)


@dataclass(frozen=True, kw_only=True)
class JedlixChargerState:
    """What a charger at a Jedlix charging location does now."""

    charge_state: ChargeState = ChargeState.UNKNOWN
    power_kw: float | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class JedlixCharger:
    """A charger at one of the user's charging locations."""

    id: str
    charging_location_id: str | None = None
    brand: str | None = None
    model: str | None = None
    state: JedlixChargerState | None = None

    def as_charger(self) -> Charger:
        """The neutral :class:`Charger`, for what every cloud's chargers share."""
        name = " ".join(part for part in (self.brand, self.model) if part) or self.id
        return Charger(
            id=self.id,
            name=name,
            manufacturer=self.brand or "Jedlix",
            model=self.model,
            site_id=self.charging_location_id,
        )


@dataclass(frozen=True, kw_only=True)
class Session(ChargingSession[SessionStatus]):
    """A Jedlix charging session: from plugging in to unplugging."""

    user_id: str | None = None
    vehicle_id: str | None = None
    charging_location_id: str | None = None
    charger_id: str | None = None
    calibration_state: CalibrationState | None = None
    start_battery_level: float | None = None
    battery_level: float | None = None
    desired_state_of_charge: float | None = None
    departure_time: datetime | None = None

    @property
    def is_active(self) -> bool:
        """Still running: Active, or a status we do not know on a session without an end."""
        if self.status is SessionStatus.UNKNOWN:
            return self.end is None
        return self.status is SessionStatus.ACTIVE


def hhmm_minutes(text: str, *, end: bool = False) -> int | None:
    """Minutes after midnight of an ``HH:mm`` time (``24:00`` only as an ``end``)."""
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        return None
    hours, minutes = int(text[:2]), int(text[3:])
    if end and (hours, minutes) == (24, 0):
        return MINUTES_PER_DAY
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None


@dataclass(frozen=True, kw_only=True)
class Tariff:
    """One tariff of a charging location: a type and its price per kWh.

    For a Dynamic tariff the price is what the supplier adds to the market price.
    """

    type: TariffType
    price: float
    currency: str


@dataclass(frozen=True, kw_only=True)
class TariffInterval:
    """When a tariff type applies: local ``HH:mm`` times on some days of the week.

    An end not after the start runs past midnight into the next day (``23:00``-``07:00``);
    equal times mean the whole day; ``24:00`` ends at midnight.
    """

    start_time: str
    end_time: str
    days_of_week: tuple[Weekday, ...]
    tariff_type: TariffType

    def week_ranges(self) -> list[tuple[int, int]]:
        """Half-open minute ranges of the week (Monday 00:00 = 0) this interval covers.

        Empty when a time is not ``HH:mm``; a range past Sunday midnight wraps to Monday.
        """
        start = hhmm_minutes(self.start_time)
        end = hhmm_minutes(self.end_time, end=True)
        if start is None or end is None:
            return []
        length = end - start if end > start else end + MINUTES_PER_DAY - start
        ranges: list[tuple[int, int]] = []
        for day in self.days_of_week:
            first = WEEKDAYS.index(day) * MINUTES_PER_DAY + start
            last = first + length
            if last <= MINUTES_PER_WEEK:
                ranges.append((first, last))
            else:
                ranges += [(first, MINUTES_PER_WEEK), (0, last - MINUTES_PER_WEEK)]
        return ranges


@dataclass(frozen=True, kw_only=True)
class TariffSettings:
    """The tariffs of a charging location and the weekly plan of when each applies."""

    charging_location_id: str | None = None
    tariffs: tuple[Tariff, ...] = ()
    intervals: tuple[TariffInterval, ...] = ()
    updated_at: datetime | None = None
    off_peak_charging_only: bool | None = None
    holiday_intervals: tuple[TariffInterval, ...] | None = None

    def tariff_of(self, tariff_type: TariffType) -> Tariff | None:
        """The tariff of a type, if the settings have it."""
        return next((t for t in self.tariffs if t.type is tariff_type), None)

    def tariff_at(self, local: datetime) -> Tariff | None:
        """The tariff in force at ``local``, a time on the location's own clock."""
        minute = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
        for interval in self.intervals:
            if any(low <= minute < high for low, high in interval.week_ranges()):
                return self.tariff_of(interval.tariff_type)
        return None

    def next_change(self, local: datetime) -> datetime | None:
        """The next minute after ``local`` at which an interval starts or ends.

        The tariff in force can only change there, so a sensor need look again only then.
        """
        minute = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
        edges = {
            edge % MINUTES_PER_WEEK
            for interval in self.intervals
            for bounds in interval.week_ranges()
            for edge in bounds
        }
        if not edges:
            return None
        ahead = min((edge - minute) % MINUTES_PER_WEEK or MINUTES_PER_WEEK for edge in edges)
        return local.replace(second=0, microsecond=0) + timedelta(minutes=ahead)


@dataclass(frozen=True, kw_only=True)
class Message:
    """A message Jedlix sent the user.

    ``type_raw`` is the cloud's own string, kept so a type newer than this integration
    (``type`` is then UNKNOWN) can still be named. ``needs_action`` says whether the
    user must fix something (see :data:`ACTION_MESSAGE_TYPES`).
    """

    id: str
    type: MessageType
    type_raw: str | None
    notification_type: NotificationType = NotificationType.UNKNOWN
    title: str | None = None
    body: str | None = None
    created_at: datetime | None = None
    is_dismissed: bool = False
    dismissed_at: datetime | None = None
    vehicle_id: str | None = None
    charging_location_id: str | None = None
    needs_action: bool = False
