"""Command line for the checklist as a spreadsheet (a client self-assessment).

    workbench checklist export ENG -o FILE.csv|.xlsx|.json   every item with its dimension, answer and note
    workbench checklist import ENG FILE [--preview] [--json] the answers filled in, checked whole, then applied
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.output import emit_json
from workbench.cli.workspace import open_workspace
from workbench.domain.wording import plural

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser("checklist", help="export the checklist to fill in, or import the answers filled in")
    csub = p.add_subparsers(dest="checklist_action", required=True, metavar="{export,import}")
    out = csub.add_parser("export", help="every checklist item with its dimension, text, answer and note")
    out.add_argument("engagement", metavar="ENG")
    out.add_argument("-o", "--output", required=True, metavar="FILE", help=".csv, .xlsx or .json (the extension "
                                                                          "chooses)")
    out.set_defaults(handler=cmd_checklist_export)
    into = csub.add_parser("import", help="answers from a filled-in checklist (.csv, .tsv, .xlsx, .json)")
    into.add_argument("engagement", metavar="ENG")
    into.add_argument("file", metavar="FILE")
    into.add_argument("--preview", action="store_true", help="say what would change, write nothing")
    into.add_argument("--json", action="store_true")
    into.set_defaults(handler=cmd_checklist_import)


def cmd_checklist_export(args: argparse.Namespace) -> int:
    from workbench.services.checklist_io import export_checklist

    with open_workspace(args, write=False) as ws:
        written = export_checklist(ws, args.engagement, args.output)
    print(f"wrote {written}")
    return 0


def cmd_checklist_import(args: argparse.Namespace) -> int:
    from workbench.services import checklist_io

    with open_workspace(args, write=not args.preview) as ws:
        if args.preview:
            found = checklist_io.read_checklist_answers(ws, args.engagement, args.file)
        else:
            found = checklist_io.import_checklist_answers(ws, args.engagement, args.file)
    if args.json:
        emit_json({"file": found.file_name, "imported": not args.preview, "unchanged": found.unchanged,
                   "blank": found.blank, "changes": [{"item_id": c.item_id, "answer": c.answer, "note": c.note,
                                                      "old_answer": c.old_answer, "old_note": c.old_note}
                                                     for c in found.changes]})
        return 0
    verb = "would change" if args.preview else "changed"
    print(f"{verb} {plural(len(found.changes), 'answer')} ({found.unchanged} as before, {found.blank} left blank)")
    for c in found.changes:
        print(f"  {c.item_id}: {c.old_answer} → {c.answer}" + (f"  ({c.note})" if c.note != c.old_note else ""))
    return 0
