"""Training equivalence: every optimizer and every loss of Keras 1.2.2, converted by k1port,
takes the same train_on_batch steps as the real Keras 1 (reference data made by the oracle:
tests/training/make_reference.py), on the tensorflow and the torch backends."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CASES = sorted(json.loads((HERE.parents[1] / "fixtures" / "training" / "meta.json").read_text())["cases"]) + [
    f"metric_{m}" for m in ("precision", "recall", "fmeasure", "matthews_correlation", "hinge", "squared_hinge",
                            "cosine_proximity", "binary_accuracy", "categorical_accuracy", "fbeta_score_2")]
BACKENDS = ["tensorflow", "torch"]


@pytest.fixture(scope="module")
def results():
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    procs = {b: subprocess.Popen([sys.executable, str(HERE / "check_training.py")], cwd=HERE.parents[1],
                                 env={**env, "KERAS_BACKEND": b}, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for b in BACKENDS}
    out = {}
    for backend, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        lines = stdout.strip().splitlines()
        assert proc.returncode == 0 and lines, stderr[-3000:]
        out[backend] = json.loads(lines[-1])
    return out


def test_reference_is_current():
    meta = json.loads((HERE.parents[1] / "fixtures" / "training" / "meta.json").read_text())
    import hashlib

    digest = hashlib.sha256((HERE / "make_reference.py").read_bytes()).hexdigest()
    assert meta["sha256"] == digest, "regenerate: tests/oracle/run.sh tests/training/make_reference.py"
    metrics = json.loads((HERE.parents[1] / "fixtures" / "training" / "metrics.json").read_text())
    digest = hashlib.sha256((HERE / "make_metrics_reference.py").read_bytes()).hexdigest()
    assert metrics["sha256"] == digest, "regenerate: tests/oracle/run.sh tests/training/make_metrics_reference.py"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES)
def test_training_matches_keras1(results, backend, case):
    r = results[backend][case]
    assert r["ok"], f"loss err {r['loss_err']}, weight err {r['weight_err']}\n{r['detail']}"
