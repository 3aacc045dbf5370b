"""Converted callback and training-API programs behave as Keras 1.2.2 did, on both backends."""
from __future__ import annotations

from pathlib import Path

from backends import checker_tests

SCRIPT = Path(__file__).with_name("check_callbacks.py")
CHECKS = ("backend_selected", "reference_is_current", "early_stopping", "reduce_lr_on_plateau",
          "model_checkpoint", "learning_rate_scheduler", "logs_and_names", "callback_params", "return_types")

runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)
