"""Keras 1 backend functions (`K.*`) that keras.ops does not spell in one call, or spells with
another meaning. The rest of `K.*` converts to keras.ops (see k1port's backend rules)."""
from __future__ import annotations

import keras
from keras import ops


def sqrt(x):
    """Keras 1's K.sqrt clipped its input at 0 first (both backends): no NaN for x < 0."""
    return ops.sqrt(ops.maximum(x, 0.0))


def l2_normalize(x, axis):
    """x / sqrt(max(sum(x^2, axis), epsilon)), as Keras 1 computed it."""
    square_sum = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(square_sum, keras.config.epsilon()))


def batch_flatten(x):
    """(batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""
    return ops.reshape(x, (ops.shape(x)[0], -1))


def flatten(x):
    """Every element in one dimension."""
    return ops.reshape(x, (-1,))


def repeat(x, n):
    """(samples, dim) -> (samples, n, dim), like RepeatVector."""
    return ops.repeat(ops.expand_dims(x, 1), n, axis=1)


def set_value(x, value):
    """Assign a NumPy value to a variable."""
    x.assign(value)
