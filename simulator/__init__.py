"""A faithful, stateful stand-in for the four clouds Smart Charging talks to.

One aiohttp application serves Easee, ViriCiti, AMPECO and Jedlix side by side (each
under its own path prefix), plus an admin path that only tests and benchmarks use: a
controllable clock, a request log and fault injection.
"""

from .app import ADMIN_PREFIX, SIMULATOR, Simulator, create_app

__all__ = ["ADMIN_PREFIX", "SIMULATOR", "Simulator", "create_app"]
