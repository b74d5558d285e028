"""CISO Assistant framework libraries (YAML) → a workbench framework.

Mapping (docs/frameworks.md): depth-1 requirement nodes are dimensions; assessable nodes are checklist
items (id from ref_id, text from name and description, the section path in the guidance, implementation
groups as tags); a library score scale (min_score, max_score, scores_definition) supplies the level
names and descriptors.
"""

from __future__ import annotations

from typing import Any

from workbench.catalogs.common import DEFAULT_LEVELS, Conversion, IdMaker, build_document, slug, text_of
from workbench.domain.errors import ValidationError
from workbench.domain.wording import plural

LIBRARY_KEYS = ("urn", "ref_id", "name", "version", "provider", "packager", "copyright", "locale",
                "publication_date")


def is_library(data: Any) -> bool:
    objects = data.get("objects") if isinstance(data, dict) else None
    return isinstance(objects, dict) and ("framework" in objects or "frameworks" in objects) and "urn" in data


def _framework(data: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    objects = data["objects"]
    framework = objects.get("framework")
    if framework is None and isinstance(objects.get("frameworks"), list) and objects["frameworks"]:
        framework = objects["frameworks"][0]
        if len(objects["frameworks"]) > 1:
            warnings.append(f"the library holds {len(objects['frameworks'])} frameworks; only the first was read")
    if not isinstance(framework, dict):
        raise ValidationError("CISO Assistant library: 'objects.framework' must be an object")
    return framework


def _scale_levels(framework: dict[str, Any], warnings: list[str]) -> list[tuple[str, str]] | None:
    """The library's score scale as the five level names and descriptors, when it defines one."""
    definition = framework.get("scores_definition")
    if isinstance(definition, dict):  # newer libraries: {"scale": [...], "aggregation": ...}
        definition = definition.get("scale")
    if not isinstance(definition, list) or not definition:
        return None
    steps = sorted((s for s in definition if isinstance(s, dict) and text_of(s.get("name"))),
                   key=lambda s: float(s.get("score", 0) or 0))
    if not steps:
        return None
    low, high = text_of(framework.get("min_score", steps[0].get("score"))), text_of(
        framework.get("max_score", steps[-1].get("score")))
    if len(steps) == 5:
        return [(text_of(s["name"]), text_of(s.get("description")) or text_of(s["name"])) for s in steps]
    warnings.append(f"the library's score scale has {len(steps)} steps ({low} to {high}); "
                    "they were spread over the workbench's 5 levels")
    levels = []
    for n in range(5):
        step = steps[round(n * (len(steps) - 1) / 4)]
        described = text_of(step.get("description"))
        levels.append((DEFAULT_LEVELS[n][0], f"Library score {text_of(step.get('score'))} · {text_of(step['name'])}"
                                             + (f": {described}" if described else "")))
    return levels


def _node_title(node: dict[str, Any]) -> str:
    return text_of(node.get("name")) or text_of(node.get("ref_id")) or text_of(node.get("description"))[:80]


def convert_library(data: dict[str, Any]) -> Conversion:
    """Convert a parsed CISO Assistant library; the error names the first problem found."""
    warnings: list[str] = []
    framework = _framework(data, warnings)
    name = text_of(framework.get("name")) or text_of(data.get("name"))
    where = f"CISO Assistant library '{name or text_of(data.get('urn'))}'"
    nodes = framework.get("requirement_nodes")
    if not isinstance(nodes, list) or not nodes:
        raise ValidationError(f"{where}: it has no requirement nodes")
    by_urn = _nodes_by_urn(nodes, where)
    ids = IdMaker(where)
    dimensions = _dimensions(nodes, ids, where)
    renamed = 0
    for node in nodes:
        if node.get("assessable") is not True:
            continue
        path = _chain(node, by_urn, where)
        item, was_renamed = _item(node, path, ids)
        renamed += was_renamed
        dimensions[path[0]["urn"]]["items"].append(item)
    if renamed:
        warnings.append(f"{plural(renamed, 'item shares', 'items share')} a ref_id with another; a suffix keeps "
                        "their ids apart")
    empty = [d["name"] for d in dimensions.values() if not d["items"]]
    if empty:
        warnings.append(f"{len(empty)} top-level sections have no assessable requirements: {', '.join(empty[:5])}"
                        + (" …" if len(empty) > 5 else ""))
    metadata = {key: text_of(data.get(key)) for key in LIBRARY_KEYS if text_of(data.get(key))}
    definitions = framework.get("implementation_groups_definition") or []
    groups = {text_of(g.get("ref_id")): text_of(g.get("name")) for g in definitions
              if isinstance(g, dict) and text_of(g.get("ref_id"))}
    version = metadata.get("version", "1")
    document = build_document(
        framework_id=slug(text_of(framework.get("ref_id")) or text_of(data.get("ref_id")) or name),
        version=version, name=name or metadata.get("ref_id", "CISO Assistant framework"),
        description=text_of(framework.get("description")) or text_of(data.get("description")),
        source=f"CISO Assistant library {metadata.get('urn', '')} version {version}"
               + (f" by {metadata['provider']}" if "provider" in metadata else ""),
        dimensions=list(dimensions.values()), levels=_scale_levels(framework, warnings),
        extra={"tag_names": groups} if groups else None)
    return Conversion(document, "ciso-assistant", metadata, warnings)


def _nodes_by_urn(nodes: list[Any], where: str) -> dict[str, dict[str, Any]]:
    """Every requirement node by its urn: each has one, and no two share it."""
    by_urn: dict[str, dict[str, Any]] = {}
    for node in nodes:
        urn = text_of(node.get("urn")) if isinstance(node, dict) else ""
        if not urn:
            raise ValidationError(f"{where}: every requirement node needs a urn")
        if urn in by_urn:
            raise ValidationError(f"{where}: duplicate id '{urn}'")
        by_urn[urn] = node
    return by_urn


def _chain(node: dict[str, Any], by_urn: dict[str, dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """The node's ancestors from its depth-1 root down to itself."""
    path = [node]
    while text_of(path[0].get("parent_urn")):
        parent = by_urn.get(text_of(path[0]["parent_urn"]))
        if parent is None:
            raise ValidationError(f"{where}: node '{path[0]['urn']}' names an unknown parent")
        if len(path) > 64 or parent in path:
            raise ValidationError(f"{where}: node '{node['urn']}' has a parent loop")
        path.insert(0, parent)
    return path


def _dimensions(nodes: list[dict[str, Any]], ids: IdMaker, where: str) -> dict[str, dict[str, Any]]:
    """A dimension (with no items yet) per depth-1 node, by the node's urn."""
    dimensions: dict[str, dict[str, Any]] = {}
    for node in nodes:
        if not text_of(node.get("parent_urn")):
            title = _node_title(node) or text_of(node["urn"]).rsplit(":", 1)[-1]
            raw = text_of(node.get("ref_id")) or text_of(node["urn"]).rsplit(":", 1)[-1]
            dimensions[node["urn"]] = {"id": ids.unique(raw, node["urn"]), "name": title, "source_id": node["urn"],
                                       # only a title cut from the description itself would repeat it
                                       "description": text_of(node.get("description"))
                                       if node.get("name") or node.get("ref_id") else "",
                                       "items": []}
    if not dimensions:
        raise ValidationError(f"{where}: it has no depth-1 requirement nodes to make dimensions of")
    return dimensions


def _item(node: dict[str, Any], path: list[dict[str, Any]], ids: IdMaker) -> tuple[dict[str, Any], bool]:
    """The checklist item of an assessable node, and whether its id had to be changed to stay unique."""
    ref = text_of(node.get("ref_id"))
    raw = ref or text_of(node["urn"]).rsplit(":", 1)[-1]
    if len(path) == 1:  # a top-level requirement: both its dimension and the one item in it
        raw = f"{raw}-req"
    item_id = ids.unique(raw, node["urn"])
    title, description = text_of(node.get("name")), text_of(node.get("description"))
    text = f"{title}: {description}" if title and description else (title or description or ref or item_id)
    section = " › ".join(t for t in (_node_title(n) for n in path[:-1]) if t)
    guidance = [f"Section: {section}." if section else "", text_of(node.get("annotation")),
                f"Typical evidence: {text_of(node['typical_evidence'])}" if node.get("typical_evidence") else ""]
    groups = node.get("implementation_groups") or []
    return ({"id": item_id, "source_id": node["urn"], "text": f"{ref} {text}".strip() if ref else text,
             "guidance": "\n".join(g for g in guidance if g),
             "tags": [text_of(g) for g in groups if text_of(g)] if isinstance(groups, list) else []},
            item_id != IdMaker.clean(raw))
