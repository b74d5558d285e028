"""A small run of the signing benchmark (the real one signs a 5 MB report)."""

from __future__ import annotations

from pathlib import Path

from bench import bench_signing


def test_the_signing_benchmark_runs_and_renders_its_table(tmp_path: Path, capsys) -> None:
    report = bench_signing.make_report(tmp_path / "sized.pdf", 0.5, pages=3)
    assert 0.4 * 2**20 < report.stat().st_size < 0.6 * 2**20
    assert bench_signing.main(["--size-mb", "0.2", "--runs", "1", "--no-write"]) == 0
    out = capsys.readouterr().out
    assert "| Sign the report" in out and "< 1,000 ms" in out


def test_the_benchmark_only_touches_its_own_region(tmp_path: Path, monkeypatch) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\n<!-- bench:store:start -->\nstore table\n<!-- bench:store:end -->\n")
    monkeypatch.setattr(bench_signing, "DOC", doc)
    bench_signing.write_doc("first")
    bench_signing.write_doc("second")
    text = doc.read_text()
    assert "store table" in text and "second" in text and "first" not in text
    assert text.count(bench_signing.START) == 1 and text.count(bench_signing.END) == 1
