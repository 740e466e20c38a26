"""What a maintainer and a HACS user expect of a release: a licence, one version, order."""

from __future__ import annotations

import json
from pathlib import Path
import re

ROOT = Path(__file__).parent.parent
MANIFEST = json.loads((ROOT / "custom_components" / "smart_charging" / "manifest.json").read_text())


def test_the_changelog_names_the_manifests_version_first() -> None:
    """The newest CHANGELOG entry is the version HACS and Home Assistant show."""
    versions = re.findall(r"^## (\d+\.\d+\.\d+)", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert versions
    assert versions[0] == MANIFEST["version"]
    assert len(set(versions)) == len(versions)


def test_manifest_keys_are_in_home_assistants_order() -> None:
    """hassfest wants domain, name, then the other keys in alphabetical order."""
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_there_is_a_licence_and_hacs_finds_the_integration() -> None:
    """A licence file, and hacs.json names the integration and the oldest Home Assistant."""
    assert "Permission is hereby granted" in (ROOT / "LICENSE").read_text()
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert hacs["name"] == MANIFEST["name"]
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", hacs["homeassistant"])


def test_the_workflows_run_the_tests_hassfest_and_hacs() -> None:
    """GitHub runs what CI runs here, plus the two validators that only run there."""
    workflows = "\n".join(
        path.read_text() for path in (ROOT / ".github" / "workflows").glob("*.yml")
    )
    assert "scripts/test" in workflows
    assert "scripts/e2e" in workflows
    assert "home-assistant/actions/hassfest" in workflows
    assert "hacs/action" in workflows
