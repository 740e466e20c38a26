"""Polling one Jedlix user: cars, chargers, charging locations, prices and messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ...clouds.errors import SmartChargingError
from ...clouds.jedlix.client import JedlixClient
from ...clouds.jedlix.models import JedlixCharger, Message, Session, TariffSettings
from ...clouds.jedlix.session_settings import (
    DEPARTURE_TIMES,
    DESIRED_STATE_OF_CHARGE,
    START_STOP_CHARGING,
    SessionSettings,
    has_capability,
)
from ...clouds.models import ChargerState, ChargerStatus, ChargeState
from ...const import (
    OPT_ACTIVE_INTERVAL,
)
from ...coordinator import TICK, SmartChargingConfigEntry, SmartChargingCoordinator, same_or
from ...helpers import cloud_error, invalid
from ...model import ChargerData
from .messages import async_message_dismissed, async_sync_messages
from .model import JedlixLocationData, JedlixSnapshot, JedlixVehicleData

# A Jedlix charge state, as the neutral charger status.
_JEDLIX_STATUS: dict[ChargeState, ChargerStatus] = {
    ChargeState.CHARGING: ChargerStatus.CHARGING,
    ChargeState.COMPLETE: ChargerStatus.COMPLETED,
    ChargeState.DISCONNECTED: ChargerStatus.DISCONNECTED,
    ChargeState.STOPPED: ChargerStatus.AWAITING_START,
}
# The cars are read every 90 s unless the options say otherwise: a car that plugs in
# shows within that, under the two minutes a home owner waits.
VEHICLES_INTERVAL = timedelta(seconds=90)
# How often each part of a Jedlix account is read, in polls of ``active_interval``:
# within 60 requests an hour at the default 90 s (40 + 10 + 3.3 + 3.3), with the hourly
# prices and solar energy (2 a location) and the locations and tariffs every two hours.
_JEDLIX_EVERY = {"vehicles": 1, "sessions": 4, "chargers": 12, "messages": 12}
# What a session write needs of the car, and the refusal when it lacks it.
_NEEDS = {
    "departure_time": (DEPARTURE_TIMES, "vehicle_no_departure_times"),
    "target": (DESIRED_STATE_OF_CHARGE, "vehicle_no_desired_state_of_charge"),
    "boost": (START_STOP_CHARGING, "vehicle_no_start_stop_charging"),
}


class JedlixCoordinator(SmartChargingCoordinator[JedlixClient]):
    """Polls one Jedlix user.

    Every ``active_interval`` (90 s unless set): the vehicles (one request, with their
    state), so a car plugging in is noticed within it; every fourth poll the sessions of
    the cars that are plugged in, all from one read of the user's session list (never
    one request per car); every twelfth poll the chargers and the messages. Prices and
    solar energy once an hour (they are hourly), locations and tariffs every
    ``settings_interval``, each on a tick between two polls.
    """

    brand = "Jedlix"

    def __init__(
        self, hass: HomeAssistant, entry: SmartChargingConfigEntry, client: JedlixClient
    ) -> None:
        super().__init__(hass, entry, client)
        self._due = dt_util.utcnow()
        # When each part of the account is next read (absent: at the next poll).
        self._part_due: dict[str, datetime] = {}
        self._hourly_due = dt_util.utcnow()
        self._vehicles: dict[str, JedlixVehicleData] = {}
        # The newest session start seen: a session not seen yet starts after it.
        self._newest_start: datetime | None = None
        self._chargers: dict[str, ChargerData] = {}
        self._locations: dict[str, JedlixLocationData] = {}
        self._messages: tuple[Message, ...] = ()
        self._seen_messages: set[str] = set()
        # The planner hands a car's departure and goal to Jedlix, which schedules it.
        self.goal_control = self

    async def _async_fetch(self) -> JedlixSnapshot:
        now = dt_util.utcnow()
        initial = self.data is None
        poll_due = initial or now >= self._due
        # The slower reads take a tick between polls, never a poll's own: no refresh
        # sends more than the four lists of a poll (after the first, which reads all).
        if initial or not poll_due:
            structure = now >= self._structure_due
            if structure:
                await self._fetch_locations(now)
            if now >= self._hourly_due and (initial or not structure):
                await self._fetch_hourly(now)
        if not poll_due:
            return self._snapshot()
        interval = self.option(OPT_ACTIVE_INTERVAL, VEHICLES_INTERVAL)
        self._due = now + interval
        due = {part for part in _JEDLIX_EVERY if now >= self._part_due.get(part, now)}
        first = not self._part_due
        for part in due:
            # Half a tick early is on time: polls come on the tick, not to the second.
            self._part_due[part] = now + interval * _JEDLIX_EVERY[part] - TICK / 2
        if "vehicles" in due:
            await self._fetch_vehicles(sessions_due="sessions" in due)
        if "chargers" in due:
            self._chargers = {
                c.id: same_or(self._chargers.get(c.id), self._charger_data(c))
                for c in await self.client.async_chargers()
            }
        if "messages" in due:
            messages = tuple(await self.client.async_messages())
            async_sync_messages(
                self.hass,
                self.config_entry,
                messages,
                self._seen_messages,
                first=first,
            )
            # The rest were announced by their event: an inbox the user never empties
            # must not grow in memory with it.
            self._messages = tuple(m for m in messages if m.needs_action)
        return self._snapshot()

    def _snapshot(self) -> JedlixSnapshot:
        return JedlixSnapshot(
            chargers=dict(self._chargers),
            vehicles=dict(self._vehicles),
            locations=dict(self._locations),
            messages=self._messages,
        )

    async def _fetch_locations(self, now: datetime) -> None:
        locations = sorted(
            await self.client.async_charging_locations(),
            key=lambda loc: loc.created_at or now,
        )
        fresh = {}
        for index, location in enumerate(locations, start=1):
            old = self._locations.get(location.id)
            fresh[location.id] = JedlixLocationData(
                location=location,
                name="Charging location" if len(locations) == 1 else f"Charging location {index}",
                prices=old.prices if old else (),
                solar=old.solar if old else (),
                tariffs=await self.client.async_tariffs(location.id),
            )
        self._locations = fresh
        self._hourly_due = min(self._hourly_due, now)
        self._structure_read(now)

    async def _fetch_hourly(self, now: datetime) -> None:
        """Today's and tomorrow's prices and today's solar energy, once an hour."""
        midnight = dt_util.start_of_local_day()
        for location_id, data in self._locations.items():
            self._locations[location_id] = replace(
                data,
                prices=tuple(await self.client.async_dynamic_tariffs(location_id)),
                solar=tuple(await self.client.async_solar_energy(location_id, midnight, now)),
            )
        next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        self._hourly_due = next_hour + timedelta(minutes=1)

    async def _fetch_vehicles(self, *, sessions_due: bool) -> None:
        vehicles = await self.client.async_vehicles()
        # Cars seen for the first time: their latest sessions from the user's session
        # list, a few pages for a whole fleet (one request per car would not scale).
        new = [v.id for v in vehicles if v.id not in self._vehicles]
        first_look = await self.client.async_latest_sessions(new) if new else {}
        self._saw(first_look.values())
        # Plugged in (or was): follow its session; a parked car's is settled.
        followed = [
            v.id
            for v in vehicles
            if (old := self._vehicles.get(v.id)) is not None
            and (
                v.charge_state is not ChargeState.DISCONNECTED
                or (old.session is not None and old.session.is_active)
            )
        ]
        latest = await self._latest_sessions(followed) if followed and sessions_due else {}
        fresh = {}
        for vehicle in vehicles:
            old = self._vehicles.get(vehicle.id)
            if old is None:
                session = first_look.get(vehicle.id)
            else:
                session = same_or(old.session, latest.get(vehicle.id, old.session))
            # Boost is what we set for this session: a new session starts without.
            boost = (
                old.boost
                if old is not None and old.session and session and old.session.id == session.id
                else None
            )
            fresh[vehicle.id] = same_or(
                old, JedlixVehicleData(vehicle=vehicle, session=session, boost=boost)
            )
        self._vehicles = fresh

    async def _latest_sessions(self, followed: list[str]) -> dict[str, Session]:
        """The followed cars' latest sessions, from one read of the user's session list.

        Only sessions that can have changed are asked for: from the start of the oldest
        one still running, or newer than any seen before (a new one starts after those).
        """
        starts = [
            session.start
            for vehicle_id in followed
            if (session := self._vehicles[vehicle_id].session) is not None
            and session.is_active
            and session.start is not None
        ]
        if self._newest_start is not None:
            starts.append(self._newest_start)
        sessions = await self.client.async_sessions(start_from=min(starts, default=None))
        self._saw(sessions)
        wanted, latest = set(followed), {}
        for session in sessions:  # newest first
            if session.vehicle_id in wanted and session.vehicle_id not in latest:
                latest[session.vehicle_id] = session
        return latest

    def _saw(self, sessions: Iterable[Session]) -> None:
        for session in sessions:
            if session.start is not None and (
                self._newest_start is None or session.start > self._newest_start
            ):
                self._newest_start = session.start

    @staticmethod
    def _charger_data(charger: JedlixCharger) -> ChargerData:
        state = charger.state
        status = (
            _JEDLIX_STATUS.get(state.charge_state, ChargerStatus.UNKNOWN)
            if state is not None
            else ChargerStatus.UNKNOWN
        )
        return ChargerData(
            charger=charger.as_charger(),
            state=ChargerState(status=status, power_kw=state.power_kw if state else None),
        )

    @callback
    def async_apply_tariffs(self, location_id: str, tariffs: TariffSettings) -> None:
        """Show the tariffs the cloud answered a write with."""
        data = self._locations.get(location_id)
        if data is None or self.data is None:
            return
        self._locations[location_id] = replace(data, tariffs=tariffs)
        self.async_show(self._snapshot())

    @callback
    def async_apply_session_settings(self, vehicle_id: str, settings: SessionSettings) -> None:
        """Show the target and departure the cloud read back after a write."""
        data = self._vehicles.get(vehicle_id)
        if data is None or data.session is None or self.data is None:
            return
        desired, departure = settings.desired_state_of_charge, settings.departure_time
        self._vehicles[vehicle_id] = replace(
            data,
            vehicle=replace(
                data.vehicle, desired_state_of_charge=desired, departure_time=departure
            ),
            session=replace(
                data.session, desired_state_of_charge=desired, departure_time=departure
            ),
        )
        self.async_show(self._snapshot())

    async def async_write_session(
        self,
        key: str,
        *,
        departure: datetime | None = None,
        target: int | None = None,
        boost: bool | None = None,
    ) -> None:
        """Write the running session's settings the car can take; show what reads back.

        Refused before sending (a translated ``ServiceValidationError``) when the car's
        capabilities do not allow a setting or no session is running.
        """
        data = self._vehicles.get(key)
        if data is None:  # pragma: no cover - entities and actions find known cars
            raise invalid("not_a_vehicle", name=key)
        car = data.vehicle
        name = " ".join(part for part in (car.brand, car.model) if part) or key
        asked = {"departure_time": departure, "target": target, "boost": boost}
        for field, value in asked.items():
            capability, refusal = _NEEDS[field]
            if value is not None and not has_capability(car.capabilities, capability):
                raise invalid(refusal, field=field, name=name)
        if data.session is None or not data.session.is_active:
            raise invalid("vehicle_no_active_session", name=name)
        session_id = data.session.id
        try:
            if departure is not None or target is not None:
                settings = await self.client.async_set_session_settings(
                    session_id, desired_state_of_charge=target, departure_time=departure
                )
                self.async_apply_session_settings(key, settings)
            if boost is not None:
                await self.client.async_set_boost(session_id, boost)
                if (now := self._vehicles.get(key)) is not None:
                    self._vehicles[key] = now.with_boost(session_id, boost)
                    self.async_show(self._snapshot())
        except SmartChargingError as err:
            raise cloud_error(err) from err

    def takes_goal(self, key: str) -> bool:
        """Whether the car has a running session and takes departure times."""
        data = self._vehicles.get(key)
        return bool(
            data
            and data.session
            and data.session.is_active
            and has_capability(data.vehicle.capabilities, DEPARTURE_TIMES)
        )

    async def async_set_goal(self, key: str, departure: datetime, soc: int | None) -> None:
        """Write the running session's departure (and desired state of charge).

        Like ``async_write_session``, but a refusal stays the cloud's error: the planner
        logs it rather than showing it to a user who did not ask for this write.
        """
        data = self._vehicles[key]
        if data.session is None:  # pragma: no cover - takes_goal is asked first
            return
        if not has_capability(data.vehicle.capabilities, DESIRED_STATE_OF_CHARGE):
            soc = None
        settings = await self.client.async_set_session_settings(
            data.session.id, desired_state_of_charge=soc, departure_time=departure
        )
        self.async_apply_session_settings(key, settings)

    def knows_message(self, message_id: str) -> bool:
        """Whether ``message_id`` is among the messages last read from the cloud."""
        return message_id in self._seen_messages

    @callback
    def async_forget_message(self, message_id: str) -> None:
        """A dismissed message no longer needs the user."""
        self._messages = tuple(m for m in self._messages if m.id != message_id)
        async_message_dismissed(self.hass, self.config_entry, message_id)
        self.async_show(self._snapshot())
