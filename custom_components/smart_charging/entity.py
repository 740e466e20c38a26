"""The base entity, one per device kind, and how entities are added as devices appear.

Every entity belongs to one device of the snapshot (a charger, a group, a car...), shows
the expected state at once after a write until the cloud confirms it, and writes its
state only when what it shows of its device's data changed. Platforms describe their
entities as data;
:func:`add_described_entities` adds the platform's own descriptions and the cloud's
(its provider's ``descriptions``) for every device now and for each that appears later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

from homeassistant.core import CALLBACK_TYPE, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import dt as dt_util

from .const import CONF_PROVIDER, DOMAIN
from .coordinator import SmartChargingConfigEntry, SmartChargingCoordinator
from .device_names import distinct_name
from .model import (
    ChargerData,
    DeviceKind,
    GroupData,
    LocationData,
    Snapshot,
    StationData,
    VehicleData,
    device_key,
)

# How long an expected state (shown at once after a write) waits for the cloud.
EXPECTATION_TIMEOUT = timedelta(seconds=60)
# What an entity's state is made of while its device is gone from the cloud's answers.
_ABSENT = object()


class SmartChargingEntity(CoordinatorEntity[SmartChargingCoordinator]):
    """An entity of one device of the snapshot (a charger, a group, a station)."""

    _attr_has_entity_name = True
    kind: ClassVar[DeviceKind]

    def __init__(
        self,
        coordinator: SmartChargingCoordinator,
        key: str,
        description: EntityDescription,
    ) -> None:
        # Told of a new snapshot only when this device's data changed (see the coordinator).
        super().__init__(coordinator, (self.kind, key))
        self.entity_description = description
        self.key = key
        self.device_key = device_key(coordinator.config_entry.data[CONF_PROVIDER], self.kind, key)
        self._attr_unique_id = f"{self.device_key}_{description.key}"
        self._expected: tuple[object, datetime] | None = None
        self._expiry: CALLBACK_TYPE | None = None
        # What the state on show was written from: (poll succeeded, this device's data).
        self._written_from: tuple[bool, object] | None = None

    @property
    def device_info(self) -> DeviceInfo | None:
        """The device this entity belongs to, built when Home Assistant asks for it.

        Home Assistant reads it once, when the entity is added; kept on every entity, the
        same device's information would be held twenty times per charger.
        """
        if self.key not in self.coordinator.data.devices(self.kind):
            return None
        return distinct_name(
            self.coordinator, self.device_key, self.device_info_for(self.coordinator.data)
        )

    def device_info_for(self, snapshot: Snapshot) -> DeviceInfo:
        """The device this entity belongs to."""
        raise NotImplementedError

    @property
    def device_data(self) -> Any:
        """This device's part of the snapshot, of its kind's type (read while available)."""
        return self.coordinator.data.devices(self.kind)[self.key]

    @property
    def available(self) -> bool:
        """Unavailable when the cloud is unreachable or the device left the account."""
        return super().available and self.key in self.coordinator.data.devices(self.kind)

    # --- the expected state after a write -------------------------------------------------

    def current_value(self) -> object:
        """The cloud's value of what this entity shows; entities that write override it."""
        return None

    def expect(self, value: object) -> None:
        """Show ``value`` at once, until the cloud confirms it or the wait runs out."""
        self._expected = (value, dt_util.utcnow() + EXPECTATION_TIMEOUT)
        self._cancel_expiry()
        self._expiry = async_call_later(self.hass, EXPECTATION_TIMEOUT, self._expectation_expired)
        self.async_write_ha_state()

    def expected_or(self, actual: object) -> object:
        """The expected value while one is pending, else what the cloud says."""
        if self._expected is not None and dt_util.utcnow() < self._expected[1]:
            return self._expected[0]
        return actual

    def confirmed(self) -> bool:
        """Whether the cloud now shows what was expected (or nothing is expected)."""
        return self._expected is None or self._expected[0] == self.current_value()

    def _cancel_expiry(self) -> None:
        if self._expiry is not None:
            self._expiry()
            self._expiry = None

    @callback
    def _expectation_expired(self, _now: datetime) -> None:
        """The cloud did not follow in time: show what it says."""
        self._expected = self._expiry = None
        self.async_write_ha_state()

    async def async_will_remove_from_hass(self) -> None:
        """Stop waiting for a confirmation that no longer matters."""
        self._cancel_expiry()
        await super().async_will_remove_from_hass()

    def shown_from(self, data: Any) -> object:
        """What this entity's state is made of, taken from its device's data.

        The device's data itself unless an entity says which value of it it shows: a car
        that reports a new time at every poll then writes its "last update" sensor
        again, not its fifteen other entities.
        """
        return data

    def _source_changed(self) -> bool:
        """Whether what this entity shows (or the poll's outcome) changed since last written.

        A poll of 500 chargers usually changes a few of them; writing the state of every
        entity each time would cost more than the poll itself.
        """
        data = self.coordinator.data.devices(self.kind).get(self.key)
        source = (
            self.coordinator.last_update_success,
            _ABSENT if data is None else self.shown_from(data),
        )
        written = self._written_from
        self._written_from = source
        if written is None or written[0] != source[0]:
            return True
        return written[1] is not source[1] and written[1] != source[1]

    @callback
    def _handle_coordinator_update(self) -> None:
        if self._expected is not None and self.available and self.confirmed():
            self._expected = None
            self._cancel_expiry()
            self._written_from = None
        if self._source_changed():
            super()._handle_coordinator_update()


class ChargerEntity(SmartChargingEntity):
    """An entity of a charger."""

    kind = DeviceKind.CHARGER

    @property
    def charger_data(self) -> ChargerData:
        """This charger's part of the snapshot (only read while available)."""
        return self.coordinator.data.chargers[self.key]

    def device_info_for(self, snapshot: Snapshot) -> DeviceInfo:
        """The charger's device."""
        charger = snapshot.chargers[self.key].charger
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_key)},
            manufacturer=charger.manufacturer,
            model=charger.model,
            name=charger.name,
            serial_number=charger.id,
        )


class GroupEntity(SmartChargingEntity):
    """An entity of a charger group."""

    kind = DeviceKind.GROUP

    @property
    def group_data(self) -> GroupData:
        """This group's part of the snapshot (only read while available)."""
        return self.coordinator.data.groups[self.key]

    def device_info_for(self, snapshot: Snapshot) -> DeviceInfo:
        """The group's device."""
        return group_device_info(self.coordinator, self.device_key, snapshot.groups[self.key])


class StationEntity(SmartChargingEntity):
    """An entity of a charger that is seen through its group."""

    kind = DeviceKind.STATION

    @property
    def station_data(self) -> StationData:
        """This station's part of the snapshot (only read while available)."""
        return self.coordinator.data.stations[self.key]

    def device_info_for(self, snapshot: Snapshot) -> DeviceInfo:
        """The charger's device, shown under its group's."""
        station = snapshot.stations[self.key].station
        entry = self.coordinator.config_entry
        group_key = device_key(entry.data[CONF_PROVIDER], DeviceKind.GROUP, station.group_id)
        # The group's device must exist before a charger can hang under it.
        group = dr.async_get(self.coordinator.hass).async_get_or_create(
            config_entry_id=entry.entry_id,
            **group_device_info(self.coordinator, group_key, snapshot.groups[station.group_id]),
        )
        # The group's answers name a charger only by its identity (``charger_1``), which
        # means little beside other groups' chargers: the group's title goes with it.
        title = snapshot.groups[station.group_id].group.title
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_key)},
            manufacturer=self.coordinator.brand,
            model="Charging station",
            name=f"{station.identity} ({title})",
            via_device_id=group.id,
        )


class VehicleEntity(SmartChargingEntity):
    """An entity of a car."""

    kind = DeviceKind.VEHICLE

    @property
    def vehicle_data(self) -> VehicleData:
        """This car's part of the snapshot (only read while available)."""
        return self.coordinator.data.vehicles[self.key]

    def device_info_for(self, snapshot: Snapshot) -> DeviceInfo:
        """The car's device."""
        vehicle = snapshot.vehicles[self.key].vehicle
        name = " ".join(part for part in (vehicle.brand, vehicle.model) if part) or "Car"
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_key)},
            manufacturer=vehicle.brand,
            model=vehicle.model,
            model_id=vehicle.version,
            name=name,
        )


class LocationEntity(SmartChargingEntity):
    """An entity of a charging location."""

    kind = DeviceKind.LOCATION

    @property
    def location_data(self) -> LocationData:
        """This location's part of the snapshot (only read while available)."""
        return self.coordinator.data.locations[self.key]

    def device_info_for(self, snapshot: Snapshot) -> DeviceInfo:
        """The location's device (named by its order, never by its address)."""
        return DeviceInfo(
            identifiers={(DOMAIN, self.device_key)},
            manufacturer=self.coordinator.brand,
            model="Charging location",
            name=snapshot.locations[self.key].name,
        )


def group_device_info(
    coordinator: SmartChargingCoordinator, key: str, data: GroupData
) -> DeviceInfo:
    """The device of a charger group."""
    info = DeviceInfo(
        identifiers={(DOMAIN, key)},
        manufacturer=coordinator.brand,
        model="Charger group",
        name=data.group.title,
    )
    return distinct_name(coordinator, key, info)


type EntityFactory = Callable[[SmartChargingCoordinator, str], Iterable[Entity]]


def add_entities(
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    kind: DeviceKind,
    create: EntityFactory,
) -> None:
    """Add entities for every device of ``kind`` now, and for those that appear later.

    A device first seen in part (``complete`` false) gets the entities its data allows,
    and the rest once it has been read in full.
    """
    coordinator = entry.runtime_data.coordinator
    known: set[str] = set()
    # Devices seen only in part, with the unique ids of the entities they already have.
    partial: dict[str, set[str | None]] = {}

    @callback
    def _add_new() -> None:
        devices = coordinator.data.devices(kind)
        new = devices.keys() - known
        grown = [key for key in partial if _complete(devices.get(key))]
        if not new and not grown:
            return
        known.update(new)
        entities: list[Entity] = []
        for key in sorted(new):
            created = list(create(coordinator, key))
            if not _complete(devices[key]):
                partial[key] = {entity.unique_id for entity in created}
            entities += created
        for key in grown:
            had = partial.pop(key)
            entities += [e for e in create(coordinator, key) if e.unique_id not in had]
        if entities:
            async_add_entities(entities)

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))


def _complete(data: object) -> bool:
    """Whether a device's data has been read in full (absent devices are not)."""
    return data is not None and getattr(data, "complete", True)


def _exists(description: EntityDescription, data: object) -> bool:
    """Whether the device has what the description shows (``exists_fn``, if it has one)."""
    exists: Callable[[Any], bool] | None = getattr(description, "exists_fn", None)
    return exists is None or exists(data)


def add_described_entities(
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entity_types: Mapping[type[EntityDescription], type[SmartChargingEntity]],
    descriptions: Sequence[EntityDescription],
) -> None:
    """Add an entity for each description a device has, on every device of its kind.

    ``entity_types`` says which entity class shows a description type; the cloud's own
    descriptions (its provider's, kept in ``runtime_data``) of those types are added
    too, so no platform needs to know which clouds there are.
    """
    by_kind: dict[DeviceKind, list[tuple[type[SmartChargingEntity], EntityDescription]]] = {}
    for description in (*descriptions, *entry.runtime_data.descriptions):
        if (entity_type := entity_types.get(type(description))) is not None:
            by_kind.setdefault(entity_type.kind, []).append((entity_type, description))
    for kind, described in by_kind.items():

        def _create(
            coordinator: SmartChargingCoordinator,
            key: str,
            kind: DeviceKind = kind,
            described: list[tuple[type[SmartChargingEntity], EntityDescription]] = described,
        ) -> list[Entity]:
            data = coordinator.data.devices(kind)[key]
            return [
                entity_type(coordinator, key, description)
                for entity_type, description in described
                if _exists(description, data)
            ]

        add_entities(entry, async_add_entities, kind, _create)


def add_command_entities(
    entry: SmartChargingConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entity_types: Mapping[type[EntityDescription], type[SmartChargingEntity]],
    descriptions: Sequence[EntityDescription],
) -> None:
    """Add entities that send commands to chargers, as ``add_described_entities`` does.

    An account the cloud lets us read but not control gets none of ``descriptions``:
    each would only fail when used. The cloud's own descriptions of ``entity_types``
    (a car's switch, a station's button) are added all the same.
    """
    controllable = entry.runtime_data.coordinator.control is not None
    add_described_entities(
        entry, async_add_entities, entity_types, descriptions if controllable else ()
    )
