"""Converted keras.preprocessing code against Keras 1.2.2's results, on both Keras backends.

check_preprocessing.py converts the Keras 1 programs of snippets.py, runs them and compares
with data/reference.npz (made in the oracle by make_reference.py); one process per backend.
"""
from __future__ import annotations

from pathlib import Path

from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_preprocessing.py")

# The checks check_preprocessing.py defines, in its order.
CHECKS = (
    "backend_selected",
    "reference_current",
    "text",
    "one_hot",
    "pad_sequences",
    "skipgrams",
    "image_functions",
    "generator",
    "directory",
    "fit_generator_from_flow",
    "save_to_dir",
    "default_ordering_at_run_time",
    "keras1_errors",
)

runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
