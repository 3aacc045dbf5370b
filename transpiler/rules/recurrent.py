"""keras.layers.recurrent and convolutional_recurrent: SimpleRNN, GRU, LSTM, ConvLSTM2D.

Keras 1 gates used its own hard_sigmoid (clip(0.2 x + 0.5)) and orthogonal(gain=1.1)
recurrent weights; GRU applied the reset gate before the recurrent matmul (Keras 3:
reset_after=False). The engine states these Keras 1 defaults in the converted code.

Initial weights: LSTM and GRU with consume_less 'cpu' or 'mem' (the default) made one kernel
and one recurrent matrix per gate, and Keras 1.2.2 drew those recurrent matrices with `init`,
not `inner_init` (only 'gpu' used inner_init); ConvLSTM2D made one kernel per gate, read
'tf' kernels with 'th' fans. The initializers say so (k1.PerGate, k1.Keras1Layout).
"""
from __future__ import annotations

from k1port.findings import Level
from k1port.keras1.api import SIGNATURES
from k1port.rules import values as v
from k1port.rules.common import ACTIVATION, BORDER_MODE, DIM_ORDERING, K1, RT, input_fold, layer
from k1port.rules.convolutional import KERNEL_2D, kernel_layout
from k1port.rules.spec import Arg, Unsupported, drop, rename

F = "recurrent"
GATES = {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}


def _forget_bias(node, ctx):
    value = v.string(node)
    if value == "one":
        return v.expr("True")
    if value == "zero":
        return v.expr("False")
    raise Unsupported("Keras 3 can only initialise the forget gate bias to one (unit_forget_bias=True) or zeros")


def _keras1_default(name: str, keyword: str):
    """A Keras 1.2.2 default of keras.layers.<name> (its base class's keywords too)."""
    entry = SIGNATURES[K1 + name]
    return v.expr(dict(p[:2] for p in (*entry["params"], *entry.get("kwargs", ())))[keyword])


def _consume_less(name: str):
    default = v.string(_keras1_default(name, "consume_less"))

    def mode(ctx) -> str | None:
        given = ctx.bound.value("consume_less") if ctx.bound is not None else None
        return default if given is None else v.string(given)

    return mode


def _gates(name: str, warn: bool = False):
    """How many blocks Keras 1 drew the weights in: one per gate unless consume_less='gpu'."""
    mode = _consume_less(name)

    def gates(ctx) -> int:
        if warn and GATES[name] > 1 and mode(ctx) is None:
            ctx.report(Level.WARNING, "initial-weights",
                       f"{name}(consume_less=...) is not a literal: the initial weights are drawn per gate "
                       "as 'cpu' and 'mem' did; with 'gpu' Keras 1 drew the concatenated matrices")
        return 1 if mode(ctx) == "gpu" else GATES[name]

    return gates


def _recurrent_init(name: str):
    """inner_init: with consume_less 'cpu'/'mem' Keras 1.2.2 drew each gate's recurrent matrix
    with `init` (keras/layers/recurrent.py build); only 'gpu' used inner_init."""
    gates = _gates(name)
    per_gate = v.keras1_weight(gates=gates)

    def convert(node, ctx):
        if gates(ctx) == 1:
            return v.initializer(node, ctx)
        init = ctx.bound.value("init") if ctx.bound is not None else None
        init = _keras1_default(name, "init") if init is None else init.deep_clone()
        explicit = ctx.bound is not None and ctx.bound.value("inner_init") is node
        if explicit and (v.string(node) is None or v.string(node) != v.string(init)):
            ctx.report(Level.INFO, "ignored-argument",
                       f"{name}(inner_init=...) had no effect in Keras 1.2.2 with consume_less 'cpu' or 'mem' "
                       "(the default): each gate's recurrent matrix was drawn with init, as converted")
        return per_gate(init, ctx)

    return convert


def _rnn(name: str) -> dict[str, Arg]:
    return {
        "init": rename("kernel_initializer", v.keras1_weight(gates=_gates(name, warn=True))),
        "inner_init": rename("recurrent_initializer", _recurrent_init(name)),
        "activation": ACTIVATION,
        "inner_activation": rename("recurrent_activation", v.activation),
        "W_regularizer": rename("kernel_regularizer"),
        "U_regularizer": rename("recurrent_regularizer"),
        "b_regularizer": rename("bias_regularizer"),
        "dropout_W": rename("dropout"),
        "dropout_U": rename("recurrent_dropout"),
        "output_dim": rename("units", v.count),
        "consume_less": drop("it chose an implementation (and how LSTM and GRU drew their initial "
                             "weights, which the initializers state)"),
        "forget_bias_init": Arg("unit_forget_bias", _forget_bias),
    }


# ConvLSTM2D: one kernel and one recurrent kernel per gate, in Keras 1's layout.
CONV_LSTM_WEIGHT = v.keras1_weight(gates=lambda ctx: GATES["LSTM"], layout=kernel_layout("convlstm2d"))
FIRST = (input_fold("input_length", "input_dim"),)
RULES = [
    layer("SimpleRNN", args=_rnn("SimpleRNN"), folds=FIRST, family=F, subclass=RT + "SimpleRNN"),
    layer("GRU", args=_rnn("GRU"), folds=FIRST, family=F, implied={"reset_after": "False"}, subclass=RT + "GRU"),
    layer("LSTM", args=_rnn("LSTM"), folds=FIRST, family=F, subclass=RT + "LSTM"),
    layer("ConvLSTM2D", args={**_rnn("LSTM"), "init": rename("kernel_initializer", CONV_LSTM_WEIGHT),
                              "inner_init": rename("recurrent_initializer", CONV_LSTM_WEIGHT),
                              "nb_filter": rename("filters"), "border_mode": BORDER_MODE,
                              "subsample": rename("strides"), "dim_ordering": DIM_ORDERING},
          folds=(KERNEL_2D, *FIRST), channels_first=RT + "ConvLSTM2D", family=F),
]
