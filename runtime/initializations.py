"""Keras 1's initializer functions, for code that calls them itself:
`init=lambda shape, name: normal(shape, scale=0.01, name=name)` (mnist_irnn style).

They return NumPy arrays; `k1.initializer` turns such a `f(shape, name=None)` callable into a
Keras 3 initializer. Fans follow Keras 1's rules for the `dim_ordering` given; a converted
layer whose Keras 1 kernel had another layout calls them with Keras 1's shape and ordering
(`k1.Keras1Layout`).
"""
from __future__ import annotations

import numpy as np

from k1port.runtime.initializers import keras1_fans as _fans


def uniform(shape, scale=0.05, name=None, dim_ordering="th"):
    return np.random.uniform(-scale, scale, shape).astype("float32")


def normal(shape, scale=0.05, name=None, dim_ordering="th"):
    return np.random.normal(0.0, scale, shape).astype("float32")


def lecun_uniform(shape, name=None, dim_ordering="th"):
    return uniform(shape, np.sqrt(3.0 / _fans(shape, dim_ordering)[0]))


def glorot_normal(shape, name=None, dim_ordering="th"):
    fan_in, fan_out = _fans(shape, dim_ordering)
    return normal(shape, np.sqrt(2.0 / (fan_in + fan_out)))


def glorot_uniform(shape, name=None, dim_ordering="th"):
    fan_in, fan_out = _fans(shape, dim_ordering)
    return uniform(shape, np.sqrt(6.0 / (fan_in + fan_out)))


def he_normal(shape, name=None, dim_ordering="th"):
    return normal(shape, np.sqrt(2.0 / _fans(shape, dim_ordering)[0]))


def he_uniform(shape, name=None, dim_ordering="th"):
    return uniform(shape, np.sqrt(6.0 / _fans(shape, dim_ordering)[0]))


def orthogonal(shape, scale=1.1, name=None, dim_ordering="th"):
    flat = (shape[0], int(np.prod(shape[1:])))
    a = np.random.normal(0.0, 1.0, flat)
    u, _, v = np.linalg.svd(a, full_matrices=False)
    q = u if u.shape == flat else v
    return (scale * q.reshape(shape)[: shape[0], : shape[1]]).astype("float32")


def identity(shape, scale=1, name=None, dim_ordering="th"):
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError("Identity matrix initialization can only be used for 2D square matrices.")
    return (scale * np.identity(shape[0])).astype("float32")


def zero(shape, name=None, dim_ordering="th"):
    return np.zeros(shape, dtype="float32")


def one(shape, name=None, dim_ordering="th"):
    return np.ones(shape, dtype="float32")


def get(identifier):
    """Keras 1's ``initializations.get``: a name or a function ``f(shape, name=None)``, as an
    initializer that Keras 1 code calls itself (``self.W = self.init(shape, name=...)``
    returns a variable, as Keras 1's did) and that Keras 3 accepts as an initializer."""
    from k1port.runtime.initializers import Keras1Initializer

    if isinstance(identifier, str):
        function = _NAMES.get(identifier)
        if function is None:
            raise ValueError(f"Invalid initialization: {identifier!r}")
        return Keras1Initializer(function)
    return Keras1Initializer(identifier) if callable(identifier) else identifier


_NAMES = {f.__name__: f for f in (uniform, normal, lecun_uniform, glorot_normal, glorot_uniform, he_normal,
                                  he_uniform, orthogonal, identity, zero, one)}
