"""The Easee cloud (seed 003, ``apis.md``): accounts, sites, chargers, commands.

Commands and settings answer 202 at once and take effect ``command_delay`` simulated
seconds later, as the real cloud does; tests advance the clock to see the effect.
Energy flows with the simulated clock, shared among the chargers of a circuit.
"""

from __future__ import annotations

from collections import deque
import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import itertools
import secrets
from typing import Any

from aiohttp import web

from ..app import Simulator
from ..common import bearer, json_body, json_error
from .model import MAX_CURRENT_LIMIT, PHASE_MODES, SETTING_TYPES, SimCharger
from .stream import EaseeStream

PREFIX = "/easee"
TOKEN_LIFETIME = timedelta(hours=1)
COMMANDS = frozenset(
    {
        "start_charging",
        "stop_charging",
        "pause_charging",
        "resume_charging",
        "toggle_charging",
        "override_schedule",
    }
)
# The commands about a charging session, which Easee refuses with no car connected.
CAR_COMMANDS = COMMANDS - {"override_schedule"}
# pyeasee 0.8.21 (charger.py, set_dynamic_charger_current): a command with a body.
SET_DYNAMIC_CHARGER_CURRENT = "set_dynamic_charger_current"
# pyeasee 0.8.21 (site.py, Circuit.set_max_current and set_max_offline_current).
CIRCUIT_SETTINGS = (
    "maxCircuitCurrentP1",
    "maxCircuitCurrentP2",
    "maxCircuitCurrentP3",
    "offlineMaxCircuitCurrentP1",
    "offlineMaxCircuitCurrentP2",
    "offlineMaxCircuitCurrentP3",
)
# What a charger's state shows as its circuit's dynamic current while none is set
# (pyeasee's fixtures charger-state.json and site-state.json: 40 A on a 16 A circuit).
UNSET_DYNAMIC_CURRENT = 40.0
# apis.md: a well-behaved client stays near or under 500 requests per 5 minutes.
RATE_LIMIT = 500
RATE_WINDOW = timedelta(minutes=5)


def _problem(status: int, title: str, **extra: Any) -> web.HTTPException:
    return json_error(status, {"title": title, "status": status, **extra})


@dataclass
class EaseeAccount:
    """A user who can sign in."""

    user_id: int
    username: str
    password: str


@dataclass
class _Token:
    user_id: int
    expires: datetime
    refresh: str


@dataclass
class SimCircuit:
    """A circuit (a fuse) that chargers share; a dynamic current can lower it."""

    id: int
    name: str
    rated_current: float
    dynamic_current: tuple[float, float, float] | None = None
    dynamic_until: datetime | None = None
    # What the circuit's settings say (pyeasee's circuit settings), per phase.
    settings: dict[str, float] = field(default_factory=dict)

    def dynamic_active(self, now: datetime) -> bool:
        """Whether a dynamic current is set and has not run out."""
        return self.dynamic_current is not None and (
            self.dynamic_until is None or now < self.dynamic_until
        )

    def limit(self, now: datetime) -> float:
        """Amps per phase the circuit allows now."""
        if self.dynamic_current is not None and self.dynamic_active(now):
            return min(self.maximum(), *self.dynamic_current)
        return self.maximum()

    def maximum(self) -> float:
        """The fuse, or less when the circuit's settings set a lower maximum."""
        phases = [v for k, v in self.settings.items() if k.startswith("maxCircuitCurrent")]
        return min([self.rated_current, *phases])


@dataclass
class SimSite:
    """A site of one account, with its circuits."""

    id: int
    name: str
    owner: int
    circuits: list[SimCircuit]


@dataclass(order=True)
class _Pending:
    due: datetime
    seq: int
    charger_id: str = field(compare=False)
    command: str | None = field(compare=False, default=None)
    settings: dict[str, Any] | None = field(compare=False, default=None)


def _demo_world() -> tuple[list[SimSite], dict[str, SimCharger]]:
    site = SimSite(501, "Home", 1001, [SimCircuit(601, "Garage", 25.0)])
    driveway = SimCharger("EH000001", "Driveway", 501, 601)
    driveway.settings["authorizationRequired"] = False
    garage = SimCharger("EH000002", "Garage", 501, 601)
    return [site], {c.id: c for c in (driveway, garage)}


@dataclass
class EaseeCloud:
    """The simulated Easee cloud."""

    sim: Simulator
    prefix: str = PREFIX
    accounts: list[EaseeAccount] = field(
        default_factory=lambda: [EaseeAccount(1001, "demo@example.com", "demo-password")]
    )
    tokens: dict[str, _Token] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    token_lifetime: timedelta = TOKEN_LIFETIME
    command_delay: timedelta = timedelta(seconds=2)
    sites: list[SimSite] = field(default_factory=list)
    chargers: dict[str, SimCharger] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    # Command ids the cloud refuses when they fall due (a charger that never confirms).
    _seq: itertools.count[int] = field(default_factory=itertools.count)
    _last_run: datetime | None = None
    _recent: dict[int, deque[datetime]] = field(default_factory=dict)
    stream: EaseeStream = field(init=False)

    def __post_init__(self) -> None:
        self.stream = EaseeStream(self)
        if not self.sites and not self.chargers:
            self.sites, self.chargers = _demo_world()
            self.chargers["EH000001"].plug_in(30.0, self.sim.now())

    # --- the application ------------------------------------------------------------------

    def register(self, app: web.Application) -> None:
        """Add the routes."""
        p = self.prefix
        app.router.add_post(f"{p}/api/accounts/login", self._login)
        app.router.add_post(f"{p}/api/accounts/refresh_token", self._refresh)
        app.router.add_get(f"{p}/api/accounts/profile", self._profile)
        app.router.add_get(f"{p}/api/chargers", self._chargers)
        app.router.add_get(f"{p}/api/chargers/{{id}}/state", self._state)
        app.router.add_get(f"{p}/api/chargers/{{id}}/config", self._config)
        app.router.add_post(f"{p}/api/chargers/{{id}}/settings", self._settings)
        app.router.add_post(
            f"{p}/api/chargers/{{id}}/commands/{SET_DYNAMIC_CHARGER_CURRENT}",
            self._set_charger_dynamic,
        )
        app.router.add_post(f"{p}/api/chargers/{{id}}/commands/{{command}}", self._command)
        app.router.add_get(f"{p}/state/{{id}}/observations", self._observations)
        app.router.add_get(f"{p}/api/sites", self._sites)
        app.router.add_get(f"{p}/api/sites/{{site}}", self._site)
        app.router.add_get(f"{p}/api/sites/{{site}}/state", self._site_state)
        app.router.add_get(
            f"{p}/api/sites/{{site}}/circuits/{{circuit}}/dynamicCurrent", self._get_dynamic
        )
        app.router.add_post(
            f"{p}/api/sites/{{site}}/circuits/{{circuit}}/dynamicCurrent", self._set_dynamic
        )
        app.router.add_post(
            f"{p}/api/sites/{{site}}/circuits/{{circuit}}/settings", self._circuit_settings
        )
        self.stream.register(app, p)

    def snapshot(self) -> dict[str, Any]:
        """Chargers and their state, for the admin API."""
        self.run()
        return {
            "tokens": len(self.tokens),
            "chargers": {cid: c.state_json() | c.config_json() for cid, c in self.chargers.items()},
        }

    # --- the world --------------------------------------------------------------------------

    def run(self, publish: bool = True) -> None:
        """Bring the world up to the simulated now: due commands, then energy.

        ``publish``: the hub's streams send what changed (the hub itself runs the world
        without, as each of its streams sends its own changes).
        """
        now = self.sim.now()
        last = self._last_run or now
        while self.pending and self.pending[0].due <= now:
            item = self.pending.pop(0)
            self._advance(last, item.due)
            last = max(last, item.due)
            self._apply(item)
        self._advance(last, now)
        self._last_run = now
        if publish:
            self.stream.publish()

    def _advance(self, start: datetime, end: datetime) -> None:
        seconds = (end - start).total_seconds()
        self._share_circuits(end)
        for charger in self.chargers.values():
            charger.run(seconds)
            charger.observe(end)

    def _share_circuits(self, now: datetime) -> None:
        """Split each circuit's current evenly among the chargers that want current."""
        for site in self.sites:
            for circuit in site.circuits:
                members = [c for c in self.chargers.values() if c.circuit_id == circuit.id]
                for charger in members:
                    charger.available_current = MAX_CURRENT_LIMIT
                wanting = [c for c in members if c.is_charging]
                share = circuit.limit(now) / max(len(wanting), 1)
                for charger in members:
                    charger.available_current = share

    def _apply(self, item: _Pending) -> None:
        charger = self.chargers.get(item.charger_id)
        if charger is None or not charger.online:
            return
        if item.command is not None:
            charger.command(item.command)
        if item.settings is not None:
            charger.apply_settings(item.settings)

    def add_charger(self, charger: SimCharger) -> None:
        """A new charger appears in the account (dynamic devices)."""
        self.chargers[charger.id] = charger

    def remove_charger(self, charger_id: str) -> None:
        """A charger leaves the account (stale devices)."""
        del self.chargers[charger_id]

    def scale(self, count: int, charging: int = 0) -> None:
        """Replace the world by ``count`` chargers, ``charging`` of them with a car."""
        self.sites = [
            SimSite(
                501, "Home", 1001, [SimCircuit(600 + i, f"Circuit {i}", 32.0) for i in range(count)]
            )
        ]
        self.chargers = {}
        for i in range(count):
            charger = SimCharger(f"EH{i:06d}", f"Charger {i}", 501, 600 + i)
            charger.settings["authorizationRequired"] = False
            if i < charging:
                charger.plug_in(1000.0, self.sim.now())
            self.chargers[charger.id] = charger

    def expire_tokens(self) -> None:
        """Make every access token invalid at once (as after a cloud restart)."""
        self.tokens.clear()

    # --- auth ---------------------------------------------------------------------------------

    def _issue(self, user_id: int) -> dict[str, Any]:
        access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        self.tokens[access] = _Token(user_id, self.sim.now() + self.token_lifetime, refresh)
        self.refresh_tokens[refresh] = access
        return {
            "accessToken": access,
            "expiresIn": int(self.token_lifetime.total_seconds()),
            "accessClaims": ["User"],
            "tokenType": "Bearer",
            "refreshToken": refresh,
        }

    def token_user(self, request: web.Request) -> EaseeAccount:
        """The account of the request's token; 401 for a missing or old token."""
        token = self.tokens.get(bearer(request) or "")
        if token is None or token.expires <= self.sim.now():
            raise _problem(401, "Unauthorized")
        return next(a for a in self.accounts if a.user_id == token.user_id)

    def user(self, request: web.Request) -> EaseeAccount:
        """The signed-in account; 401 for a missing or old token, 429 past the limit."""
        account = self.token_user(request)
        self._count(account.user_id)
        self.run()
        return account

    def _count(self, user_id: int) -> None:
        now = self.sim.now()
        recent = self._recent.setdefault(user_id, deque())
        while recent and recent[0] <= now - RATE_WINDOW:
            recent.popleft()
        if len(recent) >= RATE_LIMIT:
            wait = (recent[0] + RATE_WINDOW - now).total_seconds()
            raise _problem(
                429, "Too many requests", headers={"Retry-After": str(max(int(wait), 1))}
            )
        recent.append(now)

    def _charger(self, request: web.Request) -> SimCharger:
        account = self.user(request)
        charger = self.chargers.get(request.match_info["id"])
        owners = {site.id: site.owner for site in self.sites}
        if charger is None or owners.get(charger.site_id) != account.user_id:
            raise _problem(404, "Charger not found")
        return charger

    def _site_of(self, request: web.Request) -> SimSite:
        account = self.user(request)
        for site in self.sites:
            if str(site.id) == request.match_info["site"] and site.owner == account.user_id:
                return site
        raise _problem(404, "Site not found")

    async def _login(self, request: web.Request) -> web.Response:
        body = await json_body(request, {"title": "Invalid body", "status": 400})
        if not isinstance(body, dict) or not body.get("userName") or not body.get("password"):
            raise _problem(400, "userName and password are required")
        for account in self.accounts:
            if account.username == body["userName"] and account.password == body["password"]:
                return web.json_response(self._issue(account.user_id))
        raise _problem(
            400,
            "Invalid username or password",
            errorCode=100,
            errorCodeName="InvalidUserPassword",
        )

    async def _refresh(self, request: web.Request) -> web.Response:
        body = await json_body(request, {"title": "Invalid body", "status": 400})
        refresh = body.get("refreshToken") if isinstance(body, dict) else None
        access = self.refresh_tokens.pop(refresh or "", None)
        token = self.tokens.pop(access or "", None)
        if token is None or body.get("accessToken") != access:
            raise _problem(401, "Invalid refresh token")
        return web.json_response(self._issue(token.user_id))

    async def _profile(self, request: web.Request) -> web.Response:
        account = self.user(request)
        return web.json_response(
            {"userId": account.user_id, "eMail": account.username, "firstName": "Demo"}
        )

    # --- chargers -------------------------------------------------------------------------------

    async def _chargers(self, request: web.Request) -> web.Response:
        account = self.user(request)
        mine = {site.id for site in self.sites if site.owner == account.user_id}
        return web.json_response(
            [c.summary_json() for c in self.chargers.values() if c.site_id in mine]
        )

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(self.state_of(self._charger(request)))

    async def _config(self, request: web.Request) -> web.Response:
        return web.json_response(self.config_of(self._charger(request)))

    def _accepted(self, charger: SimCharger, ticks: int, **pending: Any) -> web.Response:
        seq = next(self._seq)
        self.pending.append(
            _Pending(self.sim.now() + self.command_delay, seq, charger.id, **pending)
        )
        self.pending.sort()
        return web.json_response(
            {"device": charger.id, "commandId": 48_000 + seq, "ticks": ticks}, status=202
        )

    async def _command(self, request: web.Request) -> web.Response:
        charger = self._charger(request)
        name = request.match_info["command"]
        if name not in COMMANDS:
            raise _problem(404, "Unknown command")
        if not charger.online:
            raise _problem(400, "Charger is offline", errorCode=612, errorCodeName="ChargerOffline")
        if name in CAR_COMMANDS and not charger.car_connected:
            # Easee refuses these with no car at the charger (easee_hass #247, evcc
            # #8560: a 400); the text is ours, clients show it as the charger's answer.
            raise _problem(400, "No car is connected to the charger")
        trial = copy.deepcopy(charger)
        ticks = 1 if trial.command(name) else 0
        return self._accepted(charger, ticks, command=name)

    async def _settings(self, request: web.Request) -> web.Response:
        charger = self._charger(request)
        body = await json_body(request, {"title": "Invalid body", "status": 400})
        errors = _validate_settings(body, charger)
        if errors:
            raise _problem(400, "One or more validation errors occurred.", errors=errors)
        if not charger.online:
            raise _problem(400, "Charger is offline", errorCode=612, errorCodeName="ChargerOffline")
        return self._accepted(charger, 1, settings=dict(body))

    async def _observations(self, request: web.Request) -> web.Response:
        charger = self._charger(request)
        try:
            ids = [int(part) for part in request.query.get("ids", "").split(",") if part]
        except ValueError as err:
            raise _problem(400, "ids must be a comma-separated list of numbers") from err
        if not ids:
            raise _problem(400, "ids is required")
        return web.json_response(
            [
                {"id": obs.id, "value": obs.value, "timestamp": obs.timestamp.isoformat()}
                for obs_id in ids
                if (obs := charger.observations.get(obs_id)) is not None
            ]
        )

    # --- sites and circuits -----------------------------------------------------------------

    async def _sites(self, request: web.Request) -> web.Response:
        account = self.user(request)
        return web.json_response(
            [
                {"id": s.id, "name": s.name, "siteKey": f"SK-{s.id}"}
                for s in self.sites
                if s.owner == account.user_id
            ]
        )

    def _circuit_json(self, site: SimSite, circuit: SimCircuit) -> dict[str, Any]:
        """A circuit as pyeasee's site and site-state fixtures show it."""
        return {
            "id": circuit.id,
            "siteId": site.id,
            "circuitPanelId": 1,
            "panelName": circuit.name,
            "ratedCurrent": circuit.rated_current,
            "chargers": [c.summary_json() for c in self._members(circuit)],
            "masterBackplate": None,
            "useDynamicMaster": False,
            "parentCircuitId": None,
        }

    def _members(self, circuit: SimCircuit) -> list[SimCharger]:
        return [c for c in self.chargers.values() if c.circuit_id == circuit.id]

    def _site_json(self, site: SimSite) -> dict[str, Any]:
        return {
            "id": site.id,
            "siteKey": f"SK-{site.id}",
            "name": site.name,
            "levelOfAccess": None,
            "ratedCurrent": max((c.rated_current for c in site.circuits), default=0.0),
            "useDynamicMaster": False,
            "circuits": [self._circuit_json(site, circuit) for circuit in site.circuits],
            "equalizers": [],
        }

    def circuit_of(self, charger: SimCharger) -> SimCircuit | None:
        """The circuit a charger hangs on."""
        for site in self.sites:
            for circuit in site.circuits:
                if circuit.id == charger.circuit_id:
                    return circuit
        return None

    def state_of(self, charger: SimCharger) -> dict[str, Any]:
        """GET /api/chargers/{id}/state: the charger's state and its circuit's offline limits."""
        state = charger.state_json()
        circuit = self.circuit_of(charger)
        if circuit is not None:
            # The circuit's dynamic current (pyeasee's fixture shows 40 A, above its 16 A
            # fuse, while none is set); the chargers' own shares are not reported here.
            dynamic = circuit.dynamic_current if circuit.dynamic_active(self.sim.now()) else None
            for phase in (1, 2, 3):
                value = dynamic[phase - 1] if dynamic else UNSET_DYNAMIC_CURRENT
                state[f"dynamicCircuitCurrentP{phase}"] = value
        for phase in (1, 2, 3):
            key = f"offlineMaxCircuitCurrentP{phase}"
            if circuit is not None and key in circuit.settings:
                state[key] = circuit.settings[key]
        return state

    def config_of(self, charger: SimCharger) -> dict[str, Any]:
        """GET /api/chargers/{id}/config: the charger's config and its circuit's maximum."""
        config = charger.config_json()
        circuit = self.circuit_of(charger)
        for phase in (1, 2, 3):
            key = f"maxCircuitCurrentP{phase}"
            if circuit is not None and key in circuit.settings:
                config[f"circuitMaxCurrentP{phase}"] = circuit.settings[key]
        return config

    async def _site(self, request: web.Request) -> web.Response:
        """GET /api/sites/{id} (pyeasee adds ``?detailed=true``)."""
        return web.json_response(self._site_json(self._site_of(request)))

    async def _site_state(self, request: web.Request) -> web.Response:
        """Every charger of the site, state and config, in one answer (pyeasee's SiteState)."""
        site = self._site_of(request)
        return web.json_response(
            {
                "circuitStates": [
                    {
                        "circuit": self._circuit_json(site, circuit),
                        "chargerStates": [
                            {
                                "chargerID": c.id,
                                "chargerConfig": self.config_of(c),
                                "chargerState": self.state_of(c),
                            }
                            for c in self._members(circuit)
                        ],
                    }
                    for circuit in site.circuits
                ],
                "site": self._site_json(site),
            }
        )

    def _circuit(self, request: web.Request) -> SimCircuit:
        site = self._site_of(request)
        for circuit in site.circuits:
            if str(circuit.id) == request.match_info["circuit"]:
                return circuit
        raise _problem(404, "Circuit not found")

    async def _get_dynamic(self, request: web.Request) -> web.Response:
        circuit = self._circuit(request)
        now = self.sim.now()
        limit = circuit.dynamic_current if circuit.limit(now) < circuit.rated_current else None
        phases = limit or (circuit.rated_current,) * 3
        return web.json_response({"phase1": phases[0], "phase2": phases[1], "phase3": phases[2]})

    async def _set_dynamic(self, request: web.Request) -> web.Response:
        circuit = self._circuit(request)
        body = await json_body(request, {"title": "Invalid body", "status": 400})
        errors: dict[str, list[str]] = {}
        phases: list[float] = []
        for key in ("phase1", "phase2", "phase3"):
            value = body.get(key) if isinstance(body, dict) else None
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not (0 <= value <= circuit.rated_current)
            ):
                errors[key] = [f"{key} must be between 0 and {circuit.rated_current}"]
            else:
                phases.append(float(value))
        ttl = body.get("timeToLive", 0) if isinstance(body, dict) else 0
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 0:
            errors["timeToLive"] = ["timeToLive must be a whole number of minutes, 0 or more"]
        if errors:
            raise _problem(400, "One or more validation errors occurred.", errors=errors)
        now = self.sim.now()
        circuit.dynamic_current = (phases[0], phases[1], phases[2])
        circuit.dynamic_until = now + timedelta(minutes=ttl) if ttl else None
        self.run()
        return web.json_response({"device": f"circuit-{circuit.id}", "ticks": 1}, status=202)

    async def _set_charger_dynamic(self, request: web.Request) -> web.Response:
        """pyeasee's set_dynamic_charger_current: ``{"amps": n, "minutes": ttl}``."""
        charger = self._charger(request)
        body = await json_body(request, {"title": "Invalid body", "status": 400})
        amps = body.get("amps") if isinstance(body, dict) else None
        minutes = body.get("minutes", 0) if isinstance(body, dict) else 0
        maximum = float(charger.settings["maxChargerCurrent"])
        errors: dict[str, list[str]] = {}
        if isinstance(amps, bool) or not isinstance(amps, int | float) or not 0 <= amps <= maximum:
            errors["amps"] = [f"Must be between 0 and {maximum:g}."]
            amps = 0.0
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
            errors["minutes"] = ["Must be a whole number of minutes, 0 or more."]
        if errors:
            raise _problem(400, "One or more validation errors occurred.", errors=errors)
        if not charger.online:
            raise _problem(400, "Charger is offline", errorCode=612, errorCodeName="ChargerOffline")
        return self._accepted(charger, 1, settings={"dynamicChargerCurrent": float(amps)})

    async def _circuit_settings(self, request: web.Request) -> web.Response:
        """pyeasee's circuit settings: a circuit's maximum and offline currents per phase."""
        circuit = self._circuit(request)
        body = await json_body(request, {"title": "Invalid body", "status": 400})
        if not isinstance(body, dict) or not body:
            raise _problem(
                400,
                "One or more validation errors occurred.",
                errors={"body": ["A non-empty JSON object is required."]},
            )
        errors = {
            key: [f"Must be between 0 and {circuit.rated_current:g}."]
            for key, value in body.items()
            if key not in CIRCUIT_SETTINGS
            or isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value <= circuit.rated_current
        }
        if errors:
            raise _problem(400, "One or more validation errors occurred.", errors=errors)
        circuit.settings.update({key: float(value) for key, value in body.items()})
        self.run()
        return web.Response(status=200)


def _validate_settings(body: Any, charger: SimCharger) -> dict[str, list[str]]:
    """Field errors for a settings body, the way an ASP.NET API reports them."""
    if not isinstance(body, dict) or not body:
        return {"body": ["A non-empty JSON object is required."]}
    errors: dict[str, list[str]] = {}
    for key, value in body.items():
        kind = SETTING_TYPES.get(key)
        if kind is None:
            errors[key] = [f"'{key}' is not a setting."]
        elif kind is bool and not isinstance(value, bool):
            errors[key] = [f"'{key}' must be true or false."]
        elif kind is float and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors[key] = [f"'{key}' must be a number."]
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            errors[key] = [f"'{key}' must be a whole number."]
    if errors:
        return errors
    maximum = float(body.get("maxChargerCurrent", charger.settings["maxChargerCurrent"]))
    if not 0 <= maximum <= MAX_CURRENT_LIMIT:
        errors["maxChargerCurrent"] = [f"Must be between 0 and {MAX_CURRENT_LIMIT:g}."]
    if "dynamicChargerCurrent" in body and not 0 <= body["dynamicChargerCurrent"] <= maximum:
        errors["dynamicChargerCurrent"] = [f"Must be between 0 and {maximum:g}."]
    if "phaseMode" in body and body["phaseMode"] not in PHASE_MODES:
        errors["phaseMode"] = ["Must be 1 (single phase), 2 (auto) or 3 (three phase)."]
    if "ledStripBrightness" in body and not 0 <= body["ledStripBrightness"] <= 100:
        errors["ledStripBrightness"] = ["Must be between 0 and 100."]
    if body.get("authorizationRequired") is True and body.get("localPreAuthorizeEnabled") is True:
        errors["localPreAuthorizeEnabled"] = [
            "Cannot be enabled together with authorizationRequired."
        ]
    return errors
