"""Voice: a home owner's sentences through Home Assistant's conversation agent.

The shipped sentences (sentences/en.yaml) are installed as a user installs them, in
the configuration's custom_sentences/en/; each sentence goes to the default agent,
and the test checks the answer and what the simulated cloud now holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
import re
import shutil

from freezegun.api import FrozenDateTimeFactory
from hassil import Intents, recognize
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er, intent
from homeassistant.setup import async_setup_component
import pytest

from custom_components.smart_charging.const import DOMAIN
from custom_components.smart_charging.intent import HANDLERS
from simulator.faults import Fault

from .conftest import Sim, add_entry, advance, run_for

ROOT = Path(__file__).parent.parent
SENTENCES = ROOT / "custom_components/smart_charging/sentences/en.yaml"
README = ROOT / "README.md"
DRIVEWAY = "EH000001"  # Easee: a car is charging
GARAGE = "EH000002"  # Easee: nothing plugged in
GROUP = "number.viriciti_group_group_limit"


@pytest.fixture
async def assist(hass: HomeAssistant) -> None:
    """Assist as a user has it: the conversation agent and Smart Charging's sentences."""
    target = Path(hass.config.path("custom_sentences", "en"))
    await hass.async_add_executor_job(lambda: target.mkdir(parents=True, exist_ok=True))
    await hass.async_add_executor_job(shutil.copy, SENTENCES, target / "smart_charging.yaml")
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})


async def ask(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    """What Assist answers to ``text``."""
    result = await conversation.async_converse(hass, text, None, Context(), language="en")
    return result.response


def said(response: intent.IntentResponse) -> str:
    """The words of an answer."""
    return str(response.speech["plain"]["speech"])


def expose(hass: HomeAssistant, entity_ids: Iterable[str], exposed: bool = True) -> None:
    """Expose entities to Assist (or not), as Settings > Voice assistants > Expose does."""
    for entity_id in entity_ids:
        async_expose_entity(hass, conversation.DOMAIN, entity_id, exposed)


def _posts(simulator: Sim, charger_id: str) -> list[str]:
    """The commands and settings an Easee charger received, by their last path part."""
    return [
        entry.path.rsplit("/", 1)[-1]
        for entry in simulator.sim.log.matching("POST", f"/easee/api/chargers/{charger_id}/")
    ]


def _settings(simulator: Sim, charger_id: str) -> list[object]:
    """The settings bodies an Easee charger received."""
    return [
        entry.body
        for entry in simulator.sim.log.matching(
            "POST", f"/easee/api/chargers/{charger_id}/settings"
        )
    ]


@pytest.fixture
async def easee(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, assist: None
) -> ConfigEntry:
    """The demo Easee account (Driveway charging, Garage empty), with Assist."""
    return await add_entry(hass, simulator, "easee")


@pytest.fixture
async def jedlix(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, assist: None
) -> ConfigEntry:
    """The demo Jedlix user, its cars' battery and departure and the price exposed."""
    freezer.move_to(simulator.sim.now())
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    entry = await add_entry(hass, simulator, "jedlix")
    expose(
        hass,
        (
            "sensor.volkswagen_id_4_battery",
            "sensor.renault_zoe_battery",
            "sensor.volkswagen_id_4_departure_time",
            "sensor.charging_location_current_price",
        ),
    )
    return entry


async def test_pause_by_name_pauses_that_charger(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Saying "pause charging on Driveway" pauses Driveway; the cloud shows it paused."""
    simulator.sim.log.clear()
    response = await ask(hass, "pause charging on Driveway")
    assert said(response) == "Charging on Driveway is paused."
    assert _posts(simulator, DRIVEWAY) == ["pause_charging"]
    assert _posts(simulator, GARAGE) == []
    await advance(hass, freezer, simulator, 5)
    assert simulator.easee.chargers[DRIVEWAY].paused
    assert not simulator.easee.chargers[DRIVEWAY].is_charging
    response = await ask(hass, "resume charging on the Driveway")
    assert said(response) == "Charging on Driveway resumes."
    assert _posts(simulator, DRIVEWAY) == ["pause_charging", "resume_charging"]
    await advance(hass, freezer, simulator, 5)
    assert simulator.easee.chargers[DRIVEWAY].is_charging


async def test_pause_with_two_chargers_asks_which(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """With two chargers, "pause charging" names them and sends nothing."""
    simulator.sim.log.clear()
    response = await ask(hass, "pause charging")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert said(response) == "Which charger: Driveway or Garage?"
    assert not simulator.sim.log.matching("POST")
    response = await ask(hass, "pause charging on the shed")
    assert said(response) == "I know no charger called shed."
    assert not simulator.sim.log.matching("POST")


async def test_one_charger_for_voice_is_the_one_meant(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """With only Driveway exposed to Assist, "pause charging" pauses Driveway."""
    expose(hass, ["switch.garage_charging"], exposed=False)
    simulator.sim.log.clear()
    response = await ask(hass, "stop charging the car")
    assert said(response) == "Charging on Driveway is paused."
    assert _posts(simulator, DRIVEWAY) == ["pause_charging"]
    assert _posts(simulator, GARAGE) == []


async def test_two_chargers_of_one_name_are_told_apart_by_brand(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, assist: None
) -> None:
    """Easee's "Driveway" and AMPECO's "Driveway (AMPECO)"; renamed alike, the brand picks."""
    freezer.move_to(simulator.sim.now())
    devices = dr.async_get(hass)
    entry = await add_entry(hass, simulator, "easee")
    easee = devices.async_get_device_by_identifier((DOMAIN, f"easee_{DRIVEWAY}"), entry.entry_id)
    entry = await add_entry(hass, simulator, "ampeco")
    ampeco = devices.async_get_device_by_identifier((DOMAIN, "ampeco_6"), entry.entry_id)
    assert easee is not None
    assert ampeco is not None
    assert (easee.name, ampeco.name) == ("Driveway", "Driveway (AMPECO)")
    simulator.sim.log.clear()
    response = await ask(hass, "turn on smart charging on Driveway")
    assert said(response) == "Smart charging on Driveway is on."
    assert _settings(simulator, DRIVEWAY) == [{"smartCharging": True}]
    # The owner names AMPECO's charge point "Driveway" too: Assist asks which.
    devices.async_update_device(ampeco.id, name_by_user="Driveway")
    simulator.sim.log.clear()
    response = await ask(hass, "turn off smart charging on Driveway")
    assert said(response) in (
        f"Which charger: {easee.manufacturer} Driveway or {ampeco.manufacturer} Driveway?",
        f"Which charger: {ampeco.manufacturer} Driveway or {easee.manufacturer} Driveway?",
    )
    assert not simulator.sim.log.matching("POST")
    response = await ask(hass, f"turn off smart charging on {easee.manufacturer} Driveway")
    assert said(response) == "Smart charging on Driveway is off."
    assert _settings(simulator, DRIVEWAY) == [{"smartCharging": False}]


async def test_smart_charging_on_and_off(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """Saying "turn on smart charging on Garage" writes Garage's setting; then off."""
    simulator.sim.log.clear()
    response = await ask(hass, "turn on smart charging on Garage")
    assert said(response) == "Smart charging on Garage is on."
    assert _settings(simulator, GARAGE) == [{"smartCharging": True}]
    await advance(hass, freezer, simulator, 5)
    assert simulator.easee.chargers[GARAGE].settings["smartCharging"] is True
    assert simulator.easee.chargers[DRIVEWAY].settings["smartCharging"] is False
    response = await ask(hass, "disable smart charging for garage")
    assert said(response) == "Smart charging on Garage is off."
    await advance(hass, freezer, simulator, 5)
    assert simulator.easee.chargers[GARAGE].settings["smartCharging"] is False
    assert _settings(simulator, GARAGE) == [{"smartCharging": True}, {"smartCharging": False}]


async def test_is_the_car_charging(hass: HomeAssistant, easee: ConfigEntry) -> None:
    """The answer names the charger that charges and says what the other does."""
    expose(hass, ["sensor.driveway_status", "sensor.garage_status"])
    response = await ask(hass, "is the car charging")
    assert said(response) == "Yes, Driveway is charging. Garage is disconnected."
    response = await ask(hass, "is Garage charging")
    assert said(response) == "No, Garage is disconnected."


async def test_status_sensors_not_exposed_are_not_told(
    hass: HomeAssistant, easee: ConfigEntry
) -> None:
    """What the owner did not expose to Assist stays out of its answers."""
    response = await ask(hass, "is the car charging")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert said(response) == "There is no charger I can reach."


async def test_battery_departure_and_price(hass: HomeAssistant, jedlix: ConfigEntry) -> None:
    """Jedlix's cars and location answer the questions about battery, departure, price."""
    driving = hass.states.get("sensor.volkswagen_id_4_battery")
    assert driving is not None
    response = await ask(hass, "what is the car's battery")
    assert said(response) == (
        f"Renault Zoe's battery is at 64 % and Volkswagen ID.4's battery is at "
        f"{float(driving.state):g} %."
    )
    response = await ask(hass, "what is the battery of Renault Zoe")
    assert said(response) == "Renault Zoe's battery is at 64 %."
    price = hass.states.get("sensor.charging_location_current_price")
    assert price is not None
    response = await ask(hass, "what does power cost now")
    assert said(response).startswith("Power costs 0.")
    assert said(response).endswith(" EUR/kWh now.")
    assert f"{float(price.state):.3g}" in said(response)
    response = await ask(hass, "when will the car be ready")
    # The demo car leaves at 07:30 the next morning, in the home's time zone.
    assert said(response) == "Volkswagen ID.4 should be ready to leave at 07:30 tomorrow."


async def test_departure_leaves_out_devices_without_one(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """AMPECO's charge points without a departure do not crowd out the car's answer."""
    await add_entry(hass, simulator, "ampeco")
    departures = [
        entry.entity_id
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN and entry.translation_key == "departure_time"
    ]
    assert len(departures) == 3
    expose(hass, departures)
    response = await ask(hass, "when will the car be ready")
    assert said(response) == "Volkswagen ID.4 should be ready to leave at 07:30 tomorrow."
    response = await ask(hass, "what is the departure time of Cabin")
    assert said(response) == "Cabin has no departure time set."


async def test_departure_after_it_is_set(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """A departure set for tomorrow morning is told in the home's time."""
    device = next(
        entry.device_id
        for entry in hass.data["entity_registry"].entities.values()
        if entry.entity_id == "sensor.volkswagen_id_4_departure_time"
    )
    tomorrow = (simulator.sim.now().date()).isoformat()
    await hass.services.async_call(
        "smart_charging",
        "set_departure",
        {"device_id": device, "departure_time": f"{tomorrow} 23:30:00"},
        blocking=True,
    )
    response = await ask(hass, "when will the car be ready")
    assert said(response) == "Volkswagen ID.4 should be ready to leave at 23:30 today."


async def test_group_limit_in_kilowatts(
    hass: HomeAssistant, simulator: Sim, freezer: FrozenDateTimeFactory, assist: None
) -> None:
    """Saying "set the group limit to 250 kilowatts" sets the depot's group limit."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    await add_entry(hass, simulator, "viriciti")
    expose(hass, [GROUP])
    response = await ask(hass, "set the group limit to 250 kilowatts")
    assert said(response) == "The group limit of ViriCiti Group is set to 250 kilowatts."
    await advance(hass, freezer, simulator, 5)
    assert hass.states.get(GROUP).state == "250.0"
    writes = simulator.sim.log.matching("POST", "/viriciti/")
    assert [write.body["groupLimit"] for write in writes] == [250]
    # 0 kW is no limit a group can have: no sentence takes it, nothing is sent.
    response = await ask(hass, "set the group limit to 0 kilowatts")
    assert said(response) == "Sorry, I couldn't understand that"
    assert len(simulator.sim.log.matching("POST", "/viriciti/")) == 1


def test_readme_sentences_are_understood() -> None:
    """Every sentence README's voice table lists reaches one of our intents."""
    intents = Intents.from_yaml(SENTENCES.read_text())
    voice = README.read_text().split("\n## Voice\n")[1].split("\n## ")[0]
    rows = [line.split("|")[1] for line in voice.splitlines() if line.startswith('| "')]
    sentences = [sentence for row in rows for sentence in re.findall(r'"([^"]+)"', row)]
    assert len(sentences) >= 15
    for sentence in sentences:
        result = recognize(sentence, intents)
        assert result is not None, sentence
        assert result.intent.name in {handler.intent_type for handler in HANDLERS}


def test_every_intent_has_sentences() -> None:
    """Each registered intent is reachable by at least one shipped sentence."""
    text = SENTENCES.read_text()
    for handler in HANDLERS:
        assert f"  {handler.intent_type}:" in text


async def test_a_refusal_from_the_cloud_is_said(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """The cloud refuses the pause: Assist says why, in the integration's own words."""
    simulator.sim.faults.add(Fault(path=f"/easee/api/chargers/{DRIVEWAY}/commands", status=503))
    response = await ask(hass, "pause charging on Driveway")
    assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
    assert said(response) == (
        "The cloud could not be reached; the change was not made: server error 503"
    )


async def test_a_disabled_switch_is_not_a_target(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim
) -> None:
    """With Driveway's charging switch disabled, "pause charging" means the Garage."""
    # A car at the Garage (Easee refuses to pause a charger with none).
    simulator.easee.chargers[GARAGE].plug_in(20.0, simulator.sim.now())
    registry = er.async_get(hass)
    registry.async_update_entity(
        "switch.driveway_charging", disabled_by=er.RegistryEntryDisabler.USER
    )
    await hass.config_entries.async_reload(easee.entry_id)
    await hass.async_block_till_done()
    simulator.sim.log.clear()
    response = await ask(hass, "pause charging")
    assert said(response) == "Charging on Garage is paused."
    assert _posts(simulator, DRIVEWAY) == []


async def test_nothing_exposed_and_unknown_names(
    hass: HomeAssistant, easee: ConfigEntry, jedlix: ConfigEntry
) -> None:
    """No charger for voice, or a name nobody has: Assist says so, nothing is sent."""
    expose(hass, ["switch.driveway_charging", "switch.garage_charging"], exposed=False)
    response = await ask(hass, "pause charging")
    assert response.error_code is intent.IntentResponseErrorCode.NO_VALID_TARGETS
    assert said(response) == "There is no charger I can reach."
    response = await ask(hass, "what is the battery of the Tesla")
    assert said(response) == "I know no car called tesla."


async def test_a_price_not_known_is_said_as_such(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """The cloud has no prices for now: Assist says it does not know instead of guessing."""
    location = f"/jedlix/api/v2/users/{simulator.jedlix.demo.user_id}/charging-locations"
    location += f"/{simulator.jedlix.demo.location_id}/dynamic-tariffs"
    simulator.sim.faults.add(Fault(path=location, status=200, body=[], times=None))
    await advance(hass, freezer, simulator, 3600)
    await run_for(hass, freezer, simulator, 60)
    assert hass.states.get("sensor.charging_location_current_price").state == "unknown"
    response = await ask(hass, "what does power cost now")
    assert said(response) == "The price at Charging location is not known right now."


async def test_chargers_status_not_known(
    hass: HomeAssistant, easee: ConfigEntry, simulator: Sim, freezer: FrozenDateTimeFactory
) -> None:
    """No status to tell: the answer says so."""
    expose(hass, ["sensor.driveway_status", "sensor.garage_status"])
    simulator.sim.faults.add(Fault(path="/easee/", status=503, times=None))
    await run_for(hass, freezer, simulator, 120)
    response = await ask(hass, "is the car charging")
    assert said(response) == "No, and the chargers' status is not known right now."


async def test_departure_from_the_car_control_and_days_ahead(
    hass: HomeAssistant, jedlix: ConfigEntry, simulator: Sim
) -> None:
    """A departure set on the car's time control is told; one days away gets its date."""
    expose(hass, ["sensor.volkswagen_id_4_departure_time"], exposed=False)
    expose(hass, ["time.volkswagen_id_4_departure"])
    response = await ask(hass, "when will the car be ready")
    assert said(response) == "Volkswagen ID.4 should be ready to leave at 07:30."
    expose(hass, ["time.volkswagen_id_4_departure"], exposed=False)
    expose(hass, ["sensor.volkswagen_id_4_departure_time"])
    device = er.async_get(hass).async_get("sensor.volkswagen_id_4_departure_time").device_id
    later = (simulator.sim.now() + timedelta(days=3)).date().isoformat()
    await hass.services.async_call(
        DOMAIN,
        "set_departure",
        {"device_id": device, "departure_time": f"{later} 08:00:00"},
        blocking=True,
    )
    response = await ask(hass, "when will the car be ready")
    assert said(response).startswith("Volkswagen ID.4 should be ready to leave at 08:00 on ")
