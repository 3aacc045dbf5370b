"""Training equivalence: every optimizer and every loss of Keras 1.2.2, converted by k1port,
takes the same train_on_batch steps as the real Keras 1 (reference data made by the oracle:
tests/training/make_reference.py), on the tensorflow and the torch backends."""
import hashlib
import json
from pathlib import Path

import pytest

from backends import BACKENDS, backend_runs

HERE = Path(__file__).parent
CASES = sorted(json.loads((HERE.parents[1] / "fixtures" / "training" / "meta.json").read_text())["cases"]) + [
    f"metric_{m}" for m in ("precision", "recall", "fmeasure", "matthews_correlation", "hinge", "squared_hinge",
                            "cosine_proximity", "binary_accuracy", "categorical_accuracy", "fbeta_score_2")]
runs = backend_runs(HERE / "check_training.py", timeout=600)


def test_reference_is_current():
    meta = json.loads((HERE.parents[1] / "fixtures" / "training" / "meta.json").read_text())
    digest = hashlib.sha256((HERE / "make_reference.py").read_bytes()).hexdigest()
    assert meta["sha256"] == digest, "regenerate: tests/oracle/run.sh tests/training/make_reference.py"
    metrics = json.loads((HERE.parents[1] / "fixtures" / "training" / "metrics.json").read_text())
    digest = hashlib.sha256((HERE / "make_metrics_reference.py").read_bytes()).hexdigest()
    assert metrics["sha256"] == digest, "regenerate: tests/oracle/run.sh tests/training/make_metrics_reference.py"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES)
def test_training_matches_keras1(runs, backend, case):
    r = runs.results(backend)[case]
    assert r["ok"], f"loss err {r['loss_err']}, weight err {r['weight_err']}\n{r['detail']}"
