"""Keras 1 backend functions (`K.*`) that keras.ops does not spell in one call, or spells with
another meaning, with Keras 1's signatures. The rest of `K.*` converts to keras.ops (see
k1port's backend rules). Converted code calls the first few as ``k1.sqrt`` & co., the rest
as ``k1.backend.conv2d`` & co.; fixtures/oracle/backend_ops.py compares them with Keras 1.2.2."""
from __future__ import annotations

import keras
import numpy as np
from keras import ops

from k1port.runtime.config import data_format as _keras3_data_format
from k1port.runtime.layers import _channels_last_op, _needs_channels_last, theano_same_pool
from k1port.runtime.theano_padding import check_keras1_backend, conv_padding, dilated, pad_width


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
class Variable(keras.Variable):
    """A Keras 3 variable that, like Keras 1's, takes part in symbolic expressions: the
    accumulator idiom `loss = K.variable(0.); loss -= K.sum(...)` (deep dream, style
    transfer, filter visualisation). Keras 3's variable arithmetic reads the value, which a
    symbolic tensor does not have; with one, the operators here build keras.ops calls."""


def _symbolic_operator(name: str, op: str, reverse: bool):
    numeric = getattr(keras.Variable, name)
    function = getattr(ops, op)

    def operator(self, other):
        if isinstance(other, keras.KerasTensor):
            return function(other, self) if reverse else function(self, other)
        return numeric(self, other)

    operator.__name__ = name
    return operator


for _op, _keras_op in (("add", "add"), ("sub", "subtract"), ("mul", "multiply"), ("truediv", "divide"),
                       ("pow", "power"), ("matmul", "matmul")):
    for _reverse in (False, True):
        _name = f"__{'r' if _reverse else ''}{_op}__"
        setattr(Variable, _name, _symbolic_operator(_name, _keras_op, _reverse))


def _variable(value, name, dtype=None):
    """A Keras 3 variable of ``value`` in ``dtype`` (default: ``value``'s). Integer and boolean
    variables are not trainable (torch refuses gradients for them; Keras 1 had no such flag)."""
    dtype = keras.backend.standardize_dtype(dtype or value.dtype)
    return Variable(value, dtype=dtype, trainable=keras.backend.is_float_dtype(dtype),
                          name=None if name is None else str(name).replace("/", "_"))


def variable(value, dtype=None, name=None):
    """Keras 1's ``K.variable``: ``value`` as a variable of ``dtype``, by default
    ``keras.config.floatx()`` whatever ``value`` holds (Keras 3's ``Variable`` keeps a NumPy
    array's float64 or int64)."""
    return _variable(value, name, dtype or keras.config.floatx())


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


# -- the rest of Keras 1's backend -------------------------------------------------------------
#
# Functions with Keras 1's signatures, for the K.* functions keras.ops has no single spelling
# for. Image functions take Keras 1's `dim_ordering` ('th': channels first, 'tf': channels
# last, 'default': image_dim_ordering()) and Keras 1's kernel layouts ('th': (out, in,
# *spatial), 'tf': (*spatial, in, out)); they run channels-first on TensorFlow's CPU kernels too.
#
# `keras1_backend='theano'` computes what Keras 1 on Theano computed where its two backends
# disagreed (k1port states it for code that ran on Theano: 'th' code, unless --keras1-backend
# says otherwise):
# - convolutions (conv2d, conv3d, deconv2d) were true convolutions: the kernel is flipped
#   along its spatial axes (Keras 1 on TensorFlow, and Keras 3, cross-correlate);
# - border_mode='same' padded as Theano did (runtime/theano_padding.py): convolutions k//2
#   first (TensorFlow puts the odd pixel at the end), pooling p-1 or p-2 first;
# - normalize_batch_in_training returned the variance plus epsilon;
# - ctc_batch_cost smoothed the probabilities and summed over every time step (below).
# Otherwise (None, 'tensorflow') they compute what Keras 1 on TensorFlow did, which is
# Keras 3's rule. conv1d, atrous_conv2d and separable_conv2d existed on TensorFlow only.
# border_mode='full' (Theano only: k-1 zeros on each side) is accepted by the convolutions.

def _data_format(dim_ordering) -> str:
    if dim_ordering in ("channels_first", "channels_last"):
        return dim_ordering
    return _keras3_data_format(dim_ordering)


def _theano(keras1_backend) -> bool:
    return check_keras1_backend(keras1_backend) == "theano"


def _in_layout(compute, x, data_format):
    """``compute(x, data_format)``, run channels-last where TensorFlow's CPU kernels refuse
    channels-first convolutions."""
    if _needs_channels_last(data_format):
        return _channels_last_op(lambda inputs, _, data_format: compute(inputs, data_format), x, None)
    return compute(x, data_format)


def _kernel(kernel, rank, data_format, flip, transposed=False):
    """A Keras 1 kernel in Keras 3's layout: (*spatial, in, out), or for a transposed
    convolution (*spatial, out, in); flipped along the spatial axes for Theano."""
    spatial = tuple(range(rank))
    if data_format == "channels_first":  # (out, in, *spatial)
        kernel = ops.transpose(kernel, (*range(2, rank + 2), 0, 1) if transposed else (*range(2, rank + 2), 1, 0))
    elif transposed:  # (*spatial, in, out)
        kernel = ops.transpose(kernel, (*spatial, rank + 1, rank))
    return ops.flip(kernel, axis=spatial) if flip else kernel


def _tuple(value, rank):
    return tuple(value) if isinstance(value, (list, tuple)) else (value,) * rank


def _convolution(x, kernel, rank, strides, border_mode, dim_ordering, dilation, keras1_backend):
    theano = _theano(keras1_backend)
    data_format = _data_format(dim_ordering)
    kernel = _kernel(kernel, rank, data_format, flip=theano)
    strides, dilation = _tuple(strides, rank), _tuple(dilation, rank)
    if border_mode not in ("valid", "same", "full"):
        raise ValueError(f"Invalid border mode: {border_mode!r}")
    padding = border_mode
    sizes = kernel.shape[:rank]
    if border_mode == "full":
        pads = [(dilated(k, d) - 1,) * 2 for k, d in zip(sizes, dilation)]
    elif border_mode == "same" and theano:
        pads = [conv_padding(k, d) for k, d in zip(sizes, dilation)]
    else:
        pads = None
    if pads is not None:
        x = ops.pad(x, pad_width(pads, data_format))
        padding = "valid"
    return _in_layout(lambda inputs, fmt: ops.conv(inputs, kernel, strides=strides, padding=padding,
                                                   data_format=fmt, dilation_rate=dilation), x, data_format)


def conv2d(x, kernel, strides=(1, 1), border_mode="valid", dim_ordering="default", image_shape=None,
           filter_shape=None, filter_dilation=(1, 1), *, keras1_backend=None):
    """Keras 1's ``K.conv2d``: ``kernel`` in ``dim_ordering``'s layout, ``filter_dilation``
    the dilation rate; ``image_shape`` and ``filter_shape`` (shape hints) are ignored."""
    return _convolution(x, kernel, 2, strides, border_mode, dim_ordering, filter_dilation, keras1_backend)


def conv3d(x, kernel, strides=(1, 1, 1), border_mode="valid", dim_ordering="default", volume_shape=None,
           filter_shape=None, filter_dilation=(1, 1, 1), *, keras1_backend=None):
    """Keras 1's ``K.conv3d`` (see :func:`conv2d`)."""
    return _convolution(x, kernel, 3, strides, border_mode, dim_ordering, filter_dilation, keras1_backend)


def atrous_conv2d(x, kernel, rate=1, border_mode="valid", dim_ordering="default", image_shape=None,
                  filter_shape=None):
    """Keras 1's ``K.atrous_conv2d`` (TensorFlow only in Keras 1): :func:`conv2d` dilated by ``rate``."""
    return _convolution(x, kernel, 2, 1, border_mode, dim_ordering, rate, None)


def separable_conv2d(x, depthwise_kernel, pointwise_kernel, strides=(1, 1), border_mode="valid",
                     dim_ordering="default"):
    """Keras 1's ``K.separable_conv2d`` (TensorFlow only in Keras 1): kernels in ``dim_ordering``'s
    layout ('th': depthwise ``(multiplier, in, rows, cols)``, pointwise ``(out, in * multiplier, 1, 1)``)."""
    data_format = _data_format(dim_ordering)
    depthwise = _kernel(depthwise_kernel, 2, data_format, flip=False)
    pointwise = _kernel(pointwise_kernel, 2, data_format, flip=False)
    return _in_layout(lambda inputs, fmt: ops.separable_conv(inputs, depthwise, pointwise, strides=_tuple(strides, 2),
                                                             padding=border_mode, data_format=fmt),
                      x, data_format)


def deconv2d(x, kernel, output_shape, strides=(1, 1), border_mode="valid", dim_ordering="default",
             image_shape=None, filter_shape=None, *, keras1_backend=None):
    """Keras 1's ``K.deconv2d``: the transposed convolution giving ``output_shape`` (the whole
    shape in ``dim_ordering``'s layout; its batch size is not used). ``kernel`` is in Keras 1's
    Deconvolution2D layout: ('th') ``(out, in, rows, cols)``, ('tf') ``(rows, cols, in, out)``,
    ``in`` being ``x``'s channels and ``out`` the result's.

    Computed as Keras 1 did: the full ('valid') transposed convolution, of which the output
    positions that convolution would have padded away are cut off: none for 'valid', ``k - 1``
    for 'full', for 'same' the padding TensorFlow put before the image (on Theano ``k // 2``:
    axes with even kernels are then cut to ``ceil(size / stride)`` positions, as Keras 1 did)."""
    theano = _theano(keras1_backend)
    data_format = _data_format(dim_ordering)
    kernel = _kernel(kernel, 2, data_format, flip=theano, transposed=True)
    strides = _tuple(strides, 2)
    if border_mode not in ("valid", "same", "full"):
        raise ValueError(f"Invalid border mode: {border_mode!r}")
    axes = (2, 3) if data_format == "channels_first" else (1, 2)
    full = _in_layout(lambda inputs, fmt: ops.conv_transpose(inputs, kernel, strides=strides, padding="valid",
                                                             data_format=fmt), x, data_format)
    index = [slice(None)] * 4
    extra = [(0, 0)] * 4
    for axis, k, s in zip(axes, kernel.shape[:2], strides):
        n, length, wanted = x.shape[axis], full.shape[axis], int(output_shape[axis])
        if border_mode == "full":
            start = k - 1
        elif border_mode == "same":
            start = k // 2 if theano else max((n - 1) * s + k - wanted, 0) // 2
        else:
            start = 0
        if border_mode == "same" and theano and k % 2 == 0:
            wanted = min(wanted, -(-n // s))
        extra[axis] = (0, max(start + wanted - length, 0))
        index[axis] = slice(start, start + wanted)
    if any(after for _, after in extra):
        full = ops.pad(full, extra)
    return full[tuple(index)]


def _pool(x, pool_size, strides, border_mode, dim_ordering, pool_mode, keras1_backend, rank):
    modes = {"max": "max", "avg": "average"}
    if pool_mode not in modes:
        raise ValueError(f"Invalid pooling mode: {pool_mode!r}")
    if border_mode not in ("valid", "same"):
        raise ValueError(f"Invalid border mode: {border_mode!r}")
    data_format = _data_format(dim_ordering)
    pool_size, strides = _tuple(pool_size, rank), _tuple(strides, rank)
    if border_mode == "same" and _theano(keras1_backend):
        return theano_same_pool(x, pool_size, strides, modes[pool_mode], data_format)
    op = ops.max_pool if pool_mode == "max" else ops.average_pool
    return op(x, pool_size, strides=strides, padding=border_mode, data_format=data_format)


def pool2d(x, pool_size, strides=(1, 1), border_mode="valid", dim_ordering="default", pool_mode="max", *,
           keras1_backend=None):
    """Keras 1's ``K.pool2d``: ``pool_mode`` 'max' or 'avg'; the strides default to 1 (not
    to the pool size, as Keras 3's do)."""
    return _pool(x, pool_size, strides, border_mode, dim_ordering, pool_mode, keras1_backend, 2)


def pool3d(x, pool_size, strides=(1, 1, 1), border_mode="valid", dim_ordering="default", pool_mode="max", *,
           keras1_backend=None):
    """Keras 1's ``K.pool3d`` (see :func:`pool2d`)."""
    return _pool(x, pool_size, strides, border_mode, dim_ordering, pool_mode, keras1_backend, 3)


def _spatial_axes(dim_ordering, rank):
    data_format = _data_format(dim_ordering)
    return tuple(range(2, 2 + rank)) if data_format == "channels_first" else tuple(range(1, 1 + rank))


def resize_images(X, height_factor, width_factor, dim_ordering):
    """Keras 1's ``K.resize_images``: every pixel repeated ``height_factor`` x ``width_factor`` times."""
    for axis, factor in zip(_spatial_axes(dim_ordering, 2), (height_factor, width_factor)):
        X = ops.repeat(X, factor, axis=axis)
    return X


def resize_volumes(X, depth_factor, height_factor, width_factor, dim_ordering):
    """Keras 1's ``K.resize_volumes`` (see :func:`resize_images`)."""
    for axis, factor in zip(_spatial_axes(dim_ordering, 3), (depth_factor, height_factor, width_factor)):
        X = ops.repeat(X, factor, axis=axis)
    return X


def _pad(x, pads, dim_ordering=None):
    """Zeros around the spatial axes of ``x`` (``pads``: per-axis (before, after)); 3-D ``x``
    (temporal padding) has its steps on axis 1."""
    data_format = "channels_last" if dim_ordering is None else _data_format(dim_ordering)
    return ops.pad(x, pad_width([tuple(p) for p in pads], data_format))


def temporal_padding(x, padding=1):
    """Keras 1's ``K.temporal_padding``: ``padding`` zeros before and after axis 1 of a 3-D tensor."""
    return _pad(x, [(padding, padding)])


def asymmetric_temporal_padding(x, left_pad=1, right_pad=1):
    return _pad(x, [(left_pad, right_pad)])


def spatial_2d_padding(x, padding=(1, 1), dim_ordering="default"):
    """Keras 1's ``K.spatial_2d_padding``: ``padding[i]`` zeros on both sides of spatial axis i."""
    return _pad(x, [(p, p) for p in padding], dim_ordering)


def asymmetric_spatial_2d_padding(x, top_pad=1, bottom_pad=1, left_pad=1, right_pad=1, dim_ordering="default"):
    return _pad(x, [(top_pad, bottom_pad), (left_pad, right_pad)], dim_ordering)


def spatial_3d_padding(x, padding=(1, 1, 1), dim_ordering="default"):
    return _pad(x, [(p, p) for p in padding], dim_ordering)


def batch_dot(x, y, axes=None):
    """Keras 1's ``K.batch_dot``: per sample, the sum of products over axis ``axes[0]`` of ``x``
    and ``axes[1]`` of ``y`` (axes count the batch axis; an int ``a`` means ``(a, a)``; None:
    ``x``'s last and ``y``'s second-to-last, a batched matrix product). The result has the batch
    axis, ``x``'s other axes, then ``y``'s, and is ``(batch, 1)`` rather than ``(batch,)``.
    Not ``keras.ops``' ``dot``/``matmul``/``tensordot``, which treat the batch axis as data."""
    from k1port.runtime.merge import batch_dot as merge_batch_dot, dot_axes_for

    nx, ny = len(x.shape), len(y.shape)
    if axes is None:
        axes = [nx - 1, ny - 2]
    return merge_batch_dot(x, y, dot_axes_for(axes, nx, ny))


def switch(condition, then_expression, else_expression):
    """Keras 1's ``K.switch``: ``then_expression`` where ``condition`` is non-zero, else
    ``else_expression`` (element-wise, as Theano's; a scalar condition picks one, as
    TensorFlow's ``cond`` did). Either expression may be a function returning it."""
    if callable(then_expression):
        then_expression = then_expression()
    if callable(else_expression):
        else_expression = else_expression()
    if isinstance(condition, (bool, int, float, np.bool_, np.number)):
        return then_expression if condition else else_expression
    return ops.where(ops.cast(condition, "bool"), then_expression, else_expression)


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None, unroll=False,
        input_length=None):
    """Keras 1's ``K.rnn``: iterate ``step_function(input_t, states + constants) -> (output,
    new_states)`` over axis 1 of ``inputs``; returns ``(last_output, outputs, new_states)``.

    Keras 3's loop (``keras.src.backend.rnn``) with Keras 1's conventions: ``mask`` (samples,
    time) or (samples, time, 1), 0/1 or boolean; a masked step keeps the states and repeats
    the previous output (zeros before the first), as Keras 1 on Theano did; with
    ``go_backwards`` the outputs are in the order computed (the last time step first).
    Keras 1 on Theano also squeezed length-1 axes Theano knew to be broadcastable out of
    the outputs and states; that is not reproduced."""
    from keras.src.backend import rnn as keras_rnn

    if mask is not None:
        mask = ops.convert_to_tensor(mask)
        if len(mask.shape) == 3:
            mask = ops.squeeze(mask, axis=-1)
        mask = ops.cast(mask, "bool")
    last_output, outputs, states = keras_rnn(
        step_function, inputs, list(initial_states), go_backwards=go_backwards, mask=mask,
        constants=list(constants) if constants else None, unroll=unroll, input_length=input_length,
        zero_output_for_mask=False, return_all_outputs=True)
    return last_output, outputs, list(states)


def _fold(fn, elems, initializer, reverse):
    elems = ops.convert_to_tensor(elems)
    if initializer is None:
        initializer, elems = (elems[-1], elems[:-1]) if reverse else (elems[0], elems[1:])
    carry, _ = ops.scan(lambda acc, x: (fn(acc, x), None), initializer, elems, reverse=reverse)
    return carry


def foldl(fn, elems, initializer=None, name=None):
    """Keras 1's ``K.foldl``: ``fn(acc, x)`` over ``elems`` (axis 0) from the first; the
    accumulator starts at ``initializer``, else at ``elems[0]`` (then folding the rest)."""
    return _fold(fn, elems, initializer, reverse=False)


def foldr(fn, elems, initializer=None, name=None):
    """Keras 1's ``K.foldr``: :func:`foldl` from the last element (default start ``elems[-1]``)."""
    return _fold(fn, elems, initializer, reverse=True)


def batch_normalization(x, mean, var, beta, gamma, epsilon=1e-3):
    """``(x - mean) / sqrt(var + epsilon) * gamma + beta``, broadcast (Keras 1's; keras.ops'
    batch_normalization takes 1-D statistics along one axis)."""
    return (x - mean) / ops.sqrt(var + epsilon) * gamma + beta


def normalize_batch_in_training(x, gamma, beta, reduction_axes, epsilon=1e-3, *, keras1_backend=None):
    """Keras 1's ``K.normalize_batch_in_training``: ``(normed, mean, var)``, the batch's mean and
    (biased) variance over ``reduction_axes``; ``gamma``/``beta`` are given along the other axes.
    The statistics have ``gamma``'s shape (1-D: the reduced axes removed). On Theano
    (``keras1_backend='theano'``) the variance came back plus ``epsilon`` (Keras 1 returned
    ``1 / invstd**2``)."""
    axes = sorted(a % len(x.shape) for a in reduction_axes)
    mean, var = ops.moments(x, axes, keepdims=True)
    shape = ops.shape(x)
    target = [1 if a in axes else shape[a] for a in range(len(x.shape))]
    normed = batch_normalization(x, mean, var, ops.reshape(beta, target), ops.reshape(gamma, target), epsilon)
    if len(gamma.shape) != len(x.shape):
        mean, var = ops.reshape(mean, ops.shape(gamma)), ops.reshape(var, ops.shape(gamma))
    if _theano(keras1_backend):
        var = var + epsilon
    return normed, mean, var


def moving_average_update(variable, value, momentum):
    """Keras 1's update pair ``(variable, variable * momentum + value * (1 - momentum))``, for
    ``K.function(updates=...)`` and a layer's ``updates`` (not assigned here)."""
    return variable, variable * momentum + value * (1.0 - momentum)


def ctc_batch_cost(y_true, y_pred, input_length, label_length, *, keras1_backend=None):
    """Keras 1's ``K.ctc_batch_cost``: the CTC loss of each sample, shape ``(samples, 1)``.

    ``y_pred`` (samples, time, classes) holds probabilities, the last class being the blank;
    ``y_true`` (samples, max label length) the labels; ``input_length`` and ``label_length``
    (samples, 1) the lengths used. Keras 1 on TensorFlow computed ``-log p(labels)`` from
    ``log(y_pred + 1e-8)``. Keras 1 on Theano (``keras1_backend='theano'``) smoothed each
    probability to ``(1 - 1e-4) p + 1e-4 / (2 * label_length + 1)`` and summed the paths through
    every time step, which adds ``-log(input_length)``; its result had shape (1, samples)."""
    target = ops.cast(y_true, "int32")
    label_length = ops.cast(ops.reshape(label_length, (-1,)), "int32")
    input_length = ops.cast(ops.reshape(input_length, (-1,)), "int32")
    blank = y_pred.shape[-1] - 1
    if not _theano(keras1_backend):
        loss = ops.ctc_loss(target, ops.log(y_pred + 1e-8), label_length, input_length, mask_index=blank)
        return ops.expand_dims(loss, 1)
    alpha = 1e-4
    path_length = ops.cast(2 * label_length + 1, y_pred.dtype)
    p = (1.0 - alpha) * y_pred + alpha / ops.reshape(path_length, (-1, 1, 1))
    loss = ops.ctc_loss(target, ops.log(p), label_length, input_length, mask_index=blank)
    # ctc_loss normalises each step (a log-softmax); the smoothed p did not sum to 1.
    steps = ops.arange(ops.shape(y_pred)[1])[None, :] < input_length[:, None]
    norms = ops.sum(ops.where(steps, ops.log(ops.sum(p, axis=-1)), 0.0), axis=1)
    loss = loss - norms - ops.log(ops.cast(input_length, y_pred.dtype))
    return ops.expand_dims(loss, 1)


def print_tensor(x, message=""):
    """Keras 1's ``K.print_tensor``: ``x``, printing ``message`` and its value when computed
    (``tf.print`` on TensorFlow, so it also prints inside compiled functions); symbolic
    tensors print when the layer holding them runs."""
    if isinstance(x, keras.KerasTensor):
        return x
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.print(message, x)
    elif backend == "jax":
        import jax

        jax.debug.print(message + "{}", x)
    else:
        print(message, ops.convert_to_numpy(x))
    return x


def is_sparse(tensor):
    """Whether ``tensor`` is a sparse tensor of the backend."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return isinstance(tensor, tf.SparseTensor)
    return bool(getattr(tensor, "is_sparse", False)) or type(tensor).__name__ == "BCOO"


def is_keras_tensor(x):
    """Keras 1's ``K.is_keras_tensor``: True for what carried Keras 1's shape metadata, variables
    included (``K.variable``, placeholders, layer outputs); Keras 3's ``is_keras_tensor`` is
    True for symbolic tensors only."""
    return isinstance(x, (keras.KerasTensor, keras.Variable))


def ndim(x):
    """Keras 1's ``K.ndim``: a Python int, for symbolic tensors too (``keras.ops.ndim`` of a
    KerasTensor is itself symbolic, so ``assert K.ndim(x) == 4`` would fail)."""
    return len(ops.shape(x))


def count_params(x):
    """The number of scalars in ``x``."""
    return int(np.prod(ops.shape(x)))


def cast_to_floatx(x):
    """A NumPy array of ``x`` in ``keras.config.floatx()``."""
    return np.asarray(x, dtype=keras.config.floatx())


def batch_get_value(xs):
    """The NumPy values of a list of variables."""
    return [ops.convert_to_numpy(x) for x in xs]


def batch_set_value(tuples):
    """Assign each ``(variable, NumPy value)`` pair."""
    for x, value in tuples:
        x.assign(value)
