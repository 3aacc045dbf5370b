"""k1port.runtime.merge (Keras 1's Merge / merge) on both Keras backends, against Keras 1.2.2.

check_merge.py runs every check in one process per backend (importing Keras costs
seconds); the two processes start together and each test reads one result. The Keras 1
inputs, outputs, masks and shapes under data/ come from the real Keras 1.2.2
(make_reference.py, run in the oracle: ``tests/oracle/run.sh tests/merge/make_reference.py``).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


from backends import checker_tests

HERE = Path(__file__).parent
SCRIPT = HERE / "check_merge.py"
DATA = HERE / "data"
META = json.loads((DATA / "meta.json").read_text())

# The checks check_merge.py defines, in its order (the script must report exactly these):
# one per Keras 1 case and per Keras 1 error in the reference data, and the rest.
CHECKS = (
    ("backend_selected", "reference_covers_cases")
    + tuple("case_" + name for name in META["cases"])
    + ("errors_cover_reference",)
    + tuple("error_" + name for name in META["errors"] if name != "function_without_output_shape")
    + ("function_without_output_shape", "layers_argument_raises", "merge_called_twice", "eager_tensors",
       "cos_epsilon_from_config", "constant_output_mask", "trains", "config_round_trip",
       "lambda_auto_names_untouched", "keras_file_round_trip", "keras_file_safe_mode",
       "dot_axes_normalisation", "merge_models_nested_and_shared", "merge_models_train_and_keras_file")
)


runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)


def test_reference_is_current():
    """data/ was written by the current make_reference.py (rerun it in the oracle after editing it)."""
    sha = hashlib.sha256((HERE / "make_reference.py").read_bytes()).hexdigest()
    assert META["script_sha256"] == sha, (
        "tests/merge/make_reference.py changed since data/ was made: run "
        "`tests/oracle/run.sh tests/merge/make_reference.py` and commit data/")
    assert META["keras_version"] == "1.2.2" and META["backend"] == "theano"


def test_reference_files_are_small():
    sizes = {f.name: f.stat().st_size for f in DATA.iterdir()}
    assert set(sizes) == {"reference.npz", "meta.json"}, sizes
    assert all(size < 64_000 for size in sizes.values()), sizes
