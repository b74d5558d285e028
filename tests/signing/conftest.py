"""Signing fixtures: every test here runs with an in-memory keychain and an identity folder of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.signing import ENGAGEMENT, HEAD, PASSPHRASE, given, make_pdf, refuse


@pytest.fixture(autouse=True)
def _isolated_signing(memory_keyring: object, identities_home: Path) -> None:
    """The keychain and identities fixtures of tests/conftest.py, for every signing test."""


@pytest.fixture
def identity():
    from workbench.services import signatures

    return signatures.create_identity("Jane Doe", "jane@example.com", "Doe Audit LLP", given(PASSPHRASE))


@pytest.fixture
def signed(tmp_path: Path, identity) -> Path:
    """A three-page report signed by `identity`, tied to ENGAGEMENT and HEAD."""
    from workbench.services import signatures

    source = make_pdf(tmp_path / "report.pdf")
    out = tmp_path / "report-signed.pdf"
    signatures.sign_report(source, out, identity.id, refuse, role="Engagement lead", engagement_uid=ENGAGEMENT,
                           chain_head=HEAD)
    return out
