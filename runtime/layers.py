"""Convolution layers that run ``data_format='channels_first'`` on TensorFlow's CPU kernels.

Keras 1 'th' models are channels-first throughout. Keras 3 keeps ``channels_first``,
but on the TensorFlow backend it hands the layout to TensorFlow's convolution ops,
whose CPU kernels refuse NCHW: ``keras.layers.Conv2D``, ``Conv2DTranspose`` and
``ConvLSTM2D`` with ``channels_first`` fail in call, predict and fit on a CPU
(pooling, ``Conv3D``, ``SeparableConv2D`` and ``UpSampling2D`` do not).

The convolutions here are the Keras 3 layers with this change: on the TensorFlow backend,
with ``channels_first``, each *convolution op* is run channels-last (input transposed
before, result transposed back). Everything else is the parent's: weights keep Keras 3's
kernel layout (so weight files load the same), and every tensor outside the convolution
(bias, activation, RNN states, dropout masks, outputs) stays channels-first. Elsewhere
(other backends, ``channels_last``) they are exactly the parent classes.

``keras1_backend='theano'``: Keras 1 on Theano computed ``border_mode='same'`` with other
paddings than Keras 3 (see :mod:`.theano_padding` for the rules). ``Conv1D``, ``Conv2D``,
``Conv3D``, ``Conv2DTranspose`` and the ``MaxPooling``/``AveragePooling`` 1D/2D/3D layers here
take ``keras1_backend=None|'theano'|'tensorflow'``; with ``'theano'`` and ``padding='same'``
they compute what Keras 1 on Theano did (same shapes and values; the input is padded
explicitly and the op runs 'valid'). Otherwise (None, 'tensorflow', other paddings) they are
the parent layers (``Conv1D``, like ``Conv2D``, also runs ``channels_first`` on TensorFlow's
CPU). Weights keep Keras 3's layout; ``get_config`` includes ``keras1_backend``.

Channels-first biases on TensorFlow: Keras 3's ``ops.add`` there adds a ``(1, C, 1, ...)``
bias along the last axis whenever that axis also has C entries (see :func:`_add_bias`), so
``keras.layers.Conv3D(4, 3, data_format='channels_first')`` on a ``(.., 6, 6, 6)`` input
is wrong. The convolutions here add their bias with ``+`` instead wherever they run
channels-first on TensorFlow (and in Theano mode).
"""
from __future__ import annotations

import functools

import keras
from keras import ops

from k1port.runtime.theano_padding import (
    check_keras1_backend,
    conv_padding,
    deconv_is_consistent,
    deconv_output_length,
    pad_width,
    pool_padding,
)


def _needs_channels_last(data_format) -> bool:
    """True where a channels-first convolution must run channels-last."""
    return data_format == "channels_first" and keras.backend.backend() == "tensorflow"


def _channels_last_op(op, inputs, kernel, **kwargs):
    """``op(inputs, kernel, data_format='channels_first', **kwargs)``, computed channels-last."""
    rank = len(inputs.shape) - 2
    to_last = (0, *range(2, rank + 2), 1)
    to_first = (0, rank + 1, *range(1, rank + 1))
    outputs = op(ops.transpose(inputs, to_last), kernel, data_format="channels_last", **kwargs)
    return ops.transpose(outputs, to_first)


def _add_bias(outputs, bias, data_format):
    """``outputs`` plus ``bias`` along the channel axis.

    Not ``ops.add``: on TensorFlow, Keras 3's ``add`` (backend/tensorflow/numpy.py) turns an
    add of a ``(1, C, 1, ...)`` operand into ``tf.nn.bias_add`` and picks NHWC whenever the
    LAST axis also has C entries, adding a channels-first bias along the last spatial axis.
    The ``+`` operator broadcasts plainly (Keras' own ConvLSTM cell adds its bias so too).
    """
    rank = len(outputs.shape) - 2
    if data_format == "channels_first":
        shape = (1, -1) + (1,) * rank
    else:
        shape = (1,) * (rank + 1) + (-1,)
    return outputs + ops.reshape(bias, shape)


class _Keras1Backend:
    """``keras1_backend`` constructor argument and config entry; ``_theano_same`` is True
    where the layer must compute Theano's 'same'."""

    def __init__(self, *args, keras1_backend=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keras1_backend = check_keras1_backend(keras1_backend)

    @property
    def _theano_same(self) -> bool:
        return self.keras1_backend == "theano" and str(self.padding).lower() == "same"

    def get_config(self):
        return {**super().get_config(), "keras1_backend": self.keras1_backend}


class _Convolution(_Keras1Backend):
    """``convolution_op`` with Theano's 'same' (an explicit padding, then 'valid') and, where
    ``_channels_last_on_tf``, channels-first run channels-last on TensorFlow; ``call`` adds
    the bias with :func:`_add_bias` wherever it is not the parent's."""

    _channels_last_on_tf = False

    def call(self, inputs):
        channels_first_tf = self.data_format == "channels_first" and keras.backend.backend() == "tensorflow"
        if self.padding == "causal" or not (self._theano_same or channels_first_tf):
            return super().call(inputs)
        # BaseConv.call (Keras 3's Conv1D.call bypasses convolution_op) with a safe bias add.
        outputs = self.convolution_op(inputs, self.kernel)
        if self.use_bias:
            outputs = _add_bias(outputs, self.bias, self.data_format)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def convolution_op(self, inputs, kernel):
        channels_last = self._channels_last_on_tf and _needs_channels_last(self.data_format)
        if not self._theano_same and not channels_last:
            return super().convolution_op(inputs, kernel)
        padding = self.padding
        if self._theano_same:
            pads = [conv_padding(k, d) for k, d in zip(self.kernel_size, self.dilation_rate)]
            inputs = ops.pad(inputs, pad_width(pads, self.data_format))
            padding = "valid"
        kwargs = dict(strides=list(self.strides), padding=padding, dilation_rate=self.dilation_rate)
        if channels_last:
            return _channels_last_op(ops.conv, inputs, kernel, **kwargs)
        return ops.conv(inputs, kernel, data_format=self.data_format, **kwargs)


@keras.saving.register_keras_serializable(package="k1port")
class Conv1D(_Convolution, keras.layers.Conv1D):
    """``keras.layers.Conv1D`` with ``keras1_backend`` (Theano's 'same' of Keras 1's
    ``Convolution1D``/``AtrousConvolution1D``); also runs ``channels_first`` on TensorFlow's CPU."""

    _channels_last_on_tf = True


@keras.saving.register_keras_serializable(package="k1port")
class Conv2D(_Convolution, keras.layers.Conv2D):
    """``keras.layers.Conv2D`` that also runs ``channels_first`` on TensorFlow's CPU.

    Supplies Keras 1's ``Convolution2D(..., dim_ordering='th')`` (and
    ``AtrousConvolution2D``) where Keras 3 fails: see the module docstring.
    ``keras1_backend='theano'``: Theano's 'same'.
    """

    _channels_last_on_tf = True


@keras.saving.register_keras_serializable(package="k1port")
class Conv3D(_Convolution, keras.layers.Conv3D):
    """``keras.layers.Conv3D`` with ``keras1_backend`` (Theano's 'same' of Keras 1's
    ``Convolution3D``). TensorFlow's CPU runs channels-first 3-D convolutions itself, but
    3.7 times slower than channels-last (benchmarks/runtime_overhead.py): they run
    channels-last too; the bias is added as in the module docstring."""

    _channels_last_on_tf = True


@keras.saving.register_keras_serializable(package="k1port")
class Conv2DTranspose(_Keras1Backend, keras.layers.Conv2DTranspose):
    """``keras.layers.Conv2DTranspose`` that also runs ``channels_first`` on TensorFlow's CPU.

    Supplies Keras 1's ``Deconvolution2D(..., dim_ordering='th')`` where Keras 3 fails:
    see the module docstring. ``keras1_backend='theano'`` with ``padding='same'``: Theano's
    'same' deconvolution of the output size Keras 3 computes (``output_padding``), including
    Keras 1's cut of even-kernel axes to ``ceil(input / stride)``; even kernels need an
    explicit ``output_padding`` (Theano refused the size ``input * stride``).

    ``output_shape``: Keras 1's ``Deconvolution2D`` argument, the whole output shape
    (``(batch, rows, cols, filters)`` 'tf', ``(batch, filters, rows, cols)`` 'th'): a stride
    leaves several output sizes possible and Keras 1 took the one asked for. Keras 3 selects
    it with ``output_padding``, computed here from the input size when the layer is built
    (it must lie in ``[0, stride)``, the sizes Keras 1's backends accepted too).
    """

    def __init__(self, *args, output_shape=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_shape_keras1 = None if output_shape is None else tuple(output_shape)
        if self.output_shape_keras1 is None:
            self._check_theano_same()

    def build(self, input_shape):
        if self.output_shape_keras1 is not None and self.output_padding is None:
            self.output_padding = self._output_padding(input_shape)
            self._check_theano_same()
        super().build(input_shape)

    def _output_padding(self, input_shape):
        """The output_padding giving Keras 1's output_shape (None where a size is unknown)."""
        axes = self._spatial_axes()
        if any(input_shape[a] is None or self.output_shape_keras1[a] is None for a in axes):
            return None
        default = super().compute_output_shape(input_shape)
        if all(default[a] == self.output_shape_keras1[a] for a in axes):
            return None  # Keras 3's own size (even 'same' kernels: input * stride)
        paddings = []
        for axis, k, s in zip(axes, self.kernel_size, self.strides):
            n, wanted = input_shape[axis], self.output_shape_keras1[axis]
            pad = k // 2 if self.padding == "same" else 0
            p = wanted - ((n - 1) * s + k - 2 * pad)
            if not 0 <= p < s:
                raise ValueError(
                    f"Conv2DTranspose(output_shape={self.output_shape_keras1}): an input of {n} positions "
                    f"with kernel {k}, stride {s} and padding {self.padding!r} gives "
                    f"{(n - 1) * s + k - 2 * pad} to {(n - 1) * s + k - 2 * pad + s - 1} positions, "
                    f"not {wanted}")
            paddings.append(p)
        return tuple(paddings)

    def get_config(self):
        config = super().get_config()
        if self.output_shape_keras1 is not None:
            config["output_shape"] = self.output_shape_keras1
        return config

    def _check_theano_same(self):
        if self._theano_same:
            if any(d != 1 for d in self.dilation_rate):
                raise ValueError("Conv2DTranspose(keras1_backend='theano', padding='same') supports "
                                 "dilation_rate=1 only (Keras 1's Deconvolution2D had no dilation)")
            paddings = self.output_padding or (None,) * self.rank
            for k, s, p in zip(self.kernel_size, self.strides, paddings):
                if not deconv_is_consistent(k, s, p):
                    raise ValueError(
                        f"Conv2DTranspose(kernel_size={self.kernel_size}, padding='same', "
                        "keras1_backend='theano'): Keras 1 on Theano could not compute an output "
                        "of input * strides positions with an even kernel (CorrMM shape "
                        "inconsistency); give output_padding (the Keras 1 output_shape was "
                        "(input - 1) * strides + output_padding along even-kernel axes)")

    def _spatial_axes(self):
        return tuple(range(2, 2 + self.rank)) if self.data_format == "channels_first" \
            else tuple(range(1, 1 + self.rank))

    def compute_output_shape(self, input_shape):
        shape = super().compute_output_shape(input_shape)
        if not self._theano_same:
            return shape
        shape = list(shape)
        for axis, k, s in zip(self._spatial_axes(), self.kernel_size, self.strides):
            shape[axis] = deconv_output_length(input_shape[axis], k, s, shape[axis])
        return shape

    def _convolution(self, inputs, padding, output_padding):
        kwargs = dict(strides=list(self.strides), padding=padding, output_padding=output_padding,
                      dilation_rate=self.dilation_rate)
        if _needs_channels_last(self.data_format):
            return _channels_last_op(ops.conv_transpose, inputs, self.kernel, **kwargs)
        return ops.conv_transpose(inputs, self.kernel, data_format=self.data_format, **kwargs)

    def _theano_same_convolution(self, inputs):
        """Theano's 'same' deconvolution: the 'valid' one, cut to the wanted positions."""
        outputs = self._convolution(inputs, "valid", None)  # (n - 1) * s + max(k, s) positions
        sizes = ops.shape(inputs)
        paddings = self.output_padding or (None,) * self.rank
        index = [slice(None)] * (self.rank + 2)
        extra = []
        for axis, k, s, p in zip(self._spatial_axes(), self.kernel_size, self.strides, paddings):
            start = k // 2
            if k % 2 == 0 and s > 1:
                # Keras 1 cut even-kernel axes to ceil(n / s) positions (n: the input size).
                n = sizes[axis]
                length = -(-n // s)
                if isinstance(n, int):
                    length = min(length, (n - 1) * s + p)
                index[axis] = slice(start, start + length)
                extra.append((0, 0))
            else:
                # Keras 3's length (n - 1) * s + c; the 'valid' output has (n - 1) * s + max(k, s).
                c = s if p is None else k % 2 + p
                surplus = start + c - max(k, s)
                index[axis] = slice(start, surplus if surplus < 0 else None)
                extra.append((0, max(surplus, 0)))
        if any(after for _, after in extra):
            outputs = ops.pad(outputs, pad_width(extra, self.data_format))
        return outputs[tuple(index)]

    def call(self, inputs):
        if not self._theano_same and not _needs_channels_last(self.data_format):
            return super().call(inputs)
        # The parent's call with the convolution replaced (Keras 3's Conv2DTranspose has no
        # convolution_op hook to override).
        if self._theano_same:
            outputs = self._theano_same_convolution(inputs)
        else:
            outputs = self._convolution(inputs, self.padding, self.output_padding)
        if self.use_bias:
            outputs = _add_bias(outputs, self.bias, self.data_format)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


class _ChannelsLastConvs:
    """ConvLSTM cell methods: the input and recurrent convolutions computed channels-last."""

    def input_conv(self, x, w, b=None, padding="valid"):
        out = _channels_last_op(ops.conv, x, w, strides=self.strides, padding=padding,
                                dilation_rate=self.dilation_rate)
        if b is not None:
            out = _add_bias(out, b, "channels_first")
        return out

    def recurrent_conv(self, x, w):
        return _channels_last_op(ops.conv, x, w, strides=1, padding="same")


@functools.cache
def _channels_last_cell_class(cell_class):
    return type(cell_class.__name__, (_ChannelsLastConvs, cell_class), {"__module__": __name__})


@keras.saving.register_keras_serializable(package="k1port")
class ConvLSTM2D(keras.layers.ConvLSTM2D):
    """``keras.layers.ConvLSTM2D`` that also runs ``channels_first`` on TensorFlow's CPU.

    Supplies Keras 1's ``ConvLSTM2D(..., dim_ordering='th')`` where Keras 3 fails: see the
    module docstring. Keras 3's ConvLSTM2D builds its cell in its constructor; where the
    convolutions must run channels-last, that cell is given a subclass of its own class
    whose only change is its two convolution methods, so states, masks, dropout and
    ``stateful=True`` work exactly as in the parent.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if _needs_channels_last(self.data_format):
            object.__setattr__(self.cell, "__class__", _channels_last_cell_class(type(self.cell)))


def theano_same_pool(inputs, pool_size, strides, pool_mode, data_format, pads=None):
    """Pooling with Theano's 'same' (``pool_mode`` 'max' or 'average'): the input padded
    explicitly (``pads``: per-axis (before, after), default :func:`pool_padding`'s), the
    padding taking no part, pooled 'valid'."""
    rank = len(pool_size)
    if pads is None:
        pads = [pool_padding(p, rank) for p in pool_size]
    width = pad_width(pads, data_format)
    padded = any(before or after for before, after in pads)
    kwargs = dict(pool_size=pool_size, strides=strides, padding="valid", data_format=data_format)
    if pool_mode == "max":
        # Theano's max skips the padding: pad with -inf, never the maximum of a window
        # (every window holds at least one real element).
        if padded:
            inputs = ops.pad(inputs, width, constant_values=float("-inf"))
        return ops.max_pool(inputs, **kwargs)
    if not padded:
        return ops.average_pool(inputs, **kwargs)
    # 'average_exc_pad': the mean of a window's real elements = mean over the zero-padded
    # input / the fraction of real elements in the window.
    total = ops.average_pool(ops.pad(inputs, width), **kwargs)
    one = inputs[:1, :1] if data_format == "channels_first" else inputs[:1, ..., :1]
    share = ops.average_pool(ops.pad(ops.ones_like(one), width), **kwargs)
    return ops.divide(total, share)


class _Pooling(_Keras1Backend):
    """Pooling with Theano's 'same': see :func:`theano_same_pool`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._theano_same:
            rank = len(self.pool_size)
            self._theano_pads = [pool_padding(p, rank) for p in self.pool_size]

    def call(self, inputs):
        if not self._theano_same:
            return super().call(inputs)
        return theano_same_pool(inputs, self.pool_size, self.strides, self.pool_mode, self.data_format,
                                self._theano_pads)


@keras.saving.register_keras_serializable(package="k1port")
class MaxPooling1D(_Pooling, keras.layers.MaxPooling1D):
    """``keras.layers.MaxPooling1D`` with ``keras1_backend``: see the module docstring."""


@keras.saving.register_keras_serializable(package="k1port")
class MaxPooling2D(_Pooling, keras.layers.MaxPooling2D):
    """``keras.layers.MaxPooling2D`` with ``keras1_backend``: see the module docstring."""


@keras.saving.register_keras_serializable(package="k1port")
class MaxPooling3D(_Pooling, keras.layers.MaxPooling3D):
    """``keras.layers.MaxPooling3D`` with ``keras1_backend``: see the module docstring."""


@keras.saving.register_keras_serializable(package="k1port")
class AveragePooling1D(_Pooling, keras.layers.AveragePooling1D):
    """``keras.layers.AveragePooling1D`` with ``keras1_backend``: see the module docstring."""


@keras.saving.register_keras_serializable(package="k1port")
class AveragePooling2D(_Pooling, keras.layers.AveragePooling2D):
    """``keras.layers.AveragePooling2D`` with ``keras1_backend``: see the module docstring."""


@keras.saving.register_keras_serializable(package="k1port")
class AveragePooling3D(_Pooling, keras.layers.AveragePooling3D):
    """``keras.layers.AveragePooling3D`` with ``keras1_backend``: see the module docstring."""


__all__ = ["Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose", "ConvLSTM2D",
           "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
           "AveragePooling1D", "AveragePooling2D", "AveragePooling3D"]
