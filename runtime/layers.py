"""Convolution layers that run ``data_format='channels_first'`` on TensorFlow's CPU kernels.

Keras 1 'th' models are channels-first throughout. Keras 3 keeps ``channels_first``,
but on the TensorFlow backend it hands the layout to TensorFlow's convolution ops,
whose CPU kernels refuse NCHW: ``keras.layers.Conv2D``, ``Conv2DTranspose`` and
``ConvLSTM2D`` with ``channels_first`` fail in call, predict and fit on a CPU
(pooling, ``Conv3D``, ``SeparableConv2D`` and ``UpSampling2D`` do not).

The classes here are the Keras 3 layers with one change: on the TensorFlow backend,
with ``channels_first``, each *convolution op* is run channels-last (input transposed
before, result transposed back). Everything else is the parent's: weights keep Keras 3's
kernel layout (so weight files load the same), and every tensor outside the convolution
(bias, activation, RNN states, dropout masks, outputs) stays channels-first. Elsewhere
(other backends, ``channels_last``) they are exactly the parent classes.
"""
from __future__ import annotations

import functools

import keras
from keras import ops


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


@keras.saving.register_keras_serializable(package="k1port")
class Conv2D(keras.layers.Conv2D):
    """``keras.layers.Conv2D`` that also runs ``channels_first`` on TensorFlow's CPU.

    Supplies Keras 1's ``Convolution2D(..., dim_ordering='th')`` (and
    ``AtrousConvolution2D``) where Keras 3 fails: see the module docstring.
    """

    def convolution_op(self, inputs, kernel):
        if not _needs_channels_last(self.data_format):
            return super().convolution_op(inputs, kernel)
        return _channels_last_op(ops.conv, inputs, kernel, strides=list(self.strides),
                                 padding=self.padding, dilation_rate=self.dilation_rate)


@keras.saving.register_keras_serializable(package="k1port")
class Conv2DTranspose(keras.layers.Conv2DTranspose):
    """``keras.layers.Conv2DTranspose`` that also runs ``channels_first`` on TensorFlow's CPU.

    Supplies Keras 1's ``Deconvolution2D(..., dim_ordering='th')`` where Keras 3 fails:
    see the module docstring.
    """

    def call(self, inputs):
        if not _needs_channels_last(self.data_format):
            return super().call(inputs)
        # The parent's call with only the convolution computed channels-last (Keras 3's
        # Conv2DTranspose has no convolution_op hook to override).
        outputs = _channels_last_op(ops.conv_transpose, inputs, self.kernel, strides=list(self.strides),
                                    padding=self.padding, output_padding=self.output_padding,
                                    dilation_rate=self.dilation_rate)
        if self.use_bias:
            outputs = ops.add(outputs, ops.reshape(self.bias, (1, self.filters) + (1,) * self.rank))
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


class _ChannelsLastConvs:
    """ConvLSTM cell methods: the input and recurrent convolutions computed channels-last."""

    def input_conv(self, x, w, b=None, padding="valid"):
        out = _channels_last_op(ops.conv, x, w, strides=self.strides, padding=padding,
                                dilation_rate=self.dilation_rate)
        if b is not None:
            out = ops.add(out, ops.reshape(b, (1, self.filters) + (1,) * self.rank))
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


__all__ = ["Conv2D", "Conv2DTranspose", "ConvLSTM2D"]
