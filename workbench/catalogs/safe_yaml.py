"""YAML for files from the field, loaded safely: plain data only, no aliases, no custom tags.

`yaml.safe_load` already refuses Python object tags, but it still expands aliases: a few lines of
nested `*anchor` references (a "billion laughs" file) become a structure too large to walk. So the
document is first composed into YAML nodes (libyaml when available), every node is checked — a node
reached twice is an alias, a tag outside YAML's core schema is a custom tag — and only then built
with the safe constructor. Timestamps stay text, since the frameworks keep them as written.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from workbench.domain.errors import ValidationError

# Tags of YAML's core schema that plain data may carry (explicitly or by resolution).
ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq"))
MAX_NODES = 5_000_000  # far above any published catalog; stops a pathological file early
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _PlainResolver(Resolver):
    """YAML 1.1 resolution without timestamps: `2024-05-01` stays the text it is.

    Catalogs repeat the same short keys and values thousands of times; their resolution is cached.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not ScalarNode or len(value) > 40:
            return super().resolve(kind, value, implicit)
        cache: dict[tuple[str, bool, bool], str] = self.__dict__.setdefault("_tags", {})
        key = (value, *implicit)
        tag = cache.get(key)
        if tag is None:
            tag = cache[key] = super().resolve(kind, value, implicit)
        return tag


_PlainResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

try:  # libyaml composes ~10x faster; the pure-Python parser is the fallback
    from yaml.cyaml import CParser as _Parser

    class _Loader(_Parser, yaml.constructor.SafeConstructor, _PlainResolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _PlainResolver.__init__(self)

except ImportError:  # pragma: no cover - libyaml is in the PyYAML wheels we ship

    class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                  yaml.composer.Composer, yaml.constructor.SafeConstructor, _PlainResolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            _PlainResolver.__init__(self)


def _check(root: Node, where: str) -> None:
    """Refuse aliases (a node met twice) and tags outside the core schema, without recursion."""
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise ValidationError(f"{where}: YAML aliases (*name) are not accepted; write the values out in full")
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise ValidationError(f"{where}: the YAML document has more than {MAX_NODES:,} values")
        if node.tag not in ALLOWED_TAGS:
            raise ValidationError(f"{where}: YAML tag '{node.tag}' is not accepted; only plain data is read")
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)


_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))


def _build(root: Node, loader: Any) -> Any:
    """Plain Python data from checked nodes: strings, maps and lists directly, other scalars by PyYAML's rules.

    Faster than the generic constructor for the hundred thousand nodes of a large catalog.
    """
    def scalar(node: Node) -> Any:
        return node.value if node.tag == _STR else loader.construct_object(node)

    result_of: dict[int, Any] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, filled = stack.pop()
        if isinstance(node, ScalarNode):
            result_of[id(node)] = scalar(node)
        elif not filled:
            stack.append((node, True))
            children = [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value
            stack.extend((child, False) for child in children)
        elif isinstance(node, MappingNode):
            mapping: dict[Any, Any] = {}
            for key, value in node.value:
                built = result_of[id(key)]
                if not isinstance(built, str | int | float | bool | None):
                    raise ValidationError("YAML: a mapping key must be plain text or a number")
                mapping[built] = result_of[id(value)]
            result_of[id(node)] = mapping
        else:
            result_of[id(node)] = [result_of[id(child)] for child in node.value]
    return result_of[id(root)]


def load_yaml(text: str, where: str = "YAML") -> Any:
    """Parse one YAML document into plain dicts, lists and scalars; the error names the problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node, where)
        return _build(node, loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValidationError(f"{where}: not valid YAML{line} ({exc.problem})") from None
    except yaml.YAMLError as exc:
        raise ValidationError(f"{where}: not valid YAML ({exc})") from None
    finally:
        loader.dispose()
