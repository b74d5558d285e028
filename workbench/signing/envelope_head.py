"""Telling an encrypted package from a clear one by its first bytes, without loading any cryptography.

An encrypted package (signing/envelope.py) is the DER encoding of a CMS ContentInfo: a SEQUENCE (0x30), its
length in one to eight bytes, then the content type id-ct-authEnvelopedData (1.2.840.113549.1.9.16.1.23).
A clear package is a zip and begins with "PK".
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["HEAD_BYTES", "OID_DER", "envelope_length", "is_envelope_file"]

OID_DER = bytes.fromhex("060b2a864886f70d0109100117")  # the DER of id-ct-authEnvelopedData
HEAD_BYTES = 2 + 8 + len(OID_DER)  # enough to read the declared length and the content type


def envelope_length(head: bytes) -> int | None:
    """The whole envelope's length its first bytes declare (DER SEQUENCE, then the AuthEnvelopedData OID), or
    None when `head` does not begin an envelope (BER's indefinite length is not accepted)."""
    if len(head) < 2 or head[0] != 0x30 or head[1] == 0x80:
        return None
    if head[1] < 0x80:
        length, offset = head[1], 2
    else:
        count = head[1] & 0x7F
        if count > 8 or len(head) < 2 + count:
            return None
        length, offset = int.from_bytes(head[2:2 + count], "big"), 2 + count
    if head[offset:offset + len(OID_DER)] != OID_DER:
        return None
    return offset + length


def is_envelope_file(path: Path) -> bool:
    """Whether the file begins with an encrypted package's envelope."""
    with open(path, "rb") as handle:
        return envelope_length(handle.read(HEAD_BYTES)) is not None
