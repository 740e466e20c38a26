"""The AMPECO contract: the vendor's OpenAPI subset, its known gaps, and Laravel's wording.

The simulator answers every request and checks every response against this contract,
and tests of the integration call :func:`validate_request` / :func:`validate_response`
to prove that the client speaks it too.

The published subset (3.110.0) is used as it is except for the gaps listed in
:data:`DEVIATIONS`; each one is a small, named patch applied when the document is loaded,
so the rest of the document stays the vendor's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
import copy
from functools import cache
import json
from pathlib import Path
import re
from typing import Any
from urllib.parse import parse_qsl

from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

from ..openapi import OpenApi, Operation

SPEC_FILE = Path(__file__).parent.parent / "specs" / "ampeco-public-api-3.110.0-subset.json"

CHARGE_POINT = "/public-api/resources/charge-points/v2.0/{chargePoint}"
PREFERENCES = f"{CHARGE_POINT}/personal-smart-charging-preferences"
MODES = f"{CHARGE_POINT}/available-personal-smart-charging-modes"
SMART_CHARGING = f"{CHARGE_POINT}/smart-charging"
START = "/public-api/actions/charge-point/v1.0/{chargePoint}/start"
START_EVSE = f"{START}/{{evse}}"

DEVIATIONS = (
    "Preference bodies: the 'Disabled' variant ({enabled}) matches every body, so the oneOf "
    "is read as a choice by 'type'; a body without 'type' is the Disabled one and then "
    "needs 'enabled' (a body without 'type' that says enabled: true needs a 'type').",
    "Preference bodies: 'energi_elspot' has no variant; it gets the NordPool shape.",
    "Preference responses: 'targetCharge' and 'trackElectricityCosts' may be [] (PHP's "
    "empty map), as the guide's example response shows.",
    "Available modes: the spec lists no 'solar' or 'energi_elspot' entry; both are added "
    "(solar with name/integrationId/type/defaults, energi_elspot with the NordPool shape).",
    "Smart charging: the oneOf/anyOf of bodies is read as a choice by 'mode'.",
    "Start actions: the spec declares no 406; like stop, they answer 406 {message} when "
    "the charge point refuses (offline, no car, no remote start).",
)


# --- loading and patching --------------------------------------------------------------------


def _tag(variant: Mapping[str, Any], prop: str) -> str | None:
    """The single enum value of ``prop`` that identifies a variant, if it has one."""
    values = variant.get("properties", {}).get(prop, {}).get("enum")
    return values[0] if isinstance(values, list) and len(values) == 1 else None


def discriminated(
    variants: Sequence[dict[str, Any]], prop: str, fallback: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A oneOf rewritten as "pick the variant whose ``prop`` matches, then validate it".

    Errors then name the field inside the chosen variant ("preferences.solarStableTime
    is required") instead of "matches none of seven variants". Without ``fallback`` the
    discriminating property is required; with it, a body lacking ``prop`` must match
    ``fallback``.
    """
    tags = [tag for v in variants if (tag := _tag(v, prop)) is not None]
    branches: list[dict[str, Any]] = [
        {"if": {"required": [prop], "properties": {prop: {"const": tag}}}, "then": variant}
        for variant in variants
        if (tag := _tag(variant, prop)) is not None
    ]
    schema: dict[str, Any] = {"type": "object", "properties": {prop: {"enum": tags}}}
    if fallback is None:
        schema["required"] = [prop]
    else:
        branches.append({"if": {"not": {"required": [prop]}}, "then": fallback})
    schema["allOf"] = branches
    return schema


_DISABLED = {
    "type": "object",
    "required": ["enabled"],
    "properties": {"enabled": {"type": "boolean"}},
    "if": {"required": ["enabled"], "properties": {"enabled": {"const": True}}},
    "then": {"required": ["type"]},
}
_EMPTY_LIST = {"type": "array", "maxItems": 0}


def _preference_union(variants: list[dict[str, Any]], response: bool) -> dict[str, Any]:
    typed = [copy.deepcopy(v) for v in variants if _tag(v, "type") is not None]
    nordpool = next(v for v in typed if _tag(v, "type") == "nordpool")
    elspot = copy.deepcopy(nordpool)
    elspot["title"] = "Energi Elspot (assumed: the NordPool shape)"
    elspot["properties"]["type"]["enum"] = ["energi_elspot"]
    typed.append(elspot)
    if response:
        for variant in typed:
            properties = variant["properties"].get("preferences", {}).get("properties", {})
            for name in ("targetCharge", "trackElectricityCosts"):
                if name in properties:
                    properties[name] = {"anyOf": [properties[name], _EMPTY_LIST]}
    return discriminated(typed, "type", fallback=_DISABLED)


def _json_schema_of(response: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


def _patch(document: dict[str, Any]) -> dict[str, Any]:
    """Apply :data:`DEVIATIONS` to a copy of the vendor's document."""
    doc = copy.deepcopy(document)
    paths = doc["paths"]

    post = paths[PREFERENCES]["post"]
    body = post["requestBody"]["content"]["application/json"]
    body["schema"] = _preference_union(body["schema"]["oneOf"], response=False)
    for method, status in (("get", "200"), ("post", "201")):
        data = _json_schema_of(paths[PREFERENCES][method]["responses"][status])["properties"]
        union = data["data"]
        data["data"] = _preference_union(union.get("oneOf") or union["anyOf"], response=True)

    items = _json_schema_of(paths[MODES]["get"]["responses"]["200"])["properties"]["data"]
    modes = items["items"]["oneOf"]
    nordpool = next(v for v in modes if _tag(v, "type") == "nordpool")
    elspot = copy.deepcopy(nordpool)
    elspot["properties"]["type"]["enum"] = ["energi_elspot"]
    solar = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "integrationId": {"type": "integer", "nullable": True},
            "type": {"type": "string", "enum": ["solar"]},
            "defaults": {"type": "object"},
        },
    }
    items["items"] = discriminated([*modes, solar, elspot], "type")

    smart = paths[SMART_CHARGING]["post"]
    smart_body = smart["requestBody"]["content"]["application/json"]
    smart_body["schema"] = discriminated(smart_body["schema"]["oneOf"], "mode")
    smart_data = _json_schema_of(smart["responses"]["201"])["properties"]
    smart_data["data"] = discriminated(smart_data["data"]["anyOf"], "mode")

    refused = {
        "description": "The charge point refused the action (simulator assumption).",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {"message": {"type": "string"}},
                }
            }
        },
    }
    for path in (START, START_EVSE):
        paths[path]["post"]["responses"]["406"] = copy.deepcopy(refused)
    return doc


@cache
def vendor_document() -> dict[str, Any]:
    """The vendor's OpenAPI document, unchanged."""
    document: dict[str, Any] = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    return document


@cache
def contract() -> AmpecoContract:
    """The patched contract, loaded once per process."""
    return AmpecoContract(OpenApi(_patch(vendor_document())))


# --- Laravel's wording -----------------------------------------------------------------------


def attribute(path: Iterable[Any]) -> str:
    """How Laravel names a field in a message: ``preferences.max current from grid``."""
    return ".".join(re.sub(r"(.)(?=[A-Z])", r"\1_", str(p)).lower() for p in path).replace("_", " ")


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_TYPE_WORDS = {
    "integer": "must be an integer",
    "number": "must be a number",
    "string": "must be a string",
    "boolean": "must be true or false",
    "array": "must be an array",
    "object": "must be an array",
}
_FORMAT_WORDS = {
    "time": "must match the format H:i",
    "date-time": "must be a valid date",
    "datetime": "must be a valid date",
    "date": "must be a valid date",
    "integer": "must be an integer",
}


def _field_message(error: Any, name: str) -> str:
    """Laravel's message for one failed rule of the field called ``name``."""
    rule, value, schema = error.validator, error.validator_value, error.schema
    if rule == "type":
        kinds = [value] if isinstance(value, str) else [k for k in value if k != "null"]
        return f"The {name} field {_TYPE_WORDS.get(kinds[0], 'is invalid')}."
    if rule in ("enum", "const"):
        return f"The selected {name} is invalid."
    if rule in ("minimum", "maximum") and "minimum" in schema and "maximum" in schema:
        low, high = _number(schema["minimum"]), _number(schema["maximum"])
        return f"The {name} field must be between {low} and {high}."
    if rule == "minimum":
        return f"The {name} field must be at least {_number(value)}."
    if rule == "maximum":
        return f"The {name} field must not be greater than {_number(value)}."
    if rule == "minLength":
        return f"The {name} field must be at least {value} characters."
    if rule == "maxLength":
        return f"The {name} field must not be greater than {value} characters."
    if rule == "minItems":
        return f"The {name} field must have at least {value} items."
    if rule == "maxItems":
        return f"The {name} field must not have more than {value} items."
    if rule == "format":
        return f"The {name} field {_FORMAT_WORDS.get(value, 'is invalid')}."
    if rule == "multipleOf":
        return f"The {name} field must be a multiple of {_number(value)}."
    return f"The {name} field is invalid."


def _flatten(error: Any) -> Any:
    """For a failed anyOf/oneOf, the branch error that explains the most."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        error = best_match(error.context)
    return error


def laravel_errors(errors: Iterable[Any]) -> dict[str, list[str]]:
    """``jsonschema`` errors as Laravel's ``errors`` map: dotted field -> messages."""
    result: dict[str, list[str]] = {}

    def add(path: list[Any], message: str) -> None:
        key = ".".join(str(p) for p in path)
        messages = result.setdefault(key, [])
        if message not in messages:
            messages.append(message)

    for raw in errors:
        error = _flatten(raw)
        path = list(error.absolute_path)
        if error.validator == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            for missing in error.validator_value:
                if missing not in present:
                    add([*path, missing], f"The {attribute([*path, missing])} field is required.")
            continue
        add(path, _field_message(error, attribute(path)))
    return result


def _field_order(key: str) -> list[tuple[int, int, str]]:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in key.split(".")]


def laravel_body(errors: Mapping[str, list[str]]) -> dict[str, Any]:
    """The 422 body: the first message, how many more, and every field's messages.

    Fields are listed in a stable order (by their dotted name, indexes numerically), so
    the same body always gets the same message.
    """
    errors = {key: errors[key] for key in sorted(errors, key=_field_order)}
    messages = [message for field in errors.values() for message in field]
    message = messages[0] if messages else "The given data was invalid."
    more = len(messages) - 1
    if more > 0:
        message += f" (and {more} more error{'s' if more > 1 else ''})"
    return {"message": message, "errors": dict(errors)}


# --- the contract as tests and the simulator use it -----------------------------------------


class SpecViolation(AssertionError):
    """A request or response that the AMPECO contract does not allow."""


class AmpecoContract:
    """The patched AMPECO document with Laravel-worded request checks."""

    def __init__(self, api: OpenApi) -> None:
        self.api = api

    def operation(self, method: str, path: str) -> Operation:
        """The operation for a concrete path; a :class:`SpecViolation` when there is none."""
        op = self.api.operation(method, path)
        if op is None:
            raise SpecViolation(f"{method} {path} is not an operation of the AMPECO contract")
        return op

    def body_errors(self, method: str, path: str, body: Any) -> dict[str, list[str]]:
        """Laravel field errors of a request body (an empty map when it is valid)."""
        op = self.operation(method, path)
        return laravel_errors(self.api.request_errors(op, body))

    def query_errors(
        self, method: str, path: str, query: Iterable[tuple[str, str]]
    ) -> dict[str, list[str]]:
        """Laravel field errors of a query string (an empty map when it is valid)."""
        op = self.operation(method, path)
        return laravel_errors(self.api.query_errors(op, list(query)))

    def response_problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Why a response does not match the contract (empty when it does)."""
        return self.api.response_problems(self.operation(method, path), status, body)


def _query_items(
    query: Mapping[str, str] | Iterable[tuple[str, str]] | None,
) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, Mapping):
        return [(str(k), str(v)) for k, v in query.items()]
    return [(str(k), str(v)) for k, v in query]


def request_problems(
    method: str,
    path: str,
    body: Any = None,
    query: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
) -> dict[str, list[str]]:
    """Field errors of a request as the strict contract sees it (no guide-form leniency)."""
    spec = contract()
    op = spec.operation(method, path)
    problems = spec.query_errors(method, path, _query_items(query))
    if body is None:
        if op.request_schema() is not None and op.body_required():
            problems.setdefault("(body)", []).append("The request body is required.")
        return problems
    for key, messages in spec.body_errors(method, path, body).items():
        problems.setdefault(key, []).extend(messages)
    return problems


def validate_request(
    method: str,
    path: str,
    body: Any = None,
    query: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
) -> None:
    """Raise :class:`SpecViolation` unless the request is exactly what the contract allows.

    ``path`` is a concrete path with any prefix (``/ampeco/public-api/...`` or a full
    URL); a query string in it is checked too when ``query`` is not given.
    """
    if query is None and "?" in path:
        path, _, text = path.partition("?")
        query = parse_qsl(text, keep_blank_values=True)
    problems = request_problems(method, path, body, query)
    if problems:
        raise SpecViolation(f"{method} {path}: {json.dumps(problems)}")


def validate_response(method: str, path: str, status: int, body: Any) -> None:
    """Raise :class:`SpecViolation` unless the response matches the contract."""
    problems = contract().response_problems(method, path, status, body)
    if problems:
        raise SpecViolation(f"{method} {path} -> {status}: " + "; ".join(problems))


def validate_logged_requests(entries: Iterable[Any], prefix: str = "/ampeco") -> int:
    """Validate every request to ``prefix`` in a request log; return how many were checked.

    ``entries`` are :class:`simulator.requestlog.LoggedRequest` items (``sim.log.entries``),
    so an integration test can assert that every request its client sent was valid.
    """
    checked = 0
    for entry in entries:
        if not entry.path.startswith(f"{prefix}/public-api/"):
            continue
        validate_request(entry.method, entry.path, entry.body, entry.query)
        checked += 1
    return checked


def variants(template: str, prop: str) -> dict[str, dict[str, Any]]:
    """The OpenAPI schema of each request-body variant of ``template``, by ``prop``."""
    body = contract().api.document["paths"][template]["post"]["requestBody"]
    branches = body["content"]["application/json"]["schema"]["allOf"]
    found: dict[str, dict[str, Any]] = {}
    for branch in branches:
        tag = branch["if"].get("properties", {}).get(prop, {}).get("const")
        if tag is not None:
            found[tag] = branch["then"]
    return found


def preference_variants() -> dict[str, dict[str, Any]]:
    """The schema of each preference ``type`` (energi_elspot included), by type."""
    return variants(PREFERENCES, "type")


def smart_charging_variants() -> dict[str, dict[str, Any]]:
    """The schema of each smart charging ``mode``, by mode."""
    return variants(SMART_CHARGING, "mode")
