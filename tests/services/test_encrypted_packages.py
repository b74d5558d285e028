"""Encrypted packages of every sample hold no client string in their bytes, open to the very engagement that was
exported (decrypted in memory, then checked as any package), and refuse whoever holds no key."""

from __future__ import annotations

import builtins
import io
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.confidential import client_strings, leaks
from workbench.domain.errors import PackageError
from workbench.services.document import engagement_document
from workbench.services.package_envelope import OpeningKeys, Protection, is_sealed, recipient_certificates
from workbench.services.packages import export_package, import_package
from workbench.services.unit import reading
from workbench.signing import keychain
from workbench.signing.keychain import PassphraseCancelled
from workbench.store.light import engagement_rows, reader
from workbench.store.workspace import Workspace

PACKAGE_PASSPHRASE = "a passphrase for e-mail"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"


@pytest.fixture(scope="module")
def sampled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sampled") / "workspace.db"
    with Workspace(path) as ws:
        for package in sorted(SAMPLES.glob("*.mlaudit")):
            import_package(ws, package, untrusted=True)
    return path


@contextmanager
def files_written() -> Iterator[list[str]]:
    """Every file opened for writing through Python (open, os.open, tempfile) while the block runs."""
    written: list[str] = []
    real_open, real_os_open = builtins.open, os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND

    def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    def spy_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & writing:
            written.append(str(path))
        return real_os_open(path, flags, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtins, "open", spy_open)
        patch.setattr(io, "open", spy_open)
        patch.setattr(os, "open", spy_os_open)
        yield written


def document_of(ws: Workspace, uid: str) -> dict[str, object]:
    with reading(ws, uid) as (session, engagement):
        return engagement_document(session, engagement)


def engagement_uids(path: Path) -> list[str]:
    with reader(path) as conn:
        return [str(row["uid"]) for row in engagement_rows(conn)]


def test_no_client_string_of_any_sample_is_in_a_package_for_a_recipient_or_a_passphrase(
        sampled: Path, preparer: object, identity_pool: dict[str, object], tmp_path: Path) -> None:
    secrets = client_strings(sampled)
    reviewer_cert = recipient_certificates([identity_pool["reviewer"].cert_path])  # type: ignore[attr-defined]
    written = []
    with Workspace(sampled, read_only=True) as ws:
        clear = export_package(ws, engagement_uids(sampled)[0], tmp_path / "clear.mlaudit", signer=preparer)  # type: ignore[arg-type]
        for uid in engagement_uids(sampled):
            for name, protection in (("recipient", Protection(reviewer_cert)),
                                     ("passphrase", Protection(passphrase=PACKAGE_PASSPHRASE))):
                target = tmp_path / f"{uid}-{name}.mlaudit"
                written.append(export_package(ws, uid, target, signer=preparer, protection=protection))  # type: ignore[arg-type]
    assert leaks([clear], secrets)  # the grep finds them in a clear package
    assert len(written) == 2 * len(engagement_uids(sampled)) and all(is_sealed(path) for path in written)
    assert not leaks(written, secrets)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([clear.name] + [p.name for p in written])


def test_the_recipient_opens_exactly_the_engagement_exported(
        sampled: Path, preparer: object, identity_pool: dict[str, object], remembered_identities: object,
        tmp_path: Path) -> None:
    uid = engagement_uids(sampled)[0]
    certificate = recipient_certificates([identity_pool["reviewer"].cert_path])  # type: ignore[attr-defined]
    with Workspace(sampled, read_only=True) as ws:
        package = export_package(ws, uid, tmp_path / "x.mlaudit", signer=preparer,  # type: ignore[arg-type]
                                 protection=Protection(certificate))
        exported = document_of(ws, uid)
    with Workspace(tmp_path / "other.db") as other:
        with files_written() as written:
            assert import_package(other, package, untrusted=True, keys=OpeningKeys()) == uid  # key from keychain
        imported = document_of(other, uid)
    assert written == []  # opened in memory: Python wrote no file at all (SQLite writes the workspace itself)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".mlaudit") == ["x.mlaudit"]
    for key in ("findings", "risks", "evidence", "client"):
        assert imported[key] == exported[key]
    assert imported["audit_log"][:len(exported["audit_log"])] == exported["audit_log"]


def test_an_encrypted_package_without_a_way_to_ask_is_refused_and_nothing_is_written(
        sampled: Path, preparer: object, tmp_path: Path) -> None:
    uid = engagement_uids(sampled)[0]
    with Workspace(sampled, read_only=True) as ws:
        package = export_package(ws, uid, tmp_path / "x.mlaudit", signer=preparer,  # type: ignore[arg-type]
                                 protection=Protection(passphrase=PACKAGE_PASSPHRASE))
    target = tmp_path / "other.db"
    shutil.copyfile(sampled, target)
    with Workspace(target) as other:
        with pytest.raises(PassphraseCancelled):
            import_package(other, package, as_copy=True, untrusted=True)
        with pytest.raises(PackageError, match="the passphrase does not open it"):
            import_package(other, package, as_copy=True, untrusted=True,
                           keys=OpeningKeys(passphrase=lambda _prompt: "not the passphrase"))
        asked: list[str] = []
        copy = import_package(other, package, as_copy=True, untrusted=True,
                              keys=OpeningKeys(passphrase=lambda prompt: asked.append(prompt) or PACKAGE_PASSPHRASE))
    assert copy != uid and asked == ["Passphrase of the package x.mlaudit: "]
    keychain.reset()
