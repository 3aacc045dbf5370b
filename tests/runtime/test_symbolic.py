"""k1port.runtime.symbolic on both Keras backends (one process per backend; see check_symbolic.py)."""
from __future__ import annotations

from pathlib import Path

from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_symbolic.py")

CHECKS = (
    "backend_selected",
    "gradient_wrt_input_is_the_derivative",
    "gradient_wrt_weights_and_intermediate",
    "sequential_layer_outputs_align_with_the_model_graph",
    "learning_phase_switches_dropout",
    "updates_apply_after_outputs",
    "placeholder_targets_and_crossentropies",
    "gradient_of_unrelated_tensor_is_an_error",
    "variable_accumulates_symbolic_terms",
)

runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
