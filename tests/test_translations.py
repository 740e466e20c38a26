"""Every name, state, action, exception and issue has its English text and icon."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import homeassistant
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
import yaml

from .conftest import Sim, add_entry

INTEGRATION = Path(__file__).parent.parent / "custom_components" / "smart_charging"
STRINGS: dict[str, Any] = json.loads((INTEGRATION / "strings.json").read_text())
ICONS: dict[str, Any] = json.loads((INTEGRATION / "icons.json").read_text())
SERVICES: dict[str, Any] = yaml.safe_load((INTEGRATION / "services.yaml").read_text())


def test_english_translation_is_strings_json() -> None:
    """translations/en.json is strings.json, so what is reviewed is what is shown."""
    assert json.loads((INTEGRATION / "translations" / "en.json").read_text()) == STRINGS


def _texts(node: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in _texts(value, f"{path}.{key}")]
    return [(path, node)] if isinstance(node, str) else []


def test_texts_pass_home_assistants_validator() -> None:
    """hassfest refuses a URL in a text, and reads every ``{...}`` as a placeholder name.

    An address belongs in a placeholder; a list of field names in braces shows the user
    "Translation error: INVALID_ARGUMENT_TYPE" in the action form instead of the text.
    """
    urls = [(path, text) for path, text in _texts(STRINGS) if re.search(r"https?://", text)]
    assert urls == []
    braces = [
        (path, found)
        for path, text in _texts(STRINGS)
        for found in re.findall(r"\{([^}]*)\}", text)
        if not re.fullmatch(r"[a-z_]+", found)
    ]
    assert braces == []


def test_every_action_has_text_and_icon() -> None:
    """Each action in services.yaml has a name, a description per field and an icon."""
    for service, spec in SERVICES.items():
        text = STRINGS["services"][service]
        assert text["name"], service
        assert text["description"], service
        for field in spec.get("fields", {}):
            assert text["fields"][field]["name"], (service, field)
            assert text["fields"][field]["description"], (service, field)
        assert ICONS["services"][service]["service"].startswith("mdi:"), service


def test_every_translation_key_used_in_code_exists() -> None:
    """Each exception and issue key the code raises has its message."""
    code = "\n".join(p.read_text() for p in INTEGRATION.rglob("*.py"))
    keys = set(re.findall(r'translation_key="([a-z_]+)"', code))
    keys |= set(re.findall(r'_invalid\(\s*"([a-z_]+)"', code))
    issues = set(re.findall(r'translation_key="([a-z_]+)",\n\s+translation_placeholders=\{"', code))
    known = set(STRINGS["exceptions"]) | set(STRINGS["issues"]) | set(STRINGS["entity"]["sensor"])
    known |= {k for platform in STRINGS["entity"].values() for k in platform}
    assert keys - known == set()
    assert issues - known == set()
    for reason in (
        "field_required",
        "not_for_mode",
        "invalid_time",
        "empty_window",
        "not_a_number",
        "not_an_integer",
        "not_positive",
        "negative",
        "min_above_max",
        "mode_not_offered",
        "invalid_provider",
        "integration_id_required",
        "no_days",
        "invalid_day",
        "duplicate_day",
    ):
        assert f"preference_{reason}" in STRINGS["exceptions"], reason


def test_quality_scale_is_complete() -> None:
    """Every rule of Home Assistant's scale is done, or exempt with a reason."""
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
    # Home Assistant's own list of rules, from a core integration that records all.
    core = Path(homeassistant.__file__).parent / "components" / "peblar" / "quality_scale.yaml"
    assert set(rules) == set(yaml.safe_load(core.read_text())["rules"])
    for rule, status in rules.items():
        if isinstance(status, dict):
            assert status["status"] in ("done", "exempt"), rule
            if status["status"] == "exempt":
                assert status["comment"], rule
        else:
            assert status == "done", rule


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("provider", ["easee", "viriciti", "ampeco", "jedlix"])
async def test_every_entity_and_state_is_translated(
    hass: HomeAssistant,
    simulator: Sim,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
    provider: str,
) -> None:
    """Each entity's name, each enum sensor's states and each icon key are defined."""
    freezer.move_to(simulator.sim.now())
    entry = await add_entry(hass, simulator, provider)
    for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        if entity.translation_key is None:
            assert entity.original_device_class is not None, entity.entity_id
            continue
        text = STRINGS["entity"][entity.domain][entity.translation_key]
        assert text["name"], entity.entity_id
        assert entity.translation_key in ICONS["entity"][entity.domain], entity.entity_id
        if entity.original_device_class == SensorDeviceClass.ENUM:
            options = (entity.capabilities or {}).get("options", [])
            assert set(options) <= set(text["state"]), entity.entity_id
