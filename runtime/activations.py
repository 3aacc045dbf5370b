"""Activations: Keras 1's hard sigmoid and the run-time activation-name table."""
from __future__ import annotations

import keras
from keras import ops

# Keras 1 activation names whose Keras 3 namesake computes the same function.
_SAME_NAME = frozenset({"softmax", "elu", "softplus", "softsign", "relu", "tanh", "sigmoid", "linear"})


@keras.saving.register_keras_serializable(package="k1port")
def hard_sigmoid(x):
    """Keras 1's hard sigmoid: ``clip(0.2 * x + 0.5, 0, 1)``.

    Keras 3 kept the name ``hard_sigmoid`` but changed the function to
    ``clip(x / 6 + 0.5, 0, 1)`` (computed here at ``1.2 x``), so LSTM/GRU gates (Keras 1's default
    ``inner_activation``) and ``Activation('hard_sigmoid')`` would silently change.
    Registered as ``k1port>hard_sigmoid`` so models using it save and load as ``.keras``.
    """
    # Keras 3's is clip(y / 6 + 0.5) with y = 1.2 x: the same function, as one fused op
    # (1.65 times faster in an LSTM on torch than the clip; benchmarks/runtime_overhead.py).
    return ops.hard_sigmoid(ops.multiply(ops.convert_to_tensor(x), 1.2))


def activation(value):
    """Convert a Keras 1 activation given at run time (a name or a callable).

    The transpiler converts literal names itself; this covers values it cannot see
    (``activation=act``). ``'hard_sigmoid'`` becomes Keras 1's :func:`hard_sigmoid`;
    every other value (other names, ``None``, callables) is what Keras 3 takes as is.
    """
    if isinstance(value, str) and value == "hard_sigmoid":
        return hard_sigmoid
    return value


__all__ = ["hard_sigmoid", "activation"]
