"""What every cloud client has in common."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
import hashlib
from typing import Any, Protocol
from urllib.parse import urlsplit

from .http import HttpCore
from .models import CommandResult, GroupLimit, LimitSample


@dataclass(frozen=True)
class Account:
    """Who we are signed in as: a stable key for the config entry and a title."""

    unique_id: str
    title: str


def hashed_id(*parts: str) -> str:
    """A stable id made from secrets (an API key, a user id) that does not reveal them."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def account_host(base_url: str) -> str:
    """The host (and port, unless the scheme's default) of ``base_url``, lowercased.

    For a cloud whose answers never name the account, this is what the config entry's
    unique id is made of: it is not secret and stays when the key is rotated.
    """
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if port is None or port == default else f"{host}:{port}"


class CloudClient(ABC):
    """A client for one cloud account, built on the shared HTTP core."""

    def __init__(self, http: HttpCore) -> None:
        self.http = http

    @abstractmethod
    async def async_identify(self) -> Account:
        """Check the credentials with one cheap call and say whose account this is."""

    def known_account(self) -> Account | None:
        """The account as the client's settings alone name it (no request), if they do.

        Used to move an entry to a new unique id without calling the cloud; None where
        only the cloud's answer names the account.
        """
        return None


class ChargerControl(Protocol):
    """What a cloud that can control chargers offers (Easee today)."""

    async def async_command(self, charger_id: str, command: str) -> CommandResult:
        """Send a charging command (start_charging, pause_charging, ...)."""

    async def async_set_settings(self, charger_id: str, **changes: Any) -> CommandResult:
        """Change settings named as in :class:`ChargerSettings`."""


class GroupControl(Protocol):
    """What a cloud with charger groups offers (ViriCiti today)."""

    async def async_set_group_limit(
        self, group_id: str, limit_kw: int, end: datetime
    ) -> GroupLimit:
        """Set an external limit until ``end``; return the layers the cloud now reports."""

    async def async_limit_history(
        self, group_id: str, start: datetime, end: datetime
    ) -> list[LimitSample]:
        """How the group's limit was shared between ``start`` and ``end``."""
