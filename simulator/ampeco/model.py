"""The world of the simulated AMPECO tenant: charge points, EVSEs, sessions and modes.

Kept apart from the HTTP routes so the few physical rules read in one place:
- a session starts only on an online charge point with a car plugged in;
- while it runs, the car takes energy at the EVSE's power until it is full (then the EVSE
  reports ``suspendedEV``); an offline charge point delivers nothing;
- unplugging the car ends its session (reason ``evdisconnected``).

Energies on the wire are in Wh (``energy``, ``energyConsumption``), power in kW
(``powerKw``), as AMPECO's session resource uses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MODE_TYPES = (
    "user_controlled_schedule",
    "solar",
    "octopus_agile",
    "octopus_go",
    "nordpool",
    "energi_elspot",
)
# The demo tenant's tariff integrations; the seed's Octopus Agile example uses id 1.
DEMO_INTEGRATIONS = {"octopus_agile": 1, "octopus_go": 2, "nordpool": 3, "energi_elspot": 4}
DEMO_USER_ID = 1001
_MODE_NAMES = {
    "user_controlled_schedule": "Charging schedule",
    "solar": "Solar charging",
    "octopus_agile": "Octopus Agile",
    "octopus_go": "Octopus Go",
    "nordpool": "Nord Pool day-ahead prices",
    "energi_elspot": "Energi Elspot",
}


def iso(when: datetime) -> str:
    """A UTC timestamp the way the API writes it (``2026-11-23T12:00:00Z``)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def mode(kind: str, integration_id: int | None = None) -> dict[str, Any]:
    """One entry of ``available-personal-smart-charging-modes`` for a mode ``kind``.

    Tariff modes belong to an integration of the tenant; without an explicit id the demo
    tenant's one is used.
    """
    if kind not in MODE_TYPES:
        raise ValueError(f"unknown personal smart charging mode {kind!r}")
    if integration_id is None:
        integration_id = DEMO_INTEGRATIONS.get(kind)
    entry: dict[str, Any] = {
        "name": _MODE_NAMES[kind],
        "integrationId": integration_id,
        "type": kind,
    }
    match kind:
        case "user_controlled_schedule":
            entry["defaults"] = {"start_time": "22:00:00", "end_time": "06:00:00"}
        case "solar":
            entry["defaults"] = {}
        case "octopus_agile":
            entry["defaults"] = {"max_price": 0.25, "target_charge": {"departure_time": "07:30:00"}}
        case _:
            entry["defaults"] = {"target_charge": {"departure_time": "07:30:00"}}
    if kind in ("nordpool", "energi_elspot"):
        entry["locations"] = {"key": "GB1", "label": "United Kingdom"}
    return entry


# The guide: Nord Pool is day-ahead pricing for Sweden, Norway, Denmark, the UK and
# others. The contract's ``locations`` is one {key, label} object (its example GB1), so
# the demo tenant lists one ``nordpool`` entry per location it offers.
NORDPOOL_LOCATIONS = (
    ("GB1", "United Kingdom"),
    ("SE3", "Sweden (SE3)"),
    ("NO1", "Norway (NO1)"),
    ("DK1", "Denmark (DK1)"),
)


def nordpool_modes() -> list[dict[str, Any]]:
    """The demo tenant's Nord Pool entries, one per offered location."""
    return [
        mode("nordpool") | {"locations": {"key": key, "label": label}}
        for key, label in NORDPOOL_LOCATIONS
    ]


def all_modes() -> list[dict[str, Any]]:
    """Every mode, with the demo tenant's integrations (Nord Pool in several places)."""
    modes = []
    for kind in MODE_TYPES:
        modes.extend(nordpool_modes() if kind == "nordpool" else [mode(kind)])
    return modes


@dataclass
class SimEvse:
    """One EVSE (one car at a time) of a charge point."""

    id: int
    network_id: str
    created_at: datetime
    max_power_kw: float = 7.4
    plugged_in: bool = False
    # Energy the plugged-in car still takes before it is full.
    car_room_kwh: float = 0.0
    session_id: int | None = None
    # A session was stopped while the car stays plugged in: the contract's "finishing".
    finishing: bool = False


@dataclass
class SimSession:
    """A charging session, from the start action to stop or unplug."""

    id: int
    charge_point_id: int
    evse_id: int
    authorization_id: int
    started_at: datetime
    power_kw: float
    status: str = "active"
    stopped_at: datetime | None = None
    reason: str | None = None
    energy_kwh: float = 0.0
    current_kw: float = 0.0
    peak_kw: float = 0.0
    updated_at: datetime | None = None

    def finish(self, now: datetime, reason: str) -> None:
        """End the session."""
        self.status = "finished"
        self.stopped_at = now
        self.reason = reason
        self.current_kw = 0.0
        self.updated_at = now

    def json(self) -> dict[str, Any]:
        """The session resource."""
        wh = round(self.energy_kwh * 1000, 1)
        body: dict[str, Any] = {
            "id": str(self.id),
            "chargePointId": self.charge_point_id,
            "evseId": self.evse_id,
            "connectorId": None,
            "status": self.status,
            "userId": DEMO_USER_ID,
            "startedAt": iso(self.started_at),
            "stoppedAt": iso(self.stopped_at) if self.stopped_at else None,
            "energy": wh,
            "powerKw": self.current_kw,
            "energyConsumption": {"total": wh, "grid": wh},
            "power": {
                "latest": self.current_kw * 1000,
                "peak": self.peak_kw * 1000,
                "average": self._average_w(),
            },
            "authorizationId": self.authorization_id,
            "currency": "EUR",
            "paymentStatus": None,
            "billingStatus": None,
            "lastUpdatedAt": iso(self.updated_at or self.started_at),
        }
        if self.reason is not None:
            body["reason"] = self.reason
        return body

    def _average_w(self) -> float | None:
        end = self.stopped_at or self.updated_at
        if end is None or end <= self.started_at:
            return None
        hours = (end - self.started_at).total_seconds() / 3600
        return round(self.energy_kwh / hours * 1000, 1)


@dataclass
class SimChargePoint:
    """A home charge point with the personal smart charging modes it offers."""

    id: int
    name: str
    modes: list[dict[str, Any]]
    evses: list[SimEvse]
    created_at: datetime
    online: bool = True
    remote_start_stop: bool = True
    # The stored preference, already in the form the server echoes.
    preference: dict[str, Any] = field(default_factory=lambda: {"enabled": False})
    smart_charging: dict[str, Any] | None = None
    updated_at: datetime | None = None

    def offered(self, kind: str) -> dict[str, Any] | None:
        """The mode entry for ``kind``, or None when this charge point does not offer it."""
        return next((entry for entry in self.modes if entry["type"] == kind), None)

    def evse_by_network_id(self, network_id: str) -> SimEvse | None:
        """The EVSE a start action names by its network id."""
        return next((evse for evse in self.evses if evse.network_id == network_id), None)

    def touch(self, now: datetime) -> None:
        """Note a change (``lastUpdatedAt``)."""
        self.updated_at = now

    def json(self, include: set[str]) -> dict[str, Any]:
        """The charge point resource with the relations named in ``include``."""
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": "personal",
            "locationId": 1,
            "chargingZoneId": None,
            "networkType": "wlan",
            "status": "enabled",
            "network": {"id": f"AMP{self.id:06d}", "protocol": "ocpp 1.6"},
            "capabilities": (
                ["remote_start_stop_capable", "meter_values"]
                if self.remote_start_stop
                else ["meter_values"]
            ),
            "autoStartWithoutAuthorization": False,
            "disableAutoStartEmulation": False,
            "security": {
                "desiredProfile": 1,
                "currentProfile": 1,
                "desiredProfileStatus": "applied",
            },
            "modelId": None,
            "enableAutoFaultRecovery": True,
            "user": {"id": DEMO_USER_ID, "automaticFirmwareUpdatesEnabled": True},
            "utilityId": None,
            "createdAt": iso(self.created_at),
            "networkStatus": "available" if self.online else "temporarily_unavailable",
            "hardwareStatus": "available" if self.online else "unavailable",
            "tags": [],
            "usesRenewableEnergy": False,
            "lastUpdatedAt": iso(self.updated_at or self.created_at),
            "communicationMode": "direct_ocpp",
        }
        body |= self._relations(include)
        return body

    def _relations(self, include: set[str]) -> dict[str, Any]:
        relations: dict[str, Any] = {}
        if "lastBootNotification" in include:
            relations["lastBootNotification"] = {
                "model": "Home 7",
                "vendor": "Simulated",
                "chargePointSerialNumber": f"SIM-{self.id:06d}",
                "firmwareVersion": "1.0.0",
                "lastUpdatedAt": iso(self.created_at),
            }
        if "chargingProfile" in include:
            relations["chargingProfile"] = None
        if "smartCharging" in include:
            relations["smartCharging"] = self.smart_charging
        if "smartChargingPreferences" in include:
            relations["smartChargingPreferences"] = None
        if "personalSmartChargingPreferences" in include:
            relations["personalSmartChargingPreferences"] = self.preference
        if "availablePersonalSmartChargingModes" in include:
            relations["availablePersonalSmartChargingModes"] = self.modes
        return relations

    def evse_json(
        self, evse: SimEvse, session: SimSession | None, include: set[str]
    ) -> dict[str, Any]:
        """The EVSE resource; its hardware status follows the car and the session."""
        body: dict[str, Any] = {
            "id": evse.id,
            "physicalReference": f"{self.id}-{evse.network_id}",
            "label": f"{self.name} {evse.network_id}",
            "currentType": "ac",
            "networkId": evse.network_id,
            "status": "enabled",
            "hardwareStatus": self.hardware_status(evse, session),
            "roamingOperatorId": 1,
            "powerOptions": {
                "maxPower": round(evse.max_power_kw * 1000),
                "maxVoltage": "230",
                "maxAmperage": round(evse.max_power_kw * 1000 / 230, 1),
                "phases": "single_phase",
                "phaseRotation": None,
                "connectedPhase": None,
            },
            "createdAt": iso(evse.created_at),
            "lastUpdatedAt": iso(self.updated_at or evse.created_at),
        }
        if "connectors" in include:
            body["connectors"] = [
                {"id": evse.id * 10 + 1, "type": "type2", "format": "socket", "status": "enabled"}
            ]
        if "chargingProfile" in include:
            body["chargingProfile"] = None
        return body

    def hardware_status(self, evse: SimEvse, session: SimSession | None) -> str:
        """OCPP-style status of one EVSE."""
        if not self.online:
            return "unavailable"
        if not evse.plugged_in:
            return "available"
        if session is None or session.status != "active":
            # The contract: "finishing" once a transaction has stopped and the cable is
            # still in; "preparing" for a car plugged in before one starts.
            return "finishing" if evse.finishing else "preparing"
        return "charging" if session.current_kw > 0 else "suspendedEV"
