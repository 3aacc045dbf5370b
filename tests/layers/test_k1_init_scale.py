"""Initial weight scales, statistically: the fan-based initializers draw from the
distribution Keras 1.2.2 drew from, for each layer's own kernel layout.

Keras 1 (keras/initializations.py get_fans): 2-D (fan_in, fan_out) = shape; 4-D and 5-D
kernels use the layer's dim_ordering: 'th' kernels (out, in, *receptive) have
fan_in = in * receptive, fan_out = out * receptive; 'tf' kernels (*receptive, in, out) the
same by position. Quirks that are Keras 1 semantics all the same:
* Convolution1D built a (filter_length, 1, input_dim, nb_filter) kernel and initialised it
  with dim_ordering='th', so receptive = input_dim * nb_filter, fan_in = input_dim *
  nb_filter and fan_out = filter_length * input_dim * nb_filter.
* ConvLSTM2D called self.init(W_shape) per gate without a dim_ordering: 'th' fans.
* Deconvolution2D's kernel is Convolution2D's, (nb_filter, stack, rows, cols) for 'th':
  fan_in counts the layer's input channels.
glorot_uniform: U(+-sqrt(6 / (fan_in + fan_out))); he_normal: N(0, sqrt(2 / fan_in));
he_uniform: U(+-sqrt(6 / fan_in)); lecun_uniform: U(+-sqrt(3 / fan_in)).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from k1layers_harness import L, convert_and_run, keras


def uniform(limit):
    return ("uniform", limit)


def normal(std):
    return ("normal", std)


def glorot(fan_in, fan_out):
    return uniform(math.sqrt(6.0 / (fan_in + fan_out)))


CONV1D_BUG = ("Keras 1's Convolution1D initialised its (filter_length, 1, input_dim, nb_filter) kernel "
              "with dim_ordering='th' fans (fan_in = input_dim * nb_filter); Keras 3's Conv1D uses "
              "fan_in = filter_length * input_dim: the converted kernel starts at a different scale")
DECONV_BUG = ("Keras 1's Deconvolution2D fan_in counted the input channels; Keras 3's Conv2DTranspose "
              "kernel is (rows, cols, filters, in) and its fan_in counts the filters")
CONVLSTM_BUG = ("Keras 1's ConvLSTM2D initialised one kernel per gate (and with 'th' fans whatever the "
                "dim_ordering); Keras 3 initialises the concatenated (rows, cols, stack, 4 * filters) kernel")

# (Keras 1 call, input shape, weight attribute, expected distribution, known bug)
SCALES = [
    ("Dense(64)", (48,), "kernel", glorot(48, 64), None),
    ("Dense(64, init='he_normal')", (48,), "kernel", normal(math.sqrt(2 / 48)), None),
    ("Dense(64, init='lecun_uniform')", (48,), "kernel", uniform(math.sqrt(3 / 48)), None),
    ("Embedding(200, 16)", (3,), "embeddings", uniform(0.05), None),
    ("Convolution2D(16, 3, 3, dim_ordering='th')", (12, 6, 6), "kernel", glorot(12 * 9, 16 * 9), None),
    ("Convolution2D(16, 3, 3, dim_ordering='th', init='he_normal')", (12, 6, 6), "kernel",
     normal(math.sqrt(2 / (12 * 9))), None),
    ("Convolution2D(16, 3, 3, dim_ordering='tf', init='he_uniform')", (6, 6, 12), "kernel",
     uniform(math.sqrt(6 / (12 * 9))), None),
    ("Convolution3D(8, 2, 2, 2, dim_ordering='th', init='he_normal')", (10, 4, 4, 4), "kernel",
     normal(math.sqrt(2 / (10 * 8))), None),
    ("SeparableConvolution2D(16, 3, 3, depth_multiplier=4, dim_ordering='tf')", (6, 6, 16),
     "depthwise_kernel", glorot(16 * 9, 4 * 9), None),
    ("SeparableConvolution2D(16, 3, 3, depth_multiplier=4, dim_ordering='tf')", (6, 6, 16),
     "pointwise_kernel", glorot(64, 16), None),
    ("Convolution1D(32, 3)", (10, 16), "kernel", glorot(16 * 32, 3 * 16 * 32), CONV1D_BUG),
    ("Convolution1D(32, 3, init='he_normal')", (10, 16), "kernel", normal(math.sqrt(2 / (16 * 32))), CONV1D_BUG),
    ("Deconvolution2D(4, 3, 3, (None, 8, 8, 4), init='he_normal', dim_ordering='tf')", (6, 6, 32), "kernel",
     normal(math.sqrt(2 / (32 * 9))), DECONV_BUG),
    # ConvLSTM2D: one (nb_filter, stack, rows, cols) kernel per gate ('th'), glorot over that shape.
    ("ConvLSTM2D(16, 3, 3, dim_ordering='th')", (2, 12, 5, 5), "cell.kernel", glorot(12 * 9, 16 * 9),
     CONVLSTM_BUG),
    # 'tf': (rows, cols, stack, nb_filter) per gate, but self.init(W_shape) used get_fans'
    # default dim_ordering='th': receptive = stack * nb_filter, fan_in = cols * stack * nb_filter,
    # fan_out = rows * stack * nb_filter.
    ("ConvLSTM2D(16, 3, 3, dim_ordering='tf')", (2, 5, 5, 12), "cell.kernel",
     glorot(3 * 12 * 16, 3 * 12 * 16), CONVLSTM_BUG),
]


def _params():
    for call, shape, attr, dist, bug in SCALES:
        marks = [pytest.mark.xfail(strict=True, reason="k1port bug: " + bug)] if bug else []
        yield pytest.param(call, shape, attr, dist, id=f"{call}:{attr}", marks=marks)


@pytest.mark.parametrize("call, shape, attr, dist", _params())
def test_initial_scale(call, shape, attr, dist):
    K = keras()
    K.utils.set_random_seed(99)
    run = convert_and_run(L(call))
    layer = run.ns["layer"]
    x = np.zeros((1, *shape), "int32" if call.startswith("Embedding") else "float32")
    layer(x)
    w = layer
    for part in attr.split("."):
        w = getattr(w, part)
    w = K.ops.convert_to_numpy(w).astype("float64").ravel()
    assert w.size >= 500, w.size
    kind, scale = dist
    if kind == "uniform":
        assert np.abs(w).max() <= scale * (1 + 1e-6), f"|w| up to {np.abs(w).max():.4f}, Keras 1 bound {scale:.4f}" \
                                                      + run.describe()
        want_std = scale / math.sqrt(3)
    else:
        want_std = scale
    got = w.std()
    assert abs(got - want_std) < 0.1 * want_std, f"std {got:.4f}, Keras 1: {want_std:.4f}" + run.describe()
    assert abs(w.mean()) < 0.15 * want_std
