"""Pieces shared by the layer tables."""
from __future__ import annotations

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.spec import Arg, Fold, Rule, drop, rename

K1 = "keras.layers."
K3 = "keras.layers."
RT = "k1port.runtime."

# Keyword arguments every Keras 1 layer accepted (keras/engine/topology.py Layer.__init__).
LAYER_ARGS: dict[str, Arg] = {
    "batch_input_shape": rename("input_shape", v.batch_input_shape),
    "input_dtype": drop("Keras 3 takes the input dtype from the data"),
    # Keras 1 set them when the layer was built, in its own array layout (per-gate LSTM
    # arrays, 'th' kernels): the runtime converts them at the same moment.
    "weights": Arg("weights", v.initial_weights, wrap=RT + "initial_weights"),
    "activity_regularizer": rename("activity_regularizer", v.activity_regularizer),
}

INIT = rename("kernel_initializer", v.initializer)
ACTIVATION = rename("activation", v.activation)
# The Keras 1 names of weight regularizers and constraints (W = kernel, b = bias).
WEIGHT_ARGS: dict[str, Arg] = {
    "init": INIT,
    "activation": ACTIVATION,
    "W_regularizer": rename("kernel_regularizer", v.regularizer),
    "b_regularizer": rename("bias_regularizer", v.regularizer),
    "W_constraint": rename("kernel_constraint", v.constraint),
    "b_constraint": rename("bias_constraint", v.constraint),
    "bias": rename("use_bias"),
}
DIM_ORDERING = rename("data_format", v.dim_ordering)
BORDER_MODE = rename("padding", v.border_mode)


def input_fold(*dims: str) -> Fold:
    """input_dim / input_length shorthands -> input_shape (Keras 1's first-layer helpers)."""
    return Fold(dims, "input_shape", v.input_shape(*dims))


SAME = "<same>"


def layer(name: str, target: str | None = SAME, args: dict[str, Arg] | None = None, *,
          folds: tuple[Fold, ...] = (), family: str, **extra) -> Rule:
    """A rule for keras.layers.<name>: the target is the Keras 3 layer of that name (or of
    `target`'s name, or a full path); None means Keras 3 has nothing to convert it to."""
    if target == SAME:
        target = K3 + name
    elif target is not None and "." not in target:
        target = K3 + target
    return Rule(keras1=K1 + name, target=target, args={**LAYER_ARGS, **(args or {})}, folds=folds,
                family=family, **extra)


LEVEL = Level
