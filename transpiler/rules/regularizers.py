"""keras.regularizers and keras.constraints (the penalties and projections are unchanged)."""
from __future__ import annotations

from k1port.rules.spec import Rule, rename

R1, R3 = "keras.regularizers.", "keras.regularizers."
C1, C3 = "keras.constraints.", "keras.constraints."
RULES = [
    Rule(R1 + "l1", R3 + "l1", {"l": rename("l1")}, family="regularizers"),
    Rule(R1 + "l2", R3 + "l2", {"l": rename("l2")}, family="regularizers"),
    Rule(R1 + "l1l2", R3 + "L1L2", family="regularizers"),
    Rule(R1 + "L1L2Regularizer", R3 + "L1L2", family="regularizers"),
    # Keras 1 summed activity penalties over the batch: the layer rules wrap them in
    # k1.batch_sum (values.activity_regularizer), since Keras 3 averages.
    Rule(R1 + "activity_l1", R3 + "l1", {"l": rename("l1")}, family="regularizers"),
    Rule(R1 + "activity_l2", R3 + "l2", {"l": rename("l2")}, family="regularizers"),
    Rule(R1 + "activity_l1l2", R3 + "L1L2", family="regularizers"),
    Rule(C1 + "MaxNorm", C3 + "MaxNorm", {"m": rename("max_value")}, family="constraints"),
    Rule(C1 + "NonNeg", C3 + "NonNeg", family="constraints"),
    Rule(C1 + "UnitNorm", C3 + "UnitNorm", family="constraints"),
    Rule(C1 + "MinMaxNorm", C3 + "MinMaxNorm", {"low": rename("min_value"), "high": rename("max_value")},
         family="constraints"),
]
