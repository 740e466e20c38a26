"""OpenAPI 3.0 validation of request and response bodies, built on ``jsonschema``.

OpenAPI 3.0 schemas are *almost* JSON Schema; the differences that matter here are
translated once, when a schema is first used:

- ``nullable: true`` becomes ``null`` among the allowed types (and enum values);
- ``readOnly`` properties are not required in requests and ``writeOnly`` ones not in
  responses (the OpenAPI rule for ``required``);
- keywords JSON Schema does not know (``deprecated``, ``example``, ...) are dropped;
- ``format: time`` means a wall-clock time (``HH:MM`` or ``HH:MM:SS``), not RFC 3339's
  ``full-time`` with an offset, which is what ``jsonschema`` would check otherwise;
- ``multipleOf`` with a decimal step (``0.1``) is checked in decimal arithmetic, because
  ``12.3 / 0.1`` is not an integer in binary floating point.

Nothing here knows about a particular vendor: vendor quirks live with the vendor's
simulator (see :mod:`simulator.ampeco.contract`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
import re
from typing import Any, Literal

from jsonschema import (  # type: ignore[import-untyped]
    Draft7Validator,
    FormatChecker,
    ValidationError,
    validators,
)

Direction = Literal["request", "response"]

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
# OpenAPI keywords that are not JSON Schema, or that only document.
_DROPPED = {
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "description",
    "title",
}
# Keywords whose value is one schema, a list of schemas or a map of schemas.
_ONE = ("items", "not", "if", "then", "else", "additionalProperties")
_MANY = ("allOf", "anyOf", "oneOf")
_MAP = ("properties", "patternProperties")

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")


def _check_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_TIME.match(value))


def _check_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _check_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_integer_string(value: object) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"-?\d+", value))


def format_checker() -> Any:
    """The formats an OpenAPI 3.0 document uses, with their OpenAPI meaning."""
    checker = FormatChecker(formats=())
    checker.checks("time")(_check_time)
    checker.checks("date-time")(_check_date_time)
    checker.checks("datetime")(_check_date_time)
    checker.checks("date")(_check_date)
    checker.checks("integer")(_check_integer_string)
    return checker


def _multiple_of(validator: Any, step: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """``multipleOf`` in decimal arithmetic, so 12.3 is a multiple of 0.1."""
    if not validator.is_type(instance, "number"):
        return
    try:
        remainder = Decimal(str(instance)) % Decimal(str(step))
    except InvalidOperation:
        return
    if remainder != 0:
        yield ValidationError(f"{instance!r} is not a multiple of {step}")


OpenApiValidator: Any = validators.extend(Draft7Validator, {"multipleOf": _multiple_of})


def to_json_schema(schema: Any, direction: Direction) -> Any:
    """Translate one OpenAPI 3.0 schema into JSON Schema (draft 7) for ``direction``."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DROPPED:
            continue
        if key in _ONE:
            out[key] = to_json_schema(value, direction)
        elif key in _MANY:
            out[key] = [to_json_schema(item, direction) for item in value]
        elif key in _MAP:
            out[key] = {name: to_json_schema(item, direction) for name, item in value.items()}
        else:
            out[key] = value
    _drop_hidden_required(schema, out, direction)
    if schema.get("nullable") is True:
        out = _nullable(out)
    return out


def _drop_hidden_required(
    schema: dict[str, Any], out: dict[str, Any], direction: Direction
) -> None:
    """Read-only properties are not required in requests, write-only ones not in responses."""
    hidden = "readOnly" if direction == "request" else "writeOnly"
    properties = schema.get("properties", {})
    if "required" in out:
        out["required"] = [
            name for name in out["required"] if not properties.get(name, {}).get(hidden, False)
        ]
        if not out["required"]:
            del out["required"]


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
        return out
    if isinstance(kind, list):
        out["type"] = [*kind, "null"] if "null" not in kind else kind
        return out
    return {"anyOf": [{"type": "null"}, out]}


@dataclass(frozen=True)
class Operation:
    """One method on one path of the document."""

    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]
    parameters: tuple[dict[str, Any], ...]

    def request_schema(self) -> Any | None:
        """The OpenAPI schema of the JSON request body, if the operation takes one."""
        content = self.spec.get("requestBody", {}).get("content", {})
        return content.get("application/json", {}).get("schema")

    def body_required(self) -> bool:
        """Whether the request body must be present."""
        return bool(self.spec.get("requestBody", {}).get("required", False))

    def response(self, status: int) -> dict[str, Any] | None:
        """The response object for ``status`` (or ``default``), None when undeclared."""
        responses = self.spec.get("responses", {})
        found = responses.get(str(status), responses.get("default"))
        return found if isinstance(found, dict) else None

    def query_parameters(self) -> list[dict[str, Any]]:
        """The declared query parameters."""
        return [p for p in self.parameters if p.get("in") == "query"]


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"{regex}$")


@dataclass
class OpenApi:
    """An OpenAPI 3.0 document that answers "is this body valid for that operation?"."""

    document: dict[str, Any]
    operations: list[Operation] = field(init=False)
    _validators: dict[tuple[str, str, str], Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.operations = []
        for template, item in self.document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                spec = item[method]
                own = spec.get("parameters", [])
                names = {(p.get("in"), p.get("name")) for p in own}
                merged = [p for p in shared if (p.get("in"), p.get("name")) not in names] + own
                self.operations.append(
                    Operation(
                        method.upper(), template, _template_pattern(template), spec, tuple(merged)
                    )
                )
        # Literal paths first: a concrete path then finds its most specific template.
        self.operations.sort(key=lambda op: op.template.count("{"))

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation serving ``method`` on a concrete ``path`` (any prefix allowed)."""
        path = path.split("?", 1)[0].rstrip("/")
        for op in self.operations:
            if op.method == method.upper() and op.pattern.search(path):
                return op
        return None

    def validator(self, schema: Any, direction: Direction, key: tuple[str, str, str]) -> Any:
        """A compiled, cached validator for an OpenAPI schema."""
        if key not in self._validators:
            self._validators[key] = OpenApiValidator(
                to_json_schema(schema, direction), format_checker=format_checker()
            )
        return self._validators[key]

    def request_errors(self, op: Operation, body: Any) -> list[Any]:
        """``jsonschema`` errors of a request body, in document order of their paths."""
        schema = op.request_schema()
        if schema is None:
            return []
        validator = self.validator(schema, "request", (op.method, op.template, "request"))
        return sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])

    def response_problems(self, op: Operation, status: int, body: Any) -> list[str]:
        """Why a response body does not match the document (empty when it does)."""
        response = op.response(status)
        if response is None:
            return [f"{op.method} {op.template} declares no {status} response"]
        content = response.get("content", {})
        if not content:
            # The document says nothing about this body; nothing to hold it to.
            return []
        schema = content.get("application/json", {}).get("schema")
        if schema is None:
            return []
        validator = self.validator(schema, "response", (op.method, op.template, str(status)))
        return [
            f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}"
            for error in validator.iter_errors(body)
        ]

    def query_errors(self, op: Operation, items: list[tuple[str, str]]) -> list[Any]:
        """``jsonschema`` errors of a query string, after the coercion a server applies."""
        parameters = op.query_parameters()
        if not parameters:
            return []
        values = parse_query(items)
        schema: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for parameter in parameters:
            name = parameter["name"]
            schema["properties"][name] = parameter.get("schema", {})
            if parameter.get("required"):
                schema["required"].append(name)
            if name in values:
                values[name] = coerce(values[name], parameter.get("schema", {}))
        validator = self.validator(schema, "request", (op.method, op.template, "query"))
        return sorted(
            validator.iter_errors(values), key=lambda e: [str(p) for p in e.absolute_path]
        )


def parse_query(items: list[tuple[str, str]]) -> dict[str, Any]:
    """Group ``a[b]=1`` (deepObject), ``a[]=1``/``a[0]=1`` (lists) and ``a=1,2`` by name."""
    values: dict[str, Any] = {}
    for key, value in items:
        name, _, rest = key.partition("[")
        inner = rest[:-1] if rest.endswith("]") else rest
        if not rest:
            values[name] = value
        elif inner == "" or inner.isdigit():
            current = values.get(name)
            values[name] = [*current, value] if isinstance(current, list) else [value]
        else:
            current = values.get(name)
            target = current if isinstance(current, dict) else {}
            target[inner] = value
            values[name] = target
    return values


def coerce(value: Any, schema: dict[str, Any]) -> Any:
    """Turn query-string text into the JSON type ``schema`` asks for, where it parses."""
    kind = schema.get("type")
    if isinstance(value, str):
        if kind == "array":
            return [coerce(part, schema.get("items", {})) for part in value.split(",") if part]
        if kind == "integer" and re.fullmatch(r"-?\d+", value):
            return int(value)
        if kind == "number":
            try:
                return float(value)
            except ValueError:
                return value
        if kind == "boolean" and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        return value
    if isinstance(value, list):
        return [coerce(item, schema.get("items", {})) for item in value]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {key: coerce(item, properties.get(key, {})) for key, item in value.items()}
    return value
