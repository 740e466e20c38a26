"""The browser end-to-end test: ``python -m e2e --cdp URL`` (``scripts/e2e`` runs it).

Starts the simulator (with its scenario) and Home Assistant from a fresh configuration,
seeds the demo home as ``scripts/develop`` does, and drives a Chromium that listens on
``--cdp`` through the real pages: the login page, the Smart Charging dashboard,
Developer tools > Actions, the automation editor and the Energy dashboard; Assist's
sentences go to ``/api/conversation/process`` (the home owner's steps are in
``home_owner.py``). Every value the dashboard shows is compared with what the
simulator itself reports. A screenshot is saved for each step; the last line is
``e2e: N passed, M failed``. Whatever it started is stopped, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import re
import signal
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, sync_playwright

from . import demo_planner, home_owner
from .demo_home import DASHBOARD_PATH, DEMO_PASSWORD, DEMO_USERNAME, REPO, prepare, seed

JEDLIX_USER = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
JEDLIX_HEADERS = {"ApiKey": "jedlix-demo-key", "Authorization": "Bearer jedlix-demo-token"}
EASEE_DRIVEWAY = "EH000001"
VIRICITI_GROUP = "ViriCitiGroup"
# How Home Assistant shows ViriCiti's activeLimit (the integration's translations).
LIMIT_SOURCES = {
    "external": "External",
    "upcoming": "Upcoming drop",
    "scheduled": "Scheduled (peak shaving)",
    "default": "Default",
}
VALID_LIMIT = 150
# The Jedlix step: the ID.4 leaves at this local time (Europe/Amsterdam, the demo home's).
JEDLIX_LEAVE_AT = "06:15"
# All the text of an element, its shadow roots included (inner_text stops at them).
DEEP_TEXT = """
el => {
  const parts = [];
  const walk = node => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent);
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.childNodes) walk(child);
  };
  walk(el);
  return parts.join(" ").replace(/\\s+/g, " ").trim();
}
"""


def out(line: str) -> None:
    """A line of the test's report."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class CheckFailed(AssertionError):
    """A step's expectation did not hold."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_json(
    method: str, url: str, body: Any = None, headers: dict[str, str] | None = None
) -> Any:
    """One HTTP call: its JSON answer, its text when that is not JSON, None when empty."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def wait_until(what: str, probe: Callable[[], tuple[bool, str]], timeout: float = 60) -> str:
    """Call ``probe`` until it says yes; fail with its last word after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    detail = "never probed"
    while True:
        try:
            ok, detail = probe()
        except (OSError, ValueError, KeyError) as err:
            ok, detail = False, f"{type(err).__name__}: {err}"
        if ok:
            return detail
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what}: still not so after {timeout:.0f} s ({detail})")
        time.sleep(1)


def number_in(text: str, after: str = "") -> float | None:
    """The first number in ``text`` after the words ``after``."""
    match = re.search(re.escape(after) + r"\D*?(-?\d+(?:[.,]\d+)?)", text)
    return float(match.group(1).replace(",", ".")) if match else None


@dataclass
class Processes:
    """The simulator and Home Assistant this test started."""

    pidfile: Path | None
    started: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)

    def start(self, name: str, argv: list[str], log: Path, cwd: Path = REPO) -> None:
        """Start ``argv`` in ``cwd`` with its output in ``log``."""
        with log.open("wb") as sink:
            proc = subprocess.Popen(
                argv, stdout=sink, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
            )
        self.started.append((name, proc))
        if self.pidfile is not None:
            with self.pidfile.open("a") as pids:
                pids.write(f"{proc.pid}\n")

    def check_running(self) -> None:
        """Fail when something we started has died."""
        for name, proc in self.started:
            if proc.poll() is not None:
                raise CheckFailed(f"{name} exited with status {proc.returncode}")

    def stop(self) -> None:
        """Stop everything, politely first."""
        for _, proc in reversed(self.started):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for _, proc in reversed(self.started):
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.pidfile is not None:
            self.pidfile.write_text("")


@dataclass
class EndToEnd:
    """The steps of the test, sharing the running system and the browser page."""

    ha_url: str
    sim_url: str
    shots: Path
    token: str = ""
    page: Page | None = None
    group_device: str = ""
    shot_number: int = 0

    # -- helpers ---------------------------------------------------------------------

    def screenshot(self, name: str, *, full_page: bool = False) -> None:
        """Save the page as ``NN-name.png``."""
        if self.page is None:
            return
        self.shot_number += 1
        path = self.shots / f"{self.shot_number:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=full_page)

    def ha(self, method: str, path: str, body: Any = None) -> Any:
        """Home Assistant's REST API, as the demo user."""
        return http_json(
            method, f"{self.ha_url}{path}", body, {"Authorization": f"Bearer {self.token}"}
        )

    def sim(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Any:
        """The simulator: its admin path or a cloud's API."""
        return http_json(method, f"{self.sim_url}{path}", headers=headers)

    def sim_requests(self, method: str, path_end: str) -> list[dict[str, Any]]:
        """The cloud requests the simulator logged whose path ends with ``path_end``."""
        return [
            entry
            for entry in self.sim("/_admin/requests")
            if entry["method"] == method and entry["path"].endswith(path_end)
        ]

    @property
    def browser_page(self) -> Page:
        """The page (after the login step)."""
        if self.page is None:
            raise CheckFailed("no browser page")
        return self.page

    def open_dashboard(self) -> None:
        """The demo dashboard, loaded."""
        page = self.browser_page
        page.goto(f"{self.ha_url}/{DASHBOARD_PATH}/home")
        page.locator("hui-tile-card").first.wait_for()

    def section(self, heading: str) -> Locator:
        """The dashboard section under ``heading``."""
        page = self.browser_page
        return page.locator("hui-grid-section").filter(has=page.get_by_text(heading, exact=True))

    def tile(self, heading: str, name: str) -> Locator:
        """The tile called ``name`` in the section ``heading``."""
        page = self.browser_page
        return (
            self.section(heading)
            .locator("hui-tile-card")
            .filter(has=page.get_by_text(name, exact=True))
            .first
        )

    def text(self, locator: Locator) -> str:
        """All the text a card shows."""
        return str(locator.evaluate(DEEP_TEXT))

    def tile_shows(self, heading: str, name: str, expected: str) -> tuple[bool, str]:
        """Whether a tile's text contains ``expected``."""
        shown = self.text(self.tile(heading, name))
        return expected in shown, f"{heading} / {name} shows {shown!r}, expected {expected!r}"

    def tile_number(
        self, heading: str, name: str, expected: float, tolerance: float = 0.005
    ) -> tuple[bool, str]:
        """Whether a tile shows ``expected`` (within ``tolerance``)."""
        shown = self.text(self.tile(heading, name))
        value = number_in(shown, name)
        ok = value is not None and abs(value - expected) <= tolerance
        return ok, f"{heading} / {name} shows {shown!r}, the simulator says {expected:g}"

    # -- the simulator's truth ----------------------------------------------------------

    def easee_driveway(self) -> dict[str, Any]:
        """The Easee Driveway charger's state as the simulator has it."""
        return dict(self.sim("/_admin/state")["easee"]["chargers"][EASEE_DRIVEWAY])

    def group_limit(self) -> tuple[str, int]:
        """The ViriCiti demo group's active layer and limit."""
        limits = self.sim("/_admin/state")["viriciti"]["groups"][VIRICITI_GROUP]["limits"]
        active = limits["activeLimit"]
        return active, int(limits[active]["limit"])

    def jedlix(self, path: str) -> Any:
        """The Jedlix demo user's API."""
        return self.sim(f"/jedlix/api/v2/users/{JEDLIX_USER}{path}", headers=JEDLIX_HEADERS)

    # -- the steps ---------------------------------------------------------------------

    def step_entries(self) -> str:
        """Home Assistant is onboarded and has one loaded entry per cloud."""
        entries = wait_until("four loaded Smart Charging entries", self._entries_loaded, 120)
        self.group_device = str(
            self.ha(
                "POST",
                "/api/template",
                {"template": "{{ device_id('sensor.viriciti_group_active_limit') }}"},
            )
        ).strip()
        if not re.fullmatch(r"[0-9a-f]{32}", self.group_device):
            raise CheckFailed(f"no ViriCiti group device: {self.group_device!r}")
        return entries

    def _entries_loaded(self) -> tuple[bool, str]:
        entries = [
            e for e in self.ha("GET", "/api/config/config_entries/entry")
            if e["domain"] == "smart_charging"
        ]  # fmt: skip
        states = {e["title"]: e["state"] for e in entries}
        ok = len(entries) == 4 and all(state == "loaded" for state in states.values())
        return ok, f"entries {states}"

    def step_login(self, page: Page) -> str:
        """Log in through the real login page and land on the dashboard."""
        self.page = page
        page.goto(f"{self.ha_url}/{DASHBOARD_PATH}/home")
        page.wait_for_url("**/auth/authorize**")
        username = page.get_by_role("textbox", name="Username")
        username.wait_for()
        self.screenshot("login-page")
        username.fill(DEMO_USERNAME)
        page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"**/{DASHBOARD_PATH}/home**")
        page.locator("hui-tile-card").first.wait_for()
        self.screenshot("logged-in")
        return f"logged in as {DEMO_USERNAME}, on {page.url}"

    def step_dashboard(self) -> str:
        """Charger, group, vehicle and location cards show what the simulator says."""
        self.open_dashboard()
        checked: list[str] = []

        def easee() -> tuple[bool, str]:
            state = self.easee_driveway()
            if state["chargerOpMode"] != 3:
                return False, f"the simulator's Driveway is not charging: {state}"
            ok, detail = self.tile_shows("Easee Driveway", "Status", "Charging")
            if not ok:
                return ok, detail
            return self.tile_number("Easee Driveway", "Power", float(state["totalPower"]))

        checked.append(wait_until("Easee Driveway card", easee))

        def ampeco() -> tuple[bool, str]:
            sessions = self.sim("/_admin/state")["ampeco"]["sessions"]
            running = [s for s in sessions if s["chargePointId"] == 6 and s["status"] == "active"]
            if not running:
                return False, "the simulator's AMPECO Driveway has no session"
            card = (
                self.section("AMPECO charge points")
                .locator("hui-entities-card")
                .filter(has=self.browser_page.get_by_text("Driveway", exact=True))
            )
            shown = self.text(card)
            power = number_in(shown, "Power")
            ok = "Charging" in shown and power == float(running[0]["powerKw"])
            return ok, f"AMPECO Driveway shows {shown!r}, session {running[0]['powerKw']} kW"

        checked.append(wait_until("AMPECO Driveway card", ampeco))

        def group() -> tuple[bool, str]:
            active, limit = self.group_limit()
            ok, detail = self.tile_number("ViriCiti Group", "Active limit", limit)
            if not ok:
                return ok, detail
            return self.tile_shows("ViriCiti Group", "Source", LIMIT_SOURCES[active])

        checked.append(wait_until("ViriCiti group card", group))

        vehicles = {v["details"]["model"]: v["id"] for v in self.jedlix("/vehicles")}

        def vehicle() -> tuple[bool, str]:
            state = self.jedlix(f"/vehicles/{vehicles['ID.4']}/state")
            # The car charges on while Home Assistant waits for its next poll.
            return self.tile_number("Jedlix", "Volkswagen ID.4", state["batteryLevel"], 3.0)

        checked.append(wait_until("Jedlix vehicle card", vehicle))
        location = self.jedlix("/charging-locations")[0]["id"]

        def price() -> tuple[bool, str]:
            prices = self.jedlix(f"/charging-locations/{location}/dynamic-tariffs")
            now = datetime.now(UTC)
            current = [
                p["price"]
                for p in prices
                if datetime.fromisoformat(p["startTime"])
                <= now
                < datetime.fromisoformat(p["endTime"])
            ]
            if not current:
                return False, "the simulator has no price for this hour"
            # The tile rounds to three decimals.
            return self.tile_number("Jedlix", "Price now", current[0], 0.0006)

        checked.append(wait_until("Jedlix location card", price))
        self.screenshot("dashboard", full_page=True)
        return "; ".join(checked)

    def step_pause(self) -> str:
        """The Charging switch, turned off in the browser, pauses the Easee charger."""
        self.open_dashboard()
        page = self.browser_page
        self.sim("/_admin/requests", "DELETE")
        tile = (
            self.section("Easee Driveway")
            .locator("hui-tile-card")
            .filter(has=page.locator("hui-toggle-card-feature"))
        )
        switch = tile.get_by_role("switch")
        if switch.get_attribute("aria-checked") != "true":
            raise CheckFailed("the Charging switch is not on before the test")
        switch.click()
        path = f"/chargers/{EASEE_DRIVEWAY}/commands/pause_charging"
        wait_until(
            "the simulator receives pause_charging",
            lambda: (bool(self.sim_requests("POST", path)), f"requests to {path}"),
            30,
        )
        wait_until(
            "the switch shows off",
            lambda: (
                switch.get_attribute("aria-checked") == "false" and "Off" in self.text(tile),
                f"switch tile shows {self.text(tile)!r}",
            ),
            30,
        )
        # Home Assistant reads the charger again 5 s after the command.
        detail = wait_until(
            "the status card shows the pause",
            lambda: self.tile_shows("Easee Driveway", "Status", "Awaiting start"),
            60,
        )
        wait_until(
            "the reason card shows the pause",
            lambda: self.tile_shows("Easee Driveway", "Reason for no current", "paused"),
            30,
        )
        self.screenshot("charging-paused", full_page=True)
        return f"POST ...{path} received; {detail}"

    def _perform(self, yaml: str) -> None:
        page = self.browser_page
        page.goto(f"{self.ha_url}/developer-tools/action")
        page.get_by_role("button", name="YAML mode").click()
        editor = page.locator(".cm-content").first
        editor.wait_for()
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(yaml)
        page.get_by_role("button", name="Perform action").click()

    def _action_yaml(self, limit: int) -> str:
        return (
            "action: smart_charging.set_group_limit\n"
            "data:\n"
            f"  device_id: {self.group_device}\n"
            f"  limit: {limit}\n"
            '  duration: "01:00:00"\n'
        )

    def step_invalid_limit(self) -> str:
        """set_group_limit with limit 0 in Developer tools: an error, nothing sent."""
        self.sim("/_admin/requests", "DELETE")
        self._perform(self._action_yaml(0))
        alert = self.browser_page.locator("ha-alert[alert-type=error]")
        alert.first.wait_for()
        message = self.text(alert.first)
        self.screenshot("invalid-group-limit")
        if "0" not in message:
            raise CheckFailed(f"the error does not name the value: {message!r}")
        if self.sim_requests("POST", f"/grouplimit/{VIRICITI_GROUP}"):
            raise CheckFailed("an invalid limit reached the simulator")
        return f"error shown: {message!r}"

    def step_valid_limit(self) -> str:
        """set_group_limit with 150 kW: the simulator gets it and the card shows it."""
        self.sim("/_admin/requests", "DELETE")
        self._perform(self._action_yaml(VALID_LIMIT))
        page = self.browser_page
        path = f"/grouplimit/{VIRICITI_GROUP}"
        wait_until(
            "the simulator receives the group limit",
            lambda: (
                any(
                    r["status"] < 300 and (r["body"] or {}).get("groupLimit") == VALID_LIMIT
                    for r in self.sim_requests("POST", path)
                ),
                f"requests: {self.sim_requests('POST', path)}",
            ),
            30,
        )
        page.wait_for_timeout(500)
        if page.locator("ha-alert[alert-type=error]").count():
            raise CheckFailed(f"an error is shown: {self.text(page.locator('ha-alert').first)!r}")
        self.screenshot("valid-group-limit")
        active, limit = self.group_limit()
        if (active, limit) != ("external", VALID_LIMIT):
            raise CheckFailed(f"the simulator's group limit is {limit} kW ({active})")
        self.open_dashboard()
        detail = wait_until(
            "the group card shows the new limit",
            lambda: self.tile_number("ViriCiti Group", "Active limit", VALID_LIMIT),
            90,
        )
        wait_until(
            "the group card shows the external source",
            lambda: self.tile_shows("ViriCiti Group", "Source", LIMIT_SOURCES["external"]),
            30,
        )
        self.screenshot("group-limit-on-dashboard", full_page=True)
        return detail

    def _session_write(self, key: str, value: Any) -> Callable[[], tuple[bool, str]]:
        """A probe: the simulator took a session-settings write with ``key: value``."""

        def probe() -> tuple[bool, str]:
            writes = self.sim_requests("POST", "/session-settings")
            ok = any(r["status"] < 300 and (r["body"] or {}).get(key) == value for r in writes)
            return ok, f"session-settings writes: {writes}"

        return probe

    def step_jedlix_controls(self) -> str:
        """Leave at 06:15 and a new target, set on the ID.4's entities: the car follows.

        The target is one the car's battery level makes visible at once: 50 % when it
        already has more (the session completes), else 100 % (it charges on).
        """
        car = {v["details"]["model"]: v["id"] for v in self.jedlix("/vehicles")}["ID.4"]
        session = self.jedlix(f"/vehicles/{car}/sessions/last")["id"]
        level = float(self.jedlix(f"/vehicles/{car}/state")["batteryLevel"])
        target, follows = (50, "Complete") if level >= 52 else (100, "Charging")
        self.sim("/_admin/requests", "DELETE")
        self._perform(
            "action: time.set_value\n"
            "target:\n  entity_id: time.volkswagen_id_4_departure\n"
            f'data:\n  time: "{JEDLIX_LEAVE_AT}:00"\n'
        )
        local_leave = wait_until(
            "the simulator takes the departure",
            lambda: self._departure_is(session),
            30,
        )
        self._perform(
            "action: number.set_value\n"
            "target:\n  entity_id: number.volkswagen_id_4_target_state_of_charge\n"
            f"data:\n  value: {target}\n"
        )
        wait_until(
            "the simulator takes the target",
            self._session_write("desiredStateOfCharge", target),
            30,
        )
        settings = self.jedlix(f"/sessions/{session}/session-settings/active")
        vehicle = self.jedlix(f"/vehicles/{car}")
        plan = (vehicle["desiredStateOfCharge"], vehicle["departureTime"])
        if settings["desiredStateOfCharge"] != target or plan != (
            target,
            settings["departureTime"],
        ):
            raise CheckFailed(f"the session's settings are {settings}, the car's plan {plan}")
        wait_until(
            f"the simulated car is {follows}",
            lambda: (
                (state := self.jedlix(f"/vehicles/{car}/state"))["chargeState"] == follows,
                f"the simulator's ID.4: {state}",
            ),
            30,
        )
        self.open_dashboard()
        wait_until("the Target tile", lambda: self.tile_number("Jedlix", "Target", target), 60)
        # The tile writes the hour without its leading zero ("6:15").
        wait_until(
            "the Leave at tile",
            lambda: self.tile_shows("Jedlix", "Leave at", JEDLIX_LEAVE_AT.lstrip("0")),
        )
        detail = wait_until(
            "the Charge state tile follows the car",
            lambda: self.tile_shows("Jedlix", "Charge state", follows),
            90,
        )
        self.screenshot("jedlix-controls", full_page=True)
        return f"leaves {local_leave}, target {target} % at {level:.0f} %: {detail}"

    def _departure_is(self, session: str) -> tuple[bool, str]:
        """Whether the session's departure (read from the simulator) is 06:15 local."""
        settings = self.jedlix(f"/sessions/{session}/session-settings/active")
        departure = datetime.fromisoformat(settings["departureTime"])
        local = departure.astimezone(ZoneInfo("Europe/Amsterdam"))
        return f"{local:%H:%M}" == JEDLIX_LEAVE_AT, f"departure {local.isoformat()}"


def run(args: argparse.Namespace) -> int:
    """Start everything, run the steps, stop everything; return the exit status."""
    workdir: Path = args.workdir.resolve()
    shots: Path = args.screenshots.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    shots.mkdir(parents=True, exist_ok=True)
    ha_port, sim_port = args.ha_port or free_port(), args.sim_port or free_port()
    ha_url, sim_url = f"http://127.0.0.1:{ha_port}", f"http://127.0.0.1:{sim_port}"
    config = workdir / "config"
    prepare(config, template=REPO / "config", port=ha_port)
    procs = Processes(args.pidfile)
    results: list[tuple[str, bool, str]] = []
    test = EndToEnd(ha_url, sim_url, shots)

    def step(name: str, action: Callable[[], str]) -> bool:
        began = time.monotonic()
        try:
            procs.check_running()
            detail = action()
        except Exception as err:
            results.append((name, False, f"{type(err).__name__}: {err}"))
            out(f"FAIL {name} ({time.monotonic() - began:.0f} s): {type(err).__name__}: {err}")
            try:
                test.screenshot(f"{re.sub(r'\W+', '-', name)}-FAILED", full_page=True)
            except Exception as shot_err:
                out(f"     (no screenshot: {shot_err})")
            return False
        results.append((name, True, detail))
        out(f"ok   {name} ({time.monotonic() - began:.0f} s): {detail}")
        return True

    try:
        out(f"e2e: simulator {sim_url}, Home Assistant {ha_url}, config {config}")
        procs.start(
            "the simulator",
            [sys.executable, "-m", "simulator", "--port", str(sim_port), "--scenario"],
            workdir / "simulator.log",
        )
        procs.start(
            "Home Assistant",
            [sys.executable, "-m", "homeassistant", "--config", str(config), "--skip-pip"],
            workdir / "home-assistant.out",
            # Not the repository: ``-m`` puts the working folder first on sys.path, and
            # the repository's ``custom_components`` would hide the configuration's (the
            # demo's solar forecast is only there).
            cwd=config,
        )

        def seeded() -> str:
            test.token = asyncio.run(seed(ha_url, sim_url, patience=180))
            return test.step_entries()

        started = step("Home Assistant starts onboarded with the four demo entries", seeded)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.connect_over_cdp(args.cdp)
                context = browser.new_context(
                    viewport={"width": 1500, "height": 1000},
                    locale="en-GB",
                    timezone_id="Europe/Amsterdam",
                )
                context.set_default_timeout(30_000)
                page = context.new_page()
                login = "log in through the login page"
                if started:
                    logged_in = step(login, lambda: test.step_login(page))
                else:
                    logged_in = False
                    results.append((login, False, "not run: Home Assistant is not ready"))
                    out(f"FAIL {login}: not run, Home Assistant is not ready")
                browser_steps: list[tuple[str, Callable[[], str]]] = [
                    ("the dashboard shows the simulator's values", test.step_dashboard),
                    ("the Charging switch pauses the Easee charger", test.step_pause),
                    ("an invalid group limit shows an error", test.step_invalid_limit),
                    (
                        "a valid group limit reaches the simulator and the card",
                        test.step_valid_limit,
                    ),
                    (
                        "a Jedlix departure and target reach the car, which follows",
                        test.step_jedlix_controls,
                    ),
                    (
                        "Assist answers a home owner's sentences and acts on the right device",
                        lambda: home_owner.step_voice(test, wait_until),
                    ),
                    (
                        "a first automation made in the editor acts",
                        lambda: home_owner.step_automation(test, wait_until),
                    ),
                    (
                        "the Energy dashboard shows each charger's energy and power",
                        lambda: home_owner.step_energy(test, wait_until, DEEP_TEXT),
                    ),
                    (
                        "30 kWh by 07:00 on two cars is planned in the cheapest hours",
                        lambda: demo_planner.step_plan(test, wait_until),
                    ),
                ]
                for name, action in browser_steps:
                    if logged_in:
                        step(name, action)
                    else:
                        results.append((name, False, "not run: not logged in"))
                        out(f"FAIL {name}: not run, not logged in")
                context.close()
        except Exception as err:
            # Chromium unreachable or gone: the steps not yet reported failed with it.
            out(f"FAIL the browser: {type(err).__name__}: {err}")
            results.append(("the browser", False, f"{type(err).__name__}: {err}"))
    finally:
        procs.stop()
    passed = sum(ok for _, ok, _ in results)
    failed = len(results) - passed
    if failed:
        out(f"logs: {workdir}/home-assistant.out, {workdir}/simulator.log")
    out(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m e2e", description=__doc__)
    parser.add_argument("--cdp", required=True, help="Chromium's DevTools URL")
    parser.add_argument("--workdir", type=Path, default=REPO / ".e2e" / "run")
    parser.add_argument("--screenshots", type=Path, default=REPO / ".e2e" / "screenshots")
    parser.add_argument("--pidfile", type=Path, help="where to list the processes started")
    parser.add_argument("--ha-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--sim-port", type=int, default=0, help="default: a free port")
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
