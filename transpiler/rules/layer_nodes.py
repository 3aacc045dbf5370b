"""Keras 1 layer methods Keras 3 lacks or changed: the layer-node API (`layer.get_output_at(i)`,
...), which Keras 3 removed, and `get_weights()` / `set_weights(arrays)`, whose arrays Keras 3
lays out differently (LSTM's fused gates, (rows, cols, in, out) kernels, no Theano flip)."""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.common import K1
from k1port.rules.spec import Rule

RT = "k1port.runtime."
NODE_METHODS = ("get_output_at", "get_input_at", "get_output_shape_at", "get_input_shape_at",
                "get_output_mask_at", "get_input_mask_at")
# Keras 1 layers whose kernels depend on the backend that ran the Keras 1 code: Theano
# computed true convolutions (its kernels are flipped), TensorFlow cross-correlations.
THEANO_FLIPPED = frozenset(K1 + name for name in (
    "Convolution1D", "AtrousConvolution1D", "Convolution2D", "AtrousConvolution2D", "Deconvolution2D",
    "Convolution3D", "ConvLSTM2D"))
WRAPPERS = frozenset({K1 + "TimeDistributed", K1 + "Bidirectional"})


def _weights_note(call: str) -> str:
    return (f"`{call}` where x is known to be a Keras 1 layer or model (Keras 1's array layouts: LSTM's "
            "per-gate arrays, 'th' and Theano-flipped kernels); other receivers are left alone")


def _node_method(method: str):
    def convert(bound, ctx, receiver):
        return cst.Call(ctx.ref(RT + method), [
            cst.Arg(receiver, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            cst.Arg(bound.value("node_index"))])

    return convert


def _kernels_from_theano(ctx) -> bool:
    """Did Theano make the receiver's arrays, and can it hold convolution kernels? (A variable
    made by a layer constructor says which layer; a model or `model.get_layer(...)` does not.)"""
    if ctx.converter.keras1_backend != "theano":
        return False
    from k1port.engine.apply import code

    kind = ctx.converter.layers.get(code(ctx.node.func.value))
    return kind is None or kind in THEANO_FLIPPED or kind in WRAPPERS


def _weights_method(function: str, takes_arrays: bool):
    """`x.get_weights()` -> `k1.get_keras1_weights(x)`, `x.set_weights(w)` ->
    `k1.set_keras1_weights(x, w)`; `backend='theano'` where Theano's kernels are concerned."""

    def convert(bound, ctx, receiver):
        from k1port.engine.apply import fix_commas

        args = [cst.Arg(receiver)]
        if takes_arrays:
            args.append(cst.Arg(bound.value("weights")))
        if _kernels_from_theano(ctx):
            args.append(cst.Arg(v.literal_string("theano"), keyword=cst.Name("backend"), equal=v.EQ))
        return cst.Call(ctx.ref(RT + function), fix_commas(args))

    return convert


METHODS = [Rule(f"keras.layers.Layer.{m}", RT + m, custom=_node_method(m), family="layer-node")
           for m in NODE_METHODS] + [
    Rule("keras.layers.Layer.get_weights", RT + "get_keras1_weights",
         custom=_weights_method("get_keras1_weights", False), family="layer weights",
         note=_weights_note("k1.get_keras1_weights(x)")),
    Rule("keras.layers.Layer.set_weights", RT + "set_keras1_weights",
         custom=_weights_method("set_keras1_weights", True), family="layer weights",
         note=_weights_note("k1.set_keras1_weights(x, arrays)")),
]
