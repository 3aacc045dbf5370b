"""Run every k1port.runtime.weights check in one process on the backend KERAS_BACKEND names.

Importing Keras costs seconds, so test_weights.py runs this script once per backend. The
last stdout line is one JSON object: {check_name: {"ok": bool, "detail": str}}.

Each oracle check rebuilds, in Keras 3 (plain layers plus k1 runtime layers, as k1port
converts the Keras 1 code in make_data.py), a model whose Keras 1.2.2 weights and
predictions are committed under data/, loads the weights and compares predictions.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import check, close, expect, raises, run  # noqa: E402

import os
import shutil
import tempfile
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

import k1port.runtime as k1  # noqa: E402
from k1port.runtime import weights as kw  # noqa: E402

DATA = Path(__file__).with_name("data")
TMP = Path(tempfile.mkdtemp(prefix="k1port-weights-test-"))


def data(name):
    arrays = np.load(DATA / f"{name}.npz")
    inputs = [arrays[f"x{i}"] for i in range(len(arrays.files) - 1)]
    return inputs, arrays["y"]


def predict(model, inputs):
    return ops.convert_to_numpy(model(inputs if len(inputs) > 1 else inputs[0], training=False))


def hard_sigmoid_kwargs():
    return {"recurrent_activation": k1.hard_sigmoid}


def matches_keras1(name, model, backend="auto", path=None, expect_backend="theano", flipped=None):
    """Load data/<name>.h5 into ``model`` and compare with Keras 1's predictions."""
    inputs, expected = data(name)
    report = k1.load_keras1_weights(model, path or DATA / f"{name}.h5", backend=backend)
    expect(isinstance(report, k1.Keras1WeightsReport), f"returned {report!r}")
    expect(report.backend == expect_backend, f"backend {report.backend!r} ({report.backend_reason})")
    if flipped is not None:
        expect(report.flipped == flipped, f"flipped {report.flipped} != {flipped}")
    diff = close(predict(model, inputs), expected, name)
    return f"max diff {diff:.2g}; {report}"


def lstm(units, **kwargs):
    """Keras 1's LSTM as k1port converts it (the gates' hard_sigmoid is Keras 1's)."""
    return layers.LSTM(units, return_sequences=True, **hard_sigmoid_kwargs(), **kwargs)


def sequential(input_shape, *stack, dtype=None):
    return keras.Sequential([keras.Input(input_shape, dtype=dtype), *stack])


CF = {"data_format": "channels_first"}


# --- models (what k1port makes of make_data.py's) -------------------------------------------

def mlp_model():
    return sequential((5,), layers.Dense(6, activation="relu"), layers.Dropout(0.5),
                      layers.Dense(3, activation="softmax"))


def conv_th_model():
    return sequential((2, 7, 6), k1.Conv2D(4, (3, 2), activation="relu", **CF),
                      layers.MaxPooling2D((2, 2), **CF), layers.Flatten(), layers.Dense(3))


def conv_tf_model():
    return sequential((7, 6, 2), layers.Conv2D(4, (3, 2), activation="relu"),
                      layers.MaxPooling2D((2, 2)), layers.Flatten(), layers.Dense(3))


def shared_functional_model(extra_head=False):
    a = keras.Input((4,), name="in_a")
    b = keras.Input((4,), name="in_b")
    dense = {name: layers.Dense(4, activation="tanh", name=name) for name in ("a1", "b1", "shared", "c1", "c2")}
    ta = dense["c2"](dense["c1"](dense["shared"](dense["a1"](a))))
    tb = dense["shared"](dense["b1"](b))
    merged = layers.Concatenate(axis=-1)([tb, ta])
    out = layers.Dense(3, name="out")(merged)
    if extra_head:
        return keras.Model([a, b], [out, layers.Dense(2, name="extra")(merged)])
    return keras.Model([a, b], out)


# --- Keras 1 files from the oracle ----------------------------------------------------------

@check
def dense_mlp():
    return matches_keras1("mlp", mlp_model(), flipped=[])


@check
def model_save_file():
    inputs, expected = data("mlp")
    model = mlp_model()
    report = k1.load_keras1_weights(model, DATA / "mlp_model.h5")
    expect(report.source == "model.save", report.source)
    close(predict(model, inputs), expected, "mlp_model.h5")
    return str(report)


@check
def conv2d_th_theano():
    model = conv_th_model()
    return matches_keras1("conv_th", model, flipped=[model.layers[0].path])


@check
def conv2d_tf_ordering_theano():
    model = conv_tf_model()
    detail = matches_keras1("conv_tf", model, flipped=[model.layers[0].path])
    with h5py.File(DATA / "conv_tf.h5", "r") as f:
        w = f["convolution2d_2/convolution2d_2_W"][...]
    close(ops.convert_to_numpy(model.layers[0].kernel), w[::-1, ::-1], "flipped, not transposed", 0)
    return detail


@check
def atrous_conv2d_th():
    return matches_keras1("atrous_th", sequential((2, 8, 7), k1.Conv2D(3, (3, 2), dilation_rate=(2, 2), **CF)))


@check
def conv1d():
    return matches_keras1("conv1d", sequential((9, 2), layers.Conv1D(4, 3, activation="tanh"),
                                               layers.Flatten(), layers.Dense(2)))


@check
def conv3d_th():
    return matches_keras1("conv3d_th", sequential((2, 4, 5, 5), layers.Conv3D(3, (2, 3, 2), **CF)))


@check
def conv3d_tf():
    return matches_keras1("conv3d_tf", sequential((4, 5, 4, 2), layers.Conv3D(3, (2, 3, 2))))


@check
def deconv2d_th():
    return matches_keras1("deconv_th", sequential((2, 7, 7), k1.Conv2DTranspose(3, (3, 2), strides=(2, 2), **CF)))


@check
def deconv2d_tf():
    return matches_keras1("deconv_tf", sequential((7, 7, 2), layers.Conv2DTranspose(3, (3, 2), strides=(2, 2))))


@check
def lstm_cpu():
    return matches_keras1("lstm_cpu", sequential((6, 3), lstm(4)))


@check
def lstm_gpu():
    return matches_keras1("lstm_gpu", sequential((6, 3), lstm(4)))


@check
def gru_cpu():
    return matches_keras1("gru_cpu", sequential((6, 3), layers.GRU(4, return_sequences=True, reset_after=False,
                                                                  **hard_sigmoid_kwargs())))


@check
def gru_gpu():
    return matches_keras1("gru_gpu", sequential((6, 3), layers.GRU(4, return_sequences=True, reset_after=False,
                                                                  **hard_sigmoid_kwargs())))


@check
def simple_rnn():
    return matches_keras1("simple_rnn", sequential((6, 3), layers.SimpleRNN(4, return_sequences=True)))


@check
def batch_normalization_th():
    return matches_keras1("bn_th", sequential((2, 6, 6), k1.Conv2D(3, (3, 3), **CF),
                                              layers.BatchNormalization(axis=1, epsilon=1e-3, momentum=0.99),
                                              layers.Flatten(), layers.Dense(2)))


@check
def embedding_lstm():
    return matches_keras1("embed_lstm", sequential((5,), layers.Embedding(10, 4),
                                                   layers.LSTM(3, **hard_sigmoid_kwargs()), dtype="int32"))


@check
def time_distributed_dense():
    return matches_keras1("time_distributed", sequential((4, 5),
                                                         layers.TimeDistributed(layers.Dense(3, activation="tanh")),
                                                         layers.Flatten(), layers.Dense(2)))


@check
def bidirectional_lstm():
    return matches_keras1("bidirectional", sequential((5, 2), layers.Bidirectional(
        layers.LSTM(3, return_sequences=True, **hard_sigmoid_kwargs()))))


@check
def convlstm2d_th():
    return matches_keras1("convlstm_th", sequential((3, 2, 5, 5), k1.ConvLSTM2D(
        3, (3, 3), padding="same", return_sequences=True, **CF, **hard_sigmoid_kwargs())))


@check
def convlstm2d_tf():
    return matches_keras1("convlstm_tf", sequential((3, 6, 5, 2), layers.ConvLSTM2D(
        3, (3, 3), return_sequences=True, **hard_sigmoid_kwargs())))


@check
def prelu():
    return matches_keras1("prelu", sequential((3,), layers.Dense(4), layers.PReLU()))


@check
def shared_layer_functional():
    model = shared_functional_model()
    with h5py.File(DATA / "shared_functional.h5", "r") as f:
        keras1_order = [n.decode() for n in f.attrs["layer_names"] if f[n.decode()].attrs["weight_names"].size]
    ours = [layer.name for layer in kw.keras1_layer_order(model) if layer.weights]
    keras3 = [layer.name for layer in model.layers if layer.weights]
    expect(ours == keras1_order, f"keras1_layer_order {ours} != Keras 1's {keras1_order}")
    expect(keras3 != keras1_order, f"model.layers has Keras 1's order {keras3}: the check proves nothing")
    return f"Keras 1 order {ours}; model.layers {keras3}; " + matches_keras1("shared_functional", model)


@check
def nested_sequential():
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="tanh"),
                              layers.BatchNormalization(), layers.Dense(4)], name="inner")
    x = keras.Input((3,))
    model = keras.Model(x, layers.Dense(2)(inner(x)))
    detail = matches_keras1("nested_sequential", model)
    # The same file as Keras 1's TensorFlow backend would name it ('dense_10_W:0').
    tf_names = rewritten("nested_sequential", rename=lambda n, i: n + ":0", tag="_tf")
    return detail + " | " + matches_keras1("nested_sequential", model, path=tf_names, expect_backend="tensorflow")


@check
def by_name():
    model = shared_functional_model(extra_head=True)
    extra = model.get_layer("extra")
    before = [ops.convert_to_numpy(w) for w in extra.weights]
    raises(kw.Keras1WeightsError, lambda: k1.load_keras1_weights(model, DATA / "shared_functional.h5"),
           "order-based loading into a model with one more weighted layer")
    report = k1.load_keras1_weights(model, DATA / "shared_functional.h5", by_name=True)
    expect(report.unmatched == ["extra"], f"unmatched {report.unmatched}")
    expect(sorted(k for k, _ in report.loaded) == ["a1", "b1", "c1", "c2", "out", "shared"], report.loaded)
    for b, w in zip(before, extra.weights):
        close(ops.convert_to_numpy(w), b, "by_name left 'extra' alone", 0)
    inputs, expected = data("shared_functional")
    out = model(inputs, training=False)[0]
    close(ops.convert_to_numpy(out), expected, "by_name predictions")
    # by_name into a model whose names all differ loads nothing and says so.
    report = k1.load_keras1_weights(mlp_model(), DATA / "mlp.h5", by_name=True)
    expect(report.loaded == [] and report.unused == ["dense_1", "dense_2"], str(report))
    return str(report)


# --- which backend wrote the file -----------------------------------------------------------

def rewritten(name, rename=None, vlen=False, tag=""):
    """A copy of data/<name>.h5 with weight names renamed and/or string attributes rewritten
    as variable-length str (what plain h5py 3 writes)."""
    path = TMP / f"{name}{tag}.h5"
    with h5py.File(DATA / f"{name}.h5", "r") as src, h5py.File(path, "w") as dst:
        layer_names = [n.decode() for n in src.attrs["layer_names"]]
        dst.attrs["layer_names"] = layer_names if vlen else src.attrs["layer_names"]
        for layer in layer_names:
            g, out = src[layer], dst.create_group(layer)
            old = [n.decode() for n in g.attrs["weight_names"]]
            new = [rename(n, i) if rename else n for i, n in enumerate(old)]
            if vlen:
                out.attrs["weight_names"] = new
            else:
                out.attrs["weight_names"] = np.array([n.encode() for n in new]) if new else np.zeros(0)
            for o, n in zip(old, new):
                out[n] = g[o][...]
    return path


@check
def auto_backend_from_weight_names():
    model = conv_th_model()
    theano = k1.load_keras1_weights(model, DATA / "conv_th.h5")
    expect(theano.backend == "theano" and "':0'" in theano.backend_reason, theano.backend_reason)
    with h5py.File(DATA / "conv_th.h5", "r") as f:
        w = f["convolution2d_1/convolution2d_1_W"][...]
    kernel = model.layers[0].kernel
    close(ops.convert_to_numpy(kernel), w.transpose(2, 3, 1, 0)[::-1, ::-1], "theano: transposed and flipped", 0)
    tf_file = rewritten("conv_th", rename=lambda n, i: n + ":0", tag="_tf")
    report = k1.load_keras1_weights(model, tf_file)
    expect(report.backend == "tensorflow" and report.flipped == [], str(report))
    close(ops.convert_to_numpy(kernel), w.transpose(2, 3, 1, 0), "tensorflow: transposed only", 0)
    return f"{theano.backend_reason} | {report.backend_reason}"


@check
def auto_backend_without_names():
    unnamed = rewritten("conv_th", rename=lambda n, i: f"param_{i}", tag="_unnamed")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = k1.load_keras1_weights(conv_th_model(), unnamed)
    expect(report.backend == "theano" and "channels_first" in report.backend_reason, str(report))
    expect(any("guessed" in str(w.message) for w in caught), "no warning about the guess")
    unnamed_tf = rewritten("conv_tf", rename=lambda n, i: f"param_{i}", tag="_unnamed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report_tf = k1.load_keras1_weights(conv_tf_model(), unnamed_tf)
    expect(report_tf.backend == "tensorflow" and report_tf.flipped == [], str(report_tf))
    return f"{report.backend_reason} | {report_tf.backend_reason}"


@check
def tensorflow_backend_no_flip():
    """backend='tensorflow': the kernel is only transposed; the convolution output equals a
    cross-correlation computed by hand from the file's arrays."""
    model = conv_th_model()
    report = k1.load_keras1_weights(model, DATA / "conv_th.h5", backend="tensorflow")
    expect(report.backend == "tensorflow" and report.flipped == [], str(report))
    with h5py.File(DATA / "conv_th.h5", "r") as f:
        w = f["convolution2d_1/convolution2d_1_W"][...]  # (out, in, rows, cols), 'th'
        b = f["convolution2d_1/convolution2d_1_b"][...]
    (x,), _ = data("conv_th")
    out, _, rows, cols = w.shape
    h, wd = x.shape[2] - rows + 1, x.shape[3] - cols + 1
    hand = np.zeros((x.shape[0], out, h, wd), "float64")
    for i in range(rows):
        for j in range(cols):
            hand += np.einsum("nchw,oc->nohw", x[:, :, i:i + h, j:j + wd], w[:, :, i, j])
    hand = np.maximum(hand + b[None, :, None, None], 0)
    conv = keras.Model(model.inputs[0], model.layers[0].output)
    close(predict(conv, [x]), hand, "conv output vs hand cross-correlation")
    # ...and the Theano reading is the true convolution (the flipped kernel).
    k1.load_keras1_weights(model, DATA / "conv_th.h5", backend="theano")
    flipped = np.zeros_like(hand)
    for i in range(rows):
        for j in range(cols):
            flipped += np.einsum("nchw,oc->nohw", x[:, :, i:i + h, j:j + wd], w[:, :, rows - 1 - i, cols - 1 - j])
    close(predict(conv, [x]), np.maximum(flipped + b[None, :, None, None], 0), "theano: true convolution")
    return str(report)


@check
def vlen_string_attributes():
    path = rewritten("bidirectional", vlen=True, tag="_vlen")
    with h5py.File(path, "r") as f:
        expect(h5py.check_string_dtype(f.attrs.get_id("layer_names").dtype).length is None, "not vlen")
    return matches_keras1("bidirectional", sequential((5, 2), layers.Bidirectional(
        layers.LSTM(3, return_sequences=True, **hard_sigmoid_kwargs()))), path=path)


@check
def separable_conv2d_by_hand():
    """Keras 1's SeparableConvolution2D (TensorFlow only, so never flipped): a 'th' file made
    by hand, against depthwise + pointwise convolution computed by hand."""
    rng = np.random.default_rng(0)
    mult, cin, cout, rows, cols = 2, 3, 4, 3, 2
    dw = rng.uniform(-1, 1, (mult, cin, rows, cols)).astype("float32")       # 'th'
    pw = rng.uniform(-1, 1, (cout, cin * mult, 1, 1)).astype("float32")
    b = rng.uniform(-1, 1, (cout,)).astype("float32")
    path = TMP / "separable_th.h5"
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([b"separableconvolution2d_1"])
        g = f.create_group("separableconvolution2d_1")
        names = [f"separableconvolution2d_1_{p}:0" for p in ("depthwise_kernel", "pointwise_kernel", "b")]
        g.attrs["weight_names"] = np.array([n.encode() for n in names])
        for n, a in zip(names, (dw, pw, b)):
            g[n] = a
    # Output width 5 != 4 filters: see make_data.conv3d_th on Keras 3's TensorFlow ops.add.
    x = rng.uniform(-1, 1, (2, cin, 6, 6)).astype("float32")
    h, wd = 6 - rows + 1, 6 - cols + 1
    depthwise = np.zeros((2, cin, mult, h, wd))
    for i in range(rows):
        for j in range(cols):
            depthwise += x[:, :, None, i:i + h, j:j + wd] * dw.transpose(1, 0, 2, 3)[None, :, :, i, j, None, None]
    depthwise = depthwise.reshape(2, cin * mult, h, wd)  # channel c*mult + m, as TensorFlow
    hand = np.einsum("nkhw,ok->nohw", depthwise, pw[:, :, 0, 0]) + b[None, :, None, None]
    for backend in ("auto", "theano"):
        model = sequential((cin, 6, 6), layers.SeparableConv2D(cout, (rows, cols), depth_multiplier=mult, **CF))
        report = k1.load_keras1_weights(model, path, backend=backend)
        expect(report.flipped == [], str(report))
        close(predict(model, [x]), hand, f"separable conv, backend={backend}")
    return str(report)


# --- errors ---------------------------------------------------------------------------------

@check
def errors_name_the_layer():
    message = raises(kw.Keras1WeightsError, lambda: k1.load_keras1_weights(
        sequential((7, 6, 2), layers.Conv2D(4, (3, 2), name="my_conv"), layers.MaxPooling2D((2, 2)),
                   layers.Flatten(), layers.Dense(3)), DATA / "conv_th.h5"), "th kernel into channels_last")
    expect("my_conv" in message and "convolution2d_1" in message and "channels_first" in message, message)
    message = raises(kw.Keras1WeightsError, lambda: k1.load_keras1_weights(
        sequential((5,), layers.Dense(6)), DATA / "mlp.h5"), "too few layers")
    expect("dense_1, dense_2" in message, message)
    message = raises(kw.Keras1WeightsError, lambda: k1.load_keras1_weights(
        sequential((6, 3), layers.GRU(4, return_sequences=True)), DATA / "gru_cpu.h5"), "reset_after=True")
    expect("reset_after=False" in message, message)
    model = mlp_model()
    before = [ops.convert_to_numpy(w) for w in model.weights]
    raises(kw.Keras1WeightsError, lambda: k1.load_keras1_weights(
        model, DATA / "shared_functional.h5"), "wrong file")
    for b, w in zip(before, model.weights):
        close(ops.convert_to_numpy(w), b, "a failed load changes nothing", 0)
    raises(ValueError, lambda: k1.load_keras1_weights(mlp_model(), DATA / "mlp.h5", backend="th"), "bad backend")
    # An inner model's arrays that do not split by Keras 1 layer name (as when Keras 1 had
    # frozen inner layers) are refused rather than misassigned.
    odd = rewritten("nested_sequential", rename=lambda n, i: n.replace("batchnormalization_2_running",
                                                                       "dense_11_running"), tag="_odd")
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.BatchNormalization(), layers.Dense(4)])
    x = keras.Input((3,))
    split = raises(kw.Keras1WeightsError, lambda: k1.load_keras1_weights(
        keras.Model(x, layers.Dense(2)(inner(x))), odd), "inconsistent inner split")
    expect("could not split" in split and "dense_11_running_mean" in split, split)
    message = raises(ValueError, lambda: k1.load_keras1_weights(
        keras.Sequential([layers.Dense(3)]), DATA / "mlp.h5"), "unbuilt model")
    expect("Build the model" in message, message)
    return message


# --- load_weights / save_weights ------------------------------------------------------------

def same_weights(a, b, what):
    expect(len(a.weights) == len(b.weights), f"{what}: weight counts")
    for x, y in zip(a.weights, b.weights):
        close(ops.convert_to_numpy(x), ops.convert_to_numpy(y), f"{what}: {x.path}", 0)


@check
def load_weights_dispatch():
    inputs, expected = data("lstm_gpu")
    model = sequential((6, 3), layers.LSTM(4, return_sequences=True, **hard_sigmoid_kwargs()))
    report = k1.load_weights(model, DATA / "lstm_gpu.h5")
    expect(isinstance(report, k1.Keras1WeightsReport), repr(report))
    close(predict(model, inputs), expected, "load_weights(Keras 1 file)")
    expect(kw.weights_format(DATA / "mlp_model.h5") == "keras1", "model.save file")
    return str(report)


@check
def save_load_round_trip():
    details = []
    for name in ("x.h5", "weights.hdf5", "w", "x.weights.h5"):
        path = TMP / name
        source = shared_functional_model()
        k1.load_keras1_weights(source, DATA / "shared_functional.h5")
        k1.save_weights(source, path)
        expect(path.is_file(), f"{name} not written")
        kind = kw.weights_format(path)
        expect(kind == ("keras3_h5" if name.endswith(".weights.h5") else "legacy_h5"), f"{name}: {kind}")
        target = shared_functional_model()
        expect(k1.load_weights(target, path) is None, "not a Keras 1 file")
        same_weights(source, target, name)
        details.append(f"{name}: {kind}")
    # Nested model with BatchNormalization, by_name, and Keras 3's own reader.
    inner = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.BatchNormalization(), layers.Dense(4)])
    x = keras.Input((3,))
    source = keras.Model(x, layers.Dense(2, name="head")(inner(x)))
    for w in source.weights:
        w.assign(np.random.default_rng(1).uniform(0.5, 1, w.shape))
    k1.save_weights(source, TMP / "nested.h5")
    for how in ("load_weights", "by_name", "keras"):
        inner2 = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.BatchNormalization(),
                                   layers.Dense(4)], name=inner.name)
        y = keras.Input((3,))
        target = keras.Model(y, layers.Dense(2, name="head")(inner2(y)))
        if how == "keras":
            target.load_weights(TMP / "nested.h5")
        else:
            k1.load_weights(target, TMP / "nested.h5", by_name=how == "by_name")
        same_weights(source, target, f"nested, {how}")
    # A Keras 3 file cannot be loaded by name.
    raises(ValueError, lambda: k1.load_weights(shared_functional_model(), TMP / "x.weights.h5", by_name=True),
           "by_name on a .weights.h5 file")
    return "; ".join(details)


def main():
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
