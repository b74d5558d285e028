"""Encrypted packages: a CMS AuthEnvelopedData (RFC 5083, RFC 5652) around the bytes of a signed package.

The content is encrypted once with a random 256-bit key (AES-256-GCM, RFC 5084: 12-byte nonce, 16-byte tag;
no authenticated attributes). That key is given to each recipient in a RecipientInfo:

- an EC P-256 certificate (a created identity): KeyAgreeRecipientInfo, ephemeral-static ECDH with the scheme
  dhSinglePass-stdDH-sha256kdf-scheme (RFC 5753: ANSI X9.63 KDF with SHA-256 over ECC-CMS-SharedInfo), the key
  wrapped with AES-256 key wrap (RFC 3394); the recipient named by issuer and serial number;
- an RSA certificate (an imported identity may hold one): KeyTransRecipientInfo, RSAES-OAEP with SHA-256;
- a passphrase: PasswordRecipientInfo (RFC 3211), PBKDF2-HMAC-SHA256 with 600,000 rounds and a 16-byte salt,
  the key wrapped by PWRI-KEK with AES-256-CBC (signing/password_wrap.py).

The file is the DER encoding of the ContentInfo, nothing before or after it, so `openssl cms -decrypt -inform
DER` opens it. Its first bytes tell it from a zip: a SEQUENCE whose first element is the OID
1.2.840.113549.1.9.16.1.23 (signing/envelope_head.py). Reading refuses anything this module would not have written
in a way that could cost time or memory: more than MAX_SLOTS recipients, more than MAX_ROUNDS PBKDF2 rounds,
other algorithms, BER indefinite lengths, bytes after the envelope. See docs/file-format.md.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from asn1crypto import algos, cms, core, keys
from asn1crypto import x509 as x509_asn1
from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.kdf.x963kdf import X963KDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

from workbench.domain.errors import PackageError
from workbench.signing import password_wrap
from workbench.signing.envelope_head import HEAD_BYTES, OID_DER, envelope_length

__all__ = ["Envelope", "EnvelopeError", "HEAD_BYTES", "OID_DER", "Slot", "envelope_length", "open_with_key",
           "open_with_passphrase", "read_envelope", "seal", "sealable", "WrongPassphrase"]

AUTH_ENVELOPED_DATA = "1.2.840.113549.1.9.16.1.23"
ECDH_SHA256_KDF = "1.3.132.1.11.1"  # dhSinglePass-stdDH-sha256kdf-scheme
PWRI_KEK = "1.2.840.113549.1.9.16.3.9"
AES256_GCM = "2.16.840.1.101.3.4.1.46"

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
PBKDF2_ROUNDS = 600_000
MAX_ROUNDS = 10_000_000
MAX_SLOTS = 256
# digests read in RSA-OAEP and PBKDF2 parameters (OpenSSL's defaults are SHA-1); this module writes SHA-256
HASHES: dict[str, type[hashes.HashAlgorithm]] = {"sha1": hashes.SHA1, "sha256": hashes.SHA256,
                                                 "sha384": hashes.SHA384, "sha512": hashes.SHA512}
ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, AttributeError)


class EnvelopeError(PackageError):
    """The envelope is damaged, altered, of an unsupported kind, or the key given does not open it."""


class WrongPassphrase(EnvelopeError):
    """No passphrase recipient of the envelope takes this passphrase."""


class GCMParameters(core.Sequence):  # type: ignore[misc]  # asn1crypto has no type hints
    """RFC 5084 GCMParameters."""

    _fields = [("aes_nonce", core.OctetString), ("aes_icvlen", core.Integer, {"default": 12})]


class EccCmsSharedInfo(core.Sequence):  # type: ignore[misc]
    """RFC 5753 ECC-CMS-SharedInfo: the X9.63 KDF's shared info."""

    _fields = [("key_info", cms.KeyEncryptionAlgorithm),
               ("entity_u_info", core.OctetString, {"explicit": 0, "optional": True}),
               ("supp_pub_info", core.OctetString, {"explicit": 2})]


@dataclass(frozen=True)
class Slot:
    """One recipient of an envelope: a certificate's key (kind "key_agree" or "key_trans") or a passphrase."""

    kind: str
    info: Any  # the asn1crypto RecipientInfo alternative
    key_index: int = 0  # the RecipientEncryptedKey of a KeyAgreeRecipientInfo
    issuer: bytes = b""  # DER of the certificate's issuer name ("" when named by key identifier)
    serial: int | None = None
    key_id: bytes = b""

    @property
    def issuer_name(self) -> str:
        """The issuer's common name, for messages ("" when the recipient is named otherwise or it has none)."""
        try:
            native = x509_asn1.Name.load(self.issuer).native if self.issuer else {}
        except ASN1_ERRORS:
            return ""
        return str(native.get("common_name", "")) if isinstance(native, dict) else ""


@dataclass(frozen=True)
class Envelope:
    slots: tuple[Slot, ...]
    nonce: bytes
    tag: bytes
    ciphertext: bytes

    def slot_for(self, certificate: x509.Certificate) -> Slot | None:
        issuer, serial, key_id = certificate.issuer.public_bytes(), certificate.serial_number, _key_id(certificate)
        for slot in self.slots:
            if slot.kind != "password" and ((slot.issuer == issuer and slot.serial == serial)
                                            or (key_id and slot.key_id == key_id)):
                return slot
        return None

    @property
    def has_passphrase(self) -> bool:
        return any(slot.kind == "password" for slot in self.slots)

    @property
    def certificate_count(self) -> int:
        return sum(slot.kind != "password" for slot in self.slots)


def _key_id(certificate: x509.Certificate) -> bytes:
    try:
        return certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return b""


# -- sealing -----------------------------------------------------------------------------------


def sealable(certificate: x509.Certificate) -> bool:
    """Whether a package can be encrypted for this certificate's key (EC P-256, or RSA of 2048 bits or more)."""
    key = certificate.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        return isinstance(key.curve, ec.SECP256R1)
    return isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048


def _issuer_and_serial(certificate: x509.Certificate) -> cms.IssuerAndSerialNumber:
    return cms.IssuerAndSerialNumber({"issuer": cms.Name.load(certificate.issuer.public_bytes()),
                                      "serial_number": certificate.serial_number})


def _shared_info(wrap: cms.KeyEncryptionAlgorithm, ukm: bytes | None) -> bytes:
    info = {"key_info": wrap, "supp_pub_info": (KEY_BYTES * 8).to_bytes(4, "big")}
    if ukm is not None:
        info["entity_u_info"] = ukm
    return bytes(EccCmsSharedInfo(info).dump())


def _key_agree(certificate: x509.Certificate, content_key: bytes) -> cms.RecipientInfo:
    public = certificate.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    wrap = cms.KeyEncryptionAlgorithm({"algorithm": "aes256_wrap"})
    kek = X963KDF(hashes.SHA256(), KEY_BYTES, _shared_info(wrap, None)).derive(ephemeral.exchange(ec.ECDH(), public))
    point = ephemeral.public_key().public_bytes(serialization.Encoding.X962,
                                                serialization.PublicFormat.UncompressedPoint)
    originator = keys.PublicKeyInfo({"algorithm": {"algorithm": "ec"}, "public_key": point})
    rid = cms.KeyAgreementRecipientIdentifier(name="issuer_and_serial_number", value=_issuer_and_serial(certificate))
    return cms.RecipientInfo(name="kari", value=cms.KeyAgreeRecipientInfo({
        "version": "v3",
        "originator": cms.OriginatorIdentifierOrKey(name="originator_key", value=originator),
        "key_encryption_algorithm": {"algorithm": ECDH_SHA256_KDF, "parameters": wrap},
        "recipient_encrypted_keys": [{"rid": rid, "encrypted_key": aes_key_wrap(kek, content_key)}]}))


def _oaep(name: str) -> padding.OAEP:
    digest = HASHES[name]()
    return padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)


def _key_trans(certificate: x509.Certificate, content_key: bytes) -> cms.RecipientInfo:
    public = certificate.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    params = algos.RSAESOAEPParams({"hash_algorithm": {"algorithm": "sha256"},
                                    "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": "sha256"}}})
    rid = cms.RecipientIdentifier(name="issuer_and_serial_number", value=_issuer_and_serial(certificate))
    return cms.RecipientInfo(name="ktri", value=cms.KeyTransRecipientInfo({
        "version": "v0", "rid": rid, "key_encryption_algorithm": {"algorithm": "rsaes_oaep", "parameters": params},
        "encrypted_key": public.encrypt(content_key, _oaep("sha256"))}))


def _password(passphrase: str, content_key: bytes, rounds: int) -> cms.RecipientInfo:
    salt, iv = os.urandom(16), os.urandom(16)
    kek = PBKDF2HMAC(hashes.SHA256(), KEY_BYTES, salt, rounds).derive(passphrase.encode("utf-8"))
    kdf = {"algorithm": "pbkdf2", "parameters": {"salt": algos.Pbkdf2Salt(name="specified", value=salt),
                                                 "iteration_count": rounds, "prf": {"algorithm": "sha256"}}}
    return cms.RecipientInfo(name="pwri", value=cms.PasswordRecipientInfo({
        "version": "v0", "key_derivation_algorithm": kdf,
        "key_encryption_algorithm": {"algorithm": PWRI_KEK,
                                     "parameters": algos.EncryptionAlgorithm({"algorithm": "aes256_cbc",
                                                                              "parameters": iv})},
        "encrypted_key": password_wrap.wrap(kek, iv, content_key)}))


def seal(data: bytes, certificates: Sequence[x509.Certificate] = (), passphrase: str | None = None, *,
         rounds: int = PBKDF2_ROUNDS) -> bytes:
    """The DER envelope of `data` for these certificates' keys and/or this passphrase."""
    if not certificates and not passphrase:
        raise EnvelopeError("an encrypted package needs at least one recipient or a passphrase")
    content_key, nonce = os.urandom(KEY_BYTES), os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.AES(content_key), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(data)
    encryptor.finalize()
    infos = [_key_agree(c, content_key) if isinstance(c.public_key(), ec.EllipticCurvePublicKey)
             else _key_trans(c, content_key) for c in certificates]
    if passphrase:
        infos.append(_password(passphrase, content_key, rounds))
    gcm = GCMParameters({"aes_nonce": nonce, "aes_icvlen": TAG_BYTES})
    body = cms.AuthEnvelopedData({
        "version": "v0", "recipient_infos": infos,
        "auth_encrypted_content_info": {"content_type": "data",
                                        "content_encryption_algorithm": {"algorithm": "aes256_gcm",
                                                                         "parameters": gcm},
                                        "encrypted_content": ciphertext},
        "mac": encryptor.tag})
    return bytes(cms.ContentInfo({"content_type": "authenticated_enveloped_data", "content": body}).dump())


# -- reading -----------------------------------------------------------------------------------


def _certificate_slots(name: str, info: Any) -> list[Slot]:
    rids = [info["rid"]] if name == "ktri" else [key["rid"] for key in info["recipient_encrypted_keys"]]
    kind = "key_trans" if name == "ktri" else "key_agree"
    slots = []
    for index, rid in enumerate(rids):
        if rid.name == "issuer_and_serial_number":
            chosen = rid.chosen
            slots.append(Slot(kind, info, index, chosen["issuer"].dump(), int(chosen["serial_number"].native)))
        else:
            key_id = rid.chosen if rid.name == "subject_key_identifier" else rid.chosen["subject_key_identifier"]
            slots.append(Slot(kind, info, index, key_id=bytes(key_id.native)))
    return slots


def _slots(body: cms.AuthEnvelopedData) -> tuple[Slot, ...]:
    recipients = body["recipient_infos"]
    if len(recipients) > MAX_SLOTS:
        raise EnvelopeError(f"it names more than {MAX_SLOTS} recipients")
    slots: list[Slot] = []
    for choice in recipients:
        if choice.name == "pwri":
            slots.append(Slot("password", choice.chosen))
        elif choice.name in ("ktri", "kari"):
            slots += _certificate_slots(choice.name, choice.chosen)
        if len(slots) > MAX_SLOTS:
            raise EnvelopeError(f"it names more than {MAX_SLOTS} recipients")
    if not slots:
        raise EnvelopeError("it names no recipient this program can open")
    return tuple(slots)


def _read(data: bytes) -> Envelope:
    info = cms.ContentInfo.load(data, strict=True)
    if info["content_type"].dotted != AUTH_ENVELOPED_DATA:
        raise EnvelopeError("it is not an encrypted package")
    body = info["content"]
    content = body["auth_encrypted_content_info"]
    algorithm = content["content_encryption_algorithm"]
    if algorithm["algorithm"].dotted != AES256_GCM:
        raise EnvelopeError("its content is encrypted with an algorithm this program does not use (not AES-256-GCM)")
    if body["auth_attrs"].native is not None:
        raise EnvelopeError("it has authenticated attributes, which this program does not write")
    gcm = GCMParameters.load(algorithm["parameters"].dump(), strict=True)
    nonce, tag, ciphertext = gcm["aes_nonce"].native, body["mac"].native, content["encrypted_content"].native
    if len(nonce) != NONCE_BYTES or len(tag) != TAG_BYTES or gcm["aes_icvlen"].native != TAG_BYTES:
        raise EnvelopeError("its nonce or authentication tag is not of the size AES-256-GCM uses here")
    if ciphertext is None:
        raise EnvelopeError("it holds no encrypted content")
    return Envelope(_slots(body), bytes(nonce), bytes(tag), bytes(ciphertext))


def read_envelope(data: bytes) -> Envelope:
    """The envelope's recipients and encrypted content, checked; EnvelopeError in plain words otherwise."""
    declared = envelope_length(data[:HEAD_BYTES])
    if declared is None:
        raise EnvelopeError("it is not an encrypted package")
    if declared > len(data):
        raise EnvelopeError(f"it is shorter than its envelope declares ({len(data):,} of {declared:,} bytes): "
                            "the file was cut off")
    if declared < len(data):
        raise EnvelopeError("it has bytes after the end of its envelope")
    try:
        return _read(data)
    except EnvelopeError:
        raise
    except ASN1_ERRORS:
        raise EnvelopeError("its encrypted envelope is damaged (it cannot be read as CMS)") from None


# -- opening -----------------------------------------------------------------------------------


def _decrypt(envelope: Envelope, content_key: bytes) -> bytes:
    if len(content_key) != KEY_BYTES:
        raise EnvelopeError("its content key is not a 256-bit key: the envelope was altered")
    decryptor = Cipher(algorithms.AES(content_key), modes.GCM(envelope.nonce, envelope.tag)).decryptor()
    data = decryptor.update(envelope.ciphertext)
    try:
        decryptor.finalize()
    except InvalidTag:
        raise EnvelopeError("it was altered or damaged after it was encrypted (its authentication tag does not "
                            "match)") from None
    return data


def _agreed_key(slot: Slot, key: ec.EllipticCurvePrivateKey) -> bytes:
    info = slot.info
    if info["key_encryption_algorithm"]["algorithm"].dotted != ECDH_SHA256_KDF:
        raise EnvelopeError("its key agreement is not the one this program uses (dhSinglePass-stdDH-sha256kdf)")
    wrap = cms.KeyEncryptionAlgorithm.load(info["key_encryption_algorithm"]["parameters"].dump(), strict=True)
    if wrap["algorithm"].native != "aes256_wrap":
        raise EnvelopeError("its key is wrapped with an algorithm this program does not use (not AES-256 key wrap)")
    if info["originator"].name != "originator_key":
        raise EnvelopeError("its key agreement does not carry the sender's ephemeral key")
    point = bytes(info["originator"].chosen["public_key"].native)
    ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(key.curve, point)
    ukm = info["ukm"].native
    kek = X963KDF(hashes.SHA256(), KEY_BYTES, _shared_info(wrap, ukm)).derive(key.exchange(ec.ECDH(), ephemeral))
    return aes_key_unwrap(kek, bytes(info["recipient_encrypted_keys"][slot.key_index]["encrypted_key"].native))


def _transported_key(slot: Slot, key: rsa.RSAPrivateKey) -> bytes:
    algorithm = slot.info["key_encryption_algorithm"]
    if algorithm["algorithm"].native != "rsaes_oaep":
        raise EnvelopeError("its key is encrypted with RSA padding this program does not accept (only OAEP)")
    name = algorithm["parameters"]["hash_algorithm"]["algorithm"].native
    if name not in HASHES or algorithm["parameters"]["mask_gen_algorithm"]["parameters"]["algorithm"].native != name:
        raise EnvelopeError("its RSA-OAEP parameters are not ones this program uses")
    return key.decrypt(bytes(slot.info["encrypted_key"].native), _oaep(name))


def open_with_key(envelope: Envelope, certificate: x509.Certificate, key: Any) -> bytes:
    """The content, opened with the private key of `certificate` (which must be one of the recipients)."""
    slot = envelope.slot_for(certificate)
    if slot is None:
        raise EnvelopeError("it is not encrypted for this certificate")
    try:
        if slot.kind == "key_agree" and isinstance(key, ec.EllipticCurvePrivateKey):
            content_key = _agreed_key(slot, key)
        elif slot.kind == "key_trans" and isinstance(key, rsa.RSAPrivateKey):
            content_key = _transported_key(slot, key)
        else:
            raise EnvelopeError("its recipient's key is not of the kind the certificate holds")
    except EnvelopeError:
        raise
    except (InvalidUnwrap, *ASN1_ERRORS):
        raise EnvelopeError("the recipient's key does not open it: the envelope was altered or damaged") from None
    return _decrypt(envelope, content_key)


def _password_kek(info: Any, passphrase: str) -> tuple[bytes, bytes]:
    kdf = info["key_derivation_algorithm"]
    if kdf.native is None or kdf["algorithm"].native != "pbkdf2":
        raise EnvelopeError("its passphrase key is not derived with PBKDF2")
    params = kdf["parameters"]
    rounds, prf, salt = params["iteration_count"].native, params["prf"]["algorithm"].native, params["salt"].chosen
    if not 1 <= rounds <= MAX_ROUNDS:
        raise EnvelopeError(f"it declares {rounds:,} key-derivation rounds (at most {MAX_ROUNDS:,} are accepted)")
    if prf not in HASHES or params["salt"].name != "specified" or not 8 <= len(salt.native) <= 64:
        raise EnvelopeError("its passphrase key derivation has parameters this program does not accept")
    if params["key_length"].native not in (None, KEY_BYTES):
        raise EnvelopeError("its passphrase key is not a 256-bit key")
    if info["key_encryption_algorithm"]["algorithm"].dotted != PWRI_KEK:
        raise EnvelopeError("its passphrase key wrapping is not RFC 3211's")
    cipher = algos.EncryptionAlgorithm.load(info["key_encryption_algorithm"]["parameters"].dump(), strict=True)
    iv = cipher["parameters"].native
    if cipher["algorithm"].native != "aes256_cbc" or not isinstance(iv, bytes) or len(iv) != password_wrap.BLOCK:
        raise EnvelopeError("its passphrase key is wrapped with a cipher this program does not use (not AES-256-CBC)")
    kek = PBKDF2HMAC(HASHES[prf](), KEY_BYTES, bytes(salt.native), rounds).derive(passphrase.encode("utf-8"))
    return kek, iv


def open_with_passphrase(envelope: Envelope, passphrase: str) -> bytes:
    """The content, opened with a passphrase; EnvelopeError when no passphrase slot takes it."""
    slots = [slot for slot in envelope.slots if slot.kind == "password"]
    if not slots:
        raise EnvelopeError("it is not encrypted with a passphrase")
    for slot in slots:
        try:
            kek, iv = _password_kek(slot.info, passphrase)
            content_key = password_wrap.unwrap(kek, iv, bytes(slot.info["encrypted_key"].native))
        except password_wrap.WrongPassword:
            continue
        except EnvelopeError:
            raise
        except ASN1_ERRORS:
            raise EnvelopeError("its passphrase recipient is damaged") from None
        return _decrypt(envelope, content_key)
    raise WrongPassphrase("the passphrase does not open it")
