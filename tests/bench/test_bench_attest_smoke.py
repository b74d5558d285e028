"""A small run of the attestation benchmark, so it keeps working as the services change."""

from __future__ import annotations

from pathlib import Path

from bench import bench_attest
from bench.generate import generate_workspace
from workbench.store.workspace import Workspace


def test_every_measurement_runs_on_a_small_engagement(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_IDENTITIES", str(tmp_path / "ids"))  # make_signer sets it; put it back after
    generated = generate_workspace(tmp_path / "small.db", engagements=2, big_findings=20, big_models=3, big_risks=3,
                                   seed=3)
    with Workspace(generated.path, actor="bench") as ws:
        signer, roots = bench_attest.make_signer(tmp_path)
        rows, facts = bench_attest.run(ws, generated.big_uid, signer, roots, tmp_path, 1)
    assert [row.name for row in rows][:3] == ["Sign off (row, event, attestation) and withdraw",
                                              "log --verify (chain, records, attestations)",
                                              "Attestations alone (trail already read)"]
    assert facts["attestations"] >= 2 and facts["events"] > 20  # the runs' sign-offs and the reviewer's
    assert rows[4].note.startswith("package ") and all(row.median_ms > 0 for row in rows)
    body = bench_attest.report(rows, facts, "")
    assert "| Import the signed package as a copy (all checks) |" in body
