"""What entities and actions share: cloud errors as translated errors, finding a target.

Clients raise only the typed errors of :mod:`.clouds.errors`; :func:`cloud_error` maps
each to the one translated Home Assistant error a user sees, for entities (through
:func:`handle_cloud_errors`) and actions alike.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Concatenate

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr

from .clouds.errors import (
    AuthError,
    CommunicationError,
    ForbiddenError,
    InvalidIdError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RejectedError,
    SmartChargingError,
    ValidationError,
)
from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .entity import SmartChargingEntity
from .model import DeviceKind, device_key

# The translation key of each cloud error; the first that matches wins, so a subclass
# stands before the class it refines (an invalid answer is not a communication error).
_ERROR_KEYS: tuple[tuple[type[SmartChargingError], str], ...] = (
    (AuthError, "invalid_auth"),
    (ForbiddenError, "forbidden"),
    (NotFoundError, "not_found"),
    (RejectedError, "rejected"),
    (RateLimitedError, "rate_limited"),
    (InvalidIdError, "invalid_id"),
    (InvalidResponseError, "unknown_error"),
    (CommunicationError, "communication_error"),
)


def cloud_error(err: SmartChargingError) -> HomeAssistantError:
    """The translated error a user sees when a cloud refuses or fails a write."""
    if isinstance(err, ValidationError):
        fields = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in err.field_errors.items()
        )
        return invalid("cloud_validation", error=fields or err.message)
    key = next((key for kind, key in _ERROR_KEYS if isinstance(err, kind)), "unknown_error")
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"error": str(err)},
    )


def handle_cloud_errors[EntityT: SmartChargingEntity, **P](
    func: Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]],
) -> Callable[Concatenate[EntityT, P], Coroutine[Any, Any, None]]:
    """Run an entity's write; a cloud error becomes a translated error for the user.

    Refused credentials also start reauthentication, so the user can fix them.
    """

    async def wrapper(self: EntityT, /, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await func(self, *args, **kwargs)
        except SmartChargingError as err:
            if isinstance(err, AuthError):
                self.coordinator.config_entry.async_start_reauth(self.hass)
            raise cloud_error(err) from err

    return wrapper


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated error about an action's input: nothing was sent."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def loaded_entry(hass: HomeAssistant, entry_id: str | None) -> SmartChargingConfigEntry:
    """The loaded Smart Charging entry an action names."""
    entry: SmartChargingConfigEntry | None = (
        hass.config_entries.async_get_entry(entry_id) if entry_id else None
    )
    if entry is None or entry.domain != DOMAIN:
        raise invalid("entry_not_found", entry_id=str(entry_id))
    if entry.state is not ConfigEntryState.LOADED:
        raise invalid("entry_not_loaded", name=entry.title)
    return entry


def device_target(
    hass: HomeAssistant, device_id: str, kind: DeviceKind
) -> tuple[SmartChargingCoordinator, str]:
    """The coordinator and the ``kind`` key of the device an action is aimed at."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise invalid("device_not_found", device_id=device_id)
    # A device belongs to one config entry (Home Assistant 2026.10 and later).
    entry: SmartChargingConfigEntry | None = hass.config_entries.async_get_entry(
        device.config_entry_id
    )
    if entry is not None and entry.domain == DOMAIN:
        if entry.state is not ConfigEntryState.LOADED:
            raise invalid("entry_not_loaded", name=entry.title)
        coordinator = entry.runtime_data.coordinator
        for key in coordinator.data.devices(kind):
            if (DOMAIN, device_key(entry.data[CONF_PROVIDER], kind, key)) in device.identifiers:
                return coordinator, key
    raise invalid(f"not_a_{kind.value.removesuffix('s')}", name=device.name or device_id)
