"""`workbench server …`: a team server's workspace on PostgreSQL (docs/team-server.md).

    workbench --db postgresql://admin@host/audits server init    create (or upgrade) the workspace schema
    workbench --db … server grant ENG ROLE --as reviewer          staff a PostgreSQL role on an engagement
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
    grant = actions.add_parser("grant", help="staff a PostgreSQL role on an engagement (it then sees that engagement)")
    grant.add_argument("engagement", metavar="ENG")
    grant.add_argument("role", metavar="ROLE", help="the auditor's PostgreSQL role (its login)")
    grant.add_argument("--as", dest="duty", required=True, choices=("preparer", "reviewer", "partner"))
    grant.add_argument("--json", action="store_true")
    grant.set_defaults(handler=cmd_server_grant)


def _server_url(args: argparse.Namespace) -> str:
    location = workspace_location(args)
    return location if isinstance(location, str) else location.as_posix()


def cmd_server_init(args: argparse.Namespace) -> int:
    from workbench.services.team_server import init_server

    schema = init_server(_server_url(args))
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


def cmd_server_grant(args: argparse.Namespace) -> int:
    from workbench.services.team_server import grant_membership

    member = grant_membership(_server_url(args), args.engagement, args.role, args.duty)
    if args.json:
        emit_json({"engagement": member.engagement_ref, "role": member.role, "as": member.duty})
    else:
        print(f"{member.role} is staffed on {member.engagement_ref} as {member.duty}")
    return 0
