"""keras.layers.convolutional and .pooling: Convolution*, Deconvolution2D, pooling, padding."""
from __future__ import annotations

import libcst as cst

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.common import BORDER_MODE, DIM_ORDERING, RT, WEIGHT_ARGS, input_fold, layer
from k1port.rules.spec import Arg, Fold, rename

F = "convolutional"
P = "pooling"
KERNEL_2D = Fold(("nb_row", "nb_col"), "kernel_size", v.tuple_of("nb_row", "nb_col"))
KERNEL_3D = Fold(("kernel_dim1", "kernel_dim2", "kernel_dim3"), "kernel_size",
                 v.tuple_of("kernel_dim1", "kernel_dim2", "kernel_dim3"))
CONV = {"nb_filter": rename("filters"), **WEIGHT_ARGS, "border_mode": BORDER_MODE,
        "subsample": rename("strides"), "dim_ordering": DIM_ORDERING}
CONV_1D = {"nb_filter": rename("filters"), "filter_length": rename("kernel_size"), **WEIGHT_ARGS,
           "border_mode": BORDER_MODE, "subsample_length": rename("strides")}


def _zero_padding_2d(node, ctx):
    """Keras 1.2 ZeroPadding2D also took (top, bottom, left, right) and a dict of pads."""
    if isinstance(node, (cst.Tuple, cst.List)) and len(node.elements) == 4:
        e = [el.value for el in node.elements]
        return v.make_tuple([v.make_tuple(e[:2]), v.make_tuple(e[2:])])
    if isinstance(node, cst.Dict):
        pads = {v.string(el.key): el.value for el in node.elements if isinstance(el, cst.DictElement)}
        zero = cst.Integer("0")
        get = lambda k: pads.get(k, zero)  # noqa: E731
        return v.make_tuple([v.make_tuple([get("top_pad"), get("bottom_pad")]),
                             v.make_tuple([get("left_pad"), get("right_pad")])])
    return node


def _output_shape(node, ctx):
    ctx.report(Level.WARNING, "dropped-argument",
               "Deconvolution2D(output_shape=...) dropped: Keras 3 computes the output shape "
               "((in - 1) * stride + kernel for 'valid', in * stride for 'same'); check it matches")
    return None


RULES = [
    layer("Convolution1D", "Conv1D", CONV_1D, folds=(input_fold("input_length", "input_dim"),), family=F),
    layer("AtrousConvolution1D", "Conv1D", {**CONV_1D, "atrous_rate": rename("dilation_rate")},
          folds=(input_fold("input_length", "input_dim"),), family=F),
    layer("Convolution2D", "Conv2D", CONV, folds=(KERNEL_2D,), channels_first=RT + "Conv2D", family=F),
    layer("AtrousConvolution2D", "Conv2D", {**CONV, "atrous_rate": rename("dilation_rate")},
          folds=(KERNEL_2D,), channels_first=RT + "Conv2D", family=F),
    layer("SeparableConvolution2D", "SeparableConv2D",
          {**CONV, "init": Arg("depthwise_initializer", v.initializer, also=("pointwise_initializer",)),
           "depthwise_regularizer": rename("depthwise_regularizer"),
           "pointwise_regularizer": rename("pointwise_regularizer"),
           "depthwise_constraint": rename("depthwise_constraint"),
           "pointwise_constraint": rename("pointwise_constraint")},
          folds=(KERNEL_2D,), family=F),
    layer("Deconvolution2D", "Conv2DTranspose", {**CONV, "output_shape": Arg("output_shape", _output_shape)},
          folds=(KERNEL_2D,), channels_first=RT + "Conv2DTranspose", family=F),
    layer("Convolution3D", "Conv3D", CONV, folds=(KERNEL_3D,), family=F),
    layer("UpSampling1D", args={"length": rename("size")}, family=F),
    layer("UpSampling2D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("UpSampling3D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("ZeroPadding1D", family=F),
    layer("ZeroPadding2D", args={"padding": rename("padding", _zero_padding_2d), "dim_ordering": DIM_ORDERING},
          family=F),
    layer("ZeroPadding3D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("Cropping1D", family=F),
    layer("Cropping2D", args={"dim_ordering": DIM_ORDERING}, family=F),
    layer("Cropping3D", args={"dim_ordering": DIM_ORDERING}, family=F),
]
POOL_1D = {"pool_length": rename("pool_size"), "stride": rename("strides"), "border_mode": BORDER_MODE}
POOL = {"border_mode": BORDER_MODE, "dim_ordering": DIM_ORDERING}
RULES += [
    layer("MaxPooling1D", args=POOL_1D, family=P),
    layer("AveragePooling1D", args=POOL_1D, family=P),
    layer("MaxPooling2D", args=POOL, family=P),
    layer("AveragePooling2D", args=POOL, family=P),
    layer("MaxPooling3D", args=POOL, family=P),
    layer("AveragePooling3D", args=POOL, family=P),
    layer("GlobalMaxPooling1D", family=P),
    layer("GlobalAveragePooling1D", family=P),
    layer("GlobalMaxPooling2D", args={"dim_ordering": DIM_ORDERING}, family=P),
    layer("GlobalAveragePooling2D", args={"dim_ordering": DIM_ORDERING}, family=P),
    layer("GlobalMaxPooling3D", args={"dim_ordering": DIM_ORDERING}, family=P),
    layer("GlobalAveragePooling3D", args={"dim_ordering": DIM_ORDERING}, family=P),
]
