"""Converted Keras 1 utilities and dataset loaders, run on both Keras backends (check_utils.py)."""
from __future__ import annotations

from pathlib import Path

from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_utils.py")

# The checks check_utils.py defines, in its order.
CHECKS = (
    "backend_selected",
    "reference_data",
    "np_utils_results",
    "slice_X_results",
    "progbar_keras1_calls",
    "imdb_results",
    "reuters_results",
    "cifar_results",
    "datasets_from_keras3_files",
    "convert_kernel_flips_spatial_axes",
    "get_file_keras1_layout",
    "plot_without_pydot_fails_clearly",
    "layer_utils_on_a_model",
    "metrics_as_module_functions",
)

runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
