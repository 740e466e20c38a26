"""Typed errors raised by every cloud client.

Clients raise only these, so the coordinator and the action decorator can map each
to one Home Assistant outcome (reauth, retry later, a translated message) without
knowing which cloud answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class SmartChargingError(Exception):
    """Base class of every error a cloud client raises."""


class AuthError(SmartChargingError):
    """The cloud refused our credentials (401): the user must sign in again."""


class ForbiddenError(SmartChargingError):
    """The credentials are valid but may not do this (403)."""


class NotFoundError(SmartChargingError):
    """The resource does not exist (404)."""


class RejectedError(SmartChargingError):
    """The device or cloud refused an otherwise valid request (406 or 409)."""


class ValidationError(SmartChargingError):
    """The cloud rejected the request's content (400 or 422).

    ``field_errors`` maps a field name to the cloud's messages about it, when the
    cloud says which field was wrong.
    """

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class InvalidIdError(SmartChargingError):
    """An id that is not an id (``..``, ``a/b``, control characters) was to go in a path.

    Nothing is sent: an id from a user or a cloud must never change the path it is put
    into.
    """


class CommunicationError(SmartChargingError):
    """The cloud could not be reached or did not answer properly; try again later."""


class CloudConnectionError(CommunicationError):
    """No connection could be made, or it dropped."""


class CloudTimeoutError(CommunicationError):
    """The cloud did not answer in time."""


class ServerError(CommunicationError):
    """The cloud answered with a 5xx status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"server error {status}")
        self.status = status


class InvalidResponseError(CommunicationError):
    """The answer was not the JSON we expect."""


class RateLimitedError(CommunicationError):
    """The cloud asks us to slow down (429); ``retry_after`` is in seconds if it said."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__(
            "rate limited" if retry_after is None else f"rate limited for {retry_after:.0f} s"
        )
        self.retry_after = retry_after


class WriteRefusedError[R: StrEnum](ValueError):
    """A write a client's own checks refuse, so nothing is sent to the cloud.

    Not a :class:`SmartChargingError`: the cloud never saw it. ``field`` names what was
    wrong, ``reason`` is the cloud's stable reason (the integration's translation key)
    and ``placeholders`` fill the translated message, so every cloud's refusals reach
    the user the same way.
    """

    def __init__(
        self, field: str, reason: R, placeholders: Mapping[str, str] | None = None
    ) -> None:
        self.field = field
        self.reason = reason
        self.placeholders: dict[str, str] = dict(placeholders or {})
        details = ", ".join(f"{key}={value}" for key, value in self.placeholders.items())
        super().__init__(f"{field}: {reason}" + (f" ({details})" if details else ""))
