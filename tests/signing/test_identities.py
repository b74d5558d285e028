"""Identities: created (local CA + auditor certificate) and imported (PKCS#12); the trust store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers.signing import PASSPHRASE, given, make_pkcs12
from workbench.domain.errors import ConflictError, NotFoundError, ValidationError
from workbench.services import signatures
from workbench.signing import identities
from workbench.signing.identities import WrongPassphraseError


def test_create_identity_makes_a_local_ca_and_an_auditor_certificate(identities_home: Path, memory_keyring) -> None:
    ident = signatures.create_identity("Jane Doe", "jane@example.com", "Doe Audit LLP", given(PASSPHRASE))

    folder = identities_home / ident.id
    assert sorted(p.name for p in folder.iterdir()) == ["cert.pem", "chain.pem", "identity.json", "key.pem"]
    assert b"ENCRYPTED PRIVATE KEY" in (folder / "key.pem").read_bytes()
    assert (folder / "key.pem").stat().st_mode & 0o077 == 0
    with pytest.raises(TypeError):  # no way in without the passphrase
        serialization.load_pem_private_key((folder / "key.pem").read_bytes(), None)

    leaf = ident.certificate()
    (ca,) = ident.chain()
    record = json.loads((folder / "identity.json").read_text())
    assert {k: record[k] for k in ("id", "name", "email", "firm")} == {
        "id": ident.id, "name": "Jane Doe", "email": "jane@example.com", "firm": "Doe Audit LLP"}
    assert record["fingerprint"] == hashlib.sha256(leaf.public_bytes(serialization.Encoding.DER)).hexdigest()
    assert record["not_after"] == leaf.not_valid_after_utc.isoformat()
    assert set(record) >= {"created_at", "not_after"}

    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Jane Doe"
    assert leaf.subject.get_attributes_for_oid(NameOID.EMAIL_ADDRESS)[0].value == "jane@example.com"
    assert leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Doe Audit LLP"
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert leaf.issuer == ca.subject
    leaf.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    ca.verify_directly_issued_by(ca)
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey)
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days == 730

    assert memory_keyring.secrets[("workbench", ident.id)] == PASSPHRASE
    assert signatures.get_identity(None) == ident
    assert signatures.get_identity(ident.id[:6]) == ident
    assert any("Jane Doe" in line for line in signatures.describe_identity(ident))
    details = signatures.identity_details(ident)
    assert details["issuer_chain"] == [ca.subject.rfc4514_string()]
    assert details["subject"] == "O=Doe Audit LLP,E=jane@example.com,CN=Jane Doe"


def test_rsa_identity_and_validity(identities_home: Path) -> None:
    ident = identities.create_identity("R. Sa", "rsa@example.com", "", PASSPHRASE, validity_days=30, key_type="rsa")
    leaf = ident.certificate()
    assert leaf.public_key().key_size == 3072
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days == 30
    assert not leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)


@pytest.mark.parametrize(("name", "email", "passphrase", "days", "message"), [
    ("", "a@b.org", PASSPHRASE, 730, "needs a name"),
    ("Ann", "not an address", PASSPHRASE, 730, "not an e-mail address"),
    ("Ann", "a@b.org", "short", 730, "at least 8 characters"),
    ("Ann", "a@b.org", PASSPHRASE, 0, "validity"),
])
def test_create_identity_refuses_bad_input(identities_home: Path, name, email, passphrase, days, message) -> None:
    with pytest.raises(ValidationError, match=message):
        signatures.create_identity(name, email, "Firm", given(passphrase), validity_days=days)
    assert not identities_home.exists() or not any(identities_home.iterdir())


def test_no_identity_yet_is_a_plain_error() -> None:
    with pytest.raises(NotFoundError, match="identity create"):
        signatures.get_identity(None)


def test_import_pkcs12_with_the_right_passphrase(tmp_path: Path, memory_keyring) -> None:
    leaf, ca = make_pkcs12(tmp_path / "firm.p12", b"firm-secret")
    ident = signatures.import_identity(tmp_path / "firm.p12", given("firm-secret"))
    assert (ident.name, ident.email, ident.firm, ident.source) == (
        "Max Mustermann", "max@firm.example", "Firm & Partners", "imported")
    assert ident.certificate() == leaf
    assert ident.chain() == [ca]
    assert memory_keyring.secrets[("workbench", ident.id)] == "firm-secret"
    assert identities.load_private_key(ident, "firm-secret")
    assert [c.fingerprint for c in signatures.list_trust()] == [identities.fingerprint(ca)]
    with pytest.raises(ConflictError, match="already identity"):
        signatures.import_identity(tmp_path / "firm.p12", given("firm-secret"))


def test_import_pkcs12_with_a_wrong_passphrase_writes_nothing(tmp_path: Path, identities_home: Path,
                                                               memory_keyring) -> None:
    make_pkcs12(tmp_path / "firm.p12", b"firm-secret")
    with pytest.raises(WrongPassphraseError, match="the passphrase does not open firm.p12"):
        signatures.import_identity(tmp_path / "firm.p12", given("guess"))
    assert not identities_home.exists() or list(identities_home.iterdir()) == []
    assert memory_keyring.secrets == {}


def test_import_unprotected_pkcs12_asks_for_a_new_passphrase(tmp_path: Path) -> None:
    make_pkcs12(tmp_path / "open.p12", None, with_ca=False)
    answers = iter(["", "a new passphrase"])
    prompts: list[str] = []

    def provider(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    ident = signatures.import_identity(tmp_path / "open.p12", provider)
    assert prompts == ["Passphrase of open.p12: ", signatures.NEW_PASSPHRASE_PROMPT]
    assert identities.load_private_key(ident, "a new passphrase")


def test_import_refuses_what_is_not_pkcs12(tmp_path: Path) -> None:
    (tmp_path / "cert.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    with pytest.raises(ValidationError, match="not a PKCS#12 file"):
        signatures.import_identity(tmp_path / "cert.pem", given("x"))
    with pytest.raises(NotFoundError):
        signatures.import_identity(tmp_path / "missing.p12", given("x"))


def test_trust_import_takes_ca_certificates_only(tmp_path: Path, identities_home: Path) -> None:
    other = identities.create_identity("Bob", "bob@example.com", "Other", PASSPHRASE, base=tmp_path / "other")
    with pytest.raises(ValidationError, match="not a CA certificate"):
        signatures.import_trust(other.cert_path)
    added = signatures.import_trust(other.chain_path)
    assert [a.fingerprint for a in added] == [identities.fingerprint(other.chain()[0])]
    assert (identities_home.parent / "trust" / f"{added[0].fingerprint}.pem").is_file()
    assert identities.fingerprint(other.chain()[0]) in {t.fingerprint for t in signatures.list_trust()}
    (tmp_path / "junk.pem").write_text("hello")
    with pytest.raises(ValidationError, match="no readable X.509 certificate"):
        signatures.import_trust(tmp_path / "junk.pem")
