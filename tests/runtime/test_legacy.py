"""k1port.runtime's Keras 1 legacy layers (MaxoutDense, Highway, BatchNormalization modes 1/2,
SReLU, ParametricSoftplus, LocallyConnected1D/2D) on both Keras backends.

check_legacy.py rebuilds fixtures/oracle/legacy_layers.py with k1.* layers, loads its Keras 1
weights and compares with the real Keras 1.2.2's outputs (reference.npz), and checks the
layers' Keras 3 side (configs, .keras files, training). Importing Keras takes seconds, so it
runs every check in one process per backend; the two processes start together and each test
reads one result.
"""
from __future__ import annotations

from pathlib import Path


from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_legacy.py")

# The checks check_legacy.py defines, in its order (the script must report exactly these).
CHECKS = (
    "backend_selected",
    "weights_load",
    "maxout_dense",
    "highway",
    "batch_normalization_modes",
    "srelu",
    "parametric_softplus",
    "locally_connected_1d",
    "locally_connected_2d",
    "merges",
    "shared_axes_and_weights_argument",
    "config_round_trip",
    "keras_file_round_trip",
    "defaults_match_keras1",
    "trains",
    "refused_arguments",
)


runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
