"""Easee's streamed observations: what each id means and how it changes a charger.

The hub sends one ``{mid, dataType, id, value}`` per observation, the value as text
(pyeasee 0.8.21 ``utils.convert_stream_data`` reads it by ``dataType``: 2 boolean,
3 double, 4 integer). The ids are pyeasee's ``const.ChargerStreamData``; each one we use
names the member of the charger's REST state or config that carries the same quantity,
so a streamed value goes through the same tolerant readers as a polled one.

Anything else is data, never an error: an id we do not use, a charger we do not know,
a value of the wrong type or that does not parse. A value that does not read as its id's
type makes that field unknown (a state) or is ignored (a setting keeps its last value).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from ..models import ChargerSettings, ChargerState
from ..parse import CURRENT_A, as_bool, as_float, as_id
from .parse import parse_state

# pyeasee const.py DatatypesStreamData.
BOOLEAN: Final = 2
DOUBLE: Final = 3
INTEGER: Final = 4

# pyeasee const.py ChargerStreamData: id -> (data type, REST member, our fields).
STATE_OBSERVATIONS: Final[dict[int, tuple[int, str, tuple[str, ...]]]] = {
    46: (INTEGER, "ledMode", ("led_mode",)),  # state_ledMode
    48: (DOUBLE, "dynamicChargerCurrent", ("dynamic_current_a",)),  # state_dynamicChargerCurrent
    96: (INTEGER, "reasonForNoCurrent", ("reason", "reason_code")),  # state_reasonForNoCurrent
    102: (BOOLEAN, "smartCharging", ("smart_charging",)),  # state_smartCharging
    103: (BOOLEAN, "cableLocked", ("cable_locked",)),  # state_cableLocked
    109: (INTEGER, "chargerOpMode", ("status", "status_code")),  # state_chargerOpMode
    114: (DOUBLE, "outputCurrent", ("current_a",)),  # state_outputCurrent
    120: (DOUBLE, "totalPower", ("power_kw",)),  # state_totalPower
    121: (DOUBLE, "sessionEnergy", ("session_energy_kwh",)),  # state_sessionEnergy
    124: (DOUBLE, "lifetimeEnergy", ("lifetime_energy_kwh",)),  # state_lifetimeEnergy
}
SETTINGS_OBSERVATIONS: Final[dict[int, tuple[int, str, str]]] = {
    15: (BOOLEAN, "localPreAuthorizeEnabled", "local_pre_authorize"),
    16: (BOOLEAN, "localAuthorizeOfflineEnabled", "local_authorize_offline"),
    17: (BOOLEAN, "allowOfflineTxForUnknownId", "allow_offline_unknown_id"),
    42: (BOOLEAN, "authorizationRequired", "authorization_required"),
    44: (BOOLEAN, "smartButtonEnabled", "smart_button_enabled"),
    47: (DOUBLE, "maxChargerCurrent", "max_current_a"),
    48: (DOUBLE, "dynamicChargerCurrent", "dynamic_current_a"),
}
OBSERVED_IDS: Final = frozenset(STATE_OBSERVATIONS) | frozenset(SETTINGS_OBSERVATIONS)


@dataclass(frozen=True)
class Observation:
    """One streamed value of one charger: its id and the value as its type reads."""

    charger_id: str
    id: int
    # None: the value did not read as the id's type (it becomes unknown).
    value: bool | float | int | None


def _typed(data_type: int, expected: int, value: Any) -> bool | float | int | None:
    """The value as its id's type, as pyeasee's ``convert_stream_data`` reads it."""
    if data_type != expected:
        return None
    if isinstance(value, str):
        text = value.strip()
        if expected == BOOLEAN:
            lowered = text.lower()
            if lowered in ("1", "true", "on", "yes"):
                return True
            return False if lowered in ("0", "false", "off", "no") else None
        try:
            return int(text) if expected == INTEGER else float(text)
        except ValueError:
            return None
    # A hub that sends JSON values instead of text is read the same way.
    if expected == BOOLEAN:
        return value if isinstance(value, bool) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def parse_observation(item: Any) -> Observation | None:
    """One ``ProductUpdate`` argument as an observation we use, or None."""
    if not isinstance(item, Mapping):
        return None
    charger_id = as_id(item.get("mid"))
    obs_id, data_type = item.get("id"), item.get("dataType")
    if charger_id is None or not isinstance(obs_id, int) or isinstance(obs_id, bool):
        return None
    if obs_id not in OBSERVED_IDS or not isinstance(data_type, int):
        return None
    expected = (STATE_OBSERVATIONS.get(obs_id) or SETTINGS_OBSERVATIONS[obs_id])[0]
    return Observation(charger_id, obs_id, _typed(data_type, expected, item.get("value")))


def observe(
    state: ChargerState, settings: ChargerSettings | None, observation: Observation
) -> tuple[ChargerState, ChargerSettings | None]:
    """The charger's state and settings with ``observation`` applied (new objects if changed).

    A state value is read by the same reader as the REST member it stands for, so its
    plausible range and unknown codes are handled alike.
    """
    if (about := STATE_OBSERVATIONS.get(observation.id)) is not None:
        partial = parse_state({about[1]: observation.value})
        changes = {name: getattr(partial, name) for name in about[2]}
        if any(getattr(state, name) != value for name, value in changes.items()):
            state = replace(state, **changes)
    if settings is not None and (one := SETTINGS_OBSERVATIONS.get(observation.id)) is not None:
        name = one[2]
        value: bool | float | None = (
            as_float(observation.value, CURRENT_A)
            if one[0] == DOUBLE
            else as_bool(observation.value)
        )
        # A setting we cannot read keeps its last value (settings are never unknown),
        # except the dynamic current, which may be.
        if (value is not None or name == "dynamic_current_a") and getattr(settings, name) != value:
            setting: dict[str, Any] = {name: value}
            settings = replace(settings, **setting)
    return state, settings
