"""Easee's cloud API (seed 003): chargers, their sites, state, settings and commands."""

from .client import EaseeClient

__all__ = ["EaseeClient"]
