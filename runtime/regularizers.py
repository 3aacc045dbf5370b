"""Keras 1 activity penalties: summed over the whole batch.

Keras 1.2.2 added `regularizer(output)` to the loss as is (a sum over every sample); Keras 3
divides a layer's activity penalty by the batch size. `batch_sum(r)` multiplies it back, so
the converted model's loss is Keras 1's.
"""
from __future__ import annotations

import keras
from keras import ops

_register = keras.saving.register_keras_serializable(package="k1port")


@_register
class BatchSum(keras.regularizers.Regularizer):
    """`regularizer(x)` times the batch size (undoing Keras 3's per-sample averaging)."""

    def __init__(self, regularizer):
        self.regularizer = keras.regularizers.get(regularizer)

    def __call__(self, x):
        penalty = self.regularizer(x)
        if len(x.shape) == 0:
            return penalty
        return ops.cast(ops.shape(x)[0], penalty.dtype) * penalty

    def get_config(self):
        return {"regularizer": keras.regularizers.serialize(self.regularizer)}

    @classmethod
    def from_config(cls, config):
        return cls(keras.regularizers.deserialize(config["regularizer"]))


def batch_sum(regularizer):
    """Wrap an activity regularizer so that it penalises like Keras 1 (None stays None)."""
    return None if regularizer is None else BatchSum(regularizer)


@_register
class ActivityRegularization(keras.layers.ActivityRegularization):
    """Keras 1's ActivityRegularization: l1 * sum|x| + l2 * sum x^2 over the whole batch."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(l1=l1, l2=l2, **kwargs)
        self.activity_regularizer = BatchSum(keras.regularizers.L1L2(l1=l1, l2=l2))
