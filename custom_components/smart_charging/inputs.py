"""What a user may type: cloud addresses and the entry's options, checked before use.

The config flow refuses anything else with a translated form error, before a request is
sent; the coordinator reads options through :func:`option_minutes`, so a bad value that
is already stored (an older version let ``"nan"`` through) falls back to the default
instead of breaking every poll.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
import ipaddress
import math
import re
from typing import Any, Final
from urllib.parse import urlsplit

from .const import (
    DEFAULT_ACTIVE_INTERVAL,
    DEFAULT_GROUP_LIMIT_HOLD,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_SETTINGS_INTERVAL,
    OPT_ACTIVE_INTERVAL,
    OPT_GROUP_LIMIT_HOLD,
    OPT_IDLE_INTERVAL,
    OPT_SETTINGS_INTERVAL,
)

# Longer addresses are refused (browsers and servers commonly stop near 2 000 characters).
MAX_URL_LENGTH: Final = 2000
# RFC 3986 path characters (percent-escapes included); anything else is refused.
_PATH: Final = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*")
_LABEL: Final = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")

# Option -> (default, lowest, highest), in minutes. The lower bounds keep polling within
# the clouds' limits.
OPTIONS: Final[dict[str, tuple[timedelta, float, float]]] = {
    OPT_ACTIVE_INTERVAL: (DEFAULT_ACTIVE_INTERVAL, 1, 60),
    OPT_IDLE_INTERVAL: (DEFAULT_IDLE_INTERVAL, 5, 240),
    OPT_SETTINGS_INTERVAL: (DEFAULT_SETTINGS_INTERVAL, 30, 1440),
    OPT_GROUP_LIMIT_HOLD: (DEFAULT_GROUP_LIMIT_HOLD, 5, 1440),
}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer: localhost, 127.0.0.0/8 or ::1."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.lower().removesuffix(".").split(".")
    return all(_LABEL.fullmatch(label) for label in labels)


def url_error(url: Any) -> str | None:
    """Why ``url`` cannot be a cloud's base address (a form error key), or None.

    Only ``https://host[:port][/path]``: no user name or password (they would be sent to
    the cloud with every request), no query or fragment (the client appends paths), no
    control characters or spaces, at most :data:`MAX_URL_LENGTH` characters. Plain
    ``http://`` only for this computer (the simulator): credentials must not cross a
    network unencrypted.
    """
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return "invalid_url"
    if any(char.isspace() or not char.isprintable() for char in url) or "\\" in url:
        return "invalid_url"
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return "invalid_url"
    host = parts.hostname
    if (
        parts.scheme not in ("http", "https")
        or not host
        or "@" in parts.netloc
        or "?" in url
        or "#" in url
        or not _PATH.fullmatch(parts.path)
        or not _valid_host(host)
    ):
        return "invalid_url"
    if parts.scheme == "http" and not is_loopback(host):
        return "insecure_url"
    return None


def option_value(key: str, value: Any) -> float | None:
    """``value`` as minutes for option ``key`` if it is a finite number in range, else None."""
    if isinstance(value, bool):
        return None
    try:
        minutes = float(value)
    except TypeError, ValueError, OverflowError:
        return None
    _, low, high = OPTIONS[key]
    if not math.isfinite(minutes) or not low <= minutes <= high:
        return None
    return minutes


def option_minutes(options: Mapping[str, Any], key: str, default: timedelta) -> timedelta:
    """Option ``key`` of an entry as a duration; ``default`` when unset or unusable."""
    value = options.get(key)
    minutes = None if value is None else option_value(key, value)
    return default if minutes is None else timedelta(minutes=minutes)
