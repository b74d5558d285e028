"""RFC 3211 password-based key wrapping (the PWRI-KEK algorithm CMS PasswordRecipientInfo uses).

The content key is formatted as: its length (1 byte), its first three bytes complemented (a check that the
password was right), the key, random padding to a whole number of AES blocks and at least two blocks. That is
encrypted twice with AES-256-CBC under the key-encryption key: first with the IV given in the algorithm's
parameters, then again with the last block of the first pass as the IV. Unwrapping reverses both passes and
checks the length and the check bytes: a wrong password fails there (with 1 chance in 2^24 of passing the check,
after which the content's authentication tag fails instead).
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 16

__all__ = ["BLOCK", "WrongPassword", "unwrap", "wrap"]


class WrongPassword(Exception):
    """The key-encryption key does not unwrap this key (a wrong passphrase, or altered bytes)."""


def _cbc(key: bytes, iv: bytes, data: bytes, *, encrypt: bool) -> bytes:
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    worker = cipher.encryptor() if encrypt else cipher.decryptor()
    return worker.update(data) + worker.finalize()


def wrap(kek: bytes, iv: bytes, content_key: bytes) -> bytes:
    check = bytes(b ^ 0xFF for b in content_key[:3])
    formatted = bytes([len(content_key)]) + check + content_key
    size = max(2 * BLOCK, -(-len(formatted) // BLOCK) * BLOCK)
    formatted += os.urandom(size - len(formatted))
    first = _cbc(kek, iv, formatted, encrypt=True)
    return _cbc(kek, first[-BLOCK:], first, encrypt=True)


def unwrap(kek: bytes, iv: bytes, wrapped: bytes) -> bytes:
    if len(wrapped) < 2 * BLOCK or len(wrapped) % BLOCK:
        raise WrongPassword("the wrapped key has an impossible length")
    # the first pass's last block: decrypt the last block with the one before it as IV
    last = _cbc(kek, wrapped[-2 * BLOCK:-BLOCK], wrapped[-BLOCK:], encrypt=False)
    first = _cbc(kek, last, wrapped, encrypt=False)
    formatted = _cbc(kek, iv, first, encrypt=False)
    length = formatted[0]
    if length < 3 or length + 4 > len(formatted):
        raise WrongPassword("the unwrapped key has an impossible length")
    key = formatted[4:4 + length]
    if bytes(b ^ 0xFF for b in formatted[1:4]) != key[:3]:
        raise WrongPassword("the check bytes do not match")
    return key
