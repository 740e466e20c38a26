"""Easee's answers into the neutral models: a charger's state, its config, its circuit.

Field names from pyeasee 0.8.21 (``charger.py``, ``site.py``) and its fixtures
``charger-state.json`` and ``site-state.json`` (docs/references.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..circuit import Circuit
from ..models import ChargerSettings, ChargerState, ChargerStatus, NoCurrentReason
from ..parse import (
    CURRENT_A,
    LIFETIME_KWH,
    POWER_KW,
    SESSION_KWH,
    as_bool,
    as_float,
    as_int,
    mapped,
)

OP_MODES: Final[dict[int, ChargerStatus]] = {
    0: ChargerStatus.OFFLINE,
    1: ChargerStatus.DISCONNECTED,
    2: ChargerStatus.AWAITING_START,
    3: ChargerStatus.CHARGING,
    4: ChargerStatus.COMPLETED,
    5: ChargerStatus.ERROR,
    6: ChargerStatus.READY_TO_CHARGE,
    7: ChargerStatus.AWAITING_AUTHENTICATION,
    8: ChargerStatus.DEAUTHENTICATING,
}
REASONS: Final[dict[int, NoCurrentReason]] = {
    0: NoCurrentReason.OK,
    1: NoCurrentReason.CIRCUIT_CURRENT_TOO_LOW,
    2: NoCurrentReason.DYNAMIC_CIRCUIT_CURRENT_TOO_LOW,
    5: NoCurrentReason.WAITING_IN_QUEUE,
    6: NoCurrentReason.WAITING_IN_FULLY_CHARGED_QUEUE,
    51: NoCurrentReason.MAX_CHARGER_CURRENT_TOO_LOW,
    52: NoCurrentReason.DYNAMIC_CHARGER_CURRENT_TOO_LOW,
    53: NoCurrentReason.CHARGER_DISABLED,
    54: NoCurrentReason.PENDING_SCHEDULE,
    55: NoCurrentReason.NOT_AUTHORIZED,
    56: NoCurrentReason.CHARGER_ERROR,
}
# pyeasee's PHASE_MODE (charger.py): 1 locked to single phase, 2 auto, 3 locked to three.
SINGLE_PHASE_MODE: Final = 1


def _status(code: int | None) -> ChargerStatus:
    if code is None:
        return ChargerStatus.UNKNOWN
    return mapped(OP_MODES, code, "Easee chargerOpMode", ChargerStatus.UNKNOWN)


def _reason(code: int | None) -> NoCurrentReason | None:
    if code is None:
        return None
    return mapped(REASONS, code, "Easee reasonForNoCurrent", NoCurrentReason.UNKNOWN)


def parse_state(body: Mapping[str, Any]) -> ChargerState:
    """A charger's state from ``/state`` (or the partial one of a site's state)."""
    op_mode = as_int(body.get("chargerOpMode"))
    reason = as_int(body.get("reasonForNoCurrent"))
    return ChargerState(
        status=_status(op_mode),
        status_code=op_mode,
        reason=_reason(reason),
        reason_code=reason,
        power_kw=as_float(body.get("totalPower"), POWER_KW),
        current_a=as_float(body.get("outputCurrent"), CURRENT_A),
        session_energy_kwh=as_float(body.get("sessionEnergy"), SESSION_KWH),
        lifetime_energy_kwh=as_float(body.get("lifetimeEnergy"), LIFETIME_KWH),
        dynamic_current_a=as_float(body.get("dynamicChargerCurrent"), CURRENT_A),
        online=as_bool(body.get("isOnline")),
        cable_locked=as_bool(body.get("cableLocked")),
        smart_charging=as_bool(body.get("smartCharging")),
        led_mode=as_int(body.get("ledMode")),
    )


def parse_settings(body: Mapping[str, Any]) -> ChargerSettings:
    """A charger's settings from ``/config``."""
    return ChargerSettings(
        authorization_required=as_bool(body.get("authorizationRequired")) or False,
        local_pre_authorize=as_bool(body.get("localPreAuthorizeEnabled")) or False,
        local_authorize_offline=as_bool(body.get("localAuthorizeOfflineEnabled")) or False,
        allow_offline_unknown_id=as_bool(body.get("allowOfflineTxForUnknownId")) or False,
        smart_button_enabled=as_bool(body.get("smartButtonEnabled")) or False,
        max_current_a=as_float(body.get("maxChargerCurrent"), CURRENT_A) or 32.0,
        dynamic_current_a=as_float(body.get("dynamicChargerCurrent"), CURRENT_A),
    )


def parse_circuit(
    circuit_id: str | None, about: Any, members: list[dict[str, Any]]
) -> Circuit | None:
    """What a circuit lets its chargers draw, from a site state's circuit entry.

    The lowest of the circuit's fuse (``ratedCurrent``), its maximum current
    (``circuitMaxCurrentP1..3`` of each charger's config) and its dynamic current
    (``dynamicCircuitCurrentP1..3`` of each charger's state), per phase (pyeasee's
    ``site-state.json``). One phase when a charger on it is held to one phase. A fuse or
    maximum of 0 A is no answer; a dynamic current of 0 A stops the circuit's chargers.
    """
    if circuit_id is None:
        return None
    fixed: list[float | None] = [
        as_float(about.get("ratedCurrent"), CURRENT_A) if isinstance(about, dict) else None
    ]
    dynamic: list[float | None] = []
    single = False
    for entry in members:
        state, config = entry["chargerState"], entry.get("chargerConfig")
        dynamic += [as_float(state.get(f"dynamicCircuitCurrentP{p}"), CURRENT_A) for p in (1, 2, 3)]
        if isinstance(config, dict):
            fixed += [as_float(config.get(f"circuitMaxCurrentP{p}"), CURRENT_A) for p in (1, 2, 3)]
            single = single or (
                as_int(config.get("phaseMode")) == SINGLE_PHASE_MODE
                or as_bool(config.get("limitToSinglePhaseCharging")) is True
            )
    known = [current for current in fixed if current]
    known += [current for current in dynamic if current is not None]
    if not known:
        return None
    return Circuit(id=circuit_id, current_a=min(known), phases=1 if single else 3)
