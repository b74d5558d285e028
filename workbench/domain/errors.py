"""Errors whose message is meant for the user: one plain sentence, no traceback.

Every layer raises these for problems the user caused (bad input, a foreign file, a locked
workspace); the CLI prints the message and exits 2, the GUI shows it in a dialog.
"""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem the user can understand and fix; str(error) is the message shown."""

    exit_code = 2


class ValidationError(WorkbenchError):
    """A value or record breaks a rule; the message names the field and the rule.

    Raised by a field's own rule, it also carries the field's `field` name and human `field_title`, so the
    GUI can say "Due date: 'next week' is not a date" where the command line keeps the column name."""

    field: str | None = None
    field_title: str = ""


class NotFoundError(WorkbenchError):
    """An engagement, record or framework the user named does not exist."""


class ConflictError(WorkbenchError):
    """The action clashes with existing data (a duplicate uid, a locked engagement...)."""


class StaleEditError(ConflictError):
    """An edit based on what the auditor saw, which someone else has changed meanwhile: refused, never a silent
    overwrite (services.records.update_record's `seen`); the page reloads the record."""


class CheckedOutError(ConflictError):
    """The engagement is checked out of the team server to a laptop (services/checkout.py): no change here until
    it is checked in or released. The GUI shows the engagement read-only with this reason."""


class WorkspaceError(WorkbenchError):
    """The workspace file cannot be used: in use, not a workspace, newer schema."""


class PackageError(WorkbenchError):
    """An engagement package (.mlaudit) is refused; the message names the problem."""


class IntegrityError(WorkbenchError):
    """A check failed (audit trail broken); exit code 1 rather than 2."""

    exit_code = 1
