"""OSCAL catalogs (JSON or YAML, resolved-profile catalogs too) → a workbench framework.

Mapping (docs/frameworks.md): each top-level group is a dimension; each control is a checklist
item (id = control id, text = label, title and the statement with its parameters written out as
"[Assignment: …]" / "[Selection: …]" or their set values); enhancements follow their control as
items tagged "enhancement"; withdrawn controls are left out. The catalog's metadata is kept.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.catalogs.common import Conversion, IdMaker, build_document, slug, text_of
from workbench.domain.errors import ValidationError
from workbench.domain.wording import plural

_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\(#[^)]*\)")
METADATA_KEYS = ("title", "version", "last-modified", "oscal-version", "published")


def is_catalog(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("catalog"), dict)


def is_profile(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("profile"), dict)


def _props(node: dict[str, Any]) -> dict[str, str]:
    return {text_of(p.get("name")): text_of(p.get("value")) for p in node.get("props") or [] if isinstance(p, dict)}


def _list(node: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = node.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError(f"{where}: '{key}' must be a list of objects")
    return value


class _Params:
    """Every parameter of the catalog, so prose can show them readably wherever they are inserted."""

    def __init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}

    def add(self, node: dict[str, Any]) -> None:
        for param in node.get("params") or []:
            if isinstance(param, dict) and param.get("id"):
                self.by_id[text_of(param["id"])] = param

    def render(self, text: str, depth: int = 0) -> str:
        return _LOCAL_LINK.sub(r"\1", _INSERT.sub(lambda m: self._one(m.group(1), depth), text))

    def _one(self, param_id: str, depth: int) -> str:
        param = self.by_id.get(param_id)
        if param is None or depth > 4:  # unknown, or a choice that inserts itself
            return f"[Assignment: {param_id}]"
        values = [text_of(v) for v in param.get("values") or [] if text_of(v)]
        if values:
            return ", ".join(self.render(v, depth + 1) for v in values)
        select = param.get("select")
        if isinstance(select, dict):
            choices = [self.render(text_of(c), depth + 1) for c in select.get("choice") or []]
            how = " (one or more)" if text_of(select.get("how-many")) == "one-or-more" else ""
            return f"[Selection{how}: {'; '.join(choices)}]"
        return f"[Assignment: {text_of(param.get('label')) or param_id}]"


def _prose(part: dict[str, Any], params: _Params, depth: int = 0) -> list[str]:
    """A part and its sub-parts as indented lines, each prefixed by its label ("a.", "1.")."""
    label = _props(part).get("label", "")
    prose = params.render(text_of(part.get("prose")))
    lines = [f"{'  ' * depth}{label} {prose}".rstrip() if label else f"{'  ' * depth}{prose}"] if prose or label else []
    for sub in part.get("parts") or []:
        if isinstance(sub, dict):
            lines.extend(_prose(sub, params, depth + (1 if prose or label else 0)))
    return [line for line in lines if line.strip()]


def _parts_named(node: dict[str, Any], *names: str) -> list[dict[str, Any]]:
    return [p for p in node.get("parts") or [] if isinstance(p, dict) and text_of(p.get("name")) in names]


class _Converter:
    def __init__(self, catalog: dict[str, Any], title: str) -> None:
        self.where = f"OSCAL catalog '{title}'"
        self.ids = IdMaker(self.where)
        self.params = _Params()
        self.withdrawn = 0
        self._collect_params(catalog)

    def _collect_params(self, node: dict[str, Any]) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            self.params.add(current)
            stack.extend(c for key in ("groups", "controls") for c in current.get(key) or [] if isinstance(c, dict))

    def dimension(self, group: dict[str, Any], position: int) -> dict[str, Any]:
        title = text_of(group.get("title")) or f"Group {position}"
        raw_id = text_of(group.get("id")) or _props(group).get("label", "") or slug(title, 24)
        dim_id = self.ids.exact(raw_id, f"group '{title}'")
        items: list[dict[str, Any]] = []
        self._group_items(group, [], items)
        description = " ".join(line.strip() for part in _parts_named(group, "overview", "objective", "introduction")
                               for line in _prose(part, self.params))
        return {"id": dim_id, "name": title, "description": description, "items": items, "source_id": raw_id}

    def _group_items(self, group: dict[str, Any], path: list[str], items: list[dict[str, Any]]) -> None:
        where = f"{self.where} group '{text_of(group.get('title'))}'"
        for control in _list(group, "controls", where):
            self._control(control, path, None, items)
        for sub in _list(group, "groups", where):
            self._group_items(sub, [*path, text_of(sub.get("title")) or text_of(sub.get("id"))], items)

    def _control(self, control: dict[str, Any], path: list[str], parent: str | None,
                 items: list[dict[str, Any]]) -> None:
        raw_id = text_of(control.get("id"))
        if not raw_id:
            raise ValidationError(f"{self.where}: control '{text_of(control.get('title'))}' has no id")
        item_id = self.ids.exact(raw_id, f"control '{raw_id}'")
        props = _props(control)
        label = props.get("label") or raw_id
        if props.get("status", "").lower() == "withdrawn":
            self.withdrawn += 1
        else:
            title = text_of(control.get("title"))
            statement = [line for part in _parts_named(control, "statement") for line in _prose(part, self.params)]
            guidance_parts = [" ".join(_prose(part, self.params)) for part in _parts_named(control, "guidance")]
            context = [f"Section: {' › '.join(path)}."] if path else []
            if parent:
                context.append(f"Enhancement of {parent}.")
            items.append({
                "id": item_id, "source_id": raw_id,
                "text": "\n".join([f"{label} {title}".strip(), *statement]),
                "guidance": "\n".join([" ".join(context), *guidance_parts]).strip(),
                "tags": ["enhancement" if parent else "control"],
            })
        for enhancement in _list(control, "controls", f"{self.where} control '{raw_id}'"):
            self._control(enhancement, path, label, items)


def convert_catalog(data: dict[str, Any]) -> Conversion:
    """Convert a parsed OSCAL catalog document; the error names the first problem found."""
    catalog = data["catalog"]
    metadata = catalog.get("metadata") if isinstance(catalog.get("metadata"), dict) else {}
    title = text_of(metadata.get("title"))
    if not title:
        raise ValidationError("OSCAL catalog: its metadata has no title")
    converter = _Converter(catalog, title)
    props = _props(metadata)
    resolved = "resolution-timestamp" in props or "resolution-tool" in props or any(
        isinstance(link, dict) and text_of(link.get("rel")) == "source-profile" for link in metadata.get("links") or [])
    groups = _list(catalog, "groups", converter.where)
    loose = _list(catalog, "controls", converter.where)
    # Resolving a profile without a merge directive yields a flat list of controls (NIST's own
    # examples/profile basic-resolved-profile_catalog does), so only a resolved catalog may lack groups.
    if not groups and not (resolved and loose):
        raise ValidationError(f"{converter.where}: it has no groups; each top-level group becomes a dimension")
    dimensions = [converter.dimension(group, n) for n, group in enumerate(groups, start=1)]
    warnings: list[str] = []
    if loose:
        name = "Other controls" if groups else "Controls"
        other: dict[str, Any] = {
                 "id": converter.ids.unique("other" if groups else "controls", "other"), "name": name, "items": [],
                 "description": "Controls the catalog lists outside any group." if groups
                 else "The controls the resolved profile selected; the catalog lists them without groups."}
        for control in loose:
            converter._control(control, [], None, other["items"])
        dimensions.append(other)
        warnings.append(f"{plural(len(loose), 'control outside any group was', 'controls outside any group were')} "
                        f"put in the dimension '{name}'")
    for dimension in dimensions:
        if not dimension["items"]:
            warnings.append(f"group '{dimension['name']}' has no controls to assess")
    if converter.withdrawn:
        warnings.append(f"{plural(converter.withdrawn, 'withdrawn control was', 'withdrawn controls were')} left out")
    kept = {key: text_of(metadata.get(key)) for key in METADATA_KEYS if text_of(metadata.get(key))}
    source_format = "oscal-resolved-profile" if resolved else "oscal-catalog"
    version = kept.get("version", "1")
    item_count = sum(len(d["items"]) for d in dimensions)
    kind = "resolved-profile catalog" if resolved else "catalog"
    document = build_document(
        framework_id=slug(title), version=version, name=title,
        description=(f"Imported from the OSCAL {kind} '{title}' (version {version}"
                     f"{', last modified ' + kept['last-modified'] if 'last-modified' in kept else ''}): "
                     f"{plural(len(dimensions), 'group')} as dimensions, "
                     f"{plural(item_count, 'control or enhancement', 'controls and enhancements')} as items."),
        source=f"OSCAL {kind} '{title}' {version} (OSCAL {kept.get('oscal-version', 'version not stated')})",
        dimensions=dimensions)
    return Conversion(document, source_format, kept, warnings)
