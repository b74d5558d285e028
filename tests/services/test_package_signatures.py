"""Signed packages (format 2) against a forger, and the whole hostile corpus through the command line.

The forger can unzip, edit, recompute every hash of the chain and of the manifest, and sign with a key of
their own; what they cannot do is sign with the preparer's, the reviewer's or the exporter's key. Every
variant is refused (exit 2, workspace byte-identical) unless imported explicitly as untrusted; those that
alter the engagement's history are refused even then.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import file_hash
from tests.helpers.engagements import finalised_engagement
from tests.helpers.hostile_packages import (
    BAD_PACKAGES,
    append_low_severity,
    attested_by,
    build_engagement,
    critical_turned_low,
    drop_events,
    forge,
    forged_head,
    is_attestation,
    rewrite,
)
from workbench.cli import main
from workbench.domain.errors import PackageError
from workbench.domain.trail import IMPORT_EVENTS
from workbench.services import engagements
from workbench.services.packages import UntrustedPackage, export_package, import_package
from workbench.services.trail import audit_log, verify_engagement
from workbench.store.workspace import Workspace


@pytest.fixture(scope="module")
def final_package(tmp_path_factory: pytest.TempPathFactory, signer_pool: dict[str, Any]) -> Path:
    """A final engagement, prepared by Ana, reviewed and finalised by Rui, exported and signed by Rui."""
    folder = tmp_path_factory.mktemp("final-package")
    preparer, reviewer = signer_pool["preparer"], signer_pool["reviewer"]
    with Workspace(folder / "source.db", actor="tester") as ws:
        uid = finalised_engagement(ws, preparer, reviewer)
        return export_package(ws, uid, folder / "final.mlaudit", signer=reviewer)


@pytest.fixture(scope="module")
def open_package(tmp_path_factory: pytest.TempPathFactory, signer_pool: dict[str, Any]) -> Path:
    """The package the hostile corpus is built from (tests/helpers/hostile_packages.build_engagement), signed by Ana."""
    folder = tmp_path_factory.mktemp("open-package")
    with Workspace(folder / "source.db", actor="tester") as ws:
        uid = build_engagement(ws, signer_pool["preparer"])
        return export_package(ws, uid, folder / "open.mlaudit", signer=signer_pool["preparer"])


@pytest.fixture(autouse=True)
def trusting(preparer: Any, reviewer: Any) -> None:
    """This computer trusts Ana's and Rui's CAs; the stranger's (the forger's key) it does not."""


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    """A workspace that already holds an engagement (so "byte-identical" means something)."""
    path = tmp_path / "target.db"
    with Workspace(path) as ws:
        engagements.create_engagement(ws, client="Someone", title="Already here")
    yield path


def cli_import(db: Path, package: Path, *extra: str) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), "import", str(package), "--as-copy", *extra])
    return code, out.getvalue(), err.getvalue()


# (make the forgery from the good package and the forger's signer, refused even with --untrusted?, message)
Forgery = tuple[Callable[[Path, Path, Any], None], bool, str]
FORGERIES: dict[str, Forgery] = {
    "history rewritten, hashes recomputed, re-signed by the forger": (
        lambda p, t, f: forge(p, t, critical_turned_low, sign_with=f), True, "(the history was rewritten)"),
    "history rewritten, hashes recomputed, unsigned": (
        lambda p, t, f: forge(p, t, critical_turned_low), True, "(the history was rewritten)"),
    "last event (the export's attestation) deleted": (
        lambda p, t, f: forge(p, t, drop_events(is_attestation("export")), sign_with=f), False,
        "whom this computer does not trust"),
    "finalisation's attestation deleted": (
        lambda p, t, f: forge(p, t, drop_events(is_attestation("export"), is_attestation("finalise"))), True,
        "the engagement is final, but event #"),
    "event appended with its row changed to match": (
        lambda p, t, f: forge(p, t, append_low_severity, sign_with=f), True,
        "not attested after the last valid attestation"),
    "attestation forged": (lambda p, t, f: forge(p, t, forged_head), True,
                           "does not hold: the signature does not match what it claims to sign"),
    "attestation removed": (lambda p, t, f: forge(p, t, drop_events(is_attestation("sign_off"))), True,
                            "the audit trail in the package is not attested as it should be"),
    "attestation by an untrusted identity": (lambda p, t, f: forge(p, t, attested_by(f)), True,
                                             "the audit trail in the package is not attested as it should be"),
    "manifest altered after signing": (
        lambda p, t, f: rewrite(p, t, manifest=lambda m: m.update(app_version="9.9"), keep_signature=True), True,
        "the package's signature does not hold"),
    "signature by an untrusted identity": (lambda p, t, f: rewrite(p, t, sign_with=f), False,
                                           "is signed by Sam Stranger"),
    "unsigned format 2 package": (lambda p, t, f: rewrite(p, t), False, "is not signed"),
    "format 1 package": (lambda p, t, f: rewrite(p, t, manifest=lambda m: m.update(format_version=1)), False,
                         "is a package of format 1, which has no signature"),
}


@pytest.mark.parametrize("case", sorted(FORGERIES))
def test_forged_packages_are_refused(case: str, final_package: Path, stranger: Any, db: Path,
                                     tmp_path: Path) -> None:
    make, always, message = FORGERIES[case]
    bad = tmp_path / "final.mlaudit.bad"
    make(final_package, bad, stranger)
    before = file_hash(db)
    code, out, err = cli_import(db, bad)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert message in err or "--untrusted" in err, err
    assert file_hash(db) == before
    code, out, err = cli_import(db, bad, "--untrusted")
    if always:
        assert code == 2 and message in err and file_hash(db) == before, err
        return
    assert code == 0 and "workbench: imported as untrusted: the package" in err
    assert message in err
    with Workspace(db) as ws:
        uid = out.split("(")[1].rstrip(")\n")
        notice = next(e for e in audit_log(ws, uid) if e["action"] == "import_untrusted")
        assert notice["entity"] == "notice" and message.split(" (")[0] in notice["after"]["reason"]
        assert verify_engagement(ws, uid).ok


def test_the_signed_final_package_imports_trusted_and_verifies(final_package: Path, db: Path, capsys) -> None:
    code, out, err = cli_import(db, final_package)
    assert code == 0 and err == ""
    uid = out.split("(")[1].rstrip(")\n")
    assert main(["--db", str(db), "log", uid, "--verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["final"]
    assert [a["purpose"] for a in report["attestations"]] == ["sign_off"] * (8 + 8 + 2) + ["finalise", "export"]
    assert all(a["trusted"] for a in report["attestations"])
    with Workspace(db) as ws:  # only what this workspace's import appended follows the export's attestation
        tail = audit_log(ws, uid)[report["attested_through"]:]
    assert [(e["action"], e["entity"]) for e in tail][:2] == [("import", "engagement"), ("copy", "engagement")]
    assert all((e["action"], e["entity"]) in IMPORT_EVENTS for e in tail)
    assert report["unattested"] == [tail[0]["seq"], tail[-1]["seq"]]
    assert main(["--db", str(db), "log", uid, "--verify"]) == 0
    assert "attested through the finalisation; events #" in capsys.readouterr().out


def test_an_open_engagement_from_a_signed_package_is_attested_up_to_its_import(open_package: Path, db: Path,
                                                                                capsys) -> None:
    """Not final, but exported signed: its export attestation covers the whole package's trail, and what the
    import appended here is named as such, not as unattested work."""
    code, out, _err = cli_import(db, open_package)
    uid = out.split("(")[1].rstrip(")\n")
    assert code == 0 and main(["--db", str(db), "log", uid, "--verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert not report["final"] and report["imported_after"] and report["attestations"][-1]["purpose"] == "export"
    assert main(["--db", str(db), "log", uid, "--verify"]) == 0
    through = report["attested_through"]
    assert f"attested through event #{through}; events #{through + 1}-#" in capsys.readouterr().out


def test_untrusted_import_is_refused_by_the_service_with_the_reason(final_package: Path, stranger: Any,
                                                                    tmp_path: Path) -> None:
    bad = tmp_path / "stranger.mlaudit"
    rewrite(final_package, bad, sign_with=stranger)
    with Workspace(tmp_path / "ws.db") as ws:
        with pytest.raises(UntrustedPackage) as refused:
            import_package(ws, bad)
        assert refused.value.reason.startswith("is signed by Sam Stranger (")
        assert str(refused.value).endswith("as an untrusted package (--untrusted)")


@pytest.mark.parametrize("case", sorted(BAD_PACKAGES))
def test_the_hostile_corpus_is_refused_by_the_command_line(case: str, open_package: Path, db: Path,
                                                           tmp_path: Path) -> None:
    """Every variant: exit 2, one line, the workspace byte-identical, with or without --untrusted."""
    make, _message = BAD_PACKAGES[case]
    bad = tmp_path / "bad.mlaudit"
    make(open_package, bad)
    before = file_hash(db)
    for extra in ((), ("--untrusted",)):
        code, out, err = cli_import(db, bad, *extra)
        assert code == 2 and out == "" and err.startswith("workbench: ") and err.count("\n") == 1, (extra, err)
        assert "Traceback" not in err and file_hash(db) == before


def test_the_corpus_holds_at_least_59_variants_and_the_forgeries() -> None:
    assert len(BAD_PACKAGES) >= 59 and len(FORGERIES) >= 11


def test_a_package_of_the_older_format_still_reads(open_package: Path, tmp_path: Path) -> None:
    """Format 1 (no signature.json, no export attestation) imports as an unsigned package."""
    old = tmp_path / "old.mlaudit"

    def as_written_before(document: dict[str, Any]) -> None:
        document["audit_log"].pop()  # no export attestation in format 1

    rewrite(open_package, old, doc=as_written_before, manifest=lambda m: m.update(format_version=1))
    with zipfile.ZipFile(old) as archive:
        assert "signature.json" not in archive.namelist()
    with Workspace(tmp_path / "ws.db") as ws:
        with pytest.raises(PackageError, match="format 1, which has no signature"):
            import_package(ws, old)
        uid = import_package(ws, old, untrusted=True)
        assert verify_engagement(ws, uid).ok
