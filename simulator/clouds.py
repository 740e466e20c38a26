"""The list of simulated clouds, so the command line and the tests build the same world."""

from __future__ import annotations

from .ampeco import AmpecoCloud
from .app import Cloud, Simulator
from .easee import EaseeCloud
from .jedlix import JedlixCloud
from .viriciti import ViricitiCloud


def all_clouds(sim: Simulator) -> list[Cloud]:
    """One instance of every simulated cloud, sharing ``sim``'s clock."""
    return [EaseeCloud(sim), ViricitiCloud(sim), AmpecoCloud(sim), JedlixCloud(sim)]
