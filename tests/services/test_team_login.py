"""A check-in from a laptop logs in to the team server with the password File ▸ Connect to team server… keeps in
the keychain for that address, not whatever libpq finds; a URL that carries its own password, or an address the
keychain knows nothing of, is left as it is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.services.team_login import ServerAddress, address_of, with_remembered_password
from workbench.signing import keychain

SOCKET_URL = "postgresql://ana@/audits?host=/run/pg&port=5433&connect_timeout=8"


def _keep(address: ServerAddress, password: str) -> None:
    keychain.store_passphrase(f"team-server:{address.label}", password, notify=lambda _message: None)


@pytest.mark.parametrize(("url", "address", "with_password"), [
    ("postgresql://ana@db.example.com:5432/audits?connect_timeout=8", ServerAddress("db.example.com", 5432, "audits",
                                                                                     "ana"),
     "postgresql://ana:p%40ss%20w%3Ard@db.example.com:5432/audits?connect_timeout=8"),
    ("postgresql://ana@db.example.com/audits", ServerAddress("db.example.com", 5432, "audits", "ana"),
     "postgresql://ana:p%40ss%20w%3Ard@db.example.com/audits"),
    (SOCKET_URL, ServerAddress("/run/pg", 5433, "audits", "ana"),
     "postgresql://ana:p%40ss%20w%3Ard@/audits?host=/run/pg&port=5433&connect_timeout=8"),
])
def test_the_kept_password_goes_into_the_url(memory_keyring, url: str, address: ServerAddress,
                                             with_password: str) -> None:
    assert address_of(url) == address
    assert with_remembered_password(url) == url  # nothing kept yet
    _keep(address, "p@ss w:rd")
    assert with_remembered_password(url) == with_password


def test_a_url_with_its_own_password_or_another_address_is_left_alone(memory_keyring) -> None:
    _keep(ServerAddress("/run/pg", 5433, "audits", "ana"), "kept")
    own = "postgresql://ana:typed@/audits?host=/run/pg&port=5433"
    assert with_remembered_password(own) == own
    other_user = SOCKET_URL.replace("ana@", "bea@")
    assert with_remembered_password(other_user) == other_user
    for odd in ("postgresql:///audits", "not a url", "", "postgresql://ana@db:notaport/audits"):
        assert with_remembered_password(odd) == odd


@given(st.text(max_size=60))
def test_any_text_is_returned_unchanged_or_with_a_password_never_an_error(text: str) -> None:
    assert with_remembered_password(text) == text  # the keychain knows nothing here: nothing to add
