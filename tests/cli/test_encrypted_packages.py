"""`export --to CERT` and `--encrypt-with-passphrase`, `import` of what they write: the recipient's identity or the
passphrase opens it, OpenSSL opens it too, and every hostile variant is refused in one line with the importing
workspace byte-identical."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import content_hash, file_hash
from tests.helpers.cli import one_line, run
from workbench.services import signatures
from workbench.signing import envelope

PACKAGE_PASSPHRASE = "a passphrase for e-mail"


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signatures, "_terminal", lambda: False)


@pytest.fixture
def package_secret(tmp_path: Path) -> Path:
    path = tmp_path / "package-passphrase.txt"
    path.write_text(PACKAGE_PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def exported(capsys: pytest.CaptureFixture[str], eng: tuple[str, str], installed_identities: dict[str, tuple[str, str]],
             identity_pool: dict[str, object], package_secret: Path, tmp_path: Path,
             no_terminal: None) -> dict[str, Path]:
    """The engagement exported by the preparer for the reviewer, for the stranger, and with a passphrase."""
    db, ref = eng
    preparer, secret = installed_identities["preparer"]
    written = {}
    for name, protect in (("reviewer", ["--to", str(identity_pool["reviewer"].cert_path)]),  # type: ignore[attr-defined]
                          ("stranger", ["--to", str(identity_pool["stranger"].cert_path)]),  # type: ignore[attr-defined]
                          ("passphrase", ["--encrypt-with-passphrase", "--package-passphrase-file",
                                          str(package_secret)])):
        target = tmp_path / f"{name}.mlaudit"
        code, out, err = run(capsys, "--db", db, "export", ref, "-o", str(target), "--identity", preparer,
                             "--passphrase-file", secret, *protect)
        assert code == 0, err
        assert ", signed by Ana Preparer" in out
        written[name] = target
        assert envelope.envelope_length(target.read_bytes()[:envelope.HEAD_BYTES]) == target.stat().st_size
        assert not target.read_bytes().startswith(b"PK") and b"Acme Bank" not in target.read_bytes()
    return written


@pytest.fixture
def target_db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    """Another workspace, holding an engagement of its own, that receives the packages."""
    db = str(tmp_path / "receiving.db")
    assert run(capsys, "--db", db, "new", "--client", "Other Client", "--title", "Unrelated")[0] == 0
    return db


def test_the_recipients_identity_opens_the_package_and_the_import_checks_it_as_usual(
        capsys: pytest.CaptureFixture[str], exported: dict[str, Path], installed_identities: dict[str, tuple[str, str]],
        target_db: str, eng: tuple[str, str]) -> None:
    _reviewer, secret = installed_identities["reviewer"]
    code, out, err = run(capsys, "--db", target_db, "import", str(exported["reviewer"]), "--passphrase-file", secret)
    assert code == 0, err
    assert out.startswith(f"imported {eng[1]}") and err == ""  # signed by a trusted identity: no untrusted warning
    code, out, err = run(capsys, "--db", target_db, "log", eng[1], "--verify")
    assert code == 0, out + err


def test_the_passphrase_opens_a_package_for_e_mail(capsys: pytest.CaptureFixture[str], exported: dict[str, Path],
                                                   target_db: str, package_secret: Path) -> None:
    before = content_hash(Path(target_db))
    code, _out, err = run(capsys, "--db", target_db, "import", str(exported["passphrase"]))
    assert code == 2 and "--package-passphrase-file" in one_line(err)  # no terminal to ask on
    assert content_hash(Path(target_db)) == before
    code, out, err = run(capsys, "--db", target_db, "import", str(exported["passphrase"]),
                         "--package-passphrase-file", str(package_secret))
    assert code == 0 and out.startswith("imported"), err


@pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command is not installed")
def test_openssl_opens_a_package_for_a_recipient_and_the_clear_package_imports(
        capsys: pytest.CaptureFixture[str], exported: dict[str, Path], identity_pool: dict[str, object],
        installed_identities: dict[str, tuple[str, str]], target_db: str, tmp_path: Path) -> None:
    reviewer = identity_pool["reviewer"]
    _id, secret = installed_identities["reviewer"]
    clear = tmp_path / "clear.mlaudit"
    subprocess.run(["openssl", "cms", "-decrypt", "-inform", "DER", "-in", str(exported["reviewer"]),
                    "-recip", str(reviewer.cert_path), "-inkey", str(reviewer.key_path),  # type: ignore[attr-defined]
                    "-passin", f"file:{secret}", "-out", str(clear)], check=True, capture_output=True)
    assert clear.read_bytes().startswith(b"PK\x03\x04")  # the exporter-signed package, intact inside
    code, out, err = run(capsys, "--db", target_db, "import", str(clear))
    assert code == 0 and out.startswith("imported"), err


def cut(data: bytes) -> bytes:
    return data[:len(data) // 2]


def flipped(data: bytes) -> bytes:
    middle = len(data) * 2 // 3
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


def absurd(data: bytes) -> bytes:
    """The outer length rewritten to claim about a terabyte."""
    count = data[1] & 0x7F
    return b"\x30\x88" + (2**40).to_bytes(8, "big") + data[2 + count:]


HOSTILE: dict[str, tuple[str, Callable[[bytes], bytes], str]] = {
    "for another recipient": ("stranger", lambda data: data, "not for an identity on this computer"),
    "truncated": ("reviewer", cut, "cut off"),
    "tampered": ("reviewer", flipped, "altered"),
    "declaring an absurd size": ("reviewer", absurd, "more than the 2 GB"),
    "with bytes appended": ("reviewer", lambda data: data + b"\x00" * 16, "bytes after the end"),
    "tampered, for a passphrase": ("passphrase", flipped, "altered"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_encrypted_package_is_refused_in_one_line_and_changes_nothing(
        case: str, capsys: pytest.CaptureFixture[str], exported: dict[str, Path],
        installed_identities: dict[str, tuple[str, str]], target_db: str, package_secret: Path,
        tmp_path: Path) -> None:
    source, damage, words = HOSTILE[case]
    hostile = tmp_path / "hostile.mlaudit"
    hostile.write_bytes(damage(exported[source].read_bytes()))
    before = file_hash(Path(target_db))
    code, out, err = run(capsys, "--db", target_db, "import", str(hostile), "--passphrase-file",
                         installed_identities["reviewer"][1], "--package-passphrase-file", str(package_secret))
    assert code == 2 and out == "" and words in one_line(err), err
    assert "hostile.mlaudit" in err
    assert file_hash(Path(target_db)) == before


@pytest.mark.parametrize("wrong", ["identity", "package"])
def test_a_wrong_passphrase_is_refused_in_one_line_and_changes_nothing(
        wrong: str, capsys: pytest.CaptureFixture[str], exported: dict[str, Path], target_db: str,
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("not the passphrase\n", encoding="utf-8")
    option, source = (("--passphrase-file", "reviewer") if wrong == "identity"
                      else ("--package-passphrase-file", "passphrase"))
    before = file_hash(Path(target_db))
    code, _out, err = run(capsys, "--db", target_db, "import", str(exported[source]), option, str(bad))
    assert code == 2 and "passphrase does not open" in one_line(err)
    assert file_hash(Path(target_db)) == before


def test_export_refuses_a_bad_recipient_or_passphrase_before_writing(
        capsys: pytest.CaptureFixture[str], eng: tuple[str, str], installed_identities: dict[str, tuple[str, str]],
        tmp_path: Path, no_terminal: None) -> None:
    db, ref = eng
    preparer, secret = installed_identities["preparer"]
    target = tmp_path / "out.mlaudit"
    not_a_cert = tmp_path / "notes.txt"
    not_a_cert.write_text("hello", encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text("short\n", encoding="utf-8")
    for extra, words in ((["--to", str(not_a_cert)], "is not a certificate"),
                         (["--to", str(tmp_path / "missing.pem")], "there is no certificate file"),
                         (["--encrypt-with-passphrase", "--package-passphrase-file", str(short)], "at least 8"),
                         (["--package-passphrase-file", str(short)], "goes with --encrypt-with-passphrase")):
        code, _out, err = run(capsys, "--db", db, "export", ref, "-o", str(target), "--identity", preparer,
                              "--passphrase-file", secret, *extra)
        assert code == 2 and words in one_line(err), err
        assert not target.exists()


def test_a_colleague_writes_their_certificate_and_packages_are_encrypted_for_it(
        capsys: pytest.CaptureFixture[str], eng: tuple[str, str], installed_identities: dict[str, tuple[str, str]],
        identity_pool: dict[str, object], tmp_path: Path) -> None:
    reviewer, reviewer_secret = installed_identities["reviewer"]
    code, out, err = run(capsys, "identity", "certificate", reviewer, "-o", str(tmp_path))
    written = tmp_path / f"{reviewer}.pem"
    assert code == 0 and out == f"wrote {written}\n", err
    assert written.read_bytes() == identity_pool["reviewer"].cert_path.read_bytes()  # type: ignore[attr-defined]
    assert b"PRIVATE" not in written.read_bytes()
    db, ref = eng
    preparer, secret = installed_identities["preparer"]
    package = tmp_path / "for-rui.mlaudit"
    code, out, err = run(capsys, "--db", db, "export", ref, "-o", str(package), "--identity", preparer,
                         "--passphrase-file", secret, "--to", str(written))
    assert code == 0 and out.endswith(", encrypted for Rui Reviewer <reviewer@example.com>\n"), err
    code, out, err = run(capsys, "--db", str(tmp_path / "rui.db"), "import", str(package), "--passphrase-file",
                         reviewer_secret)
    assert code == 0 and out.startswith(f"imported {ref}"), err


def relabelled(data: bytes, certificate_path: Path) -> bytes:
    """The envelope with its recipient renamed (issuer and serial number) as `certificate_path`'s holder."""
    from asn1crypto import cms
    from cryptography import x509

    certificate = x509.load_pem_x509_certificate(certificate_path.read_bytes())
    info = cms.ContentInfo.load(data)
    key = info["content"]["recipient_infos"][0].chosen["recipient_encrypted_keys"][0]
    key["rid"] = cms.KeyAgreementRecipientIdentifier(name="issuer_and_serial_number", value=cms.IssuerAndSerialNumber(
        {"issuer": cms.Name.load(certificate.issuer.public_bytes()), "serial_number": certificate.serial_number}))
    return bytes(info.dump(force=True))


def test_a_package_for_someone_else_relabelled_for_this_identity_is_refused(
        capsys: pytest.CaptureFixture[str], exported: dict[str, Path], identity_pool: dict[str, object],
        installed_identities: dict[str, tuple[str, str]], target_db: str, tmp_path: Path) -> None:
    """The attacker cannot re-address a package: the key agreement was made with the stranger's key."""
    hostile = tmp_path / "readdressed.mlaudit"
    hostile.write_bytes(relabelled(exported["stranger"].read_bytes(),
                                   identity_pool["reviewer"].cert_path))  # type: ignore[attr-defined]
    before = file_hash(Path(target_db))
    code, _out, err = run(capsys, "--db", target_db, "import", str(hostile), "--passphrase-file",
                          installed_identities["reviewer"][1])
    assert code == 2 and "the recipient's key does not open it" in one_line(err), err
    assert file_hash(Path(target_db)) == before
