"""The encrypted private-key file of an identity: PKCS#8, PBES2 with PBKDF2-HMAC-SHA256 at 600,000
iterations (OWASP's figure for PBKDF2-SHA256) and AES-256-CBC.

cryptography's BestAvailableEncryption uses far fewer PBKDF2 rounds (2,048 in the versions checked),
and its encryption builder, which sets the rounds, serves only the OpenSSH and PKCS#12 formats; so the
EncryptedPrivateKeyInfo is assembled here with asn1crypto. Any PKCS#8 reader (cryptography, OpenSSL)
decrypts it. A key file written with fewer rounds or another scheme is re-wrapped the next time its
passphrase opens it (identities.load_private_key).
"""

from __future__ import annotations

import os

from asn1crypto import algos, core, keys
from asn1crypto import pem as asn1_pem
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

KDF_ITERATIONS = 600_000
SALT_BYTES = 16


def wrap(key: PrivateKeyTypes, secret: bytes) -> bytes:
    """The key as an encrypted PKCS#8 PEM under `secret`."""
    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    salt, iv = os.urandom(SALT_BYTES), os.urandom(16)
    derived = PBKDF2HMAC(hashes.SHA256(), 32, salt, KDF_ITERATIONS).derive(secret)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(derived), modes.CBC(iv)).encryptor()
    data = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    kdf = {"algorithm": "pbkdf2",
           "parameters": {"salt": algos.Pbkdf2Salt(name="specified", value=core.OctetString(salt)),
                          "iteration_count": KDF_ITERATIONS, "prf": {"algorithm": "sha256"}}}
    scheme = {"algorithm": "aes256_cbc", "parameters": core.OctetString(iv)}
    algorithm = algos.EncryptionAlgorithm({"algorithm": "pbes2",
                                           "parameters": {"key_derivation_func": kdf, "encryption_scheme": scheme}})
    info = keys.EncryptedPrivateKeyInfo({"encryption_algorithm": algorithm, "encrypted_data": data})
    armored: bytes = asn1_pem.armor("ENCRYPTED PRIVATE KEY", info.dump())
    return armored


def kdf_rounds(pem_data: bytes) -> int:
    """The PBKDF2-HMAC-SHA256 iterations protecting the key file; 0 for any other (or unreadable) scheme."""
    try:
        _kind, _headers, der = asn1_pem.unarmor(pem_data)
        params = keys.EncryptedPrivateKeyInfo.load(der)["encryption_algorithm"].native
        if params["algorithm"] != "pbes2":
            return 0
        kdf = params["parameters"]["key_derivation_func"]
        if kdf["algorithm"] != "pbkdf2" or kdf["parameters"]["prf"]["algorithm"] != "sha256":
            return 0
        return int(kdf["parameters"]["iteration_count"])
    except (ValueError, KeyError, TypeError):
        return 0


def needs_rewrap(pem_data: bytes) -> bool:
    return kdf_rounds(pem_data) < KDF_ITERATIONS
