"""keras.layers.core: Dense, Activation, Dropout, Flatten, Reshape, Lambda, ..."""
from __future__ import annotations

from k1port.rules import values as v
from k1port.rules.common import ACTIVATION, DIM_ORDERING, WEIGHT_ARGS, input_fold, layer
from k1port.rules.spec import Arg, rename

F = "core"
RULES = [
    layer("Dense", args={"output_dim": rename("units"), **WEIGHT_ARGS},
          folds=(input_fold("input_dim"),), family=F),
    layer("Activation", args={"activation": ACTIVATION}, family=F),
    layer("Dropout", args={"p": rename("rate")}, family=F),
    layer("SpatialDropout1D", args={"p": rename("rate")}, family=F),
    layer("SpatialDropout2D", args={"p": rename("rate"), "dim_ordering": DIM_ORDERING}, family=F),
    layer("SpatialDropout3D", args={"p": rename("rate"), "dim_ordering": DIM_ORDERING}, family=F),
    # Keras 1 flattened in the tensor's own layout: Keras 3's channels_last Flatten does the same.
    layer("Flatten", family=F),
    layer("Reshape", family=F),
    layer("Permute", family=F),
    layer("RepeatVector", family=F),
    layer("Lambda", family=F),
    layer("ActivityRegularization", family=F),
    layer("Masking", family=F),
    layer("TimeDistributedDense", None, family=F,
          note="Keras 3 spells it TimeDistributed(Dense(...)) (not yet converted)"),
    layer("Highway", None, family=F, note="removed in Keras 2; runtime support is planned"),
    layer("MaxoutDense", None, family=F, note="removed in Keras 2; runtime support is planned"),
]
