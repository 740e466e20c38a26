"""The physics of a simulated Easee charger: what its state is, given what happened.

Kept apart from the HTTP routes so the rules of seed 003 read in one place:
- start/stop authorize and deauthorize; pause/resume keep the session authorized;
- with *authorization required* and no authorization, op mode 2 (AwaitingStart),
  reason 55 and LED mode 25;
- a pending schedule holds charging (reason 54) until override_schedule;
- smart charging turns the LED blue;
- *AuthorizationRequired* and *LocalPreAuthorizeEnabled* exclude each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import json
from typing import Any

VOLTAGE = 230.0
PHASES = 3

# chargerOpMode values (apis.md).
OFFLINE, DISCONNECTED, AWAITING_START, CHARGING, COMPLETED, ERROR, READY_TO_CHARGE = range(7)
# reasonForNoCurrent values the model produces.
REASON_OK = 0
REASON_CIRCUIT_TOO_LOW = 1
REASON_DYNAMIC_CHARGER_CURRENT_TOO_LOW = 52
REASON_PENDING_SCHEDULE = 54
REASON_NOT_AUTHORIZED = 55
REASON_ERROR = 56
# ledMode values.
LED_IDLE, LED_CHARGING, LED_SMART, LED_AWAITING_AUTH = 18, 20, 22, 25

# Observation ids (seed 003).
OBS_REASON_FOR_NO_CURRENT = 96
OBS_CHARGER_OP_MODE = 109
OBS_TOTAL_POWER = 120
OBS_SESSION_ENERGY = 121
OBS_LIFETIME_ENERGY = 124
OBS_CHARGING_SESSION = 129
AUTH_REASON_OFFLINE_WHITELIST = 3
AUTH_REASON_OFFLINE_ALLOW_ALL = 4

SETTING_TYPES: dict[str, type] = {
    "enabled": bool,
    "authorizationRequired": bool,
    "localPreAuthorizeEnabled": bool,
    "localAuthorizeOfflineEnabled": bool,
    "allowOfflineTxForUnknownId": bool,
    "smartButtonEnabled": bool,
    "smartCharging": bool,
    "enableIdleCurrent": bool,
    "dynamicChargerCurrent": float,
    "maxChargerCurrent": float,
    # pyeasee 0.8.21 (charger.py) sends these to /settings too.
    "limitToSinglePhaseCharging": bool,
    "phaseMode": int,
    "ledStripBrightness": int,
}
# pyeasee 0.8.21 (charger.py, PHASE_MODE): 1 single phase, 2 auto, 3 three phase.
PHASE_MODES = (1, 2, 3)
MAX_CURRENT_LIMIT = 32.0


@dataclass
class Observation:
    """One observation value as the cloud stores it."""

    id: int
    value: Any
    timestamp: datetime


@dataclass
class SimCharger:
    """One simulated charger and its car."""

    id: str
    name: str
    site_id: int
    circuit_id: int
    settings: dict[str, Any] = field(
        default_factory=lambda: {
            "enabled": True,
            "authorizationRequired": True,
            "localPreAuthorizeEnabled": False,
            "localAuthorizeOfflineEnabled": True,
            "allowOfflineTxForUnknownId": False,
            "smartButtonEnabled": False,
            "smartCharging": False,
            "enableIdleCurrent": False,
            "dynamicChargerCurrent": 32.0,
            "maxChargerCurrent": 32.0,
            "limitToSinglePhaseCharging": False,
            "phaseMode": 2,
            "ledStripBrightness": 50,
        }
    )
    online: bool = True
    car_connected: bool = False
    energy_wanted: float = 0.0
    authorized: bool = False
    paused: bool = False
    schedule_pending: bool = False
    error: bool = False
    session_energy: float = 0.0
    lifetime_energy: float = 1234.5
    session_id: int = 0
    available_current: float = MAX_CURRENT_LIMIT
    # Raw values a test forces, to check that unknown codes never crash a client.
    forced_op_mode: int | None = None
    forced_reason: int | None = None
    observations: dict[int, Observation] = field(default_factory=dict)

    # --- derived state -------------------------------------------------------------

    @property
    def is_charging(self) -> bool:
        """Whether current flows to the car now."""
        return self.op_mode() == CHARGING

    def op_mode(self) -> int:
        """chargerOpMode from the charger's situation."""
        if self.forced_op_mode is not None:
            return self.forced_op_mode
        if not self.online:
            return OFFLINE
        if self.error:
            return ERROR
        if not self.car_connected:
            return DISCONNECTED
        if self.settings["authorizationRequired"] and not self.authorized:
            return AWAITING_START
        if self.paused or self.schedule_pending or self.current() <= 0:
            return AWAITING_START
        if self.session_energy >= self.energy_wanted:
            return COMPLETED
        return CHARGING

    def reason(self) -> int:
        """reasonForNoCurrent from the charger's situation."""
        if self.forced_reason is not None:
            return self.forced_reason
        if self.error:
            return REASON_ERROR
        if self.car_connected and self.settings["authorizationRequired"] and not self.authorized:
            return REASON_NOT_AUTHORIZED
        if self.car_connected and self.paused:
            return REASON_DYNAMIC_CHARGER_CURRENT_TOO_LOW
        if self.car_connected and self.schedule_pending:
            return REASON_PENDING_SCHEDULE
        if self.car_connected and self.available_current <= 0:
            return REASON_CIRCUIT_TOO_LOW
        return REASON_OK

    @property
    def dynamic_current(self) -> float:
        """dynamicChargerCurrent as the cloud reports it: 0 while paused.

        Pausing is the dynamic charger current set to 0 and resuming sets it back
        (evcc's Easee traces: issues #9181 and #8909, docs/references.md).
        """
        return 0.0 if self.paused else float(self.settings["dynamicChargerCurrent"])

    def current(self) -> float:
        """Amps per phase the charger may give the car."""
        if self.paused:
            return 0.0
        return max(
            0.0,
            min(
                float(self.settings["maxChargerCurrent"]),
                float(self.settings["dynamicChargerCurrent"]),
                self.available_current,
            ),
        )

    def power_kw(self) -> float:
        """totalPower in kW."""
        return round(self.current() * VOLTAGE * PHASES / 1000, 3) if self.is_charging else 0.0

    def led_mode(self) -> int:
        """ledMode as the charger reports it."""
        if self.car_connected and self.settings["authorizationRequired"] and not self.authorized:
            return LED_AWAITING_AUTH
        if self.settings["smartCharging"]:
            return LED_SMART
        return LED_CHARGING if self.is_charging else LED_IDLE

    # --- time ------------------------------------------------------------------------

    def run(self, seconds: float) -> None:
        """Let ``seconds`` pass: energy flows while charging."""
        if seconds <= 0 or not self.is_charging:
            return
        wanted = max(self.energy_wanted - self.session_energy, 0.0)
        energy = min(self.power_kw() * seconds / 3600, wanted)
        self.session_energy = round(self.session_energy + energy, 6)
        self.lifetime_energy = round(self.lifetime_energy + energy, 6)

    # --- what a person does ------------------------------------------------------------

    def plug_in(self, energy_wanted: float, now: datetime) -> None:
        """A car is plugged in and wants ``energy_wanted`` kWh."""
        self.car_connected = True
        self.energy_wanted = energy_wanted
        self.session_energy = 0.0
        self.session_id += 1
        if self.settings["localPreAuthorizeEnabled"] or not self.settings["authorizationRequired"]:
            self.authorized = True
        self.observe(now)

    def unplug(self, now: datetime) -> None:
        """The car leaves; the session ends and authorization with it."""
        self.car_connected = False
        self.authorized = False
        self.paused = False
        self.observe(now)

    def offline_session(self, energy: float, now: datetime) -> int | None:
        """A session ran while the charger was offline; report it as the cloud would.

        Returns the AuthReason (3 whitelist, 4 allow all) or None when the settings
        would not have allowed charging offline.
        """
        if self.settings["allowOfflineTxForUnknownId"]:
            reason = AUTH_REASON_OFFLINE_ALLOW_ALL
        elif self.settings["localAuthorizeOfflineEnabled"]:
            reason = AUTH_REASON_OFFLINE_WHITELIST
        else:
            return None
        self.session_id += 1
        self.lifetime_energy = round(self.lifetime_energy + energy, 6)
        session = {
            "Id": self.session_id,
            "AuthReason": reason,
            "Energy": energy,
            "Start": (now - timedelta(hours=1)).isoformat(),
            "Stop": now.isoformat(),
        }
        self.observations[OBS_CHARGING_SESSION] = Observation(
            OBS_CHARGING_SESSION, json.dumps(session), now
        )
        return reason

    def observe(self, now: datetime) -> None:
        """Record the observations that changed."""
        values = {
            OBS_REASON_FOR_NO_CURRENT: self.reason(),
            OBS_CHARGER_OP_MODE: self.op_mode(),
            OBS_TOTAL_POWER: self.power_kw(),
            OBS_SESSION_ENERGY: round(self.session_energy, 3),
            OBS_LIFETIME_ENERGY: round(self.lifetime_energy, 3),
        }
        for obs_id, value in values.items():
            old = self.observations.get(obs_id)
            if old is None or old.value != value:
                self.observations[obs_id] = Observation(obs_id, value, now)

    # --- commands and settings -----------------------------------------------------------

    def command(self, name: str) -> bool:
        """Carry out a command; return whether it changed anything (ticks > 0)."""
        before = (self.authorized, self.paused, self.schedule_pending)
        match name:
            case "start_charging":
                self.authorized, self.paused = self.car_connected, False
            case "stop_charging":
                self.authorized = False
            case "pause_charging":
                self.paused = self.authorized or not self.settings["authorizationRequired"]
            case "resume_charging":
                self.paused = False
            case "toggle_charging":
                self.command(self._toggle_target())
            case "override_schedule":
                self.schedule_pending = False
                self.paused = False
        return before != (self.authorized, self.paused, self.schedule_pending)

    def _toggle_target(self) -> str:
        # The access level decides: with authorization required the toggle starts and
        # stops the session; without, it pauses and resumes.
        running = self.is_charging
        if self.settings["authorizationRequired"]:
            return "stop_charging" if running or self.authorized else "start_charging"
        return "pause_charging" if running else "resume_charging"

    def apply_settings(self, changes: dict[str, Any]) -> None:
        """Apply validated settings, keeping the two authorization settings exclusive."""
        for key, value in changes.items():
            self.settings[key] = float(value) if SETTING_TYPES[key] is float else value
        if changes.get("authorizationRequired") is True:
            self.settings["localPreAuthorizeEnabled"] = False
        if changes.get("localPreAuthorizeEnabled") is True:
            self.settings["authorizationRequired"] = False
        if changes.get("authorizationRequired") is False and self.car_connected:
            self.authorized = True

    # --- what the API shows ---------------------------------------------------------------

    def state_json(self) -> dict[str, Any]:
        """GET /api/chargers/{id}/state."""
        return {
            "smartCharging": self.settings["smartCharging"],
            "cableLocked": self.car_connected,
            "chargerOpMode": self.op_mode(),
            "totalPower": self.power_kw(),
            "sessionEnergy": round(self.session_energy, 3),
            "energyPerHour": self.power_kw(),
            "wiFiRSSI": -61,
            "cellRSSI": -85,
            "localRSSI": None,
            "outputPhase": 30,
            "dynamicCircuitCurrentP1": self.available_current,
            "dynamicCircuitCurrentP2": self.available_current,
            "dynamicCircuitCurrentP3": self.available_current,
            "latestPulse": None,
            "chargerFirmware": 305,
            "voltage": VOLTAGE,
            "chargerRAT": 1,
            "lockCablePermanently": False,
            "inCurrentT2": self.current() if self.is_charging else 0.0,
            "inCurrentT3": self.current() if self.is_charging else 0.0,
            "inCurrentT4": self.current() if self.is_charging else 0.0,
            "inCurrentT5": 0.0,
            "outputCurrent": self.current() if self.is_charging else 0.0,
            "isOnline": self.online,
            "inVoltageT1T2": 0.0,
            "inVoltageT1T3": 0.0,
            "dynamicChargerCurrent": self.dynamic_current,
            "reasonForNoCurrent": self.reason(),
            "wiFiAPEnabled": False,
            "lifetimeEnergy": round(self.lifetime_energy, 3),
            "offlineMaxCircuitCurrentP1": 16,
            "offlineMaxCircuitCurrentP2": 16,
            "offlineMaxCircuitCurrentP3": 16,
            "errorCode": 1 if self.error else 0,
            "fatalErrorCode": 0,
            "errors": [],
            "eqAvailableCurrentP1": None,
            "deratedCurrent": None,
            "deratingActive": False,
            "connectedToCloud": self.online,
            "ledMode": self.led_mode(),
            "cableRating": 32,
        }

    def config_json(self) -> dict[str, Any]:
        """GET /api/chargers/{id}/config."""
        return {
            "isEnabled": self.settings["enabled"],
            "lockCablePermanently": False,
            "authorizationRequired": self.settings["authorizationRequired"],
            "localPreAuthorizeEnabled": self.settings["localPreAuthorizeEnabled"],
            "localAuthorizeOfflineEnabled": self.settings["localAuthorizeOfflineEnabled"],
            "allowOfflineTxForUnknownId": self.settings["allowOfflineTxForUnknownId"],
            "smartButtonEnabled": self.settings["smartButtonEnabled"],
            "remoteStartRequired": True,
            "wiFiSSID": "home-network",
            "detectedPowerGridType": 1,
            "offlineChargingMode": 0,
            "circuitMaxCurrentP1": 25,
            "circuitMaxCurrentP2": 25,
            "circuitMaxCurrentP3": 25,
            "enableIdleCurrent": self.settings["enableIdleCurrent"],
            "limitToSinglePhaseCharging": self.settings["limitToSinglePhaseCharging"],
            "phaseMode": self.settings["phaseMode"],
            "localNodeType": 1,
            "ledStripBrightness": self.settings["ledStripBrightness"],
            "maxChargerCurrent": float(self.settings["maxChargerCurrent"]),
            "dynamicChargerCurrent": self.dynamic_current,
            "maxCurrentOfflineFallbackP1": 16,
            "maxCurrentOfflineFallbackP2": 16,
            "maxCurrentOfflineFallbackP3": 16,
        }

    def summary_json(self) -> dict[str, Any]:
        """An item of GET /api/chargers."""
        return {
            "id": self.id,
            "name": self.name,
            "color": 4,
            "createdOn": "2024-03-01T10:00:00.000Z",
            "updatedOn": "2026-11-01T10:00:00.000Z",
            "backPlate": {"id": f"BP{self.id[2:]}", "masterBackPlateId": f"BP{self.id[2:]}"},
            "levelOfAccess": 1,
            "productCode": 100,
        }
