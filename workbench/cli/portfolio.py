"""Command line for the portfolio and for comparing two engagements.

    workbench portfolio [--json] [--active]     every client with its audits over time, open Critical/High
                                                findings and overdue remediation on its current audits
    workbench compare EARLIER LATER [--json]    per dimension (level, change) and per finding
                                                (new, resolved, still open)
"""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli.output import emit_json
from workbench.cli.workspace import open_workspace
from workbench.domain.wording import plural

__all__ = ["register"]


def register(sub: Any) -> None:
    p = sub.add_parser("portfolio", help="every client with its audits over time and what is open across them")
    p.add_argument("--active", action="store_true", help="leave archived engagements out")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_portfolio)

    p = sub.add_parser("compare", help="compare two engagements: each dimension and each finding")
    p.add_argument("earlier", metavar="EARLIER")
    p.add_argument("later", metavar="LATER")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_compare)


def _score(score: float | None, out_of: float) -> str:
    return "not scored" if score is None else f"{score:g} / {out_of:g}"


def cmd_portfolio(args: argparse.Namespace) -> int:
    from workbench.services.portfolio import portfolio

    with open_workspace(args, write=False) as ws:
        clients = portfolio(ws, include_archived=not args.active)
    if args.json:
        emit_json([client.as_dict() for client in clients])
        return 0
    if not clients:
        print("no engagements yet")
        return 0
    for client in clients:
        print(f"{client.name}  open Critical {client.open_critical}, High {client.open_high}; "
              f"overdue remediation {client.overdue}")
        for audit in client.audits:
            mark = "" if audit.current else "  (followed by a re-audit)"
            print(f"  {audit.started}  {audit.ref:<14} {_score(audit.score, audit.out_of):<12} "
                  f"{audit.verdict or '-':<15} {audit.title}{mark}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from workbench.services.comparison import STATES, compare_engagements

    with open_workspace(args, write=False) as ws:
        comparison = compare_engagements(ws, args.earlier, args.later)
    if args.json:
        emit_json(comparison.as_dict())
        return 0
    earlier, later = comparison.earlier, comparison.later
    print(f"{earlier.ref} ({_score(earlier.score, earlier.out_of)}) → {later.ref} "
          f"({_score(later.score, later.out_of)})")
    print("\ndimension                               earlier  later  change")
    for d in comparison.dimensions:
        change = "" if d.change is None else f"{d.change:+d}"
        print(f"  {d.name[:38]:<38} {_level(d.earlier_level):>7} {_level(d.later_level):>6}  {change:>6}")
    for state in STATES:
        changes = [f for f in comparison.findings if f.state == state]
        print(f"\n{state}: {plural(len(changes), 'finding')}")
        for f in changes:
            print(f"  {f.later_ref or f.earlier_ref:<8} {f.severity:<9} {f.title}")
    return 0


def _level(level: int | None) -> str:
    return "-" if level is None else str(level)
