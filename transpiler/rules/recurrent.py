"""keras.layers.recurrent and convolutional_recurrent: SimpleRNN, GRU, LSTM, ConvLSTM2D.

Keras 1 gates used its own hard_sigmoid (clip(0.2 x + 0.5)) and orthogonal(gain=1.1)
recurrent weights; GRU applied the reset gate before the recurrent matmul (Keras 3:
reset_after=False). The engine states these Keras 1 defaults in the converted code.
"""
from __future__ import annotations

from k1port.rules import values as v
from k1port.rules.common import ACTIVATION, BORDER_MODE, CONSUME_LESS, DIM_ORDERING, RT, input_fold, layer
from k1port.rules.convolutional import KERNEL_2D
from k1port.rules.spec import Arg, Unsupported, rename

F = "recurrent"


def _forget_bias(node, ctx):
    value = v.string(node)
    if value == "one":
        return v.expr("True")
    if value == "zero":
        return v.expr("False")
    raise Unsupported("Keras 3 can only initialise the forget gate bias to one (unit_forget_bias=True) or zeros")


RNN = {
    "init": rename("kernel_initializer", v.initializer),
    "inner_init": rename("recurrent_initializer", v.initializer),
    "activation": ACTIVATION,
    "inner_activation": rename("recurrent_activation", v.activation),
    "W_regularizer": rename("kernel_regularizer"),
    "U_regularizer": rename("recurrent_regularizer"),
    "b_regularizer": rename("bias_regularizer"),
    "dropout_W": rename("dropout"),
    "dropout_U": rename("recurrent_dropout"),
    "output_dim": rename("units"),
    "consume_less": CONSUME_LESS,
    "forget_bias_init": Arg("unit_forget_bias", _forget_bias),
}
FIRST = (input_fold("input_length", "input_dim"),)
RULES = [
    layer("SimpleRNN", args=RNN, folds=FIRST, family=F),
    layer("GRU", args=RNN, folds=FIRST, family=F, implied={"reset_after": "False"}),
    layer("LSTM", args=RNN, folds=FIRST, family=F),
    layer("ConvLSTM2D", args={**RNN, "nb_filter": rename("filters"), "border_mode": BORDER_MODE,
                              "subsample": rename("strides"), "dim_ordering": DIM_ORDERING},
          folds=(KERNEL_2D, *FIRST), channels_first=RT + "ConvLSTM2D", family=F),
]
