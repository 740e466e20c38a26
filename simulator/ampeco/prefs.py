"""Personal smart charging preferences: the two body forms, the tenant's rules, the echo.

The contract (OpenAPI 3.110.0) wants the bare variant ``{type, integrationId?,
preferences, enabled}``; the user's guide (seed 000) wraps it as ``{"data": [variant]}``,
spells ``minTargetKwh``/``maxTargetKwh``/``targetKwh`` for the contract's
``minTargetChargeKwh``/``maxTargetChargeKwh``/``targetChargeKwh``, sends
``solarStableTime`` as a string and ``postCode`` as a number. The simulator accepts both,
rewrites the guide's form into the contract's before validating, and remembers which form
it got, so tests can tell what a client sends.

What the server stores and echoes follows the guide's example response: times with
seconds (``"23:00:00"``), an empty ``targetCharge`` as ``[]`` (PHP's empty map) and
``integrationId: null`` for modes without an integration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import re
from typing import Any, Literal, TypeIs

from .contract import attribute, preference_variants
from .model import SimChargePoint

Form = Literal["contract", "guide"]

GUIDE_SPELLINGS = {
    "minTargetKwh": "minTargetChargeKwh",
    "maxTargetKwh": "maxTargetChargeKwh",
    "targetKwh": "targetChargeKwh",
}
# Objects the server writes as [] when they are empty.
_EMPTY_AS_LIST = ("targetCharge", "trackElectricityCosts")
# Modes whose echo always carries a targetCharge, [] when none was set.
_ALWAYS_TARGET = ("user_controlled_schedule", "octopus_agile", "octopus_go")
_NON_NEGATIVE = (
    ("targetCharge", "minTargetChargeKwh"),
    ("targetCharge", "maxTargetChargeKwh"),
    ("targetCharge", "targetChargeKwh"),
    ("maxCurrentFromGrid",),
    ("solarStableTime",),
)


class PreferenceBodyError(Exception):
    """A body that cannot even be read as one preference (422 with ``errors``)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Normalised:
    """A preference body in the contract's form, and what had to change to get there."""

    body: Any
    form: Form
    changes: tuple[str, ...]


@dataclass(frozen=True)
class PreferenceRequest:
    """One POST of preferences as the simulator received and answered it."""

    time: datetime
    charge_point_id: int
    form: Form
    changes: tuple[str, ...]
    body: Any
    status: int

    def as_json(self) -> dict[str, Any]:
        """JSON-friendly form for the admin state."""
        return {
            "time": self.time.isoformat(),
            "chargePointId": self.charge_point_id,
            "form": self.form,
            "changes": list(self.changes),
            "body": self.body,
            "status": self.status,
        }


def normalise(body: Any) -> Normalised:
    """Rewrite a guide-style body into the contract's form; note every rewrite."""
    changes: list[str] = []
    if isinstance(body, dict) and "data" in body and "type" not in body and "enabled" not in body:
        wrapped = body["data"]
        if isinstance(wrapped, list):
            if len(wrapped) != 1:
                raise PreferenceBodyError({"data": ["The data field must contain 1 items."]})
            body = wrapped[0]
            changes.append('unwrapped {"data": [variant]}')
        elif isinstance(wrapped, dict):
            body = wrapped
            changes.append('unwrapped {"data": variant}')
    if not isinstance(body, dict):
        # Laravel reads a body that is not a JSON object as no input at all.
        return Normalised({}, "guide" if changes else "contract", tuple(changes))
    body = _respell(body, changes)
    preferences = body.get("preferences")
    if isinstance(preferences, dict):
        stable = preferences.get("solarStableTime")
        if isinstance(stable, str) and re.fullmatch(r"\d+(\.\d+)?", stable.strip()):
            preferences["solarStableTime"] = _number(float(stable))
            changes.append("solarStableTime: string -> number")
        post_code = preferences.get("postCode")
        if isinstance(post_code, int | float) and not isinstance(post_code, bool):
            preferences["postCode"] = str(_number(float(post_code)))
            changes.append("postCode: number -> string")
    return Normalised(body, "guide" if changes else "contract", tuple(changes))


def _respell(value: Any, changes: list[str]) -> Any:
    """A deep copy with the guide's kWh spellings replaced (the contract's win on a clash)."""
    if isinstance(value, list):
        return [_respell(item, changes) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        target = GUIDE_SPELLINGS.get(key)
        if target is not None:
            changes.append(f"{key} -> {target}")
            if target in value:
                continue
            key = target
        result[key] = _respell(item, changes)
    return result


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def rule_errors(body: Any, charge_point: SimChargePoint) -> dict[str, list[str]]:
    """What the tenant refuses beyond the schema: modes not offered, foreign integrations."""
    errors: dict[str, list[str]] = {}
    if not isinstance(body, dict):
        return errors
    kind = body.get("type")
    if isinstance(kind, str) and kind in preference_variants():
        offered = charge_point.offered(kind)
        if offered is None:
            errors["type"] = ["The selected type is invalid."]
        else:
            integration = body.get("integrationId")
            expected = offered.get("integrationId")
            if isinstance(integration, int) and expected is not None and integration != expected:
                errors["integrationId"] = ["The selected integration id is invalid."]
    preferences = body.get("preferences")
    if isinstance(preferences, dict):
        errors |= _value_errors(preferences)
    return errors


def _value_errors(preferences: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for path in _NON_NEGATIVE:
        value: Any = preferences
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if _is_number(value) and value < 0:
            field = ["preferences", *path]
            errors[".".join(field)] = [f"The {attribute(field)} field must be at least 0."]
    target = preferences.get("targetCharge")
    if isinstance(target, dict):
        low, high = target.get("minTargetChargeKwh"), target.get("maxTargetChargeKwh")
        if _is_number(low) and _is_number(high) and low > high:
            field = ["preferences", "targetCharge", "minTargetChargeKwh"]
            errors.setdefault(".".join(field), []).append(
                f"The {attribute(field)} field must be less than or equal to {_show(high)}."
            )
    return errors


def _is_number(value: object) -> TypeIs[int | float]:
    """JSON numbers only: ``True`` is an int to Python but not a number to JSON."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _show(value: float) -> str:
    return str(_number(float(value)))


def echo(
    body: dict[str, Any], previous: dict[str, Any], offered: dict[str, Any] | None
) -> dict[str, Any]:
    """The preference as the server stores and returns it after a valid POST."""
    kind = body.get("type")
    if kind is None:
        # Disabling keeps the last settings, so enabling again brings them back.
        if "type" in previous:
            return previous | {"enabled": False}
        return {"enabled": False}
    variant = preference_variants()[kind]
    preferences = pick_declared(body.get("preferences") or {}, variant["properties"]["preferences"])
    if kind in _ALWAYS_TARGET:
        preferences.setdefault("targetCharge", [])
    # A mode whose variant has no integrationId belongs to the tenant's integration (or none).
    declared = "integrationId" in variant["properties"]
    integration = body.get("integrationId") if declared else None
    if integration is None and offered is not None:
        integration = offered.get("integrationId")
    result: dict[str, Any] = {"type": kind, "integrationId": integration}
    if "electricityRateId" in body:
        result["electricityRateId"] = body["electricityRateId"]
    result["preferences"] = preferences
    result["enabled"] = body.get("enabled", True)
    return result


def pick_declared(value: Any, schema: dict[str, Any]) -> Any:
    """Keep what the schema declares, in its order; times with seconds; {} as []."""
    properties = schema.get("properties")
    if isinstance(value, dict) and properties is not None:
        picked: dict[str, Any] = {}
        for name, sub in properties.items():
            if name not in value:
                continue
            item = value[name]
            if name in _EMPTY_AS_LIST and not item:
                picked[name] = []
            else:
                picked[name] = pick_declared(item, sub)
        return picked
    if isinstance(value, list) and "items" in schema:
        return [pick_declared(item, schema["items"]) for item in value]
    if schema.get("format") == "time" and isinstance(value, str) and len(value) == 5:
        return f"{value}:00"
    return value
