"""Writing AMPECO preference bodies the way the 3.110.0 contract spells them.

A preference write is the bare variant (not the guide's ``{"data": [variant]}``),
energies are ``minTargetChargeKwh``/``maxTargetChargeKwh``/``targetChargeKwh``, and times
go out as ``HH:MM``. Only members with a value are sent: the contract has no nulls here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import time
from typing import Any, Final

from ..models import Weekday
from .preferences import (
    OCTOPUS_MODES,
    DynamicTariffPreferences,
    PreferenceMode,
    Preferences,
    SchedulePreferences,
    SolarPreferences,
    WeekdayWindow,
)


def _num(value: float) -> int | float:
    """A JSON number without a needless ``.0`` (6 A, not 6.0 A)."""
    return int(value) if float(value).is_integer() else value


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the members that have a value; the contract has no nulls in these bodies."""
    return {key: value for key, value in values.items() if value is not None}


def _maybe_num(value: float | None) -> int | float | None:
    return None if value is None else _num(value)


def schedule_body(prefs: SchedulePreferences) -> dict[str, Any]:
    """The contract's ``user_controlled_schedule`` variant of a validated write."""
    if prefs.start_time is None or prefs.end_time is None:
        raise ValueError("a schedule body needs a validated write")
    body: dict[str, Any] = {
        "startTime": _hhmm(prefs.start_time),
        "endTime": _hhmm(prefs.end_time),
    }
    target = _compact(
        {
            "minTargetChargeKwh": _maybe_num(prefs.min_target_kwh),
            "maxTargetChargeKwh": _maybe_num(prefs.max_target_kwh),
        }
    )
    costs = _compact(
        {
            "priceOffPeak": _maybe_num(prefs.price_off_peak),
            "pricePeak": _maybe_num(prefs.price_peak),
        }
    )
    if target:
        body["targetCharge"] = target
    if costs:
        body["trackElectricityCosts"] = costs
    if prefs.weekdays:
        body["weekDays"] = [_window_body(window) for window in prefs.weekdays]
    return {
        "type": PreferenceMode.USER_CONTROLLED_SCHEDULE.value,
        "enabled": True,
        "preferences": body,
    }


def _window_body(window: WeekdayWindow) -> dict[str, Any]:
    if window.start_time is None or window.end_time is None:
        raise ValueError("a weekday window needs a validated write")
    return {
        "days": [Weekday(day).value for day in window.days],
        "startTime": _hhmm(window.start_time),
        "endTime": _hhmm(window.end_time),
    }


def solar_body(prefs: SolarPreferences) -> dict[str, Any]:
    """The contract's ``solar`` variant: both values as numbers (the guide sends a string)."""
    if prefs.max_current_from_grid_a is None or prefs.solar_stable_time_s is None:
        raise ValueError("a solar body needs a validated write")
    return {
        "type": PreferenceMode.SOLAR.value,
        "enabled": True,
        "preferences": {
            "maxCurrentFromGrid": _num(prefs.max_current_from_grid_a),
            "solarStableTime": _num(prefs.solar_stable_time_s),
        },
    }


def tariff_body(prefs: DynamicTariffPreferences) -> dict[str, Any]:
    """The contract's Octopus, NordPool or (NordPool-shaped) Energi Elspot variant."""
    octopus = prefs.provider in OCTOPUS_MODES
    target = _compact(
        {
            "departureTime": _hhmm(prefs.departure_time) if prefs.departure_time else None,
            "preconditioningTime": prefs.preconditioning_min,
            "minTargetChargeKwh": _maybe_num(prefs.min_target_kwh) if octopus else None,
            "maxTargetChargeKwh": _maybe_num(prefs.max_target_kwh) if octopus else None,
            "targetChargeKwh": None if octopus else _maybe_num(prefs.target_kwh),
        }
    )
    if octopus:
        preferences = _compact(
            {
                "applicableTaxId": prefs.applicable_tax_id,
                "postCode": prefs.post_code,
                "priceThreshold": _maybe_num(prefs.price_threshold),
                "targetCharge": target or None,
            }
        )
    else:
        preferences = {"location": prefs.location, "targetCharge": target}
    return _compact(
        {
            "type": PreferenceMode(prefs.provider).value,
            "integrationId": prefs.integration_id,
            "enabled": True,
            "preferences": preferences,
        }
    )


DISABLE_BODY: Final[dict[str, Any]] = {"enabled": False}


def restore_body(prefs: Preferences) -> dict[str, Any] | None:
    """The write that puts these preferences in force again, if they are in force now.

    Built from what the cloud reports, in the same contract form as a new write; None
    while smart charging is off or for a mode we cannot write.
    """
    if not prefs.enabled:
        return None
    try:
        if prefs.mode is PreferenceMode.USER_CONTROLLED_SCHEDULE and prefs.schedule is not None:
            return schedule_body(prefs.schedule)
        if prefs.mode is PreferenceMode.SOLAR and prefs.solar is not None:
            return solar_body(prefs.solar)
        if prefs.tariff is not None and prefs.mode is PreferenceMode(prefs.tariff.provider):
            tariff = prefs.tariff
            if tariff.integration_id is None and prefs.integration_id is not None:
                tariff = replace(tariff, integration_id=prefs.integration_id)
            return tariff_body(tariff)
    except ValueError:
        # The cloud reported a value we could not read (it shows as unknown): these
        # preferences cannot be written back as they are, so they are not kept.
        return None
    return None
