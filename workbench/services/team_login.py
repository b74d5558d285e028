"""File ▸ Connect to team server…: a server's address as the auditor types it, its password in the OS keychain.

The address (host, port, database, user) becomes a postgresql:// URL; the password goes into that URL only in
memory, for the driver. It is kept in the OS keychain (keyring, service "workbench", account
"team-server:user@host:port/database", through signing/keychain.py), never in the preferences nor the log; the
list of recent servers holds addresses only. A host starting with "/" is a Unix socket's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from workbench.domain.errors import ValidationError, WorkspaceError
from workbench.store.server_workspace import ServerWorkspace

__all__ = ["DEFAULT_PORT", "ServerAddress", "address_of", "connect_team_server", "forget_password",
           "remembered_password", "with_remembered_password"]

DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 8  # an unreachable host is said in words after this, not after the system's minutes


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int
    database: str
    user: str

    @classmethod
    def parse(cls, host: str, port: str | int, database: str, user: str) -> ServerAddress:
        """The address as typed, checked: one plain sentence for what is missing or wrong."""
        host, database, user = host.strip(), database.strip(), user.strip()
        missing = [name for name, value in (("host", host), ("database", database), ("user", user)) if not value]
        if missing:
            raise ValidationError(f"the team server's {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                                  "missing")
        try:
            number = int(str(port).strip() or DEFAULT_PORT)
        except ValueError:
            raise ValidationError(f"the port '{port}' is not a number (PostgreSQL's is usually {DEFAULT_PORT})"
                                  ) from None
        if not 0 < number < 65536:
            raise ValidationError(f"the port {number} is not between 1 and 65535")
        return cls(host, number, database, user)

    @property
    def label(self) -> str:
        """For people and for the recent servers' list: no password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str = "") -> str:
        credentials = quote(self.user, safe="") + (f":{quote(password, safe='')}" if password else "")
        query = f"connect_timeout={CONNECT_TIMEOUT_S}"
        if self.host.startswith("/"):  # a Unix socket's folder
            return f"postgresql://{credentials}@/{quote(self.database, safe='')}?host={quote(self.host)}" \
                   f"&port={self.port}&{query}"
        return f"postgresql://{credentials}@{self.host}:{self.port}/{quote(self.database, safe='')}?{query}"


def _account(address: ServerAddress) -> str:
    return f"team-server:{address.label}"


def remembered_password(address: ServerAddress) -> str | None:
    from workbench.signing import keychain

    return keychain.get_passphrase(_account(address), notify=lambda _message: None)


def forget_password(address: ServerAddress) -> None:
    from workbench.signing import keychain

    keychain.forget_passphrase(_account(address))


def connect_team_server(address: ServerAddress, password: str, *, remember: bool = True) -> ServerWorkspace:
    """Open the workspace on that server (WorkspaceError in one plain sentence: wrong password, unreachable, no
    such database, no workspace yet). Once it opens, the password is kept in the keychain (`remember`) or
    forgotten."""
    from workbench.signing import keychain
    from workbench.store.location import shown

    url = address.url(password)
    try:
        ws = ServerWorkspace(url).open()
    except WorkspaceError as exc:  # named as the auditor typed it, not by the driver's URL
        raise WorkspaceError(str(exc).replace(shown(url), address.label)) from exc
    if remember and password:
        keychain.store_passphrase(_account(address), password, notify=lambda _message: None)
    elif not remember:
        forget_password(address)
    return ws


def address_of(url: str) -> ServerAddress | None:
    """The address a postgresql:// URL names (None when it names none: a malformed URL, a missing part)."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url.replace("postgresql+psycopg://", "postgresql://", 1))
        return ServerAddress.parse(str(info.get("host") or ""), str(info.get("port") or DEFAULT_PORT),
                                   str(info.get("dbname") or ""), str(info.get("user") or ""))
    except (ProgrammingError, ValidationError):
        return None


def with_remembered_password(url: str) -> str:
    """A server's URL as a checkout recorded it (no password), with the password the keychain keeps for that
    address since File ▸ Connect to team server…: a check-in from the laptop logs in as the auditor did, not
    through whatever libpq finds (~/.pgpass). Unchanged when the URL has a password or the keychain none."""
    parts = urlsplit(url.strip())
    if "@" not in parts.netloc or parts.password is not None:
        return url
    address = address_of(url)
    password = remembered_password(address) if address is not None else None
    if not password:
        return url
    user, host = parts.netloc.rsplit("@", 1)
    return urlunsplit((parts.scheme, f"{user}:{quote(password, safe='')}@{host}", parts.path, parts.query,
                       parts.fragment))
