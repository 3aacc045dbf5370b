"""Initializers: Keras 1 ``init`` names and Keras 1-style initializer functions at run time,
and Keras 1's way of drawing weights Keras 3 lays out otherwise.

Keras 1 drew some weights in pieces or in another layout than Keras 3's, which changes
their distribution wherever an initializer reads the shape (fan-based, orthogonal, identity):

* ``PerGate(initializer, gates)``: LSTM and GRU with ``consume_less`` 'cpu'/'mem' (Keras 1's
  default) and ConvLSTM2D made one matrix per gate, each initialised on its own; Keras 3
  initialises the concatenated matrix.
* ``Keras1Layout(initializer, layout)``: Keras 1's kernel for the layer had other axes
  (Convolution1D's ``(length, 1, input_dim, nb_filter)``, Deconvolution2D's, 'th' kernels)
  or fans (Keras 1's ``get_fans``); see ``LAYOUTS``.
"""
from __future__ import annotations

import inspect
import math

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
    requested dtype. Called without a dtype (Keras 1 code making a layer's weight:
    ``self.W = self.init(shape, name=...)``), it returns a variable, as Keras 1 did.
    """

    def __init__(self, function):
        self.function = function

    def __call__(self, shape, dtype=None, dim_ordering=None, name=None):
        shape = tuple(shape)
        kwargs = {"name": name} if _takes_name(self.function) else {}
        if dim_ordering is not None and _takes(self.function, "dim_ordering"):
            kwargs["dim_ordering"] = dim_ordering  # Keras 1's convolutions passed theirs
        value = self.function(shape, **kwargs)
        if isinstance(value, keras.Variable):
            value = value.value
        value = ops.cast(ops.convert_to_tensor(value), dtype or keras.config.floatx())
        if tuple(value.shape) != shape:
            raise ValueError(f"Initializer {self.function!r} returned shape {tuple(value.shape)} "
                             f"for a weight of shape {shape}.")
        if dtype is None:  # Keras 3 always passes one
            return keras.Variable(value, name=None if name is None else str(name).replace("/", "_"))
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


def initializer(value, gates=1, layout=None):
    """Convert a Keras 1 ``init`` value given at run time into what Keras 3 takes.

    The transpiler converts literal names itself; this covers values it cannot see
    (``init=my_init``). Names: ``'zero'`` -> ``'zeros'``, ``'one'`` -> ``'ones'``,
    ``'uniform'`` -> ``'random_uniform'``, ``'normal'`` -> ``'random_normal'``;
    ``'glorot_normal'``, ``'he_normal'`` and ``'orthogonal'`` become the Keras 3
    initializer objects that compute Keras 1's distribution; other names, ``None``,
    Keras 3 initializers and callables taking ``dtype`` are kept. A Keras 1 function
    ``f(shape, name=None)`` is wrapped in :class:`Keras1Initializer`.

    ``gates`` and ``layout`` say how Keras 1 drew the weight (:class:`PerGate`,
    :class:`Keras1Layout`); the result is wrapped accordingly.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = _DIFFERENT[value]() if value in _DIFFERENT else _RENAMED.get(value, value)
    elif callable(value) and _is_keras1_function(value):
        value = Keras1Initializer(value)
    if layout is not None:
        value = Keras1Layout(value, layout)
    if gates > 1:
        value = PerGate(value, gates)
    return value


def _takes_name(function) -> bool:
    """Keras 1 called initializers as f(shape, name=...); many user lambdas require `name`."""
    return _takes(function, "name")


def _takes(function, keyword) -> bool:
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False
    return keyword in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


# --- weights Keras 1 drew otherwise ---------------------------------------------------------

def _th(rank):
    return (rank - 1, rank - 2, *range(rank - 2))


def _same(rank):
    return tuple(range(rank))


# Keras 1 kernels laid out otherwise than Keras 3's: for a Keras 3 kernel of rank r, the
# Keras 3 axes in Keras 1's order (None: a length-1 axis only Keras 1 had), and the
# dim_ordering Keras 1's get_fans read that kernel with.
LAYOUTS = {
    # (out, in, *spatial): the fans are Keras 3's, but Keras 1 functions see this shape.
    "conv_th": (_th, "th"),
    # Keras 3's axes; Keras 1's 'tf' receptive field was the first two axes only (3-D
    # kernels lose one), and orthogonal kept the rows of (rows, everything else).
    "conv_tf": (_same, "tf"),
    # Convolution1D's (filter_length, 1, input_dim, nb_filter), read as 'th'.
    "conv1d": (lambda rank: (0, None, 1, 2), "th"),
    # Deconvolution2D's kernel was Convolution2D's: (nb_filter, in, rows, cols) for 'th';
    # Keras 3's Conv2DTranspose kernel is (rows, cols, filters, in).
    "deconv2d_th": (lambda rank: (2, 3, 0, 1), "th"),
    "deconv2d_tf": (lambda rank: (0, 1, 3, 2), "tf"),
    # ConvLSTM2D drew its 'tf' kernels (rows, cols, in, out) without a dim_ordering: 'th' fans.
    "convlstm2d_tf": (_same, "th"),
}


def keras1_fans(shape, dim_ordering="th"):
    """(fan_in, fan_out) as Keras 1.2.2's get_fans computed them."""
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) in (4, 5):
        if dim_ordering == "th":
            receptive = math.prod(shape[2:])
            return shape[1] * receptive, shape[0] * receptive
        receptive = math.prod(shape[:2])
        return shape[-2] * receptive, shape[-1] * receptive
    side = math.sqrt(math.prod(shape))
    return side, side


def _keras3_fans(shape):
    """(fan_in, fan_out) as Keras 3's VarianceScaling reads them."""
    if len(shape) < 2:
        return (shape[0], shape[0]) if shape else (1, 1)
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def _fan(fans, mode):
    fan_in, fan_out = fans
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


def _seed(init, offset):
    """The seed for another draw of `init`: unseeded draws a fresh one, an integer seed is
    moved on by `offset` (Keras 3 initializers repeat their values on every call)."""
    given = init.get_config().get("seed")
    if given is None:
        return None
    if isinstance(given, int):
        return given + offset
    return init.seed  # a SeedGenerator advances by itself


def _resolve(identifier, offset=0):
    """A Keras 3 initializer that draws values of its own for this call."""
    if isinstance(identifier, (str, dict)) or inspect.isclass(identifier):
        return keras.initializers.get(identifier)
    if isinstance(identifier, keras.initializers.Initializer) and hasattr(identifier, "seed"):
        return type(identifier).from_config({**identifier.get_config(), "seed": _seed(identifier, offset)})
    return identifier  # not random, ours (they draw afresh), or a callable f(shape, dtype)


def _draw(identifier, shape, dtype, offset=0):
    init = _resolve(identifier, offset)
    if isinstance(init, _Keras1Drawn):
        return init.draw(shape, dtype, offset)
    return init(shape, dtype=dtype)


class _Keras1Drawn(keras.initializers.Initializer):
    """A Keras 3 initializer (a name, config or object) applied as Keras 1 applied it.

    Each call draws new values, as Keras 1's initializers did."""

    def __init__(self, initializer):
        if isinstance(initializer, dict):
            initializer = keras.initializers.deserialize(initializer)
        self.initializer = initializer

    def __call__(self, shape, dtype=None):
        return self.draw(tuple(int(d) for d in shape), dtype or keras.config.floatx(), 0)

    def get_config(self):
        return {"initializer": keras.saving.serialize_keras_object(self.initializer)}


@keras.saving.register_keras_serializable(package="k1port")
class PerGate(_Keras1Drawn):
    """``initializer`` applied to each of ``gates`` equal blocks of the last axis on its own.

    Keras 1's LSTM (4 gates) and GRU (3) with ``consume_less`` 'cpu' or 'mem' (the default)
    and its ConvLSTM2D created one weight per gate and concatenated them; Keras 3 creates
    the concatenated kernel and initialises it whole. Fan-based, orthogonal and identity
    initializers give other values for the whole than for each block (the fans include
    the last axis; a 16 x 64 orthogonal matrix is not four 16 x 16 ones).
    """

    def __init__(self, initializer, gates):
        super().__init__(initializer)
        self.gates = int(gates)

    def draw(self, shape, dtype, offset):
        if shape[-1] % self.gates:
            raise ValueError(f"PerGate: the last axis of {shape} does not split into {self.gates} gates")
        block = (*shape[:-1], shape[-1] // self.gates)
        return ops.concatenate([_draw(self.initializer, block, dtype, offset * self.gates + k)
                                for k in range(self.gates)], axis=-1)

    def get_config(self):
        return {**super().get_config(), "gates": self.gates}


@keras.saving.register_keras_serializable(package="k1port")
class Keras1Layout(_Keras1Drawn):
    """``initializer`` applied as Keras 1 applied it to its own layout of the kernel.

    ``layout`` names the Keras 1 kernel (``LAYOUTS``): Keras 1 read the fans of
    variance-scaling initializers (glorot, he, lecun) from its shape with its own rules,
    made the rows of ``(shape[0], everything else)`` orthogonal, and called Keras 1
    functions (:class:`Keras1Initializer`) with its shape; the values are then moved into
    Keras 3's layout. Initializers that draw every entry alike are applied unchanged.
    """

    def __init__(self, initializer, layout):
        super().__init__(initializer)
        if layout not in LAYOUTS:
            raise ValueError(f"Keras1Layout: unknown layout {layout!r}; one of {sorted(LAYOUTS)}")
        self.layout = layout

    def draw(self, shape, dtype, offset):
        axes, ordering = LAYOUTS[self.layout]
        axes = axes(len(shape))
        keras1_shape = tuple(1 if a is None else shape[a] for a in axes)
        init = _resolve(self.initializer, offset)
        if isinstance(init, keras.initializers.VarianceScaling):
            # Same distribution, scaled by Keras 1's fans instead of Keras 3's.
            ratio = _fan(_keras3_fans(shape), init.mode) / _fan(keras1_fans(keras1_shape, ordering), init.mode)
            init = keras.initializers.VarianceScaling(init.scale * ratio, init.mode, init.distribution,
                                                      seed=_seed(init, 0))
            return init(shape, dtype=dtype)
        if isinstance(init, keras.initializers.Orthogonal):
            flat = (keras1_shape[0], math.prod(keras1_shape[1:]))
            value = init(flat, dtype=dtype)
        elif isinstance(init, Keras1Initializer):
            value = init(keras1_shape, dtype, dim_ordering=ordering)
        elif isinstance(init, _Keras1Drawn):
            value = init.draw(keras1_shape, dtype, offset)
        else:
            return init(shape, dtype=dtype)
        kept = [a for a in axes if a is not None]
        value = ops.reshape(value, [shape[a] for a in kept])
        return ops.transpose(value, [kept.index(a) for a in range(len(shape))])

    def get_config(self):
        return {**super().get_config(), "layout": self.layout}


__all__ = ["initializer", "Keras1Initializer", "PerGate", "Keras1Layout", "LAYOUTS", "keras1_fans"]
