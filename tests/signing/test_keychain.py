"""The passphrase in the OS keychain, and the fallback when there is none."""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from tests.helpers.signing import PASSPHRASE, NoKeychain, given, make_pdf, refuse
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.services import signatures
from workbench.signing import keychain


def test_the_passphrase_goes_to_the_keychain_and_signing_needs_no_prompt(tmp_path: Path, memory_keyring) -> None:
    ident = signatures.create_identity("Ann Lee", "ann@example.com", "Lee & Co", given(PASSPHRASE))
    assert memory_keyring.secrets == {("workbench", ident.id): PASSPHRASE}
    signatures.sign_report(make_pdf(tmp_path / "r.pdf"), tmp_path / "s.pdf", ident.id, refuse)
    assert signatures.verify_report(tmp_path / "s.pdf").ok


def test_without_a_keychain_the_user_is_told_once_and_asked_each_session(tmp_path: Path) -> None:
    keyring.set_keyring(NoKeychain())
    notices: list[str] = []
    ident = signatures.create_identity("Ann Lee", "ann@example.com", "Lee & Co", given(PASSPHRASE),
                                       notify=notices.append)
    report = make_pdf(tmp_path / "r.pdf")
    # Same session: the passphrase given at creation is remembered in memory, no second notice.
    signatures.sign_report(report, tmp_path / "a.pdf", ident.id, refuse, notify=notices.append)
    signatures.sign_report(report, tmp_path / "b.pdf", ident.id, refuse, notify=notices.append)
    assert notices == [keychain.NO_KEYCHAIN_NOTICE]
    assert notices[0] == ("No keychain is available on this computer; you will be asked for the passphrase "
                          "each session.")

    keychain.reset()  # a new session (the next `workbench` command, the next app start)
    provider = given(PASSPHRASE)
    signatures.sign_report(report, tmp_path / "c.pdf", ident.id, provider, notify=notices.append)
    signatures.sign_report(report, tmp_path / "d.pdf", ident.id, refuse, notify=notices.append)
    assert len(provider.prompts) == 1
    assert notices == [keychain.NO_KEYCHAIN_NOTICE] * 2
    assert all(signatures.verify_report(tmp_path / f"{n}.pdf").ok for n in "abcd")


def test_keyrings_fail_backend_is_detected_without_calling_it() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert not keychain.keychain_available()
    notices: list[str] = []
    assert keychain.get_passphrase("abc", notices.append) is None
    assert keychain.store_passphrase("abc", "secret-secret", notices.append) is False
    assert keychain.get_passphrase("abc", notices.append) == "secret-secret"
    assert notices == [keychain.NO_KEYCHAIN_NOTICE]


def test_a_cancelled_prompt_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(keychain.PassphraseCancelled, match="no passphrase was given"):
        signatures.create_identity("Ann Lee", "ann@example.com", "", given(None))


def test_cli_provider_reads_the_first_line_of_a_passphrase_file(tmp_path: Path) -> None:
    (tmp_path / "pass.txt").write_text("  spaced passphrase \nsecond line\n")
    provider = signatures.cli_passphrase_provider(tmp_path / "pass.txt")
    assert provider("anything: ") == "  spaced passphrase "
    with pytest.raises(NotFoundError):
        signatures.cli_passphrase_provider(tmp_path / "missing.txt")("x: ")


def test_cli_provider_prompts_and_confirms_a_new_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["first answer", "other answer"])
    monkeypatch.setattr("workbench.services.signatures._terminal", lambda: True)  # as at a terminal
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    provider = signatures.cli_passphrase_provider(confirm_new=True)
    with pytest.raises(ValidationError, match="differ"):
        provider(signatures.NEW_PASSPHRASE_PROMPT)

    def no_terminal(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("getpass.getpass", no_terminal)
    assert signatures.cli_passphrase_provider()("Passphrase: ") is None


def test_the_gui_unlocks_first_then_signs_in_a_worker_without_a_provider(tmp_path: Path) -> None:
    keyring.set_keyring(NoKeychain())
    ident = signatures.create_identity("Ann Lee", "ann@example.com", "", given(PASSPHRASE), notify=lambda _m: None)
    keychain.reset()  # the next app start: nothing remembered
    with pytest.raises(keychain.PassphraseCancelled):
        signatures.sign_report(make_pdf(tmp_path / "r.pdf"), tmp_path / "s.pdf", ident.id, None)
    assert not (tmp_path / "s.pdf").exists()
    assert signatures.unlock_identity(ident.id, given(PASSPHRASE), notify=lambda _m: None) == ident
    signatures.sign_report(tmp_path / "r.pdf", tmp_path / "s.pdf", ident.id, None)
    assert signatures.verify_report(tmp_path / "s.pdf").ok
