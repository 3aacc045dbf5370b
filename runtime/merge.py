"""Keras 1's ``Merge`` layer and ``merge()`` function: every Keras 1.2.2 mode, exactly.

Keras 3 split Keras 1's one merge layer into ``Add``, ``Multiply``, ``Average``,
``Maximum``, ``Concatenate`` and ``Dot``, and dropped the rest. ``Dot`` does not compute
what Keras 1's ``'dot'`` did for every ``dot_axes`` (nor its output shapes), and nothing
in Keras 3 computes ``'cos'`` or a function ``mode``. :class:`Merge` takes Keras 1's
arguments and is called on a list of tensors, as in Keras 1 (keras/engine/topology.py):

``'sum'``, ``'mul'``, ``'max'``
    Element-wise, folded left to right over the inputs (all of one shape).
``'ave'``
    The ``'sum'`` divided by the number of inputs.
``'concat'``
    Concatenated along ``concat_axis`` (default ``-1``; ``1`` is the first axis after
    the batch axis).
``'dot'``
    Keras 1's ``K.batch_dot(x, y, dot_axes)`` on two inputs: for each sample, the sum of
    products over axis ``dot_axes[0]`` of ``x`` and ``dot_axes[1]`` of ``y`` (axes count
    the batch axis as 0). The output keeps ``x``'s other axes, then ``y``'s, and is
    ``(batch, 1)`` when nothing else is left: two ``(batch, n)`` vectors give
    ``(batch, 1)``. An int ``dot_axes`` ``a >= 0`` means ``(a, a)``; a negative one counts
    from the end of each input separately (the default ``-1``: the last axes).
``'cos'``
    ``dot(x, y) / max(sqrt(dot(x, x) * dot(y, y)), epsilon)`` with the same ``dot_axes``:
    Keras 1's normalisation, which is not ``l2_normalize``-then-dot (below epsilon it
    divides by epsilon; on 3-D inputs ``dot(x, x)`` is a per-sample Gram matrix, multiplied
    element-wise). ``epsilon`` is ``keras.config.epsilon()`` (Keras 1's ``K.epsilon()``;
    both default to 1e-7). Output shape: the ``'dot'`` shape, ``(batch, 1)`` for vectors.
A function (``mode=lambda tensors: ...``)
    Called on the list of tensors with ``arguments`` as keyword arguments (and
    ``mask=`` the list of input masks when it has a ``mask`` parameter). Its output
    shape is ``output_shape``: a tuple without the batch axis, or a function of the list
    of input shapes returning the whole shape. (Keras 1 required one; without it the
    shape is inferred by running the function symbolically, as Keras 3's ``Lambda`` does.)

Masks (Keras 1's ``Merge.compute_mask``): no input masked gives no mask. Otherwise
``'sum'``/``'mul'``/``'ave'`` AND the input masks there are; ``'concat'`` concatenates
the masks along ``concat_axis`` (a mask with fewer axes than its input gets a trailing
axis, an unmasked input counts as all ones with the input's shape) and ANDs over the last
axis; ``'dot'``/``'cos'`` give none; a function mode gives ``output_mask`` (called on the
list of input masks when callable). ``'max'`` with a masked input raised ``ValueError``
in Keras 1 and does here.

Differences from Keras 1. ``'cos'``: Keras 1's tensor had an extra length-1 axis 1
(``(batch, 1, 1)`` for vectors, ``(batch, 1, n, m)`` for 3-D inputs) that its declared
shape (``(batch, 1)``, ``(batch, n, m)``) and every later layer's shape inference left
out; here the tensor has the declared shape, with the same values. So where the extra
axis reached a Keras 1 model's output, its predictions came as ``(N, 1, 1)`` arrays, and
training against ``(N, 1)`` targets broadcast the loss over every (sample, target) pair
(Theano; checked in the oracle); the converted model's loss is per sample. The rest is
where Keras 1 failed: a ``Merge`` instance may be called more than once (Keras 1 raised
``RuntimeError``), negative pairs of ``dot_axes`` count from the end (Keras 1's Theano
failed on them at run time), a function mode needs no ``output_shape`` (above), and shape
checks let an unknown (``None``) dimension match any size.

``Merge(layers=[model_a, model_b], ...)``, merging Keras 1 Sequential models inside a
Sequential, has no Keras 3 equivalent: it raises ``NotImplementedError`` (k1port reports
it when converting; rewrite the model with the functional API).

Saving: ``get_config``/``from_config`` round-trip, and models save as ``.keras`` files
once this package is imported (registered as ``k1port>Merge``). A function ``mode``,
``output_shape`` or ``output_mask`` is stored as Keras 3's ``Lambda`` stores its function:
a Python lambda as bytecode (loading it needs ``safe_mode=False``, exactly like
``Lambda``), a named function by name (it must be registered with
``keras.saving.register_keras_serializable`` or passed in ``custom_objects``). A loaded
lambda sees ``keras``, ``ops`` (``keras.ops``), ``np`` and ``k1`` (this package) as globals:
the names converted code uses.
"""
from __future__ import annotations

import builtins
import inspect
import types

import keras
import numpy as np
from keras import ops

from k1port.runtime.backend import sqrt as _sqrt_clipped

MODES = ("sum", "mul", "concat", "ave", "cos", "dot", "max")
_SAME_SHAPE = ("sum", "mul", "ave", "cos", "max")


def _function_to_config(fn):
    """A function as Keras 3's ``Lambda`` stores one (bytecode for lambdas, else by name)."""
    # A named Lambda takes no auto-name number, so the program's own Lambda names stay.
    return keras.layers.Lambda(fn, name="k1port_merge_function").get_config()["function"]


def _lambda_globals() -> dict:
    import k1port.runtime as k1

    return {"__builtins__": builtins, "keras": keras, "ops": ops, "np": np, "k1": k1}


def _function_from_config(config):
    """The function :func:`_function_to_config` stored, loaded by Keras 3's ``Lambda`` (so its
    safe-mode rule applies: a Python lambda only with ``safe_mode=False``)."""
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        inner = config.get("config") or {}
        if isinstance(inner.get("defaults"), list):  # JSON made the tuple a list; Python wants a tuple
            config = {**config, "config": {**inner, "defaults": tuple(inner["defaults"])}}
    try:
        fn = keras.layers.Lambda.from_config({"function": config, "name": "k1port_merge_function"}).function
    except ValueError as exc:
        if isinstance(config, dict) and config.get("class_name") == "__lambda__":
            raise ValueError("Loading a k1port Merge whose mode, output_shape or output_mask is a Python "
                             f"lambda, stored as Keras 3's Lambda stores one. {exc}") from exc
        raise
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        # Lambda loads bytecode with Keras' own module globals; give it converted code's names.
        fn = types.FunctionType(fn.__code__, _lambda_globals(), fn.__name__, fn.__defaults__, fn.__closure__)
    return fn


def _is_function_config(value) -> bool:
    return isinstance(value, dict) and "class_name" in value


def _takes_mask(fn) -> bool:
    try:
        parameters = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    parameter = parameters.get("mask")
    return parameter is not None and parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                        inspect.Parameter.KEYWORD_ONLY)


def _same(a, b) -> bool:
    """Two dimensions agree (an unknown one agrees with anything)."""
    return a is None or b is None or a == b


def _same_shape(s1, s2) -> bool:
    return len(s1) == len(s2) and all(_same(a, b) for a, b in zip(s1, s2))


def dot_axes_for(dot_axes, ndim1: int, ndim2: int) -> tuple[int, int]:
    """Keras 1's ``dot_axes`` as two non-negative axes for inputs of ranks ``ndim1``, ``ndim2``.

    An int ``a >= 0`` means ``(a, a)``; a negative int counts from the end of each input
    (``-1``: both last axes). A pair is taken as is (negative entries count from the end).
    """
    if isinstance(dot_axes, (int, np.integer)) and not isinstance(dot_axes, bool):
        axes = [int(dot_axes) % ndim1, int(dot_axes) % ndim2] if dot_axes < 0 else [int(dot_axes)] * 2
    elif isinstance(dot_axes, (list, tuple)):
        axes = list(dot_axes)
    else:
        raise TypeError(f"Invalid type for dot_axes - should be a list. Received: {dot_axes!r}")
    if len(axes) != 2:
        raise ValueError(f"Invalid format for dot_axes - should contain two elements. Received: {dot_axes!r}")
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        raise ValueError(f'Invalid format for dot_axes - list elements should be "int". Received: {dot_axes!r}')
    out = []
    for axis, ndim in zip(axes, (ndim1, ndim2)):
        if not -ndim <= axis < ndim:
            raise ValueError(f"dot_axes {dot_axes!r}: axis {axis} is out of range for an input of rank {ndim}")
        axis = int(axis) % ndim
        if axis == 0:
            raise ValueError(f"dot_axes {dot_axes!r}: the axes to sum over must not contain the batch axis (0)")
        out.append(axis)
    return out[0], out[1]


def batch_dot(x, y, axes):
    """Keras 1's ``K.batch_dot(x, y, axes)`` (Theano's ``batched_tensordot``) for a pair of
    non-negative axes: per sample, sum over ``x``'s axis ``axes[0]`` and ``y``'s axis
    ``axes[1]``; the result has the batch axis, ``x``'s other axes, then ``y``'s, and is
    ``(batch, 1)`` rather than ``(batch,)``."""
    nx, ny = len(x.shape), len(y.shape)
    letters = iter("bcdefghijklmnopqrstuvwxy")
    xs = ["a"] + [next(letters) for _ in range(1, nx)]
    ys = ["a"] + [next(letters) for _ in range(1, ny)]
    xs[axes[0]] = ys[axes[1]] = "z"
    out = ["a"] + [c for c in xs[1:] if c != "z"] + [c for c in ys[1:] if c != "z"]
    result = ops.einsum(f"{''.join(xs)},{''.join(ys)}->{''.join(out)}", x, y)
    if len(out) == 1:
        result = ops.expand_dims(result, 1)
    return result


def batch_dot_shape(shape1, shape2, axes) -> tuple:
    """The shape :func:`batch_dot` returns (Keras 1's ``Merge`` 'dot' output shape)."""
    shape1, shape2 = list(shape1), list(shape2)
    shape1.pop(axes[0])
    shape2.pop(axes[1])
    shape = shape1 + shape2[1:]
    return tuple(shape + [1] if len(shape) == 1 else shape)


@keras.saving.register_keras_serializable(package="k1port")
class Merge(keras.layers.Layer):
    """Keras 1's ``Merge`` layer, called on a list of tensors (see the module docstring).

    Arguments are Keras 1's: ``mode`` ('sum', 'mul', 'concat', 'ave', 'max', 'dot',
    'cos' or a function of the list of tensors), ``concat_axis``, ``dot_axes`` (int or
    pair), ``output_shape`` (tuple without the batch axis, or a function of the list of
    input shapes; for a function mode), ``output_mask`` (mask value or function of the
    list of input masks; for a function mode), ``arguments`` (keyword arguments for a
    function mode) and ``name``. ``layers``, ``node_indices`` and ``tensor_indices``
    belonged to merging models inside a Sequential (:class:`~k1port.runtime.MergeModels`):
    ``layers`` raises ``TypeError``, the other two are ignored (as Keras 1 ignored them
    without ``layers``).
    """

    def __init__(self, layers=None, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None,
                 output_mask=None, arguments=None, node_indices=None, tensor_indices=None, name=None,
                 **kwargs):
        if layers:
            raise TypeError("Merge(layers=[...]) merges models inside a Sequential: use "
                            "k1port.runtime.MergeModels (and k1port.runtime.Sequential) for that; "
                            "Merge is called on a list of tensors")
        if not callable(mode) and mode not in MODES:
            raise ValueError(f"Invalid merge mode: {mode!r} (one of {', '.join(MODES)}, or a function)")
        super().__init__(name=name, **kwargs)
        self.mode = mode
        self.concat_axis = concat_axis
        self.dot_axes = list(dot_axes) if isinstance(dot_axes, tuple) else dot_axes
        self._output_shape = tuple(output_shape) if isinstance(output_shape, list) else output_shape
        self._output_mask = output_mask
        self.arguments = dict(arguments) if arguments else {}

    # -- shapes -----------------------------------------------------------------------------
    def _check_inputs(self, shapes) -> list[tuple]:
        """Keras 1's argument checks on the list of input shapes (raising what it raised)."""
        if not isinstance(shapes, (list, tuple)) or not shapes or not isinstance(shapes[0], (list, tuple)):
            raise TypeError(f"A Merge should only be applied to a list of tensors with at least 2 elements. "
                            f"Got input shape(s): {shapes}")
        shapes = [tuple(s) for s in shapes]
        if len(shapes) < 2:
            raise TypeError(f"A Merge should only be applied to a list of tensors with at least 2 elements. "
                            f"Found shapes: {shapes}")
        if callable(self.mode):
            return shapes
        if self.mode in _SAME_SHAPE and not all(_same_shape(s, shapes[0]) for s in shapes[1:]):
            raise ValueError(f"Only tensors of the same shape can be merged using {self.mode} mode. "
                             f"Shapes: {shapes}")
        if self.mode in ("cos", "dot"):
            if len(shapes) != 2:
                raise ValueError(f"{self.mode} merge takes exactly 2 tensors, got {len(shapes)}")
            axes = dot_axes_for(self.dot_axes, len(shapes[0]), len(shapes[1]))
            d1, d2 = shapes[0][axes[0]], shapes[1][axes[1]]
            if not _same(d1, d2):
                raise ValueError(f"Dimension incompatibility using {self.mode} mode: {d1} != {d2}. "
                                 f"Shapes: {shapes[0]}, {shapes[1]} (dot_axes={self.dot_axes!r})")
        elif self.mode == "concat":
            rest = []
            for s in shapes:
                if not -len(s) <= self.concat_axis < len(s):
                    raise ValueError(f"concat_axis={self.concat_axis} is out of range for shape {s}")
                reduced = list(s)
                del reduced[self.concat_axis]
                rest.append(reduced)
            if not all(_same_shape(r, rest[0]) for r in rest[1:]):
                raise ValueError('"concat" mode can only merge tensors with matching shapes except for the '
                                 f"concat axis. Shapes: {shapes}")
        return shapes

    def build(self, input_shape):
        self._check_inputs(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        """Keras 1's ``Merge.get_output_shape_for`` (shapes include the batch axis)."""
        shapes = self._check_inputs(input_shape)
        if callable(self.mode):
            if callable(self._output_shape):
                return tuple(self._output_shape(list(shapes)))
            if self._output_shape is not None:
                return (shapes[0][0],) + tuple(self._output_shape)
            spec = keras.Operation.compute_output_spec(
                self, [keras.KerasTensor(s, dtype=self.compute_dtype) for s in shapes])
            return tuple(spec.shape)
        if self.mode in ("sum", "mul", "ave", "max"):
            return shapes[0]
        if self.mode == "concat":
            out = list(shapes[0])
            sizes = [s[self.concat_axis] for s in shapes]
            out[self.concat_axis] = None if any(d is None for d in sizes) else sum(sizes)
            return tuple(out)
        axes = dot_axes_for(self.dot_axes, len(shapes[0]), len(shapes[1]))
        return batch_dot_shape(shapes[0], shapes[1], axes)

    def compute_output_spec(self, inputs, mask=None):
        if callable(self.mode) and self._output_shape is not None:
            shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
            return keras.KerasTensor(shape, dtype=self.compute_dtype)
        # Built-in modes, and a function without output_shape: run call() symbolically.
        self._check_inputs([tuple(x.shape) for x in inputs])
        return keras.Operation.compute_output_spec(self, inputs, mask=mask)

    # -- computation ------------------------------------------------------------------------
    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise TypeError(f"Merge must be called on a list of tensors (at least 2). Got: {inputs!r}")
        inputs = list(inputs)
        if callable(self.mode):
            kwargs = dict(self.arguments)
            if _takes_mask(self.mode):
                kwargs["mask"] = mask
            return self.mode(inputs, **kwargs)
        if self.mode in ("sum", "ave"):
            total = inputs[0]
            for x in inputs[1:]:
                total = ops.add(total, x)
            return ops.divide(total, len(inputs)) if self.mode == "ave" else total
        if self.mode == "mul":
            product = inputs[0]
            for x in inputs[1:]:
                product = ops.multiply(product, x)
            return product
        if self.mode == "max":
            largest = inputs[0]
            for x in inputs[1:]:
                largest = ops.maximum(largest, x)
            return largest
        if self.mode == "concat":
            return ops.concatenate(inputs, axis=self.concat_axis)
        x, y = inputs
        axes = dot_axes_for(self.dot_axes, len(x.shape), len(y.shape))
        if self.mode == "dot":
            return batch_dot(x, y, axes)
        # 'cos': Keras 1 divided by max(sqrt(<x,x> * <y,y>), epsilon), its K.sqrt clipping at 0.
        norms = _sqrt_clipped(ops.multiply(batch_dot(x, x, axes), batch_dot(y, y, axes)))
        return ops.divide(batch_dot(x, y, axes), ops.maximum(norms, keras.config.epsilon()))

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        masks = list(mask) if isinstance(mask, (list, tuple)) else [mask]
        if all(m is None for m in masks):
            return None
        if callable(self.mode):
            if callable(self._output_mask):
                return self._output_mask(masks)
            if self._output_mask is None:
                return None
            return ops.cast(ops.convert_to_tensor(self._output_mask), "bool")
        if self.mode in ("sum", "mul", "ave"):
            present = [ops.cast(m, "bool") for m in masks if m is not None]
            result = present[0]
            for m in present[1:]:
                result = ops.logical_and(result, m)
            return result
        if self.mode == "concat":
            pieces = []
            for x, m in zip(inputs, masks):
                if m is None:
                    pieces.append(ops.ones_like(x, dtype="bool"))
                elif len(m.shape) < len(x.shape):
                    pieces.append(ops.expand_dims(ops.cast(m, "bool"), -1))
                else:
                    pieces.append(ops.cast(m, "bool"))
            return ops.all(ops.concatenate(pieces, axis=self.concat_axis), axis=-1)
        if self.mode in ("dot", "cos"):
            return None
        raise ValueError(f"Merge mode {self.mode!r} has no output mask for masked inputs: Keras 1.2.2 raised "
                         f"'Invalid merge mode: {self.mode}' here too. Remove the mask first (or use 'sum', "
                         "'mul', 'ave' or 'concat').")

    # -- serialization ----------------------------------------------------------------------
    def get_config(self):
        config = super().get_config()
        config.update({
            "mode": _function_to_config(self.mode) if callable(self.mode) else self.mode,
            "concat_axis": self.concat_axis,
            "dot_axes": self.dot_axes,
            "output_shape": (_function_to_config(self._output_shape) if callable(self._output_shape)
                             else self._output_shape),
            "output_mask": (_function_to_config(self._output_mask) if callable(self._output_mask)
                            else self._output_mask),
            "arguments": keras.saving.serialize_keras_object(self.arguments),
        })
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("mode", "output_shape", "output_mask"):
            if _is_function_config(config.get(key)):
                config[key] = _function_from_config(config[key])
        if config.get("arguments") is not None:
            config["arguments"] = keras.saving.deserialize_keras_object(config["arguments"])
        return cls(**config)


def merge(inputs, mode="sum", concat_axis=-1, dot_axes=-1, output_shape=None, output_mask=None,
          arguments=None, name=None):
    """Keras 1's functional ``merge``: ``Merge(mode=..., ...)(inputs)`` on a list of tensors."""
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"merge() takes a list of tensors (at least 2). Got: {inputs!r}")
    return Merge(mode=mode, concat_axis=concat_axis, dot_axes=dot_axes, output_shape=output_shape,
                 output_mask=output_mask, arguments=arguments, name=name)(list(inputs))


__all__ = ["Merge", "merge", "batch_dot", "batch_dot_shape", "dot_axes_for"]
