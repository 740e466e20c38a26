"""ViriCiti's SDK (seed 001): charger groups, their limit layers and time series."""

from .client import ViricitiClient

__all__ = ["ViricitiClient"]
