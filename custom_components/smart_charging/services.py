"""Actions: the neutral ones (a charger group's limit), and each cloud's own.

Actions are registered once, in ``async_setup``, and aimed at a device or an entry.
Input is checked before anything is sent: a bad value gets a translated
ServiceValidationError naming it; a cloud failure a translated HomeAssistantError.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio

from .clouds.base import GroupControl
from .clouds.errors import SmartChargingError
from .const import ATTR_END, ATTR_START, DOMAIN
from .helpers import cloud_error, device_target, invalid
from .model import DeviceKind
from .providers import PROVIDERS

SERVICE_SET_GROUP_LIMIT = "set_group_limit"
SERVICE_GET_GROUP_LIMIT_HISTORY = "get_group_limit_history"
ATTR_LIMIT = "limit"
ATTR_END_TIME = "end_time"
ATTR_DURATION = "duration"

SET_GROUP_LIMIT_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required(ATTR_LIMIT): probatio.Coerce(float),
        probatio.Optional(ATTR_END_TIME): cv.datetime,
        probatio.Optional(ATTR_DURATION): cv.time_period,
    }
)
GET_HISTORY_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): cv.string,
        probatio.Required(ATTR_START): cv.datetime,
        probatio.Optional(ATTR_END): cv.datetime,
    }
)


def _group_target(call: ServiceCall) -> tuple[GroupControl, str]:
    """The group an action is aimed at, and the controls of its cloud."""
    coordinator, key = device_target(call.hass, call.data[ATTR_DEVICE_ID], DeviceKind.GROUP)
    if coordinator.group_control is None:  # pragma: no cover - groups can all be set today
        raise invalid("not_a_group", name=key)
    return coordinator.group_control, key


async def _async_set_group_limit(call: ServiceCall) -> None:
    limit: float = call.data[ATTR_LIMIT]
    if limit <= 0 or not limit.is_integer():
        raise invalid("limit_not_positive_integer", limit=f"{limit:g}")
    end_time: datetime | None = call.data.get(ATTR_END_TIME)
    duration: timedelta | None = call.data.get(ATTR_DURATION)
    if (end_time is None) == (duration is None):
        raise invalid("end_time_or_duration")
    now = dt_util.utcnow()
    if end_time is not None:
        end = dt_util.as_utc(
            end_time
            if end_time.tzinfo
            else end_time.replace(tzinfo=dt_util.get_default_time_zone())
        )
    else:
        assert duration is not None
        end = now + duration
    if end <= now:
        raise invalid("end_time_in_past", end=end.isoformat())
    control, key = _group_target(call)
    try:
        await control.async_set_group_limit(key, int(limit), end)
    except SmartChargingError as err:
        raise cloud_error(err) from err


async def _async_get_group_limit_history(call: ServiceCall) -> ServiceResponse:
    start = dt_util.as_utc(call.data[ATTR_START])
    end = dt_util.as_utc(call.data.get(ATTR_END) or dt_util.utcnow())
    if start >= end:
        raise invalid("start_after_end")
    control, key = _group_target(call)
    try:
        samples = await control.async_limit_history(key, start, end)
    except SmartChargingError as err:
        raise cloud_error(err) from err
    result: list[Any] = [
        {
            "time": sample.time.isoformat(),
            "group_limit": sample.group_limit_kw,
            "limits": [
                {"charger": limit.station, "position": limit.position, "limit": limit.limit_kw}
                for limit in sample.limits
            ],
        }
        for sample in samples
    ]
    return {"samples": result}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, for every entry)."""
    hass.services.async_register(
        DOMAIN, SERVICE_SET_GROUP_LIMIT, _async_set_group_limit, schema=SET_GROUP_LIMIT_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_GROUP_LIMIT_HISTORY,
        _async_get_group_limit_history,
        schema=GET_HISTORY_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    for provider in PROVIDERS.values():
        provider.register_services(hass)
