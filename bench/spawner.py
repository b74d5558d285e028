"""Run measured processes from a small process, so that their peak RSS is their own.

Linux records a process's peak RSS across exec: a child forked from a large parent starts with the
parent's high-water mark, so every command timed from a benchmark that had grown to 224 MiB reported
224 MiB. The processes measured here are started by a fresh, small Python process instead (this file
run as a script), which reports each one's wall time, CPU time and peak RSS read with wait4.

    with Spawner() as spawner:
        result = spawner.run(["workbench", "--version"], env, cwd)   # -> Spawned
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType


@dataclass(frozen=True)
class Spawned:
    wall_s: float
    cpu_s: float  # the process's own CPU time and that of the children it waited for
    rss_mib: float
    returncode: int
    stdout: str
    stderr: str


class Spawner:
    """A long-lived small helper process that starts the measured commands one at a time."""

    def __init__(self) -> None:
        self._process = subprocess.Popen([sys.executable, "-S", __file__], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True)

    def run(self, argv: list[str], env: dict[str, str], cwd: Path) -> Spawned:
        assert self._process.stdin is not None and self._process.stdout is not None
        with tempfile.NamedTemporaryFile() as out, tempfile.NamedTemporaryFile() as err:
            request = {"argv": argv, "env": env, "cwd": str(cwd), "out": out.name, "err": err.name}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            reply = json.loads(self._process.stdout.readline())
            return Spawned(reply["wall"], reply["cpu"], reply["rss"] / 1024, reply["rc"],
                           Path(out.name).read_text(), Path(err.name).read_text())

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(timeout=30)

    def __enter__(self) -> Spawner:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def serve() -> None:
    """The helper's side: one JSON request a line on stdin, one JSON reply a line on stdout."""
    for line in sys.stdin:
        request = json.loads(line)
        with open(request["out"], "wb") as out, open(request["err"], "wb") as err:
            started = time.perf_counter()
            process = subprocess.Popen(request["argv"], stdout=out, stderr=err, env=request["env"],
                                       cwd=request["cwd"])
            _pid, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
        reply = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss,
                 "rc": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
