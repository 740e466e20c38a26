"""The state of the simulated Jedlix tenant and the Python controls tests and benchmarks use.

Everything is derived from the simulator's clock and from counters, so the same calls
build the same world (same ids, same sessions, same prices) on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..app import Simulator
from .model import (
    CALIBRATION_STATES,
    CAPABILITIES,
    UNSEEN,
    Address,
    Charger,
    Location,
    Message,
    Routine,
    Segment,
    Session,
    User,
    UtilityContract,
    Vehicle,
    default_notification,
    make_id,
    message_text,
)
from .tariffs import Tariff, TariffSettings, whole_week
from .wire import newest_first

DEMO_USER_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
DEMO_API_KEY = "jedlix-demo-key"
DEMO_TOKEN = "jedlix-demo-token"
DEMO_TENANT_TOKEN = "jedlix-demo-tenant-token"
DEMO_CLIENT_ID = "jedlix-demo-client"
DEMO_CLIENT_SECRET = "jedlix-demo-secret"
DEMO_USER_CREATED = datetime(2023, 12, 19, 13, 26, 55, 109000, tzinfo=UTC)

# A clock jump of years must not loop forever: at most this many routine steps per call.
_MAX_ROUTINE_STEPS = 2000
_MIN_LEVEL = 10.0


@dataclass(frozen=True)
class DemoIds:
    """The ids of the demo world, so tests need not look them up."""

    user_id: str
    location_id: str
    charger_id: str
    charging_vehicle_id: str
    parked_vehicle_id: str
    active_session_id: str
    action_message_id: str


def next_local(after: datetime, at: time, time_zone: str) -> datetime:
    """The first moment strictly after ``after`` when the local clock shows ``at``."""
    zone = ZoneInfo(time_zone)
    day = after.astimezone(zone).date()
    for offset in range(3):
        candidate = datetime.combine(day + timedelta(days=offset), at, zone).astimezone(UTC)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a local time recurs every day")


class JedlixWorld:
    """Users, charging locations, chargers, vehicles, sessions and messages of one tenant."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.api_keys: set[str] = {DEMO_API_KEY}
        # token -> user id (a user's token); tests may add their own.
        self.tokens: dict[str, str] = {DEMO_TOKEN: DEMO_USER_ID}
        # token -> expiry (None: never) of tenant (management) tokens.
        self.tenant_tokens: dict[str, datetime | None] = {DEMO_TENANT_TOKEN: None}
        self.clients: dict[str, str] = {DEMO_CLIENT_ID: DEMO_CLIENT_SECRET}
        # A test may put a plain JSON dict here; it becomes a User on first use.
        self.users: dict[str, User | dict[str, Any]] = {}
        self.locations: dict[str, Location] = {}
        self.chargers: dict[str, Charger] = {}
        self.vehicles: dict[str, Vehicle] = {}
        self.sessions: dict[str, Session] = {}
        self.messages: dict[str, Message] = {}
        self.unseen: set[str] = set()
        self._active: dict[str, str] = {}
        self._counters: dict[str, int] = {}
        self.demo = self._build_demo()

    # --- lookups -------------------------------------------------------------------------

    def now(self) -> datetime:
        """The simulated time."""
        return self.sim.now()

    def user(self, user_id: str) -> User | None:
        """The user, turning a plain dict a test added into a User."""
        value = self.users.get(user_id)
        if isinstance(value, dict):
            value = User(user_id, DEMO_USER_CREATED, str(value.get("email", "")))
            self.users[user_id] = value
        return value

    def all_users(self) -> list[User]:
        """Every user, newest first."""
        users = [u for u in (self.user(i) for i in list(self.users)) if u is not None]
        return newest_first(users, lambda u: u.created_at)

    def charger_session(self, charger_id: str) -> Session | None:
        """The session running on a charger, if a car is plugged in there."""
        sessions = (self.sessions.get(i) for i in self._active.values())
        return next((s for s in sessions if s is not None and s.charger_id == charger_id), None)

    def home_charger(self, vehicle: Vehicle, charger_id: str | None = None) -> Charger:
        """The charger a car uses (``charger_id``, else its home charger)."""
        charger = self.chargers.get(charger_id or vehicle.home_charger_id or "")
        if charger is None:
            raise ValueError(f"vehicle {vehicle.id} has no charger to plug into")
        return charger

    def active_session(self, vehicle_id: str) -> Session | None:
        """The vehicle's session while it is plugged in."""
        session_id = self._active.get(vehicle_id)
        return self.sessions.get(session_id) if session_id else None

    def sessions_of(self, user_id: str | None) -> list[Session]:
        """Sessions of a user (or of the tenant), newest first."""
        found = [s for s in self.sessions.values() if user_id is None or s.user_id == user_id]
        return newest_first(found, lambda s: s.start)

    def messages_of(self, user_id: str, include_dismissed: bool) -> list[Message]:
        """A user's messages, newest first."""
        found = [
            m
            for m in self.messages.values()
            if m.user_id == user_id and (include_dismissed or m.dismissed_at is None)
        ]
        return newest_first(found, lambda m: m.created_at)

    def location_of(self, session: Session) -> Location | None:
        """Where a session takes place."""
        return self.locations.get(session.location_id)

    # --- unseen enum values -----------------------------------------------------------------

    @property
    def unseen_enums(self) -> bool:
        """Whether responses carry enum values no client has seen yet."""
        return bool(self.unseen)

    @unseen_enums.setter
    def unseen_enums(self, enabled: bool) -> None:
        self.unseen = set(UNSEEN) if enabled else set()

    def set_unseen_enums(self, *fields: str) -> None:
        """Only these enum fields (keys of ``UNSEEN``) carry unseen values; none clears."""
        unknown = set(fields) - set(UNSEEN)
        if unknown:
            raise ValueError(f"unknown enum fields {sorted(unknown)}; use {sorted(UNSEEN)}")
        self.unseen = set(fields)

    def enum(self, field: str, value: str) -> str:
        """``value``, or the unseen value of ``field`` while the switch is on."""
        return UNSEEN[field] if field in self.unseen else value

    # --- building the world -------------------------------------------------------------------

    def _next_id(self, kind: str) -> str:
        number = self._counters.get(kind, 0) + 1
        self._counters[kind] = number
        return make_id(kind, number)

    def add_user(
        self,
        *,
        user_id: str | None = None,
        token: str | None = None,
        email: str | None = None,
        sessions: int = 0,
        created_at: datetime | None = None,
    ) -> User:
        """A user with a home (location, charger, car) and ``sessions`` past sessions.

        ``token`` (default ``token-<user id>``) is the user's bearer token.
        """
        user_id = user_id or self._next_id("user")
        user = User(user_id, created_at or self.now(), email or f"{user_id[:8]}@example.com")
        self.users[user_id] = user
        self.tokens[token or f"token-{user_id}"] = user_id
        location = self.add_location(user_id)
        charger = self.add_charger(location.id)
        vehicle = self.add_vehicle(user_id, charger_id=charger.id)
        if sessions:
            self.add_sessions(sessions, vehicle_id=vehicle.id)
        return user

    def add_location(
        self,
        user_id: str,
        *,
        address: Address | None = None,
        latitude: float = 52.0907,
        longitude: float = 5.1214,
        solar_kwp: float = 0.0,
        tariffs: TariffSettings | None = None,
        created_at: datetime | None = None,
    ) -> Location:
        """A charging location of ``user_id`` (in the Netherlands unless told otherwise)."""
        when = created_at or self.now()
        location = Location(
            id=self._next_id("location"),
            user_id=user_id,
            latitude=latitude,
            longitude=longitude,
            address=address
            or Address("Oudegracht", "3511 AB", "1", "Utrecht", "Utrecht", "NL", "Utrecht"),
            created_at=when,
            updated_at=when,
            solar_kwp=solar_kwp,
            tariffs=tariffs,
        )
        self.locations[location.id] = location
        return location

    def add_charger(
        self,
        location_id: str,
        *,
        brand: str = "Alfen",
        model: str = "Eve Single Pro-line",
        max_power_kw: float = 11.0,
    ) -> Charger:
        """A charger at a location."""
        location = self.locations[location_id]
        charger = Charger(
            self._next_id("charger"),
            location.user_id,
            location_id,
            brand,
            model,
            max_power_kw,
            self.now(),
        )
        self.chargers[charger.id] = charger
        return charger

    def add_vehicle(
        self,
        user_id: str,
        *,
        brand: str = "Volkswagen",
        model: str = "ID.3",
        version: str = "Pro",
        battery_kwh: float = 58.0,
        km_per_kwh: float = 6.0,
        max_power_kw: float = 11.0,
        level: float = 50.0,
        capabilities: list[str] | None = None,
        charger_id: str | None = None,
        routine: Routine | None = None,
        created_at: datetime | None = None,
    ) -> Vehicle:
        """A car of ``user_id``, charged at ``charger_id`` (default: the user's first)."""
        if charger_id is None:
            charger_id = next((c.id for c in self.chargers.values() if c.user_id == user_id), None)
        when = created_at or self.now()
        vehicle = Vehicle(
            id=self._next_id("vehicle"),
            user_id=user_id,
            brand=brand,
            model=model,
            version=version,
            created_at=when,
            battery_kwh=battery_kwh,
            km_per_kwh=km_per_kwh,
            max_power_kw=max_power_kw,
            capabilities=list(CAPABILITIES if capabilities is None else capabilities),
            level=level,
            home_charger_id=charger_id,
            routine=routine,
            unplugged_at=when,
        )
        self.vehicles[vehicle.id] = vehicle
        return vehicle

    def remove_vehicle(self, vehicle_id: str) -> None:
        """Unpair a car: an active session is force-ended, past sessions stay."""
        if self.active_session(vehicle_id) is not None:
            self.unplug(vehicle_id, forced=True)
        del self.vehicles[vehicle_id]

    def _power(self, vehicle: Vehicle, charger: Charger) -> float:
        return min(vehicle.max_power_kw, charger.max_power_kw)

    def plug_in(
        self,
        vehicle_id: str,
        *,
        charger_id: str | None = None,
        desired_soc: int | None = None,
        departure: datetime | None = None,
        at: datetime | None = None,
        message: bool = True,
    ) -> Session:
        """Connect a car (to its home charger unless told): a session starts charging."""
        self.tick()
        if self.active_session(vehicle_id) is not None:
            raise ValueError(f"vehicle {vehicle_id} is already plugged in")
        return self._start_session(
            vehicle_id, charger_id, desired_soc, departure, at or self.now(), message
        )

    def _start_session(
        self,
        vehicle_id: str,
        charger_id: str | None,
        desired_soc: int | None,
        departure: datetime | None,
        start: datetime,
        message: bool,
    ) -> Session:
        """Open a session without catching up with the clock (the routine calls this)."""
        vehicle = self.vehicles[vehicle_id]
        charger = self.home_charger(vehicle, charger_id)
        session = Session(
            id=self._next_id("session"),
            user_id=vehicle.user_id,
            vehicle_id=vehicle.id,
            charger_id=charger.id,
            location_id=charger.location_id,
            start=start,
            start_level=vehicle.level,
            battery_kwh=vehicle.battery_kwh,
            desired_soc=desired_soc if desired_soc is not None else vehicle.desired_soc,
            departure=departure,
        )
        session.rebase(start, self._power(vehicle, charger))
        self.sessions[session.id] = session
        self._active[vehicle_id] = session.id
        if message:
            self.add_message(
                "StartSession", user_id=vehicle.user_id, at=start, vehicle_id=vehicle_id
            )
        return session

    def unplug(
        self, vehicle_id: str, *, forced: bool = False, at: datetime | None = None
    ) -> Session:
        """Disconnect a car: its session ends (ForceEnded when ``forced``)."""
        self.tick()
        session = self.active_session(vehicle_id)
        if session is None:
            raise ValueError(f"vehicle {vehicle_id} is not plugged in")
        self._end(session, at or self.now(), forced=forced)
        return session

    def _end(self, session: Session, when: datetime, *, forced: bool) -> None:
        session.end = max(when, session.start)
        session.forced = forced
        self._active.pop(session.vehicle_id, None)
        vehicle = self.vehicles.get(session.vehicle_id)
        if vehicle is not None:
            vehicle.level = session.level_at(session.end)
            vehicle.unplugged_at = session.end
        self.add_message(
            "EndSession", user_id=session.user_id, at=session.end, vehicle_id=session.vehicle_id
        )

    def stop_charging(self, vehicle_id: str) -> None:
        """Pause the car's charging: the charge state becomes Stopped."""
        self._set_stopped(vehicle_id, True)

    def resume_charging(self, vehicle_id: str) -> None:
        """Resume a paused session."""
        self._set_stopped(vehicle_id, False)

    def _set_stopped(self, vehicle_id: str, stopped: bool) -> None:
        self.tick()
        session = self.active_session(vehicle_id)
        if session is None:
            raise ValueError(f"vehicle {vehicle_id} is not plugged in")
        session.stopped = stopped
        self.reprice(session)

    def reprice(self, session: Session) -> None:
        """Start a new charging segment now, after settings or the pause state changed."""
        vehicle = self.vehicles.get(session.vehicle_id)
        charger = self.chargers.get(session.charger_id)
        power = self._power(vehicle, charger) if vehicle and charger else 0.0
        session.rebase(self.now(), power)

    def set_calibration(self, session_id: str, state: str | None) -> None:
        """Force an active session's calibrationState (None: follow the clock again)."""
        if state is not None and state not in CALIBRATION_STATES:
            raise ValueError(f"calibration state must be one of {CALIBRATION_STATES}")
        self.sessions[session_id].calibration = state

    def add_sessions(
        self, count: int, *, vehicle_id: str | None = None, forced_every: int = 0
    ) -> list[Session]:
        """``count`` finished overnight sessions, one a night, before the car's oldest one.

        With ``forced_every`` n, every n-th of them was force-ended.
        """
        vehicle = self.vehicles[vehicle_id or self.demo.charging_vehicle_id]
        charger = self.home_charger(vehicle)
        zone = self.locations[charger.location_id].time_zone
        own = [s.start for s in self.sessions.values() if s.vehicle_id == vehicle.id]
        anchor = min([*own, self.now()])
        last_day = anchor.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
        if datetime.combine(last_day + timedelta(days=1), time(8), ZoneInfo(zone)) > anchor:
            last_day -= timedelta(days=1)
        made = [
            self._past_session(vehicle, charger, zone, last_day - timedelta(days=i), i)
            for i in range(count)
        ]
        for i, session in enumerate(made, start=1):
            session.forced = bool(forced_every) and i % forced_every == 0
        return made

    def _past_session(
        self, vehicle: Vehicle, charger: Charger, zone: str, day: date, i: int
    ) -> Session:
        """A finished session from an evening of ``day`` to the next morning."""
        tz = ZoneInfo(zone)
        start = datetime.combine(day, time(17, (i * 37) % 60), tz).astimezone(UTC)
        start += timedelta(hours=(i * 7) % 4)
        end = datetime.combine(day + timedelta(days=1), time(7, (i * 13) % 60), tz).astimezone(UTC)
        session = Session(
            id=self._next_id("session"),
            user_id=vehicle.user_id,
            vehicle_id=vehicle.id,
            charger_id=charger.id,
            location_id=charger.location_id,
            start=start,
            start_level=20.0 + (i * 17) % 45,
            battery_kwh=vehicle.battery_kwh,
            desired_soc=100 if i % 5 == 4 else vehicle.desired_soc,
            departure=end,
            end=end,
        )
        session.segments.append(
            Segment(
                start, 0.0, self._power(vehicle, charger), session.needed_kwh(session.desired_soc)
            )
        )
        self.sessions[session.id] = session
        return session

    def add_message(
        self,
        message_type: str,
        *,
        user_id: str = DEMO_USER_ID,
        notification_type: str | None = None,
        at: datetime | None = None,
        dismissed: bool = False,
        vehicle_id: str | None = None,
        location_id: str | None = None,
    ) -> Message:
        """A message for a user (any string: the API's message types are open)."""
        when = at or self.now()
        title, body = message_text(message_type)
        message = Message(
            id=self._next_id("message"),
            user_id=user_id,
            type=message_type,
            notification_type=notification_type or default_notification(message_type),
            title=title,
            body=body,
            created_at=when,
            dismissed_at=when if dismissed else None,
            vehicle_id=vehicle_id,
            location_id=location_id,
        )
        self.messages[message.id] = message
        return message

    def scale(self, users: int, *, sessions_per_user: int = 10) -> list[User]:
        """Grow the tenant by ``users`` users, each with a home and some history."""
        return [self.add_user(sessions=sessions_per_user) for _ in range(users)]

    def revoke_token(self, token: str) -> None:
        """Make a user or tenant token invalid (as when the user signs out elsewhere)."""
        self.tokens.pop(token, None)
        self.tenant_tokens.pop(token, None)

    # --- the clock moves ------------------------------------------------------------------------

    def tick(self) -> None:
        """Catch up with the clock: cars with a routine come home, charge and leave."""
        now = self.now()
        for vehicle in list(self.vehicles.values()):
            if vehicle.routine is not None and vehicle.home_charger_id in self.chargers:
                self._follow_routine(vehicle, vehicle.routine, now)

    def _follow_routine(self, vehicle: Vehicle, routine: Routine, now: datetime) -> None:
        charger = self.home_charger(vehicle)
        zone = self.locations[charger.location_id].time_zone
        for _ in range(_MAX_ROUTINE_STEPS):
            session = self.active_session(vehicle.id)
            if session is not None:
                if session.departure is None or session.departure > now:
                    return
                self._end(session, session.departure, forced=False)
                continue
            arrival = next_local(vehicle.unplugged_at or vehicle.created_at, routine.arrive, zone)
            if arrival > now:
                return
            used = routine.daily_km / vehicle.km_per_kwh / vehicle.battery_kwh * 100
            vehicle.level = max(_MIN_LEVEL, vehicle.level - used)
            departure = next_local(arrival, routine.depart, zone)
            self._start_session(vehicle.id, None, None, departure, arrival, True)

    # --- the demo world ---------------------------------------------------------------------------

    def _build_demo(self) -> DemoIds:
        """The demo user: a home in Utrecht with solar panels, a charger, two cars."""
        now = self.now()
        self.users[DEMO_USER_ID] = User(DEMO_USER_ID, DEMO_USER_CREATED, "demo@example.com")
        created = datetime(2023, 12, 19, 13, 30, tzinfo=UTC)
        location = self.add_location(
            DEMO_USER_ID,
            address=Address(
                "Stationsplein", "3511 ED", "1A", "Utrecht", "Utrecht", "NL", "Utrecht"
            ),
            latitude=52.0894,
            longitude=5.1100,
            solar_kwp=4.2,
            created_at=created,
            tariffs=TariffSettings(
                (Tariff("Dynamic", 0.0242, "EUR"),), (whole_week("Dynamic"),), created
            ),
        )
        location.contract = UtilityContract("Vattenfall", "NL-000123", False, created, created)
        charger = self.add_charger(location.id)
        self.chargers[charger.id].created_at = created
        routine = Routine(time(18, 30), time(7, 30))
        charging = self.add_vehicle(
            DEMO_USER_ID,
            brand="Volkswagen",
            model="ID.4",
            version="Pro Performance",
            battery_kwh=77.0,
            km_per_kwh=5.5,
            level=35.0,
            routine=routine,
            created_at=created,
        )
        parked = self.add_vehicle(
            DEMO_USER_ID,
            brand="Renault",
            model="Zoe",
            version="R135",
            battery_kwh=52.0,
            km_per_kwh=6.5,
            max_power_kw=22.0,
            level=64.0,
            capabilities=["ChargeState", "StateOfCharge", "GeoLocation", "PullTelemetry"],
            created_at=created,
        )
        start = (now - timedelta(hours=1)).replace(second=0, microsecond=0)
        self.add_sessions(5, vehicle_id=charging.id, forced_every=3)
        departure = next_local(now, routine.depart, location.time_zone)
        active = self._start_session(charging.id, None, 80, departure, start, False)
        self.add_message(
            "EndSession",
            at=start - timedelta(hours=5),
            dismissed=True,
            vehicle_id=charging.id,
        )
        action = self.add_message(
            "InvalidUtilityContract",
            at=now - timedelta(hours=27),
            location_id=location.id,
        )
        return DemoIds(
            DEMO_USER_ID, location.id, charger.id, charging.id, parked.id, active.id, action.id
        )
