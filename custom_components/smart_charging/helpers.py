"""The decorator that turns client errors into translated Home Assistant errors."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, Concatenate

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api.errors import (
    AuthError,
    CommunicationError,
    ForbiddenError,
    InvalidResponseError,
    NotFoundError,
    RateLimitedError,
    RejectedError,
    SmartChargingError,
    ValidationError,
)
from .const import DOMAIN
from .entity import SmartChargingEntity


def cloud_error(err: SmartChargingError) -> HomeAssistantError:
    """The translated error a user sees when a cloud refuses or fails a write."""
    if isinstance(err, ValidationError):
        fields = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in err.field_errors.items()
        )
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="cloud_validation",
            translation_placeholders={"error": fields or err.message},
        )
    key = "unknown_error"
    if isinstance(err, AuthError):
        key = "invalid_auth"
    elif isinstance(err, ForbiddenError):
        key = "forbidden"
    elif isinstance(err, NotFoundError):
        key = "not_found"
    elif isinstance(err, RejectedError):
        key = "rejected"
    elif isinstance(err, RateLimitedError):
        key = "rate_limited"
    elif isinstance(err, InvalidResponseError):
        key = "unknown_error"
    elif isinstance(err, CommunicationError):
        key = "communication_error"
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
