"""Command line for frameworks and OSCAL export.

    workbench frameworks [list]                      built-in and imported, with source and use
    workbench frameworks show ID [--json]            dimension and checklist item ids
    workbench frameworks import FILE [--id ID] [--weights DIM=N,...] [--preview] [--json]
                                                     native JSON, OSCAL catalog (JSON/YAML), CISO Assistant YAML
    workbench frameworks weights ID --weights DIM=N,...   re-weight an imported framework no engagement uses
    workbench frameworks delete ID [--version V]     remove an imported framework no engagement uses
    workbench export ENG --oscal -o FILE.json        OSCAL assessment results (handled here, flag in parser.py)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.output import emit_json
from workbench.cli.workspace import open_workspace, optional_workspace
from workbench.domain.errors import ValidationError
from workbench.domain.wording import percent, plural

__all__ = ["cmd_export_oscal", "register"]


def register(sub: Any) -> None:
    p = sub.add_parser("frameworks", help="list, show, import, re-weight or delete assessment frameworks")
    p.add_argument("action", nargs="?", choices=["list", "show", "import", "weights", "delete"], default="list")
    p.add_argument("target", nargs="?", help="framework id (show, weights, delete) or file (import)")
    p.add_argument("--weights", metavar="DIM=N,...",
                   help="relative dimension weights, e.g. AC=3,AU=2 (others count 1); normalised to sum to 1")
    p.add_argument("--version", dest="framework_version", metavar="V",
                   help="the version to re-weight or delete when several are imported")
    p.add_argument("--id", dest="framework_id", metavar="ID",
                   help="import: the id to keep the framework under, instead of one made from its title")
    p.add_argument("--preview", action="store_true", help="import: show what would be imported, write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_frameworks)


def _weights(args: argparse.Namespace) -> dict[str, float] | None:
    from workbench.catalogs.common import parse_weights

    return parse_weights(args.weights) if args.weights else None


def _needs_target(args: argparse.Namespace, what: str) -> str:
    if not args.target:
        raise ValidationError(f"frameworks {args.action} needs {what}")
    return str(args.target)


def cmd_frameworks(args: argparse.Namespace) -> int:
    from workbench.services import frameworks as service

    if args.action == "import":
        return _import(args)
    if args.action in ("weights", "delete"):
        framework_id = _needs_target(args, "a framework ID")
        with open_workspace(args, write=True) as ws:
            if args.action == "delete":
                service.delete_framework(ws, framework_id, args.framework_version)
                print(f"deleted framework {framework_id}")
                return 0
            if not args.weights:
                raise ValidationError("frameworks weights needs --weights DIM=N,...")
            framework = service.set_framework_weights(ws, framework_id, _weights(args) or {}, args.framework_version)
        print(", ".join(f"{d.id} {d.weight:.1%}" for d in framework.dimensions))
        return 0
    with optional_workspace(args) as ws:
        if args.action == "show":
            return _show(service.get_framework(_needs_target(args, "a framework ID"), ws), args.json)
        entries = service.available_frameworks(ws)
    if args.json:
        emit_json([{"id": e.framework.id, "version": e.framework.version, "name": e.framework.name,
                    "origin": e.origin, "source": e.source_label, "dimensions": len(e.framework.dimensions),
                    "items": e.framework.item_count, "engagements": e.engagements} for e in entries])
        return 0
    id_width = max([28, *(len(e.framework.id) for e in entries)])  # imported ids can be long: keep columns
    version_width = max([8, *(len(e.framework.version) for e in entries)])
    for e in entries:
        print(f"{e.framework.id:<{id_width}} {e.framework.version:<{version_width}} "
              f"{_column(len(e.framework.dimensions), 'dimension', 3)} {_column(e.framework.item_count, 'item', 5)}  "
              f"{e.source_label:<30} {_column(e.engagements, 'engagement', 3)}  {e.framework.name}")
    return 0


def _column(count: int, word: str, width: int) -> str:
    """'  1 item ' or ' 12 items': the count right-aligned, the word padded so the next column lines up."""
    return f"{count:>{width}} {word if count == 1 else word + 's':<{len(word) + 1}}"


def _import(args: argparse.Namespace) -> int:
    from workbench.services import frameworks as service

    path = Path(_needs_target(args, "a FILE"))
    if args.preview:
        preview = service.preview_framework_file(path, _weights(args), args.framework_id)
        framework = preview.framework
    else:
        with open_workspace(args, write=True) as ws:
            preview = service.preview_framework_file(path, _weights(args), args.framework_id)
            framework = service.store_framework(ws, preview)
    source, warnings = preview.source_label, preview.warnings
    if args.json:
        emit_json({"id": framework.id, "version": framework.version, "name": framework.name, "source": source,
                   "file": preview.file_name, "sha256": preview.sha256, "imported": not args.preview,
                   "dimensions": [{"id": d.id, "name": d.name, "weight": d.weight, "items": len(d.items)}
                                  for d in framework.dimensions],
                   "items": framework.item_count, "warnings": list(warnings)})
        return 0
    verb = "would import" if args.preview else "imported"
    print(f"{verb} framework {framework.id} {framework.version} ({source}, {preview.file_name}): "
          f"{plural(len(framework.dimensions), 'dimension')}, {plural(framework.item_count, 'checklist item')}")
    for warning in warnings:
        print(f"  note: {warning}")
    return 0


def _show(framework: Any, as_json: bool) -> int:
    if as_json:
        emit_json(framework.raw)
        return 0
    print(f"{framework.name} ({framework.id} {framework.version})")
    provenance = framework.raw.get("provenance")
    if isinstance(provenance, dict):
        from workbench.catalogs.provenance import provenance_line

        print(f"  source: {provenance_line(framework.raw)}")
    for dimension in framework.dimensions:
        print(f"\n{dimension.id:<6} {dimension.name}  weight {percent(dimension.weight)}")
        for item in dimension.items:
            print(f"  {item.id:<9} {item.text.splitlines()[0] if item.text else ''}")
    if framework.health_check:
        print("\nHealth check")
        for question in framework.health_check:
            print(f"  {question.id:<9} {question.question}")
    return 0


def cmd_export_oscal(args: argparse.Namespace) -> int:
    from workbench.services.oscal_export import export_assessment_results
    from workbench.services.preferences import load_preferences

    basis = load_preferences().cost_basis()
    with open_workspace(args, write=False) as ws:
        written = export_assessment_results(ws, args.engagement, args.output, basis)
    print(f"wrote {written}")
    return 0
