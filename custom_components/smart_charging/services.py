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
from homeassistant.util import dt as dt_util
import probatio

from .clouds.base import GroupControl
from .clouds.errors import SmartChargingError
from .helpers import Action, cloud_error, device_target, invalid, register_actions
from .model import DeviceKind
from .planner_services import PLANNER_ACTIONS
from .providers import PROVIDERS
from .read_period import READ_PERIOD_FIELDS, read_period
from .validation import (
    GROUP_LIMIT_MAX_HOLD,
    GROUP_LIMIT_MAX_KW,
    GROUP_LIMIT_MIN_HOLD,
    GROUP_LIMIT_MIN_KW,
    MAX_HISTORY_SPAN,
    READ_BUDGET,
    identifier,
    moment,
    number,
    period,
)

SERVICE_SET_GROUP_LIMIT = "set_group_limit"
SERVICE_GET_GROUP_LIMIT_HISTORY = "get_group_limit_history"
ATTR_LIMIT = "limit"
ATTR_END_TIME = "end_time"
ATTR_DURATION = "duration"

SET_GROUP_LIMIT_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): identifier(ATTR_DEVICE_ID),
        probatio.Required(ATTR_LIMIT): number(
            ATTR_LIMIT,
            GROUP_LIMIT_MIN_KW,
            GROUP_LIMIT_MAX_KW,
            integer=True,
            low=lambda value: invalid("limit_not_positive_integer", limit=value),
        ),
        # An end in the past is refused with its own message, after the schema.
        probatio.Optional(ATTR_END_TIME): moment(
            ATTR_END_TIME, past=timedelta(days=1), future=GROUP_LIMIT_MAX_HOLD
        ),
        probatio.Optional(ATTR_DURATION): period(
            ATTR_DURATION, GROUP_LIMIT_MIN_HOLD, GROUP_LIMIT_MAX_HOLD
        ),
    }
)
GET_HISTORY_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): identifier(ATTR_DEVICE_ID),
        **READ_PERIOD_FIELDS,
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
    end_time: datetime | None = call.data.get(ATTR_END_TIME)
    duration: timedelta | None = call.data.get(ATTR_DURATION)
    if (end_time is None) == (duration is None):
        raise invalid("end_time_or_duration")
    now = dt_util.utcnow()
    end = end_time if end_time is not None else now + (duration or timedelta())
    if end <= now:
        raise invalid("end_time_in_past", end=end.isoformat())
    control, key = _group_target(call)
    try:
        await control.async_set_group_limit(key, int(limit), end)
    except SmartChargingError as err:
        raise cloud_error(err) from err


async def _async_get_group_limit_history(call: ServiceCall) -> ServiceResponse:
    start, end = read_period(call, MAX_HISTORY_SPAN)
    control, key = _group_target(call)
    READ_BUDGET.spend(control)
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
    register_actions(
        hass,
        (
            Action(SERVICE_SET_GROUP_LIMIT, _async_set_group_limit, SET_GROUP_LIMIT_SCHEMA),
            Action(
                SERVICE_GET_GROUP_LIMIT_HISTORY,
                _async_get_group_limit_history,
                GET_HISTORY_SCHEMA,
                SupportsResponse.ONLY,
            ),
            *PLANNER_ACTIONS,
            *(action for provider in PROVIDERS.values() for action in provider.actions),
        ),
    )
