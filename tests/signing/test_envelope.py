"""The CMS envelope of encrypted packages: a standard that OpenSSL opens, and a parser an attacker cannot
steer anywhere but to a plain refusal (cut, flipped, re-sized, or made of random bytes)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.signing import self_signed
from workbench.signing import envelope
from workbench.signing.envelope import EnvelopeError, open_with_key, open_with_passphrase, read_envelope, seal

CONTENT = b"PK\x03\x04 a signed package's bytes " * 64
PASSPHRASE = "a passphrase for e-mail"
CHEAP = 1000  # PBKDF2 rounds for tests; the envelope records them

openssl = pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command is not installed")


@pytest.fixture(scope="module")
def ec_recipient() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    return self_signed(key, "Bea Recipient"), key


@pytest.fixture(scope="module")
def rsa_recipient() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return self_signed(key, "Rita Rsa"), key


@pytest.fixture(scope="module")
def sealed(ec_recipient: tuple[x509.Certificate, ec.EllipticCurvePrivateKey]) -> bytes:
    return seal(CONTENT, [ec_recipient[0]], PASSPHRASE, rounds=CHEAP)


def write_pair(folder: Path, certificate: x509.Certificate, key: object) -> tuple[Path, Path]:
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,  # type: ignore[attr-defined]
                                           serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def openssl_decrypt(envelope_path: Path, *extra: str) -> bytes:
    done = subprocess.run(["openssl", "cms", "-decrypt", "-inform", "DER", "-in", str(envelope_path), *extra],
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


@openssl
@pytest.mark.parametrize("kind", ["ec", "rsa"])
def test_openssl_opens_an_envelope_with_the_recipients_key_and_with_the_passphrase(
        kind: str, tmp_path: Path, ec_recipient: tuple[x509.Certificate, object],
        rsa_recipient: tuple[x509.Certificate, object]) -> None:
    certificate, key = ec_recipient if kind == "ec" else rsa_recipient
    path = tmp_path / "package.mlaudit"
    path.write_bytes(seal(CONTENT, [certificate], PASSPHRASE, rounds=CHEAP))
    cert_path, key_path = write_pair(tmp_path, certificate, key)
    assert openssl_decrypt(path, "-recip", str(cert_path), "-inkey", str(key_path)) == CONTENT
    assert openssl_decrypt(path, "-pwri_password", PASSPHRASE) == CONTENT


@openssl
def test_an_envelope_openssl_wrote_for_an_identity_opens_here(
        tmp_path: Path, ec_recipient: tuple[x509.Certificate, ec.EllipticCurvePrivateKey]) -> None:
    certificate, key = ec_recipient
    cert_path, _ = write_pair(tmp_path, certificate, key)
    done = subprocess.run(["openssl", "cms", "-encrypt", "-binary", "-outform", "DER", "-aes-256-gcm",
                           "-recip", str(cert_path), "-keyopt", "ecdh_kdf_md:sha256"],
                          input=CONTENT, capture_output=True, check=True)
    assert open_with_key(read_envelope(done.stdout), certificate, key) == CONTENT


def test_each_recipient_opens_it_and_nobody_else(ec_recipient: tuple[x509.Certificate, object],
                                                 rsa_recipient: tuple[x509.Certificate, object]) -> None:
    data = seal(CONTENT, [ec_recipient[0], rsa_recipient[0]], rounds=CHEAP)
    opened = read_envelope(data)
    assert open_with_key(opened, *ec_recipient) == CONTENT
    assert open_with_key(opened, *rsa_recipient) == CONTENT
    assert not opened.has_passphrase and opened.certificate_count == 2
    other_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(EnvelopeError, match="not encrypted for this certificate"):
        open_with_key(opened, self_signed(other_key, "Eve"), other_key)
    with pytest.raises(EnvelopeError, match="not encrypted with a passphrase"):
        open_with_passphrase(opened, PASSPHRASE)
    assert CONTENT[:20] not in data


def test_a_wrong_passphrase_or_a_wrong_key_is_refused_plainly(sealed: bytes,
                                                              ec_recipient: tuple[x509.Certificate, object]) -> None:
    opened = read_envelope(sealed)
    with pytest.raises(EnvelopeError, match="^the passphrase does not open it$"):
        open_with_passphrase(opened, PASSPHRASE + "!")
    impostor = ec.generate_private_key(ec.SECP256R1())  # the recipient's certificate, someone else's key
    with pytest.raises(EnvelopeError, match="does not open it"):
        open_with_key(opened, ec_recipient[0], impostor)


def test_envelopes_are_told_from_zips_by_their_first_bytes(sealed: bytes) -> None:
    assert envelope.envelope_length(sealed[:envelope.HEAD_BYTES]) == len(sealed)
    assert envelope.envelope_length(b"PK\x03\x04" + bytes(40)) is None
    assert envelope.envelope_length(b"0\x80" + envelope.OID_DER) is None  # BER indefinite length: not written here


def declared(length: int) -> bytes:
    """An envelope header declaring `length` bytes of content, then the content type."""
    size = length.to_bytes(8, "big")
    return b"\x30\x88" + size + envelope.OID_DER


@pytest.mark.parametrize("length", [2**40, 2**63, 10**9])
def test_an_envelope_declaring_an_absurd_size_is_refused_before_anything_is_read(length: int) -> None:
    with pytest.raises(EnvelopeError, match="cut off"):
        read_envelope(declared(length) + bytes(64))


def with_rounds(data: bytes, rounds: int) -> bytes:
    """The same envelope, its passphrase recipient now claiming `rounds` PBKDF2 rounds (re-encoded)."""
    from asn1crypto import cms

    info = cms.ContentInfo.load(data)
    kdf = info["content"]["recipient_infos"][-1].chosen["key_derivation_algorithm"]["parameters"]
    kdf["iteration_count"] = rounds
    return bytes(info.dump(force=True))


@pytest.mark.parametrize("rounds", [2**31 - 1, 10**12, 0, -5])
def test_absurd_key_derivation_rounds_are_refused_without_running_them(rounds: int) -> None:
    forged = with_rounds(seal(CONTENT, [], PASSPHRASE, rounds=CHEAP), rounds)
    with pytest.raises(EnvelopeError, match="key-derivation rounds"):
        open_with_passphrase(read_envelope(forged), PASSPHRASE)


def test_too_many_recipients_are_refused(ec_recipient: tuple[x509.Certificate, object]) -> None:
    from asn1crypto import cms

    info = cms.ContentInfo.load(seal(CONTENT, [ec_recipient[0]], rounds=CHEAP))
    one = info["content"]["recipient_infos"][0]
    info["content"]["recipient_infos"] = [one] * (envelope.MAX_SLOTS + 1)
    with pytest.raises(EnvelopeError, match="more than 256 recipients"):
        read_envelope(bytes(info.dump(force=True)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400))
def test_random_bytes_are_refused_plainly(data: bytes) -> None:
    for candidate in (data, b"\x30\x82" + len(data).to_bytes(2, "big")[-2:] + data,
                      envelope.OID_DER + data, b"\x30\x81\xff" + envelope.OID_DER + data):
        with pytest.raises(EnvelopeError):
            read_envelope(candidate)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0), flip=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_a_cut_or_flipped_envelope_never_opens_to_other_bytes(
        sealed: bytes, ec_recipient: tuple[x509.Certificate, object], cut: int, flip: int, bit: int) -> None:
    truncated = sealed[:cut % len(sealed)]
    with pytest.raises(EnvelopeError):
        read_envelope(truncated)
    position = flip % len(sealed)
    altered = sealed[:position] + bytes([sealed[position] ^ (1 << bit)]) + sealed[position + 1:]
    for opener in (lambda e: open_with_key(e, *ec_recipient), lambda e: open_with_passphrase(e, PASSPHRASE)):
        with contextlib.suppress(EnvelopeError):
            assert opener(read_envelope(altered)) == CONTENT  # a flip outside what either path reads
