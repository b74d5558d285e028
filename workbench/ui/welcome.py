"""The welcome page: what a new auditor needs in the first minutes, shown once and reopened from Help.

Three things get an auditor going: the sample engagements (to see what the tool does), a signing identity
(so deliverables can be signed), and the firm's branding (name, logo, accent colour, day rate, currency: the
look and prices of every report). Each is done through the services the rest of the app uses:
services.samples imports the packages, the identity dialog creates the identity, services.preferences keeps
the branding in the JSON file the CLI reads too. The "already shown" flag lives in QSettings, like other
view state.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.resources import resource
from workbench.ui.appearance import mark_attention
from workbench.ui.errors import show_error, user_message
from workbench.ui.workers import run_task

if TYPE_CHECKING:  # the samples, the workspace and the preferences (they load the report data) after the window shows
    from workbench.services.preferences import Preferences
    from workbench.store.workspace import Workspace

__all__ = ["SHOWN_KEY", "BrandingForm", "WelcomeDialog", "app_icon", "first_run", "show_welcome"]

SHOWN_KEY = "welcome/shown"
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD", "JPY", "INR", "SGD")


def app_icon() -> QIcon:
    """The application icon from the PNG renderings (no SVG plugin needed in the bundle)."""
    icon = QIcon()
    for path in sorted(resource("icons").glob("workbench-*.png")):
        icon.addFile(str(path))
    return icon


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    """`widget` with an object name (what tests and style sheets find it by)."""
    widget.setObjectName(name)
    return widget


def _note(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label



def _fill_action_box(box: QGroupBox, text: str, status: QWidget, button: QPushButton) -> None:
    """A welcome step: what it is for, then its status line beside its button."""
    layout = QVBoxLayout(box)
    layout.addWidget(_note(text))
    row = QHBoxLayout()
    row.addWidget(status, 1)
    row.addWidget(button)
    layout.addLayout(row)

class BrandingForm(QGroupBox):
    """Firm name, logo, accent colour, day rate and currency, saved together into the preferences file."""

    saved = Signal(object)  # the Preferences now in force

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("3 · Your firm's branding", parent)
        self.setObjectName("welcomeBranding")
        self.firm = _named(QLineEdit(placeholderText="e.g. Northwind Assurance LLP"), "brandingFirm")
        self.logo = _named(QLineEdit(placeholderText="PNG or JPEG shown on the cover"), "brandingLogo")
        self.logo.textChanged.connect(self._show_logo)
        choose = _named(QPushButton("Choose…"), "brandingChooseLogo")
        choose.clicked.connect(self.choose_logo)
        self.logo_preview = _named(QLabel(), "brandingLogoPreview")
        self.logo_preview.setFixedSize(120, 40)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.accent = _named(QPushButton(), "brandingAccent")
        self.accent.setToolTip("The colour of headings and rules in the reports")
        self.accent.clicked.connect(self.choose_accent)
        self.day_rate = _named(QDoubleSpinBox(), "brandingDayRate")
        from workbench.services.preferences import MAX_DAY_RATE

        self.day_rate.setRange(0, MAX_DAY_RATE)
        self.day_rate.setDecimals(0)
        self.day_rate.setSingleStep(50)
        self.day_rate.setToolTip("Prices remediation effort (hours ÷ 8 × day rate) in the cost matrix and reports")
        self.currency = _named(QComboBox(), "brandingCurrency")
        self.currency.setEditable(True)
        self.currency.addItems(CURRENCIES)
        self.one_person = _named(QCheckBox("One-person practice: I may sign off as preparer and as reviewer"),
                                 "brandingOnePerson")
        self.one_person.setToolTip("Off, preparer and reviewer must be different identities. On, one identity may "
                                   "give both sign-offs, and every report then says \"prepared and reviewed by the "
                                   "same person\".")
        self.problem = _note("", "brandingProblem")
        mark_attention(self.problem)
        self.status = _note("", "brandingStatus")
        save = _named(QPushButton("Save branding"), "brandingSave")
        save.clicked.connect(self.save)
        wording = _named(QPushButton("Report wording…"), "brandingWording")
        wording.setToolTip("The important notice and the method printed in every full report")
        wording.clicked.connect(self.edit_wording)

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose)
        rate_row = QHBoxLayout()
        rate_row.addWidget(self.day_rate, 1)
        rate_row.addWidget(self.currency)
        form = QFormLayout()
        form.addRow("Firm name", self.firm)
        form.addRow("Logo", logo_row)
        form.addRow("", self.logo_preview)
        form.addRow("Accent colour", self.accent)
        form.addRow("Day rate", rate_row)
        form.addRow("Review", self.one_person)
        layout = QVBoxLayout(self)
        layout.addWidget(_note("Shown on every report's cover, page headers and sign-off page, whether the "
                               "report is made here or with the workbench report command."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(wording)
        buttons.addWidget(save)
        layout.addLayout(buttons)
        self._accent_hex = ""
        self.load()

    def load(self) -> None:
        from workbench.services.preferences import Preferences, load_preferences

        try:
            current = load_preferences()
        except WorkbenchError as exc:  # a broken file: show the defaults, saving will replace it
            self.problem.setText(user_message(exc))
            current = Preferences()
        self.firm.setText(current.firm_name if current.firm_name != Preferences().firm_name else "")
        self.logo.setText(current.logo_path)
        self._show_logo(current.logo_path)
        self.set_accent(current.accent_hex)
        self.day_rate.setValue(current.day_rate)
        self.currency.setCurrentText(current.currency)
        self.one_person.setChecked(current.one_person_practice)

    def edit_wording(self) -> None:
        from workbench.ui.firm_text_dialog import FirmTextDialog

        FirmTextDialog(self).exec()

    def set_accent(self, value: str) -> None:
        colour = QColor(value if value.startswith("#") else f"#{value}")
        self._accent_hex = colour.name().upper() if colour.isValid() else value
        text = "#000000" if colour.isValid() and colour.lightnessF() > 0.6 else "#ffffff"
        self.accent.setText(self._accent_hex)
        self.accent.setStyleSheet(f"background-color: {self._accent_hex}; color: {text}; padding: 4px 12px;")

    def accent_hex(self) -> str:
        return self._accent_hex

    def choose_accent(self) -> None:
        colour = QColorDialog.getColor(QColor(self._accent_hex), self, "Accent colour of the reports")
        if colour.isValid():
            self.set_accent(colour.name())

    def choose_logo(self) -> None:
        start = str(Path(self.logo.text()).expanduser().parent) if self.logo.text() else ""
        path, _ = QFileDialog.getOpenFileName(self, "Firm logo", start, "Images (*.png *.jpg *.jpeg)")
        if path:
            self.logo.setText(path)

    def _show_logo(self, path: str) -> None:
        pixmap = QPixmap(str(Path(path).expanduser())) if path.strip() else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setText("(no logo)" if not path.strip() else "(not an image)")
            return
        self.logo_preview.setPixmap(pixmap.scaled(self.logo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation))

    def save(self) -> Preferences | None:
        """Validate and save everything at once; a bad value is named and nothing is saved."""
        from workbench.services.preferences import Preferences, update_preferences

        logo = self.logo.text().strip()
        if logo and not Path(logo).expanduser().is_file():
            self._complain(f"There is no logo file {logo}.")
            return None
        try:
            saved = update_preferences(firm_name=self.firm.text().strip() or Preferences().firm_name, logo_path=logo,
                                       accent_hex=self._accent_hex, day_rate=self.day_rate.value(),
                                       currency=self.currency.currentText().strip(),
                                       one_person_practice=self.one_person.isChecked())
        except WorkbenchError as exc:
            self._complain(user_message(exc))
            return None
        self.problem.clear()
        self.status.setText("Saved. Every report from now on uses it.")
        self.saved.emit(saved)
        return saved

    def _complain(self, text: str) -> None:
        self.status.clear()
        self.problem.setText(text)


class WelcomeDialog(QDialog):
    """Samples, identity, branding: each section works on its own and can be done later."""

    sample_opened = Signal(str)  # uid of the sample engagement to show

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome to the MLOps Audit Workbench")
        self.ws = ws
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        title = _named(QLabel("Welcome to the MLOps Audit Workbench"), "welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        intro = _note("Assess how an organisation runs machine learning in production: health check, maturity "
                      "assessment, findings, models, risks, costs and roadmap, ending in a signed PDF report. "
                      "Everything stays on this computer; no network is needed. Three things get you started — "
                      "each can also be done later.")
        header = QGridLayout()
        header.addWidget(icon, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        header.addWidget(title, 0, 1)
        header.addWidget(intro, 1, 1)
        header.setColumnStretch(1, 1)
        header.setHorizontalSpacing(16)

        self.branding = BrandingForm()
        left = QVBoxLayout()
        left.addWidget(self._samples_box())
        left.addWidget(self._identity_box())
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.branding)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(_note("You can reopen this page any time from Help › Welcome…"), 1)
        footer.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addLayout(footer)
        self.resize(960, self.sizeHint().height())
        self.refresh_identity()

    def _samples_box(self) -> QGroupBox:
        box = _named(QGroupBox("1 · Explore the sample engagements"), "welcomeSamples")
        from workbench.services.samples import sample_packages

        count = len(sample_packages())
        self.samples_status = _note("", "samplesStatus")
        self.samples_button = _named(QPushButton("Open the sample engagements"), "openSamples")
        self.samples_button.clicked.connect(self.open_samples)
        _fill_action_box(box, f"{count} realistic audits to look around in, at different stages: scores, findings, "
                         "risk heat map, roadmap and reports. They are added to your library; archive them when you "
                         "no longer need them.", self.samples_status, self.samples_button)
        self._show_samples_state()
        return box

    def _show_samples_state(self) -> None:
        """Samples already in the library (`workbench demo`, an earlier visit): open them, nothing to add."""
        from workbench.services.samples import samples_present

        if self.ws is not None and samples_present(self.ws):
            self.samples_status.setText("The sample engagements are in your library.")
            self.samples_button.setText("Open the DriftGuardAI sample")

    def _identity_box(self) -> QGroupBox:
        box = _named(QGroupBox("2 · Your signing identity"), "welcomeIdentity")
        self.identity_status = _note("", "identityStatus")
        self.identity_button = _named(QPushButton("Create identity…"), "createIdentity")
        self.identity_button.clicked.connect(self.create_identity)
        _fill_action_box(box, "Deliverables are signed digitally (PAdES) so a client can check who issued them and "
                         "that nothing changed. The workbench makes a certificate for you; your firm's PKCS#12 file "
                         "can be imported under Tools › Signing identities.", self.identity_status,
                         self.identity_button)
        return box

    # -- samples
    def open_samples(self) -> None:
        from workbench.services.samples import import_samples

        self.samples_button.setEnabled(False)
        self.samples_status.setText("Importing…")
        run_task(lambda _task: import_samples(self.ws), self._samples_ready, self._samples_failed, parent=self,
                 label="Importing the sample engagements…")

    def _samples_ready(self, uids: dict[str, str]) -> None:
        from workbench.services.samples import FEATURED_SAMPLE

        self.samples_button.setEnabled(True)
        self.samples_status.setText(f"{len(uids)} sample engagements are in your library.")
        focus = uids.get(FEATURED_SAMPLE) or next(iter(uids.values()), None)
        if focus:
            self.sample_opened.emit(focus)

    def _samples_failed(self, exc: BaseException) -> None:
        self.samples_button.setEnabled(True)
        self.samples_status.setText("")
        show_error(self, exc, "Samples not imported")

    # -- identity
    def refresh_identity(self) -> None:
        from workbench.services import signatures
        from workbench.ui.identity_dialog import identity_label

        try:
            found = signatures.list_identities()
        except WorkbenchError as exc:
            self.identity_status.setText(user_message(exc))
            return
        if found:
            self.identity_status.setText(f"Signing as {identity_label(found[-1])}.")
            self.identity_button.setText("Create another…")
        else:
            self.identity_status.setText("No identity yet.")
            self.identity_button.setText("Create identity…")

    def create_identity(self) -> QDialog:
        from workbench.ui.identity_dialog import CreateIdentityDialog

        dialog = CreateIdentityDialog(self)
        if self.branding.firm.text().strip():
            dialog.firm.setText(self.branding.firm.text().strip())
        dialog.finished.connect(lambda _result: (self.refresh_identity(), dialog.deleteLater()))
        dialog.open()
        return dialog


def show_welcome(window: QWidget, ws: Workspace, settings: QSettings,
                 open_sample: Callable[[str], None]) -> WelcomeDialog:
    """Open the welcome page over the main window (non-modal, so the samples can be looked at beside it)."""
    dialog = WelcomeDialog(ws, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.sample_opened.connect(open_sample)
    settings.setValue(SHOWN_KEY, True)
    settings.sync()  # a crash or a kill right after must not show it again
    dialog.show()
    return dialog


def first_run(settings: QSettings) -> bool:
    """The first start on a profile shows the welcome page; later starts do not (Help › Welcome… does)."""
    return not settings.value(SHOWN_KEY, False, type=bool)
