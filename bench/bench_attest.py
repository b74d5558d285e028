"""Attestation benchmark on the 5,000-finding engagement: sign off, verify the trail, export and import signed.

    .venv/bin/python bench/bench_attest.py [--runs 5] [--no-write] [--rebuild]

The workspace is run_bench's generated one (bench/generate.py: 50 engagements, one with 5,000 findings,
1,000 models and 500 risks), copied fresh. A throw-away ECDSA P-256 identity signs. Measured:

- a sign-off (`services.review.sign_off`): the sign-off row, its event and the attestation event in one
  transaction; each run withdraws the sign-off again, so the trail grows by three events per run;
- `log --verify` (`services.attestation.verify_trail`): the chain, every record against the trail, the
  framework and evidence, then every attestation against the trust store; and the attestation check
  alone (`signing.attested_trail.check_attested_trail` over the trail already read);
- a signed export (manifest signature + export attestation) against an unsigned one, and the import of the
  signed package as a copy (its signature and every attestation checked before anything is written).

Writes the bench:attest section of docs/performance.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script: bench/ is sys.path[0]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.run_bench import OtherLoad, Row, cached_workspace, fresh_copy, measure, publish, table  # noqa: E402

START, END = "<!-- bench:attest:start -->", "<!-- bench:attest:end -->"
PASSPHRASE = "benchmark passphrase"


def make_signer(folder: Path) -> Any:
    """A throw-away identity in a scratch identities folder, which this process's trust store then holds."""
    import os

    from workbench.signing import identities
    from workbench.signing.attest import Signer

    os.environ["WORKBENCH_IDENTITIES"] = str(folder / "identities")
    identity = identities.create_identity("Bench Reviewer", "bench@example.com", "Bench & Co", PASSPHRASE)
    return Signer.of(identity, identities.load_private_key(identity, PASSPHRASE)), identity.chain()


def run(ws: Any, uid: str, signer: Any, roots: list[Any], folder: Path, runs: int) -> tuple[list[Row], dict[str, Any]]:
    from workbench.services import packages, review
    from workbench.services.attestation import verify_trail
    from workbench.services.trail import audit_log
    from workbench.signing.attested_trail import check_attested_trail

    rows: list[Row] = []

    def sign_off_and_withdraw() -> None:
        signed = review.sign_off(ws, uid, "engagement_lead", signer=signer)
        review.withdraw_signoff(ws, uid, signed)

    rows.append(measure("Sign off (row, event, attestation) and withdraw", sign_off_and_withdraw, runs,
                        memory=False, note="two transactions; the attestation is one ECDSA signature"))
    review.sign_off(ws, uid, "reviewer", signer=signer)  # the trail ends attested, as a reviewed one does
    events = audit_log(ws, uid)
    attestations = sum(1 for e in events if e["entity"] == "attestation")
    rows.append(measure("log --verify (chain, records, attestations)", lambda: verify_trail(ws, uid, roots), runs,
                        target_ms=5_000, note=f"{len(events):,} events, {attestations} attestations"))
    rows.append(measure("Attestations alone (trail already read)",
                        lambda: check_attested_trail(events, roots, final=False, engagement_uids={uid}), runs,
                        note="each attestation: one signature and one certificate path check"))
    unsigned, signed = folder / "unsigned.mlaudit", folder / "signed.mlaudit"
    rows.append(measure("Export unsigned", lambda: packages.export_package(ws, uid, unsigned, signer=None), runs,
                        cold=False, memory=False))
    rows.append(measure("Export signed (manifest signature + export attestation)",
                        lambda: packages.export_package(ws, uid, signed, signer=signer), runs, cold=False,
                        memory=False))
    rows[-1].note = f"package {signed.stat().st_size / 2**20:.1f} MiB"
    rows.append(measure("Import the signed package as a copy (all checks)",
                        lambda: packages.import_package(ws, signed, as_copy=True), max(1, runs // 2), cold=False,
                        memory=False))
    return rows, {"events": len(events), "attestations": attestations}


def report(rows: list[Row], facts: dict[str, Any], load: str) -> str:
    import os
    import platform
    from datetime import UTC, datetime

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        "### Attested trail and signed packages (bench/bench_attest.py)\n",
        f"Measured {now} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPU cores; Python "
        f"{platform.python_version()}. The 5,000-finding engagement of bench/generate.py ({facts['events']:,} "
        f"events when verified, {facts['attestations']} attestations); an ECDSA P-256 identity signs.",
        "",
        table(rows),
        "",
        "An attestation costs one ECDSA signature over a few hundred bytes; what a sign-off costs is mostly "
        "the transaction around it (*CPU ms* is the steadier figure on a shared machine). Verifying an "
        "attestation is a signature check plus the "
        "certificate path to a trust anchor, so the attestations add little to `log --verify`, whose time is "
        "the chain and the record comparison over the whole trail. A signed export signs the manifest once and "
        "appends one attestation to the package's trail; the import checks both before writing. "
        f"{load}Re-run: `.venv/bin/python bench/bench_attest.py`.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="generate the workspace again")
    parser.add_argument("--no-write", action="store_true", help="print the table only, leave docs/ alone")
    args = parser.parse_args(argv)
    from workbench.store.workspace import Workspace

    cache, meta = cached_workspace(args.rebuild)
    path = fresh_copy(cache)
    load = OtherLoad()
    with tempfile.TemporaryDirectory(prefix="bench-attest-") as tmp, Workspace(path, actor="bench") as ws:
        signer, roots = make_signer(Path(tmp))
        rows, facts = run(ws, meta["big_uid"], signer, roots, Path(tmp), args.runs)
    cores = load.cores()
    other = f"Other processes kept {cores:.1f} of the cores busy meanwhile. " if cores is not None else ""
    publish(report(rows, facts, other), START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
