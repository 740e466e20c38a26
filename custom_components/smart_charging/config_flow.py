"""Config flow: pick a cloud, enter its credentials, check them, create the entry.

One entry per cloud account. Reauthentication asks only for the secret that expired;
reconfiguration changes the base URL or credentials of the same account without losing
its entities.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any, override
from urllib.parse import urlsplit

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import probatio

from .clouds.base import Account
from .clouds.errors import AuthError, CommunicationError, SmartChargingError
from .const import (
    CONF_ADVANCED,
    CONF_BASE_URL,
    CONF_PROVIDER,
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_GROUP_LIMIT_HOLD,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    DOMAIN,
    LOGGER,
    OPT_ACTIVE_INTERVAL,
    OPT_GROUP_LIMIT_HOLD,
    OPT_IDLE_INTERVAL,
    OPT_SETTINGS_INTERVAL,
)
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
        schema[probatio.Required(CONF_ADVANCED)] = section(
            probatio.Schema(
                {probatio.Required(CONF_BASE_URL, default=provider.default_base_url): URL}
            ),
            {"collapsed": True},
        )
    return probatio.Schema(schema)


def _is_http_url(url: str) -> bool:
    """Whether ``url`` is a usable http(s) address (a malformed one is not)."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


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
    if CONF_BASE_URL in values and PROVIDERS[values[CONF_PROVIDER]].default_base_url:
        values[CONF_ADVANCED] = {CONF_BASE_URL: values.pop(CONF_BASE_URL)}
    return values


def _minutes(low: float, high: float) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=low, max=high, step=1, unit_of_measurement="min", mode=NumberSelectorMode.BOX
        )
    )


# Option -> (default, selector). The lower bounds keep polling within the clouds' limits.
_OPTIONS: dict[str, tuple[float, NumberSelector]] = {
    OPT_ACTIVE_INTERVAL: (DEFAULT_ACTIVE_INTERVAL.total_seconds() / 60, _minutes(1, 60)),
    OPT_IDLE_INTERVAL: (DEFAULT_IDLE_INTERVAL.total_seconds() / 60, _minutes(5, 240)),
    OPT_SETTINGS_INTERVAL: (DEFAULT_SETTINGS_INTERVAL.total_seconds() / 60, _minutes(30, 1440)),
    OPT_GROUP_LIMIT_HOLD: (DEFAULT_GROUP_LIMIT_HOLD.total_seconds() / 60, _minutes(5, 1440)),
}


class SmartChargingOptionsFlow(OptionsFlow):
    """Poll intervals and the group-limit hold time, read at every poll."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the options of the entry's cloud."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        provider = PROVIDERS[self.config_entry.data[CONF_PROVIDER]]
        schema = {
            probatio.Required(
                key, default=self.config_entry.options.get(key, _OPTIONS[key][0])
            ): _OPTIONS[key][1]
            for key in provider.options
        }
        return self.async_show_form(step_id="init", data_schema=probatio.Schema(schema))


class SmartChargingConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up one cloud account."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> SmartChargingOptionsFlow:
        """Options of an existing entry."""
        return SmartChargingOptionsFlow()

    async def _async_check(self, data: dict[str, Any]) -> tuple[Account | None, dict[str, str]]:
        """Call the cloud once with ``data``; return the account or the form errors."""
        url = data.get(CONF_BASE_URL)
        if url is not None and not _is_http_url(url):
            return None, {CONF_BASE_URL: "invalid_url"}
        try:
            provider = PROVIDERS[data[CONF_PROVIDER]]
            account = await provider.create_client(self.hass, data).async_identify()
        except AuthError:
            return None, {"base": "invalid_auth"}
        except CommunicationError:
            return None, {"base": "cannot_connect"}
        except SmartChargingError:
            LOGGER.exception("Unexpected answer while checking the credentials")
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
        self, entry: ConfigEntry, data: dict[str, Any]
    ) -> tuple[ConfigFlowResult | None, dict[str, str]]:
        """Check new data with the cloud and, for the same account, store it and reload.

        Reauthentication and reconfiguration may change how we reach an account, never
        which account it is: another one aborts the flow.
        """
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
        """Ask only for the secrets again."""
        entry = self._get_reauth_entry()
        provider = PROVIDERS[entry.data[CONF_PROVIDER]]
        errors: dict[str, str] = {}
        if user_input is not None:
            result, errors = await self._async_replace_data(entry, {**entry.data, **user_input})
            if result is not None:
                return result
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=_schema(provider, provider.secrets),
            description_placeholders={"account": entry.title},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the base URL or credentials of the same account."""
        entry = self._get_reconfigure_entry()
        provider = PROVIDERS[entry.data[CONF_PROVIDER]]
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {CONF_PROVIDER: provider.key, **_flatten(user_input)}
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
