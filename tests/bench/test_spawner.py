"""bench/spawner.py: a measured process's peak RSS is its own, not that of the large benchmark that timed it."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.spawner import Spawner

BALLAST_MIB = 160


def test_a_small_command_reports_its_own_peak_rss_though_the_benchmark_is_large(tmp_path: Path) -> None:
    ballast = bytearray(b"\x01") * (BALLAST_MIB * 2**20)  # every page touched: this process's RSS grows past it
    with Spawner() as spawner:
        small = spawner.run([sys.executable, "-S", "-c", "print('ok')"], {}, tmp_path)
        grown = spawner.run([sys.executable, "-S", "-c", f"b = bytearray(b'x') * ({BALLAST_MIB + 40} * 2**20)"],
                            {}, tmp_path)
    assert len(ballast) == BALLAST_MIB * 2**20
    assert (small.returncode, small.stdout) == (0, "ok\n")
    assert 0 < small.rss_mib < BALLAST_MIB / 2
    assert grown.rss_mib > BALLAST_MIB + 40  # a command's own peak is still seen
    assert small.cpu_s >= 0 and small.wall_s > 0


def test_a_failing_command_reports_its_exit_code_and_error_output(tmp_path: Path) -> None:
    with Spawner() as spawner:
        failed = spawner.run([sys.executable, "-S", "-c", "import sys; sys.stderr.write('no'); sys.exit(3)"],
                             {}, tmp_path)
    assert (failed.returncode, failed.stderr) == (3, "no")
