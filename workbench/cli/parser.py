"""The command line's argument parser: the core sub-commands here, the others from COMMAND_MODULES."""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from workbench import __version__
from workbench.domain.errors import WorkbenchError

# modules adding sub-commands: each has `register(sub)` taking the sub-parsers object
COMMAND_MODULES: tuple[str, ...] = (
    "workbench.cli.checklist",
    "workbench.cli.deliverables",
    "workbench.cli.encryption",
    "workbench.cli.fieldwork",
    "workbench.cli.frameworks",
    "workbench.cli.matrices",
    "workbench.cli.portfolio",
    "workbench.cli.review",
    "workbench.cli.server",
)


class UsageError(WorkbenchError):
    """argparse's complaint, reported like every other bad input."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("workbench").strip()
        raise UsageError(f"{command}: {message}" if command else message)


def _add_workspace_options(parser: argparse.ArgumentParser) -> None:
    """The options before any sub-command: which workspace, how it is unlocked or created."""
    parser.add_argument("--db", metavar="FILE|URL",
                        help="workspace file, or a team server's postgresql:// URL (default: WORKBENCH_DB or the user "
                             "data folder)")
    parser.add_argument("--db-passphrase-file", type=Path, metavar="FILE",
                        help="an encrypted workspace's passphrase, on this file's first line (else the keychain, "
                             "else a prompt)")
    parser.add_argument("--plain-workspace", action="store_true",
                        help="create a new workspace WITHOUT encryption (by default a new one is encrypted)")


def window_start(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of `workbench [--db …] [--db-passphrase-file …] [--plain-workspace]` (the desktop app),
    read without building every sub-command's parser (a tenth of the window's start-up); None for anything
    else (a sub-command, --help, --version, a mistake), which build_parser() then reads as always."""
    parser = Parser(prog="workbench", add_help=False, allow_abbrev=False)
    _add_workspace_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except WorkbenchError:
        return None  # `--db` without its value...: the whole parser says so in its own words
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    from workbench.cli import commands as c
    from workbench.cli.signer import add_identity_options

    parser = Parser(prog="workbench", description="MLOps Audit Workbench")
    _add_workspace_options(parser)
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")  # listed below, one a line

    p = sub.add_parser("new", help="start an engagement (or a re-audit with --from)")
    p.add_argument("--client")
    p.add_argument("--title")
    p.add_argument("--framework", default=None)
    p.add_argument("--system")
    p.add_argument("--auditor")
    p.add_argument("--from", dest="from_engagement", metavar="ENG")
    p.add_argument("--starter", action="store_true",
                   help="start from the seed templates: risks, costs, roadmap phases and matrix rows")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=c.cmd_new)

    p = sub.add_parser("list", help="list engagements")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=c.cmd_list)

    for name, handler, text in (("show", c.cmd_show, "show an engagement"),
                                ("score", c.cmd_score, "score, band and verdict of an engagement")):
        p = sub.add_parser(name, help=text)
        p.add_argument("engagement", metavar="ENG")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)

    p = sub.add_parser("assess", help="set a dimension's maturity level")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("dimension")
    p.add_argument("--level", type=int)
    p.add_argument("--target", type=int)
    p.add_argument("--justification")
    p.set_defaults(handler=c.cmd_assess)

    p = sub.add_parser("answer", help="answer a checklist item (yes, partial, no, na, or a graded item's option)")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("item")
    p.add_argument("answer", help="yes, partial, no or na; a graded item takes an option of its scale, or na")
    p.add_argument("--note")
    p.add_argument("--target", help="a graded item's target state (an option of its scale)")
    p.add_argument("--priority", help="a graded item's priority: high, medium or low")
    p.set_defaults(handler=c.cmd_answer)

    p = sub.add_parser("records", help="import or export findings, models or risks")
    rsub = p.add_subparsers(dest="records_command", required=True, parser_class=Parser)
    ri = rsub.add_parser("import", help="import all rows of a CSV or JSON file, or none")
    ri.add_argument("engagement", metavar="ENG")
    ri.add_argument("kind", choices=["findings", "models", "risks"])
    ri.add_argument("file", type=Path)
    ri.set_defaults(handler=c.cmd_records_import)
    re_ = rsub.add_parser("export", help="export to CSV, XLSX or JSON")
    re_.add_argument("engagement", metavar="ENG")
    re_.add_argument("kind", choices=["findings", "models", "risks"])
    re_.add_argument("-o", "--output", type=Path, required=True)
    re_.set_defaults(handler=c.cmd_records_export)

    p = sub.add_parser("import", help="import an engagement package (.mlaudit)")
    p.add_argument("file", type=Path)
    p.add_argument("--as-copy", action="store_true")
    p.add_argument("--untrusted", action="store_true",
                   help="import a package that is unsigned or signed by an identity this computer does not trust "
                        "(recorded in the audit trail); a package whose signature or attestations fail is refused "
                        "all the same")
    p.add_argument("--passphrase-file", type=Path, metavar="FILE",
                   help="a package encrypted for you: your identity key's passphrase on this file's first line "
                        "(else the keychain, else a prompt)")
    p.add_argument("--package-passphrase-file", type=Path, metavar="FILE",
                   help="a package encrypted with a passphrase: that passphrase on this file's first line (else a "
                        "prompt)")
    p.set_defaults(handler=c.cmd_import)

    p = sub.add_parser("export", help="export an engagement package (.mlaudit), signed by your identity")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--oscal", action="store_true", help="write OSCAL assessment results (JSON) instead")
    p.add_argument("--unsigned", action="store_true",
                   help="write an unsigned package (it can only be imported as untrusted)")
    p.add_argument("--to", type=Path, action="append", default=[], metavar="CERT",
                   help="encrypt the package for the holder of this certificate (PEM or DER; repeat for several "
                        "recipients): only their identity can open it")
    p.add_argument("--encrypt-with-passphrase", action="store_true",
                   help="encrypt the package with a passphrase (asked twice, or --package-passphrase-file)")
    p.add_argument("--package-passphrase-file", type=Path, metavar="FILE",
                   help="with --encrypt-with-passphrase: the package's passphrase on this file's first line")
    p.add_argument("--for-fieldwork", action="store_true",
                   help="hand the engagement out to a colleague's laptop: it imports as the same engagement, and "
                        "`workbench merge` brings its changes back")
    add_identity_options(p, "signs the package and attests its trail")
    p.set_defaults(handler=c.cmd_export)

    p = sub.add_parser("log", help="show, or verify, an engagement's audit trail")
    p.add_argument("engagement", metavar="ENG")
    p.add_argument("--verify", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=c.cmd_log)

    p = sub.add_parser("backup", help="copy the whole workspace to a file")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=c.cmd_backup)

    p = sub.add_parser("demo", help="open the app on the bundled sample engagements (a separate demo workspace)")
    p.add_argument("--no-gui", action="store_true", help="import the samples and print the DriftGuardAI score")
    p.set_defaults(handler=c.cmd_demo)

    p = sub.add_parser("restore", help="replace the workspace with a backup (the current one is kept aside)")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=c.cmd_restore)
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(sub)
    return parser
