"""Handlers of the command line's sub-commands: thin shells over services/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.cli.output import emit_json, warn
from workbench.cli.workspace import open_workspace, read_light, workspace_location, workspace_path
from workbench.domain.errors import IntegrityError, ValidationError
from workbench.domain.wording import percent

KIND_OF = {"findings": "finding", "models": "model", "risks": "risk"}


def cmd_gui(args: argparse.Namespace) -> int:
    # None: the default, found after the window shows; --db-passphrase-file unlocks the workspace before it opens
    db = workspace_location(args) if args.db or args.db_passphrase_file else None
    _check_display()
    from workbench.ui.app import run_app

    return run_app(db)


def _check_display() -> None:
    """A plain line and exit 2 when no window can open here (Qt would abort with exit 134)."""
    from workbench.cli.display import display_problem
    from workbench.domain.errors import WorkbenchError

    problem = display_problem()
    if problem:
        raise WorkbenchError(problem)


def cmd_demo(args: argparse.Namespace) -> int:
    """Import the bundled samples into a demo workspace (once) and open it on DriftGuardAI."""
    import platformdirs

    from workbench.services.samples import FEATURED_SAMPLE, import_samples

    if not getattr(args, "db", None):
        args.db = Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "demo-workspace.db"
    args.plain_workspace = True  # the fictional samples only: no passphrase to invent for them
    if not args.no_gui:
        _check_display()  # before the samples are imported: no window, no wait
    with open_workspace(args, write=True) as ws:
        focus_uid = import_samples(ws)[FEATURED_SAMPLE]
    if args.no_gui:
        args.engagement, args.json = focus_uid, False
        return cmd_score(args)
    from workbench.ui.app import run_app

    # the samples are open already (no welcome page); they are fictional: no offer to encrypt them
    return run_app(workspace_path(args), open_engagement=focus_uid, welcome=False, protect=False)


def cmd_new(args: argparse.Namespace) -> int:
    from workbench.services.reaudit import start_reaudit
    from workbench.services.record_library import start_engagement

    if args.starter and args.from_engagement:
        raise ValidationError("new takes --starter or --from, not both (a re-audit carries the earlier content)")
    with open_workspace(args, write=True) as ws:
        if args.from_engagement:
            uid = start_reaudit(ws, args.from_engagement, title=args.title, framework_id=args.framework)
        else:
            if not args.client or not args.title:
                raise ValidationError("new needs --client and --title (or --from ENG for a re-audit)")
            details = {k: v for k, v in (("system_name", args.system), ("lead_auditor", args.auditor)) if v}
            uid = start_engagement(ws, starter=args.starter, client=args.client, title=args.title,
                                   framework_id=args.framework or "mlops-architecture", details=details)
        with ws.session() as session:
            from workbench.services.unit import resolve_engagement

            engagement = resolve_engagement(session, uid)
            ref = engagement.ref
    if args.json:
        emit_json({"uid": uid, "ref": ref})
    else:
        print(f"created {ref} ({uid})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from workbench.services.library import EngagementSummary, engagement_summaries

    none: list[EngagementSummary] = []
    summaries = read_light(args, engagement_summaries, missing=none)
    if args.json:
        emit_json([s.as_dict() for s in summaries])
        return 0
    if not summaries:
        print("no engagements yet: create one with `workbench new` or `workbench import FILE.mlaudit`")
        return 0
    print(f"{'REF':<16} {'CLIENT':<24} {'STATUS':<10} {'SCORE':>6}  {'VERDICT':<15} TITLE")
    for s in summaries:
        score = "-" if s.score is None else f"{s.score:.1f}{'*' if s.provisional else ''}"
        print(f"{s.ref:<16} {s.client[:24]:<24} {s.status:<10} {score:>6}  {(s.verdict or '-'):<15} {s.title}"
              + ("  [archived]" if s.archived else ""))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from workbench.services.plain_document import scored_document

    document, card = read_light(args, lambda conn: scored_document(conn, args.engagement))
    if args.json:
        document["score"] = card.as_dict()
        emit_json(document)
        return 0
    e, c = document["engagement"], document["client"]
    print(f"{e['ref']}  {e['title']}\n  client: {c['name']}   status: {e['status']}   uid: {e['uid']}")
    print(f"  framework: {document['framework']['name']} {document['framework']['version']}")
    if e["previous_uid"]:
        print(f"  re-audit of: {e['previous_uid']}")
    overall = "not scored" if card.overall is None else f"{card.shown_text} {card.band}, {card.verdict}"
    print(f"  score: {overall}{' (provisional)' if card.provisional else ''}")
    for key in ("findings", "models", "risks", "costs", "roadmap", "matrices", "evidence"):
        print(f"  {key}: {len(document[key])}")
    answered = sum(1 for r in document["checklist"] if r["answer"] != "unanswered")
    total = sum(len(d["items"]) for d in document["framework"]["dimensions"])
    print(f"  checklist: {answered}/{total} answered")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from workbench.services.library import scored_coverage
    from workbench.services.preferences import load_preferences

    sections = load_preferences().require_section_signoffs  # the sign-offs the firm's gates ask for
    engagement, card, coverage = read_light(args, lambda conn: scored_coverage(conn, args.engagement, sections))
    if args.json:
        emit_json({"engagement": {"uid": engagement["uid"], "ref": engagement["ref"], "title": engagement["title"]},
                   "framework": {"id": engagement["framework_id"], "version": engagement["framework_version"]},
                   **card.as_dict(), "coverage": coverage.as_dict()})
        return 0
    print(f"{engagement['ref']}  {engagement['title']}")
    print(f"{'DIMENSION':<28} {'WEIGHT':>6} {'LEVEL':>5} {'SCORE':>6}")
    for d in card.dimensions:
        level = "-" if d.level is None else str(d.level)
        value = "-" if d.score is None else f"{d.score:g}"
        print(f"{d.name[:28]:<28} {percent(d.weight):>6} {level:>5} {value:>6}")
    if card.overall is None:
        print("overall: not scored yet (no dimension assessed)")
    else:
        print(f"overall: {card.shown_text}  {card.band}  verdict: {card.verdict}"
              + ("  (PROVISIONAL)" if card.provisional else ""))
        for reason in card.verdict_reasons:
            print(f"  - {reason}")
    for reason in card.provisional_reasons if card.provisional else ():
        print(f"  provisional: {reason}")
    print(f"coverage: {coverage.sentence()}; {coverage.assessed.text('dimension')} assessed; "
          f"{coverage.signoffs.text('sign-off')} given")
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    from workbench.services.assessment import set_assessment

    values: dict[str, Any] = {}
    if args.level is not None:
        values["level"] = args.level
    if args.target is not None:
        values["target"] = args.target
    if args.justification is not None:
        values["justification"] = args.justification
    if not values:
        raise ValidationError("assess needs --level, --target or --justification")
    with open_workspace(args, write=True) as ws:
        warnings = set_assessment(ws, args.engagement, args.dimension, **values)
    for warning in warnings:
        warn(warning)
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    from workbench.services.assessment import answer_and_plan

    plan = {name: value for name in ("note", "target", "priority") if (value := getattr(args, name)) is not None}
    with open_workspace(args, write=True) as ws:
        answer_and_plan(ws, args.engagement, args.item, args.answer, **plan)
    return 0


def cmd_records_import(args: argparse.Namespace) -> int:
    from workbench.services.records_io import import_records

    with open_workspace(args, write=True) as ws:
        uids = import_records(ws, args.engagement, KIND_OF[args.kind], args.file)
    print(f"imported {len(uids)} {args.kind}")
    return 0


def cmd_records_export(args: argparse.Namespace) -> int:
    from workbench.services.preferences import load_preferences
    from workbench.services.records_io import export_records

    basis = load_preferences().cost_basis()  # findings are priced at the auditor's day rate and currency
    with open_workspace(args, write=False) as ws:
        written = export_records(ws, args.engagement, KIND_OF[args.kind], args.output, basis)
    print(f"wrote {written}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from workbench.cli.signer import package_opening_keys
    from workbench.services.packages import import_package
    from workbench.services.trail import untrusted_import_notice
    from workbench.services.unit import reading

    keys = package_opening_keys(args)
    with open_workspace(args, write=True) as ws:
        uid = import_package(ws, args.file, as_copy=args.as_copy, untrusted=args.untrusted, keys=keys)
        with reading(ws, uid) as (_session, engagement):
            ref = engagement.ref
        notice = untrusted_import_notice(ws, uid)
    print(f"imported {ref} ({uid})")
    if notice:
        print(f"workbench: imported as untrusted: the package {notice}; the audit trail records it",
              file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from workbench.cli.signer import unlock_signer
    from workbench.services.packages import export_package

    if getattr(args, "oscal", False):
        from workbench.cli.frameworks import cmd_export_oscal

        if args.to or args.encrypt_with_passphrase:
            raise ValidationError("OSCAL results are not encrypted: --to and --encrypt-with-passphrase go with "
                                  "packages")

        return cmd_export_oscal(args)
    protection = _protection(args)  # certificates checked and the passphrase asked before anything else
    signer = None if args.unsigned else _export_signer(args, unlock_signer)
    with open_workspace(args, write=False) as ws:
        written = export_package(ws, args.engagement, args.output, signer=signer, protection=protection,
                                 for_fieldwork=getattr(args, "for_fieldwork", False))
    print(f"wrote {'hand-out ' if getattr(args, 'for_fieldwork', False) else ''}{written}"
          + (f", signed by {signer.name} ({signer.identity_id})" if signer else ", unsigned")
          + (f", {protection.describe()}" if protection else ""))
    return 0


def _protection(args: argparse.Namespace) -> Any:
    """The export's encryption (services.package_envelope.Protection), or None for a clear package."""
    from workbench.services.package_envelope import Protection, check_package_passphrase, recipient_certificates
    from workbench.services.signatures import cli_passphrase_provider

    if args.package_passphrase_file is not None and not args.encrypt_with_passphrase:
        raise ValidationError("--package-passphrase-file goes with --encrypt-with-passphrase")
    if not args.to and not args.encrypt_with_passphrase:
        return None
    certificates = recipient_certificates(args.to)
    passphrase = None
    if args.encrypt_with_passphrase:
        ask = cli_passphrase_provider(args.package_passphrase_file, option="--package-passphrase-file")
        passphrase = check_package_passphrase(ask("Passphrase to encrypt the package with: "))
        if args.package_passphrase_file is None and ask("Repeat the passphrase: ") != passphrase:
            raise ValidationError("the two passphrases differ; nothing was written")
    return Protection(certificates, passphrase)


def _export_signer(args: argparse.Namespace, unlock: Any) -> Any:
    from workbench.domain.errors import NotFoundError

    try:
        return unlock(args)
    except NotFoundError as exc:
        if args.identity:
            raise
        raise NotFoundError(f"{exc}; or write an unsigned package with --unsigned (it can only be imported as "
                            "untrusted)") from None


def cmd_log(args: argparse.Namespace) -> int:
    from workbench.services.trail import audit_log

    if args.verify:
        return _verify_log(args)
    with open_workspace(args, write=False) as ws:
        events = audit_log(ws, args.engagement)
    if args.json:
        emit_json(events)
        return 0
    for event in events:
        print(f"#{event['seq']:<5} {event['at'][:19]}  {event['actor']:<12} {event['action']:<14} "
              f"{event['entity']} {event['entity_id']}")
    return 0


def _verify_log(args: argparse.Namespace) -> int:
    from workbench.services.attestation import describe_verdict, verify_trail

    with open_workspace(args, write=False) as ws:
        verdict = verify_trail(ws, args.engagement)
    if args.json:
        emit_json(verdict.as_dict())
    else:
        print("\n".join(describe_verdict(verdict)))
    if not verdict.chain.ok:
        raise IntegrityError(f"audit trail broken: {verdict.problem}")
    if not verdict.ok:
        raise IntegrityError(f"audit trail not attested as it should be: {verdict.problem}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    with open_workspace(args, write=False) as ws:
        ws.backup_to(args.output)
    print(f"wrote {args.output}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from workbench.services.backup import restore_workspace

    with open_workspace(args, write=True) as ws:
        kept = restore_workspace(ws, args.file)
    print(f"restored {args.file}; the previous workspace was kept as {kept}")
    return 0
