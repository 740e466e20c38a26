"""What entities and actions share: cloud errors as translated errors, finding a target.

Clients raise only the typed errors of :mod:`.clouds.errors`; :func:`cloud_error` maps
each to the one translated Home Assistant error a user sees, for entities (through
:func:`handle_cloud_errors`) and actions alike.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, Concatenate

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    async_get_hass_or_none,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)
import probatio

from .clouds import errors
from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .entity import SmartChargingEntity
from .model import DeviceKind, device_key

# The translation key of each cloud error; the first that matches wins, so a subclass
# stands before the class it refines (an invalid answer is not a communication error).
_ERROR_KEYS: tuple[tuple[type[errors.SmartChargingError], str], ...] = (
    (errors.AuthError, "invalid_auth"),
    (errors.ForbiddenError, "forbidden"),
    (errors.NotFoundError, "not_found"),
    (errors.RejectedError, "rejected"),
    (errors.RateLimitedError, "rate_limited"),
    (errors.InvalidIdError, "invalid_id"),
    (errors.InvalidResponseError, "unknown_error"),
    (errors.CommunicationError, "communication_error"),
)


def cloud_error(err: errors.SmartChargingError) -> HomeAssistantError:
    """The translated error a user sees when a cloud refuses or fails a write."""
    if isinstance(err, errors.ValidationError):
        fields = "; ".join(
            f"{field_name(name)}: {' '.join(messages)}"
            for name, messages in err.field_errors.items()
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
        except errors.SmartChargingError as err:
            if isinstance(err, errors.AuthError):
                self.coordinator.config_entry.async_start_reauth(self.hass)
            raise cloud_error(err) from err

    return wrapper


# The translation categories the names in messages come from: action field labels
# ("services") and entity state names ("entity").
_NAME_CATEGORIES = ("services", "entity")


async def async_load_names(hass: HomeAssistant) -> None:
    """Load the names messages use, so an error can be built without awaiting."""
    for language in dict.fromkeys((hass.config.language, "en")):
        for category in _NAME_CATEGORIES:
            await async_get_translations(hass, language, category, {DOMAIN})


def _translated(category: str, prefix: str, suffix: str) -> str | None:
    """The loaded translation whose key runs from ``prefix`` to ``suffix``.

    Validators run inside Home Assistant's event loop but are given no ``hass``;
    the running instance is taken from the loop. English is the fallback. Where keys
    disagree (``device_id`` is "Car" in one action, "Charger group" in another), no
    name is right for every action, so there is none.
    """
    hass = async_get_hass_or_none()
    if hass is None:
        return None
    head = f"component.{DOMAIN}.{prefix}"
    for language in dict.fromkeys((hass.config.language, "en")):
        names = async_get_cached_translations(hass, language, category, DOMAIN)
        found = {
            value for key, value in names.items() if key.startswith(head) and key.endswith(suffix)
        }
        if found:
            return found.pop() if len(found) == 1 else None
    return None


# Clients name a quantity with its unit (``max_current_from_grid_a``); the action's
# field leaves the unit to the form (``max_current_from_grid``).
_UNIT_SUFFIXES = ("_a", "_s")


def field_name(field: str) -> str:
    """An action field's label as the action form shows it (the key if it has none).

    Messages name the field the user filled in, never the key the code uses.
    """
    keys = [field] + [field.removesuffix(unit) for unit in _UNIT_SUFFIXES if field.endswith(unit)]
    for key in keys:
        if name := _translated("services", "services.", f".fields.{key}.name"):
            return name
    return field


def state_name(platform: str, translation_key: str, state: str) -> str:
    """A state's translated name (``Schedule`` for ``user_controlled_schedule``)."""
    key = f"entity.{platform}.{translation_key}.state.{state}"
    return _translated("entity", key, key) or state


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated error about an action's input: nothing was sent.

    A ``field`` placeholder holding an action field's key is shown as its label.
    """
    if "field" in placeholders:
        placeholders["field"] = field_name(placeholders["field"])
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


@dataclass(frozen=True, slots=True)
class Action:
    """One of the integration's actions: its name, handler, input schema and answer.

    The neutral, the planner's and each cloud's actions are listed as these and
    registered by :func:`register_actions`, so that every one is registered alike.
    """

    name: str
    handler: Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse | None]]
    schema: probatio.Schema
    response: SupportsResponse = SupportsResponse.NONE


def register_actions(hass: HomeAssistant, actions: Iterable[Action]) -> None:
    """Register ``actions`` in the integration's domain."""
    for action in actions:
        hass.services.async_register(
            DOMAIN,
            action.name,
            action.handler,
            schema=action.schema,
            supports_response=action.response,
        )
