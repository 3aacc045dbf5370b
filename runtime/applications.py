"""Keras 1's ``keras.applications`` for channels-first (``'th'``) programs.

Keras 1 built VGG16, VGG19, ResNet50 and InceptionV3 in the image dimension ordering of
``keras.json``: a ``'th'`` program fed them ``(3, rows, cols)`` images and read channels-first
feature maps off their layers (``model.get_layer('block5_conv1').output``). Keras 3's
applications follow ``keras.config.image_data_format()``, and TensorFlow's CPU kernels refuse
channels-first convolutions, so these builders make Keras 3's channels-last network (with its
ImageNet weights when asked) and re-lay it channels-first: the same layers, names and weights,
the convolutions as :class:`k1port.runtime.Conv2D` (channels-first on every backend), the
batch normalisation and concatenation axes moved to 1, and the rows of a ``Dense`` that
follows ``Flatten`` permuted, since Keras 1 flattened ``(channels, rows, cols)``. The result
computes what the channels-last network computes, transposed.

``dim_ordering='tf'`` (or ``'default'`` while :func:`k1port.runtime.image_dim_ordering` says
``'tf'``) returns Keras 3's network unchanged. Xception was channels-last in Keras 1 whatever
the ordering, so converted code calls Keras 3's directly.
"""
from __future__ import annotations

import keras
import numpy as np

from k1port.runtime.config import image_dim_ordering
from k1port.runtime.layers import Conv2D

__all__ = ["VGG16", "VGG19", "ResNet50", "InceptionV3", "channels_first_model"]


def _application(build, include_top, weights, input_tensor, input_shape, classes, dim_ordering):
    if dim_ordering == "default":
        dim_ordering = image_dim_ordering()
    if dim_ordering not in ("th", "tf"):
        raise ValueError(f"dim_ordering must be 'th', 'tf' or 'default'; got {dim_ordering!r}")
    if dim_ordering == "tf":
        return build(include_top=include_top, weights=weights, input_tensor=input_tensor,
                     input_shape=input_shape, classes=classes)
    if input_tensor is not None and input_shape is None:
        input_shape = tuple(keras.ops.shape(input_tensor))[1:]
    if input_shape is not None and len(input_shape) != 3:
        raise ValueError(f"`input_shape` must be a tuple of three integers; got {input_shape!r}")
    last = None if input_shape is None else (*input_shape[1:], input_shape[0])
    model = build(include_top=include_top, weights=weights, input_shape=last, classes=classes)
    return channels_first_model(model, input_tensor)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, classes=1000,
          dim_ordering="default"):
    """Keras 1's ``keras.applications.VGG16``; ``dim_ordering`` stands for keras.json's."""
    return _application(keras.applications.VGG16, include_top, weights, input_tensor, input_shape,
                        classes, dim_ordering)


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, classes=1000,
          dim_ordering="default"):
    """Keras 1's ``keras.applications.VGG19``; ``dim_ordering`` stands for keras.json's."""
    return _application(keras.applications.VGG19, include_top, weights, input_tensor, input_shape,
                        classes, dim_ordering)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, classes=1000,
             dim_ordering="default"):
    """Keras 3's ResNet50 in Keras 1's ordering. Keras 3's network is not Keras 1.2.2's (see
    docs/applications.md); k1port reports that where it converts the call."""
    return _application(keras.applications.ResNet50, include_top, weights, input_tensor, input_shape,
                        classes, dim_ordering)


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, classes=1000,
                dim_ordering="default"):
    """Keras 3's InceptionV3 in Keras 1's ordering. Keras 3's network is not Keras 1.2.2's (see
    docs/applications.md); k1port reports that where it converts the call."""
    return _application(keras.applications.InceptionV3, include_top, weights, input_tensor, input_shape,
                        classes, dim_ordering)


# Layers whose computation does not depend on the image ordering.
_ORDER_FREE = (keras.layers.Dense, keras.layers.Activation, keras.layers.Add, keras.layers.Dropout,
               keras.layers.Flatten, keras.layers.ReLU)
# Layers that take Keras 3's data_format argument.
_DATA_FORMAT = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D, keras.layers.ZeroPadding2D,
                keras.layers.GlobalAveragePooling2D, keras.layers.GlobalMaxPooling2D)
# Layers with a channel axis (3 or -1 in a channels-last image network).
_AXIS = (keras.layers.BatchNormalization, keras.layers.Concatenate)


def _channels_first_layer(layer):
    config = layer.get_config()
    if type(layer) is keras.layers.Conv2D:
        return Conv2D.from_config({**config, "data_format": "channels_first"})
    if isinstance(layer, _DATA_FORMAT):
        return type(layer).from_config({**config, "data_format": "channels_first"})
    if isinstance(layer, _AXIS):
        axis = config["axis"]
        if axis not in (3, -1, [3], [-1]):
            raise ValueError(f"{layer.name}: channel axis {axis!r} is not the channels-last image axis")
        return type(layer).from_config({**config, "axis": 1})
    if isinstance(layer, _ORDER_FREE):
        return type(layer).from_config(config)
    raise ValueError(f"cannot lay {type(layer).__name__} layer {layer.name!r} out channels-first")


def _flattened_from(layer):
    """The (rows, cols, channels) shape a Dense's input was flattened from, else None."""
    parent = layer._inbound_nodes[0].parent_nodes
    if len(parent) == 1 and isinstance(parent[0].operation, keras.layers.Flatten):
        shape = parent[0].operation.input.shape
        return shape[1:] if len(shape) == 4 else None
    return None


def channels_first_model(model, input_tensor=None):
    """A channels-last image network, re-laid to take and give channels-first tensors, with
    the same weights: ``(N, C, H, W)`` in, Keras 1's ``'th'`` layouts out (see the module
    docstring). ``input_tensor``: a Keras tensor to build the network on (Keras 1's argument)."""
    rows, cols, channels = model.input.shape[1:]
    if input_tensor is None:
        input_tensor = keras.Input(shape=(channels, rows, cols))
    elif not isinstance(input_tensor, keras.KerasTensor):
        input_tensor = keras.Input(tensor=input_tensor, shape=(channels, rows, cols))
    clone = keras.models.clone_model(model, input_tensors=input_tensor, clone_function=_channels_first_layer)
    for source in model.layers:
        if not source.weights:
            continue
        weights = source.get_weights()
        flat = _flattened_from(source) if isinstance(source, keras.layers.Dense) else None
        if flat is not None:  # rows in (rows, cols, channels) order -> (channels, rows, cols)
            weights[0] = weights[0].reshape(*flat, -1).transpose(2, 0, 1, 3).reshape(weights[0].shape)
        clone.get_layer(source.name).set_weights(weights)
    return clone
