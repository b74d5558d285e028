"""Rebuild the sample engagement packages from content/*.json and evidence/.

    python sample_audits/build.py            # writes sample_audits/<name>.mlaudit

Each sample is created through the workbench's services in a scratch workspace and exported,
so the packages carry a genuine audit trail and pass every import check.

The people who sign off in a sample sign with *sample identities*: made afresh for each build in a
scratch folder (firm "Workbench sample (demonstration)") and thrown away afterwards, so no sample key
exists anywhere. Their attestations verify, but no computer trusts their CA: the samples are imported
as untrusted packages (services.samples.import_samples says so in the trail).
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from pathlib import Path

from workbench.services.packages import export_package
from workbench.services.samples import build_engagement, lead_auditor, signer_names
from workbench.signing import identities
from workbench.signing.attest import Signer
from workbench.store.workspace import Workspace

HERE = Path(__file__).resolve().parent
SAMPLE_FIRM = "Workbench sample (demonstration)"


def sample_signer(name: str, folder: Path) -> Signer:
    """A throw-away identity for a person of the samples (its passphrase is random and forgotten)."""
    import secrets

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    email = ".".join(ascii_name.split()) + "@samples.example"
    passphrase = secrets.token_urlsafe(24)
    identity = identities.create_identity(name, email, SAMPLE_FIRM, passphrase, base=folder)
    return Signer.of(identity, identities.load_private_key(identity, passphrase))


def build_all(target_dir: Path = HERE) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as scratch, \
            Workspace(Path(scratch) / "samples.db", actor="sample-builder") as ws:
        contents = sorted((HERE / "content").glob("*.json"))
        people = sorted({name for content in contents for name in signer_names(content)})
        signers = {name: sample_signer(name, Path(scratch) / "identities") for name in people}
        for content in contents:
            uid = build_engagement(ws, content, HERE / "evidence", signers)
            target = target_dir / f"{content.stem}.mlaudit"
            export_package(ws, uid, target, signer=signers[lead_auditor(content)])
            written.append(target)
    return written


if __name__ == "__main__":
    for path in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {path}")
