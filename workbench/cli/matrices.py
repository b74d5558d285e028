"""Command line for the supporting matrices.

    workbench matrices export ENG KIND FILE     one matrix (compliance, platform, tool, monitoring, readiness …)
                                                to .csv, .xlsx or .json
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.workspace import open_workspace
from workbench.domain.matrices import COLUMNS

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser("matrices", help="export a supporting matrix for the client")
    msub = p.add_subparsers(dest="matrices_command", required=True, parser_class=type(p))
    export = msub.add_parser("export", help="write one matrix to CSV, XLSX or JSON (the extension chooses)")
    export.add_argument("engagement", metavar="ENG")
    export.add_argument("kind", choices=list(COLUMNS))
    export.add_argument("output")
    export.set_defaults(handler=cmd_matrices_export)


def cmd_matrices_export(args: argparse.Namespace) -> int:
    from workbench.services.matrix_export import export_matrix

    with open_workspace(args, write=False) as ws:
        written = export_matrix(ws, args.engagement, args.kind, args.output)
    print(f"wrote {written}")
    return 0
