"""Initializers: Keras 1 ``init`` names and Keras 1-style initializer functions at run time."""
from __future__ import annotations

import inspect

import keras
from keras import ops

# Keras 1 names Keras 3 spells differently but computes the same way.
_RENAMED = {"zero": "zeros", "one": "ones", "uniform": "random_uniform", "normal": "random_normal"}

# Keras 1 names whose Keras 3 namesake differs: glorot_normal / he_normal drew from an
# untruncated normal (Keras 3's are truncated); orthogonal scaled by 1.1 (Keras 3: gain 1).
_DIFFERENT = {
    "glorot_normal": lambda: keras.initializers.VarianceScaling(1.0, "fan_avg", "untruncated_normal"),
    "he_normal": lambda: keras.initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal"),
    "orthogonal": lambda: keras.initializers.Orthogonal(gain=1.1),
}


@keras.saving.register_keras_serializable(package="k1port")
class Keras1Initializer(keras.initializers.Initializer):
    """A Keras 1 initializer function ``f(shape, name=None)`` as a Keras 3 initializer.

    Keras 1 called ``init(shape, name=...)`` and took back a variable or array; Keras 3
    calls ``init(shape, dtype=...)`` and wants a tensor. This calls ``function(shape)``
    and converts what it returns (a Keras variable, tensor or array) to a tensor of the
    requested dtype.
    """

    def __init__(self, function):
        self.function = function

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        value = self.function(shape, name=None) if _takes_name(self.function) else self.function(shape)
        if isinstance(value, keras.Variable):
            value = value.value
        value = ops.cast(ops.convert_to_tensor(value), dtype or keras.config.floatx())
        if tuple(value.shape) != shape:
            raise ValueError(f"Initializer {self.function!r} returned shape {tuple(value.shape)} "
                             f"for a weight of shape {shape}.")
        return value

    def get_config(self):
        return {"function": keras.saving.serialize_keras_object(self.function)}

    @classmethod
    def from_config(cls, config):
        return cls(keras.saving.deserialize_keras_object(config["function"]))


def _is_keras1_function(value) -> bool:
    """A plain callable that Keras 3 could not call as ``f(shape, dtype=...)``."""
    if inspect.isclass(value) or isinstance(value, keras.initializers.Initializer):
        return False
    try:
        parameters = inspect.signature(value).parameters.values()
    except (TypeError, ValueError):  # no signature to read: leave it to Keras 3
        return False
    return not any(p.name == "dtype" or p.kind is p.VAR_KEYWORD for p in parameters)


def initializer(value):
    """Convert a Keras 1 ``init`` value given at run time into what Keras 3 takes.

    The transpiler converts literal names itself; this covers values it cannot see
    (``init=my_init``). Names: ``'zero'`` -> ``'zeros'``, ``'one'`` -> ``'ones'``,
    ``'uniform'`` -> ``'random_uniform'``, ``'normal'`` -> ``'random_normal'``;
    ``'glorot_normal'``, ``'he_normal'`` and ``'orthogonal'`` become the Keras 3
    initializer objects that compute Keras 1's distribution; other names, ``None``,
    Keras 3 initializers and callables taking ``dtype`` are kept. A Keras 1 function
    ``f(shape, name=None)`` is wrapped in :class:`Keras1Initializer`.
    """
    if isinstance(value, str):
        if value in _DIFFERENT:
            return _DIFFERENT[value]()
        return _RENAMED.get(value, value)
    if callable(value) and _is_keras1_function(value):
        return Keras1Initializer(value)
    return value


__all__ = ["initializer", "Keras1Initializer"]


def _takes_name(function) -> bool:
    """Keras 1 called initializers as f(shape, name=...); many user lambdas require `name`."""
    import inspect

    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return "name" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
