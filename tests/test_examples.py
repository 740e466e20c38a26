"""Every action example a user is shown passes the action's own validation.

The action editor offers each field's ``example`` from services.yaml, and README shows
whole calls; a user who copies either must not get a validation error. Times in the
examples are checked on the day the simulator's world starts (2026-11-23 12:00 UTC),
since the actions refuse ends in the past.
"""

from __future__ import annotations

from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.template import Template
from homeassistant.setup import async_setup_component
import pytest
import yaml

from custom_components.smart_charging.clouds.jedlix.models import Tariff, TariffInterval, TariffType
from custom_components.smart_charging.clouds.jedlix.tariffs import validate_tariffs
from custom_components.smart_charging.clouds.models import Weekday
from custom_components.smart_charging.const import DOMAIN

ROOT = Path(__file__).parent.parent
SERVICES: dict[str, Any] = yaml.safe_load(
    (ROOT / "custom_components" / "smart_charging" / "services.yaml").read_text()
)
# What a user picks in the form for a target (the examples cannot name real ones).
TARGETS = {"device_id": "0123456789abcdef0123456789abcdef", "config_entry_id": "01JEXAMPLE"}


def _readme_calls() -> list[tuple[str, dict[str, Any]]]:
    """Every ``action: smart_charging.*`` call in README's YAML blocks, with its data."""
    calls: list[tuple[str, dict[str, Any]]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            action = node.get("action")
            if isinstance(action, str) and action.startswith(f"{DOMAIN}."):
                calls.append((action.split(".", 1)[1], node.get("data") or {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    text = (ROOT / "README.md").read_text()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        walk(yaml.safe_load(block))
    return calls


def _field_examples(service: str) -> dict[str, Any]:
    """A call made of every field's example (targets filled in as the form would)."""
    data: dict[str, Any] = {}
    for name, field in (SERVICES[service].get("fields") or {}).items():
        if "example" in field:
            example = field["example"]
            # A list or an object is shown as its YAML (JSON) text; the form reads it so.
            is_text = isinstance(example, str) and example.startswith(("[", "{"))
            data[name] = yaml.safe_load(example) if is_text else example
        elif name in TARGETS:
            data[name] = TARGETS[name]
    return data


@pytest.fixture
async def schemas(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> dict[str, Any]:
    """The registered actions' schemas, on the simulator's first day."""
    freezer.move_to("2026-11-23T12:00:00+00:00")
    assert await async_setup_component(hass, DOMAIN, {})
    return {
        name: service.schema for name, service in hass.services.async_services()[DOMAIN].items()
    }


def test_readme_shows_every_action() -> None:
    """README has an example call of every action services.yaml describes."""
    assert {name for name, _ in _readme_calls()} == set(SERVICES)


@pytest.mark.parametrize("service", sorted(SERVICES))
async def test_services_yaml_examples_pass_validation(
    schemas: dict[str, Any], service: str
) -> None:
    """The action editor's examples, all fields at once where they combine."""
    data = _field_examples(service)
    if service == "set_group_limit":
        # The end is given as a time or as a duration, never both: try each.
        for drop in ("end_time", "duration"):
            schemas[service]({key: value for key, value in data.items() if key != drop})
    else:
        checked = schemas[service](data)
    if service == "set_tariffs":
        # The tariff rules (the week covered exactly once) are checked after the schema.
        validate_tariffs(
            [
                Tariff(type=TariffType(t["type"]), price=t["price"], currency=t["currency"])
                for t in checked["tariffs"]
            ],
            [
                TariffInterval(
                    start_time=i["start_time"],
                    end_time=i["end_time"],
                    days_of_week=tuple(Weekday(day) for day in i["days"]),
                    tariff_type=TariffType(i["tariff_type"]),
                )
                for i in checked["intervals"]
            ],
        )


@pytest.mark.parametrize(
    ("service", "data"), _readme_calls(), ids=[name for name, _ in _readme_calls()]
)
async def test_readme_examples_pass_validation(
    hass: HomeAssistant, schemas: dict[str, Any], service: str, data: dict[str, Any]
) -> None:
    """What README shows can be pasted as it is (templates rendered, as automations do)."""
    rendered = {
        key: Template(value, hass).async_render()
        if isinstance(value, str) and "{{" in value
        else value
        for key, value in data.items()
    }
    schemas[service](rendered)
