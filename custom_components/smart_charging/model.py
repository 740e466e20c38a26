"""The neutral model: the devices an account has, whichever cloud reports them.

A poll of an account gives a :class:`Snapshot`: chargers, charger groups and the
chargers seen through a group, cars and charging locations, each keyed by the cloud's
own id. Entities read only this. A cloud that knows more about a device (an AMPECO
charge point's preferences, a Jedlix car's session) subclasses the device's data in its
provider package; the shared code never needs to know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .clouds.circuit import Circuit
from .clouds.models import (
    Charger,
    ChargerGroup,
    ChargerSettings,
    ChargerState,
    ChargingLocation,
    GroupLimit,
    PricePoint,
    SolarEnergyPoint,
    Station,
    Vehicle,
)


class DeviceKind(StrEnum):
    """A kind of device; the value names its part of the snapshot."""

    CHARGER = "chargers"
    GROUP = "groups"
    STATION = "stations"
    VEHICLE = "vehicles"
    LOCATION = "locations"

    @property
    def prefix(self) -> str:
        """What a device's identifier puts before its id (chargers came first: none)."""
        return "" if self is DeviceKind.CHARGER else f"{self.value.removesuffix('s')}_"


def device_key(provider: str, kind: DeviceKind, key: str) -> str:
    """A device's registry identifier: cloud and kind first, since ids of clouds may clash."""
    return f"{provider}_{kind.prefix}{key}"


def provider_data[D](data: object, provider_type: type[D]) -> D | None:
    """The device's data as a provider's subclass of it, or None on another cloud's device.

    A provider's own entity descriptions are offered for every device of their kind;
    what only that cloud reports is read through this, so another cloud's device shows
    nothing instead of failing.
    """
    return data if isinstance(data, provider_type) else None


@dataclass(frozen=True, kw_only=True)
class ChargerData:
    """Everything known about one charger.

    ``commands`` are the charging commands it takes (see :data:`.clouds.models.ALL_COMMANDS`);
    ``complete`` is False while only part of it has been read (a large account is read
    in full over some minutes): the entities that need the rest are added later.
    """

    charger: Charger
    state: ChargerState
    commands: frozenset[str] = frozenset()
    settings: ChargerSettings | None = None
    complete: bool = True


@dataclass(frozen=True, kw_only=True)
class GroupData:
    """A charger group: its settings, its limit layers and the next change."""

    group: ChargerGroup
    limit: GroupLimit
    next_change: tuple[datetime, float | None] | None = None


@dataclass(frozen=True, kw_only=True)
class StationData:
    """A charger of a group and the power its positions were last given."""

    station: Station
    position_limits: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class VehicleData:
    """A car."""

    vehicle: Vehicle


@dataclass(frozen=True, kw_only=True)
class LocationData:
    """A charging location: the price of electricity there and its solar yield."""

    location: ChargingLocation
    name: str
    prices: tuple[PricePoint, ...] = ()
    solar: tuple[SolarEnergyPoint, ...] = ()


type DeviceData = ChargerData | GroupData | StationData | VehicleData | LocationData


@dataclass(frozen=True)
class Snapshot:
    """What one poll of an account knows; entities read only this."""

    chargers: Mapping[str, ChargerData] = field(default_factory=dict)
    groups: Mapping[str, GroupData] = field(default_factory=dict)
    stations: Mapping[str, StationData] = field(default_factory=dict)
    vehicles: Mapping[str, VehicleData] = field(default_factory=dict)
    locations: Mapping[str, LocationData] = field(default_factory=dict)
    # The circuits (fuses) chargers hang on, by id (``Charger.circuit_id``): not devices.
    circuits: Mapping[str, Circuit] = field(default_factory=dict)

    def devices(self, kind: DeviceKind) -> Mapping[str, DeviceData]:
        """The devices of one kind, by id."""
        devices: Mapping[str, DeviceData] = getattr(self, kind.value)
        return devices

    def device_keys(self, provider: str) -> set[str]:
        """The registry identifiers of every device in the snapshot."""
        return {
            device_key(provider, kind, key) for kind in DeviceKind for key in self.devices(kind)
        }
