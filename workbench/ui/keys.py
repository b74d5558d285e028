"""Keys that pages handle themselves, in one table: the widgets read their keys from here and Help lists it.

The window's own shortcuts (menus, Ctrl+number for the steps) are QActions and Help reads them from the
window; everything a page does with a plain key is described here, so the list cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

Key = Qt.Key

# Checklist of the assessment step: one key answers the current item and moves on.
CHECKLIST_ANSWERS: dict[int, str] = {
    Key.Key_Y: "yes", Key.Key_P: "partial", Key.Key_N: "no", Key.Key_A: "na",
    Key.Key_U: "unanswered", Key.Key_Backspace: "unanswered", Key.Key_Delete: "unanswered",
}
# Checklist digits: the n-th option of the item's scale (1 yes, 2 partial, 3 no; 1 None, 2 Basic … when graded).
CHECKLIST_OPTIONS: dict[int, int] = {getattr(Key, f"Key_{n}"): n for n in range(1, 10)}
# Quick health check: yes or no.
HEALTH_ANSWERS: dict[int, str] = {
    Key.Key_Y: "yes", Key.Key_N: "no",
    Key.Key_U: "unanswered", Key.Key_Backspace: "unanswered", Key.Key_Delete: "unanswered",
}
ENTER_KEYS = (Key.Key_Return, Key.Key_Enter)
WORDS = {"yes": "yes", "partial": "partial", "no": "no", "na": "not applicable", "unanswered": "clear the answer"}


@dataclass(frozen=True)
class KeyHelp:
    keys: str
    what: str


def _answer_rows(where: str, answers: Mapping[int, str]) -> list[KeyHelp]:
    """One row per answer: 'Y', 'U / Backspace / Del' ... from the very map the widget uses."""
    by_answer: dict[str, list[str]] = {}
    for key, answer in answers.items():
        by_answer.setdefault(answer, []).append(QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText))
    return [KeyHelp(" / ".join(keys), f"{where}: {WORDS[answer]}" + (" and move on" if answer != "unanswered"
                                                                      else ""))
            for answer, keys in by_answer.items()]


def page_keys() -> list[KeyHelp]:
    """Every key a page handles itself, for Help > Keyboard shortcuts."""
    return [
        KeyHelp("Enter", "Step list: open the step and hand it the keyboard"),
        KeyHelp("Enter", "Library search: open the only match (Down: to the list)"),
        KeyHelp("Delete", "Tables: delete the selected rows (Ctrl+Z brings them back)"),
        KeyHelp("F2 / Enter / typing", "Tables: edit the current cell"),
        *_answer_rows("Health check", HEALTH_ANSWERS),
        KeyHelp("Up / Down", "Health check: previous / next question"),
        KeyHelp("Enter", "Health check: write the note of the question; Enter again saves it, Esc cancels"),
        *_answer_rows("Checklist", CHECKLIST_ANSWERS),
        KeyHelp("1 … 9", "Checklist: the option of that number on the item's scale (a graded item: None, Basic, "
                         "Advanced …) and move on"),
        KeyHelp("Enter / F2", "Checklist: edit the note of the item; Enter again saves it, Esc cancels"),
        KeyHelp("Up / Down", "Checklist: previous / next item"),
        KeyHelp("1 … 5 / 0", "Level: set the maturity level / not assessed (after a dimension's last item the "
                             "level is asked for: Enter goes on, Esc back)"),
        KeyHelp("Enter", "Review notes: go to what the note is about"),
        KeyHelp("Down, Enter", "Link evidence: choose a finding, item, model or risk and link it"),
    ]
