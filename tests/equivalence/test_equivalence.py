"""Numerical equivalence with the real Keras 1.2.2 (reference data: fixtures/oracle, made by
tests/oracle/regenerate.sh): every fixture, converted by k1port, on both backends, from the
converted source (+ Keras 1 weights file) and from the Keras 1 `model.save` file alone."""
import json
from pathlib import Path

import pytest

from backends import BACKENDS, backend_runs

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "oracle"
NAMES = sorted(p.name for p in FIXTURES.iterdir()
               if p.is_dir() and (p / "reference.npz").exists() and (FIXTURES / f"{p.name}.py").exists())
# Known, documented differences (see README "Numerical equivalence"): fixture -> reason.
KNOWN = json.loads((Path(__file__).parent / "known_differences.json").read_text())


runs = backend_runs(Path(__file__).parent / "check_equivalence.py", timeout=900)


@pytest.mark.parametrize("path", ["source", "saved"])
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", NAMES)
def test_fixture_matches_keras1(runs, name, backend, path):
    if f"{name}/{path}" in KNOWN:
        pytest.xfail(KNOWN[f"{name}/{path}"])
    r = runs.results(backend)[name][path]
    assert r["ok"], f"max abs diff per output: {r['max_abs_diff']}\n{r['detail']}"
