"""Command line for deliverables and signatures: report, verify, identity, trust.

    workbench report ENG -o FILE.pdf [--kind full|executive] [--draft | --final-look] [--sign]
    workbench report ENG -o FILE.docx --format docx [--kind full|executive]   (unsigned working copy)
    workbench verify FILE.pdf [--json]
    workbench identity create|import|list|show
    workbench trust import|list

Passphrases come from the keychain, a terminal prompt or --passphrase-file, never from an argument:
an argument would be visible to every user of the machine in the process list.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from workbench.cli.output import emit_json
from workbench.cli.signer import add_identity_options
from workbench.cli.workspace import light_location, open_workspace
from workbench.collector import left_to_exit
from workbench.domain.errors import ValidationError

__all__ = ["register"]


def _notify(message: str) -> None:
    print(f"workbench: {message}", file=sys.stderr)


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="render the full report or executive summary to PDF (and sign it), or "
                                      "as an unsigned DOCX working copy")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("-o", "--output", type=Path, required=True,
                   help="PDF (or DOCX) file, or a folder for the default name")
    p.add_argument("--kind", choices=["full", "executive"], default="full")
    p.add_argument("--format", dest="file_format", choices=["pdf", "docx"], default="pdf",
                   help="docx: an editable working copy, marked unsigned on every page (never signed)")
    draft = p.add_mutually_exclusive_group()
    draft.add_argument("--draft", dest="draft", action="store_const", const=True, default=None,
                       help="mark every page DRAFT even when the engagement is final")
    draft.add_argument("--no-draft", dest="draft", action="store_const", const=False,
                       help="leave the DRAFT mark off a report of an engagement that is not final")
    p.add_argument("--sign", action="store_true", help="sign the report with your identity (PAdES); only a final "
                                                       "engagement's, unless --draft-signature")
    p.add_argument("--draft-signature", action="store_true",
                   help="sign a report of an engagement that is not final, as a draft: the signature reads "
                        "\"DRAFT — not an audit opinion\"")
    p.add_argument("--role", help="preparer, reviewer or engagement_lead: a role the identity signed off as in "
                                  "this engagement (default: the most senior it holds)")
    add_identity_options(p, "signs the report")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("verify", help="check a signed report: intact, unmodified, trusted")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser("identity", help="create, import or show your signing identity")
    isub = p.add_subparsers(dest="identity_command", required=True, parser_class=type(p))
    create = isub.add_parser("create", help="make a local CA and an auditor certificate issued by it")
    create.add_argument("--name", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--firm", default="")
    create.add_argument("--days", type=int, default=None, help="validity in days (default: 730, two years)")
    create.add_argument("--passphrase-file", type=Path)
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=cmd_identity_create)
    imp = isub.add_parser("import", help="import the firm's PKCS#12 (.p12/.pfx) file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--passphrase-file", type=Path)
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=cmd_identity_import)
    for name, text in (("list", "list identities"), ("show", "show one identity")):
        q = isub.add_parser(name, help=text)
        if name == "show":
            q.add_argument("identity", nargs="?", help="id, id prefix or e-mail (default: the newest)")
        q.add_argument("--json", action="store_true")
        q.set_defaults(handler=cmd_identity_show if name == "show" else cmd_identity_list)

    cert = isub.add_parser("certificate", help="write your identity's certificate for colleagues to encrypt "
                                               "packages for you (export --to)")
    cert.add_argument("identity", nargs="?", help="id, id prefix or e-mail (default: the newest)")
    cert.add_argument("-o", "--output", type=Path, required=True, metavar="FILE|FOLDER")
    cert.set_defaults(handler=cmd_identity_certificate)

    p = sub.add_parser("trust", help="trust a CA certificate for verification, or list trusted ones")
    tsub = p.add_subparsers(dest="trust_command", required=True, parser_class=type(p))
    t = tsub.add_parser("import", help="trust the CA certificate(s) in a PEM or DER file")
    t.add_argument("file", type=Path)
    t.set_defaults(handler=cmd_trust_import)
    t = tsub.add_parser("list", help="list trusted certificates")
    t.add_argument("--json", action="store_true")
    t.set_defaults(handler=cmd_trust_list)


def cmd_report(args: argparse.Namespace) -> int:
    from workbench.reports.chart_worker import ChartWorker, stop_chart_worker

    if args.draft_signature and not args.sign:
        raise ValidationError("--draft-signature goes with --sign")
    if args.sign and args.file_format != "pdf":
        raise ValidationError("--sign signs the PDF deliverable; a DOCX working copy is never signed")
    folder = _output_folder(args.output, args.file_format)  # a bad file name is told before any passphrase is asked for
    # a process draws the charts not kept in the workspace while the pages are laid out; a PDF's is started
    # now, so that matplotlib's import overlaps this process's imports and reading (released at once when
    # every chart turns out to be kept); a DOCX working copy draws its few missing charts here
    worker = ChartWorker().start() if args.file_format == "pdf" else ChartWorker()
    try:
        # no cyclic collection until the command ends: the one the layout's end would set off walks the
        # whole laid-out report (0.5 s of the 5,000-finding one's), and the process exits right after
        with left_to_exit():
            result, lines = _sign_and_report(args, folder, worker) if args.sign else _report(args, folder, worker)
    finally:
        stop_chart_worker(worker)
    if args.json:
        emit_json(result)
    else:
        print("\n".join(lines))
    return 0


def _report(args: argparse.Namespace, folder: Path | None, worker: Any) -> tuple[dict[str, Any], list[str]]:
    """An unsigned report: pyHanko and the signing services are not even imported. (JSON result, text lines)"""
    from workbench.services import deliverables
    from workbench.services.preferences import load_preferences

    preferences = load_preferences()
    path = light_location(args)  # read in plain SQL: the database layer is not imported
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)  # render_report names the file inside it
    written = deliverables.render_report(path, args.engagement, folder or Path(args.output).expanduser(),
                                         kind=args.kind,
                                         draft=args.draft, branding=preferences.branding(),
                                         day_rate=preferences.day_rate, currency=preferences.currency,
                                         chart_worker=worker, file_format=args.file_format)
    return {"file": str(written), "kind": args.kind, "format": args.file_format}, [str(written)]


def _sign_and_report(args: argparse.Namespace, folder: Path | None, worker: Any) -> tuple[dict[str, Any], list[str]]:
    """A signed report (JSON result, text lines)."""
    from workbench.services import deliverables
    from workbench.services import signatures as sg
    from workbench.services.preferences import load_preferences

    preferences = load_preferences()
    provider = sg.cli_passphrase_provider(args.passphrase_file)
    notify = None if args.passphrase_file else _notify  # the no-keychain notice matters only when a prompt follows
    terms = _signing_terms(args)
    # a refusal, a missing identity or a wrong passphrase stops us before any file is written
    sg.unlock_identity(args.identity, provider, notify=notify)
    with open_workspace(args, write=False) as ws:
        uid, head = sg.engagement_anchor(ws, args.engagement)
        target = Path(args.output).expanduser()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / deliverables.default_file_name(_ref_of(ws, uid), args.kind)
        # rendered into memory and signed from there: no unsigned copy of the report on any disk
        rendered = deliverables.render_pdf(ws, args.engagement, kind=args.kind,
                                           draft=True if terms.draft else args.draft,
                                           branding=preferences.branding(args.identity),
                                           day_rate=preferences.day_rate, currency=preferences.currency,
                                           expect_head=head, chart_worker=worker)
        placement = deliverables.signature_placement(rendered.data)
        signed = sg.sign_report(rendered.data, target, args.identity, provider, role=terms.role_label,
                                engagement_uid=uid, chain_head=head, page=placement.page_index,
                                box=placement.rect, notify=notify, draft=terms.draft)
    signature = {**signed.to_json(), "role": terms.role, "draft": terms.draft}
    what = "a signed DRAFT (not an audit opinion)" if terms.draft else "signed"
    return ({"file": str(target), "kind": args.kind, "signature": signature},
            [str(target), f"{what} by {signature['signer']} as {terms.role_label} at {signature['signed_at']}"])


def _signing_terms(args: argparse.Namespace) -> Any:
    """The role and draft state the signature may carry (services.report_signing), before any passphrase."""
    from workbench.services import signatures as sg
    from workbench.services.report_signing import signing_terms

    identity = sg.get_identity(args.identity)
    with open_workspace(args, write=False) as ws:
        return signing_terms(ws, args.engagement, identity.id, identity.name, args.role,
                             draft_signature=args.draft_signature, draft_mark=args.draft)


def _output_folder(output: Path | str, extension: str = "pdf") -> Path | None:
    """-o names a folder (made if need be) when it is one, ends in a slash or has no suffix ("out/", "out");
    otherwise it is the file itself and must end in .pdf (.docx for a working copy)."""
    text = str(output)
    path = Path(text).expanduser()
    if path.is_dir() or text.endswith(("/", os.sep)) or not path.suffix:
        return path
    if path.suffix.lower() != f".{extension}":
        raise ValidationError(f"report file: '{path.name}' should end in .{extension} (or give a folder for the "
                              "default name)")
    return None


def _ref_of(ws: Any, uid: str) -> str:
    from workbench.services.unit import reading

    with reading(ws, uid) as (_session, engagement):
        return engagement.ref


def cmd_verify(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    result = sg.verify_report(args.file)
    if args.json:
        emit_json(result.to_json())
    else:
        print("\n".join(sg.describe_verification(result)))
        if not result.ok:
            print(f"workbench: {result.verdict}", file=sys.stderr)
    return 0 if result.ok else 1


def cmd_identity_create(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    extra = {"validity_days": args.days} if args.days is not None else {}
    identity = sg.create_identity(args.name, args.email, args.firm,
                                  sg.cli_passphrase_provider(args.passphrase_file, confirm_new=True),
                                  notify=None if args.passphrase_file else _notify, **extra)
    _show_identity(identity, args.json)
    return 0


def cmd_identity_import(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    identity = sg.import_identity(args.file, sg.cli_passphrase_provider(args.passphrase_file, confirm_new=True),
                                  notify=None if args.passphrase_file else _notify)
    _show_identity(identity, args.json)
    return 0


def cmd_identity_certificate(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    print(f"wrote {sg.write_certificate(args.identity, args.output)}")
    return 0


def cmd_identity_show(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    _show_identity(sg.get_identity(args.identity), args.json)
    return 0


def cmd_identity_list(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    found = sg.list_identities()
    if args.json:
        emit_json([sg.identity_details(identity) for identity in found])
    elif not found:
        print("no signing identity yet; create one with `workbench identity create --name ... --email ...`")
    else:
        for identity in found:
            print("\n".join(sg.describe_identity(identity)))
    return 0


def _show_identity(identity: Any, as_json: bool) -> None:
    from workbench.services import signatures as sg

    if as_json:
        emit_json(sg.identity_details(identity))
    else:
        print("\n".join(sg.describe_identity(identity)))


def cmd_trust_import(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    for certificate in sg.import_trust(args.file):
        print(f"trusted: {_trust_line(certificate)}")
    return 0


def _trust_line(certificate: Any) -> str:
    from workbench.domain.signing_rules import format_fingerprint

    return (f"{certificate.subject} (until {certificate.not_after[:10]}, {certificate.origin}), "
            f"SHA-256 {format_fingerprint(certificate.fingerprint)}")


def cmd_trust_list(args: argparse.Namespace) -> int:
    from workbench.services import signatures as sg

    trusted = sg.list_trust()
    if args.json:
        emit_json([t.to_json() for t in trusted])
    elif not trusted:
        print("no imported CA certificates; your own identities' CAs are always trusted")
    else:
        for t in trusted:
            print(_trust_line(t))
    return 0
