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


# Keras 1's K.*_crossentropy took (output, target); keras.ops takes (target, output) and
# insists on equal static shapes, which a K.placeholder(ndim=2) target never has.
def categorical_crossentropy(output, target, from_logits=False):
    """-sum(target * log(p)), p the softmax of `output` (from_logits) or `output` scaled to sum
    to 1 and clipped to [epsilon, 1 - epsilon], over the last axis."""
    if from_logits:
        log_p = ops.log_softmax(output, axis=-1)
    else:
        p = output / ops.sum(output, axis=-1, keepdims=True)
        eps = keras.config.epsilon()
        log_p = ops.log(ops.clip(p, eps, 1.0 - eps))
    return -ops.sum(ops.cast(target, log_p.dtype) * log_p, axis=-1)


def sparse_categorical_crossentropy(output, target, from_logits=False):
    """categorical_crossentropy with integer class targets (any shape, one class each)."""
    classes = ops.shape(output)[-1]
    one_hot = ops.one_hot(ops.cast(ops.reshape(target, ops.shape(output)[:-1]), "int32"), classes,
                          dtype=output.dtype)
    return categorical_crossentropy(output, one_hot, from_logits)


def binary_crossentropy(output, target, from_logits=False):
    """Element-wise; probabilities are clipped to [epsilon, 1 - epsilon] first."""
    target = ops.cast(target, output.dtype)
    if from_logits:
        return ops.maximum(output, 0) - output * target + ops.log1p(ops.exp(-ops.abs(output)))
    eps = keras.config.epsilon()
    p = ops.clip(output, eps, 1.0 - eps)
    return -(target * ops.log(p) + (1.0 - target) * ops.log(1.0 - p))


# Keras 1's K.zeros, K.ones, K.eye and K.random_*_variable made variables (a layer's
# weights, a counter updated by K.function). k1port converts them to these where weights
# are made (a layer's build or __init__, module level) and to keras.ops elsewhere.
def _variable(value, name):
    return keras.Variable(value, name=None if name is None else str(name).replace("/", "_"))


def zeros(shape, dtype=None, name=None):
    return _variable(ops.zeros(shape, dtype=dtype or keras.config.floatx()), name)


def ones(shape, dtype=None, name=None):
    return _variable(ops.ones(shape, dtype=dtype or keras.config.floatx()), name)


def eye(size, dtype=None, name=None):
    return _variable(ops.eye(size, dtype=dtype or keras.config.floatx()), name)


def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    return _variable(keras.random.uniform(shape, low, high, dtype=dtype or keras.config.floatx(), seed=seed), name)


def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    return _variable(keras.random.normal(shape, mean, scale, dtype=dtype or keras.config.floatx(), seed=seed), name)
