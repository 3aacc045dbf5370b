"""Layers Keras 2 removed convert to the runtime's Keras 1 versions (numbers: tests/runtime/
test_legacy.py against the real Keras 1.2.2); here: the conversion and Keras 1's shapes."""
import numpy as np
import pytest

from k1layers_harness import convert_and_run

CASES = [
    ("MaxoutDense(5, nb_feature=3, input_dim=4)", (2, 4), (2, 5)),
    ("Highway(activation='relu', input_dim=4)", (2, 4), (2, 4)),
    ("SReLU()", (2, 4), (2, 4)),
    ("ParametricSoftplus()", (2, 4), (2, 4)),
    ("LocallyConnected1D(4, 3)", (2, 6, 2), (2, 4, 4)),
    ("LocallyConnected2D(3, 3, 3, dim_ordering='th')", (2, 2, 5, 5), (2, 3, 3, 3)),
    ("BatchNormalization(mode=1)", (2, 4), (2, 4)),
]


@pytest.mark.parametrize("call, in_shape, out_shape", CASES, ids=[c for c, *_ in CASES])
def test_removed_layers_convert_to_the_runtime(call, in_shape, out_shape):
    name = call.split("(", 1)[0]
    run = convert_and_run(f"from keras.layers import {name}\nlayer = {call}\n")
    assert f"k1.{name}(" in run.code, run.describe()
    out = np.asarray(run.ns["layer"](np.random.rand(*in_shape).astype("float32")))
    assert out.shape == out_shape
