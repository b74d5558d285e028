"""Assessment step on a large imported catalog (offscreen Qt): open it, search, filter by tag, switch
dimension, answer an item. Writes the bench:checklist section of docs/performance.md.

    .venv/bin/python bench/bench_checklist.py [--runs 5] [--no-write] [CATALOG ...]

The first catalog is generated in the shape of NIST SP 800-53 rev. 5 (bench_catalogs.py: 20 families,
1,032 controls and enhancements); real ones given on the command line (e.g. NIST's full SP 800-53 JSON)
are measured after it. Published catalogs are not shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script: bench/ is sys.path[0]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_catalogs import make_oscal_catalog  # noqa: E402
from bench.run_bench import OtherLoad, Row, measure, publish, table  # noqa: E402

START, END = "<!-- bench:checklist:start -->", "<!-- bench:checklist:end -->"


class ChecklistBench:
    """One engagement on the catalog and its assessment page, shown at 1366 × 700."""

    def __init__(self, catalog: Path, folder: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from workbench.services.engagements import create_engagement
        from workbench.services.frameworks import import_framework_file
        from workbench.store.workspace import Workspace
        from workbench.ui.session import EngagementSession

        self.app = QApplication.instance() or QApplication([])
        self.ws = Workspace(folder / "bench.db").open()
        self.framework = import_framework_file(self.ws, catalog)
        uid = create_engagement(self.ws, client="Bench", title="Large catalog", framework_id=self.framework.id)
        self.uid = uid
        self.session = EngagementSession(self.ws, uid)
        self.page = self.new_page(self.session)

    def new_page(self, session: Any) -> Any:
        from workbench.ui.pages.assessment import AssessmentPage

        page = AssessmentPage(session)
        page.resize(1366, 700)
        page.show()
        self.settle()
        return page

    def settle(self) -> None:
        """Let the event loop finish what the action queued (layout, paint, deferred deletes)."""
        from PySide6.QtCore import QCoreApplication, QEvent

        for _ in range(3):
            self.app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def then_settle(self, action: Callable[[], Any]) -> Callable[[], None]:
        def run() -> None:
            action()
            self.settle()
        return run

    def open_page(self) -> None:
        """As opening the engagement's step does: a session (the engagement read) and its page."""
        from workbench.ui.session import EngagementSession

        session = EngagementSession(self.ws, self.uid)
        page = self.new_page(session)
        page.close()
        page.deleteLater()
        session.deleteLater()
        self.settle()

    def type_search(self) -> None:
        from PySide6.QtTest import QTest

        search = self.page.filter_bar.search
        for key in "au-3":  # each keystroke filters every dimension
            QTest.keyClick(search, key)
            self.settle()
        search.clear()
        self.settle()

    def toggle_tag(self) -> None:
        tag = self.page.filter_bar.tag
        tag.setCurrentIndex(tag.findData("control"))
        self.settle()
        tag.setCurrentIndex(0)
        self.settle()

    def switch_dimension(self) -> None:
        biggest = max(range(len(self.framework.dimensions)), key=lambda i: len(self.framework.dimensions[i].items))
        rows = self.page.dimension_list
        rows.setCurrentRow(biggest if rows.currentRow() != biggest else 0)
        self.settle()

    def answer(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.page.checklist.setFocus()
        QTest.keyClick(self.page.checklist, Qt.Key.Key_P)  # partial, then the next item is current
        self.settle()

    def filled_sheets(self, folder: Path) -> list[Path]:
        """The checklist exported and filled in twice: every item yes, then every item no."""
        from openpyxl import load_workbook

        from workbench.services.checklist_io import export_checklist

        sheets = []
        for answer in ("yes", "no"):
            path = export_checklist(self.ws, self.uid, folder / f"filled-{answer}.xlsx")
            book = load_workbook(path)
            header = [cell.value for cell in book.active[1]]
            at = {name: header.index(name) for name in ("choices", "answer", "note")}
            for row in book.active.iter_rows(min_row=2):
                choices = [c for c in str(row[at["choices"]].value).split(" / ") if c != "na"]
                # a graded item takes its best or its lowest option (graded options rise left to right)
                graded = choices[-1] if answer == "yes" else choices[0]
                answer_here = answer if answer in choices else graded
                row[at["answer"]].value, row[at["note"]].value = answer_here, f"Client says {answer}"
            book.save(path)
            sheets.append(path)
        return sheets

    def read_sheet(self, path: Path) -> Any:
        from workbench.services.checklist_io import read_checklist_answers

        return read_checklist_answers(self.ws, self.uid, path)

    def import_sheet(self, sheets: list[Path]) -> Callable[[], None]:
        """Each call imports the other sheet, so every answer changes every time."""
        from workbench.services.checklist_io import import_checklist_answers

        turn = [0]

        def run() -> None:
            import_checklist_answers(self.ws, self.uid, sheets[turn[0] % 2])
            turn[0] += 1
        return run

    def close(self) -> None:
        self.page.close()
        self.settle()
        self.ws.close()


def run(catalog: Path, runs: int) -> tuple[list[Row], dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        bench = ChecklistBench(catalog, Path(tmp))
        fw = bench.framework
        facts = {"file": catalog.name, "dimensions": len(fw.dimensions), "items": fw.item_count,
                 "largest": max(len(d.items) for d in fw.dimensions)}
        try:
            rows = [
                measure("Open the assessment step", bench.open_page, runs, memory=False, target_ms=1000,
                        note="read the engagement, build the page, list the first dimension, paint"),
                measure("Type a search of 4 characters, then clear it", bench.type_search, runs, memory=False,
                        target_ms=1000, note="5 filterings of every dimension"),
                measure("Filter by a tag, then show all again", bench.toggle_tag, runs, memory=False,
                        target_ms=500),
                measure("Switch to another dimension", bench.switch_dimension, runs, memory=False, target_ms=300,
                        note=f"alternates with the largest ({facts['largest']} items)"),
                measure("Answer an item with one key", bench.answer, max(runs, 10), memory=False, cold=False,
                        target_ms=150, note="saved with its audit event; the card and the score refresh"),
            ]
            sheets = bench.filled_sheets(Path(tmp))
            rows += [
                measure("Read a filled-in checklist (.xlsx, every item)", lambda: bench.read_sheet(sheets[0]), runs,
                        memory=False, target_ms=2000, note="read and check every row; nothing written"),
                measure("Import it: every answer changes", bench.import_sheet(sheets), runs, memory=False,
                        cold=False, target_ms=3000, note="one transaction, an audit event per answer"),
            ]
        finally:
            bench.close()
    return rows, facts


def report(results: list[tuple[list[Row], dict[str, Any]]], load: float | None) -> str:
    import platform

    from PySide6 import __version__ as pyside

    lines = [
        "### Assessment step on a large catalog (bench/bench_checklist.py)", "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU cores; Python {platform.python_version()}, PySide6 {pyside}, "
        "Qt platform offscreen, page 1366 × 700. Each row is wall-clock time until the event loop is idle "
        "again (layout and paint included). The targets are ours: a search keystroke or an answer must feel "
        "immediate during an interview.",
    ]
    for rows, facts in results:
        lines += ["", f"Catalog: {facts['file']} — {facts['dimensions']} dimensions, {facts['items']:,} checklist "
                      f"items (the largest dimension {facts['largest']}).", "", table(rows)]
    if load is not None:
        lines += ["", f"Other processes used {load:.2f} of the {os.cpu_count()} cores on average during the run."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogs", nargs="*", type=Path, help="real catalogs to measure after the generated one")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    load = OtherLoad()
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated-sp800-53-shape.json"
        generated.write_text(json.dumps(make_oscal_catalog(1200)), encoding="utf-8")
        results = [run(catalog, args.runs) for catalog in (generated, *args.catalogs)]
    body = report(results, load.cores())
    publish(body, START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
