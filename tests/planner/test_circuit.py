"""An Easee circuit beneath the shared limit: the chargers on it share its fuse.

The demo site's two chargers hang on one 25 A circuit: 17.25 kW on three phases at 230 V.
Two cars that could each take 11 kW cannot both have the cheap hour at full power.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from custom_components.smart_charging.clouds.easee.parse import parse_circuit
from custom_components.smart_charging.const import DOMAIN

from ..conftest import Sim, add_entry, advance
from ..helpers import device_of

CHARGERS = ("EH000001", "EH000002")  # Driveway and Garage, on the Garage circuit
PRICES = "sensor.energy_prices"
CIRCUIT_KW = 25 * 3 * 230 / 1000


def _hour(now: datetime, hours: int) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)


@pytest.fixture
async def easee(hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory) -> ConfigEntry:
    """The demo Easee account: two chargers on one 25 A circuit."""
    return await add_entry(hass, simulator, "easee")


async def _goals(hass: HomeAssistant, easee: ConfigEntry, now: datetime) -> dict[str, str]:
    """11 kWh each by ten hours from now at up to 11 kW; the cheapest hour is in three."""
    raw = [
        {
            "start": _hour(now, h).isoformat(),
            "end": _hour(now, h + 1).isoformat(),
            "value": 0.05 if h == 3 else 0.30 + h / 100,
        }
        for h in range(24)
    ]
    hass.states.async_set(PRICES, "0.30", {"raw_today": raw, "raw_tomorrow": []})
    devices = {}
    for charger in CHARGERS:
        devices[charger] = device_of(hass, easee, f"easee_{charger}")
        await hass.services.async_call(
            DOMAIN,
            "set_charge_goal",
            {
                "device_id": devices[charger],
                "energy": 11,
                "max_power": 11,
                "departure": (now + timedelta(hours=10)).isoformat(),
                "price_entity": PRICES,
            },
            blocking=True,
        )
        await hass.async_block_till_done(wait_background_tasks=True)
    return devices


async def _plans(hass: HomeAssistant, devices: dict[str, str]) -> list[dict[str, Any]]:
    plans = []
    for device_id in devices.values():
        plan = await hass.services.async_call(
            DOMAIN, "get_plan", {"device_id": device_id}, blocking=True, return_response=True
        )
        assert isinstance(plan, dict)
        plans.append(plan)
    return plans


def _peak(plans: list[dict[str, Any]]) -> float:
    """The most both plans draw together in any slot."""
    moments = {datetime.fromisoformat(s["start"]) for p in plans for s in p["slots"]}
    return max(
        sum(
            s["power_kw"]
            for p in plans
            for s in p["slots"]
            if datetime.fromisoformat(s["start"]) <= moment < datetime.fromisoformat(s["end"])
        )
        for moment in moments
    )


async def test_chargers_on_one_circuit_share_its_limit(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Never above the circuit's 17.25 kW together; when its maximum drops, the plan follows."""
    now = dt_util.utcnow()
    devices = await _goals(hass, easee, now)
    plans = await _plans(hass, devices)
    assert all(p["at_risk"] is False for p in plans)
    assert sum(p["energy"] for p in plans) == pytest.approx(22.0)
    assert _peak(plans) == pytest.approx(CIRCUIT_KW)
    # The cheap hour is filled to the circuit's limit, not to 22 kW.
    cheap = _hour(now, 3).isoformat()
    assert sum(
        s["power_kw"] for p in plans for s in p["slots"] if s["start"] == cheap
    ) == pytest.approx(CIRCUIT_KW)

    # The owner lowers the circuit's maximum to 10 A in Easee's app (pyeasee's
    # set_max_current): after the next read of the site the plans keep within 6.9 kW.
    (circuit,) = simulator.easee.sites[0].circuits
    circuit.settings.update({f"maxCircuitCurrentP{p}": 10.0 for p in (1, 2, 3)})
    await advance(hass, freezer, simulator, 120)
    plans = await _plans(hass, devices)
    assert _peak(plans) == pytest.approx(10 * 3 * 230 / 1000)
    # 6.9 kW for ten hours still gives both cars what is left of their 11 kWh.
    assert all(p["at_risk"] is False for p in plans)
    assert all(p["energy"] == pytest.approx(p["requested_energy"]) for p in plans)


def test_a_circuit_is_read_as_pyeasee_shows_it_and_nonsense_is_unknown() -> None:
    """The lowest of fuse, maximum and dynamic current; values that make no sense are skipped."""
    about = {"id": 12345, "ratedCurrent": 16}
    member = {
        "chargerState": {f"dynamicCircuitCurrentP{p}": 40 for p in (1, 2, 3)},
        "chargerConfig": {"phaseMode": 2} | {f"circuitMaxCurrentP{p}": 16 for p in (1, 2, 3)},
    }
    circuit = parse_circuit("12345", about, [member])
    assert circuit is not None
    assert circuit.limit_kw == pytest.approx(16 * 3 * 0.23)
    # Held to one phase: one phase's worth.
    single = {**member, "chargerConfig": {"phaseMode": 1}}
    circuit = parse_circuit("12345", about, [single])
    assert circuit is not None
    assert circuit.limit_kw == pytest.approx(16 * 0.23)
    # A dynamic current of 0 A stops the circuit; a fuse of 0 A or text is no answer.
    stopped = {"chargerState": {"dynamicCircuitCurrentP1": 0}}
    circuit = parse_circuit("12345", {"ratedCurrent": 0}, [stopped])
    assert circuit is not None
    assert circuit.limit_kw == 0
    nonsense = {"chargerState": {"dynamicCircuitCurrentP1": "lots", "dynamicCircuitCurrentP2": -5}}
    assert parse_circuit("12345", {"ratedCurrent": float("nan")}, [nonsense]) is None
    assert parse_circuit(None, about, [member]) is None
