"""The blueprints a home owner imports: valid, and acting on a real charger.

Each blueprint is loaded by Home Assistant's own blueprint machinery from the files in
``blueprints/``, instantiated as an automation, and driven until the simulated cloud
receives the command the blueprint promises.
"""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util.yaml import load_yaml_dict
import pytest

from .conftest import Sim, add_entry, advance

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / "smart_charging"
DRIVEWAY = "EH000001"  # charging in the demo account


def _commands(simulator: Sim) -> list[str]:
    """The charging commands the Driveway charger received, in order."""
    return [
        entry.path.rsplit("/", 1)[-1]
        for entry in simulator.sim.log.matching("POST", f"/easee/api/chargers/{DRIVEWAY}/commands")
    ]


def _status(hass: HomeAssistant) -> str:
    state = hass.states.get("sensor.driveway_status")
    assert state is not None
    return state.state


@pytest.mark.parametrize("path", sorted(BLUEPRINTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_blueprint_is_valid(path: Path) -> None:
    """Home Assistant's automation-blueprint schema accepts each, with a name and a source."""
    data = load_yaml_dict(str(path))
    blueprint = models.Blueprint(
        data, expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert blueprint.name
    assert blueprint.metadata["source_url"].endswith(path.name)


async def _automation(hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]) -> None:
    """Copy the blueprint where Home Assistant looks for it and set up one automation."""
    target = Path(hass.config.path("blueprints", "automation", "smart_charging"))
    await hass.async_add_executor_job(lambda: target.mkdir(parents=True, exist_ok=True))
    await hass.async_add_executor_job(shutil.copy, BLUEPRINTS / blueprint, target / blueprint)
    config = {
        "automation": [
            {
                "id": blueprint,
                "use_blueprint": {"path": f"smart_charging/{blueprint}", "input": inputs},
            }
        ]
    }
    assert await async_setup_component(hass, "automation", config)
    await hass.async_block_till_done()


async def test_charging_pauses_while_a_big_load_runs(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The house draws 9.5 kW: the charger pauses; calm for 5 minutes: it resumes."""
    freezer.move_to(simulator.sim.now())
    await add_entry(hass, simulator, "easee")
    power = {"device_class": "power", "unit_of_measurement": "W"}
    hass.states.async_set("sensor.house_power", "3000", power)
    await _automation(
        hass,
        "pause_during_big_load.yaml",
        {
            "house_power": "sensor.house_power",
            "threshold": 9000,
            "charging_switch": "switch.driveway_charging",
            "calm_minutes": 5,
        },
    )
    hass.states.async_set("sensor.house_power", "9500", power)
    await hass.async_block_till_done()
    assert _commands(simulator) == ["pause_charging"]
    hass.states.async_set("sensor.house_power", "2000", power)
    await advance(hass, freezer, simulator, 60)
    assert _commands(simulator) == ["pause_charging"]
    await advance(hass, freezer, simulator, 300)
    assert _commands(simulator) == ["pause_charging", "resume_charging"]


async def test_charging_follows_the_price(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The price rises above the threshold: pause; it falls to it or below: resume."""
    freezer.move_to(simulator.sim.now())
    await add_entry(hass, simulator, "easee")
    hass.states.async_set("sensor.price", "0.10")
    await _automation(
        hass,
        "charge_when_price_is_low.yaml",
        {"price": "sensor.price", "cheap": 0.15, "charging_switch": "switch.driveway_charging"},
    )
    hass.states.async_set("sensor.price", "0.32")
    await hass.async_block_till_done()
    assert _commands(simulator) == ["pause_charging"]
    hass.states.async_set("sensor.price", "0.05")
    await hass.async_block_till_done()
    assert _commands(simulator) == ["pause_charging", "resume_charging"]


async def test_a_notification_when_the_car_is_ready(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The charger reports completed: the chosen notify action gets the message."""
    freezer.move_to(simulator.sim.now())
    await add_entry(hass, simulator, "easee")
    sent: list[ServiceCall] = []

    async def _notify(call: ServiceCall) -> None:
        sent.append(call)

    hass.services.async_register("notify", "phone", _notify)
    await _automation(
        hass,
        "notify_when_car_is_ready.yaml",
        {
            "status": "sensor.driveway_status",
            "notify_action": "notify.phone",
            "message": "Ready to go",
        },
    )
    assert _status(hass) == "charging"
    charger = simulator.easee.chargers[DRIVEWAY]
    charger.energy_wanted = charger.session_energy  # the car is full
    for _ in range(4):
        await advance(hass, freezer, simulator, 90)
    assert _status(hass) == "completed"
    assert [call.data["message"] for call in sent] == ["Ready to go"]
