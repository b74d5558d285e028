"""The desktop app on an encrypted workspace whose key the keychain does not hold: the passphrase dialog asks
once, a wrong passphrase is refused in words and nothing opens or changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import file_hash
from workbench.services.encryption import encrypt_workspace
from workbench.services.engagements import create_engagement
from workbench.signing import keychain
from workbench.store.keys import forget, read_wrapped
from workbench.store.workspace import Workspace
from workbench.ui import app as ui_app

PASSPHRASE = "a long workspace passphrase"


@pytest.fixture
def locked_workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace.db"
    with Workspace(path) as ws:
        create_engagement(ws, client="Acme Analytics", title="Platform audit")
    encrypt_workspace(path, PASSPHRASE, scrypt_n=2**10)
    forget(read_wrapped(path).key_id)
    keychain.reset()
    return path


def answer(monkeypatch: pytest.MonkeyPatch, passphrase: str | None) -> list[str]:
    prompts: list[str] = []

    def provider(_parent: object) -> object:
        def provide(prompt: str) -> str | None:
            prompts.append(prompt)
            return passphrase
        return provide

    monkeypatch.setattr("workbench.ui.passphrase.dialog_provider", provider)
    return prompts


def test_the_passphrase_dialog_unlocks_the_workspace_once(qapp: object, locked_workspace: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    prompts = answer(monkeypatch, PASSPHRASE)
    ws = ui_app.open_workspace(locked_workspace)
    assert ws is not None
    ws.close()
    again = ui_app.open_workspace(locked_workspace)  # the key is kept now: no second question
    assert again is not None
    again.close()
    assert prompts == ["Passphrase of the encrypted workspace workspace.db: "]


@pytest.mark.parametrize("given", ["not the passphrase", None])
def test_a_wrong_or_no_passphrase_opens_nothing_and_changes_nothing(qapp: object, locked_workspace: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    given: str | None) -> None:
    answer(monkeypatch, given)
    refused: list[str] = []
    monkeypatch.setattr(ui_app, "report_refusal", lambda _path, exc, _parent=None: refused.append(str(exc)))
    digest = file_hash(locked_workspace)
    assert ui_app.open_workspace(locked_workspace) is None
    assert ui_app.run_app(locked_workspace) == 2  # refused before any window is shown
    expected = "passphrase does not open" if given else "no passphrase was given"
    assert len(refused) == 2 and all(expected in text for text in refused)
    assert file_hash(locked_workspace) == digest
