"""Guidance on the assessment step: what the framework's source recommends for the dimension's level — the next
step (actions and success criteria), the recommended stack, and the tool-selection criteria with their weights."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from workbench.domain.wording import percent
from workbench.services.guidance import Guidance, load_guidance


def guidance_html(guidance: Guidance, dimension: str, level: int | None) -> str:
    """The guidance for a dimension at `level` (None: not assessed, read as level 1), as rich text."""
    shown = f"level {level}" if level else "not assessed yet (read as level 1)"
    parts = [f"<h3>{escape(dimension)}: {shown}</h3>"]
    step = guidance.step_from(level)
    if step is None:
        parts.append("<p>Level 5 is the top of the scale: keep the practices measured and reviewed.</p>")
    else:
        parts.append(f"<p><b>To reach level {step.end}</b> — {escape(step.phase)}: {escape(step.goal)}</p>"
                     "<p>Actions:</p><ul>" + "".join(f"<li>{escape(a)}</li>" for a in step.actions) + "</ul>"
                     "<p>Success criteria:</p><ul>" + "".join(f"<li>{escape(s)}</li>" for s in step.success) +
                     "</ul>")
    stack = guidance.stack_for(level)
    if stack is not None:
        parts.append(f"<p><b>Recommended stack (levels {stack.start}–{stack.end}):</b> {escape(stack.stack)}. "
                     f"{escape(stack.why)}</p>")
    parts.append("<p><b>Choosing tools</b> — weigh each candidate on:</p><ul>" + "".join(
        f"<li>{escape(c.name)} ({percent(c.weight)}): {escape(', '.join(c.considerations))}</li>"
        for c in guidance.criteria) + "</ul>")
    parts.append("<p><b>All stacks by level:</b></p><ul>" + "".join(
        f"<li>Levels {s.start}–{s.end}: {escape(s.stack)}</li>" for s in guidance.stacks) + "</ul>")
    return "".join(parts)


class GuidanceDialog(QDialog):
    def __init__(self, dimension: str, level: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidance")
        self.setWindowTitle("Guidance")
        self.text = QTextBrowser()
        self.text.setObjectName("guidanceText")
        self.text.setHtml(guidance_html(load_guidance(), dimension, level))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(620, 560)
