"""Identity passphrases in the OS keychain (keyring: service "workbench", username = identity id).

Where no keychain exists (headless Linux gives keyring's "fail" backend, whose calls raise NoKeyringError),
the user is told once per process, in plain words, and asked for the passphrase instead: through a
*passphrase provider*, a callable taking a prompt and returning the passphrase (or None when the user
cancels). The CLI's provider prompts with getpass or reads --passphrase-file; the GUI's opens a dialog.
Passphrases given that way are remembered for the rest of the process (the "session") only.

Only the passphrase is stored, never the key: Windows Credential Manager caps a secret at 2560 bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from workbench.domain.errors import WorkbenchError

if TYPE_CHECKING:  # the identities module loads cryptography's X.509 and PKCS#12: not needed to find a key
    from workbench.signing.identities import Identity, PrivateKey

log = logging.getLogger(__name__)

SERVICE = "workbench"
NO_KEYCHAIN_NOTICE = "No keychain is available on this computer; you will be asked for the passphrase each session."

PassphraseProvider = Callable[[str], "str | None"]
Notify = Callable[[str], None]


class PassphraseCancelled(WorkbenchError):
    """The user gave no passphrase (cancelled the prompt or the dialog)."""


_state: dict[str, object] = {"notified": False, "broken": False}
_session: dict[str, str] = {}


def reset() -> None:
    """Forget the session's passphrases and the no-keychain notice (a new session; used by tests)."""
    _session.clear()
    _state["notified"] = False
    _state["broken"] = False


def _default_notify(message: str) -> None:
    log.warning(message)


def _keyring() -> ModuleType:
    """keyring, imported when a passphrase is first looked for (it costs ~50 ms; most commands sign nothing)."""
    import keyring

    return keyring


def keychain_available() -> bool:
    """False for keyring's fail/null backends (priority < 1) and after a keychain call has failed."""
    if _state["broken"]:
        return False
    try:
        backend = _keyring().get_keyring()
        priority = backend.priority
    except Exception:  # a misconfigured backend must not stop signing
        log.info("no usable keyring backend", exc_info=True)
        return False
    module = type(backend).__module__
    return not (module.startswith(("keyring.backends.fail", "keyring.backends.null")) or priority < 1)


def _no_keychain(notify: Notify | None, exc: BaseException | None = None) -> None:
    if exc is not None:
        log.info("keychain call failed: %s", exc)
        _state["broken"] = True
    if not _state["notified"]:
        _state["notified"] = True
        (notify or _default_notify)(NO_KEYCHAIN_NOTICE)


def get_passphrase(identity_id: str, notify: Notify | None = None) -> str | None:
    """The stored passphrase of an identity, or None (not stored, or no keychain: then notify once)."""
    if identity_id in _session:
        return _session[identity_id]
    if not keychain_available():
        _no_keychain(notify)
        return None
    try:
        stored: str | None = _keyring().get_password(SERVICE, identity_id)
        return stored
    except Exception as exc:  # NoKeyringError, KeyringLocked, a D-Bus failure...
        _no_keychain(notify, exc)
        return None


def store_passphrase(identity_id: str, passphrase: str, notify: Notify | None = None) -> bool:
    """Keep the passphrase in the keychain (True) or, without one, for this session only (False)."""
    if keychain_available():
        try:
            _keyring().set_password(SERVICE, identity_id, passphrase)
            _session.pop(identity_id, None)
            return True
        except Exception as exc:
            _no_keychain(notify, exc)
    else:
        _no_keychain(notify)
    _session[identity_id] = passphrase
    return False


def forget_passphrase(identity_id: str) -> None:
    """Drop a passphrase from the session and the keychain (it no longer opens the key, or the user asks)."""
    _session.pop(identity_id, None)
    if keychain_available():
        try:
            _keyring().delete_password(SERVICE, identity_id)
        except Exception as exc:  # PasswordDeleteError when absent: nothing to forget
            log.debug("keychain delete for %s: %s", identity_id, exc)


def ask(provider: PassphraseProvider | None, prompt: str) -> str:
    """Ask the provider; None, no provider or an empty answer means the user gave none."""
    answer = provider(prompt) if provider is not None else None
    if not answer:
        raise PassphraseCancelled("no passphrase was given; nothing was changed")
    return answer


def unlock(identity: Identity, provider: PassphraseProvider | None, notify: Notify | None = None) -> PrivateKey:
    """The identity's private key: with the stored passphrase if it still opens the key, else with one
    from the provider (which is then stored). A wrong passphrase raises WrongPassphraseError."""
    from workbench.signing.identities import WrongPassphraseError, load_private_key

    stored = get_passphrase(identity.id, notify)
    if stored:
        try:
            return load_private_key(identity, stored)
        except WrongPassphraseError:
            log.info("the stored passphrase of identity %s no longer opens its key", identity.id)
            forget_passphrase(identity.id)
    passphrase = ask(provider, f"Passphrase of identity {identity.name} ({identity.id}): ")
    key = load_private_key(identity, passphrase)
    store_passphrase(identity.id, passphrase, notify)
    return key
