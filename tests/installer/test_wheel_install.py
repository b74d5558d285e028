"""A regular (non-editable) install finds the resources and samples it ships (workbench/resources.py).

Marked `bundle`: it builds a wheel (in pip's isolated build environment, which fetches setuptools from the
package index as `pip install -e .` does), which belongs with the packaging checks, not the quick suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parents[2]


def test_a_wheel_installed_elsewhere_uses_its_own_data_files(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = wheels.glob("mlops_audit_workbench-*.whl")
    prefix = tmp_path / "prefix"
    # --ignore-installed: without it pip would first uninstall the developer's editable install
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q",
                    "--prefix", str(prefix), str(wheel)], check=True, capture_output=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(prefix), "platbase": str(prefix)}))
    probe = ("import json, workbench.resources as r, workbench.services.samples as s, "
             "workbench.services.frameworks as f;"
             "print(json.dumps({'module': r.__file__, 'resources': str(r.resources_dir()),"
             " 'samples': [p.name for p in s.sample_packages()], 'frameworks': len(f.builtin_frameworks())}))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("WORKBENCH_RESOURCES", None)
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["module"]).is_relative_to(prefix)  # the installed copy, not the source tree
    assert Path(found["resources"]) == prefix / "share" / "workbench" / "resources"
    assert sorted(found["samples"]) == ["credit-scoring.mlaudit", "driftguard.mlaudit", "early-stage.mlaudit"]
    assert found["frameworks"] >= 2
    assert subprocess.run([sys.executable, "-m", "pip", "show", "-q", "mlops-audit-workbench"],
                          capture_output=True).returncode == 0  # the development install is still there
