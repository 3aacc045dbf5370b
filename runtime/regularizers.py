"""Keras 1 activity penalties: summed over the whole batch.

Keras 1.2.2 added `regularizer(output)` to the loss as is (a sum over every sample); Keras 3
divides a layer's activity penalty by the batch size. `batch_sum(r)` multiplies it back, so
the converted model's loss is Keras 1's.
"""
from __future__ import annotations

import keras
from keras import ops

_register = keras.saving.register_keras_serializable(package="k1port")


class _Wrapping(keras.regularizers.Regularizer):
    """A regularizer around another one (serialized with it)."""

    def __init__(self, regularizer):
        self.regularizer = keras.regularizers.get(regularizer)

    def get_config(self):
        return {"regularizer": keras.regularizers.serialize(self.regularizer)}

    @classmethod
    def from_config(cls, config):
        return cls(keras.regularizers.deserialize(config["regularizer"]))


@_register
class BatchSum(_Wrapping):
    """`regularizer(x)` times the batch size (undoing Keras 3's per-sample averaging)."""

    def __call__(self, x):
        penalty = self.regularizer(x)
        if len(x.shape) == 0:
            return penalty
        return ops.cast(ops.shape(x)[0], penalty.dtype) * penalty


def batch_sum(regularizer):
    """Wrap an activity regularizer so that it penalises like Keras 1 (None stays None)."""
    return None if regularizer is None else BatchSum(regularizer)


@_register
class ActivityRegularization(keras.layers.ActivityRegularization):
    """Keras 1's ActivityRegularization: l1 * sum|x| + l2 * sum x^2 over the whole batch."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(l1=l1, l2=l2, **kwargs)
        self.activity_regularizer = BatchSum(keras.regularizers.L1L2(l1=l1, l2=l2))


# Keras 1's regularizer names meant these penalties (Keras 3's 'l1l2' has zero factors).
_KERAS1_NAMES = {
    "l1": lambda: keras.regularizers.L1(0.01), "l2": lambda: keras.regularizers.L2(0.01),
    "l1l2": lambda: keras.regularizers.L1L2(0.01, 0.01),
    "activity_l1": lambda: keras.regularizers.L1(0.01), "activity_l2": lambda: keras.regularizers.L2(0.01),
    "activity_l1l2": lambda: keras.regularizers.L1L2(0.01, 0.01),
}


@_register
class Keras1Regularizer(_Wrapping):
    """What Keras 1.2's ``regularizers.get`` returned: a regularizer (penalising what it is
    given, as Keras 3's do) whose ``set_param``/``set_layer`` do nothing. Keras 1.0 attached
    penalties that way; Keras 1.2 deprecated both into no-ops (a custom layer penalises a
    weight by creating it with ``add_weight(..., regularizer=...)``), and so are they here."""

    def __call__(self, x):
        return self.regularizer(x)

    def set_param(self, _):
        pass

    def set_layer(self, _):
        pass


def get(identifier):
    """Keras 1's ``regularizers.get``: None, a Keras 1 name ('l2', 'activity_l1', ...), config or
    regularizer, as a :class:`Keras1Regularizer`."""
    if identifier is None or isinstance(identifier, Keras1Regularizer):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _KERAS1_NAMES:
            raise ValueError(f"Invalid regularizer: {identifier!r}")
        return Keras1Regularizer(_KERAS1_NAMES[identifier]())
    return Keras1Regularizer(identifier)
