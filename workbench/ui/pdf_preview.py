"""A PDF shown inside the app (QtPdf): the deliverable as the client will see it, before it is saved.

The PDF is handed over as bytes held in memory (a QBuffer over a QByteArray, both kept as long as the
document shows them): a report render never has to be written to a temporary file, which on a system
without a memory-backed temp folder would put client data in clear on the disk. QPdfDocument renders the
pages on demand, so even a long report opens without blocking the window. `clear()` lets go of it.

QtPdf (pdfium) does not draw the appearance of form widgets, so a signed report would show an empty
signature box. `display_copy` makes a copy for the preview only (in memory), whose page content also draws
the signature's appearance; the signed file itself is never touched.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.domain.errors import WorkbenchError

__all__ = ["PdfPreview", "display_copy"]
log = logging.getLogger(__name__)

ZOOMS = (("Fit width", QPdfView.ZoomMode.FitToWidth), ("Whole page", QPdfView.ZoomMode.FitInView),
         ("100 %", QPdfView.ZoomMode.Custom))


class PdfPreview(QWidget):
    """Page count, zoom choice and the scrolling pages of one PDF."""

    loaded = Signal(int)  # number of pages

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.hide()
        self.placeholder = QLabel(placeholder)
        self.placeholder.setObjectName("previewPlaceholder")
        self.placeholder.setWordWrap(True)
        self.info = QLabel()
        self.info.setObjectName("previewInfo")
        self.zoom = QComboBox()
        self.zoom.setObjectName("previewZoom")
        for text, mode in ZOOMS:
            self.zoom.addItem(text, mode)
        self.zoom.currentIndexChanged.connect(self._set_zoom)
        self.zoom.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        bar.addWidget(QLabel("Zoom"))
        bar.addWidget(self.zoom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.view, 1)
        self.shown = False
        self._buffer: QBuffer | None = None  # the document reads from it while it is shown
        self._bytes: QByteArray | None = None

    def _set_zoom(self, index: int) -> None:
        mode = self.zoom.itemData(index)
        self.view.setZoomMode(mode)
        if mode == QPdfView.ZoomMode.Custom:
            self.view.setZoomFactor(1.0)

    def page_count(self) -> int:
        return self.document.pageCount() if self.shown else 0

    def load(self, pdf: bytes, name: str, description: str = "") -> int:
        """Show the PDF `pdf` (held in memory, called `name` in messages); returns its page count. A PDF
        QtPdf cannot read raises WorkbenchError."""
        self._let_go()
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)  # a QBuffer is read at once: the status is final on return
        error = self.document.error()
        if self.document.status() != QPdfDocument.Status.Ready or error != QPdfDocument.Error.None_:
            self._let_go()
            self.view.hide()
            self.placeholder.show()
            raise WorkbenchError(f"the preview cannot show {name} ({error.name.replace('_', ' ').lower()})")
        self.shown = True
        pages = self.document.pageCount()
        self.info.setText(f"{description} · {pages} page{'s' if pages != 1 else ''}" if description else
                          f"{pages} page{'s' if pages != 1 else ''}")
        self.placeholder.hide()
        self.view.show()
        self.zoom.setEnabled(True)
        self.loaded.emit(pages)
        return pages

    def _let_go(self) -> None:
        self.document.close()
        self.shown = False
        if self._buffer is not None:
            self._buffer.close()
        self._buffer = self._bytes = None

    def clear(self, placeholder: str | None = None) -> None:
        self._let_go()
        self.info.clear()
        self.view.hide()
        self.zoom.setEnabled(False)
        if placeholder is not None:
            self.placeholder.setText(placeholder)
        self.placeholder.show()


def display_copy(signed: Path) -> bytes:
    """The PDF of `signed` for the preview, with each widget's appearance drawn into its page (in memory);
    the file's own bytes if that cannot be done (the preview then shows the box empty; the file is still fine)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    original = Path(signed).read_bytes()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(original), strict=False)
        drawn = 0
        for index in range(int(writer.root["/Pages"]["/Count"])):
            page_ref, _ = writer.find_page_for_modification(index)
            for annot in page_ref.get_object().get("/Annots", None) or []:
                annot = annot.get_object()
                if annot.get("/Subtype") != "/Widget" or "/AP" not in annot:
                    continue
                drawn += 1
                name = generic.NameObject(f"/WbWidget{drawn}")
                x0, y0 = (float(v) for v in list(annot["/Rect"])[:2])
                stream = generic.StreamObject(stream_data=f"q 1 0 0 1 {x0:.3f} {y0:.3f} cm {name} Do Q".encode())
                resources = generic.DictionaryObject({generic.NameObject("/XObject"): generic.DictionaryObject(
                    {name: annot["/AP"].raw_get("/N")})})
                writer.add_stream_to_page(index, writer.add_object(stream), resources=resources)
        if not drawn:
            return original
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception:  # a preview nicety: never let it stand between the user and the signed file
        log.warning("cannot draw the signature into a preview copy of %s", signed, exc_info=True)
        return original
