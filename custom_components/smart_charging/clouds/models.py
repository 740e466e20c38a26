"""Provider-neutral models: what the integration knows, whichever cloud said it.

Clients parse a cloud's JSON once, into these frozen dataclasses; entities only read
them. Enumerations carry an ``UNKNOWN`` member because clouds add values over time:
a value we have never seen becomes ``UNKNOWN`` (logged once), never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import logging

_LOGGER = logging.getLogger(__name__)
_UNKNOWN_SEEN: set[tuple[str, object]] = set()


def note_unknown(kind: str, value: object) -> None:
    """Log a value we have no name for, once per kind and value, at debug level."""
    if (kind, value) not in _UNKNOWN_SEEN:
        _UNKNOWN_SEEN.add((kind, value))
        _LOGGER.debug("Unknown %s %r from the cloud; shown as unknown", kind, value)


class ChargerStatus(StrEnum):
    """What a charger is doing."""

    OFFLINE = "offline"
    DISCONNECTED = "disconnected"
    AWAITING_START = "awaiting_start"
    CHARGING = "charging"
    COMPLETED = "completed"
    ERROR = "error"
    READY_TO_CHARGE = "ready_to_charge"
    AWAITING_AUTHENTICATION = "awaiting_authentication"
    DEAUTHENTICATING = "deauthenticating"
    UNKNOWN = "unknown"


class NoCurrentReason(StrEnum):
    """Why a charger gives the car no (or less) current."""

    OK = "ok"
    CIRCUIT_CURRENT_TOO_LOW = "circuit_current_too_low"
    DYNAMIC_CIRCUIT_CURRENT_TOO_LOW = "dynamic_circuit_current_too_low"
    WAITING_IN_QUEUE = "waiting_in_queue"
    WAITING_IN_FULLY_CHARGED_QUEUE = "waiting_in_fully_charged_queue"
    MAX_CHARGER_CURRENT_TOO_LOW = "max_charger_current_too_low"
    DYNAMIC_CHARGER_CURRENT_TOO_LOW = "dynamic_charger_current_too_low"
    CHARGER_DISABLED = "charger_disabled"
    PENDING_SCHEDULE = "pending_schedule"
    NOT_AUTHORIZED = "not_authorized"
    CHARGER_ERROR = "charger_error"
    UNKNOWN = "unknown"


# Statuses in which a car is plugged in and something may happen soon.
ACTIVE_STATUSES = frozenset(
    {
        ChargerStatus.AWAITING_START,
        ChargerStatus.CHARGING,
        ChargerStatus.READY_TO_CHARGE,
        ChargerStatus.AWAITING_AUTHENTICATION,
        ChargerStatus.DEAUTHENTICATING,
    }
)


# The commands a charger may take; which ones it offers is data (the
# integration's ``ChargerData.commands``).
ALL_COMMANDS = frozenset(
    {
        "start_charging",
        "stop_charging",
        "pause_charging",
        "resume_charging",
        "toggle_charging",
        "override_schedule",
    }
)


@dataclass(frozen=True, kw_only=True)
class Charger:
    """A charger as listed by its cloud."""

    id: str
    name: str
    manufacturer: str
    model: str | None = None
    site_id: str | None = None
    circuit_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChargerState:
    """What a charger reports about itself now."""

    status: ChargerStatus
    status_code: int | None = None
    reason: NoCurrentReason | None = None
    reason_code: int | None = None
    power_kw: float | None = None
    current_a: float | None = None
    session_energy_kwh: float | None = None
    lifetime_energy_kwh: float | None = None
    dynamic_current_a: float | None = None
    online: bool | None = None
    cable_locked: bool | None = None
    smart_charging: bool | None = None
    led_mode: int | None = None


@dataclass(frozen=True, kw_only=True)
class ChargerSettings:
    """A charger's access and charging settings."""

    authorization_required: bool
    local_pre_authorize: bool
    local_authorize_offline: bool
    allow_offline_unknown_id: bool
    smart_button_enabled: bool
    max_current_a: float
    dynamic_current_a: float | None = None


@dataclass(frozen=True, kw_only=True)
class CommandResult:
    """What a cloud said when it accepted a command."""

    accepted: bool
    changed: bool
    command_id: str | None = None


class LimitSource(StrEnum):
    """Which limit a charger group runs on now (ViriCiti's hierarchy)."""

    EXTERNAL = "external"
    UPCOMING = "upcoming"
    SCHEDULED = "scheduled"
    DEFAULT = "default"
    UNKNOWN = "unknown"


@dataclass(frozen=True, kw_only=True)
class Timeframe:
    """A peak-shaving window: cron start and end (0 = Sunday) and the limit inside."""

    name: str
    start: str
    end: str
    limit_kw: float
    active: bool = True


@dataclass(frozen=True, kw_only=True)
class ChargerGroup:
    """Chargers that share one connection and one group limit."""

    id: str
    title: str
    default_limit_kw: float | None
    timezone: str
    timeframes: tuple[Timeframe, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LimitWindow:
    """A limit that holds between two moments (either may be unknown)."""

    limit_kw: float
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class GroupLimit:
    """Every layer of a group's limit, and which one is in force."""

    source: LimitSource
    default_kw: float | None = None
    external: LimitWindow | None = None
    upcoming: LimitWindow | None = None
    scheduled_kw: float | None = None

    @property
    def active_kw(self) -> float | None:
        """The limit in force, from the layer the cloud says is active."""
        match self.source:
            case LimitSource.EXTERNAL:
                return self.external.limit_kw if self.external else None
            case LimitSource.UPCOMING:
                return self.upcoming.limit_kw if self.upcoming else None
            case LimitSource.SCHEDULED:
                return self.scheduled_kw
            case LimitSource.DEFAULT:
                return self.default_kw
        return None


@dataclass(frozen=True, kw_only=True)
class Station:
    """A charger of a group, with its connectors (positions)."""

    identity: str
    group_id: str
    positions: int
    max_power_kw: float | None = None
    timezone: str | None = None


@dataclass(frozen=True, kw_only=True)
class PositionLimit:
    """The power a group gave one position of a charger."""

    station: str
    position: int
    limit_kw: float


@dataclass(frozen=True, kw_only=True)
class LimitSample:
    """How a group's limit was shared at one moment."""

    time: datetime
    group_limit_kw: float | None
    limits: tuple[PositionLimit, ...]


@dataclass(frozen=True, kw_only=True)
class ChargingSession[S: StrEnum]:
    """A charging session as every cloud that reports sessions has it.

    ``status`` is the cloud's own enumeration (each has an ``UNKNOWN`` member); ``end``
    is None while the session runs, and ``energy_kwh`` is what it has charged so far.
    """

    id: str
    status: S
    start: datetime | None = None
    end: datetime | None = None
    energy_kwh: float | None = None
    updated_at: datetime | None = None


# --- cars, where they charge, and what energy costs there ------------------------------------


class ChargeState(StrEnum):
    """What a car (or the charger it is plugged into) is doing, as Jedlix reports it."""

    COMPLETE = "complete"
    CHARGING = "charging"
    DISCONNECTED = "disconnected"
    STOPPED = "stopped"
    UNKNOWN = "unknown"


class PriceDataType(StrEnum):
    """Whether a price (or solar yield) has happened or is only expected."""

    ACTUAL = "actual"
    FORECAST = "forecast"
    UNKNOWN = "unknown"


class Weekday(StrEnum):
    """A day of the week, Monday first (the order of ``datetime.weekday()``)."""

    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"


WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True, kw_only=True)
class VehicleState:
    """A car's battery and charging as last reported (also ``/vehicles/{id}/state``)."""

    battery_level: float | None = None
    range_km: float | None = None
    charge_state: ChargeState = ChargeState.UNKNOWN
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Vehicle:
    """A car the user connected to Jedlix.

    ``capabilities`` are the cloud's own strings (``DesiredStateOfCharge``, ...), kept
    even when new, so an entity can exist exactly when the car offers the feature.
    """

    id: str
    brand: str | None = None
    model: str | None = None
    version: str | None = None
    is_connected: bool | None = None
    is_connectable: bool | None = None
    capabilities: frozenset[str] = frozenset()
    state: VehicleState = VehicleState()
    desired_state_of_charge: float | None = None
    departure_time: datetime | None = None
    created_at: datetime | None = None

    @property
    def battery_level(self) -> float | None:
        """Battery percentage."""
        return self.state.battery_level

    @property
    def range_km(self) -> float | None:
        """Driving range in km."""
        return self.state.range_km

    @property
    def charge_state(self) -> ChargeState:
        """Whether the car charges, is full, stopped or not plugged in."""
        return self.state.charge_state

    @property
    def updated_at(self) -> datetime | None:
        """When the car last reported its state."""
        return self.state.updated_at

    def has(self, capability: str) -> bool:
        """Whether the car offers ``capability`` (the cloud's spelling, any case)."""
        wanted = capability.casefold()
        return any(c.casefold() == wanted for c in self.capabilities)


@dataclass(frozen=True, kw_only=True)
class LocationAddress:
    """A charging location's postal address: personal data, for diagnostics only."""

    street: str | None = None
    house_number: str | None = None
    postal_code: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    area: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChargingLocation:
    """Where a user charges (home, usually).

    The address and coordinates are personal data: the integration never shows them,
    and diagnostics must redact them.
    """

    id: str
    user_id: str | None = None
    address: LocationAddress | None = None
    latitude: float | None = None
    longitude: float | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class EnergyWindow:
    """A price's or solar energy's window from ``start`` to ``end``, actual or forecast."""

    start: datetime
    end: datetime | None
    data_type: PriceDataType = PriceDataType.UNKNOWN

    @property
    def is_forecast(self) -> bool:
        """Whether the value is still a forecast (only Forecast counts as one)."""
        return self.data_type is PriceDataType.FORECAST


@dataclass(frozen=True, kw_only=True)
class PricePoint(EnergyWindow):
    """The price of energy from ``start`` to ``end`` (a dynamic tariff's hour)."""

    price: float
    currency: str | None = None


@dataclass(frozen=True, kw_only=True)
class SolarEnergyPoint(EnergyWindow):
    """Energy the location's solar panels gave (or are expected to give) in a window."""

    energy_kwh: float
