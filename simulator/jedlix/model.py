"""The Jedlix world's objects and their physics: users, places, cars, sessions, messages.

Charging is modelled analytically from the simulated clock, so a test that advances the
clock by an hour sees exactly an hour's worth of energy, without any background task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
import uuid

from .tariffs import TariffSettings

CHARGE_STATES = ("Complete", "Charging", "Disconnected", "Stopped")
SESSION_STATUSES = ("Active", "Complete", "ForceEnded")
CALIBRATION_STATES = ("NoSession", "NotStarted", "InProgress", "Complete")
DATA_TYPES = ("Actual", "Forecast")
NOTIFICATION_TYPES = ("PushNotification", "Email", "SMS", "Banner")
MESSAGE_TYPES = (
    "StartSession",
    "EndSession",
    "InvalidCredentials",
    "CarNotFound",
    "CarNotReachable",
    "ZeInteractiveToBeActivated",
    "ZeInteractiveCannotBeActivated",
    "ZeInteractiveExpiresSoon",
    "ReadyForPairing",
    "SessionImpossible",
    "CheckCarActivation",
    "ReceivedNoPower",
    "GeoLocationDisabled",
    "AudiNotPaired",
    "AudiPairingNotComplete",
    "InvalidUtilityContract",
    "ReconnectUtilityContract",
    "InvalidCredentialsBanner",
    "MyRenaultAccessRevoked",
    "AudiRemoteAccessDisabled",
    "AudiRemoteAccessDisabledBanner",
)
CAPABILITIES = (
    "ChargeState",
    "StateOfCharge",
    "Charge",
    "StartStopDischarging",
    "GeoLocation",
    "DesiredStateOfCharge",
    "Pairing",
    "DepartureTimes",
    "PullTelemetry",
    "PushTelemetry",
    "GeoFencing",
    "StartStopCharging",
)

# What each enum field says while the "unseen enums" switch is on: values a client built
# for the seed has never seen, as the vendor warns it may add at any time.
UNSEEN = {
    "chargeState": "Discharging",
    "sessionStatus": "Suspended",
    "calibrationState": "Recalibrating",
    "dataType": "Estimate",
    "tariffType": "CriticalPeak",
    "messageType": "BatteryHealthWarning",
    "notificationType": "InAppMessage",
    "capability": "BidirectionalCharging",
}

_NAMESPACE = uuid.UUID("5b0f4a52-8f0e-4c55-9a1e-2f7c3d6b9a10")
# Calibration of an active session: NotStarted, then InProgress, then Complete.
_CALIBRATION_START = timedelta(minutes=10)
_CALIBRATION_DONE = timedelta(minutes=30)
_FULL = 1e-6


def make_id(kind: str, number: int) -> str:
    """A stable UUID for the ``number``-th object of ``kind``, the same on every run."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}-{number}"))


@dataclass
class User:
    """A user of the tenant."""

    id: str
    created_at: datetime
    email: str = ""


@dataclass
class Address:
    """A postal address as the API spells it."""

    street: str
    postal_code: str
    house_number: str
    city: str
    region: str
    country: str
    area: str

    def as_json(self) -> dict[str, str]:
        """The wire form."""
        return {
            "street": self.street,
            "postalCode": self.postal_code,
            "houseNumber": self.house_number,
            "city": self.city,
            "region": self.region,
            "country": self.country,
            "area": self.area,
        }


@dataclass
class UtilityContract:
    """The energy contract of a charging location (``utility-contracts``)."""

    utility_name: str
    contract_number: str
    is_valid: bool
    created_at: datetime
    updated_at: datetime


@dataclass
class Location:
    """A charging location: where a user's charger is, its prices and its sunshine."""

    id: str
    user_id: str
    latitude: float
    longitude: float
    address: Address
    created_at: datetime
    updated_at: datetime
    time_zone: str = "Europe/Amsterdam"
    solar_kwp: float = 0.0
    tariffs: TariffSettings | None = None
    contract: UtilityContract | None = None


@dataclass
class Charger:
    """A charger at a location."""

    id: str
    user_id: str
    location_id: str
    brand: str
    model: str
    max_power_kw: float
    created_at: datetime


@dataclass
class Routine:
    """A car's daily habit, in the home location's local time: home at ``arrive``."""

    arrive: time
    depart: time
    daily_km: float = 40.0


@dataclass
class Vehicle:
    """A car; its battery level between sessions is ``level`` (percent)."""

    id: str
    user_id: str
    brand: str
    model: str
    version: str
    created_at: datetime
    battery_kwh: float
    km_per_kwh: float
    max_power_kw: float
    capabilities: list[str]
    level: float
    desired_soc: int = 80
    home_charger_id: str | None = None
    routine: Routine | None = None
    unplugged_at: datetime | None = None
    is_connectable: bool = True

    def has(self, capability: str) -> bool:
        """Whether the car offers ``capability``."""
        return capability in self.capabilities

    def range_km(self, level: float) -> float:
        """Driving range at a battery level."""
        return self.battery_kwh * level / 100 * self.km_per_kwh


@dataclass
class Segment:
    """From ``start`` the session has ``energy`` kWh and gains ``power_kw`` up to ``limit``."""

    start: datetime
    energy: float
    power_kw: float
    limit: float


@dataclass
class Session:
    """A charging session; energy follows its segments, one per change of settings."""

    id: str
    user_id: str
    vehicle_id: str
    charger_id: str
    location_id: str
    start: datetime
    start_level: float
    battery_kwh: float
    desired_soc: int
    departure: datetime | None
    segments: list[Segment] = field(default_factory=list)
    end: datetime | None = None
    forced: bool = False
    stopped: bool = False
    calibration: str | None = None
    settings_updated_at: datetime | None = None
    # The typed session setting ``boostCharging``: charge now, even while paused.
    boost: bool = False

    @property
    def active(self) -> bool:
        """Whether the car is still plugged in."""
        return self.end is None

    @property
    def status(self) -> str:
        """Active, Complete or ForceEnded."""
        if self.active:
            return "Active"
        return "ForceEnded" if self.forced else "Complete"

    def needed_kwh(self, desired_soc: int) -> float:
        """Energy from the start level to ``desired_soc``."""
        return max(0.0, (desired_soc - self.start_level) / 100 * self.battery_kwh)

    def energy_at(self, when: datetime) -> float:
        """kWh charged by ``when`` (no later than the end of the session)."""
        if self.end is not None:
            when = min(when, self.end)
        current = None
        for segment in self.segments:
            if segment.start <= when:
                current = segment
        if current is None:
            return 0.0
        hours = (when - current.start).total_seconds() / 3600
        return min(current.energy + current.power_kw * hours, max(current.limit, current.energy))

    def level_at(self, when: datetime) -> float:
        """Battery percent at ``when``."""
        return min(100.0, self.start_level + self.energy_at(when) / self.battery_kwh * 100)

    def charge_state(self, when: datetime) -> str:
        """Charging until the desired level, then Complete; Stopped when paused (no boost)."""
        if self.stopped and not self.boost:
            return "Stopped"
        current = self.segments[-1] if self.segments else None
        if current is None or self.energy_at(when) >= current.limit - _FULL:
            return "Complete"
        return "Charging"

    def power_at(self, when: datetime) -> float:
        """Power drawn at ``when`` (kW)."""
        if not self.active or self.charge_state(when) != "Charging":
            return 0.0
        return self.segments[-1].power_kw

    def rebase(self, when: datetime, power_kw: float) -> None:
        """Start a new segment at ``when`` after the settings or the pause state changed."""
        energy = self.energy_at(when)
        rate = 0.0 if self.stopped and not self.boost else power_kw
        self.segments.append(Segment(when, energy, rate, self.needed_kwh(self.desired_soc)))

    def calibration_state(self, when: datetime) -> str | None:
        """NotStarted, then InProgress, then Complete; only an active session has one."""
        if not self.active:
            return None
        if self.calibration is not None:
            return self.calibration
        elapsed = when - self.start
        if elapsed < _CALIBRATION_START:
            return "NotStarted"
        return "InProgress" if elapsed < _CALIBRATION_DONE else "Complete"


@dataclass
class Message:
    """A message for a user; dismissed ones are hidden by ``includeDismissed=false``."""

    id: str
    user_id: str
    type: str
    notification_type: str
    title: str
    body: str
    created_at: datetime
    dismissed_at: datetime | None = None
    vehicle_id: str | None = None
    location_id: str | None = None


def default_notification(message_type: str) -> str:
    """How a message type is usually delivered (banners for account problems)."""
    if message_type.endswith("Banner") or message_type in (
        "InvalidUtilityContract",
        "ReconnectUtilityContract",
    ):
        return "Banner"
    if message_type in ("StartSession", "EndSession", "ReadyForPairing"):
        return "PushNotification"
    if message_type == "ReceivedNoPower":
        return "SMS"
    return "Email"


def message_text(message_type: str) -> tuple[str, str]:
    """A title and body for a message type, spelled out from its name."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in message_type).strip()
    title = words[:1].upper() + words[1:]
    texts = {
        "InvalidUtilityContract": "Your utility contract could not be verified. Update it "
        "to keep smart charging.",
        "ReconnectUtilityContract": "Reconnect your utility contract to keep smart charging.",
        "StartSession": "Your car is plugged in and smart charging has started.",
        "EndSession": "Your car was unplugged; the session has ended.",
    }
    return title, texts.get(message_type, f"{title}.")
