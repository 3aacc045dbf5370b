"""Keras 1.2.2 layers that Keras 2 / 3 removed, with Keras 1's constructors and arithmetic.

``MaxoutDense``, ``Highway``, ``SReLU``, ``ParametricSoftplus``, ``LocallyConnected1D`` and
``LocallyConnected2D`` take Keras 1's arguments (names, positional order, defaults: ``init``,
``W_regularizer``, ``bias``, ``input_dim``, ``dim_ordering``...) and create their variables in
Keras 1's order and shapes, so a Keras 1 weight file's arrays load as they are
(:func:`k1port.runtime.load_keras1_weights`). Fan-based ``init`` names on variables of rank
other than 2, 4, 5 draw from Keras 1's distribution (its fans were sqrt(prod(shape))).
``BatchNormalization`` is Keras 3's layer plus
Keras 1's ``mode``: 0 is Keras 3's behaviour; 1 normalizes each sample over its last axis;
2 always uses the batch's statistics (also at inference) and never updates the moving ones.
"""
from __future__ import annotations

import warnings

import keras
import numpy as np
from keras import ops

from k1port.runtime.activations import activation as _activation
from k1port.runtime.config import image_dim_ordering
from k1port.runtime.initializers import initializer as _initializer
from k1port.runtime.regularizers import BatchSum
from k1port.runtime.theano_padding import check_keras1_backend

_PACKAGE = "k1port"


# Keras 1's fan-based initializers: (uniform?, factor) with the bound / standard deviation
# sqrt(factor / fan), fan = fan_in + fan_out (glorot) or fan_in (others).
_FAN_BASED = {"glorot_uniform": (True, 6.0, "sum"), "glorot_normal": (False, 2.0, "sum"),
              "he_uniform": (True, 6.0, "in"), "he_normal": (False, 2.0, "in"),
              "lecun_uniform": (True, 3.0, "in")}


def _init(value, shape):
    """The Keras 3 initializer for a Keras 1 ``init`` value and a variable of ``shape``.

    Keras 1 took fan_in = fan_out = sqrt(prod(shape)) for shapes of rank other than 2, 4, 5
    (MaxoutDense's and LocallyConnected's 3-D W, SReLU's parameters); Keras 3 reads other fans
    from them, so those names become the Keras 1 distribution itself."""
    if isinstance(value, str) and value in _FAN_BASED and len(shape) not in (2, 4, 5):
        uniform, factor, kind = _FAN_BASED[value]
        fan = float(np.sqrt(np.prod(shape)))
        scale = float(np.sqrt(factor / (2 * fan if kind == "sum" else fan)))
        if uniform:
            return keras.initializers.RandomUniform(-scale, scale)
        return keras.initializers.RandomNormal(0.0, scale)
    return keras.initializers.get(_initializer(value))


def _serialize(value):
    """A constructor argument for get_config: names stay names, objects are serialized."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    return keras.saving.serialize_keras_object(value)


def _deserialize(value):
    if isinstance(value, dict):
        return keras.saving.deserialize_keras_object(value)
    return value


class _Keras1Layer(keras.layers.Layer):
    """Shared Keras 1 plumbing: ``weights=`` (set once built), regularizers, constraints,
    ``input_dim``; variables are named as Keras 1's parameters (``W``, ``b``...)."""

    _REGULARIZERS = ("W_regularizer", "b_regularizer", "activity_regularizer")
    _CONSTRAINTS = ("W_constraint", "b_constraint")

    def _keras1_setup(self, weights, W_regularizer, b_regularizer, activity_regularizer,
                      W_constraint, b_constraint):
        self.initial_weights = weights
        self.W_regularizer = keras.regularizers.get(_deserialize(W_regularizer))
        self.b_regularizer = keras.regularizers.get(_deserialize(b_regularizer))
        self.W_constraint = keras.constraints.get(_deserialize(W_constraint))
        self.b_constraint = keras.constraints.get(_deserialize(b_constraint))
        # Keras 1 added the activity penalty summed over the batch.
        if activity_regularizer is not None:
            activity_regularizer = keras.regularizers.get(_deserialize(activity_regularizer))
            self.activity_regularizer = (activity_regularizer if isinstance(activity_regularizer, BatchSum)
                                         else BatchSum(activity_regularizer))
        self._activity_regularizer_arg = activity_regularizer

    def _set_initial_weights(self):
        if self.initial_weights is not None:
            self.set_weights([keras.ops.convert_to_numpy(w) for w in self.initial_weights])
            self.initial_weights = None

    def _keras1_config(self):
        return {
            "W_regularizer": _serialize(self.W_regularizer),
            "b_regularizer": _serialize(self.b_regularizer),
            "activity_regularizer": _serialize(self._activity_regularizer_arg),
            "W_constraint": _serialize(self.W_constraint),
            "b_constraint": _serialize(self.b_constraint),
        }

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return config


@keras.saving.register_keras_serializable(package=_PACKAGE)
class MaxoutDense(_Keras1Layer):
    """Keras 1's MaxoutDense: ``max_k(x . W[k] + b[k])`` with ``W (nb_feature, input_dim,
    output_dim)`` and ``b (nb_feature, output_dim)``; no activation."""

    def __init__(self, output_dim, nb_feature=4, init="glorot_uniform", weights=None,
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, input_dim=None, **kwargs):
        if input_dim and "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_dim,)
        super().__init__(**kwargs)
        self.output_dim, self.nb_feature, self.bias, self.input_dim = output_dim, nb_feature, bias, input_dim
        self.init = _deserialize(init)
        self._keras1_setup(weights, W_regularizer, b_regularizer, activity_regularizer,
                           W_constraint, b_constraint)
        self.input_spec = keras.layers.InputSpec(ndim=2)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.W = self.add_weight(shape=(self.nb_feature, input_dim, self.output_dim), name="W",
                                 initializer=_init(self.init, (self.nb_feature, input_dim, self.output_dim)),
                                 regularizer=self.W_regularizer, constraint=self.W_constraint)
        self.b = None
        if self.bias:
            self.b = self.add_weight(shape=(self.nb_feature, self.output_dim), name="b",
                                     initializer="zeros", regularizer=self.b_regularizer,
                                     constraint=self.b_constraint)
        self._set_initial_weights()

    def call(self, x):
        output = ops.einsum("bi,kio->bko", x, self.W)
        if self.b is not None:
            output = output + self.b
        return ops.max(output, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim, "nb_feature": self.nb_feature,
                "init": _serialize(self.init), **self._keras1_config(), "bias": self.bias,
                "input_dim": self.input_dim}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class Highway(_Keras1Layer):
    """Keras 1's Highway: ``t = sigmoid(x . W_carry + b_carry)``,
    ``y = activation(x . W + b) * t + (1 - t) * x``; variables ``W, W_carry, b, b_carry``
    (Keras 1's order), ``b_carry`` starting at 1. Keras 1.2.2 ignored ``transform_bias``
    (deprecated, with a warning); so does this."""

    def __init__(self, init="glorot_uniform", activation=None, weights=None, W_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, W_constraint=None,
                 b_constraint=None, bias=True, input_dim=None, **kwargs):
        if "transform_bias" in kwargs:
            kwargs.pop("transform_bias")
            warnings.warn("`transform_bias` argument is deprecated and was ignored by Keras 1.2.2 "
                          "(the carry bias starts at 1).", stacklevel=2)
        if input_dim and "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_dim,)
        super().__init__(**kwargs)
        self.init = _deserialize(init)
        self.activation = keras.activations.get(_activation(_deserialize(activation)))
        self.bias, self.input_dim = bias, input_dim
        self._keras1_setup(weights, W_regularizer, b_regularizer, activity_regularizer,
                           W_constraint, b_constraint)
        self.input_spec = keras.layers.InputSpec(ndim=2)

    def build(self, input_shape):
        n = input_shape[-1]
        self.W = self.add_weight(shape=(n, n), name="W", initializer=_init(self.init, (n, n)),
                                 regularizer=self.W_regularizer, constraint=self.W_constraint)
        self.W_carry = self.add_weight(shape=(n, n), name="W_carry",
                                       initializer=_init(self.init, (n, n)))
        self.b = self.b_carry = None
        if self.bias:
            self.b = self.add_weight(shape=(n,), name="b", initializer="zeros",
                                     regularizer=self.b_regularizer, constraint=self.b_constraint)
            self.b_carry = self.add_weight(shape=(n,), name="b_carry", initializer="ones")
        self._set_initial_weights()

    def call(self, x):
        carry = ops.matmul(x, self.W_carry)
        if self.b_carry is not None:
            carry = carry + self.b_carry
        transform = ops.sigmoid(carry)
        y = ops.matmul(x, self.W)
        if self.b is not None:
            y = y + self.b
        return self.activation(y) * transform + (1.0 - transform) * x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "init": _serialize(self.init),
                "activation": keras.activations.serialize(self.activation), **self._keras1_config(),
                "bias": self.bias, "input_dim": self.input_dim}


def _param_shape(input_shape, shared_axes):
    shape = list(input_shape[1:])
    if shared_axes[0] is not None:
        for axis in shared_axes:
            shape[axis - 1] = 1
    return tuple(shape)


def _shared_axes(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SReLU(keras.layers.Layer):
    """Keras 1's S-shaped ReLU: variables ``t_left, a_left, t_right, a_right`` (one per input
    entry, 1 along ``shared_axes``); ``t_r = t_left + |t_right|``;
    ``y = t_left + min(max(x - t_left, 0), t_r - t_left) + a_left * min(x - t_left, 0)
    + a_right * max(x - t_r, 0)`` (Keras 1 on TensorFlow; also ``keras1_backend=None``).

    ``keras1_backend='theano'``: Keras 1's Theano ``K.relu(z, alpha, max_value)`` clipped
    after the leak, ``min(z if z > 0 else a_left * z, t_r - t_left)``: where ``a_left < 0``
    the left branch is capped at ``t_r`` too (TensorFlow's leaves it unclipped)."""

    def __init__(self, t_left_init="zero", a_left_init="glorot_uniform",
                 t_right_init="glorot_uniform", a_right_init="one", shared_axes=None,
                 keras1_backend=None, **kwargs):
        super().__init__(**kwargs)
        self.keras1_backend = check_keras1_backend(keras1_backend)
        self.supports_masking = True
        self.t_left_init, self.a_left_init = _deserialize(t_left_init), _deserialize(a_left_init)
        self.t_right_init, self.a_right_init = _deserialize(t_right_init), _deserialize(a_right_init)
        self.shared_axes = _shared_axes(shared_axes)

    def build(self, input_shape):
        shape = _param_shape(input_shape, self.shared_axes)
        for name in ("t_left", "a_left", "t_right", "a_right"):
            setattr(self, name, self.add_weight(shape=shape, name=name,
                                                initializer=_init(getattr(self, name + "_init"), shape)))

    def call(self, x):
        t_left, a_left, a_right = self.t_left, self.a_left, self.a_right
        t_right_actual = t_left + ops.abs(self.t_right)
        z = x - t_left
        if self.keras1_backend == "theano":  # min(T.nnet.relu(z, alpha), max_value)
            leaky = ops.where(z > 0, z, a_left * z)
            left_and_center = t_left + ops.minimum(leaky, t_right_actual - t_left)
        else:  # TensorFlow's: clip(relu(z), 0, max_value) - alpha * relu(-z)
            left_and_center = t_left + ops.minimum(ops.relu(z), t_right_actual - t_left) - a_left * ops.relu(-z)
        return left_and_center + ops.relu(x - t_right_actual) * a_right

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        shared = self.shared_axes
        return {**super().get_config(), "t_left_init": _serialize(self.t_left_init),
                "a_left_init": _serialize(self.a_left_init), "t_right_init": _serialize(self.t_right_init),
                "a_right_init": _serialize(self.a_right_init),
                "shared_axes": None if shared == [None] else list(shared), "keras1_backend": self.keras1_backend}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ParametricSoftplus(keras.layers.Layer):
    """Keras 1's ParametricSoftplus: ``alphas * softplus(betas * x)``, variables ``alphas``
    (starting at ``alpha_init``) and ``betas`` (at ``beta_init``), 1 along ``shared_axes``."""

    def __init__(self, alpha_init=0.2, beta_init=5.0, weights=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_init, self.beta_init = float(alpha_init), float(beta_init)
        self.initial_weights = weights
        self.shared_axes = _shared_axes(shared_axes)

    def build(self, input_shape):
        shape = _param_shape(input_shape, self.shared_axes)
        self.alphas = self.add_weight(shape=shape, name="alphas",
                                      initializer=keras.initializers.Constant(self.alpha_init))
        self.betas = self.add_weight(shape=shape, name="betas",
                                     initializer=keras.initializers.Constant(self.beta_init))
        if self.initial_weights is not None:
            self.set_weights([keras.ops.convert_to_numpy(w) for w in self.initial_weights])
            self.initial_weights = None

    def call(self, x):
        return ops.softplus(self.betas * x) * self.alphas

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        shared = self.shared_axes
        return {**super().get_config(), "alpha_init": self.alpha_init, "beta_init": self.beta_init,
                "shared_axes": None if shared == [None] else list(shared)}


def _valid_length(length, size, stride):
    return None if length is None else (length - size + stride) // stride


class _LocallyConnected(_Keras1Layer):
    def _local_setup(self, init, activation, weights, border_mode, W_regularizer, b_regularizer,
                     activity_regularizer, W_constraint, b_constraint, bias):
        if border_mode != "valid":
            raise ValueError(f"Invalid border mode for {type(self).__name__} (only 'valid' is "
                             f"supported): {border_mode!r}")
        self.init = _deserialize(init)
        self.activation = keras.activations.get(_activation(_deserialize(activation)))
        self.border_mode, self.bias = border_mode, bias
        self._keras1_setup(weights, W_regularizer, b_regularizer, activity_regularizer,
                           W_constraint, b_constraint)

    def _local_weights(self, w_shape, b_shape):
        self.W = self.add_weight(shape=w_shape, name="W", initializer=_init(self.init, w_shape),
                                 regularizer=self.W_regularizer, constraint=self.W_constraint)
        self.b = None
        if self.bias:
            self.b = self.add_weight(shape=b_shape, name="b", initializer="zeros",
                                     regularizer=self.b_regularizer, constraint=self.b_constraint)
        self._set_initial_weights()

    def _local_config(self):
        return {"init": _serialize(self.init), "activation": keras.activations.serialize(self.activation),
                "border_mode": self.border_mode, **self._keras1_config(), "bias": self.bias}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LocallyConnected1D(_LocallyConnected):
    """Keras 1's LocallyConnected1D ('valid' only): ``W (output_length, filter_length *
    input_dim, nb_filter)`` (each window flattened step-major), ``b (output_length,
    nb_filter)``."""

    def __init__(self, nb_filter, filter_length, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample_length=1, W_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, W_constraint=None,
                 b_constraint=None, bias=True, input_dim=None, input_length=None, **kwargs):
        if input_dim and "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length, input_dim)
        super().__init__(**kwargs)
        self.nb_filter, self.filter_length, self.subsample_length = nb_filter, filter_length, subsample_length
        self.input_dim, self.input_length = input_dim, input_length
        self._local_setup(init, activation, weights, border_mode, W_regularizer, b_regularizer,
                          activity_regularizer, W_constraint, b_constraint, bias)
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def build(self, input_shape):
        length = _valid_length(input_shape[1], self.filter_length, self.subsample_length)
        if length is None:
            raise ValueError("LocallyConnected1D needs a known input length")
        self.output_length = length
        self._local_weights((length, self.filter_length * input_shape[2], self.nb_filter),
                            (length, self.nb_filter))

    def call(self, x):
        size, stride = self.filter_length, self.subsample_length
        feature_dim = self.W.shape[1]
        windows = [ops.reshape(x[:, i * stride: i * stride + size, :], (-1, feature_dim))
                   for i in range(self.output_length)]
        output = ops.einsum("blf,lfo->blo", ops.stack(windows, axis=1), self.W)
        if self.b is not None:
            output = output + self.b
        return self.activation(output)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], _valid_length(input_shape[1], self.filter_length, self.subsample_length),
                self.nb_filter)

    def get_config(self):
        return {**super().get_config(), "nb_filter": self.nb_filter, "filter_length": self.filter_length,
                **self._local_config(), "subsample_length": self.subsample_length,
                "input_dim": self.input_dim, "input_length": self.input_length}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class LocallyConnected2D(_LocallyConnected):
    """Keras 1's LocallyConnected2D ('valid' only): ``W (output_row * output_col,
    nb_row * nb_col * input_channels, nb_filter)``, each window flattened as (rows, cols,
    channels) for 'tf' and (channels, rows, cols) for 'th'; ``b (output_row, output_col,
    nb_filter)``, which Keras 1 reshaped (not transposed) to (nb_filter, output_row,
    output_col) for 'th' - kept here. ``dim_ordering='default'``: k1.image_dim_ordering()."""

    def __init__(self, nb_filter, nb_row, nb_col, init="glorot_uniform", activation=None,
                 weights=None, border_mode="valid", subsample=(1, 1), dim_ordering="default",
                 W_regularizer=None, b_regularizer=None, activity_regularizer=None,
                 W_constraint=None, b_constraint=None, bias=True, **kwargs):
        if dim_ordering == "default":
            dim_ordering = image_dim_ordering()
        dim_ordering = {"channels_first": "th", "channels_last": "tf"}.get(dim_ordering, dim_ordering)
        if dim_ordering not in ("tf", "th"):
            raise ValueError("`dim_ordering` must be in {tf, th}.")
        super().__init__(**kwargs)
        self.nb_filter, self.nb_row, self.nb_col = nb_filter, nb_row, nb_col
        self.subsample, self.dim_ordering = tuple(subsample), dim_ordering
        self._local_setup(init, activation, weights, border_mode, W_regularizer, b_regularizer,
                          activity_regularizer, W_constraint, b_constraint, bias)
        self.input_spec = keras.layers.InputSpec(ndim=4)

    def _spatial(self, input_shape):
        rows, cols = (input_shape[2], input_shape[3]) if self.dim_ordering == "th" else input_shape[1:3]
        return (_valid_length(rows, self.nb_row, self.subsample[0]),
                _valid_length(cols, self.nb_col, self.subsample[1]))

    def build(self, input_shape):
        self.output_row, self.output_col = self._spatial(input_shape)
        if self.output_row is None or self.output_col is None:
            raise ValueError("LocallyConnected2D needs known input rows and columns")
        channels = input_shape[1] if self.dim_ordering == "th" else input_shape[3]
        self._local_weights((self.output_row * self.output_col, self.nb_row * self.nb_col * channels,
                             self.nb_filter), (self.output_row, self.output_col, self.nb_filter))

    def call(self, x):
        (sr, sc), feature_dim = self.subsample, self.W.shape[1]
        windows = []
        for i in range(self.output_row):
            for j in range(self.output_col):
                rows, cols = slice(i * sr, i * sr + self.nb_row), slice(j * sc, j * sc + self.nb_col)
                window = x[:, :, rows, cols] if self.dim_ordering == "th" else x[:, rows, cols, :]
                windows.append(ops.reshape(window, (-1, feature_dim)))
        output = ops.einsum("bpf,pfo->bpo", ops.stack(windows, axis=1), self.W)
        output = ops.reshape(output, (-1, self.output_row, self.output_col, self.nb_filter))
        if self.dim_ordering == "th":
            output = ops.transpose(output, (0, 3, 1, 2))
            if self.b is not None:
                output = output + ops.reshape(self.b, (1, self.nb_filter, self.output_row, self.output_col))
        elif self.b is not None:
            output = output + self.b
        return self.activation(output)

    def compute_output_shape(self, input_shape):
        rows, cols = self._spatial(input_shape)
        if self.dim_ordering == "th":
            return (input_shape[0], self.nb_filter, rows, cols)
        return (input_shape[0], rows, cols, self.nb_filter)

    def get_config(self):
        return {**super().get_config(), "nb_filter": self.nb_filter, "nb_row": self.nb_row,
                "nb_col": self.nb_col, **self._local_config(), "subsample": list(self.subsample),
                "dim_ordering": self.dim_ordering}


@keras.saving.register_keras_serializable(package=_PACKAGE)
class BatchNormalization(keras.layers.BatchNormalization):
    """keras.layers.BatchNormalization plus Keras 1's ``mode``.

    mode 0: Keras 3's layer as is. mode 1 (sample-wise): ``m``, ``v`` = mean and variance of
    each sample over its last axis; ``gamma * (x - m) / (sqrt(v + eps) + eps) + beta`` (Keras 1
    added epsilon twice). mode 2 (feature-wise): the current batch's mean and variance over
    every axis but ``axis``, in training and at inference alike; the moving statistics are
    never updated (they still exist, so Keras 1's four arrays load).
    """

    def __init__(self, *args, mode=0, **kwargs):
        if mode not in (0, 1, 2):
            raise ValueError(f"BatchNormalization mode must be 0, 1 or 2, not {mode!r}")
        super().__init__(*args, **kwargs)
        self.mode = mode

    def call(self, inputs, training=None, mask=None):
        if self.mode == 0:
            return super().call(inputs, training=training, mask=mask)
        x = inputs
        if self.mode == 1:
            mean = ops.mean(x, axis=-1, keepdims=True)
            std = ops.sqrt(ops.var(x, axis=-1, keepdims=True) + self.epsilon)
            normed = (x - mean) / (std + self.epsilon)
            if self.gamma is not None:
                normed = self.gamma * normed
            if self.beta is not None:
                normed = normed + self.beta
            return normed
        ndim = len(x.shape)
        axis = self.axis % ndim
        reduction = [a for a in range(ndim) if a != axis]
        mean, variance = ops.moments(x, axes=reduction, keepdims=True)
        shape = [1] * ndim
        shape[axis] = x.shape[axis]
        normed = (x - mean) / ops.sqrt(variance + self.epsilon)
        if self.gamma is not None:
            normed = normed * ops.reshape(self.gamma, shape)
        if self.beta is not None:
            normed = normed + ops.reshape(self.beta, shape)
        return normed

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


__all__ = ["MaxoutDense", "Highway", "SReLU", "ParametricSoftplus", "LocallyConnected1D",
           "LocallyConnected2D", "BatchNormalization"]
