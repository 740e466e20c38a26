"""The home owner's steps of the browser end-to-end test: voice, a first automation, Energy.

- Voice: each sentence of README's "Voice" table is posted to
  ``/api/conversation/process`` (what Assist's dialog sends); the answer is read and
  the simulator shows the change (the command, the setting, the group limit).
- A first automation: made in the automation editor (YAML mode, saved with the editor's
  own Save dialog): when the Easee Driveway charger is paused from outside (the Easee
  app, here the simulated Easee cloud's API) while power is cheap, resume charging. The
  simulator then receives the resume command from Home Assistant.
- Energy: the Energy dashboard (configured by the demo set-up) names every charger in
  its devices, and its power view ("Now") draws each charger that takes power.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
import re
import time
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError

if TYPE_CHECKING:
    from .__main__ import EndToEnd

EASEE_DRIVEWAY = "EH000001"
CHARGING = 3  # Easee's chargerOpMode while charging (apis.md)
EASEE_LOGIN = {"userName": "demo@example.com", "password": "demo-password"}
AUTOMATION_NAME = "Keep charging while power is cheap"
# The price the automation's condition allows (EUR/kWh): above every demo price.
CHEAP = 10


class Failed(AssertionError):
    """A home owner's step did not hold."""


def _template(test: EndToEnd, template: str) -> str:
    return str(test.ha("POST", "/api/template", {"template": template})).strip()


def easee_driveway_entity(test: EndToEnd, domain: str, suffix: str) -> str:
    """The Easee Driveway charger's entity of ``domain`` whose id ends with ``suffix``.

    Found by the device's identifier, so another cloud's "Driveway" is never taken.
    """
    found = _template(
        test,
        "{% for e in integration_entities('smart_charging') %}"
        f"{{% if e.startswith('{domain}.') and e.endswith('{suffix}') "
        "and device_id(e) and ('smart_charging', 'easee_" + EASEE_DRIVEWAY + "') "
        "in (device_attr(device_id(e), 'identifiers') | list) %}{{ e }} {% endif %}"
        "{% endfor %}",
    ).split()
    found = [e for e in found if not (suffix == "_charging" and e.endswith("_smart_charging"))]
    if len(found) != 1:
        raise Failed(f"no single Easee Driveway {domain} ending {suffix}: {found}")
    return found[0]


def _device_name(test: EndToEnd, entity_id: str) -> str:
    """The device's name as a person says it, with its brand (two clouds have a Driveway)."""
    device = f"device_id('{entity_id}')"
    name = _template(
        test,
        f"{{{{ device_attr({device}, 'manufacturer') }}}} "
        f"{{{{ device_attr({device}, 'name_by_user') or device_attr({device}, 'name') }}}}",
    )
    return " ".join("".join(c if c.isalnum() else " " for c in name).split())


def ask(test: EndToEnd, text: str) -> str:
    """What Assist answers to ``text``, through the REST API the dialog uses."""
    answer = test.ha("POST", "/api/conversation/process", {"text": text, "language": "en"})
    return str(answer["response"]["speech"]["plain"]["speech"])


def _charger(test: EndToEnd) -> dict[str, Any]:
    return dict(test.sim("/_admin/state")["easee"]["chargers"][EASEE_DRIVEWAY])


def step_voice(test: EndToEnd, wait_until: Any) -> str:
    """The README's sentences act on the right device and are answered in words."""
    switch = easee_driveway_entity(test, "switch", "_charging")
    name = _device_name(test, switch)
    said: list[str] = []

    def check(text: str, *expected: str) -> str:
        answer = ask(test, text)
        said.append(f"{text!r} -> {answer!r}")
        if not all(part in answer for part in expected):
            raise Failed(f"{text!r} answered {answer!r}, expected {expected}")
        return answer

    test.sim("/_admin/requests", "DELETE")
    check(f"resume charging on {name}", "Charging on", "resumes")
    path = f"/chargers/{EASEE_DRIVEWAY}/commands/resume_charging"
    wait_until(
        "the simulator receives resume_charging",
        lambda: (bool(test.sim_requests("POST", path)), f"requests to {path}"),
        30,
    )
    check(f"turn on smart charging on {name}", "Smart charging on", "is on")
    wait_until(
        "the simulator's Driveway has smart charging on",
        lambda: (_charger(test).get("smartCharging") is True, f"Driveway: {_charger(test)}"),
        30,
    )
    check(f"turn off smart charging on {name}", "Smart charging on", "is off")
    wait_until(
        "the simulator's Driveway has smart charging off",
        lambda: (_charger(test).get("smartCharging") is False, f"Driveway: {_charger(test)}"),
        30,
    )
    # Home Assistant reads the charger again 5 s after its command; then it charges.
    wait_until(
        "Assist says Driveway charges, as the simulator does",
        lambda: (
            ask(test, f"is {name} charging") == "Yes, Driveway is charging."
            and _charger(test).get("chargerOpMode") == CHARGING,
            f"Assist: {ask(test, f'is {name} charging')!r}; simulator: {_charger(test)}",
        ),
        60,
    )
    said.append(f"'is {name} charging' -> 'Yes, Driveway is charging.'")
    check("what is the car's battery", "battery is at")
    check("when will the car be ready", "")
    check("what does power cost now", "Power costs", "EUR/kWh")
    limit = 120
    # ViriCiti takes one limit change a minute and the previous step just made one: the
    # answer is then the cloud's "slow down", and the owner says it again a bit later.
    asked = f"set the group limit to {limit} kilowatts"
    answers: list[str] = []

    def limit_taken() -> tuple[bool, str]:
        if answers and "slow down" in answers[-1]:
            time.sleep(10)
        answers.append(ask(test, asked))
        return f"set to {limit} kilowatts" in answers[-1], f"answers: {answers}"

    wait_until("Assist sets the group limit", limit_taken, 120)
    said.append(f"{asked!r} -> {answers}")
    wait_until(
        "the simulator's group limit follows the sentence",
        lambda: (test.group_limit() == ("external", limit), f"group: {test.group_limit()}"),
        150,
    )
    return "; ".join(said)


def _automation_yaml(test: EndToEnd) -> str:
    status = easee_driveway_entity(test, "sensor", "_status")
    switch = easee_driveway_entity(test, "switch", "_charging")
    price = _template(
        test,
        "{{ integration_entities('smart_charging') | select('search', '_current_price$') "
        "| first }}",
    )
    return (
        f"alias: {AUTOMATION_NAME}\n"
        "description: When the Driveway charger is paused and power is cheap, resume.\n"
        "triggers:\n"
        "  - trigger: state\n"
        f"    entity_id: {status}\n"
        "    to: awaiting_start\n"
        "conditions:\n"
        "  - condition: numeric_state\n"
        f"    entity_id: {price}\n"
        f"    below: {CHEAP}\n"
        "actions:\n"
        "  - action: switch.turn_on\n"
        "    target:\n"
        f"      entity_id: {switch}\n"
        "mode: single\n"
    )


def _easee_pause_from_outside(test: EndToEnd) -> None:
    """Pause Driveway as the Easee app would: through the (simulated) Easee cloud."""
    from .__main__ import http_json

    login = http_json("POST", f"{test.sim_url}/easee/api/accounts/login", EASEE_LOGIN)
    token = login["accessToken"]
    http_json(
        "POST",
        f"{test.sim_url}/easee/api/chargers/{EASEE_DRIVEWAY}/commands/pause_charging",
        None,
        {"Authorization": f"Bearer {token}"},
    )


def step_automation(test: EndToEnd, wait_until: Any) -> str:
    """A first automation, made in the editor, resumes the charger the Easee app paused."""
    page = test.browser_page
    page.goto(f"{test.ha_url}/config/automation/edit/new")
    page.locator("ha-automation-editor").wait_for()
    page.get_by_role("button", name="Menu").last.click()
    page.get_by_role("menuitem", name="Edit in YAML").click()
    editor = page.locator(".cm-content").first
    editor.wait_for()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(_automation_yaml(test))
    test.screenshot("automation-yaml")
    page.get_by_role("button", name="Save").last.click()
    # A new automation is saved through the editor's name dialog (the alias filled in).
    dialog = page.get_by_role("dialog")
    try:
        dialog.first.wait_for(timeout=10_000)
    except PlaywrightError:
        pass
    else:
        test.screenshot("automation-save-dialog")
        dialog.get_by_role("button", name=re.compile("^(Save|Rename)$")).last.click()
    automation = wait_until(
        "the automation is saved and on",
        lambda: _automation_on(test),
        30,
    )
    test.screenshot("automation-saved")
    test.sim("/_admin/requests", "DELETE")
    _easee_pause_from_outside(test)
    path = f"/chargers/{EASEE_DRIVEWAY}/commands/resume_charging"
    # Home Assistant sees the pause at its next read (at most the 2 min "While
    # charging" interval), then the automation sends the resume.
    detail = wait_until(
        "the automation resumes charging",
        lambda: (bool(test.sim_requests("POST", path)), f"requests to {path}"),
        200,
    )
    last = test.ha("GET", f"/api/states/{automation}")["attributes"].get("last_triggered")
    if not last:
        raise Failed(f"{automation} has not run")
    return f"{automation} made in the editor, ran at {last}; {detail}"


def _automation_on(test: EndToEnd) -> tuple[bool, str]:
    states = test.ha("GET", "/api/states")
    mine = [
        s for s in states
        if s["entity_id"].startswith("automation.")
        and s["attributes"].get("friendly_name") == AUTOMATION_NAME
    ]  # fmt: skip
    if mine and mine[0]["state"] == "on":
        return True, str(mine[0]["entity_id"])
    return (
        False,
        f"automations: {[s['entity_id'] for s in states if 'automation.' in s['entity_id']]}",
    )


def step_energy(test: EndToEnd, wait_until: Any, deep_text: str) -> str:
    """The Energy dashboard lists each charger's energy and power, with data."""
    prefs = _energy_prefs(test)
    devices = prefs.get("device_consumption", [])
    if not devices or not all(d.get("stat_rate") for d in devices):
        raise Failed(f"the Energy preferences lack chargers or power: {devices}")
    names = [
        str(test.ha("GET", f"/api/states/{d['stat_consumption']}")["attributes"]["friendly_name"])
        for d in devices
    ]
    page = test.browser_page
    page.goto(f"{test.ha_url}/energy")

    def shown() -> tuple[bool, str]:
        text = str(page.locator("body").evaluate(deep_text))
        missing = [name for name in names if name not in text]
        return not missing, f"missing on the Energy dashboard: {missing}"

    detail = wait_until("the Energy dashboard names every charger", shown, 60)
    test.screenshot("energy-dashboard", full_page=True)
    # The power view (Home Assistant 2025.12): each charger's power now.
    powers = {
        device["stat_rate"]: state
        for device in devices
        if (state := test.ha("GET", f"/api/states/{device['stat_rate']}"))
    }
    page.get_by_role("tab", name="Now").click()
    # The current power flow draws the chargers that take power now (0 W is no flow),
    # on a canvas: the chart is there and does not say there is no data.
    drawing = [name for name, state in powers.items() if _watts(state) > 0]
    if not drawing:
        raise Failed(f"no charger takes power now: {powers}")
    card = page.locator("ha-card", has=page.get_by_text("Current power flow"))

    def flows() -> tuple[bool, str]:
        text = str(card.first.evaluate(deep_text)) if card.count() else ""
        # The chart (canvas or SVG), not the icons' SVGs.
        drawn = (
            card.locator("canvas").count()
            + card.locator("svg").count()
            - card.locator("ha-svg-icon svg").count()
            if card.count()
            else 0
        )
        ok = drawn > 0 and "no data" not in text.lower()
        return ok, f"power flow card: {text!r}, {drawn} drawings"

    power = wait_until("the power view draws the chargers' power", flows, 60)
    test.screenshot("energy-power-now", full_page=True)
    live = ", ".join(f"{entity} {state['state']} {state['attributes'].get('unit_of_measurement')}"
                     for entity, state in powers.items())  # fmt: skip
    return f"{len(devices)} chargers: {detail}; power view: {power}; {live}"


def _watts(state: dict[str, Any]) -> float:
    """A power sensor's state in W (0 when unknown)."""
    try:
        value = float(state["state"])
    except TypeError, ValueError:
        return 0.0
    return value * 1000 if state["attributes"].get("unit_of_measurement") == "kW" else value


def _energy_prefs(test: EndToEnd) -> dict[str, Any]:
    """Home Assistant's energy preferences, over the websocket the dashboard uses."""
    import asyncio

    import aiohttp

    async def read() -> dict[str, Any]:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(test.ha_url.replace("http", "ws", 1) + "/api/websocket") as ws,
        ):
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": test.token})
            await ws.receive_json()
            await ws.send_json({"id": 1, "type": "energy/get_prefs"})
            answer = await ws.receive_json()
            return dict(answer.get("result") or {})

    # Playwright's sync API runs its own event loop in this thread: read in another one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read()).result()
