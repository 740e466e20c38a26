"""Turn the Jedlix world into v2 JSON, at the simulated time.

One place decides every field name, date format and enum value, so the unseen-enum switch
changes all responses at once and no handler can forget it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .curves import HOUR, day_ahead_price, floor_hour, solar_energy_kwh
from .model import (
    UNSEEN,
    Charger,
    Location,
    Message,
    Session,
    User,
    UtilityContract,
    Vehicle,
)
from .tariffs import TARIFF_TYPES
from .wire import fmt_time
from .world import JedlixWorld

CURRENCY = "EUR"
_STEP = timedelta(minutes=15)
_MAX_TARIFF_SPAN = timedelta(days=7)


def user_json(user: User) -> dict[str, Any]:
    """A user."""
    created = fmt_time(user.created_at)
    return {"id": user.id, "email": user.email, "createdAt": created, "updatedAt": created}


def location_json(location: Location) -> dict[str, Any]:
    """A charging location, in the shape of the seed's example."""
    return {
        "id": location.id,
        "userId": location.user_id,
        "coordinates": {"latitude": location.latitude, "longitude": location.longitude},
        "address": location.address.as_json(),
        "createdAt": fmt_time(location.created_at),
        "updatedAt": fmt_time(location.updated_at),
    }


def contract_json(location: Location, contract: UtilityContract) -> dict[str, Any]:
    """A utility contract of a charging location."""
    return {
        "chargingLocationId": location.id,
        "utilityName": contract.utility_name,
        "contractNumber": contract.contract_number,
        "isValid": contract.is_valid,
        "createdAt": fmt_time(contract.created_at),
        "updatedAt": fmt_time(contract.updated_at),
    }


class Renderer:
    """Renders objects of ``world`` as they are at ``now``."""

    def __init__(self, world: JedlixWorld, now: datetime) -> None:
        self.world = world
        self.now = now

    def _enum(self, field: str, value: str) -> str:
        return self.world.enum(field, value)

    def vehicle_state(self, vehicle: Vehicle) -> dict[str, Any]:
        """The car's chargeState object (also ``/vehicles/{id}/state``)."""
        session = self.world.active_session(vehicle.id)
        level = session.level_at(self.now) if session else vehicle.level
        state = session.charge_state(self.now) if session else "Disconnected"
        return {
            "batteryLevel": round(level, 1),
            "range": round(vehicle.range_km(level)),
            "chargeState": self._enum("chargeState", state),
            "updatedAt": fmt_time(self.now),
        }

    def vehicle(self, vehicle: Vehicle) -> dict[str, Any]:
        """A car; desired charge and departure only where the car offers them."""
        session = self.world.active_session(vehicle.id)
        capabilities = list(vehicle.capabilities)
        if "capability" in self.world.unseen:
            capabilities.append(UNSEEN["capability"])
        desired = session.desired_soc if session else vehicle.desired_soc
        departure = session.departure if session else None
        return {
            "id": vehicle.id,
            "userId": vehicle.user_id,
            "createdAt": fmt_time(vehicle.created_at),
            "details": {"brand": vehicle.brand, "model": vehicle.model, "version": vehicle.version},
            "isConnected": session is not None,
            "isConnectable": vehicle.is_connectable,
            "capabilities": capabilities,
            "chargeState": self.vehicle_state(vehicle),
            "desiredStateOfCharge": desired if vehicle.has("DesiredStateOfCharge") else None,
            "departureTime": fmt_time(departure) if vehicle.has("DepartureTimes") else None,
        }

    def charger_state(self, charger: Charger) -> dict[str, Any]:
        """What the charger does now (also ``/chargers/{id}/state``)."""
        session = self.world.charger_session(charger.id)
        state = session.charge_state(self.now) if session else "Disconnected"
        return {
            "chargeState": self._enum("chargeState", state),
            "chargePower": round(session.power_at(self.now), 2) if session else 0.0,
            "timeStamp": fmt_time(self.now),
        }

    def charger(self, charger: Charger) -> dict[str, Any]:
        """A charger."""
        return {
            "id": charger.id,
            "chargingLocationId": charger.location_id,
            "detail": {"brand": charger.brand, "model": charger.model},
            "chargerState": self.charger_state(charger),
        }

    def session(self, session: Session) -> dict[str, Any]:
        """A session; calibrationState only while it is active."""
        until = self.now if session.end is None else min(self.now, session.end)
        calibration = session.calibration_state(self.now)
        return {
            "id": session.id,
            "userId": session.user_id,
            "vehicleId": session.vehicle_id,
            "chargingLocationId": session.location_id,
            "chargerId": session.charger_id,
            "startTime": fmt_time(session.start),
            "endTime": fmt_time(session.end),
            "status": self._enum("sessionStatus", session.status),
            "calibrationState": (
                None if calibration is None else self._enum("calibrationState", calibration)
            ),
            "chargedEnergy": round(session.energy_at(until), 3),
            "startBatteryLevel": round(session.start_level, 1),
            "batteryLevel": round(session.level_at(until), 1),
            "desiredStateOfCharge": session.desired_soc,
            "departureTime": fmt_time(session.departure),
            "createdAt": fmt_time(session.start),
            "updatedAt": fmt_time(session.end or self.now),
        }

    def session_settings(self, session: Session) -> dict[str, Any]:
        """The settings of a session: how full, by when."""
        return {
            "sessionId": session.id,
            "desiredStateOfCharge": session.desired_soc,
            "departureTime": fmt_time(session.departure),
            "updatedAt": fmt_time(session.settings_updated_at or session.start),
        }

    def message(self, message: Message) -> dict[str, Any]:
        """A message."""
        return {
            "id": message.id,
            "userId": message.user_id,
            "type": self._enum("messageType", message.type),
            "notificationType": self._enum("notificationType", message.notification_type),
            "title": message.title,
            "body": message.body,
            "vehicleId": message.vehicle_id,
            "chargingLocationId": message.location_id,
            "isDismissed": message.dismissed_at is not None,
            "dismissedAt": fmt_time(message.dismissed_at),
            "createdAt": fmt_time(message.created_at),
        }

    def _renames(self) -> dict[str, str]:
        if "tariffType" not in self.world.unseen:
            return {}
        return dict.fromkeys(TARIFF_TYPES, UNSEEN["tariffType"])

    def tariffs(self, location: Location) -> dict[str, Any]:
        """A location's tariff settings (the caller checks there are some)."""
        assert location.tariffs is not None
        return {"chargingLocationId": location.id} | location.tariffs.as_json(self._renames())

    # --- prices and sunshine -------------------------------------------------------------------

    def surcharge(self, location: Location) -> float:
        """What the supplier adds to the market price: the Dynamic tariff's own price."""
        settings = location.tariffs
        dynamic = settings.by_type("Dynamic") if settings else None
        return dynamic.price if dynamic else 0.0

    def dynamic_price(self, location: Location, slot: datetime) -> float:
        """The all-in price of the hour starting at ``slot``."""
        return round(day_ahead_price(slot, location.time_zone) + self.surcharge(location), 5)

    def data_type(self, slot_start: datetime) -> str:
        """Actual once the slot has begun, Forecast for what lies ahead."""
        return self._enum("dataType", "Actual" if slot_start <= self.now else "Forecast")

    def dynamic_tariffs(
        self, location: Location, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Hourly prices in ``[start, end)``, one item per hour."""
        items = []
        slot = floor_hour(start)
        while slot < end:
            items.append(
                {
                    "startTime": fmt_time(slot),
                    "endTime": fmt_time(slot + HOUR),
                    "price": self.dynamic_price(location, slot),
                    "currency": CURRENCY,
                    "dataType": self.data_type(slot),
                }
            )
            slot += HOUR
        return items

    def solar_energy(
        self, location: Location, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Energy of the location's panels per hour, clipped to ``[start, end)``."""
        items = []
        slot = floor_hour(start)
        while slot < end:
            low, high = max(slot, start), min(slot + HOUR, end)
            energy = solar_energy_kwh(
                low, high, location.latitude, location.longitude, location.solar_kwp
            )
            items.append(
                {
                    "startTime": fmt_time(low),
                    "endTime": fmt_time(high),
                    "energy": round(energy, 3),
                    "dataType": self.data_type(low),
                }
            )
            slot += HOUR
        return items

    def price_at(self, location: Location, when: datetime) -> tuple[str, float] | None:
        """The tariff type and price in force at a location, if it has tariffs."""
        settings = location.tariffs
        tariff = settings.tariff_at(when, location.time_zone) if settings else None
        if tariff is None:
            return None
        if tariff.type == "Dynamic":
            return tariff.type, self.dynamic_price(location, floor_hour(when))
        return tariff.type, tariff.price

    def session_tariffs(self, session: Session) -> list[dict[str, Any]]:
        """The tariffs that applied during a session, one item per unchanged stretch."""
        location = self.world.location_of(session)
        if location is None:
            return []
        end = min(session.end or self.now, self.now, session.start + _MAX_TARIFF_SPAN)
        items: list[dict[str, Any]] = []
        minute = session.start
        while minute < end:
            price = self.price_at(location, minute)
            if price is not None:
                kind = self._renames().get(price[0], price[0])
                last = items[-1] if items else None
                if last and (last["tariffType"], last["price"]) == (kind, price[1]):
                    last["endTime"] = fmt_time(min(minute + timedelta(minutes=1), end))
                else:
                    items.append(
                        {
                            "startTime": fmt_time(minute),
                            "endTime": fmt_time(min(minute + timedelta(minutes=1), end)),
                            "tariffType": kind,
                            "price": price[1],
                            "currency": CURRENCY,
                        }
                    )
            minute += timedelta(minutes=1)
        return items

    def session_cost(self, session: Session) -> float:
        """Energy times the price in force, in quarter hours until charging stopped."""
        location = self.world.location_of(session)
        until = min(session.end or self.now, self.now)
        final = session.energy_at(until)
        cost, moment, energy = 0.0, session.start, 0.0
        while location is not None and moment < until and energy < final:
            step_end = min(moment + _STEP, until)
            step_energy = session.energy_at(step_end)
            price = self.price_at(location, moment)
            cost += (step_energy - energy) * (price[1] if price else 0.0)
            moment, energy = step_end, step_energy
        return cost

    def financials(self, user_id: str, sessions: list[Session]) -> dict[str, Any]:
        """Energy and cost of the sessions, in total and per session."""
        items = []
        total_energy = total_cost = 0.0
        for session in sessions:
            until = min(session.end or self.now, self.now)
            energy = session.energy_at(until)
            cost = self.session_cost(session)
            total_energy += energy
            total_cost += cost
            items.append(
                {
                    "sessionId": session.id,
                    "vehicleId": session.vehicle_id,
                    "chargingLocationId": session.location_id,
                    "startTime": fmt_time(session.start),
                    "endTime": fmt_time(session.end),
                    "chargedEnergy": round(energy, 3),
                    "cost": round(cost, 2),
                    "averagePrice": round(cost / energy, 4) if energy else None,
                    "currency": CURRENCY,
                }
            )
        return {
            "userId": user_id,
            "currency": CURRENCY,
            "sessionCount": len(items),
            "chargedEnergy": round(total_energy, 3),
            "cost": round(total_cost, 2),
            "items": items,
        }
