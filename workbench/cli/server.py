"""`workbench server …`: a team server's workspace on PostgreSQL (docs/team-server.md).

    workbench --db postgresql://admin@host/audits server init    create (or upgrade) the workspace schema
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.output import emit_json
from workbench.cli.workspace import workspace_location


def register(sub: Any) -> None:
    p = sub.add_parser("server", help="a team server's workspace on PostgreSQL (--db postgresql://…)")
    actions = p.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="create the workspace schema in the server's database, or upgrade it")
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=cmd_server_init)


def cmd_server_init(args: argparse.Namespace) -> int:
    from workbench.services.team_server import init_server

    location = workspace_location(args)
    schema = init_server(str(location) if isinstance(location, str) else location.as_posix())
    if not schema.changed:
        text = f"{schema.location}: the workspace schema is up to date ({schema.after})"
    elif schema.before is None:
        text = f"{schema.location}: workspace schema created ({schema.after})"
    else:
        text = f"{schema.location}: workspace schema upgraded from {schema.before} to {schema.after}"
    if args.json:
        emit_json({"server": schema.location, "before": schema.before, "after": schema.after})
    else:
        print(text)
    return 0
