"""What a depot manager can do to a ViriCiti charger (``6_Actions``).

Buttons for the actions that need nothing but the charger: restart it (a soft reset,
which ends its running sessions, as OCPP 1.6 says) and make a position unavailable or
available again. Starting and stopping a transaction need what only the user knows (a
charging card's id, the transaction's id, which no documented call reads): they are
actions, ``viriciti_start_transaction`` and ``viriciti_stop_transaction``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import ATTR_DEVICE_ID, EntityCategory
from homeassistant.core import ServiceCall
import probatio

from ...button import StationButtonDescription
from ...clouds.errors import SmartChargingError
from ...clouds.parse import POSITIONS
from ...clouds.viriciti.actions import MAX_ID_TAG, ActionStatus, StationActions
from ...clouds.viriciti.client import ViricitiClient
from ...coordinator import SmartChargingCoordinator
from ...helpers import Action, cloud_error, device_target, invalid
from ...model import DeviceKind
from ...validation import identifier, text, whole

SERVICE_START_TRANSACTION = "viriciti_start_transaction"
SERVICE_STOP_TRANSACTION = "viriciti_stop_transaction"
# OCPP 1.6 transaction ids are integers (32 bits).
MAX_TRANSACTION_ID = 2**31 - 1
MAX_POSITION = int(POSITIONS.high)

type Send = Callable[[StationActions, str], Awaitable[ActionStatus]]


async def async_send(coordinator: SmartChargingCoordinator, identity: str, send: Send) -> None:
    """Send one action to a station; a refusal is raised, what it changes is read again.

    A start or stop shows in the group's time series (the positions' shares), so the
    station's group is read again at once.
    """
    client = coordinator.client
    if not isinstance(client, ViricitiClient):  # pragma: no cover - by construction
        raise TypeError("not a ViriCiti entry")
    await send(client.actions, identity)
    coordinator.mark_due(identity, settings=False)
    await coordinator.async_request_refresh()


def _press(send: Send) -> Callable[[SmartChargingCoordinator, str], Awaitable[None]]:
    async def press(coordinator: SmartChargingCoordinator, identity: str) -> None:
        await async_send(coordinator, identity, send)

    return press


def _availability(position: int, operative: bool) -> StationButtonDescription:
    async def send(actions: StationActions, identity: str) -> ActionStatus:
        return await actions.async_change_availability(identity, position, operative=operative)

    return StationButtonDescription(
        key=f"position_{position}_{'available' if operative else 'unavailable'}",
        translation_key="position_available" if operative else "position_unavailable",
        translation_placeholders={"position": str(position)},
        entity_category=EntityCategory.CONFIG,
        position=position,
        press_fn=_press(send),
    )


async def _soft_reset(actions: StationActions, identity: str) -> ActionStatus:
    return await actions.async_reset(identity, hard=False)


STATION_BUTTONS: tuple[StationButtonDescription, ...] = (
    StationButtonDescription(
        key="restart",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=_press(_soft_reset),
    ),
    *(
        _availability(position, operative)
        for position in range(1, MAX_POSITION + 1)
        for operative in (False, True)
    ),
)

_DEVICE = identifier(ATTR_DEVICE_ID)
START_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): _DEVICE,
        probatio.Required("position"): whole("position", 1, MAX_POSITION),
        probatio.Required("id_tag"): text("id_tag", MAX_ID_TAG),
    }
)
STOP_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): _DEVICE,
        probatio.Required("transaction_id"): whole("transaction_id", 0, MAX_TRANSACTION_ID),
    }
)


async def _async_call(call: ServiceCall, send: Send) -> None:
    coordinator, identity = device_target(call.hass, call.data[ATTR_DEVICE_ID], DeviceKind.STATION)
    try:
        await async_send(coordinator, identity, send)
    except SmartChargingError as err:
        raise cloud_error(err) from err


async def _async_start(call: ServiceCall) -> None:
    position: int = call.data["position"]
    coordinator, identity = device_target(call.hass, call.data[ATTR_DEVICE_ID], DeviceKind.STATION)
    if position > coordinator.data.stations[identity].station.positions:
        raise invalid("viriciti_no_position", field="position", value=str(position))

    async def send(actions: StationActions, identity: str) -> ActionStatus:
        return await actions.async_remote_start(identity, position, call.data["id_tag"])

    await _async_call(call, send)


async def _async_stop(call: ServiceCall) -> None:
    async def send(actions: StationActions, identity: str) -> ActionStatus:
        return await actions.async_remote_stop(identity, call.data["transaction_id"])

    await _async_call(call, send)


# The transaction actions of ViriCiti chargers.
VIRICITI_ACTIONS = (
    Action(SERVICE_START_TRANSACTION, _async_start, START_SCHEMA),
    Action(SERVICE_STOP_TRANSACTION, _async_stop, STOP_SCHEMA),
)
