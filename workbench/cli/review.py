"""Command line for review and finalisation.

    workbench review ENG [--json]                       notes waiting, missing sign-offs, blockers
    workbench note add ENG --on KIND[:KEY] TEXT         raise a review note
    workbench note answer ENG NOTE TEXT | note close ENG NOTE | note reopen ENG NOTE
    workbench signoff ENG --role preparer|reviewer [--dimension ID | --section KEY] [--note TEXT] [IDENTITY]
    workbench finalise ENG [IDENTITY]                   exit 2 listing what blocks it
    workbench reopen ENG --reason TEXT [IDENTITY]

IDENTITY is [--identity ID] [--passphrase-file FILE] (cli/signer.py): each of these is given under a
signing identity and attested by its key.

NOTE is a note's uid or a unique prefix of it (at least 4 characters), as `review` prints it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from workbench.cli.output import emit_json
from workbench.cli.signer import add_identity_options, unlock_signer
from workbench.cli.workspace import open_workspace
from workbench.domain.enums import ReviewTarget

if TYPE_CHECKING:
    from workbench.services.progress import Blocker

__all__ = ["register"]
NOTE_TARGETS = ", ".join(t.value for t in ReviewTarget)


def register(sub: Any) -> None:
    p = sub.add_parser("review", help="review notes still waiting, missing sign-offs and what blocks finalising")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_review)

    p = sub.add_parser("note", help="raise, answer, close or reopen a review note")
    nsub = p.add_subparsers(dest="note_command", required=True, parser_class=type(p))
    add = nsub.add_parser("add", help="raise a note on the engagement, a dimension, a checklist item or a record")
    add.add_argument("engagement", metavar="ENG")
    add.add_argument("--on", required=True, metavar="KIND[:KEY]",
                     help=f"what the note is about; KIND is one of {NOTE_TARGETS}; KEY a dimension or item id, "
                          "a finding or risk ref, or a record uid")
    add.add_argument("text")
    add.set_defaults(handler=cmd_note_add)
    answer = nsub.add_parser("answer", help="answer a note (the preparer)")
    answer.add_argument("engagement", metavar="ENG")
    answer.add_argument("note", metavar="NOTE")
    answer.add_argument("text")
    answer.set_defaults(handler=cmd_note_answer)
    for name, text in (("close", "close a note (the reviewer)"), ("reopen", "reopen an answered or closed note")):
        q = nsub.add_parser(name, help=text)
        q.add_argument("engagement", metavar="ENG")
        q.add_argument("note", metavar="NOTE")
        q.set_defaults(handler=cmd_note_status)

    p = sub.add_parser("signoff", help="sign off the engagement, a dimension or a section")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("--role", required=True, choices=["preparer", "reviewer", "engagement_lead"])
    part = p.add_mutually_exclusive_group()
    part.add_argument("--dimension", metavar="ID", help="a dimension of the framework (preparer only)")
    part.add_argument("--section", metavar="KEY", help="health, findings, models, risks, costs, roadmap, "
                                                       "matrices or evidence (preparer only)")
    p.add_argument("--note", default="")
    add_identity_options(p, "signs off (its name is the one shown)")
    p.set_defaults(handler=cmd_signoff)

    for name in ("finalise", "finalize"):  # the American spelling works too, but --help lists one command
        p = sub.add_parser(name, **({"help": "lock the engagement as final"} if name == "finalise" else {}))
        p.add_argument("engagement", metavar="ENG")
        add_identity_options(p, "finalises and attests the final trail")
        p.set_defaults(handler=cmd_finalise)

    p = sub.add_parser("reopen", help="unlock a final engagement for changes (recorded with the reason)")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("--reason", required=True)
    add_identity_options(p, "reopens")
    p.set_defaults(handler=cmd_reopen)


def review_summary(ws: Any, engagement_key: str) -> dict[str, Any]:
    """What `review` shows, as the documented --json shape."""
    from workbench.services.document import engagement_document
    from workbench.services.progress import compute_progress, firm_gates
    from workbench.services.review import signoff_needs, target_label, unresolved_notes
    from workbench.services.unit import reading, snapshot_of

    with reading(ws, engagement_key) as (session, engagement):
        framework = snapshot_of(session, engagement)
        document = engagement_document(session, engagement, audit_log=False)
    e = document["engagement"]
    notes = [{**note, "target": target_label(framework, document, note["target_kind"], note["target_key"])}
             for note in unresolved_notes(document)]
    return {"engagement": {"uid": e["uid"], "ref": e["ref"], "status": e["status"], "locked_at": e["locked_at"],
                           "finalised_by": e["finalised_by"]},
            "notes": notes,
            "missing_signoffs": [{"role": n.role, "scope": n.scope, "label": n.label}
                                 for n in signoff_needs(framework, document) if not n.given],
            "blockers": [b.as_dict() for b in compute_progress(framework, document, firm_gates()).blockers]}


def cmd_review(args: argparse.Namespace) -> int:
    with open_workspace(args, write=False) as ws:
        summary = review_summary(ws, args.engagement)
    if args.json:
        emit_json(summary)
        return 0
    e = summary["engagement"]
    state = f"final since {e['locked_at'][:10]} ({e['finalised_by']})" if e["locked_at"] else e["status"]
    print(f"{e['ref']}  {state}")
    print(f"\nreview notes waiting: {len(summary['notes'])}")
    for note in summary["notes"]:
        print(f"  {note['uid'][:8]}  {note['status']:<8}  {note['target']}: {_one_line(note['text'])}")
        if note["answer"]:
            print(f"            answer: {_one_line(note['answer'])}")
    print(f"\nsign-offs missing: {len(summary['missing_signoffs'])}")
    for need in summary["missing_signoffs"]:
        print(f"  {need['role']:<9} {need['label']}")
    if e["locked_at"]:
        return 0
    blockers = summary["blockers"]
    print("\nready to finalise" if not blockers else "\nfinalisation blocked by:")
    for blocker in blockers:
        print(f"  - {blocker['text']}")
    return 0


def _one_line(text: str, limit: int = 100) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def cmd_note_add(args: argparse.Namespace) -> int:
    from workbench.services.review import raise_note

    kind, _, key = args.on.partition(":")
    with open_workspace(args, write=True) as ws:
        uid = raise_note(ws, args.engagement, kind, key, args.text)
    print(f"raised note {uid[:8]} ({uid})")
    return 0


def cmd_note_answer(args: argparse.Namespace) -> int:
    from workbench.services.review import answer_note

    with open_workspace(args, write=True) as ws:
        answer_note(ws, args.engagement, args.note, args.text)
    return 0


def cmd_note_status(args: argparse.Namespace) -> int:
    from workbench.services.review import close_note, reopen_note

    with open_workspace(args, write=True) as ws:
        (close_note if args.note_command == "close" else reopen_note)(ws, args.engagement, args.note)
    return 0


def cmd_signoff(args: argparse.Namespace) -> int:
    from workbench.services.preferences import load_preferences
    from workbench.services.review import check_sign_off, sign_off

    one_person = load_preferences().one_person_practice
    with open_workspace(args, write=False) as ws:  # a sign-off that would be refused asks for no passphrase
        check_sign_off(ws, args.engagement, args.role, dimension=args.dimension, section=args.section,
                       one_person_practice=one_person, **_who(args.identity))
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as ws:
        sign_off(ws, args.engagement, args.role, signer=signer, dimension=args.dimension, section=args.section,
                 note=args.note, one_person_practice=one_person)
    print(f"signed off as {args.role} by {signer.name} ({signer.identity_id})")
    return 0


def _who(identity_ref: str | None) -> dict[str, str]:
    """The identity a sign-off is asked for (id and name), or none yet: the checks that need it then wait."""
    from workbench.domain.errors import NotFoundError
    from workbench.services.signatures import get_identity

    try:
        identity = get_identity(identity_ref)
    except NotFoundError:
        if identity_ref:
            raise
        return {"identity_id": "", "name": ""}
    return {"identity_id": identity.id, "name": identity.name}


def _print_blocked(ref: str, blockers: tuple[Blocker, ...]) -> None:
    print(f"workbench: engagement {ref} cannot be finalised yet:", file=sys.stderr)
    for blocker in blockers:
        print(f"  - {blocker.text}", file=sys.stderr)


def cmd_finalise(args: argparse.Namespace) -> int:
    from workbench.services.finalise import FinalisationBlocked, finalisation_blockers, finalise
    from workbench.services.unit import reading

    with open_workspace(args, write=False) as ws:  # say what blocks it before asking for a passphrase
        blockers = finalisation_blockers(ws, args.engagement)
        with reading(ws, args.engagement) as (_session, engagement):
            ref, final = engagement.ref, bool(engagement.locked_at)
    if blockers and not final:
        _print_blocked(ref, blockers)
        return FinalisationBlocked(ref, blockers).exit_code
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as ws:
        try:
            state = finalise(ws, args.engagement, signer=signer)
        except FinalisationBlocked as exc:
            _print_blocked(exc.ref, exc.blockers)
            return exc.exit_code
    print(f"finalised {state.ref} at {state.locked_at} by {state.finalised_by}")
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    from workbench.services.finalise import check_reopen, reopen

    with open_workspace(args, write=False) as ws:
        check_reopen(ws, args.engagement, args.reason)
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as ws:
        note = reopen(ws, args.engagement, args.reason, signer=signer)
    print(f"reopened; the reason is review note {note[:8]}, to close before finalising again")
    return 0
