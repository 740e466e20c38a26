"""Jedlix's Smart Charging API v2 (seed 002).

Cars, chargers, charging locations, sessions, tariffs, prices, solar energy, messages.
"""

from .client import JedlixClient

__all__ = ["JedlixClient"]
