"""Seed a Home Assistant configuration with the Smart Charging demo home.

Two steps, the first before Home Assistant starts and the second while it runs:

``python -m e2e.demo_home prepare CONFIG [--template DIR] [--port 8123]``
    Links Smart Charging and the demo's solar forecast (``config/custom_components/
    demo_solar``, an offline stand-in for a solar integration) into CONFIG's
    ``custom_components`` and, for a configuration that was never
    onboarded, marks every onboarding step but the first (creating the owner) as done,
    so Home Assistant neither shows the onboarding wizard after the owner exists nor
    sets up the integrations the wizard adds (weather, radio, text-to-speech; they need
    the internet). A configuration without HTTP settings gets 127.0.0.1 and the port
    (Home Assistant keeps them in ``.storage/http`` since 2026.10). With ``--template``
    it first copies ``configuration.yaml`` and the dashboards from DIR (the end-to-end
    test's fresh configuration).

``python -m e2e.demo_home seed --ha URL --sim URL [--token-file FILE]``
    Waits for Home Assistant, creates the owner ``demo`` / ``demo-password`` through the
    onboarding API (the call the onboarding page makes), or signs in as that user when
    it exists, then adds one Smart Charging entry per cloud through the config flow's
    REST API, exactly as a person does in *Add integration*, and the demo solar
    forecast's entry. An account that already has an entry is left as it is (the flow
    aborts with ``already_configured``). With
    ``--goals`` the demo's charging goals are set (``demo_planner``). With
    ``--token-file`` a long-lived access token is written there, for scripts (once: a
    file that exists is kept).
"""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import shutil
import sys
import time
from typing import Any

import aiohttp

from . import demo_assist, demo_planner

REPO = Path(__file__).resolve().parent.parent
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"  # the documented demo login; Home Assistant listens on 127.0.0.1
DEMO_NAME = "Demo"
DOMAIN = "smart_charging"
PROVIDERS = ("easee", "viriciti", "ampeco", "jedlix")
DASHBOARD_PATH = "smart-charging"
SENTENCES = REPO / "custom_components" / DOMAIN / "sentences" / "en.yaml"
# The demo-only integration that gives the demo home a solar forecast (offline).
DEMO_COMPONENTS = REPO / "config" / "custom_components"
SOLAR_DOMAIN = "demo_solar"
# The onboarding steps of Home Assistant 2026.10 other than "user" (creating the owner).
LATER_ONBOARDING_STEPS = ("core_config", "analytics", "integration")
ONBOARDING_STORE_VERSION = 4


def say(message: str) -> None:
    """A progress line on stderr."""
    sys.stderr.write(f"demo home: {message}\n")
    sys.stderr.flush()


def form_input(provider: str, sim_url: str) -> dict[str, Any]:
    """What a person types into the config flow's form for the simulator's demo account.

    The credentials are the simulator's demo accounts (README, "The simulator").
    """
    base_url = f"{sim_url.rstrip('/')}/{provider}"
    match provider:
        case "easee":
            return {
                "username": "demo@example.com",
                "password": "demo-password",
                "advanced": {"base_url": base_url},
            }
        case "viriciti":
            return {
                "api_key": "viriciti-demo-key",
                "group_ids": "ViriCitiGroup",
                "advanced": {"base_url": base_url},
            }
        case "ampeco":
            return {"base_url": base_url, "api_token": "ampeco-demo-token"}
        case "jedlix":
            return {
                "base_url": base_url,
                "api_key": "jedlix-demo-key",
                "user_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                "token": "jedlix-demo-token",
            }
    raise ValueError(f"unknown provider {provider!r}")


# --- before Home Assistant starts ----------------------------------------------------------


def prepare(
    config: Path, *, template: Path | None = None, port: int = 8123, now: datetime | None = None
) -> None:
    """Make ``config`` ready for a first start as the demo home (see the module doc)."""
    config.mkdir(parents=True, exist_ok=True)
    if template is not None:
        shutil.copy(template / "configuration.yaml", config / "configuration.yaml")
        if (template / "dashboards").is_dir():
            shutil.copytree(template / "dashboards", config / "dashboards", dirs_exist_ok=True)
    # Smart Charging and the demo's solar forecast, each linked in (an older demo home
    # linked the whole of custom_components/: that link is replaced).
    components = config / "custom_components"
    if components.is_symlink():
        components.unlink()
    components.mkdir(exist_ok=True)
    for source in (REPO / "custom_components" / DOMAIN, DEMO_COMPONENTS / SOLAR_DOMAIN):
        link = components / source.name
        if not link.exists() and not link.is_symlink():
            link.symlink_to(os.path.relpath(source, components))
    storage = config / ".storage"
    storage.mkdir(exist_ok=True)
    created = (now or datetime.now(UTC)).isoformat()
    onboarding = storage / "onboarding"
    if not onboarding.exists() and not (storage / "auth").exists():
        _write_store(onboarding, "onboarding", 4, 1, {"done": list(LATER_ONBOARDING_STEPS)})
        say(f"{onboarding} written: only the owner is left to create")
    http = storage / "http"
    if not http.exists() or _stored_port(http) != port:
        _write_store(http, "http", 2, 2, _http_store(port, created))
        say(f"{http} written: Home Assistant will listen on 127.0.0.1:{port}")
    # What the UI's automation, script and scene editors save to (configuration.yaml
    # includes them): a home owner's first automation must run.
    for name, empty in (
        ("automations.yaml", "[]\n"),
        ("scripts.yaml", ""),
        ("scenes.yaml", "[]\n"),
    ):
        if not (config / name).exists():
            (config / name).write_text(empty)
    # Smart Charging's sentences where Assist reads a user's own (README, "Voice").
    sentences = config / "custom_sentences" / "en"
    sentences.mkdir(parents=True, exist_ok=True)
    shutil.copy(SENTENCES, sentences / "smart_charging.yaml")


def _stored_port(http: Path) -> int | None:
    """The port Home Assistant's HTTP settings store says it listens on."""
    try:
        port = json.loads(http.read_text())["data"]["stable"]["server_port"]
    except OSError, ValueError, KeyError, TypeError:
        return None
    return port if isinstance(port, int) else None


def _write_store(path: Path, key: str, version: int, minor: int, data: Any) -> None:
    """A file of Home Assistant's storage, in the shape its ``Store`` writes."""
    body = {"version": version, "minor_version": minor, "key": key, "data": data}
    path.write_text(json.dumps(body, indent=2))


def _http_store(port: int, created: str) -> dict[str, Any]:
    """Home Assistant 2026.10's HTTP settings store: 127.0.0.1 only, on ``port``.

    Since 2026.10 the HTTP settings live in ``.storage/http`` (``http:`` in YAML is
    deprecated and only imported once, as a setting someone must confirm within five
    minutes); its "stable" slot is what Home Assistant starts with. These are the
    defaults Home Assistant itself stores, with the address and port of the demo.
    """
    stable = {
        "server_host": ["127.0.0.1"],
        "server_port": port,
        "cors_allowed_origins": ["https://cast.home-assistant.io"],
        "login_attempts_threshold": -1,
        "ip_ban_enabled": True,
        "ssl_profile": "modern",
        "use_x_frame_options": True,
        "created_at": created,
        "error": None,
        "error_message": None,
    }
    return {"stable": stable, "pending": None, "yaml_migration_done": True}


# --- while Home Assistant runs -------------------------------------------------------------


class SeedError(Exception):
    """Home Assistant did not let us seed the demo home."""


@dataclass
class HomeAssistant:
    """Home Assistant's HTTP API as the onboarding and login pages use it."""

    session: aiohttp.ClientSession
    url: str
    token: str | None = None

    @property
    def client_id(self) -> str:
        """The client id the frontend uses: Home Assistant's own URL."""
        return f"{self.url}/"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def request(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """One call; the status and the JSON (or text) answer."""
        async with self.session.request(
            method, f"{self.url}{path}", headers=self._headers(), **kwargs
        ) as response:
            text = await response.text()
            try:
                body: Any = json.loads(text) if text else None
            except ValueError:
                body = text
            return response.status, body

    async def wait_ready(self, patience: float) -> None:
        """Wait up to ``patience`` seconds until Home Assistant answers HTTP.

        Any answer will do: before onboarding most paths refuse with a status.
        """
        deadline = time.monotonic() + patience
        while True:
            try:
                status, _ = await self.request("GET", "/api/onboarding")
                if status < 500:
                    return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise SeedError(f"Home Assistant did not answer on {self.url} in {patience:.0f} s")
            await asyncio.sleep(1)

    async def sign_in(self, username: str, password: str, name: str) -> None:
        """Create the owner through onboarding, or log in when onboarding is done."""
        status, steps = await self.request("GET", "/api/onboarding")
        user_step_open = status == 200 and any(
            step.get("step") == "user" and not step.get("done") for step in steps
        )
        if user_step_open:
            status, body = await self.request(
                "POST",
                "/api/onboarding/users",
                json={
                    "client_id": self.client_id,
                    "name": name,
                    "username": username,
                    "password": password,
                    "language": "en",
                },
            )
            if status != 200:
                raise SeedError(f"creating the owner failed: {status} {body}")
            say(f"owner {username!r} created")
            code = body["auth_code"]
        else:
            code = await self._login(username, password)
        status, body = await self.request(
            "POST",
            "/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        )
        if status != 200:
            raise SeedError(f"exchanging the authorization code failed: {status} {body}")
        self.token = body["access_token"]
        if user_step_open:
            await self._finish_onboarding()

    async def _finish_onboarding(self) -> None:
        """Mark any onboarding step still open done (prepare() normally did that)."""
        status, steps = await self.request("GET", "/api/onboarding")
        if status != 200:
            return
        for step in steps:
            if step.get("done") or step.get("step") == "user":
                continue
            body: dict[str, str] = {}
            if step["step"] == "integration":
                body = {"client_id": self.client_id, "redirect_uri": self.client_id}
            await self.request("POST", f"/api/onboarding/{step['step']}", json=body)

    async def _login(self, username: str, password: str) -> str:
        status, flow = await self.request(
            "POST",
            "/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
        )
        if status != 200:
            raise SeedError(f"the login flow did not start: {status} {flow}")
        status, result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json={"client_id": self.client_id, "username": username, "password": password},
        )
        if status != 200 or result.get("type") != "create_entry":
            raise SeedError(
                f"signing in as {username!r} failed (was the demo user's password changed?)"
            )
        return str(result["result"])

    async def add_solar_forecast(self) -> str:
        """Add the demo solar forecast's entry (no questions asked; one at most)."""
        status, result = await self.request(
            "POST", "/api/config/config_entries/flow", json={"handler": SOLAR_DOMAIN}
        )
        kind = result.get("type") if isinstance(result, dict) else None
        if status == 200 and kind == "create_entry":
            return "added"
        if status == 200 and kind == "abort" and result.get("reason") == "single_instance_allowed":
            return "already there"
        raise SeedError(f"adding the demo solar forecast failed: {status} {result}")

    async def add_entry(self, provider: str, sim_url: str, attempts: int = 5) -> str:
        """Add the demo account of ``provider``; return what happened."""
        for attempt in range(1, attempts + 1):
            status, result = await self.request(
                "POST", "/api/config/config_entries/flow", json={"handler": DOMAIN}
            )
            if status != 200:
                raise SeedError(f"the Smart Charging config flow did not start: {status} {result}")
            flow = result["flow_id"]
            status, result = await self.request(
                "POST", f"/api/config/config_entries/flow/{flow}", json={"next_step_id": provider}
            )
            if status == 200 and result.get("type") == "form":
                status, result = await self.request(
                    "POST",
                    f"/api/config/config_entries/flow/{flow}",
                    json=form_input(provider, sim_url),
                )
            kind = result.get("type") if isinstance(result, dict) else None
            if status == 200 and kind == "create_entry":
                return f"added ({result.get('title')})"
            if status == 200 and kind == "abort" and result.get("reason") == "already_configured":
                return "already there"
            await self.request("DELETE", f"/api/config/config_entries/flow/{flow}")
            if attempt < attempts:
                await asyncio.sleep(2)
        raise SeedError(f"adding the {provider} entry failed: {status} {result}")

    async def websocket(self, command: str, *, allow_missing: bool = False, **data: Any) -> Any:
        """Send one websocket command and return its result (None: not found, if allowed)."""
        ws_url = self.url.replace("http", "ws", 1) + "/api/websocket"
        async with self.session.ws_connect(ws_url) as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            answer = await ws.receive_json()
            if answer.get("type") != "auth_ok":
                raise SeedError(f"websocket authentication failed: {answer}")
            await ws.send_json({"id": 1, "type": command, **data})
            answer = await ws.receive_json()
            if not answer.get("success"):
                if allow_missing and (answer.get("error") or {}).get("code") == "not_found":
                    return None
                raise SeedError(f"{command} failed: {answer.get('error')}")
            return answer.get("result")

    async def states(self) -> list[dict[str, Any]]:
        """Every entity's state, as GET /api/states gives it."""
        status, body = await self.request("GET", "/api/states")
        if status != 200 or not isinstance(body, list):
            raise SeedError(f"reading the states failed: {status}")
        return body

    async def confirm_http_config(self) -> None:
        """Confirm the HTTP settings taken over from configuration.yaml.

        Since 2026.10 Home Assistant moves ``http:`` from YAML into its storage as a
        *pending* configuration on the first start and, unless someone confirms it within
        five minutes (Settings > System > Network), reverts to the default one (all
        interfaces, port 8123) and restarts. This is the call that page makes.
        """
        config = await self.websocket("http/config")
        pending = config.get("pending")
        if pending and not pending.get("error") and config.get("active_config_type") == "pending":
            await self.websocket("http/config/promote")
            say("HTTP settings from configuration.yaml confirmed")

    async def long_lived_token(self, client_name: str) -> str:
        """A long-lived access token (valid a year), made over the websocket API."""
        token = await self.websocket(
            "auth/long_lived_access_token", client_name=client_name, lifespan=365
        )
        return str(token)


async def seed(
    ha_url: str,
    sim_url: str,
    *,
    long_lived: bool = False,
    patience: float = 300,
    username: str = DEMO_USERNAME,
    password: str = DEMO_PASSWORD,
    goals: bool = False,
) -> str:
    """Onboard (or sign in) and add the four demo entries; return an access token.

    The token is short-lived (30 minutes) unless ``long_lived``. With ``goals`` the demo's
    charging goals are set too (``demo_planner``: 30 kWh by 07:00 for two cars).
    """
    async with aiohttp.ClientSession() as session:
        hass = HomeAssistant(session, ha_url.rstrip("/"))
        await hass.wait_ready(patience)
        await hass.sign_in(username, password, DEMO_NAME)
        await hass.confirm_http_config()
        for provider in PROVIDERS:
            say(f"{provider}: {await hass.add_entry(provider, sim_url)}")
        say(f"solar forecast: {await hass.add_solar_forecast()}")
        exposed, energy = await demo_assist.async_set_up(hass.websocket, hass.states)
        say(f"{len(exposed)} entities exposed to Assist, {len(energy)} chargers added to Energy")
        if goals:

            async def call(service: str, data: dict[str, Any]) -> Any:
                status, body = await hass.request(
                    "POST", f"/api/services/{DOMAIN}/{service}", json=data
                )
                if status != 200:
                    raise SeedError(f"{service} failed: {status} {body}")
                return body

            now = datetime.now(UTC)
            for line in await demo_planner.async_set_goals(hass.websocket, call, now):
                say(f"charging goal: {line}")
        if long_lived:
            return await hass.long_lived_token("demo home")
        assert hass.token is not None
        return hass.token


def write_token(path: Path, token: str) -> None:
    """Keep a token in a file only its owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(token + "\n")
    say(f"a long-lived access token is in {path}")


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module doc)."""
    parser = argparse.ArgumentParser(prog="python -m e2e.demo_home", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="before the first start of Home Assistant")
    prep.add_argument("config", type=Path)
    prep.add_argument("--template", type=Path)
    prep.add_argument("--port", type=int, default=8123)
    sow = commands.add_parser("seed", help="while Home Assistant runs")
    sow.add_argument("--ha", default="http://127.0.0.1:8123")
    sow.add_argument("--sim", default="http://127.0.0.1:8765")
    sow.add_argument("--token-file", type=Path)
    sow.add_argument("--wait", type=float, default=300, help="seconds to wait for Home Assistant")
    sow.add_argument("--goals", action="store_true", help="set the demo's charging goals")
    args = parser.parse_args(argv)
    try:
        if args.command == "prepare":
            prepare(args.config, template=args.template, port=args.port)
        else:
            # One long-lived token per configuration: a second run keeps the first.
            want_token = args.token_file is not None and not args.token_file.exists()
            token = asyncio.run(
                seed(
                    args.ha,
                    args.sim,
                    long_lived=want_token,
                    patience=args.wait,
                    goals=args.goals,
                )
            )
            if want_token:
                write_token(args.token_file, token)
    except (SeedError, OSError, aiohttp.ClientError) as err:
        say(f"failed: {err}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
