"""YAML for files from the field, loaded safely: plain data only, no aliases, no custom tags.

`yaml.safe_load` already refuses Python object tags, but it still expands aliases: a few lines of
nested `*anchor` references (a "billion laughs" file) become a structure too large to walk. So the
document is read as a stream of parser events (libyaml when available) and built into dicts, lists
and scalars in one pass: the first alias event, or a tag outside YAML's core schema, stops the read
before anything is expanded. No YAML node graph is composed: for a 3 MB catalog that graph is
hundreds of thousands of objects, and building it (plus the cyclic garbage collector scanning it
again and again) cost several times what parsing does. Timestamps stay text, since the frameworks
keep them as written.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from workbench.collector import paused
from workbench.domain.errors import ValidationError

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = f"{_CORE}str", f"{_CORE}map", f"{_CORE}seq"
SCALAR_TAGS = frozenset(f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null"))
# Tags of YAML's core schema that plain data may carry (explicitly or by resolution).
ALLOWED_TAGS = SCALAR_TAGS | {_MAP, _SEQ}
MAX_NODES = 5_000_000  # far above any published catalog; stops a pathological file early
MAX_DEPTH = 100  # OSCAL nests about 16 levels; deeper data would overflow the converters' recursion
_TIMESTAMP = f"{_CORE}timestamp"
_CACHED_LENGTH = 40  # short plain scalars ("true", "1.", "label") repeat thousands of times in a catalog


class _PlainResolver(Resolver):
    """YAML 1.1 resolution without timestamps: `2024-05-01` stays the text it is."""


_PlainResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

# Plain scalars starting with any other character resolve to strings (Resolver.resolve looks them up so).
_RESOLVED_FIRST = frozenset(first for first in _PlainResolver.yaml_implicit_resolvers if first)

try:  # libyaml parses ~10x faster; the pure-Python parser is the fallback
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - libyaml is in the PyYAML wheels we ship

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class _Scalars:
    """Tag resolution and construction of scalars, with the answers for short repeated values cached."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.resolver: Resolver = _PlainResolver()
        self.constructor = SafeConstructor()
        self.tags: dict[str, str] = {}
        self.values: dict[tuple[str, str], Any] = {}

    def value(self, event: ScalarEvent) -> Any:
        tag, text = event.tag, event.value
        if tag is None or tag == "!":
            if not event.implicit[0] or (text and text[0] not in _RESOLVED_FIRST):  # quoted, or prose
                return text
            tag = self.tags.get(text)
            if tag is None:
                tag = self.resolver.resolve(ScalarNode, text, event.implicit)
                if len(text) <= _CACHED_LENGTH:
                    self.tags[text] = tag
        if tag == _STR:
            return text
        if tag not in SCALAR_TAGS:
            raise ValidationError(f"{self.where}: YAML tag '{tag}' is not accepted; only plain data is read")
        key = (tag, text)
        if key not in self.values:
            try:
                self.values[key] = self.constructor.yaml_constructors[tag](self.constructor, ScalarNode(tag, text))
            except (ValueError, KeyError):  # `!!int abc`, `!!bool maybe`
                raise ValidationError(f"{self.where}: '{text[:40]}' is not a valid {tag[len(_CORE):]}") from None
        return self.values[key]


def _build(parser: Any, where: str) -> Any:
    """The document's value, built from its events without recursion; the parser stands on its first event."""
    scalars = _Scalars(where)
    # Open collections, innermost last: [list] or [dict, key, has_key].
    stack: list[list[Any]] = []
    count = 0
    while True:
        event = parser.get_event()
        count += 1
        if count > MAX_NODES:
            raise ValidationError(f"{where}: the YAML document has more than {MAX_NODES:,} values")
        kind = type(event)
        if kind is ScalarEvent:
            value = scalars.value(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            is_map = kind is MappingStartEvent
            if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                raise ValidationError(f"{where}: YAML tag '{event.tag}' is not accepted; only plain data is read")
            if len(stack) >= MAX_DEPTH:
                raise ValidationError(f"{where}: the YAML document nests deeper than {MAX_DEPTH} levels")
            stack.append([{}, None, False] if is_map else [[]])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is AliasEvent:
            raise ValidationError(f"{where}: YAML aliases (*name) are not accepted; write the values out in full")
        else:  # pragma: no cover - the parser only yields the events above inside a document
            raise ValidationError(f"{where}: unexpected YAML structure ({kind.__name__})")
        if not stack:
            return value
        top = stack[-1]
        if len(top) == 1:
            top[0].append(value)
        elif top[2]:
            top[0][top[1]] = value
            top[2] = False
        elif isinstance(value, dict | list):
            raise ValidationError(f"{where}: a YAML mapping key must be plain text or a number")
        else:
            top[1], top[2] = value, True


def load_yaml(text: str, where: str = "YAML") -> Any:
    """Parse one YAML document into plain dicts, lists and scalars; the error names the problem."""
    parser = _Parser(text)
    try:
        with paused():  # plain data from a parse holds no reference cycles: nothing for the collector
            parser.get_event()  # stream start
            if parser.check_event(StreamEndEvent):
                return None
            parser.get_event()  # document start
            data = _build(parser, where)
            parser.get_event()  # document end
            if not parser.check_event(StreamEndEvent):
                raise ValidationError(f"{where}: holds more than one YAML document (---); a catalog is one document")
            return data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValidationError(f"{where}: not valid YAML{line} ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{where}: not valid YAML ({exc})") from None
    finally:
        parser.dispose()
