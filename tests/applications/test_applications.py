"""keras.applications and keras.wrappers.scikit_learn, converted and run on both Keras backends.

check_applications.py compares the converted snippets of snippets.py with Keras 1.2.2's
results (data/reference.npz; regenerate: tests/oracle/run.sh tests/applications/make_reference.py).
"""
from __future__ import annotations

from pathlib import Path

from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_applications.py")

# The checks check_applications.py defines, in its order.
CHECKS = (
    "backend_selected",
    "reference_data",
    "preprocess_input_matches_keras1",
    "decode_predictions_matches_keras1",
    "vgg16_th_matches_keras1",
    "vgg19_tf_matches_keras1",
    "flatten_dense_rows_follow_keras1_order",
    "resnet50_and_inception_th_equal_tf",
    "input_tensor_th",
    "sklearn_wrappers_match_keras1",
    "sklearn_grid_search",
)

runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS, timeout=600)
