"""Run every k1port.runtime check in one process on the backend KERAS_BACKEND names.

Importing Keras costs seconds, so test_runtime.py runs this script once per backend
instead of once per check. The last stdout line is one JSON object:
{check_name: {"ok": bool, "detail": str}}. Every check compares numbers or types, so
each can fail.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import check, close, expect, numpy, raises, rand, run  # noqa: E402

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

import k1port.runtime as k1  # noqa: E402


# --- activations ---------------------------------------------------------------------------

@check
def hard_sigmoid_values():
    points = np.array([-3, -2.5, -1, -0.3, 0, 1, 2.5, 3], dtype="float32")
    expected = np.clip(0.2 * points + 0.5, 0, 1)
    close(numpy(k1.hard_sigmoid(points)), expected, "k1.hard_sigmoid")
    close(numpy(k1.hard_sigmoid(ops.convert_to_tensor(points))), expected, "k1.hard_sigmoid(tensor)")
    keras3 = float(numpy(keras.activations.hard_sigmoid(np.array([1.0], "float32")))[0])
    expect(abs(keras3 - 0.7) > 0.01, f"Keras 3's hard_sigmoid(1) = {keras3}; expected it to differ from 0.7")
    out = numpy(layers.Activation(k1.hard_sigmoid)(points[None]))[0]
    close(out, expected, "Activation(k1.hard_sigmoid)")
    return f"k1.hard_sigmoid(1) = 0.7, Keras 3's = {keras3:.4f}"


@check
def hard_sigmoid_serialization():
    config = keras.activations.serialize(k1.hard_sigmoid)
    expect(keras.activations.deserialize(config) is k1.hard_sigmoid, f"deserialize({config!r})")
    lstm = layers.LSTM(3, recurrent_activation=k1.hard_sigmoid)
    clone = layers.LSTM.from_config(lstm.get_config())
    expect(clone.cell.recurrent_activation is k1.hard_sigmoid, "LSTM config round-trip lost k1.hard_sigmoid")
    return f"serialized as {config!r}"


@check
def activation_conversion():
    expect(k1.activation("hard_sigmoid") is k1.hard_sigmoid, "'hard_sigmoid'")
    for name in ("softmax", "elu", "softplus", "softsign", "relu", "tanh", "sigmoid", "linear"):
        expect(k1.activation(name) == name, f"{name!r} -> {k1.activation(name)!r}")
    expect(k1.activation(None) is None, "None")
    expect(k1.activation(ops.tanh) is ops.tanh, "callable")
    x = np.array([[-3.0, 1.0, 3.0]], "float32")
    dense = layers.Dense(3, activation=k1.activation("hard_sigmoid"), kernel_initializer="identity",
                         bias_initializer="zeros")
    close(numpy(dense(x)), np.clip(0.2 * x + 0.5, 0, 1), "Dense(activation=k1.activation('hard_sigmoid'))")


# --- initializers --------------------------------------------------------------------------

@check
def initializer_names():
    for k1_name, k3_name in {"zero": "zeros", "one": "ones", "uniform": "random_uniform",
                             "normal": "random_normal"}.items():
        expect(k1.initializer(k1_name) == k3_name, f"{k1_name!r} -> {k1.initializer(k1_name)!r}")
    for name in ("glorot_uniform", "he_uniform", "lecun_uniform", "identity"):
        expect(k1.initializer(name) == name, f"{name!r} kept")
    expect(k1.initializer(None) is None, "None")

    def config(value):
        keys = ("scale", "mode", "distribution", "gain")
        return type(value).__name__, {k: v for k, v in value.get_config().items() if k in keys}

    vs = {"distribution": "untruncated_normal"}
    expect(config(k1.initializer("glorot_normal")) == ("VarianceScaling", {**vs, "scale": 1.0, "mode": "fan_avg"}),
           f"glorot_normal: {config(k1.initializer('glorot_normal'))}")
    expect(config(k1.initializer("he_normal")) == ("VarianceScaling", {**vs, "scale": 2.0, "mode": "fan_in"}),
           f"he_normal: {config(k1.initializer('he_normal'))}")
    expect(config(k1.initializer("orthogonal")) == ("Orthogonal", {"gain": 1.1}),
           f"orthogonal: {config(k1.initializer('orthogonal'))}")
    expect(k1.initializer("glorot_normal") is not k1.initializer("glorot_normal"), "fresh object per call")
    for name in ("zero", "one", "uniform", "normal", "glorot_normal", "he_normal", "orthogonal", "identity"):
        w = numpy(keras.initializers.get(k1.initializer(name))((4, 4)))
        expect(w.shape == (4, 4) and np.all(np.isfinite(w)), f"{name}: {w.shape}")
    ortho = numpy(k1.initializer("orthogonal")((6, 6)))
    close(ortho.T @ ortho, 1.21 * np.eye(6), "orthogonal gain 1.1", tol=1e-4)


@check
def initializer_callables():
    keep = keras.initializers.Constant(3.0)
    expect(k1.initializer(keep) is keep, "Keras 3 initializer object kept")
    expect(k1.initializer(keras.initializers.Ones) is keras.initializers.Ones, "initializer class kept")

    def keras3_style(shape, dtype=None):
        return ops.ones(shape, dtype=dtype)

    expect(k1.initializer(keras3_style) is keras3_style, "f(shape, dtype=None) kept")

    def from_numpy(shape, name=None):
        return np.arange(np.prod(shape), dtype="float64").reshape(shape)

    def from_variable(shape, name=None):
        return keras.Variable(np.full(shape, 2.0, "float32"), name=name)

    def from_tensor(shape, name=None):
        return ops.full(shape, -1.5)

    def wrong_shape(shape, name=None):
        return np.zeros((1,), "float32")

    for fn, expected in ((from_numpy, np.arange(12.0).reshape(3, 4)), (from_variable, np.full((3, 4), 2.0)),
                         (from_tensor, np.full((3, 4), -1.5))):
        init = k1.initializer(fn)
        expect(isinstance(init, k1.initializers.Keras1Initializer), f"{fn.__name__} wrapped: {init!r}")
        dense = layers.Dense(4, kernel_initializer=init)
        dense.build((None, 3))
        expect(str(dense.kernel.dtype) == "float32", f"{fn.__name__}: dtype {dense.kernel.dtype}")
        close(numpy(dense.kernel), expected, f"Dense(kernel_initializer=k1.initializer({fn.__name__}))")
    raises(ValueError, lambda: layers.Dense(4, kernel_initializer=k1.initializer(wrong_shape)).build((None, 3)),
           "wrong shape")
    clone = keras.initializers.deserialize(keras.initializers.serialize(k1.initializer(from_tensor)),
                                           custom_objects={"from_tensor": from_tensor})
    close(numpy(clone((2, 2))), np.full((2, 2), -1.5), "Keras1Initializer config round-trip")


@check
def initializers_per_gate_and_layout():
    """PerGate: each gate's block drawn on its own; Keras1Layout: Keras 1's fans and shapes."""
    keras.utils.set_random_seed(5)
    u = numpy(k1.PerGate(k1.initializer("orthogonal"), 4)((16, 64)))
    for k in range(4):
        block = u[:, 16 * k:16 * (k + 1)]
        close(block @ block.T, 1.21 * np.eye(16), f"PerGate(orthogonal) block {k}", tol=1e-4)
    w = numpy(k1.PerGate("glorot_uniform", 3)((16, 48)))
    expect(np.abs(w).max() > np.sqrt(6 / 64), "PerGate(glorot_uniform): fans of the whole, not of a gate")
    expect(np.abs(w).max() <= np.sqrt(6 / 32) + 1e-6, "PerGate(glorot_uniform): beyond a gate's bound")
    seeded = k1.PerGate(keras.initializers.RandomNormal(seed=3), 2)
    a, b = numpy(seeded((4, 6))), numpy(seeded((4, 6)))
    expect(np.array_equal(a, b) and not np.allclose(a[:, :3], a[:, 3:]), "seeded: repeatable, blocks differ")
    # Convolution1D's Keras 1 kernel (3, 1, 16, 32), 'th' fans: fan_in 16 * 32.
    he = numpy(k1.Keras1Layout(k1.initializer("he_normal"), "conv1d")((3, 16, 32)))
    expect(abs(he.std() / np.sqrt(2 / 512) - 1) < 0.1, f"conv1d he_normal std {he.std():.4f}")
    # Deconvolution2D 'th' (nb_filter 6, in 2, 3, 3): each output filter's (in, rows, cols) orthogonal.
    q = numpy(k1.Keras1Layout(k1.initializer("orthogonal"), "deconv2d_th")((3, 3, 6, 2)))
    rows = np.transpose(q, (2, 3, 0, 1)).reshape(6, 18)
    close(rows @ rows.T, 1.21 * np.eye(6), "deconv2d_th orthogonal rows", tol=1e-4)
    seen = []

    def keras1_function(shape, name=None, dim_ordering="th"):
        seen.append((shape, dim_ordering))
        return np.arange(np.prod(shape), dtype="float32").reshape(shape)

    value = numpy(k1.initializer(keras1_function, layout="conv_th")((3, 2, 4, 5)))
    expect(seen == [((5, 4, 3, 2), "th")], f"Keras 1 function called with {seen}")
    close(value, np.arange(120.0).reshape(5, 4, 3, 2).transpose(2, 3, 1, 0), "moved into Keras 3's layout")
    expect(type(k1.initializer("glorot_uniform", gates=4)) is k1.PerGate, "initializer(gates=4)")
    expect(k1.initializer(None, gates=4) is None, "initializer(None, gates=4)")


@check
def initializers_keras_file_round_trip():
    inputs = keras.Input((6, 8))
    lstm = layers.LSTM(4, kernel_initializer=k1.PerGate("glorot_uniform", 4),
                       recurrent_initializer=k1.PerGate(k1.initializer("orthogonal"), 4), name="lstm")
    conv = layers.Conv1D(3, 2, kernel_initializer=k1.Keras1Layout(k1.initializer("he_normal"), "conv1d"),
                         name="conv")
    model = keras.Model(inputs, [lstm(inputs), conv(inputs)])
    x = rand(2, 6, 8)
    before = model.predict(x, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
    for a, b in zip(before, loaded.predict(x, verbose=0)):
        close(a, b, "predictions after load", tol=0)
    for layer, attr in (("lstm", "cell.kernel_initializer"), ("lstm", "cell.recurrent_initializer"),
                        ("conv", "kernel_initializer")):
        mine, theirs = model.get_layer(layer), loaded.get_layer(layer)
        for part in attr.split("."):
            mine, theirs = getattr(mine, part), getattr(theirs, part)
        expect(type(theirs) is type(mine) and theirs.get_config() == mine.get_config(),
               f"{layer}.{attr}: {theirs.get_config()} != {mine.get_config()}")


# --- image dim ordering --------------------------------------------------------------------

@check
def dim_ordering():
    from k1port.runtime import config as state

    before = keras.config.image_data_format()
    try:
        default = "tf" if before == "channels_last" else "th"
        expect(k1.image_dim_ordering() == default, f"default {k1.image_dim_ordering()!r}, expected {default!r}")
        expect(k1.data_format("default") == before, f"data_format('default') -> {k1.data_format('default')!r}")
        k1.set_image_dim_ordering("th")
        expect(k1.image_dim_ordering() == "th", "after set('th')")
        expect(keras.config.image_data_format() == before, "set_image_dim_ordering changed keras.config")
        expect(k1.data_format("default") == "channels_first", "data_format('default') under 'th'")
        k1.set_image_dim_ordering("tf")
        expect(k1.image_dim_ordering() == "tf", "after set('tf')")
        expect(k1.data_format("default") == "channels_last", "data_format('default') under 'tf'")
        raises(ValueError, lambda: k1.set_image_dim_ordering("channels_first"), "set('channels_first')")
        expect(k1.image_dim_ordering() == "tf", "a rejected value changed the setting")
    finally:
        state._dim_ordering = None
    for value, expected in (("th", "channels_first"), ("tf", "channels_last"), (None, None),
                            ("channels_first", "channels_first"), ("channels_last", "channels_last")):
        expect(k1.data_format(value) == expected, f"data_format({value!r}) -> {k1.data_format(value)!r}")
    raises(ValueError, lambda: k1.data_format("nchw"), "data_format('nchw')")


# --- channels-first layers -----------------------------------------------------------------

def _pair(make_k1, make_ref, x_cf, perm_in, perm_out, fit=True):
    """A channels-first k1 layer against a channels-last Keras layer with the same weights:
    predictions agree, and after one SGD step on the same (transposed) data the weights do."""
    x_cl = np.transpose(x_cf, perm_in)
    k1_layer, ref_layer = make_k1(), make_ref()
    k1_model = keras.Sequential([keras.Input(x_cf.shape[1:]), k1_layer])
    ref_model = keras.Sequential([keras.Input(x_cl.shape[1:]), ref_layer])
    expect([w.shape for w in k1_layer.get_weights()] == [w.shape for w in ref_layer.get_weights()],
           "kernel layouts differ")
    ref_layer.set_weights(k1_layer.get_weights())
    y_k1 = k1_model.predict(x_cf, verbose=0)
    y_ref = np.transpose(ref_model.predict(x_cl, verbose=0), perm_out)
    detail = [f"predict {close(y_k1, y_ref, 'predict'):.2g}"]
    close(numpy(k1_layer(x_cf)), y_ref, "eager call")
    if fit:
        target = rand(*y_k1.shape, seed=1)
        inverse = tuple(np.argsort(perm_out))
        for model in (k1_model, ref_model):
            model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
        before = k1_layer.get_weights()
        k1_model.fit(x_cf, target, batch_size=len(x_cf), epochs=1, shuffle=False, verbose=0)
        ref_model.fit(x_cl, np.transpose(target, inverse), batch_size=len(x_cf), epochs=1, shuffle=False, verbose=0)
        moved = max(float(np.max(np.abs(a - b))) for a, b in zip(before, k1_layer.get_weights()))
        expect(moved > 1e-4, f"one fit step did not change the weights ({moved:.2g})")
        diff = max(close(a, b, "weights after fit") for a, b in zip(k1_layer.get_weights(), ref_layer.get_weights()))
        y_k1 = k1_model.predict(x_cf, verbose=0)
        close(y_k1, np.transpose(ref_model.predict(x_cl, verbose=0), perm_out), "predict after fit")
        detail.append(f"weights after fit {diff:.2g} (moved {moved:.2g})")
    return "; ".join(detail)


NCHW_TO_NHWC, NHWC_TO_NCHW = (0, 2, 3, 1), (0, 3, 1, 2)


@check
def conv2d_channels_first():
    x = rand(4, 3, 9, 8)
    details = []
    for i, kwargs in enumerate(({"kernel_size": (3, 2), "strides": (2, 1), "padding": "same", "activation": "relu"},
                                {"kernel_size": 3, "dilation_rate": (2, 2), "padding": "valid"},
                                {"kernel_size": 3, "use_bias": False})):
        details.append(_pair(lambda: k1.Conv2D(5, data_format="channels_first", **kwargs),
                             lambda: layers.Conv2D(5, data_format="channels_last", **kwargs),
                             x, NCHW_TO_NHWC, NHWC_TO_NCHW, fit=i == 0))
    return " | ".join(details)


@check
def conv2d_layout_sensitive_activation():
    """The activation sees the channels-first output, as in the parent layer (softmax over width)."""
    x = rand(2, 3, 6, 7)
    layer = k1.Conv2D(4, 3, data_format="channels_first", activation="softmax")
    ref = layers.Conv2D(4, 3, data_format="channels_last")
    out = numpy(layer(x))
    ref(np.transpose(x, NCHW_TO_NHWC))
    ref.set_weights(layer.get_weights())
    expected = numpy(ops.softmax(np.transpose(numpy(ref(np.transpose(x, NCHW_TO_NHWC))), NHWC_TO_NCHW), axis=-1))
    close(out, expected, "softmax over the last (width) axis")


@check
def conv2d_transpose_channels_first():
    x = rand(4, 3, 5, 6)
    details = []
    for i, kwargs in enumerate(({"kernel_size": (3, 3), "strides": (2, 2), "padding": "valid", "activation": "tanh"},
                                {"kernel_size": (2, 3), "strides": (2, 1), "padding": "same"})):
        details.append(_pair(lambda: k1.Conv2DTranspose(2, data_format="channels_first", **kwargs),
                             lambda: layers.Conv2DTranspose(2, data_format="channels_last", **kwargs),
                             x, NCHW_TO_NHWC, NHWC_TO_NCHW, fit=i == 0))
    return " | ".join(details)


@check
def convlstm2d_channels_first():
    x = rand(3, 4, 2, 6, 5)  # (batch, time, channels, rows, cols)
    to_last = (0, 1, 3, 4, 2)
    details = []
    for return_sequences in (True, False):
        perm_out = (0, 1, 4, 2, 3) if return_sequences else NHWC_TO_NCHW
        kwargs = {"padding": "same", "return_sequences": return_sequences}
        details.append(_pair(lambda: k1.ConvLSTM2D(3, (3, 3), data_format="channels_first", **kwargs),
                             lambda: layers.ConvLSTM2D(3, (3, 3), data_format="channels_last", **kwargs),
                             x, to_last, perm_out, fit=return_sequences))
    return " | ".join(details)


@check
def convlstm2d_channels_first_stateful_and_dropout():
    x = rand(2, 3, 2, 5, 5)
    to_last = (0, 1, 3, 4, 2)
    layer = k1.ConvLSTM2D(3, 3, data_format="channels_first", stateful=True, padding="same")
    ref = layers.ConvLSTM2D(3, 3, data_format="channels_last", stateful=True, padding="same")
    model = keras.Sequential([keras.Input(batch_shape=x.shape), layer])
    ref_model = keras.Sequential([keras.Input(batch_shape=np.transpose(x, to_last).shape), ref])
    ref.set_weights(layer.get_weights())
    first = model.predict(x, batch_size=2, verbose=0)
    second = model.predict(x, batch_size=2, verbose=0)
    expect(float(np.max(np.abs(first - second))) > 1e-4, "stateful: the state was not carried over")
    for out in (first, second):
        expected = np.transpose(ref_model.predict(np.transpose(x, to_last), batch_size=2, verbose=0), NHWC_TO_NCHW)
        close(out, expected, "stateful predict")
    expect(tuple(layer.states[0].shape) == (2, 3, 5, 5), f"state shape {tuple(layer.states[0].shape)}")

    dropout = k1.ConvLSTM2D(3, 3, data_format="channels_first", dropout=0.3, recurrent_dropout=0.3,
                            return_sequences=True)
    out = numpy(dropout(rand(2, 3, 2, 7, 6), training=True))
    expect(out.shape == (2, 3, 3, 5, 4), f"dropout training output {out.shape}")
    model = keras.Sequential([keras.Input((3, 2, 7, 6)), dropout])
    model.compile(optimizer="sgd", loss="mse")
    loss = model.fit(rand(2, 3, 2, 7, 6), rand(2, 3, 3, 5, 4), verbose=0).history["loss"][0]
    expect(np.isfinite(loss), f"dropout fit loss {loss}")


@check
def layers_match_parent_elsewhere():
    """channels_last (any backend) and channels_first off TensorFlow: exactly the parent."""
    x_cl = rand(2, 7, 6, 3)
    for cls, parent in ((k1.Conv2D, layers.Conv2D), (k1.Conv2DTranspose, layers.Conv2DTranspose)):
        mine, theirs = cls(4, 3, data_format="channels_last"), parent(4, 3, data_format="channels_last")
        mine.build(x_cl.shape)
        theirs.build(x_cl.shape)
        theirs.set_weights(mine.get_weights())
        close(numpy(mine(x_cl)), numpy(theirs(x_cl)), f"{cls.__name__} channels_last", tol=0)
    lstm = k1.ConvLSTM2D(2, 3, data_format="channels_last")
    expect(type(lstm.cell) is type(layers.ConvLSTM2D(2, 3).cell), "channels_last ConvLSTM2D cell class changed")
    cf = k1.ConvLSTM2D(2, 3, data_format="channels_first")
    changed = type(cf.cell) is not type(lstm.cell)
    expect(changed == (keras.backend.backend() == "tensorflow"),
           f"channels_first cell class changed={changed} on {keras.backend.backend()}")
    if keras.backend.backend() != "tensorflow":
        x_cf = np.transpose(x_cl, NHWC_TO_NCHW)
        mine, theirs = k1.Conv2D(4, 3, data_format="channels_first"), layers.Conv2D(4, 3, data_format="channels_first")
        mine.build(x_cf.shape)
        theirs.build(x_cf.shape)
        theirs.set_weights(mine.get_weights())
        close(numpy(mine(x_cf)), numpy(theirs(x_cf)), "Conv2D channels_first off TensorFlow", tol=0)
    return f"cell class changed: {changed}"


def _cf_model(conv=layers.Conv2D, conv_t=layers.Conv2DTranspose, conv_lstm=layers.ConvLSTM2D):
    image = keras.Input((3, 8, 8), name="image")
    x = conv(4, 3, data_format="channels_first", activation=k1.hard_sigmoid, name="conv")(image)
    x = conv_t(2, 3, strides=2, data_format="channels_first", name="deconv")(x)
    x = layers.Flatten()(x)
    frames = keras.Input((2, 1, 5, 5), name="frames")
    y = conv_lstm(2, 3, data_format="channels_first", name="convlstm")(frames)
    y = layers.Flatten()(y)
    z = layers.Reshape((-1, 2))(layers.Concatenate()([x, y]))
    z = layers.LSTM(3, recurrent_activation=k1.hard_sigmoid, name="lstm")(z)
    z = layers.Activation(k1.hard_sigmoid)(z)
    return keras.Model([image, frames], z)


@check
def weights_load_from_plain_layers():
    plain, mine = _cf_model(), _cf_model(k1.Conv2D, k1.Conv2DTranspose, k1.ConvLSTM2D)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "plain.weights.h5")
        plain.save_weights(path)
        mine.load_weights(path)
    for a, b in zip(plain.get_weights(), mine.get_weights()):
        close(a, b, "weights loaded from a plain-layer model", tol=0)
    inputs = [rand(2, 3, 8, 8), rand(2, 2, 1, 5, 5)]
    if keras.backend.backend() != "tensorflow":  # plain channels_first layers run here
        close(mine.predict(inputs, verbose=0), plain.predict(inputs, verbose=0), "predict vs plain layers", tol=0)


@check
def layer_config_round_trip():
    for layer in (k1.Conv2D(4, (3, 2), strides=2, data_format="channels_first", activation=k1.hard_sigmoid),
                  k1.Conv2DTranspose(4, 3, strides=2, data_format="channels_first"),
                  k1.ConvLSTM2D(4, 3, data_format="channels_first", recurrent_activation=k1.hard_sigmoid,
                                return_sequences=True)):
        config = layer.get_config()
        clone = type(layer).from_config(config)
        expect(clone.get_config() == config, f"{type(layer).__name__}: from_config(get_config()) differs")
        revived = keras.layers.deserialize(keras.layers.serialize(layer))
        expect(type(revived) is type(layer), f"deserialize gave {type(revived)}")
        expect(revived.data_format == "channels_first", f"{type(layer).__name__}: data_format lost")


@check
def keras_file_round_trip():
    model = _cf_model(k1.Conv2D, k1.Conv2DTranspose, k1.ConvLSTM2D)
    inputs = [rand(2, 3, 8, 8), rand(2, 2, 1, 5, 5)]
    before = model.predict(inputs, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
    after = loaded.predict(inputs, verbose=0)
    expect(np.array_equal(before, after), f"predictions differ by {np.max(np.abs(before - after)):.3g}")
    for name, cls in (("conv", k1.Conv2D), ("deconv", k1.Conv2DTranspose), ("convlstm", k1.ConvLSTM2D)):
        expect(type(loaded.get_layer(name)) is cls, f"{name}: loaded as {type(loaded.get_layer(name))}")
    expect(loaded.get_layer("lstm").cell.recurrent_activation is k1.hard_sigmoid, "LSTM recurrent_activation")
    expect(loaded.get_layer("conv").activation is k1.hard_sigmoid, "Conv2D activation")


# --- layer nodes ---------------------------------------------------------------------------

@check
def nodes_shared_lstm():
    a, b = keras.Input((10, 6)), keras.Input((10, 6))
    lstm = layers.LSTM(4)
    raises(AttributeError, lambda: k1.get_output_at(lstm, 0), "never called")
    raises(AttributeError, lambda: k1.input_shape(lstm), "never called: input_shape")
    encoded_a, encoded_b = lstm(a), lstm(b)
    expect(k1.get_output_at(lstm, 0) == encoded_a, "get_output_at(0)")
    expect(k1.get_output_at(lstm, 1) == encoded_b, "get_output_at(1)")
    expect(k1.get_output_at(lstm, -1) is encoded_b, "get_output_at(-1)")
    expect(k1.get_input_at(lstm, 0) is a and k1.get_input_at(lstm, 1) is b, "get_input_at")
    expect(k1.get_input_shape_at(lstm, 1) == (None, 10, 6), f"{k1.get_input_shape_at(lstm, 1)}")
    expect(k1.get_output_shape_at(lstm, 0) == (None, 4), f"{k1.get_output_shape_at(lstm, 0)}")
    expect(k1.input_shape(lstm) == (None, 10, 6), f"input_shape {k1.input_shape(lstm)}")
    expect(k1.output_shape(lstm) == (None, 4), f"output_shape {k1.output_shape(lstm)}")
    other = type("Other", (), {"output_shape": (7,)})()  # not a layer: its own attribute
    expect(k1.output_shape(other) == (7,), "a non-layer's own output_shape")
    message = raises(ValueError, lambda: k1.get_output_at(lstm, 2), "node 2 of 2")
    raises(ValueError, lambda: k1.get_input_shape_at(lstm, -3), "node -3 of 2")
    return message


@check
def nodes_shared_conv_different_sizes():
    a, b = keras.Input((3, 32, 32)), keras.Input((3, 64, 64))
    conv = k1.Conv2D(16, 3, padding="same", data_format="channels_first")
    conv(a)
    expect(k1.input_shape(conv) == (None, 3, 32, 32), f"input_shape after one call {k1.input_shape(conv)}")
    conved_b = conv(b)
    expect(k1.get_input_shape_at(conv, 0) == (None, 3, 32, 32), f"{k1.get_input_shape_at(conv, 0)}")
    expect(k1.get_input_shape_at(conv, 1) == (None, 3, 64, 64), f"{k1.get_input_shape_at(conv, 1)}")
    expect(k1.get_output_shape_at(conv, 1) == (None, 16, 64, 64), f"{k1.get_output_shape_at(conv, 1)}")
    expect(k1.get_output_at(conv, 1) is conved_b, "get_output_at(1)")
    message = raises(AttributeError, lambda: k1.input_shape(conv), "input_shape with two input shapes")
    raises(AttributeError, lambda: k1.output_shape(conv), "output_shape with two output shapes")
    expect("get_input_shape_at" in message, f"message does not point to get_input_shape_at: {message}")
    return message


@check
def nodes_masks_and_multiple_tensors():
    tokens = keras.Input((7,), dtype="int32")
    embedding = layers.Embedding(20, 4, mask_zero=True)
    lstm = layers.LSTM(3)
    embedded = embedding(tokens)
    out = lstm(embedded)
    mask = k1.get_output_mask_at(embedding, 0)
    expect(mask is not None and tuple(mask.shape) == (None, 7), f"Embedding output mask {mask}")
    expect(k1.get_input_mask_at(lstm, 0) is mask, "LSTM input mask is the Embedding's output mask")
    expect(k1.get_input_at(lstm, 0) is embedded, "the mask Keras passes by keyword is no input")
    expect(k1.get_input_mask_at(embedding, 0) is None, "Embedding input mask")
    expect(k1.get_output_mask_at(lstm, 0) is None, "LSTM(return_sequences=False) output mask")

    x, y = keras.Input((3,)), keras.Input((5,))
    concat = layers.Concatenate()
    joined = concat([x, y])
    inputs = k1.get_input_at(concat, 0)
    expect(isinstance(inputs, list) and inputs[0] is x and inputs[1] is y, f"two inputs: {inputs}")
    expect(k1.input_shape(concat) == [(None, 3), (None, 5)], f"input_shape {k1.input_shape(concat)}")
    expect(k1.get_input_mask_at(concat, 0) == [None, None], "two input masks")
    expect(k1.get_output_at(concat, 0) is joined, "single output")

    model = keras.Model([tokens, x, y], [out, joined])
    expect(k1.input_shape(model) == [(None, 7), (None, 3), (None, 5)], f"model input_shape {k1.input_shape(model)}")
    expect(k1.output_shape(model) == [(None, 3), (None, 8)], f"model output_shape {k1.output_shape(model)}")
    input_layer = x._keras_history[0]
    expect(k1.get_input_at(input_layer, 0) is x and k1.get_output_at(input_layer, 0) is x, "InputLayer node")
    expect(k1.input_shape(input_layer) == (None, 3), "InputLayer input_shape")

    seq = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dense(2)])
    expect(k1.input_shape(seq) == (None, 4) and k1.output_shape(seq) == (None, 2), "Sequential shapes")
    expect(k1.input_shape(seq.layers[1]) == (None, 3), f"Sequential layer {k1.input_shape(seq.layers[1])}")
    new = keras.Input((4,))
    seq(new)
    expect(k1.get_input_at(seq, 1) is new, "a model called on a new input adds node 1")


@check
def keras1_layer_protocol_pieces():
    """What custom-layer code calls: initializations.get's init(shape, name) makes a variable,
    K.zeros a variable; regularizers.get knows Keras 1's names and 1.2's no-op set_param;
    constraints.get Keras 1's names; in_train_phase reads the call's training flag."""
    init = k1.initializations.get("glorot_uniform")
    w = init((4, 3), name="dense_1/W")
    expect(isinstance(w, keras.Variable) and w.name == "dense_1_W", f"init(shape, name) made {w!r}")
    limit = np.sqrt(6 / 7)
    expect(np.abs(numpy(w)).max() <= limit, "glorot_uniform bound")
    expect(not isinstance(init((4, 3), dtype="float32"), keras.Variable), "as a Keras 3 initializer: values")
    expect(isinstance(k1.zeros((2,), name="b"), keras.Variable), "K.zeros made a variable")
    reg = k1.regularizers.get("l1l2")
    close(numpy(reg(ops.ones((2, 2)))), 0.01 * 4 + 0.01 * 4, "l1l2 is L1L2(0.01, 0.01)")
    reg.set_param(w)  # Keras 1.2: a no-op
    expect(w.regularizer is None, "set_param attached nothing")
    expect(isinstance(k1.constraints.get("maxnorm"), keras.constraints.MaxNorm), "maxnorm")

    class Halve(layers.Layer):
        def call(self, x):
            return k1.in_train_phase(x * 0.5, x)
    x = np.ones((1, 2), "float32")
    close(numpy(Halve()(x, training=True)), 0.5 * x, "in training")
    close(numpy(Halve()(x)), x, "in inference")
    return "ok"


# --- Keras 1 weight arrays (get_weights / set_weights) ---------------------------------------

def _keras1_weight_layers():
    """(name, layer, input shape): every layer kind with a Keras 1 weight layout, built."""
    cf = {"data_format": "channels_first"}
    cases = [
        ("Dense", layers.Dense(3), (4,)),
        ("Dense(use_bias=False)", layers.Dense(3, use_bias=False), (4,)),
        ("Embedding", layers.Embedding(10, 3), (5,)),
        ("PReLU", layers.PReLU(shared_axes=[1]), (3, 4)),
        ("SimpleRNN", layers.SimpleRNN(2), (5, 4)),
        ("LSTM", layers.LSTM(3), (5, 4)),
        ("LSTM(use_bias=False)", layers.LSTM(3, use_bias=False), (5, 4)),
        ("GRU", layers.GRU(2, reset_after=False), (5, 4)),
        ("Conv1D", layers.Conv1D(2, 3), (7, 3)),
        ("Conv2D 'th'", layers.Conv2D(2, (3, 2), **cf), (3, 6, 6)),
        ("Conv2D 'tf'", layers.Conv2D(2, (3, 2)), (6, 6, 3)),
        ("k1.Conv2D 'th'", k1.Conv2D(2, (3, 2), **cf), (3, 6, 6)),
        ("Conv3D 'th'", layers.Conv3D(2, (2, 3, 2), **cf), (3, 5, 5, 5)),
        ("Conv3D 'tf'", layers.Conv3D(2, (2, 3, 2)), (5, 5, 5, 3)),
        ("Conv2DTranspose 'th'", k1.Conv2DTranspose(2, (3, 2), **cf), (3, 5, 5)),
        ("Conv2DTranspose 'tf'", layers.Conv2DTranspose(2, (3, 2)), (5, 5, 3)),
        ("SeparableConv2D 'th'", layers.SeparableConv2D(4, (3, 2), depth_multiplier=2, **cf), (3, 6, 6)),
        ("ConvLSTM2D 'th'", k1.ConvLSTM2D(2, (3, 2), **cf), (4, 3, 6, 6)),
        ("ConvLSTM2D 'tf'", layers.ConvLSTM2D(2, (3, 2)), (4, 6, 6, 3)),
        ("BatchNormalization", layers.BatchNormalization(axis=1), (3, 4)),
        ("BatchNormalization(scale=False)", layers.BatchNormalization(scale=False), (4,)),
        ("TimeDistributed(Dense)", layers.TimeDistributed(layers.Dense(3)), (5, 4)),
        ("Bidirectional(LSTM)", layers.Bidirectional(layers.LSTM(3)), (5, 4)),
        ("MaxoutDense", k1.MaxoutDense(3, 2), (4,)),
        ("Highway", k1.Highway(), (4,)),
        ("SReLU", k1.SReLU(), (4,)),
        ("LocallyConnected1D", k1.LocallyConnected1D(2, 3), (6, 3)),
    ]
    for _, layer, shape in cases:
        keras.Sequential([keras.Input(shape), layer])
    return cases


# Keras 1 arrays a Keras 3 layer lacks the variable for: they keep Keras 1's constant.
_CONSTANT = {"LSTM(use_bias=False)": {2, 5, 8, 11}, "BatchNormalization(scale=False)": {0}}


def _fits(name, like, seed):
    """Random arrays shaped like ``like`` (but for _CONSTANT's)."""
    return [a if i in _CONSTANT.get(name, ()) else rand(*a.shape, seed=seed + i) for i, a in enumerate(like)]


@check
def keras1_weights_round_trip():
    """For every layer kind and both Keras 1 backends: set(get()) leaves every variable as it
    was, and get(set(arrays)) gives the arrays back (as copies)."""
    counts = []
    for name, layer, _ in _keras1_weight_layers():
        for seed, backend in enumerate(("tensorflow", "theano")):
            before = [numpy(w).copy() for w in layer.weights]
            k1.set_keras1_weights(layer, k1.get_keras1_weights(layer, backend=backend), backend=backend)
            for b, w in zip(before, layer.weights):
                close(numpy(w), b, f"{name}, {backend}: set(get())", tol=0)
            arrays = _fits(name, k1.get_keras1_weights(layer, backend=backend), 10 * seed)
            k1.set_keras1_weights(layer, arrays, backend=backend)
            got = k1.get_keras1_weights(layer, backend=backend)
            expect(len(got) == len(arrays), f"{name}: {len(got)} arrays back, {len(arrays)} set")
            for i, (g, a) in enumerate(zip(got, arrays)):
                close(g, a, f"{name}, {backend}: get(set()) array {i}", tol=0)
            got[0][...] = 7.0  # Keras 1 returned copies: changing one changes no weight
            expect(not np.any(numpy(layer.weights[0]) == 7.0), f"{name}: get_keras1_weights returned a view")
        counts.append(f"{name} {len(got)}")
    return ", ".join(counts)


@check
def keras1_weights_layouts():
    """The arrays are Keras 1's: LSTM's per-gate arrays (i, c, f, o), a 'th' kernel
    (filters, in, rows, cols), flipped for Theano, Convolution1D's 4-D kernel, GRU's z, r, h,
    BatchNormalization's running_std = the moving variance."""
    lstm = layers.LSTM(3)
    keras.Sequential([keras.Input((5, 4)), lstm])
    kernel, recurrent, bias = (numpy(w) for w in (lstm.cell.kernel, lstm.cell.recurrent_kernel, lstm.cell.bias))
    arrays = k1.get_keras1_weights(lstm)
    for k, gate in enumerate("icfo"):
        block = slice(3 * "ifco".index(gate), 3 * "ifco".index(gate) + 3)  # Keras 3's gate order
        close(arrays[3 * k], kernel[:, block], f"W_{gate}", tol=0)
        close(arrays[3 * k + 1], recurrent[:, block], f"U_{gate}", tol=0)
        close(arrays[3 * k + 2], bias[block], f"b_{gate}", tol=0)
    # consume_less='gpu''s three fused arrays (gates i, f, c, o) are set as they are.
    k1.set_keras1_weights(lstm, [kernel * 2, recurrent, bias])
    close(numpy(lstm.cell.kernel), kernel * 2, "LSTM consume_less='gpu' arrays", tol=0)
    gru = layers.GRU(2, reset_after=False)
    keras.Sequential([keras.Input((5, 4)), gru])
    close(k1.get_keras1_weights(gru)[3], numpy(gru.cell.kernel)[:, 2:4], "GRU W_r", tol=0)
    conv = layers.Conv2D(2, (3, 2), data_format="channels_first")
    keras.Sequential([keras.Input((3, 6, 6)), conv])
    k = numpy(conv.kernel)  # (rows, cols, in, filters)
    close(k1.get_keras1_weights(conv)[0], k.transpose(3, 2, 0, 1), "'th' kernel", tol=0)
    close(k1.get_keras1_weights(conv, backend="theano")[0], k.transpose(3, 2, 0, 1)[:, :, ::-1, ::-1],
          "Theano 'th' kernel", tol=0)
    conv1d = layers.Conv1D(2, 3)
    keras.Sequential([keras.Input((7, 3)), conv1d])
    close(k1.get_keras1_weights(conv1d, backend="theano")[0], numpy(conv1d.kernel)[::-1, None],
          "Convolution1D (length, 1, in, filters), Theano", tol=0)
    deconv = layers.Conv2DTranspose(2, (3, 2), data_format="channels_first")
    keras.Sequential([keras.Input((3, 5, 5)), deconv])
    close(k1.get_keras1_weights(deconv)[0], numpy(deconv.kernel).transpose(2, 3, 0, 1),
          "Deconvolution2D 'th' (filters, in, rows, cols)", tol=0)
    bn = layers.BatchNormalization()
    keras.Sequential([keras.Input((4,)), bn])
    bn.moving_variance.assign(np.arange(1, 5, dtype="float32"))
    close(k1.get_keras1_weights(bn)[3], np.arange(1, 5), "running_std is the moving variance", tol=0)
    message = raises(ValueError, lambda: k1.set_keras1_weights(lstm, [kernel] * 12), "12 fused arrays")
    expect("W_i" in message and lstm.name in message, message)
    message = raises(ValueError, lambda: k1.set_keras1_weights(conv, [np.zeros((3, 2, 3, 2))]), "no bias")
    expect("bias=False" in message, message)
    raises(ValueError, lambda: k1.get_keras1_weights(conv, backend="auto"), "backend='auto'")
    expect(k1.get_keras1_weights(layers.Dense(2)) == [], "an unbuilt layer has no arrays")
    return message


@check
def keras1_model_weights():
    """Keras 1's model.get_weights(): the layers' arrays in Keras 1's order; an inner model
    of a functional model gives all its trainable arrays first (its `weights`: the moving
    statistics last), one of a Sequential its layers' arrays in turn (its `get_weights()`). set_weights inverts it and
    refuses a list that does not fit, changing nothing."""
    def inner():
        return keras.Sequential([keras.Input((3,)), layers.Dense(4, name="d1"), layers.BatchNormalization(name="bn"),
                                 layers.Dense(4, name="d2")], name="inner")
    x = keras.Input((3,))
    nested = inner()
    functional = keras.Model(x, layers.Dense(2, name="head")(nested(x)))
    d1, bn, d2 = (nested.get_layer(n) for n in ("d1", "bn", "d2"))
    w = lambda *vs: [numpy(v) for v in vs]  # noqa: E731
    expected = w(d1.kernel, d1.bias, bn.gamma, bn.beta, d2.kernel, d2.bias, bn.moving_mean, bn.moving_variance)
    got = k1.get_keras1_weights(functional)
    head = functional.get_layer("head")
    expect(len(got) == 10, f"{len(got)} arrays")
    for i, (g, e) in enumerate(zip(got, expected + w(head.kernel, head.bias))):
        close(g, e, f"functional model array {i}", tol=0)
    sequential = keras.Sequential([keras.Input((3,)), nested, layers.Dense(2)])
    per_layer = w(d1.kernel, d1.bias, bn.gamma, bn.beta, bn.moving_mean, bn.moving_variance, d2.kernel, d2.bias)
    for i, (g, e) in enumerate(zip(k1.get_keras1_weights(sequential), per_layer)):
        close(g, e, f"Sequential array {i}", tol=0)
    for model in (functional, sequential):
        arrays = [rand(*a.shape, seed=i) + 1.5 for i, a in enumerate(k1.get_keras1_weights(model))]
        k1.set_keras1_weights(model, arrays)
        for i, (g, a) in enumerate(zip(k1.get_keras1_weights(model), arrays)):
            close(g, a, f"{model.name}: get(set()) array {i}", tol=0)
        before = w(*model.weights)
        raises(ValueError, lambda: k1.set_keras1_weights(model, arrays[:-1]), "one array short")
        raises(ValueError, lambda: k1.set_keras1_weights(model, arrays + arrays[-1:]), "one array more")
        for b, v in zip(before, model.weights):
            close(numpy(v), b, "a refused set_weights changes nothing", tol=0)
    # A layer obtained from the model gives what the model holds for it.
    close(k1.get_keras1_weights(functional.get_layer("head"))[0], numpy(head.kernel), "get_layer", tol=0)
    return f"{len(got)} arrays"



# --- keras.backend (k1.backend) beyond the oracle ---------------------------------------------
# fixtures/oracle/backend_ops.py checks the K.* functions Keras 1.2.2 ran on Theano; these
# check what only its TensorFlow backend had (conv1d, atrous_conv2d, separable_conv2d, and
# deconv2d's TensorFlow 'same'), the random ones, and the functions inside compiled models.

def _convert_and_run(source, **names):
    """The namespace of a Keras 1 snippet converted by k1port and run with `names` defined."""
    from k1port.api import Options, convert_source

    code = convert_source(source, Options()).code
    ns = dict(names)
    exec(compile(code, "<converted>", "exec"), ns)
    return code, ns


def _np_conv2d(x, k, strides=(1, 1), padding="valid", dilation=(1, 1)):
    """TensorFlow's conv2d (a cross-correlation) in NumPy: x (b, h, w, in), k (kh, kw, in, out)."""
    kh, kw = [(size - 1) * d + 1 for size, d in zip(k.shape[:2], dilation)]
    dilated = np.zeros((kh, kw) + k.shape[2:], "float64")
    dilated[::dilation[0], ::dilation[1]] = k
    if padding == "same":
        pads = []
        for n, s, size in zip(x.shape[1:3], strides, (kh, kw)):
            total = max((-(-n // s) - 1) * s + size - n, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, [(0, 0), *pads, (0, 0)])
    oh, ow = (x.shape[1] - kh) // strides[0] + 1, (x.shape[2] - kw) // strides[1] + 1
    out = np.zeros((x.shape[0], oh, ow, k.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * strides[0]:i * strides[0] + kh, j * strides[1]:j * strides[1] + kw, :]
            out[:, i, j] = np.tensordot(patch, dilated, axes=([1, 2, 3], [0, 1, 2]))
    return out


def _np_deconv2d(x, k, size, strides, padding):
    """TensorFlow's conv2d_transpose in NumPy: the adjoint of the 'same'/'valid' convolution of
    a `size` image; x (b, h, w, in), k (kh, kw, in, out) (Keras 1's 'tf' deconv2d kernel)."""
    (kh, kw), (sh, sw) = k.shape[:2], strides
    before = [max((n - 1) * s + kk - o, 0) // 2 if padding == "same" else 0
              for n, s, kk, o in zip(x.shape[1:3], strides, (kh, kw), size)]
    full = np.zeros((x.shape[0], max(before[0] + size[0], (x.shape[1] - 1) * sh + kh),
                     max(before[1] + size[1], (x.shape[2] - 1) * sw + kw), k.shape[3]))
    for i in range(x.shape[1]):
        for j in range(x.shape[2]):
            full[:, i * sh:i * sh + kh, j * sw:j * sw + kw] += np.einsum("bc,hwco->bhwo", x[:, i, j], k)
    return full[:, before[0]:before[0] + size[0], before[1]:before[1] + size[1]]


def _th(image):
    return np.transpose(image, (0, 3, 1, 2))


@check
def backend_tensorflow_only_convolutions():
    """conv1d, atrous_conv2d, separable_conv2d (Keras 1 on TensorFlow only) and deconv2d as
    TensorFlow computed it, against NumPy, in both orderings."""
    x, kernel = rand(2, 9, 3), rand(3, 3, 4, seed=1)
    code, ns = _convert_and_run("from keras import backend as K\ny = K.conv1d(x, kernel, 2, border_mode='same')\n",
                                x=x, kernel=kernel)
    expect("ops.conv(" in code, code)
    close(numpy(ns["y"]), _np_conv2d(x[:, :, None], kernel[:, None], (2, 1), "same")[:, :, 0], "conv1d")
    image, k2 = rand(2, 7, 6, 3, seed=2), rand(3, 2, 3, 4, seed=3)
    th_kernel = np.transpose(k2, (3, 2, 0, 1))
    for mode in ("valid", "same"):
        want = _np_conv2d(image, k2, padding=mode, dilation=(2, 2))
        close(numpy(k1.backend.atrous_conv2d(image, k2, 2, mode, "tf")), want, f"atrous_conv2d {mode}")
        close(numpy(k1.backend.atrous_conv2d(_th(image), th_kernel, 2, mode, "th")), _th(want), f"atrous 'th' {mode}")
        close(numpy(k1.backend.conv2d(image, k2, (2, 2), mode, "tf")), _np_conv2d(image, k2, (2, 2), mode),
              f"conv2d TensorFlow {mode}")
    depthwise, pointwise = rand(3, 3, 3, 2, seed=4), rand(1, 1, 6, 5, seed=5)
    per_channel = np.concatenate([_np_conv2d(image[..., c:c + 1], depthwise[:, :, c:c + 1], (2, 2), "same")
                                  for c in range(3)], axis=-1)
    want = np.tensordot(per_channel, pointwise[0, 0], axes=([3], [0]))
    close(numpy(k1.backend.separable_conv2d(image, depthwise, pointwise, (2, 2), "same", "tf")), want,
          "separable_conv2d")
    close(numpy(k1.backend.separable_conv2d(_th(image), np.transpose(depthwise, (3, 2, 0, 1)),
                                            np.transpose(pointwise, (3, 2, 0, 1)), (2, 2), "same", "th")),
          _th(want), "separable_conv2d 'th'")
    small = rand(2, 4, 3, 4, seed=6)
    for kernel_size, strides, mode, size in (((3, 3), (2, 2), "same", (8, 6)), ((2, 2), (2, 2), "same", (8, 5)),
                                             ((3, 2), (1, 1), "valid", (6, 4)), ((2, 3), (2, 1), "same", (7, 3))):
        k = rand(*kernel_size, 4, 2, seed=7)
        want = _np_deconv2d(small, k, size, strides, mode)
        close(numpy(k1.backend.deconv2d(small, k, (None, *size, 2), strides, mode, "tf")), want,
              f"deconv2d {kernel_size} {strides} {mode}")
        close(numpy(k1.backend.deconv2d(_th(small), np.transpose(k, (3, 2, 0, 1)), (None, 2, *size), strides, mode,
                                        "th")), _th(want), f"deconv2d 'th' {kernel_size} {strides} {mode}")
    return "conv1d, atrous_conv2d, separable_conv2d, deconv2d as Keras 1's TensorFlow backend"


@check
def backend_random_binomial():
    """K.random_binomial(shape, p): 0/1 draws of mean p in floatx (checked statistically)."""
    code, ns = _convert_and_run("from keras import backend as K\n"
                                "draws = K.random_binomial((20000,), p=0.3)\n"
                                "zeros, ones = K.random_binomial((50,)), K.random_binomial((50,), 1.0)\n")
    expect("random.binomial(" in code, code)
    draws = numpy(ns["draws"])
    expect(set(np.unique(draws)) <= {0.0, 1.0} and draws.dtype == np.float32, f"{np.unique(draws)}, {draws.dtype}")
    expect(abs(draws.mean() - 0.3) < 0.015, f"mean {draws.mean():.4f}, expected 0.3 (4 standard errors: 0.013)")
    expect(not numpy(ns["zeros"]).any() and numpy(ns["ones"]).all(), "p=0 (the default) and p=1")
    return f"mean of 20000 draws with p=0.3: {draws.mean():.4f}"


@check
def backend_functions_in_models():
    """k1.backend functions on symbolic tensors: inside a model (compiled functions on
    TensorFlow, batch size unknown) they compute what they compute eagerly."""
    W, U = rand(3, 4, seed=8), rand(4, 4, seed=9)

    def step(x_t, states):
        h = ops.tanh(ops.matmul(x_t, W) + ops.matmul(states[0], U))
        return h, [h]

    def features(inputs):
        seq, img = inputs
        _, outputs, _ = k1.backend.rnn(step, seq, [ops.zeros_like(seq[:, 0, :1]) + ops.zeros((1, 4))],
                                       go_backwards=True, mask=ops.greater(ops.sum(seq, axis=-1), -1.0))
        conv = k1.backend.conv2d(img, rand(3, 2, 2, 2, seed=10), border_mode="same", dim_ordering="th",
                                 keras1_backend="theano")
        pooled = k1.backend.pool2d(conv, (2, 2), border_mode="same", dim_ordering="th", keras1_backend="theano")
        up = k1.backend.deconv2d(pooled, rand(2, 3, 3, 3, seed=11), (None, 2, 8, 6), (2, 2), "same", "th",
                                 keras1_backend="theano")
        flat = k1.backend.batch_dot(outputs, outputs, axes=[2, 2])
        return [k1.backend.switch(ops.greater(flat, 0), flat, -flat), up]

    seq_in, img_in = keras.Input((5, 3)), keras.Input((2, 4, 3))
    model = keras.Model([seq_in, img_in], layers.Lambda(features)([seq_in, img_in]))
    data = [rand(3, 5, 3, seed=12), rand(3, 2, 4, 3, seed=13)]
    eager = [numpy(t) for t in features([ops.convert_to_tensor(d) for d in data])]
    for got, want in zip(model.predict(data, verbose=0), eager):
        close(got, want, "in a model")
    expect(tuple(model.outputs[1].shape) == (None, 2, 8, 6), f"deconv2d shape {model.outputs[1].shape}")
    return "rnn, conv2d, pool2d, deconv2d, batch_dot, switch"


@check
def backend_variables_and_values():
    """K.variable made floatx variables whatever the array (Keras 3 keeps float64 / int64);
    integer ones work on torch; the value helpers."""
    code, ns = _convert_and_run("import numpy as np\nfrom keras import backend as K\n"
                                "v = K.variable(np.zeros((2, 3)))\ni = K.variable(np.arange(3), dtype='int32')\n"
                                "K.batch_set_value([(v, np.ones((2, 3)))])\nvalues = K.batch_get_value([v, i])\n"
                                "n = K.count_params(v)\np = K.print_tensor(v * 2, 'v * 2 = ')\n"
                                "import keras\nd = K.ndim(keras.Input((3, 4)))\n")
    expect(ns["v"].dtype == "float32" and ns["i"].dtype == "int32", f"{ns['v'].dtype}, {ns['i'].dtype}")
    close(ns["values"][0], np.ones((2, 3)), "batch_set_value / batch_get_value", tol=0)
    close(ns["values"][1], np.arange(3), "an int32 variable", tol=0)
    expect(ns["n"] == 6, f"count_params {ns['n']}")
    expect(ns["d"] == 3 and isinstance(ns["d"], int), f"K.ndim of a symbolic tensor: {ns['d']!r}")
    close(numpy(ns["p"]), 2 * np.ones((2, 3)), "print_tensor returns its tensor", tol=0)
    expect(k1.backend.is_keras_tensor(ns["v"]) and not k1.backend.is_keras_tensor(np.ones(2)),
           "a variable is a Keras 1 'Keras tensor', an array is not")
    return code.count("k1.backend.")


@check
def generator_methods_count_samples():
    """fit_generator draws ceil(samples_per_epoch / batch) batches per epoch (Keras 1 counted
    samples), validation ceil(nb_val_samples / batch); evaluate/predict likewise."""
    drawn = []

    def batches(size, tag):
        rng = np.random.RandomState(0)
        while True:
            drawn.append(tag)
            yield rng.rand(size, 3).astype("float32"), rng.rand(size, 1).astype("float32")

    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    model.compile("sgd", "mse")
    trained = []
    count = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: trained.append(batch))
    history = k1.fit_generator(model, batches(8, "train"), samples_per_epoch=20, nb_epoch=2, verbose=0,
                               validation_data=batches(4, "val"), nb_val_samples=10, callbacks=[count])
    expect(len(trained) == 6, f"3 batches trained per epoch, got {len(trained)}")
    expect(6 <= drawn.count("train") <= 8, f"3 train batches drawn per epoch (the backend may prefetch), "
                                           f"got {drawn.count('train')}")
    expect(drawn.count("val") == 6, f"3 validation batches per epoch, got {drawn.count('val')}")
    expect(len(history.history["loss"]) == 2 and "val_loss" in history.history, f"history {history.history}")
    def weighted():  # (x, y, sample_weight): zero weights, zero loss
        while True:
            yield np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), np.zeros(4, "float32")

    class Source(keras.callbacks.Callback):  # a callback that prepares the generator (image_ocr)
        def on_train_begin(self, logs=None):
            self.began = getattr(self, "began", 0) + 1

        def batches(self):
            while True:
                assert self.began == 1, "on_train_begin runs once, before the first batch is drawn"
                yield np.ones((4, 3), "float32"), np.ones((4, 1), "float32")

    source = Source()
    k1.fit_generator(model, source.batches(), samples_per_epoch=8, nb_epoch=1, verbose=0, callbacks=[source])
    expect(source.began == 1, f"on_train_begin ran {source.began} times")
    named_in = keras.Input((3,), name="the_input")
    named = keras.Model(named_in, layers.Dense(1, name="out")(named_in))
    named.compile("sgd", "mse")

    def with_extra_keys():  # Keras 1 read the model's names and ignored the rest (image_ocr)
        while True:
            yield {"the_input": np.ones((4, 3), "float32"), "text": ["a", "b", "c", "d"]}, \
                {"out": np.ones((4, 1), "float32")}

    extra = k1.fit_generator(named, with_extra_keys(), samples_per_epoch=8, nb_epoch=1, verbose=0)
    expect(len(extra.history["loss"]) == 1, "dict batches with keys the model does not name")
    zero = k1.fit_generator(model, weighted(), samples_per_epoch=8, nb_epoch=1, verbose=0)
    expect(zero.history["loss"][0] == 0.0, f"(x, y, w) batches weighted: loss {zero.history['loss']}")
    drawn.clear()
    loss = k1.evaluate_generator(model, batches(5, "eval"), 12)
    expect(np.isscalar(loss) or np.ndim(loss) == 0, f"a scalar loss, got {loss!r}")
    predictions = k1.predict_generator(model, batches(5, "pred"), 12)
    expect(predictions.shape == (15, 1), f"3 batches of 5 predicted, got {predictions.shape}")
    probabilities = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]], "float32")
    classes = keras.Sequential([keras.Input((3,)), layers.Activation("linear")])
    expect(list(k1.predict_classes(classes, probabilities, verbose=0)) == [1, 0], "argmax classes")
    single = keras.Sequential([keras.Input((1,)), layers.Activation("linear")])
    got = k1.predict_classes(single, np.array([[0.2], [0.7]], "float32"), verbose=0)
    expect(got.tolist() == [[0], [1]] and got.dtype == np.int32, f"one unit: thresholded at 0.5, got {got!r}")
    return "ok"



@check
def model_reset_states():
    """Keras 1's model.reset_states() (stateful_lstm): every stateful layer's states to zero."""
    code, ns = _convert_and_run("import numpy as np\nfrom keras.models import Sequential\n"
                                "from keras.layers import LSTM, Dense\nmodel = Sequential()\n"
                                "model.add(LSTM(3, batch_input_shape=(2, 4, 5), stateful=True))\n"
                                "model.add(Dense(1))\nx = np.ones((2, 4, 5), 'float32')\n"
                                "first = model.predict(x, batch_size=2)\nsecond = model.predict(x, batch_size=2)\n"
                                "model.reset_states()\nthird = model.predict(x, batch_size=2)\n")
    expect("k1.reset_states(model)" in code, code)
    expect(not np.allclose(ns["first"], ns["second"]), "the states carried over between calls")
    close(ns["third"], ns["first"], "after reset_states, the first call's result again")
    return "ok"



@check
def loss_reading_model_tensors():
    """The VAE's loss reads z_mean (Keras 1 built it into the training graph): the converted
    k1.compile evaluates it per sample, weighted as Keras 1 weighted, and trains."""
    code, ns = _convert_and_run(
        "import numpy as np\nfrom keras.layers import Input, Dense\nfrom keras.models import Model\n"
        "from keras import backend as K\nx = Input(shape=(4,))\nz_mean = Dense(2, name='z')(x)\n"
        "decoded = Dense(4, name='dec')(z_mean)\n"
        "def vae_loss(y_true, y_pred):\n"
        "    return K.mean(K.square(y_true - y_pred), axis=-1) + K.sum(K.square(z_mean), axis=-1)\n"
        "vae = Model(x, decoded)\nvae.compile(optimizer='sgd', loss=vae_loss)\n"
        "data = np.random.RandomState(0).rand(6, 4).astype('float32')\n"
        "loss = vae.evaluate(data, data, batch_size=6, verbose=0)\n"
        "z, out = Model(x, [z_mean, decoded]).predict(data, verbose=0)\n"
        "w = np.array([1, 0, 2, 0, 1, 1], 'float32')\n"
        "weighted = vae.evaluate(data, data, sample_weight=w, batch_size=6, verbose=0)\n"
        "history = vae.fit(data, data, batch_size=3, nb_epoch=2, verbose=0)\n")
    expect("k1.compile(vae" in code, code)
    per_sample = np.mean((ns["data"] - ns["out"]) ** 2, axis=-1) + np.sum(ns["z"] ** 2, axis=-1)
    close(ns["loss"], per_sample.mean(), "loss = mean over samples of mse + the KL-like term on z_mean")
    w = ns["w"]
    close(ns["weighted"], np.mean(per_sample * w / np.mean(w != 0)), "Keras 1's weighting")
    losses = ns["history"].history["loss"]
    expect(len(losses) == 2 and losses[1] < losses[0], f"it trains: {losses}")
    return "ok"


if __name__ == "__main__":
    run()
