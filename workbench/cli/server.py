"""`workbench server …`: a team server's workspace on PostgreSQL (docs/team-server.md).

    workbench --db postgresql://admin@host/audits server init    create (or upgrade) the workspace schema
    workbench --db … server grant ENG ROLE --as reviewer          staff a PostgreSQL role on an engagement
    workbench --db … server checkout ENG --to LAPTOP.db           the engagement to this laptop for offline fieldwork
    workbench --db … server checkin ENG --from LAPTOP.db          merged back; the laptop's copy removed
    workbench --db … server release ENG [--reason TEXT]           undo a checkout without merging (a lost laptop)
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.output import emit_json
from workbench.cli.workspace import open_laptop_workspace, open_workspace, workspace_location
from workbench.domain.errors import ValidationError, WorkspaceError


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
    _register_checkout(actions)


def _register_checkout(actions: Any) -> None:
    from workbench.cli.signer import add_identity_options

    out = actions.add_parser("checkout", help="copy an engagement to this laptop's workspace file for offline "
                                              "fieldwork; the server's copy is read-only until it is checked in")
    out.add_argument("engagement", metavar="ENG")
    out.add_argument("--to", metavar="LAPTOP.db", help="the laptop's workspace file (default: your usual "
                                                                  "workspace; a new one is created encrypted)")
    add_identity_options(out, "checks the engagement out (only it checks it in) and signs the hand-out")
    out.add_argument("--json", action="store_true")
    out.set_defaults(handler=cmd_server_checkout)
    back = actions.add_parser("checkin", help="merge a checked-out engagement back into the server and remove it "
                                              "from the laptop's workspace")
    back.add_argument("engagement", metavar="ENG")
    back.add_argument("--from", dest="source", metavar="LAPTOP.db",
                      help="the laptop's workspace file (default: your usual workspace)")
    back.add_argument("--take", choices=("mine", "theirs"), help="decide any merge conflict this way (none arise "
                                                                 "while the engagement is checked out)")
    add_identity_options(back, "checked the engagement out, and attests the merge")
    back.add_argument("--json", action="store_true")
    back.set_defaults(handler=cmd_server_checkin)
    free = actions.add_parser("release", help="undo a checkout without merging (a lost laptop): a reviewer or "
                                              "partner of the engagement")
    free.add_argument("engagement", metavar="ENG")
    free.add_argument("--reason", default="", help="why, kept in the audit trail")
    add_identity_options(free, "releases the checkout (named in the audit trail)")
    free.add_argument("--json", action="store_true")
    free.set_defaults(handler=cmd_server_release)


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


def _team_server(args: argparse.Namespace) -> str:
    """--db must name a team server (refused before anything is opened or created)."""
    location = workspace_location(args)
    if not isinstance(location, str):
        raise WorkspaceError(f"{location} is not a team server: engagements are checked out of a postgresql:// "
                             "workspace (--db)")
    return location


def cmd_server_checkout(args: argparse.Namespace) -> int:
    from workbench.cli.signer import unlock_signer
    from workbench.services.checkout import checkout, ready_to_check_out

    _team_server(args)
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as server:
        ready_to_check_out(server, args.engagement)  # refused before the laptop's workspace is made
        with open_laptop_workspace(args, args.to, create=True) as laptop:
            mark = checkout(server, args.engagement, laptop, signer=signer)
    if args.json:
        emit_json(mark.as_dict())
    else:
        print(f"{mark.engagement_ref} checked out to {mark.holder}'s laptop ({mark.place}); the server's copy takes "
              "no change until `workbench server checkin`")
    return 0


def cmd_server_checkin(args: argparse.Namespace) -> int:
    from workbench.cli.fieldwork import conflict_lines
    from workbench.cli.signer import unlock_signer
    from workbench.services.checkout import checkin
    from workbench.services.merge import MergeConflicts

    _team_server(args)
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as server, open_laptop_workspace(args, args.source, create=False) as laptop:
        try:
            result = checkin(laptop, args.engagement, server, signer=signer, take=args.take)
        except MergeConflicts as exc:
            for conflict in exc.conflicts:
                print("\n".join(conflict_lines(conflict)))
            raise ValidationError(f"{exc}; decide them with --take mine|theirs (nothing was checked in)") from None
    if args.json:
        emit_json({"checkout": result.checkout.as_dict(), "merge": result.merge.as_dict()})
    else:
        print(f"{result.checkout.engagement_ref} checked in: {result.merge.preview.events} event(s) merged, "
              f"{result.merge.changed} record(s) changed, attested by {signer.name}; removed from "
              f"{laptop.location}")
    return 0


def cmd_server_release(args: argparse.Namespace) -> int:
    from workbench.cli.signer import unlock_signer
    from workbench.services.checkout import release

    _team_server(args)
    signer = unlock_signer(args)
    with open_workspace(args, write=True) as server:
        released = release(server, args.engagement, signer=signer, reason=args.reason)
    if args.json:
        emit_json({**released.as_dict(), "released_by": signer.name})
    else:
        print(f"{released.engagement_ref}: {released.holder}'s checkout released by {signer.name}; the laptop's "
              "work is not merged (export it there and `workbench merge` it)")
    return 0
