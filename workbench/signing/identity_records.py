"""The signing identities as recorded in their identity.json files: listed and looked up without cryptography.

A report names the newest identity's holder and firm (services.preferences.signing_identity_facts), and
`identity list` shows them: neither needs a key or a certificate, so neither loads cryptography (about
0.1 s); `Identity.certificate()` / `chain()` load it when asked. signing/identities.py creates, imports and
unlocks identities, and re-exports these names.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from workbench.domain.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["Identity", "get_identity", "identities_dir", "list_identities", "read_identity"]


def identities_dir() -> Path:
    override = os.environ.get("WORKBENCH_IDENTITIES")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "identities"


@dataclass(frozen=True)
class Identity:
    """One signing identity as recorded in its identity.json."""

    id: str
    name: str
    email: str
    firm: str
    fingerprint: str
    created_at: str
    not_before: str
    not_after: str
    source: str  # "created" or "imported"
    folder: Path = field(compare=False)

    @property
    def key_path(self) -> Path:
        return self.folder / "key.pem"

    @property
    def cert_path(self) -> Path:
        return self.folder / "cert.pem"

    @property
    def chain_path(self) -> Path:
        return self.folder / "chain.pem"

    def certificate(self) -> x509.Certificate:
        from cryptography import x509

        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())

    def chain(self) -> list[x509.Certificate]:
        from cryptography import x509

        if not self.chain_path.exists() or not self.chain_path.read_bytes().strip():
            return []
        return x509.load_pem_x509_certificates(self.chain_path.read_bytes())

    def expired(self, at: datetime | None = None) -> bool:
        return (at or datetime.now(UTC)) > datetime.fromisoformat(self.not_after)

    def label(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["folder"] = str(self.folder)
        return data


def read_identity(folder: Path) -> Identity:
    data = json.loads((folder / "identity.json").read_text(encoding="utf-8"))
    fields = {k: str(data.get(k, "")) for k in ("id", "name", "email", "firm", "fingerprint", "created_at",
                                                "not_before", "not_after", "source")}
    return Identity(folder=folder, **fields)


def list_identities(base: Path | None = None) -> list[Identity]:
    base = base or identities_dir()
    if not base.is_dir():
        return []
    found = []
    for folder in sorted(base.iterdir()):
        if folder.name.startswith(".") or not (folder / "identity.json").is_file():
            continue
        try:
            found.append(read_identity(folder))
        except (OSError, ValueError, TypeError):
            continue  # a damaged folder is skipped, not fatal; `identity show` names the good ones
    return sorted(found, key=lambda i: (i.created_at, i.id))


def get_identity(ref: str | None, base: Path | None = None) -> Identity:
    """An identity by id or unique id prefix; with no ref, the only (or most recently created) one."""
    identities = list_identities(base)
    if not identities:
        raise NotFoundError("there is no signing identity yet; run `workbench identity create` or "
                            "`workbench identity import FILE.p12`")
    if not ref:
        return identities[-1]
    ref = ref.strip().lower()
    exact = [i for i in identities if i.id == ref or i.fingerprint == ref]
    if exact:
        return exact[0]
    matches = [i for i in identities if i.id.startswith(ref) or i.email.lower() == ref]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(f"there is no identity '{ref}'")
    raise ValidationError(f"'{ref}' matches several identities: {', '.join(i.id for i in matches)}")
