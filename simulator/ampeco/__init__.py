"""The simulated AMPECO public API (seed 000 and the OpenAPI 3.110.0 subset), kept strict.

:mod:`.cloud` serves the HTTP routes, :mod:`.contract` checks every request and response
against the vendor's OpenAPI subset (in ``simulator/specs/``), :mod:`.prefs` handles the
personal smart charging preferences and :mod:`.model` is the tenant's world (charge
points, EVSEs, sessions, modes). The names other code uses (tests, benchmarks, the
scenario) are re-exported here; the contract's loader, :func:`.contract.contract`, is
imported from its module, whose name it shares.
"""

from __future__ import annotations

from .cloud import AmpecoCloud, ApiError
from .contract import (
    DEVIATIONS,
    PREFERENCES,
    SpecViolation,
    validate_logged_requests,
    validate_request,
    validate_response,
    vendor_document,
)
from .model import mode

__all__ = [
    "DEVIATIONS",
    "PREFERENCES",
    "AmpecoCloud",
    "ApiError",
    "SpecViolation",
    "mode",
    "validate_logged_requests",
    "validate_request",
    "validate_response",
    "vendor_document",
]
