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
* 'tf' 5-D kernels: the receptive field was shape[:2], leaving out the third kernel axis.
* orthogonal made the rows of the kernel flattened to (shape[0], everything else)
  orthonormal, in Keras 1's layout (test_orthogonal_rows_in_keras1_layout).
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


# (Keras 1 call, input shape, weight attribute, expected distribution)
SCALES = [
    ("Dense(64)", (48,), "kernel", glorot(48, 64)),
    ("Dense(64, init='he_normal')", (48,), "kernel", normal(math.sqrt(2 / 48))),
    ("Dense(64, init='lecun_uniform')", (48,), "kernel", uniform(math.sqrt(3 / 48))),
    ("Embedding(200, 16)", (3,), "embeddings", uniform(0.05)),
    ("Convolution2D(16, 3, 3, dim_ordering='th')", (12, 6, 6), "kernel", glorot(12 * 9, 16 * 9)),
    ("Convolution2D(16, 3, 3, dim_ordering='th', init='he_normal')", (12, 6, 6), "kernel",
     normal(math.sqrt(2 / (12 * 9)))),
    ("Convolution2D(16, 3, 3, dim_ordering='tf', init='he_uniform')", (6, 6, 12), "kernel",
     uniform(math.sqrt(6 / (12 * 9)))),
    ("Convolution3D(8, 2, 2, 2, dim_ordering='th', init='he_normal')", (10, 4, 4, 4), "kernel",
     normal(math.sqrt(2 / (10 * 8)))),
    # 'tf' 3-D kernels (k1, k2, k3, in, out): Keras 1's receptive field was shape[:2] only.
    ("Convolution3D(8, 2, 2, 3, dim_ordering='tf', init='he_normal')", (4, 4, 4, 10), "kernel",
     normal(math.sqrt(2 / (10 * 2 * 2)))),
    ("SeparableConvolution2D(16, 3, 3, depth_multiplier=4, dim_ordering='tf')", (6, 6, 16),
     "depthwise_kernel", glorot(16 * 9, 4 * 9)),
    ("SeparableConvolution2D(16, 3, 3, depth_multiplier=4, dim_ordering='tf')", (6, 6, 16),
     "pointwise_kernel", glorot(64, 16)),
    ("Convolution1D(32, 3)", (10, 16), "kernel", glorot(16 * 32, 3 * 16 * 32)),
    ("Convolution1D(32, 3, init='he_normal')", (10, 16), "kernel", normal(math.sqrt(2 / (16 * 32)))),
    ("Deconvolution2D(4, 3, 3, (None, 8, 8, 4), init='he_normal', dim_ordering='tf')", (6, 6, 32), "kernel",
     normal(math.sqrt(2 / (32 * 9)))),
    ("Deconvolution2D(4, 3, 3, (None, 4, 8, 8), init='he_normal', dim_ordering='th')", (32, 6, 6), "kernel",
     normal(math.sqrt(2 / (32 * 9)))),
    # glorot reads fan_in + fan_out, which the swap keeps: the default needs nothing.
    ("Deconvolution2D(4, 3, 3, (None, 8, 8, 4), dim_ordering='tf')", (6, 6, 32), "kernel", glorot(32 * 9, 4 * 9)),
    # ConvLSTM2D: one (nb_filter, stack, rows, cols) kernel per gate ('th'), glorot over that shape.
    ("ConvLSTM2D(16, 3, 3, dim_ordering='th')", (2, 12, 5, 5), "cell.kernel", glorot(12 * 9, 16 * 9)),
    # 'tf': (rows, cols, stack, nb_filter) per gate, but self.init(W_shape) used get_fans'
    # default dim_ordering='th': receptive = stack * nb_filter, fan_in = cols * stack * nb_filter,
    # fan_out = rows * stack * nb_filter.
    ("ConvLSTM2D(16, 3, 3, dim_ordering='tf')", (2, 5, 5, 12), "cell.kernel",
     glorot(3 * 12 * 16, 3 * 12 * 16)),
]


@pytest.mark.parametrize("call, shape, attr, dist", [pytest.param(*case, id=f"{case[0]}:{case[2]}")
                                                     for case in SCALES])
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


# orthogonal(shape, scale=1.1) flattened Keras 1's kernel to (shape[0], everything else) and
# made its rows (or columns, if fewer) orthonormal: for 'tf' kernels the rows are the kernel's
# rows. (Keras 1 call, input shape, weight, Keras 3 axes in Keras 1's order, gates).
ORTHOGONAL = [
    ("Convolution2D(8, 3, 3, dim_ordering='tf', init='orthogonal')", (6, 6, 4), "kernel", (0, 1, 2, 3), 1),
    ("Convolution2D(8, 3, 3, dim_ordering='th', init='orthogonal')", (4, 6, 6), "kernel", (3, 2, 0, 1), 1),
    ("Convolution1D(8, 3, init='orthogonal')", (6, 4), "kernel", (0, 1, 2), 1),  # (3, 1, 4, 8)
    ("Deconvolution2D(6, 3, 3, (None, 6, 8, 8), dim_ordering='th', init='orthogonal')", (2, 6, 6), "kernel",
     (2, 3, 0, 1), 1),
    ("ConvLSTM2D(6, 3, 3, dim_ordering='tf')", (2, 5, 5, 4), "cell.recurrent_kernel", (0, 1, 2, 3), 4),
    ("ConvLSTM2D(6, 3, 3, dim_ordering='th')", (2, 4, 5, 5), "cell.recurrent_kernel", (3, 2, 0, 1), 4),
]


@pytest.mark.parametrize("call, shape, attr, axes, gates", ORTHOGONAL, ids=[c[0] for c in ORTHOGONAL])
def test_orthogonal_rows_in_keras1_layout(call, shape, attr, axes, gates):
    K = keras()
    K.utils.set_random_seed(7)
    run = convert_and_run(L(call))
    layer = run.ns["layer"]
    layer(np.zeros((1, *shape), "float32"))
    w = layer
    for part in attr.split("."):
        w = getattr(w, part)
    w = K.ops.convert_to_numpy(w).astype("float64")
    width = w.shape[-1] // gates
    for k in range(gates):
        block = np.transpose(w[..., k * width:(k + 1) * width], axes)
        flat = block.reshape(block.shape[0], -1)
        if flat.shape[0] > flat.shape[1]:
            flat = flat.T
        np.testing.assert_allclose(flat @ flat.T, 1.21 * np.eye(len(flat)), atol=1e-4,
                                   err_msg=f"gate {k}: not Keras 1's orthogonal" + run.describe())
