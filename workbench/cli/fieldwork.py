"""`workbench merge` and `workbench assign`: fieldwork on several laptops (hand-outs: `export --for-fieldwork`).

    workbench merge F.mlaudit [--preview] [--json]            what would change; the conflicts, side by side
    workbench merge F.mlaudit --take mine|theirs              decide every conflict one way
    workbench merge F.mlaudit --resolve CHOICES.json          {"<conflict id>": "mine" | "theirs", ...}
    workbench assign ENG [SCOPE AUDITOR] [--json]             list, or give a part ("dimension:<id>",
                                                              "section:<key>") to an auditor ("" hands it back)

A merge with a conflict left undecided writes nothing and exits 2 after listing the conflicts; `--resolve`
and `--take` combine (the file's choices first, `--take` for the rest). The merge is attested by your
identity (--identity, --passphrase-file).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.cli.output import emit_json
from workbench.cli.workspace import open_workspace
from workbench.domain.errors import ValidationError

if TYPE_CHECKING:
    from workbench.domain.merge_plan import Conflict
    from workbench.services.merge import MergePreview


def register(sub: Any) -> None:
    from workbench.cli.signer import add_identity_options

    p = sub.add_parser("merge", help="merge a colleague's fieldwork package into the same engagement here")
    p.add_argument("file", type=Path)
    p.add_argument("--preview", action="store_true", help="show what the merge would change and its conflicts; "
                                                          "write nothing")
    p.add_argument("--take", choices=("mine", "theirs"), help="decide every conflict not in --resolve this way")
    p.add_argument("--resolve", type=Path, metavar="FILE",
                   help='a JSON file of choices: {"<conflict id>": "mine" or "theirs", ...}')
    p.add_argument("--untrusted", action="store_true",
                   help="merge a package that is unsigned or signed by an identity this computer does not trust")
    p.add_argument("--json", action="store_true")
    p.add_argument("--package-passphrase-file", type=Path, metavar="FILE",
                   help="a hand-out encrypted with a passphrase: that passphrase on this file's first line (else a "
                        "prompt); one encrypted for you opens with your identity (--passphrase-file)")
    add_identity_options(p, "attests the merged trail and opens a hand-out encrypted for you")
    p.set_defaults(handler=cmd_merge)

    p = sub.add_parser("assign", help="list who prepares which part of an engagement, or assign one")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("scope", nargs="?", help='"dimension:<id>" or "section:<key>"')
    p.add_argument("auditor", nargs="?", help='the auditor who prepares it ("" hands it back)')
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_assign)


def _choices(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = json.loads(path.expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"cannot read the choices in {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path} must hold a JSON object of conflict id → \"mine\" or \"theirs\"")
    return data


def _shown(value: Any) -> str:
    text = "(deleted)" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 70 else text[:69] + "…"


def conflict_lines(conflict: Conflict) -> list[str]:
    what = "deleted on one side, changed on the other" if conflict.deletion else conflict.field
    return [f"conflict {conflict.id}", f"  {conflict.label}: {what}",
            f"  mine   ({conflict.mine.actor}, {conflict.mine.at}): {_shown(conflict.mine.value)}",
            f"  theirs ({conflict.theirs.actor}, {conflict.theirs.at}): {_shown(conflict.theirs.value)}"]


def _print_preview(preview: MergePreview) -> None:
    signer = f"signed by {preview.signer}" if preview.signer else "unsigned"
    print(f"{preview.package} ({signer}) → {preview.engagement_ref}: {preview.events} new event(s), "
          f"{preview.changes} record(s) change, {len(preview.conflicts)} conflict(s)")
    for conflict in preview.conflicts:
        print("\n".join(conflict_lines(conflict)))


def cmd_merge(args: argparse.Namespace) -> int:
    from workbench.cli.signer import package_opening_keys, unlock_signer
    from workbench.services.merge import MergeConflicts, merge_package, preview_merge

    if args.preview:
        with open_workspace(args, write=False) as ws:
            preview = preview_merge(ws, args.file, untrusted=args.untrusted, keys=package_opening_keys(args))
        emit_json(preview.as_dict()) if args.json else _print_preview(preview)
        return 0
    choices = _choices(args.resolve)
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as ws:
        try:
            result = merge_package(ws, args.file, signer=signer, choices=choices, take=args.take,
                                   untrusted=args.untrusted, keys=package_opening_keys(args))
        except MergeConflicts as exc:
            for conflict in exc.conflicts:
                print("\n".join(conflict_lines(conflict)))
            raise ValidationError(f"{exc}; decide them with --resolve FILE or --take mine|theirs "
                                  "(nothing was merged)") from None
    if args.json:
        emit_json(result.as_dict())
    elif result.preview.nothing_new:
        print(f"nothing to merge: {result.preview.engagement_ref} already holds every event of {args.file.name}")
    else:
        print(f"merged {result.preview.events} event(s) of {args.file.name} into {result.preview.engagement_ref}: "
              f"{result.changed} record(s) changed, {len(result.choices)} conflict(s) decided, attested by "
              f"{signer.name}")
        for change in result.renumbered:
            print(f"note: {change.note()}")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from workbench.services.fieldwork import assign, assignments

    if args.scope is not None:
        if args.auditor is None:
            raise ValidationError("assign: name the auditor after the part (\"\" hands it back)")
        with open_workspace(args, write=True) as ws:
            done = assign(ws, args.engagement, args.scope, args.auditor)
        print(f"{done.title} ({done.scope}): {done.auditor or 'nobody'}")
        return 0
    with open_workspace(args, write=False) as ws:
        current = assignments(ws, args.engagement)
    if args.json:
        emit_json([assignment.as_dict() for assignment in current])
        return 0
    for assignment in current:
        print(f"{assignment.scope:<32} {assignment.title:<32} {assignment.auditor or '-'}")
    return 0
