"""k1port.runtime on both Keras backends.

Importing Keras takes seconds, so check_runtime.py runs every runtime check in one
process per backend; the two processes start together and each test reads one result.
"""
from __future__ import annotations

from pathlib import Path


from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_runtime.py")

# The checks check_runtime.py defines, in its order (the script must report exactly these).
CHECKS = (
    "backend_selected",
    "hard_sigmoid_values",
    "hard_sigmoid_serialization",
    "activation_conversion",
    "initializer_names",
    "initializer_callables",
    "initializers_per_gate_and_layout",
    "initializers_keras_file_round_trip",
    "dim_ordering",
    "conv2d_channels_first",
    "conv2d_layout_sensitive_activation",
    "conv2d_transpose_channels_first",
    "convlstm2d_channels_first",
    "convlstm2d_channels_first_stateful_and_dropout",
    "layers_match_parent_elsewhere",
    "weights_load_from_plain_layers",
    "layer_config_round_trip",
    "keras_file_round_trip",
    "nodes_shared_lstm",
    "nodes_shared_conv_different_sizes",
    "nodes_masks_and_multiple_tensors",
    "keras1_layer_protocol_pieces",
    "keras1_weights_round_trip",
    "keras1_weights_layouts",
    "keras1_model_weights",
    "backend_tensorflow_only_convolutions",
    "backend_random_binomial",
    "backend_functions_in_models",
    "backend_variables_and_values",
    "generator_methods_count_samples",
    "model_reset_states",
    "loss_reading_model_tensors",
)


runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
