"""Keras 1 losses whose Keras 3 namesakes compute something else.

Keras 3's hinge losses turn 0/1 labels into -1/1 (Keras 1 used labels as given), and its
cosine similarity loss sums over the last axis where Keras 1's cosine_proximity averaged.
Its crossentropies, on TensorFlow, read the logits behind a softmax/sigmoid output and skip
the clipping to [epsilon, 1 - epsilon] that bounded Keras 1's (a saturated output: 60 where
Keras 1 said 16.1, and a gradient where Keras 1's was 0). The other Keras 1 objectives are
Keras 3's losses of the same name.
"""
from __future__ import annotations

import keras
from keras import ops

from k1port.runtime import backend

_register = keras.saving.register_keras_serializable(package="k1port")


def _l2_normalize(x, axis=-1):
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), keras.backend.epsilon()))


@_register
def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)) over the last axis, labels as given."""
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


@_register
def squared_hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)^2) over the last axis, labels as given."""
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


@_register
def cosine_proximity(y_true, y_pred):
    """-mean(l2_normalize(y_true) * l2_normalize(y_pred)) over the last axis."""
    y_true = ops.cast(y_true, y_pred.dtype)
    return -ops.mean(_l2_normalize(y_true) * _l2_normalize(y_pred), axis=-1)


cosine = cosine_proximity


@_register
def categorical_crossentropy(y_true, y_pred):
    """Keras 1's: y_pred scaled to sum to 1, clipped to [epsilon, 1 - epsilon]."""
    return backend.categorical_crossentropy(y_pred, y_true)


@_register
def sparse_categorical_crossentropy(y_true, y_pred):
    """Keras 1's, with integer class targets."""
    return backend.sparse_categorical_crossentropy(y_pred, y_true)


@_register
def binary_crossentropy(y_true, y_pred):
    """Keras 1's: y_pred clipped to [epsilon, 1 - epsilon], averaged over the last axis."""
    return ops.mean(backend.binary_crossentropy(y_pred, y_true), axis=-1)

