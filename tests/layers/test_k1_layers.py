"""Every Keras 1 layer k1port converts: the converted call, run with Keras 3, builds a layer
whose configuration means what the Keras 1.2.2 call meant.

Each case: a Keras 1 constructor call, the Keras 3 config / attributes it must produce
(written from Keras 1.2.2's signatures and defaults, see /tmp/k1src/keras/layers), and the
per-sample output shape Keras 1 produced for a given input, computed by hand:

  conv 'valid': (n - k) // s + 1        conv 'same': ceil(n / s)
  dilated kernel: k + (k - 1) (rate - 1)
  deconv 'valid': (n - 1) s + k         deconv 'same': n s
  pooling: strides default to the pool size

`dim` is Options(image_dim_ordering=...): what Keras 1's dim_ordering='default' read from
keras.json.
"""
from __future__ import annotations

import numpy as np
import pytest

from k1layers_harness import (GLOROT, HARD_SIGMOID, K1_ACT, K1_INIT, LINEAR, NO_CON, NO_REG, ONES,
                              ORTH, TANH, ZEROS, Case, Con, Drawn, L, Reg, k1_maxnorm,
                              k1_nonneg, k1_unitnorm, k1src, keras, run_case)

CF, CL = "channels_first", "channels_last"


# -- numeric references (Keras 1 semantics, numpy) -----------------------------------------
def same_as(ref, rtol=1e-5, atol=1e-5):
    def check(layer, x, y):
        np.testing.assert_allclose(y, ref(x.astype("float64")), rtol=rtol, atol=atol)

    return check


def pool(x, size, strides, axes, op):
    """'valid' pooling of x over `axes` (Keras 1: windows of `size` every `strides`)."""
    out = x
    for ax, k, s in zip(axes, size, strides):
        n = (out.shape[ax] - k) // s + 1
        out = np.stack([op(np.take(out, range(i * s, i * s + k), axis=ax), axis=ax) for i in range(n)], axis=ax)
    return out


def spatial_pattern(channel_axis):
    """SpatialDropout drops whole feature maps: in training, every (sample, channel) slice
    is either all zero or all 1 / (1 - p)."""

    def check(layer, x, y):
        ones = np.ones(x.shape, dtype="float32")
        out = keras().ops.convert_to_numpy(layer(ones, training=True))
        moved = np.moveaxis(out, channel_axis, 1).reshape(out.shape[0], out.shape[channel_axis], -1)
        assert np.all(moved.max(axis=-1) == moved.min(axis=-1)), "not dropped per feature map"
        assert (moved == 0).any() and (moved > 0).any()

    return check


def k1_bn_inference(eps, axis=-1):
    # Keras 1 mode 0 at test time: (x - running_mean) / sqrt(running_var + eps) * gamma + beta
    # with running_mean = 0, running_var = 1, gamma = 1, beta = 0 before any training.
    return lambda x: x / np.sqrt(1.0 + eps)


CASES: list[Case] = []


def add(*cases: Case) -> None:
    CASES.extend(cases)


# -- core -------------------------------------------------------------------------------------
add(
    Case("Dense-defaults", L("Dense(7)"),
         {"units": 7, "activation": LINEAR, "use_bias": True, "kernel_initializer": GLOROT,
          "bias_initializer": ZEROS, "kernel_regularizer": NO_REG, "bias_regularizer": NO_REG,
          "activity_regularizer": NO_REG, "kernel_constraint": NO_CON, "bias_constraint": NO_CON},
         (3,), (7,)),
    # Dense(output_dim, init, activation, weights, W_regularizer, ...): positional binding.
    Case("Dense-positional", L("Dense(10, 'uniform', 'relu')"),
         {"units": 10, "kernel_initializer": K1_INIT["uniform"], "activation": K1_ACT["relu"]}, (4,), (10,)),
    Case("Dense-keywords", L(
        "Dense(output_dim=5, init='he_normal', activation='tanh', W_regularizer=l2(0.1), "
        "b_regularizer=l1(0.2), activity_regularizer=activity_l2(0.3), W_constraint=maxnorm(3), "
        "b_constraint=nonneg(), bias=True, input_dim=4)"),
        {"units": 5, "kernel_initializer": K1_INIT["he_normal"], "activation": TANH,
         "kernel_regularizer": Reg(l2=0.1), "bias_regularizer": Reg(l1=0.2),
         "activity_regularizer": Reg(l2=0.3),
         "kernel_constraint": Con(k1_maxnorm(3, 0), "maxnorm(3)"), "bias_constraint": Con(k1_nonneg(), "nonneg")},
        (4,), (5,)),
    Case("Dense-no-bias", L("Dense(3, bias=False)"), {"use_bias": False}, (2,), (3,)),
    Case("Dense-hard_sigmoid", L("Dense(3, activation='hard_sigmoid')"), {"activation": HARD_SIGMOID},
         (2,), (3,)),
    *[Case(f"Dense-init-{name}", L(f"Dense(4, init='{name}')"), {"kernel_initializer": init}, (4,), (4,))
      for name, init in K1_INIT.items()],
    # Activation(activation): every Keras 1 activation name, checked on the layer's output too.
    *[Case(f"Activation-{name}", L(f"Activation('{name}')"), {"activation": act}, (5,), (5,),
           check=same_as(act.ref)) for name, act in K1_ACT.items()],
    Case("Dropout", L("Dropout(0.3)"), {"rate": 0.3}, (4,), (4,), check=same_as(lambda x: x)),
    Case("Dropout-keywords", L("Dropout(p=0.5, noise_shape=None, seed=3)"), {"rate": 0.5, "seed": 3}),
    # SpatialDropout1D: noise_shape (samples, 1, channels).
    Case("SpatialDropout1D", L("SpatialDropout1D(0.5)"), {"rate": 0.5}, (6, 16), (6, 16),
         check=spatial_pattern(2)),
    Case("SpatialDropout2D-th", L("SpatialDropout2D(0.5, dim_ordering='th')"), {"rate": 0.5, "data_format": CF},
         (16, 3, 3), (16, 3, 3), check=spatial_pattern(1)),
    Case("SpatialDropout2D-tf", L("SpatialDropout2D(p=0.5, dim_ordering='tf')"), {"rate": 0.5, "data_format": CL},
         (3, 3, 16), (3, 3, 16), check=spatial_pattern(3)),
    Case("SpatialDropout2D-default-th", L("SpatialDropout2D(0.5)"), {"data_format": CF},
         (16, 3, 3), (16, 3, 3), dim="th", check=spatial_pattern(1)),
    Case("SpatialDropout3D-th", L("SpatialDropout3D(0.5, dim_ordering='th')"), {"data_format": CF},
         (16, 2, 2, 2), (16, 2, 2, 2), check=spatial_pattern(1)),
    # Keras 1 flattened the tensor as laid out, whatever the dim_ordering ('th' models too).
    Case("Flatten-th", L("Flatten()"), {}, (3, 4, 5), (60,), dim="th",
         check=same_as(lambda x: x.reshape(x.shape[0], -1))),
    Case("Reshape", L("Reshape((2, -1))"), {"target_shape": (2, -1)}, (3, 4), (2, 6),
         check=same_as(lambda x: x.reshape(x.shape[0], 2, 6))),
    # Permute dims are 1-indexed (the batch axis is not counted).
    Case("Permute", L("Permute((2, 1))"), {"dims": (2, 1)}, (3, 4), (4, 3),
         check=same_as(lambda x: x.transpose(0, 2, 1))),
    Case("RepeatVector", L("RepeatVector(3)"), {"n": 3}, (4,), (3, 4),
         check=same_as(lambda x: np.repeat(x[:, None, :], 3, axis=1))),
    Case("Lambda", L("Lambda(lambda x: x * 2)"), {}, (3,), (3,), check=same_as(lambda x: 2 * x)),
    Case("Lambda-arguments", L("Lambda(lambda x, k: x * k, arguments={'k': 3})"), {}, (3,), (3,),
         check=same_as(lambda x: 3 * x)),
    # Lambda(function, output_shape, arguments): output_shape passed positionally.
    Case("Lambda-output_shape", L("Lambda(lambda x: x[:, :2], (2,))"), {}, (3,), (2,),
         check=same_as(lambda x: x[:, :2])),
    Case("ActivityRegularization", L("ActivityRegularization(l1=0.1, l2=0.2)"),
         {"l1": 0.1, "l2": 0.2}, (3,), (3,), check=same_as(lambda x: x)),
    Case("ActivityRegularization-defaults", L("ActivityRegularization()"), {"l1": 0.0, "l2": 0.0}),
    # Masking: mask = any(x != mask_value, axis=-1).
    Case("Masking", L("Masking(mask_value=-1.)"), {"mask_value": -1.0}),
    Case("Masking-default", L("Masking()"), {"mask_value": 0.0}, (4, 3), (4, 3),
         check=lambda layer, x, y: np.testing.assert_array_equal(
             keras().ops.convert_to_numpy(layer.compute_mask(np.array([[[0, 0], [1, 0]]], "float32"))),
             [[False, True]])),
)

# -- convolutional ----------------------------------------------------------------------------
add(
    # The brief's example: kernel (nb_row, nb_col) = (3, 5); rows 'same' with stride 2:
    # ceil(9 / 2) = 5; cols ceil(7 / 1) = 7.
    Case("Convolution2D-th-keywords", L(
        "Convolution2D(8, 3, 5, subsample=(2, 1), border_mode='same', dim_ordering='th', "
        "init='he_normal', bias=False, W_regularizer=l2(0.1))"),
        {"filters": 8, "kernel_size": (3, 5), "strides": (2, 1), "padding": "same", "data_format": CF,
         "use_bias": False, "kernel_regularizer": Reg(l2=0.1), "kernel_initializer": K1_INIT["he_normal"],
         "activation": LINEAR, "dilation_rate": (1, 1)},
        (2, 9, 7), (8, 5, 7)),
    # Convolution2D(nb_filter, nb_row, nb_col, init, activation, ...)
    Case("Convolution2D-positional", L("Convolution2D(6, 3, 3, 'he_normal', 'relu')"),
         {"filters": 6, "kernel_size": (3, 3), "kernel_initializer": K1_INIT["he_normal"],
          "activation": K1_ACT["relu"], "padding": "valid", "strides": (1, 1)},
         (10, 10, 2), (8, 8, 6), dim="tf"),
    Case("Convolution2D-defaults-tf", L("Convolution2D(4, 3, 3)"),
         {"kernel_initializer": GLOROT, "activation": LINEAR, "use_bias": True, "bias_initializer": ZEROS,
          "data_format": CL}, (8, 8, 3), (6, 6, 4), dim="tf"),
    Case("Convolution2D-default-th", L("Convolution2D(4, 3, 3)"), {"data_format": CF},
         (3, 8, 8), (4, 6, 6), dim="th"),
    Case("Convolution2D-tf-stride", L("Convolution2D(4, 3, 3, subsample=(2, 2), dim_ordering='tf')"),
         {"strides": (2, 2), "data_format": CL}, (9, 9, 3), (4, 4, 4)),
    Case("Convolution2D-constraints", L(
        "Convolution2D(4, 2, 2, dim_ordering='tf', W_constraint=nonneg(), b_constraint=maxnorm(1.5), "
        "b_regularizer=l1(0.5), activity_regularizer=activity_l1(0.25))"),
        {"kernel_constraint": Con(k1_nonneg(), "nonneg", shape=(2, 2, 3, 4)),
         "bias_constraint": Con(k1_maxnorm(1.5, 0), "maxnorm(1.5)", shape=(4,)),
         "bias_regularizer": Reg(l1=0.5), "activity_regularizer": Reg(l1=0.25)},
        (5, 5, 3), (4, 4, 4)),
    # Effective kernel 3 + 2 * (2 - 1) = 5: 9 - 5 + 1 = 5.
    Case("AtrousConvolution2D-th", L("AtrousConvolution2D(4, 3, 3, atrous_rate=(2, 2), dim_ordering='th')"),
         {"filters": 4, "kernel_size": (3, 3), "dilation_rate": (2, 2), "data_format": CF},
         (1, 9, 9), (4, 5, 5)),
    Case("AtrousConvolution2D-tf-same", L(
        "AtrousConvolution2D(4, 3, 3, atrous_rate=(2, 2), border_mode='same', dim_ordering='tf')"),
        {"dilation_rate": (2, 2), "padding": "same"}, (7, 7, 2), (7, 7, 4)),
    Case("AtrousConvolution1D", L("AtrousConvolution1D(4, 3, atrous_rate=2, input_dim=2, input_length=9)"),
         {"filters": 4, "kernel_size": 3, "dilation_rate": 2}, (9, 2), (5, 4)),
    # ceil(10 / 2) = 5.
    Case("Convolution1D-keywords", L(
        "Convolution1D(6, 3, border_mode='same', subsample_length=2, input_dim=4, input_length=10)"),
        {"filters": 6, "kernel_size": 3, "strides": 2, "padding": "same",
         # Keras 1's kernel was (filter_length, 1, input_dim, nb_filter), its fans read as 'th'.
         "kernel_initializer": Drawn(GLOROT, layout="conv1d"), "activation": LINEAR}, (10, 4), (5, 6)),
    # Convolution1D(nb_filter, filter_length, init, activation, ...)
    Case("Convolution1D-positional", L("Convolution1D(6, 3, 'he_uniform', 'relu')"),
         {"filters": 6, "kernel_size": 3, "kernel_initializer": Drawn(K1_INIT["he_uniform"], layout="conv1d"),
          "activation": K1_ACT["relu"]}, (7, 2), (5, 6)),
    Case("SeparableConvolution2D-tf", L(
        "SeparableConvolution2D(8, 3, 3, depth_multiplier=2, dim_ordering='tf', init='he_uniform', "
        "depthwise_regularizer=l2(0.1), pointwise_regularizer=l1(0.2), b_regularizer=l2(0.3))"),
        {"filters": 8, "kernel_size": (3, 3), "depth_multiplier": 2, "data_format": CL,
         # Keras 1's `init` initialised both the depthwise and the pointwise kernel.
         "depthwise_initializer": K1_INIT["he_uniform"], "pointwise_initializer": K1_INIT["he_uniform"],
         "depthwise_regularizer": Reg(l2=0.1), "pointwise_regularizer": Reg(l1=0.2),
         "bias_regularizer": Reg(l2=0.3)},
        (6, 6, 3), (4, 4, 8)),
    Case("SeparableConvolution2D-th", L("SeparableConvolution2D(8, 3, 3, dim_ordering='th')"),
         {"data_format": CF, "depthwise_initializer": GLOROT, "pointwise_initializer": GLOROT,
          "depth_multiplier": 1}, (3, 6, 6), (8, 4, 4)),
    # Keras 1 took the output shape from output_shape; it equals (6 - 1) * 2 + 3 = 13 here.
    Case("Deconvolution2D-th", L(
        "Deconvolution2D(3, 3, 3, output_shape=(None, 3, 13, 13), subsample=(2, 2), dim_ordering='th')"),
        {"filters": 3, "kernel_size": (3, 3), "strides": (2, 2), "padding": "valid", "data_format": CF},
        (8, 6, 6), (3, 13, 13)),
    Case("Deconvolution2D-tf-same", L(
        "Deconvolution2D(2, 3, 3, (None, 12, 12, 2), subsample=(2, 2), border_mode='same', "
        "dim_ordering='tf')"),
        {"filters": 2, "padding": "same", "data_format": CL}, (6, 6, 4), (12, 12, 2)),
    # A size Keras 3's default does not give: (6 - 1) * 2 + 3 + 1 (output_padding 1).
    Case("Deconvolution2D-output-padding", L(
        "Deconvolution2D(2, 3, 3, (None, 14, 14, 2), subsample=(2, 2), dim_ordering='tf')"),
        {"filters": 2, "padding": "valid", "data_format": CL}, (6, 6, 4), (14, 14, 2)),
    # depth 5 - 2 + 1 = 4; rows/cols (7 - 3) // 2 + 1 = 3.
    Case("Convolution3D-th", L("Convolution3D(4, 2, 3, 3, subsample=(1, 2, 2), dim_ordering='th')"),
         {"filters": 4, "kernel_size": (2, 3, 3), "strides": (1, 2, 2), "data_format": CF,
          "kernel_initializer": GLOROT}, (2, 5, 7, 7), (4, 4, 3, 3)),
    # Convolution3D(nb_filter, kernel_dim1, kernel_dim2, kernel_dim3, init, activation, ...)
    Case("Convolution3D-positional-tf", L("Convolution3D(4, 3, 3, 3, 'uniform', 'relu', border_mode='same')"),
         {"kernel_size": (3, 3, 3), "kernel_initializer": K1_INIT["uniform"], "activation": K1_ACT["relu"],
          "padding": "same", "data_format": CL}, (4, 4, 4, 2), (4, 4, 4, 4), dim="tf"),
    Case("UpSampling1D", L("UpSampling1D(length=3)"), {"size": 3}, (4, 2), (12, 2),
         check=same_as(lambda x: np.repeat(x, 3, axis=1))),
    Case("UpSampling1D-default", L("UpSampling1D()"), {"size": 2}, (4, 2), (8, 2)),
    Case("UpSampling2D-th", L("UpSampling2D(size=(2, 3), dim_ordering='th')"),
         {"size": (2, 3), "data_format": CF}, (2, 3, 4), (2, 6, 12),
         check=same_as(lambda x: np.repeat(np.repeat(x, 2, axis=2), 3, axis=3))),
    Case("UpSampling2D-default-tf", L("UpSampling2D()"), {"size": (2, 2), "data_format": CL},
         (3, 4, 2), (6, 8, 2), dim="tf", check=same_as(lambda x: np.repeat(np.repeat(x, 2, axis=1), 2, axis=2))),
    Case("UpSampling3D-th", L("UpSampling3D(dim_ordering='th')"), {"size": (2, 2, 2), "data_format": CF},
         (2, 2, 3, 4), (2, 4, 6, 8)),
    Case("ZeroPadding1D", L("ZeroPadding1D(2)"), {"padding": (2, 2)}, (5, 3), (9, 3),
         check=same_as(lambda x: np.pad(x, ((0, 0), (2, 2), (0, 0))))),
    Case("ZeroPadding1D-tuple", L("ZeroPadding1D((1, 3))"), {"padding": (1, 3)}, (5, 3), (9, 3),
         check=same_as(lambda x: np.pad(x, ((0, 0), (1, 3), (0, 0))))),
    # A dict gives left_pad / right_pad, a missing key meaning 0.
    Case("ZeroPadding1D-dict", L("ZeroPadding1D(padding={'left_pad': 2})"), {"padding": (2, 0)}, (5, 3), (7, 3),
         check=same_as(lambda x: np.pad(x, ((0, 0), (2, 0), (0, 0))))),
    # (rows, cols) padding symmetric on each side.
    Case("ZeroPadding2D-th", L("ZeroPadding2D((1, 2), dim_ordering='th')"),
         {"padding": ((1, 1), (2, 2)), "data_format": CF}, (2, 4, 5), (2, 6, 9),
         check=same_as(lambda x: np.pad(x, ((0, 0), (0, 0), (1, 1), (2, 2))))),
    # 4-tuple: (top_pad, bottom_pad, left_pad, right_pad).
    Case("ZeroPadding2D-4tuple-tf", L("ZeroPadding2D(padding=(1, 2, 3, 4), dim_ordering='tf')"),
         {"padding": ((1, 2), (3, 4)), "data_format": CL}, (4, 5, 2), (7, 12, 2),
         check=same_as(lambda x: np.pad(x, ((0, 0), (1, 2), (3, 4), (0, 0))))),
    Case("ZeroPadding2D-dict-tf", L("ZeroPadding2D(padding={'top_pad': 2, 'right_pad': 1}, dim_ordering='tf')"),
         {"padding": ((2, 0), (0, 1))}, (4, 5, 2), (6, 6, 2),
         check=same_as(lambda x: np.pad(x, ((0, 0), (2, 0), (0, 1), (0, 0))))),
    Case("ZeroPadding2D-default-th", L("ZeroPadding2D()"), {"padding": ((1, 1), (1, 1)), "data_format": CF},
         (2, 4, 5), (2, 6, 7), dim="th"),
    Case("ZeroPadding3D-th", L("ZeroPadding3D((1, 2, 3), dim_ordering='th')"),
         {"padding": ((1, 1), (2, 2), (3, 3)), "data_format": CF}, (2, 3, 3, 3), (2, 5, 7, 9)),
    Case("Cropping1D", L("Cropping1D((1, 2))"), {"cropping": (1, 2)}, (6, 3), (3, 3),
         check=same_as(lambda x: x[:, 1:-2])),
    Case("Cropping1D-default", L("Cropping1D()"), {"cropping": (1, 1)}, (6, 3), (4, 3)),
    Case("Cropping2D-th", L("Cropping2D(((1, 0), (2, 1)), dim_ordering='th')"),
         {"cropping": ((1, 0), (2, 1)), "data_format": CF}, (2, 5, 6), (2, 4, 3),
         check=same_as(lambda x: x[:, :, 1:, 2:-1])),
    Case("Cropping2D-default-tf", L("Cropping2D()"), {"cropping": ((0, 0), (0, 0)), "data_format": CL},
         (3, 4, 2), (3, 4, 2), dim="tf"),
    Case("Cropping3D-default-tf", L("Cropping3D()"), {"cropping": ((1, 1), (1, 1), (1, 1))},
         (4, 4, 4, 2), (2, 2, 2, 2), dim="tf"),
    Case("Cropping3D-th", L("Cropping3D(((1, 0), (0, 1), (1, 1)), dim_ordering='th')"),
         {"data_format": CF}, (2, 3, 3, 4), (2, 2, 2, 2)),
)

# -- pooling ----------------------------------------------------------------------------------
add(
    # (7 - 3) // 2 + 1 = 3.
    Case("MaxPooling1D-keywords", L("MaxPooling1D(pool_length=3, stride=2)"),
         {"pool_size": 3, "strides": 2, "padding": "valid"}, (7, 2), (3, 2),
         check=same_as(lambda x: pool(x, (3,), (2,), (1,), np.max))),
    # pool_length 2, stride None meaning the pool length.
    Case("MaxPooling1D-defaults", L("MaxPooling1D()"), {"pool_size": 2, "strides": 2}, (6, 2), (3, 2)),
    Case("AveragePooling1D-same", L("AveragePooling1D(2, border_mode='same')"),
         {"pool_size": 2, "strides": 2, "padding": "same"}, (5, 2), (3, 2)),
    Case("AveragePooling1D-defaults", L("AveragePooling1D()"), {"pool_size": 2, "strides": 2}, (6, 2), (3, 2),
         check=same_as(lambda x: pool(x, (2,), (2,), (1,), np.mean))),
    Case("MaxPooling2D-th", L("MaxPooling2D(pool_size=(2, 2), strides=(1, 1), dim_ordering='th')"),
         {"pool_size": (2, 2), "strides": (1, 1), "data_format": CF}, (2, 4, 4), (2, 3, 3),
         check=same_as(lambda x: pool(x, (2, 2), (1, 1), (2, 3), np.max))),
    Case("MaxPooling2D-defaults-tf", L("MaxPooling2D()"),
         {"pool_size": (2, 2), "strides": (2, 2), "padding": "valid", "data_format": CL}, (4, 4, 2), (2, 2, 2),
         dim="tf", check=same_as(lambda x: pool(x, (2, 2), (2, 2), (1, 2), np.max))),
    # strides = pool size 3; 'same': ceil(5 / 3) = 2.
    Case("AveragePooling2D-th-same", L("AveragePooling2D((3, 3), border_mode='same', dim_ordering='th')"),
         {"pool_size": (3, 3), "strides": (3, 3), "padding": "same", "data_format": CF}, (2, 5, 5), (2, 2, 2)),
    Case("AveragePooling2D-defaults", L("AveragePooling2D()"), {"pool_size": (2, 2), "strides": (2, 2)},
         (4, 6, 2), (2, 3, 2), dim="tf", check=same_as(lambda x: pool(x, (2, 2), (2, 2), (1, 2), np.mean))),
    Case("AveragePooling2D-default-th", L("AveragePooling2D()"), {"data_format": CF}, (2, 4, 6), (2, 2, 3),
         dim="th", check=same_as(lambda x: pool(x, (2, 2), (2, 2), (2, 3), np.mean))),
    Case("MaxPooling3D-th", L("MaxPooling3D(dim_ordering='th')"),
         {"pool_size": (2, 2, 2), "strides": (2, 2, 2), "data_format": CF}, (2, 4, 4, 4), (2, 2, 2, 2),
         check=same_as(lambda x: pool(x, (2, 2, 2), (2, 2, 2), (2, 3, 4), np.max))),
    Case("AveragePooling3D-defaults-tf", L("AveragePooling3D()"), {"pool_size": (2, 2, 2), "data_format": CL},
         (4, 4, 2, 3), (2, 2, 1, 3), dim="tf"),
    Case("AveragePooling3D-th-strides", L("AveragePooling3D((2, 2, 2), strides=(1, 1, 1), dim_ordering='th')"),
         {"strides": (1, 1, 1), "data_format": CF}, (2, 3, 3, 3), (2, 2, 2, 2)),
    Case("GlobalMaxPooling1D", L("GlobalMaxPooling1D()"), {}, (5, 3), (3,), check=same_as(lambda x: x.max(axis=1))),
    Case("GlobalAveragePooling1D", L("GlobalAveragePooling1D()"), {}, (5, 3), (3,),
         check=same_as(lambda x: x.mean(axis=1))),
    Case("GlobalMaxPooling2D-th", L("GlobalMaxPooling2D(dim_ordering='th')"), {"data_format": CF}, (3, 4, 5), (3,),
         check=same_as(lambda x: x.max(axis=(2, 3)))),
    Case("GlobalAveragePooling2D-default-th", L("GlobalAveragePooling2D()"), {"data_format": CF}, (3, 4, 5), (3,),
         dim="th", check=same_as(lambda x: x.mean(axis=(2, 3)))),
    Case("GlobalAveragePooling2D-default-tf", L("GlobalAveragePooling2D()"), {"data_format": CL}, (4, 5, 3), (3,),
         dim="tf", check=same_as(lambda x: x.mean(axis=(1, 2)))),
    Case("GlobalMaxPooling3D-th", L("GlobalMaxPooling3D(dim_ordering='th')"), {"data_format": CF},
         (3, 2, 2, 2), (3,), check=same_as(lambda x: x.max(axis=(2, 3, 4)))),
    Case("GlobalAveragePooling3D-tf", L("GlobalAveragePooling3D(dim_ordering='tf')"), {"data_format": CL},
         (2, 2, 2, 3), (3,), check=same_as(lambda x: x.mean(axis=(1, 2, 3)))),
)

# -- recurrent --------------------------------------------------------------------------------
# Keras 1 recurrent defaults: init glorot_uniform, inner_init orthogonal (gain 1.1),
# activation tanh, inner_activation hard_sigmoid (clip(0.2 x + 0.5)), forget_bias_init 'one',
# dropout_W = dropout_U = 0, return_sequences / go_backwards / stateful / unroll False.
RNN_DEFAULTS = {"kernel_initializer": GLOROT, "recurrent_initializer": ORTH, "bias_initializer": ZEROS,
                "activation": TANH, "use_bias": True, "dropout": 0.0, "recurrent_dropout": 0.0,
                "return_sequences": False, "go_backwards": False, "stateful": False, "unroll": False,
                "kernel_regularizer": NO_REG, "recurrent_regularizer": NO_REG, "bias_regularizer": NO_REG}
# LSTM and GRU with consume_less 'cpu' (the default) or 'mem' drew one matrix per gate, and the
# recurrent ones with `init`, not inner_init (Keras 1.2.2 LSTM.build / GRU.build).
K1_CPU_LSTM, K1_CPU_GRU = Drawn(GLOROT, 4), Drawn(GLOROT, 3)
add(
    Case("LSTM-defaults", L("LSTM(5, input_dim=3, input_length=7)"),
         {"units": 5, **RNN_DEFAULTS, "kernel_initializer": K1_CPU_LSTM, "recurrent_initializer": K1_CPU_LSTM,
          "recurrent_activation": HARD_SIGMOID, "unit_forget_bias": True},
         (7, 3), (5,)),
    # LSTM(output_dim, init, inner_init, forget_bias_init, activation, inner_activation, ...)
    # he_normal reads fan_in only, which a gate's block shares with the whole matrix.
    Case("LSTM-positional", L("LSTM(4, 'he_normal', 'orthogonal', 'one', 'relu', 'sigmoid')"),
         {"units": 4, "kernel_initializer": K1_INIT["he_normal"], "recurrent_initializer": K1_INIT["he_normal"],
          "unit_forget_bias": True, "activation": K1_ACT["relu"], "recurrent_activation": K1_ACT["sigmoid"]},
         (5, 3), (4,)),
    Case("LSTM-keywords", L(
        "LSTM(output_dim=4, return_sequences=True, go_backwards=True, dropout_W=0.2, dropout_U=0.3, "
        "W_regularizer=l2(0.1), U_regularizer=l1(0.2), b_regularizer=l2(0.3), forget_bias_init='zero', "
        "consume_less='gpu', inner_activation='sigmoid', init='uniform', inner_init='normal')"),
        {"return_sequences": True, "go_backwards": True, "dropout": 0.2, "recurrent_dropout": 0.3,
         "kernel_regularizer": Reg(l2=0.1), "recurrent_regularizer": Reg(l1=0.2),
         "bias_regularizer": Reg(l2=0.3), "unit_forget_bias": False, "recurrent_activation": K1_ACT["sigmoid"],
         "kernel_initializer": K1_INIT["uniform"], "recurrent_initializer": K1_INIT["normal"]},
        (6, 3), (6, 4)),
    Case("LSTM-stateful-unroll", L("LSTM(3, stateful=False, unroll=True, return_sequences=False)"),
         {"unroll": True}, (4, 2), (3,)),
    Case("GRU-defaults", L("GRU(4)"),
         # Keras 1's GRU applied the reset gate before the recurrent product: reset_after=False.
         {"units": 4, **RNN_DEFAULTS, "kernel_initializer": K1_CPU_GRU, "recurrent_initializer": K1_CPU_GRU,
          "recurrent_activation": HARD_SIGMOID, "reset_after": False},
         (5, 3), (4,)),
    # GRU(output_dim, init, inner_init, activation, inner_activation, ...)
    Case("GRU-positional", L("GRU(4, 'uniform', 'orthogonal', 'relu', 'sigmoid')"),
         {"kernel_initializer": K1_INIT["uniform"], "recurrent_initializer": K1_INIT["uniform"],
          "activation": K1_ACT["relu"],
          "recurrent_activation": K1_ACT["sigmoid"], "reset_after": False}, (5, 3), (4,)),
    Case("GRU-keywords", L("GRU(output_dim=3, return_sequences=True, dropout_W=0.1, dropout_U=0.1, "
                           "U_regularizer=l2(0.01), input_dim=2, input_length=5)"),
         {"return_sequences": True, "dropout": 0.1, "recurrent_dropout": 0.1, "recurrent_regularizer": Reg(l2=0.01),
          "recurrent_activation": HARD_SIGMOID}, (5, 2), (5, 3)),
    Case("SimpleRNN-defaults", L("SimpleRNN(4)"), {"units": 4, **RNN_DEFAULTS}, (5, 3), (4,)),
    # SimpleRNN(output_dim, init, inner_init, activation, ...)
    Case("SimpleRNN-positional", L("SimpleRNN(3, 'normal', 'identity', 'relu')"),
         {"kernel_initializer": K1_INIT["normal"], "recurrent_initializer": K1_INIT["identity"],
          "activation": K1_ACT["relu"]}, (5, 3), (3,)),
    Case("SimpleRNN-keywords", L("SimpleRNN(output_dim=4, return_sequences=True, go_backwards=True, "
                                 "dropout_W=0.25, W_regularizer=l1(0.5))"),
         {"return_sequences": True, "go_backwards": True, "dropout": 0.25, "kernel_regularizer": Reg(l1=0.5)},
         (5, 3), (5, 4)),
    # Input (samples, time, channels, rows, cols) for 'th'; 'same' keeps 6 x 6.
    Case("ConvLSTM2D-th", L("ConvLSTM2D(4, 3, 3, dim_ordering='th', border_mode='same', return_sequences=True)"),
         {"filters": 4, "kernel_size": (3, 3), "padding": "same", "data_format": CF, "return_sequences": True,
          "recurrent_activation": HARD_SIGMOID, "activation": TANH, "recurrent_initializer": Drawn(ORTH, 4),
          "kernel_initializer": Drawn(GLOROT, 4), "unit_forget_bias": True},
         (2, 3, 6, 6), (2, 4, 6, 6)),
    # 'valid': 6 - 3 + 1 = 4; strides (1, 1).
    Case("ConvLSTM2D-tf", L("ConvLSTM2D(4, 3, 3, dim_ordering='tf')"),
         {"filters": 4, "padding": "valid", "data_format": CL, "strides": (1, 1), "return_sequences": False,
          "recurrent_activation": HARD_SIGMOID},
         (2, 6, 6, 3), (4, 4, 4)),
    Case("ConvLSTM2D-default-th", L("ConvLSTM2D(2, 3, 3, subsample=(2, 2))"),
         {"data_format": CF, "strides": (2, 2)}, (2, 3, 7, 7), (2, 3, 3), dim="th"),
)

# -- normalization, embeddings, noise, advanced activations ---------------------------------
add(
    Case("BatchNormalization-defaults", L("BatchNormalization()"),
         {"epsilon": 1e-3, "momentum": 0.99, "axis": -1, "center": True, "scale": True,
          "beta_initializer": ZEROS, "gamma_initializer": ONES, "moving_mean_initializer": ZEROS,
          "moving_variance_initializer": ONES, "gamma_regularizer": NO_REG, "beta_regularizer": NO_REG},
         (4, 3), (4, 3), check=same_as(k1_bn_inference(1e-3))),
    Case("BatchNormalization-keywords", L(
        "BatchNormalization(epsilon=1e-5, mode=0, axis=1, momentum=0.9, beta_init='normal', "
        "gamma_init='uniform', gamma_regularizer=l2(0.1), beta_regularizer=l1(0.2))"),
        {"epsilon": 1e-5, "axis": 1, "momentum": 0.9, "beta_initializer": K1_INIT["normal"],
         "gamma_initializer": K1_INIT["uniform"], "gamma_regularizer": Reg(l2=0.1),
         "beta_regularizer": Reg(l1=0.2)}, (3, 4, 4), (3, 4, 4)),
    # Embedding(input_dim, output_dim, init='uniform', input_length, W_regularizer, ...)
    Case("Embedding-defaults", L("Embedding(100, 8, input_length=5)"),
         {"input_dim": 100, "output_dim": 8, "embeddings_initializer": K1_INIT["uniform"], "mask_zero": False,
          "embeddings_regularizer": NO_REG, "embeddings_constraint": NO_CON},
         (5,), (5, 8), ints=100),
    Case("Embedding-keywords", L(
        "Embedding(input_dim=20, output_dim=4, init='normal', W_regularizer=l2(0.1), "
        "W_constraint=unitnorm(), mask_zero=True, dropout=0.)"),
        {"input_dim": 20, "output_dim": 4, "embeddings_initializer": K1_INIT["normal"],
         "embeddings_regularizer": Reg(l2=0.1), "mask_zero": True,
         "embeddings_constraint": Con(k1_unitnorm(0), "unitnorm()", shape=(20, 4))},
        (6,), (6, 4), ints=20,
        check=lambda layer, x, y: np.testing.assert_array_equal(
            keras().ops.convert_to_numpy(layer.compute_mask(np.array([[0, 3, 0]]))), [[False, True, False]])),
    # Embedding(weights=[W]): the initial (input_dim, output_dim) table, looked up by id.
    Case("Embedding-weights", """
import numpy as np
from keras.layers import Embedding
W = np.arange(12, dtype='float32').reshape(6, 2)
layer = Embedding(6, 2, weights=[W], input_length=3)
""", {"input_dim": 6, "output_dim": 2}, (3,), (3, 2), ints=6,
        check=lambda layer, x, y: np.testing.assert_array_equal(y, np.arange(12.0).reshape(6, 2)[x])),
    Case("GaussianNoise", L("GaussianNoise(0.3)"), {"stddev": 0.3}, (4,), (4,), check=same_as(lambda x: x)),
    Case("GaussianNoise-keyword", L("GaussianNoise(sigma=0.1)"), {"stddev": 0.1}),
    Case("GaussianDropout", L("GaussianDropout(0.4)"), {"rate": 0.4}, (4,), (4,), check=same_as(lambda x: x)),
    Case("GaussianDropout-keyword", L("GaussianDropout(p=0.2)"), {"rate": 0.2}),
    Case("LeakyReLU-default", L("LeakyReLU()"), {"negative_slope": 0.3}, (6,), (6,),
         check=same_as(lambda x: np.where(x > 0, x, 0.3 * x))),
    Case("LeakyReLU-alpha", L("LeakyReLU(alpha=0.1)"), {"negative_slope": 0.1}, (6,), (6,),
         check=same_as(lambda x: np.where(x > 0, x, 0.1 * x))),
    Case("PReLU-default", L("PReLU()"), {"alpha_initializer": ZEROS, "shared_axes": None}, (6,), (6,),
         check=same_as(lambda x: np.maximum(x, 0))),
    Case("PReLU-keywords", L("PReLU(init='one', shared_axes=[1, 2])"), {"alpha_initializer": ONES,
                                                                          "shared_axes": (1, 2)},
         (3, 4, 5), (3, 4, 5),
         check=lambda layer, x, y: (np.testing.assert_allclose(y, x, rtol=1e-6),
                                    np.testing.assert_equal(tuple(layer.alpha.shape), (1, 1, 5)))),
    Case("ELU", L("ELU(alpha=0.5)"), {"alpha": 0.5}, (6,), (6,),
         check=same_as(lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1)))),
    Case("ELU-default", L("ELU()"), {"alpha": 1.0}, (6,), (6,), check=same_as(lambda x: np.where(x > 0, x, np.exp(x) - 1))),
    # Keras 1: x * (x > theta): zero at and below theta.
    Case("ThresholdedReLU", L("ThresholdedReLU(theta=0.5)"), {}, (6,), (6,),
         check=lambda layer, x, y: np.testing.assert_allclose(
             keras().ops.convert_to_numpy(layer(np.array([[-1.0, 0.0, 0.25, 0.5, 0.75, 2.0]], "float32"))),
             [[0.0, 0.0, 0.0, 0.0, 0.75, 2.0]])),
    Case("ThresholdedReLU-default", L("ThresholdedReLU()"), {}, (6,), (6,),
         check=same_as(lambda x: x * (x > 1.0))),
)

# -- wrappers ---------------------------------------------------------------------------------
# TimeDistributedDense(output_dim, init, activation, weights, W_regularizer, ...,
# input_dim, input_length): a Dense applied at every time step.
add(
    Case("TimeDistributedDense", L("TimeDistributedDense(3, input_dim=4, input_length=5)"),
         {"layer.units": 3, "layer.kernel_initializer": GLOROT, "layer.activation": LINEAR,
          "layer.use_bias": True}, (5, 4), (5, 3)),
    Case("TimeDistributedDense-positional", L("TimeDistributedDense(2, 'uniform', 'relu', W_regularizer=l2(0.1))"),
         {"layer.units": 2, "layer.kernel_initializer": K1_INIT["uniform"], "layer.activation": K1_ACT["relu"],
          "layer.kernel_regularizer": Reg(l2=0.1)}, (3, 4), (3, 2),
         check=lambda layer, x, y: np.testing.assert_allclose(
             y, np.maximum(x @ keras().ops.convert_to_numpy(layer.layer.kernel), 0), rtol=1e-5, atol=1e-6)),
)
add(
    Case("TimeDistributed-Dense", L("TimeDistributed(Dense(3, init='uniform'), input_shape=(5, 4))"),
         {"layer.units": 3, "layer.kernel_initializer": K1_INIT["uniform"]}, (5, 4), (5, 3)),
    Case("TimeDistributed-Convolution2D-th", L("TimeDistributed(Convolution2D(4, 3, 3, dim_ordering='th'))"),
         {"layer.data_format": CF, "layer.kernel_size": (3, 3)}, (2, 3, 6, 6), (2, 4, 4, 4)),
    # merge_mode 'sum' of forward and (re-reversed) backward sequences.
    Case("Bidirectional-LSTM-sum", L("Bidirectional(LSTM(4, return_sequences=True), merge_mode='sum')"),
         {"merge_mode": "sum", "forward_layer.recurrent_activation": HARD_SIGMOID,
          "backward_layer.recurrent_activation": HARD_SIGMOID, "forward_layer.recurrent_initializer": K1_CPU_LSTM},
         (6, 3), (6, 4)),
    Case("Bidirectional-GRU-default", L("Bidirectional(GRU(3))"),
         {"merge_mode": "concat", "layer.reset_after": False,
          "forward_layer.recurrent_activation": HARD_SIGMOID}, (6, 3), (6,)),
)

# -- 'default' dim_ordering decided by the file, explicit orderings against the option ---------
add(
    # After K.set_image_dim_ordering('th'), Keras 1's 'default' meant 'th'.
    Case("set_image_dim_ordering-th", """
from keras import backend as K
from keras.layers import Convolution2D
K.set_image_dim_ordering('th')
layer = Convolution2D(4, 3, 3)
""", {"data_format": CF}, (3, 8, 8), (4, 6, 6)),
    Case("set_image_dim_ordering-tf", """
from keras import backend as K
from keras.layers import MaxPooling2D
K.set_image_dim_ordering('tf')
layer = MaxPooling2D()
""", {"data_format": CL}, (4, 4, 3), (2, 2, 3)),
    # An explicit dim_ordering wins over keras.json.
    Case("explicit-tf-under-th-option", L("Convolution2D(4, 3, 3, dim_ordering='tf')"), {"data_format": CL},
         (8, 8, 3), (6, 6, 4), dim="th"),
    Case("explicit-th-under-tf-option", L("MaxPooling2D(dim_ordering='th')"), {"data_format": CF},
         (3, 4, 4), (3, 2, 2), dim="tf"),
)

# -- values that are not literals (converted at run time) and other import spellings ----------
add(
    Case("activation-function-hard_sigmoid", """
from keras.layers import Dense
from keras.activations import hard_sigmoid
layer = Dense(3, activation=hard_sigmoid)
""", {"activation": HARD_SIGMOID}, (2,), (3,)),
    Case("inner_activation-function-hard_sigmoid", """
from keras.layers import LSTM
from keras.activations import hard_sigmoid
layer = LSTM(3, inner_activation=hard_sigmoid)
""", {"recurrent_activation": HARD_SIGMOID}, (4, 2), (3,)),
    # keras.activations functions passed as objects mean Keras 1's functions.
    *[Case(f"Activation-function-{name}", f"from keras.layers import Activation\n"
                                          f"from keras.activations import {name}\nlayer = Activation({name})\n",
           {"activation": act}, (5,), (5,), check=same_as(act.ref)) for name, act in K1_ACT.items()],
    Case("activation-variable", k1src("act = 'hard_sigmoid'\nlayer = Dense(3, activation=act)"),
         {"activation": HARD_SIGMOID}, (2,), (3,)),
    Case("init-variable", k1src("init = 'he_normal'\nlayer = Dense(3, init=init)"),
         {"kernel_initializer": K1_INIT["he_normal"]}, (2,), (3,)),
    Case("inner_init-variable", k1src("inner = 'orthogonal'\nlayer = GRU(3, inner_init=inner, consume_less='gpu')"),
         {"recurrent_initializer": ORTH}, (4, 2), (3,)),
    Case("init-variable-per-gate", k1src("init = 'glorot_uniform'\nlayer = GRU(3, init=init, inner_init=init)"),
         {"kernel_initializer": K1_CPU_GRU, "recurrent_initializer": K1_CPU_GRU}, (4, 2), (3,)),
    Case("border_mode-variable", k1src("mode = 'same'\nlayer = Convolution2D(4, 3, 3, border_mode=mode, dim_ordering='tf')"),
         {"padding": "same"}, (5, 5, 2), (5, 5, 4)),
    Case("dim_ordering-variable-th", k1src("order = 'th'\nlayer = Convolution2D(4, 3, 3, dim_ordering=order)"),
         {"data_format": CF}, (3, 8, 8), (4, 6, 6)),
    Case("dim_ordering-variable-pooling-th", k1src("order = 'th'\nlayer = MaxPooling2D(dim_ordering=order)"),
         {"data_format": CF}, (3, 4, 4), (3, 2, 2)),
    Case("import-module-alias", """
import keras.layers as KL
layer = KL.Convolution2D(4, 3, 3, subsample=(2, 2), dim_ordering='th')
""", {"data_format": CF, "strides": (2, 2), "kernel_size": (3, 3)}, (3, 7, 7), (4, 3, 3)),
    Case("import-submodule", """
from keras.layers.convolutional import Convolution2D
from keras.layers.core import Dense
layer = Convolution2D(4, 3, 3, init='he_normal', dim_ordering='tf')
""", {"kernel_initializer": K1_INIT["he_normal"], "data_format": CL}, (5, 5, 2), (3, 3, 4)),
    Case("import-keras-layers-module", """
from keras import layers
layer = layers.LSTM(4, return_sequences=True)
""", {"recurrent_activation": HARD_SIGMOID, "recurrent_initializer": K1_CPU_LSTM}, (3, 2), (3, 4)),
    Case("import-recurrent-module", """
import keras
layer = keras.layers.recurrent.GRU(2, input_dim=3)
""", {"reset_after": False, "recurrent_activation": HARD_SIGMOID}, (4, 3), (2,)),
    Case("Dense-activation-None", L("Dense(3, activation=None)"), {"activation": LINEAR}, (2,), (3,)),
)

# -- positional arguments, bound to the Keras 1.2.2 signatures ----------------------------------
# Keras 1 code that spells out every argument passes weights=None (no initial weights).
add(
    Case("Dense-weights-None", L("Dense(3, weights=None)"), {"units": 3}, (2,), (3,)),
    # Dense(output_dim, init, activation, weights, W_regularizer, b_regularizer, ...)
    Case("Dense-positional-weights-None", L("Dense(10, 'uniform', 'relu', None, l2(0.1))"),
         {"units": 10, "kernel_initializer": K1_INIT["uniform"], "activation": K1_ACT["relu"],
          "kernel_regularizer": Reg(l2=0.1)}, (4,), (10,)),
    # Convolution1D(nb_filter, filter_length, init, activation, weights, border_mode, subsample_length)
    Case("Convolution1D-positional-all", L("Convolution1D(4, 3, 'uniform', 'linear', None, 'same', 2)"),
         {"filters": 4, "kernel_size": 3, "kernel_initializer": K1_INIT["uniform"], "activation": LINEAR,
          "padding": "same", "strides": 2}, (7, 2), (4, 4)),
    # AtrousConvolution2D(nb_filter, nb_row, nb_col, init, activation, weights, border_mode,
    #                     subsample, atrous_rate, dim_ordering)
    Case("AtrousConvolution2D-positional", L(
        "AtrousConvolution2D(4, 3, 3, 'glorot_uniform', None, None, 'valid', (1, 1), (2, 2), 'th')"),
        {"dilation_rate": (2, 2), "data_format": CF, "strides": (1, 1), "activation": LINEAR},
        (1, 9, 9), (4, 5, 5)),
    # Deconvolution2D(nb_filter, nb_row, nb_col, output_shape, init, activation, weights,
    #                 border_mode, subsample, dim_ordering)
    Case("Deconvolution2D-positional", L(
        "Deconvolution2D(3, 3, 3, (None, 3, 13, 13), 'glorot_uniform', 'linear', None, 'valid', (2, 2), 'th')"),
        {"strides": (2, 2), "data_format": CF, "padding": "valid"}, (8, 6, 6), (3, 13, 13)),
    # MaxPooling2D(pool_size, strides, border_mode, dim_ordering)
    Case("MaxPooling2D-positional", L("MaxPooling2D((3, 3), (1, 1), 'same', 'th')"),
         {"pool_size": (3, 3), "strides": (1, 1), "padding": "same", "data_format": CF}, (2, 4, 4), (2, 4, 4)),
    # MaxPooling1D(pool_length, stride, border_mode)
    Case("MaxPooling1D-positional", L("MaxPooling1D(3, 1, 'same')"),
         {"pool_size": 3, "strides": 1, "padding": "same"}, (5, 2), (5, 2)),
    # UpSampling2D(size, dim_ordering); ZeroPadding2D(padding, dim_ordering); Cropping2D(cropping, dim_ordering)
    Case("UpSampling2D-positional", L("UpSampling2D((2, 1), 'th')"), {"size": (2, 1), "data_format": CF},
         (2, 3, 3), (2, 6, 3)),
    Case("ZeroPadding2D-positional", L("ZeroPadding2D((1, 0), 'th')"), {"data_format": CF}, (2, 3, 3), (2, 5, 3)),
    Case("Cropping2D-positional", L("Cropping2D(((1, 1), (0, 1)), 'th')"), {"data_format": CF},
         (2, 4, 4), (2, 2, 3)),
    # SpatialDropout2D(p, dim_ordering); GlobalAveragePooling2D(dim_ordering)
    Case("SpatialDropout2D-positional", L("SpatialDropout2D(0.5, 'th')"), {"rate": 0.5, "data_format": CF},
         (16, 2, 2), (16, 2, 2), check=spatial_pattern(1)),
    Case("GlobalAveragePooling2D-positional", L("GlobalAveragePooling2D('th')"), {"data_format": CF},
         (3, 2, 2), (3,)),
    # BatchNormalization(epsilon, mode, axis, momentum, weights, beta_init, gamma_init)
    Case("BatchNormalization-positional", L("BatchNormalization(1e-5, 0, 1, 0.9, None, 'one', 'zero')"),
         {"epsilon": 1e-5, "axis": 1, "momentum": 0.9, "beta_initializer": ONES, "gamma_initializer": ZEROS},
         (3, 2, 2), (3, 2, 2), check=same_as(lambda x: np.ones_like(x))),
    # Embedding(input_dim, output_dim, init, input_length, W_regularizer, ...)
    Case("Embedding-positional", L("Embedding(50, 4, 'normal', 6, l2(0.1))"),
         {"input_dim": 50, "output_dim": 4, "embeddings_initializer": K1_INIT["normal"],
          "embeddings_regularizer": Reg(l2=0.1)}, (6,), (6, 4), ints=50),
    # LSTM(output_dim, init, inner_init, forget_bias_init, activation, inner_activation, W_regularizer,
    #      U_regularizer, b_regularizer, dropout_W, dropout_U)
    Case("LSTM-positional-all", L(
        "LSTM(4, 'glorot_uniform', 'orthogonal', 'one', 'tanh', 'hard_sigmoid', l2(0.1), l1(0.2), None, 0.1, 0.2)"),
        {"kernel_regularizer": Reg(l2=0.1), "recurrent_regularizer": Reg(l1=0.2), "bias_regularizer": NO_REG,
         "dropout": 0.1, "recurrent_dropout": 0.2, "recurrent_activation": HARD_SIGMOID,
         "recurrent_initializer": K1_CPU_LSTM}, (3, 2), (4,)),
    # LeakyReLU(alpha); ELU(alpha); PReLU(init, weights, shared_axes); GaussianNoise(sigma)
    Case("LeakyReLU-positional", L("LeakyReLU(0.2)"), {"negative_slope": 0.2}, (4,), (4,),
         check=same_as(lambda x: np.where(x > 0, x, 0.2 * x))),
    Case("ELU-positional", L("ELU(0.5)"), {"alpha": 0.5}),
    Case("PReLU-positional", L("PReLU('one', None, [1])"), {"alpha_initializer": ONES, "shared_axes": (1,)},
         (3, 2), (3, 2)),
    # Bidirectional(layer, merge_mode, weights)
    Case("Bidirectional-positional", L("Bidirectional(SimpleRNN(3), 'mul')"), {"merge_mode": "mul"}, (4, 2), (3,)),
)


@pytest.mark.parametrize("case", [c.param() for c in CASES])
def test_layer(case: Case):
    run_case(case)

