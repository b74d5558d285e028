"""Where a workspace lives: a local SQLite file (the default) or a database on a PostgreSQL team server.

`--db`, WORKBENCH_DB and File ▸ Connect to team server… take either a file path or a URL such as
postgresql://alice@db.example.com/audits (or postgresql:///audits?host=/run/postgresql for a Unix socket).
This module only tells them apart and writes URLs for the driver and for people (never a password): it imports
neither SQLAlchemy nor psycopg.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = ["Location", "default_location", "driver_url", "is_server_url", "libpq_url", "location_of", "server_refusal",
           "shown"]

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
Location = Path | str  # a workspace file, or a team server's URL (a str)


def is_server_url(location: object) -> bool:
    """Whether `location` (a str or Path) names a team-server database rather than a file."""
    if not isinstance(location, str):
        return False
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.lower() in SCHEMES


def location_of(text: str | Path) -> Location:
    """A --db or WORKBENCH_DB value as a Location: a server URL stays text, anything else is a file path."""
    if isinstance(text, str) and is_server_url(text.strip()):
        return text.strip()
    return Path(text).expanduser()


def default_location() -> Location:
    """WORKBENCH_DB (a file or a server URL), else the platform's user data folder's workspace.db."""
    env = os.environ.get("WORKBENCH_DB")
    if env:
        return location_of(env)
    from workbench.store.connect import default_workspace_path

    return default_workspace_path()


def _with_scheme(url: str, scheme: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment))


def driver_url(url: str) -> str:
    """The URL for SQLAlchemy with the psycopg 3 driver (postgresql+psycopg://…)."""
    return _with_scheme(url, "postgresql+psycopg")


def libpq_url(url: str) -> str:
    """The URL for psycopg itself (libpq knows postgresql:// only)."""
    return _with_scheme(url, "postgresql")


def shown(url: str) -> str:
    """The URL for messages and the status bar: a password in it is replaced by ***."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        netloc = f"{user}{':***' if ':' in credentials else ''}@{host}"
    return urlunsplit((_with_scheme(url, "postgresql").split("://", 1)[0], netloc, parts.path, parts.query, ""))


def not_granted(url: str) -> str:
    """A role the server knows but that was given no access to the workspace's tables."""
    return (f"the team server {shown(url)} does not let your role read its workspace: its administrator gives access "
            "with `workbench server grant`")


def server_refusal(url: str, message: str) -> str:
    """The driver's complaint about a connection (unreachable, login refused, no such database) in plain words."""
    lowered = message.lower()
    if "does not exist" in lowered and "database" in lowered:
        reason = "has no such database; ask its administrator, or create it and run `workbench server init`"
    elif "password" in lowered or "authentication" in lowered or "role" in lowered:
        reason = "refused the login (user name or password); check them and try again"
    else:
        reason = "cannot be reached; check the address and your network, then try again"
    return f"the team server {shown(url)} {reason}"
