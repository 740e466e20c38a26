"""The checks a preference write must pass before anything is sent.

A mistake the integration can see itself (an invalid time, min above max, a mode the
charge point does not offer, a field the mode needs) becomes a :class:`PreferenceError`
with a stable ``reason`` key that the integration translates, instead of a round trip
and the cloud's English message. The checks also complete a write with what the charge
point's available-modes answer supplies (the integration id of a tariff, its location,
its default times and price), so the user does not have to know ids the cloud already
knows. Values only the cloud can judge are left to the cloud.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import time
import math

from ..models import Weekday
from .preferences import (
    OCTOPUS_MODES,
    TARIFF_MODES,
    AvailableMode,
    DynamicTariffPreferences,
    PreferenceError,
    PreferenceMode,
    Reason,
    SchedulePreferences,
    SolarPreferences,
    TargetBounds,
    WeekdayWindow,
    parse_time,
)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def _fail(
    field: str, reason: Reason, extra: Mapping[str, str] | None = None, **values: object
) -> PreferenceError:
    placeholders = {key: _text(value) for key, value in values.items()}
    return PreferenceError(field, reason, placeholders | dict(extra or {}))


def _required[T](field: str, value: T | None, extra: Mapping[str, str] | None = None) -> T:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _fail(field, Reason.FIELD_REQUIRED, extra)
    return value


def _time(field: str, value: object, extra: Mapping[str, str] | None = None) -> time | None:
    """A naive wall-clock time in whole minutes: the cloud keeps no seconds or zones.

    ``HH:MM`` text is accepted too, so a caller holding strings gets the same checks.
    """
    if value is None:
        return None
    parsed = parse_time(value)
    if parsed is None or parsed.tzinfo is not None or parsed.second or parsed.microsecond:
        shown = value.isoformat() if isinstance(value, time) else value
        raise _fail(field, Reason.INVALID_TIME, extra, value=shown)
    return parsed


def _given(value: str | None) -> str | None:
    """Text the user actually gave: blank counts as not given."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _check_number(field: str, value: object, *, positive: bool) -> None:
    """A finite number; positive (> 0) or at least non-negative (>= 0)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(field, Reason.NOT_A_NUMBER, value=value)
    if positive and value <= 0:
        raise _fail(field, Reason.NOT_POSITIVE, value=value)
    if value < 0:
        raise _fail(field, Reason.NEGATIVE, value=value)


def _check_integer(field: str, value: object, *, positive: bool) -> None:
    """A whole number (ids, minutes); positive for ids, non-negative for durations."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, Reason.NOT_AN_INTEGER, value=value)
    if positive and value <= 0:
        raise _fail(field, Reason.NOT_POSITIVE, value=value)
    if value < 0:
        raise _fail(field, Reason.NEGATIVE, value=value)


def _check_bounds(prefs: TargetBounds) -> None:
    """Each bound positive when given, and the least not above the most."""
    low, high = prefs.min_target_kwh, prefs.max_target_kwh
    _check_number("min_target_kwh", low, positive=True)
    _check_number("max_target_kwh", high, positive=True)
    if low is not None and high is not None and low > high:
        raise _fail("min_target_kwh", Reason.MIN_ABOVE_MAX, min=low, max=high)


def _check_window(
    field: str, start: time, end: time, extra: Mapping[str, str] | None = None
) -> None:
    """Start after end is an overnight window (22:00-06:00); only start == end is empty."""
    if start == end:
        raise _fail(field, Reason.EMPTY_WINDOW, extra, start=start, end=end)


def _not_for_mode(mode: PreferenceMode, **fields: object) -> None:
    for field, value in fields.items():
        if value is not None:
            raise _fail(field, Reason.NOT_FOR_MODE, mode=mode.value)


def offer_of(
    mode: PreferenceMode, offered: Sequence[AvailableMode], field: str = "mode"
) -> AvailableMode:
    """The charge point's entry for ``mode``; ``mode_not_offered`` when it has none."""
    for entry in offered:
        if entry.mode == mode:
            return entry
    names = ", ".join(dict.fromkeys(entry.type_name for entry in offered)) or "-"
    raise _fail(field, Reason.MODE_NOT_OFFERED, mode=mode.value, offered=names)


def validate_schedule(
    prefs: SchedulePreferences, offered: Sequence[AvailableMode]
) -> SchedulePreferences:
    """Check a schedule write; return it with the charge point's default window filled in."""
    offer = offer_of(PreferenceMode.USER_CONTROLLED_SCHEDULE, offered)
    start = _time("start_time", prefs.start_time)
    end = _time("end_time", prefs.end_time)
    start = _required("start_time", start if start is not None else offer.default_start_time)
    end = _required("end_time", end if end is not None else offer.default_end_time)
    _check_window("end_time", start, end)
    _check_bounds(prefs)
    _check_number("price_peak", prefs.price_peak, positive=False)
    _check_number("price_off_peak", prefs.price_off_peak, positive=False)
    weekdays = _check_weekdays(prefs.weekdays)
    return replace(prefs, start_time=start, end_time=end, weekdays=weekdays)


def _check_weekdays(windows: Sequence[WeekdayWindow]) -> tuple[WeekdayWindow, ...]:
    """Each window names days and a non-empty window; no day belongs to two windows."""
    seen: set[Weekday] = set()
    checked = []
    for index, window in enumerate(windows, start=1):
        where = {"window": str(index)}
        if not window.days:
            raise _fail("weekdays", Reason.NO_DAYS, where)
        days = []
        for raw in window.days:
            try:
                day = Weekday(raw)
            except ValueError:
                raise _fail("weekdays", Reason.INVALID_DAY, where, day=raw) from None
            if day in seen:
                raise _fail("weekdays", Reason.DUPLICATE_DAY, where, day=day.value)
            seen.add(day)
            days.append(day)
        start = _required("weekdays", _time("weekdays", window.start_time, where), where)
        end = _required("weekdays", _time("weekdays", window.end_time, where), where)
        _check_window("weekdays", start, end, where)
        checked.append(WeekdayWindow(days=tuple(days), start_time=start, end_time=end))
    return tuple(checked)


def validate_solar(prefs: SolarPreferences, offered: Sequence[AvailableMode]) -> SolarPreferences:
    """Check a solar write.

    The grid current may be 0 (solar only; the vendor recommends 0, 6, 8, 10 or 12 A),
    the stable time must be positive (the vendor recommends 30 to 600 s).
    """
    offer_of(PreferenceMode.SOLAR, offered)
    _check_number("max_current_from_grid_a", prefs.max_current_from_grid_a, positive=False)
    _required("max_current_from_grid_a", prefs.max_current_from_grid_a)
    _check_number("solar_stable_time_s", prefs.solar_stable_time_s, positive=True)
    _required("solar_stable_time_s", prefs.solar_stable_time_s)
    return prefs


def validate_dynamic_tariff(
    prefs: DynamicTariffPreferences, offered: Sequence[AvailableMode]
) -> DynamicTariffPreferences:
    """Check a tariff write; fill in the integration id, location and defaults it lacks."""
    try:
        provider = PreferenceMode(prefs.provider)
    except ValueError:
        provider = PreferenceMode.UNKNOWN
    if provider not in TARIFF_MODES:
        allowed = ", ".join(sorted(mode.value for mode in TARIFF_MODES))
        raise _fail("provider", Reason.INVALID_PROVIDER, provider=prefs.provider, allowed=allowed)
    offer = offer_of(provider, offered, field="provider")
    departure = _time("departure_time", prefs.departure_time)
    prefs = replace(prefs, provider=provider, departure_time=departure)
    _check_integer("preconditioning_min", prefs.preconditioning_min, positive=False)
    _check_integer("integration_id", prefs.integration_id, positive=True)
    if provider in OCTOPUS_MODES:
        return _validate_octopus(prefs, offer)
    # A tenant may list one entry per location (the contract's ``locations`` is one
    # object): every entry of the mode counts.
    locations = tuple(
        dict.fromkeys(key for entry in offered if entry.mode == provider for key in entry.locations)
    )
    return _validate_day_ahead(prefs, offer, locations)


def _validate_octopus(
    prefs: DynamicTariffPreferences, offer: AvailableMode
) -> DynamicTariffPreferences:
    mode = prefs.provider
    _not_for_mode(mode, target_kwh=prefs.target_kwh, location=_given(prefs.location))
    integration = prefs.integration_id if prefs.integration_id is not None else offer.integration_id
    if integration is None:
        raise _fail("integration_id", Reason.INTEGRATION_ID_REQUIRED, mode=mode.value)
    _check_bounds(prefs)
    threshold = prefs.price_threshold
    if threshold is None and mode is PreferenceMode.OCTOPUS_AGILE:
        threshold = offer.default_price_threshold
    _check_number("price_threshold", threshold, positive=False)
    if mode is PreferenceMode.OCTOPUS_AGILE:
        _required("price_threshold", threshold)
    post_code = _required("post_code", _given(prefs.post_code))
    _check_integer("applicable_tax_id", prefs.applicable_tax_id, positive=True)
    _required("applicable_tax_id", prefs.applicable_tax_id)
    departure = prefs.departure_time
    has_target = prefs.min_target_kwh is not None or prefs.max_target_kwh is not None
    if departure is None and has_target:
        departure = offer.default_departure_time
    return replace(
        prefs,
        integration_id=integration,
        price_threshold=threshold,
        post_code=post_code,
        departure_time=departure,
    )


def _validate_day_ahead(
    prefs: DynamicTariffPreferences, offer: AvailableMode, locations: tuple[str, ...]
) -> DynamicTariffPreferences:
    _not_for_mode(
        prefs.provider,
        min_target_kwh=prefs.min_target_kwh,
        max_target_kwh=prefs.max_target_kwh,
        price_threshold=prefs.price_threshold,
        post_code=_given(prefs.post_code),
        applicable_tax_id=prefs.applicable_tax_id,
    )
    location = _required("location", _given(prefs.location) or offer.location)
    if location not in locations:
        raise _fail(
            "location",
            Reason.LOCATION_NOT_OFFERED,
            location=location,
            offered=", ".join(locations) or "-",
        )
    _check_number("target_kwh", prefs.target_kwh, positive=True)
    _required("target_kwh", prefs.target_kwh)
    departure = prefs.departure_time
    departure = _required(
        "departure_time", departure if departure is not None else offer.default_departure_time
    )
    integration = prefs.integration_id if prefs.integration_id is not None else offer.integration_id
    return replace(prefs, location=location, departure_time=departure, integration_id=integration)
