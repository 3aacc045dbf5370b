"""keras.layers.core: Dense, Activation, Dropout, Flatten, Reshape, Lambda, ..."""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.common import ACTIVATION, DIM_ORDERING, RT, WEIGHT_ARGS, input_fold, layer
from k1port.rules.spec import rename

_WRAPPER_ARGS = ("input_dim", "input_length", "input_shape", "batch_input_shape", "name", "trainable")


def _time_distributed_dense(bound, ctx):
    """TimeDistributedDense(n, ...) was TimeDistributed(Dense(n, ...)); the wrapper takes the
    input shape and the name."""
    from k1port.engine.apply import build_args, convert_arguments
    from k1port.keras1 import signature
    from k1port.signature import bind
    from k1port.targets.keras import signature as keras3_signature

    dense, wrapper = RULES_BY_NAME["Dense"], RULES_BY_NAME["TimeDistributed"]
    eq = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    # Dense's leading parameters are TimeDistributedDense's: positional arguments stay positional.
    inner = [a if k in bound.positional else cst.Arg(a.value, keyword=cst.Name(k), equal=eq)
             for k, a in bound.args.items() if k not in _WRAPPER_ARGS]
    k1, k3 = signature(dense.keras1), keras3_signature(dense.target)
    dense_call = cst.Call(ctx.ref(dense.target),
                          build_args(convert_arguments(dense, bind(inner, k1), k1, k3, ctx), k3, []))
    outer = [cst.Arg(dense_call)]
    if bound.value("input_dim") is not None or bound.value("input_length") is not None:
        shape = v.input_shape("input_length", "input_dim")(
            {"input_length": bound.value("input_length"), "input_dim": bound.value("input_dim")}, ctx)
        outer.append(cst.Arg(shape, keyword=cst.Name("input_shape")))
    for k in ("input_shape", "batch_input_shape", "name", "trainable"):
        if bound.value(k) is not None:
            value = bound.value(k) if k != "batch_input_shape" else v.batch_input_shape(bound.value(k), ctx)
            outer.append(cst.Arg(value, keyword=cst.Name("input_shape" if k == "batch_input_shape" else k)))
    from k1port.engine.apply import fix_commas

    outer = [a.with_changes(equal=eq) if a.keyword is not None else a for a in outer]
    return cst.Call(ctx.ref(wrapper.target), fix_commas(outer))

F = "core"
RULES = [
    layer("Dense", args={"output_dim": rename("units", v.count), **WEIGHT_ARGS},
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
    # Keras 1 summed the penalty over the batch (Keras 3 averages): the runtime's version sums.
    layer("ActivityRegularization", "k1port.runtime.ActivityRegularization", family=F),
    layer("Masking", family=F),
    layer("TimeDistributedDense", "TimeDistributed", custom=_time_distributed_dense, family=F,
          note="TimeDistributed(Dense(...))"),
    layer("Highway", RT + "Highway", {"weights": rename("weights")}, family=F),
    layer("MaxoutDense", RT + "MaxoutDense", {"weights": rename("weights")}, family=F),
    layer("TimeDistributed", family="wrappers"),
]
RULES_BY_NAME = {r.name: r for r in RULES}
