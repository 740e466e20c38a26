"""Meters that never go down: the one rule for every ``total_increasing`` sensor.

Home Assistant reads any drop of a ``total_increasing`` sensor as a meter reset and
counts everything after it again. A cloud that sends a lifetime energy of 100.0 kWh for
one poll between 1235.2 and 1236.7 would add 1236.7 kWh to the Energy dashboard. So a
drop is held: the sensor keeps showing the highest value of the meter's period until the
cloud's value passes it again. A drop is a real reset only when the period changed (a
new session, a new day: what the description's ``period_fn`` says); a meter without a
period (a lifetime meter) never starts again. The held value and its period survive a
restart, so a dip on the first poll after one is held too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorExtraStoredData,
    SensorStateClass,
)
from homeassistant.helpers.typing import StateType

from .const import LOGGER


@dataclass
class MeterStoredData(SensorExtraStoredData):
    """What a restart keeps of a meter: its value, unit and period."""

    period: str | None = None
    # For a total: the sum of the periods before this one.
    done: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The sensor's stored data with the meter's period (and a total's earlier sum)."""
        return {**super().as_dict(), "meter_period": self.period, "meter_done": self.done}

    @classmethod
    def from_dict(cls, restored: dict[str, Any]) -> Self | None:
        """The stored data, with the period if one was stored."""
        data = SensorExtraStoredData.from_dict(restored)
        if data is None:
            return None
        period, done = restored.get("meter_period"), restored.get("meter_done")
        return cls(
            data.native_value,
            data.native_unit_of_measurement,
            period if isinstance(period, str) else None,
            float(done) if isinstance(done, int | float) and not isinstance(done, bool) else 0.0,
        )


class MeterSensor(RestoreSensor):
    """A sensor whose ``total_increasing`` values pass through :meth:`metered`.

    Other sensors of the same class (a power, a status) pass through unchanged.
    """

    _meter_value: float | None = None
    _meter_period: str | None = None
    _meter_done: float = 0.0

    @property
    def _is_meter(self) -> bool:
        return self.state_class == SensorStateClass.TOTAL_INCREASING

    def metered(self, value: StateType | datetime, period: object) -> StateType | datetime:
        """``value``, or the meter's last value when ``value`` is a drop within its period.

        Idempotent for the same ``value`` and ``period``: Home Assistant may ask for the
        state more than once per write.
        """
        if not self._is_meter or isinstance(value, bool) or not isinstance(value, int | float):
            return value
        key = None if period is None else str(period)
        held = self._meter_value
        if held is None or value >= held or key != self._meter_period:
            self._meter_value, self._meter_period = float(value), key
            return value
        LOGGER.debug(
            "%s: the cloud's %s is below %s within one period; holding %s",
            self.entity_id,
            value,
            held,
            held,
        )
        return held

    def totalled(self, value: StateType | datetime, period: object) -> StateType | datetime:
        """The sum of every period's last value so far, this one's included.

        When the period changes, the last value of the one that ended joins the sum; the
        current period's value is held as :meth:`metered` holds it.
        """
        if not self._is_meter or isinstance(value, bool) or not isinstance(value, int | float):
            return value
        key = None if period is None else str(period)
        if self._meter_value is not None and key != self._meter_period:
            self._meter_done += self._meter_value
            self._meter_value = None
        current = self.metered(value, period)
        assert isinstance(current, int | float)
        return round(self._meter_done + current, 6)

    async def async_added_to_hass(self) -> None:
        """Take the meter up where it was before the restart."""
        await super().async_added_to_hass()
        if not self._is_meter or (extra := await self.async_get_last_extra_data()) is None:
            return
        stored = MeterStoredData.from_dict(extra.as_dict())
        if stored is None:
            return
        restored = stored.native_value
        if isinstance(restored, int | float) and not isinstance(restored, bool):
            self._meter_done = stored.done
            self._meter_value = float(restored) - stored.done
            self._meter_period = stored.period

    @property
    def extra_restore_state_data(self) -> MeterStoredData:
        """A meter's last value, unit and period; nothing of any other sensor.

        Home Assistant asks for this every 15 minutes and at shutdown, also while the
        device is away from the cloud's answers: it is taken from what the meter holds,
        never from the device's data.
        """
        if not self._is_meter or self._meter_value is None:
            return MeterStoredData(None, None)
        return MeterStoredData(
            self._meter_done + self._meter_value,
            self.native_unit_of_measurement,
            self._meter_period,
            self._meter_done,
        )
