"""An AMPECO tenant's public API (seed 000, contract 3.110.0).

Charge points, their sessions and personal smart charging preferences.
"""

from .client import AmpecoClient

__all__ = ["AmpecoClient"]
