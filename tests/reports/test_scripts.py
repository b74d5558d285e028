"""Every script the app accepts renders legibly and copies out as typed.

Arabic is shaped (joined letter forms), Hebrew and Arabic come out in reading order, mathematical
alphanumerics and emoji are drawn by a font that has them, and the ToUnicode maps give every character
back. pdftotext is the reader: its text is compared after NFKC (which maps Arabic presentation forms to
the base letters) and without the bidi marks it adds around right-to-left runs.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.conftest import requires_poppler, run
from workbench.reports.bidi import base_level_of, visual_text
from workbench.reports.text import markup, shape_arabic
from workbench.services.deliverables import render_report
from workbench.services.engagements import create_engagement
from workbench.services.records import add_record
from workbench.store.workspace import Workspace

pytestmark = requires_poppler

ALPHABETS = {
    "latin": "abcdefghijklmnopqrstuvwxyzäöüßéèçñøåłž",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΛΣΩάέή",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщыэюяБДЖЯ",
    "hebrew": "".join(chr(c) for c in range(0x05D0, 0x05EB)),
    "arabic": "".join(chr(c) for c in range(0x0627, 0x063B)) + "".join(chr(c) for c in range(0x0641, 0x064B)),
    "cjk": "数据漂移检测模型监查審査検証",
    "korean": "데이터모델검증한글감사위험",
    "math": "".join(chr(c) for c in range(0x1D400, 0x1D6A4) if unicodedata.category(chr(c)) in ("Lu", "Ll")),
    "emoji": "😀😃🚀✅❌🔴🔵📈📉🎯⭐👍🔒💡🤖🧠📊🥇⚠",
}
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_counter = itertools.count(1)


def readable(text: str) -> str:
    """What a reader compares: NFKC, without bidi marks and whitespace."""
    return re.sub(r"\s+", "", _MARKS.sub("", unicodedata.normalize("NFKC", text)))


def page_text(pdf: Path, page: int = 1) -> str:
    result = run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def script_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    folder = tmp_path_factory.mktemp("scripts")
    ws = Workspace(folder / "scripts.db").open()
    yield ws, folder
    ws.close()


def _summary_with_title(ws: Workspace, folder: Path, engagement_title: str, **finding: str) -> Path:
    number = next(_counter)
    uid = create_engagement(ws, client="Script Client", title=engagement_title, details={"ref": f"SCR-{number:03d}"})
    if finding:
        add_record(ws, uid, "finding", {"dimension_id": "DP", "severity": "High", **finding})
    return render_report(ws, uid, folder / f"scripts-{number}.pdf", kind="executive")


words = st.sampled_from(sorted(ALPHABETS)).flatmap(
    lambda script: st.lists(st.text(alphabet=ALPHABETS[script], min_size=1, max_size=10), min_size=1,
                            max_size=12).map(" ".join))  # at most 131 characters: the title is shown whole


@settings(max_examples=24, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(title=words)
def test_text_in_every_script_builds_checks_and_reads_back(script_workspace: tuple[Workspace, Path],
                                                           title: str) -> None:
    ws, folder = script_workspace
    pdf = _summary_with_title(ws, folder, title)
    check = run("qpdf", "--check", str(pdf))
    assert check.returncode == 0, check.stdout + check.stderr
    text = readable(page_text(pdf))
    assert readable(title) in text, (title, text[:400])
    assert "□" not in page_text(pdf)


@pytest.mark.parametrize(("script", "sample"), [
    ("Arabic", "مرحبا بالعالم تقرير تدقيق منصة التعلم الآلي للعميل"),
    ("Hebrew", "שלום עולם סקירה של מערכת הלמידה והסיכונים העיקריים בארגון"),
    ("Fraktur", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝔄𝔲𝔡𝔦𝔱"),
    ("emoji", "Ready 😀 🚀 ✅ 🔴"),
])
def test_each_script_prints_in_reading_order_and_copies_out(script_workspace: tuple[Workspace, Path], script: str,
                                                            sample: str) -> None:
    ws, folder = script_workspace
    pdf = _summary_with_title(ws, folder, sample, title=sample, description=f"{sample} {sample} {sample}")
    text = page_text(pdf)
    assert readable(sample) in readable(text), script
    assert "□" not in text
    fonts = run("pdffonts", str(pdf)).stdout.splitlines()[2:]
    assert all(line.split()[-5] == "yes" for line in fonts)  # every font embedded


def test_a_wrapped_right_to_left_paragraph_keeps_its_lines_in_order(script_workspace: tuple[Workspace, Path]
                                                                    ) -> None:
    ws, folder = script_workspace
    sentence = " ".join(f"מילה{chr(0x05D0 + i % 22)}" for i in range(24))  # the title wraps over three lines
    pdf = _summary_with_title(ws, folder, sentence)
    assert readable(sentence) in readable(page_text(pdf))


def test_arabic_is_shaped_into_joined_forms_in_logical_order() -> None:
    shaped = shape_arabic("سلام")
    assert all(0xFB50 <= ord(c) <= 0xFEFF for c in shaped)  # presentation forms: the letters join
    assert unicodedata.normalize("NFKC", shaped) == "سلام"


def test_lines_are_reordered_only_where_right_to_left_text_leads() -> None:
    assert base_level_of("שלום עולם CORS") == 1
    assert base_level_of("Finding: وصف المشكلة بالتفصيل") == 0  # the report's own label comes first
    assert visual_text("abc אבג def") == "abc גבא def"
    assert visual_text("אבג (1)", 1) == "(1) גבא"  # mirrored brackets, numbers kept


def test_markup_switches_fonts_for_what_dejavu_lacks() -> None:
    assert 'name="Symbola"' in markup("𝔘 😀") and 'name="DejaVuSansUpright"' in markup("مرحبا")
    assert 'name="NanumSquare"' in markup("데이터") and 'name="DroidSansFallback"' in markup("数据")
    assert "□" not in markup("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 مرحبا שלום 数据 데이터")
    assert "●" in markup("🟢 on track") and "□" in markup("🧪")  # newer than any shipped font
