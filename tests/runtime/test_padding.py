"""k1port.runtime's keras1_backend layers (Theano's border_mode='same') on both Keras backends.

check_padding.py compares them with the real Keras 1.2.2's numbers in
data/padding_reference.npz (regenerate: tests/oracle/run.sh tests/runtime/make_padding_reference.py)
and checks their Keras 3 side. Importing Keras takes seconds, so it runs every check in one
process per backend; the two processes start together and each test reads one result.
"""
from __future__ import annotations

from pathlib import Path


from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_padding.py")

# The checks check_padding.py defines, in its order (the script must report exactly these).
CHECKS = (
    "backend_selected",
    "reference_data",
    "conv1d_theano_same",
    "conv2d_theano_same",
    "conv3d_theano_same",
    "deconv2d_theano_same",
    "pool1d_theano_same",
    "pool2d_theano_same",
    "pool3d_theano_same",
    "keras3_same_differs_where_predicted",
    "matches_parent_elsewhere",
    "channels_first_equals_channels_last",
    "channels_first_bias",
    "none_spatial_sizes",
    "layer_config_round_trip",
    "keras_file_round_trip",
    "weights_load_from_plain_layers",
    "trains",
    "refused_arguments",
)


runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
