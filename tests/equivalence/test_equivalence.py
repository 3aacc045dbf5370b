"""Numerical equivalence with the real Keras 1.2.2 (reference data: fixtures/oracle, made by
tests/oracle/regenerate.sh): every fixture, converted by k1port, on both backends, from the
converted source (+ Keras 1 weights file) and from the Keras 1 `model.save` file alone.
Fixtures with probes (K.function results) compare them too on the source path, and compiled
fixtures with a training reference compare Keras 1's train_on_batch losses and the trained
model's predictions."""
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
    if "train_ok" in r:
        assert r["train_ok"], f"training: loss diff {r['train_loss_diff']}, after {r['trained_max_abs_diff']}"


def test_training_fixtures_are_trained(runs):
    """The training comparison runs wherever the oracle recorded one (it cannot pass by absence)."""
    trained = sorted(n for n in NAMES if (FIXTURES / n / "trained.h5").exists())
    assert trained, "no fixture has a training reference"
    for name in trained:
        assert "train_ok" in runs.results(BACKENDS[0])[name]["source"], name
