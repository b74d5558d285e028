"""A fast yes/no check for the small part of JSON Schema that the package schema uses.

jsonschema takes seconds on the engagement.json of a 5,000-finding engagement: it builds a
validator object per keyword and per value. This compiles the schema once into plain Python
predicates that only answer "valid or not". A valid document, the usual case, is accepted at once;
for anything else the caller asks jsonschema, whose verdict and message stay authoritative.

The shortcut may only ever be stricter than jsonschema, never more lenient: a keyword outside the
subset below makes compilation fail (the caller then always uses jsonschema), and where the subset
is simplified (1.0 is not taken as an integer) it rejects, which just means asking jsonschema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

ANNOTATIONS = frozenset({"$schema", "$defs", "$comment", "title", "description", "default", "examples"})
SUPPORTED = frozenset({"type", "$ref", "anyOf", "properties", "required", "additionalProperties", "items",
                       "pattern", "minLength", "maxLength", "minimum", "maximum"})


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


TYPE_TESTS: dict[str, Check] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


class UnsupportedSchema(ValueError):
    """The schema uses something this checker does not implement: use jsonschema alone."""


def _always(_value: Any) -> bool:
    return True


def _type_check(spec: Any) -> Check:
    names = [spec] if isinstance(spec, str) else spec
    if not isinstance(names, list) or not names or any(name not in TYPE_TESTS for name in names):
        raise UnsupportedSchema(f"type {spec!r}")
    tests = [TYPE_TESTS[name] for name in names]
    if len(tests) == 2:
        first, second = tests
        return lambda value: first(value) or second(value)
    return tests[0] if len(tests) == 1 else (lambda value: any(test(value) for test in tests))


def _all_of(tests: list[Check]) -> Check:
    """One predicate for several, without a wrapper where none is needed (this runs per value)."""
    if not tests:
        return _always
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda value: first(value) and second(value)
    return lambda value: all(test(value) for test in tests)


def _only_for(kind: type | tuple[type, ...], test: Check) -> Check:
    """A keyword such as "pattern" says nothing about values of other types."""
    return lambda value: not isinstance(value, kind) or test(value)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: Any) -> Check:
        """A "#/..." reference inside the schema, compiled once (a cycle goes through a late lookup)."""
        if not isinstance(pointer, str) or not pointer.startswith("#/"):
            raise UnsupportedSchema(f"$ref {pointer!r}")
        if pointer not in self.refs:
            self.refs[pointer] = lambda value: self.refs[pointer](value)
            target: Any = self.root
            for part in pointer[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, Mapping) or part not in target:
                    raise UnsupportedSchema(f"$ref {pointer!r} points at nothing")
                target = target[part]
            self.refs[pointer] = self.compile(target, root=False)
        return self.refs[pointer]

    def compile(self, schema: Any, *, root: bool = False) -> Check:
        if schema is True:
            return _always
        if not isinstance(schema, Mapping):
            raise UnsupportedSchema(f"schema {schema!r}")
        unknown = set(schema) - ANNOTATIONS - SUPPORTED - ({"$id"} if root else set())
        if unknown:
            raise UnsupportedSchema(f"keywords {sorted(unknown)}")
        tests = [_type_check(schema["type"])] if "type" in schema else []
        declared = schema.get("type")
        by_type: list[tuple[type | tuple[type, ...], str, Check | None]] = [
            (dict, "object", self._object(schema)), (list, "array", self._array(schema)),
            (str, "string", self._string(schema)), ((int, float), "number", self._number(schema))]
        for kind, name, test in by_type:
            if test is not None:  # after {"type": "object"} the value is known to be a dict: no guard
                tests.append(test if declared == name else _only_for(kind, test))
        if "$ref" in schema:
            tests.append(self.ref(schema["$ref"]))
        if "anyOf" in schema:
            options = [self.compile(option) for option in schema["anyOf"]]
            tests.append(lambda value: any(option(value) for option in options))
        return _all_of(tests)

    def _object(self, schema: Mapping[str, Any]) -> Check | None:
        if not {"properties", "required", "additionalProperties"} & set(schema):
            return None
        properties = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        required = list(schema.get("required", []))
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is False else self.compile(extra)

        def check(value: dict[str, Any]) -> bool:
            for name in required:
                if name not in value:
                    return False
            for name, item in value.items():
                test = properties.get(name, extra_check)
                if test is None or not test(item):
                    return False
            return True

        return check

    def _array(self, schema: Mapping[str, Any]) -> Check | None:
        if "items" not in schema:
            return None
        if isinstance(schema["items"], list):
            raise UnsupportedSchema("items as a list")
        test = self.compile(schema["items"])
        return lambda value: all(test(item) for item in value)

    @staticmethod
    def _string(schema: Mapping[str, Any]) -> Check | None:
        if not {"pattern", "minLength", "maxLength"} & set(schema):
            return None
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        return lambda value: (low <= len(value) and (high is None or len(value) <= high)
                              and (pattern is None or pattern.search(value) is not None))

    @staticmethod
    def _number(schema: Mapping[str, Any]) -> Check | None:
        if not {"minimum", "maximum"} & set(schema):
            return None
        low, high = schema.get("minimum"), schema.get("maximum")
        # a boolean is an int to Python but not a number to JSON Schema: the bounds do not apply
        return lambda value: isinstance(value, bool) or ((low is None or value >= low)
                                                         and (high is None or value <= high))


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """A predicate that is True only for documents the schema accepts; raises UnsupportedSchema."""
    return _Compiler(schema).compile(schema, root=True)
