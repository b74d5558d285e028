"""The banner over the main window when the workspace is open read-only (a read-only file, folder or disk):
the auditor can browse, report and export, and is told before trying an edit why it will be refused."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

TEXT = ("<b>Read-only workspace.</b> {name} (or its folder or disk) cannot be written here, so it is open for "
        "browsing, reports and exports only; edits are refused. To change it, copy it to a folder you can write "
        "to and open the copy.")


def with_banner(content: QWidget) -> tuple[QWidget, QLabel]:
    """`content` below a hidden banner, in one widget for the window's centre; show it with show_banner."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    banner = QLabel()
    banner.setObjectName("readOnlyBanner")
    banner.setWordWrap(True)
    banner.setStyleSheet("QLabel#readOnlyBanner { background: #fff4ce; color: #3b2f00; padding: 8px 12px;"
                         " border-bottom: 1px solid #e0c36c; }")
    banner.hide()
    layout.addWidget(banner)
    layout.addWidget(content, 1)
    return holder, banner


def show_banner(banner: QLabel, read_only: bool, name: str) -> None:
    banner.setText(TEXT.format(name=name))
    banner.setVisible(read_only)


def show_reason(banner: QLabel, text: str) -> None:
    """The banner with another reason the open content cannot be changed (an engagement checked out of a team
    server to a laptop: ui/window_checkout.py)."""
    banner.setText(text)
    banner.setVisible(True)
