"""What the planner's tests of the demo home share."""

from __future__ import annotations

from pathlib import Path
import sys

from homeassistant import loader
from homeassistant.core import HomeAssistant
import pytest


@pytest.fixture
def demo_solar(hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's own solar integration (config/custom_components), as scripts/develop has it.

    The demo configuration's folder is where Home Assistant finds it, as it finds its
    custom integrations in a configuration folder.
    """
    # After the repository, so that Smart Charging is still the repository's own.
    monkeypatch.setattr(sys, "path", [*sys.path, str(Path(__file__).parents[2] / "config")])
    # Home Assistant lists custom integrations once: list them again with the demo's.
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
