"""Config flow: pick a cloud, enter its credentials, check them, create the entry.

One entry per cloud account. Reauthentication asks only for the secret that expired;
reconfiguration changes the base URL or credentials of the same account without losing
its entities.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any, override

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import probatio

from .clouds.base import Account
from .clouds.errors import (
    AuthError,
    CommunicationError,
    ForbiddenError,
    InvalidIdError,
    NotFoundError,
    SmartChargingError,
)
from .const import CONF_ADVANCED, CONF_BASE_URL, CONF_PROVIDER, DOMAIN, LOGGER
from .inputs import OPTIONS, option_value, url_error
from .providers import PROVIDERS
from .providers.provider import URL, Provider


def _schema(provider: Provider[Any], fields: tuple[str, ...] | None = None) -> probatio.Schema:
    """The form for ``provider``; clouds with a public base URL hide it under Advanced."""
    schema: dict[Any, Any] = {
        probatio.Required(name): selector
        for name, selector in provider.fields.items()
        if fields is None or name in fields
    }
    if provider.default_base_url is not None and fields is None:
        advanced: dict[Any, Any] = {
            probatio.Required(CONF_BASE_URL, default=provider.default_base_url): URL
        }
        for name, default in provider.advanced_switches.items():
            advanced[probatio.Required(name, default=default)] = BooleanSelector()
        schema[probatio.Required(CONF_ADVANCED)] = section(
            probatio.Schema(advanced), {"collapsed": True}
        )
    return probatio.Schema(schema)


def _reauth_fields(provider: Provider[Any], data: Mapping[str, Any]) -> tuple[str, ...]:
    """The secrets, and any field the entry lacks (one a newer version added)."""
    missing = tuple(name for name in provider.fields if name not in data)
    return provider.secrets + tuple(name for name in missing if name not in provider.secrets)


def _flatten(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Entry data from a form's input: the Advanced section's fields moved to the top."""
    data = {key: value for key, value in user_input.items() if key != CONF_ADVANCED}
    data.update(user_input.get(CONF_ADVANCED, {}))
    if CONF_BASE_URL in data:
        data[CONF_BASE_URL] = str(data[CONF_BASE_URL]).strip().rstrip("/")
    return data


def _form_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Suggested form values from entry data (the inverse of ``_flatten``)."""
    values = dict(data)
    provider = PROVIDERS[values[CONF_PROVIDER]]
    if CONF_BASE_URL in values and provider.default_base_url:
        advanced = (CONF_BASE_URL, *provider.advanced_switches)
        values[CONF_ADVANCED] = {name: values.pop(name) for name in advanced if name in values}
    return values


class _Minutes(NumberSelector):
    """A number box in minutes whose value the options step checks itself.

    The selector's own check would turn a value out of range into a schema error
    without a translation, and lets ``"nan"`` through; the step refuses both with a
    translated form error instead (:func:`.inputs.option_value`).
    """

    @override
    def __call__(self, data: Any) -> Any:
        return data


def _minutes(low: float, high: float) -> NumberSelector:
    return _Minutes(
        NumberSelectorConfig(
            min=low, max=high, step=0.5, unit_of_measurement="min", mode=NumberSelectorMode.BOX
        )
    )


class SmartChargingOptionsFlow(OptionsFlow):
    """Poll intervals and the group-limit hold time, read at every poll."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the options of the entry's cloud; store them once each is in range."""
        provider = PROVIDERS[self.config_entry.data[CONF_PROVIDER]]
        errors: dict[str, str] = {}
        if user_input is not None:
            options: dict[str, float] = {}
            for key in provider.options:
                value = option_value(key, user_input.get(key))
                if value is None:
                    errors[key] = "invalid_option"
                else:
                    options[key] = value
            if not errors:
                return self.async_create_entry(data=options)
        schema = {}
        for key in provider.options:
            default, low, high = OPTIONS[key]
            default = provider.option_defaults.get(key, default)
            stored = option_value(key, self.config_entry.options.get(key))
            minutes = default.total_seconds() / 60 if stored is None else stored
            schema[probatio.Required(key, default=minutes)] = _minutes(low, high)
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                probatio.Schema(schema), user_input or {}
            ),
            errors=errors,
        )


class SmartChargingConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one cloud account."""

    VERSION = 1
    # 1.2: ViriCiti and AMPECO entries are named by their host, not by a hash of the key
    # (``async_migrate_entry`` moves older entries).
    # 1.3: ViriCiti entries name their charger groups (``group_ids``).
    MINOR_VERSION = 3

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SmartChargingOptionsFlow:
        """Options of an existing entry."""
        return SmartChargingOptionsFlow()

    async def _async_check(self, data: dict[str, Any]) -> tuple[Account | None, dict[str, str]]:
        """Call the cloud once with ``data``; return the account or the form errors."""
        if CONF_BASE_URL in data and (error := url_error(data[CONF_BASE_URL])):
            return None, {CONF_BASE_URL: error}
        provider = PROVIDERS[data[CONF_PROVIDER]]
        try:
            account = await provider.create_client(self.hass, data).async_identify()
        except (NotFoundError, InvalidIdError) as err:
            if provider.not_found_field is None:
                LOGGER.warning("Unexpected answer while checking the credentials: %s", err)
                return None, {"base": "unknown"}
            return None, {provider.not_found_field: "not_found"}
        except AuthError:
            return None, {"base": "invalid_auth"}
        except ForbiddenError:
            # Valid credentials that may not read this account (a token of another user).
            return None, {"base": "forbidden"}
        except CommunicationError:
            return None, {"base": "cannot_connect"}
        except SmartChargingError as err:
            # The form says what happened; the answer's kind is enough for the log.
            LOGGER.warning("Unexpected answer while checking the credentials: %s", err)
            return None, {"base": "unknown"}
        return account, {}

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask which cloud to add; each has a step of its own, named by its key."""
        return self.async_show_menu(step_id="user", menu_options=list(PROVIDERS))

    def __getattr__(self, name: str) -> Callable[..., Awaitable[ConfigFlowResult]]:
        """``async_step_<cloud>``: the credentials form of the cloud picked in the menu."""
        key = name.removeprefix("async_step_")
        if name.startswith("async_step_") and key in PROVIDERS:
            return partial(self._async_step_credentials, PROVIDERS[key])
        raise AttributeError(name)

    async def _async_step_credentials(
        self, provider: Provider[Any], user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: provider.key, **_flatten(user_input)}
            account, errors = await self._async_check(data)
            if account is not None:
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=account.title, data=data)
        return self.async_show_form(
            step_id=provider.key,
            data_schema=self.add_suggested_values_to_schema(_schema(provider), user_input or {}),
            errors=errors,
        )

    async def _async_replace_data(
        self, entry: ConfigEntry, data: dict[str, Any] | None
    ) -> tuple[ConfigFlowResult | None, dict[str, str]]:
        """Check new data with the cloud and, for the same account, store it and reload.

        Reauthentication and reconfiguration may change how we reach an account, never
        which account it is: another one aborts the flow. No data (the form is shown for
        the first time) is no result and no errors.
        """
        if data is None:
            return None, {}
        account, errors = await self._async_check(data)
        if account is None:
            return None, errors
        await self.async_set_unique_id(account.unique_id)
        self._abort_if_unique_id_mismatch(reason="wrong_account")
        return self.async_update_reload_and_abort(entry, data=data), errors

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The cloud refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the secrets again (and for a field the stored entry lacks)."""
        entry = self._get_reauth_entry()
        provider = PROVIDERS[entry.data[CONF_PROVIDER]]
        data = None if user_input is None else {**entry.data, **user_input}
        result, errors = await self._async_replace_data(entry, data)
        if result is not None:
            return result
        if CONF_BASE_URL in errors:
            # The stored address is refused (http:// to another computer, accepted by
            # older versions) and is not on this form: say so; reconfigure fixes it.
            errors = {"base": errors[CONF_BASE_URL]}
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=_schema(provider, _reauth_fields(provider, entry.data)),
            description_placeholders={"account": entry.title},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the base URL or credentials of the same account."""
        entry = self._get_reconfigure_entry()
        provider = PROVIDERS[entry.data[CONF_PROVIDER]]
        data = None if user_input is None else {CONF_PROVIDER: provider.key, **_flatten(user_input)}
        result, errors = await self._async_replace_data(entry, data)
        if result is not None:
            return result
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                _schema(provider), user_input or _form_values(entry.data)
            ),
            errors=errors,
        )
