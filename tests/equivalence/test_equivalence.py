"""Numerical equivalence with the real Keras 1.2.2 (reference data: fixtures/oracle, made by
tests/oracle/regenerate.sh): every fixture, converted by k1port, on both backends, from the
converted source (+ Keras 1 weights file) and from the Keras 1 `model.save` file alone."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "oracle"
NAMES = sorted(p.name for p in FIXTURES.iterdir()
               if p.is_dir() and (p / "reference.npz").exists() and (FIXTURES / f"{p.name}.py").exists())
BACKENDS = ["tensorflow", "torch"]
# Known, documented differences (see README "Numerical equivalence"): fixture -> reason.
KNOWN = json.loads((Path(__file__).parent / "known_differences.json").read_text())


@pytest.fixture(scope="module")
def results():
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    procs = {b: subprocess.Popen([sys.executable, str(Path(__file__).parent / "check_equivalence.py")],
                                 cwd=ROOT, env={**env, "KERAS_BACKEND": b}, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for b in BACKENDS}
    out = {}
    for backend, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=900)
        lines = stdout.strip().splitlines()
        assert proc.returncode == 0 and lines, stderr[-3000:]
        out[backend] = json.loads(lines[-1])
    return out


@pytest.mark.parametrize("path", ["source", "saved"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", NAMES)
def test_fixture_matches_keras1(results, name, backend, path):
    if f"{name}/{path}" in KNOWN:
        pytest.xfail(KNOWN[f"{name}/{path}"])
    r = results[backend][name][path]
    assert r["ok"], f"max abs diff per output: {r['max_abs_diff']}\n{r['detail']}"
