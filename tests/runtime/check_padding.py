"""Check k1port.runtime's ``keras1_backend`` layers in one process on the backend KERAS_BACKEND names.

Theano's border_mode='same' against the real Keras 1.2.2's numbers in
data/padding_reference.npz (made by make_padding_reference.py in the oracle), plus the
layers' Keras 3 side: parent behaviour elsewhere, configs, .keras files, weights, None sizes.
test_padding.py runs this script once per backend; the last stdout line is one JSON object
{check_name: {"ok": bool, "detail": str}}.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import TOL, check, close, expect, numpy, raises, rand, run  # noqa: E402

import hashlib
import json
import math
import os
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

import k1port.runtime as k1  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "padding_reference.npz"
GENERATOR = Path(__file__).resolve().parent / "make_padding_reference.py"
REGENERATE = "tests/oracle/run.sh tests/runtime/make_padding_reference.py"


# --- the reference data --------------------------------------------------------------------

_DATA = {}


def reference():
    """(cases, arrays) of data/padding_reference.npz."""
    if not _DATA:
        expect(DATA.exists(), f"{DATA} is missing: run {REGENERATE}")
        with np.load(DATA, allow_pickle=False) as npz:
            _DATA["arrays"] = {key: npz[key] for key in npz.files}
        _DATA["cases"] = json.loads(str(_DATA["arrays"]["cases"]))
        _DATA["meta"] = json.loads(str(_DATA["arrays"]["meta"]))
    return _DATA["cases"], _DATA["arrays"]


def data_format(case):
    return "channels_first" if case["ordering"] == "th" else "channels_last"


def output_padding(case):
    """Keras 3's output_padding giving Keras 1's output_shape (None where n * s gives it)."""
    sizes, kernels, strides, out = case["size"], case["kernel"], case["strides"], case["output_size"]
    if all(k % 2 and o == n * s for n, k, s, o in zip(sizes, kernels, strides, out)):
        return None
    return tuple(o - (n - 1) * s - k % 2 for n, k, s, o in zip(sizes, kernels, strides, out))


def build_layer(case, keras1_backend="theano", module=k1):
    """The Keras 3 layer for a reference case (``module``: k1 or keras.layers)."""
    kind = case["kind"]
    kwargs = {"padding": "same"}
    if module is k1:
        kwargs["keras1_backend"] = keras1_backend
    if kind != "conv1d" and kind != "pool1d":
        kwargs["data_format"] = data_format(case)
    if kind in ("conv1d", "conv2d", "conv3d"):
        cls = getattr(module, {"conv1d": "Conv1D", "conv2d": "Conv2D", "conv3d": "Conv3D"}[kind])
        return cls(case["filters"], tuple(case["kernel"]), strides=tuple(case["strides"]),
                   dilation_rate=tuple(case["dilation"]), **kwargs)
    if kind == "deconv2d":
        return module.Conv2DTranspose(case["filters"], tuple(case["kernel"]), strides=tuple(case["strides"]),
                                      output_padding=output_padding(case), **kwargs)
    name = ("MaxPooling" if case["mode"] == "max" else "AveragePooling") + kind[-2:].upper()
    return getattr(module, name)(pool_size=tuple(case["pool"]), strides=tuple(case["strides"]), **kwargs)


def keras3_weights(case, w, b):
    """Keras 1 (Theano) weights -> the Keras 3 layer's: kernels flipped (true convolution)."""
    kind, th = case["kind"], case["ordering"] == "th"
    if kind == "conv1d":  # (k, 1, in, filters) -> (k, in, filters)
        return [np.ascontiguousarray(w[::-1, 0]), b]
    rank = len(case["kernel"])
    if kind == "deconv2d":  # th (filters, in, r, c) / tf (r, c, in, filters) -> (r, c, filters, in)
        kernel = np.flip(w, (2, 3)).transpose(2, 3, 0, 1) if th else np.flip(w, (0, 1)).transpose(0, 1, 3, 2)
    elif th:  # (filters, in, *k) -> (*k, in, filters)
        kernel = np.flip(w, tuple(range(2, rank + 2))).transpose(*range(2, rank + 2), 1, 0)
    else:
        kernel = np.flip(w, tuple(range(rank)))
    return [np.ascontiguousarray(kernel), b]


def run_case(case, arrays, keras1_backend="theano", module=k1):
    """(layer, output, declared output shape) of a reference case's Keras 3 layer."""
    name = case["name"]
    x = arrays[f"{name}__x"]
    layer = build_layer(case, keras1_backend, module)
    layer.build(x.shape)
    if f"{name}__W" in arrays:
        layer.set_weights(keras3_weights(case, arrays[f"{name}__W"], arrays[f"{name}__b"]))
    return layer, numpy(layer(x)), tuple(layer.compute_output_shape(x.shape))


def against_keras1(kind):
    cases, arrays = reference()
    mine = [case for case in cases if case["kind"] == kind]
    expect(mine, f"no {kind} cases in {DATA}")
    worst, failures = 0.0, []
    for case in mine:
        name = case["name"]
        try:
            _, y, declared = run_case(case, arrays)
            expected = arrays[f"{name}__y"]
            expect(declared == expected.shape, f"compute_output_shape {declared} != Keras 1's {expected.shape}")
            worst = max(worst, close(y, expected, "output"))
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    expect(not failures, f"{len(failures)} of {len(mine)} {kind} cases differ from Keras 1:\n" + "\n".join(failures))
    return f"{len(mine)} cases, max abs diff {worst:.2g}"


@check
def reference_data():
    cases, arrays = reference()
    meta = _DATA["meta"]
    expect(meta["keras"] == "1.2.2" and meta["backend"] == "theano", f"reference made by {meta}")
    script = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()
    expect(meta.get("script_sha256") == script,
           f"{GENERATOR.name} changed since {DATA.name} was made: run {REGENERATE}")
    kinds = sorted({case["kind"] for case in cases})
    expect(kinds == ["conv1d", "conv2d", "conv3d", "deconv2d", "pool1d", "pool2d", "pool3d"], f"kinds {kinds}")
    for case in cases:
        for part in ("x", "y"):
            expect(f"{case['name']}__{part}" in arrays, f"{case['name']}__{part} missing")
    orderings = {(case["kind"], case["ordering"]) for case in cases}
    for kind in ("conv2d", "conv3d", "deconv2d", "pool2d", "pool3d"):
        expect({(kind, "th"), (kind, "tf")} <= orderings, f"{kind}: both orderings needed")
    pooled = np.concatenate([arrays[f"{c['name']}__x"].ravel() for c in cases if c.get("mode") == "max"])
    share = float(np.mean(pooled < 0))
    expect(share > 0.6, f"max pooling inputs: only {share:.0%} negative (zero padding would not show)")
    return (f"{len(cases)} cases from Keras {meta['keras']} / Theano {meta['theano']}; "
            f"max pooling inputs {share:.0%} < 0")


@check
def conv1d_theano_same():
    return against_keras1("conv1d")


@check
def conv2d_theano_same():
    return against_keras1("conv2d")


@check
def conv3d_theano_same():
    return against_keras1("conv3d")


@check
def deconv2d_theano_same():
    return against_keras1("deconv2d")


@check
def pool1d_theano_same():
    return against_keras1("pool1d")


@check
def pool2d_theano_same():
    return against_keras1("pool2d")


@check
def pool3d_theano_same():
    return against_keras1("pool3d")


def _tf_before(size, k, stride):
    """TensorFlow's (Keras 3's) 'same' padding before an axis."""
    total = max((math.ceil(size / stride) - 1) * stride + k - size, 0)
    return total // 2


def _predicted_equal(case):
    """Do Theano's and Keras 3's 'same' agree on this case (by the rules in theano_padding)?"""
    from k1port.runtime import theano_padding as tp

    kind = case["kind"]
    if kind.startswith("pool"):
        rank = len(case["pool"])
        return all(tp.pool_padding(p, rank)[0] == _tf_before(n, p, s)
                   for n, p, s in zip(case["size"], case["pool"], case["strides"]))
    if kind == "deconv2d":
        for n, k, s, o in zip(case["size"], case["kernel"], case["strides"], case["output_size"]):
            op = o - (n - 1) * s - k % 2
            keras3_length = (n - 1) * s + k % 2 + op
            if tp.deconv_output_length(n, k, s, keras3_length) != keras3_length:
                return False
            if k // 2 != max((n - 1) * s + k - o, 0) // 2:
                return False
        return True
    return all(tp.conv_padding(k, d)[0] == _tf_before(n, tp.dilated(k, d), s)
               for n, k, s, d in zip(case["size"], case["kernel"], case["strides"], case["dilation"]))


@check
def keras3_same_differs_where_predicted():
    """The cases test something: Keras 3's own 'same' (keras1_backend=None) misses Keras 1's
    numbers exactly where Theano's padding differs from TensorFlow's."""
    cases, arrays = reference()
    wrong, differ, refused = [], 0, []
    for case in cases:
        expected = arrays[f"{case['name']}__y"]
        try:
            _, y, _ = run_case(case, arrays, keras1_backend=None)
        except Exception:  # noqa: BLE001  (TensorFlow refuses some of Keras 3's own even-kernel deconvolutions)
            y = None
            refused.append(case["name"])
        equal = y is not None and y.shape == expected.shape and float(np.max(np.abs(y - expected))) <= TOL
        differ += not equal
        if y is not None and equal != _predicted_equal(case):
            wrong.append(f"{case['name']}: Keras 3 {'equal' if equal else 'differs'}, predicted otherwise")
    expect(not wrong, "\n".join(wrong))
    expect(differ > len(cases) // 2, f"only {differ} of {len(cases)} cases differ under Keras 3's 'same'")
    detail = f"Keras 3's 'same' differs on {differ} of {len(cases)} cases, agrees on the rest, as predicted"
    if refused:
        detail += f"; Keras 3 itself fails on {len(refused)} ({', '.join(refused)})"
    return detail


# --- the Keras 3 side ----------------------------------------------------------------------

LAYERS = {  # class -> (constructor args, channels_last input shape)
    "Conv1D": ((4, 2), (2, 9, 3)),
    "Conv2D": ((4, (2, 3)), (2, 7, 8, 3)),
    "Conv3D": ((3, 2), (2, 5, 4, 6, 2)),
    "Conv2DTranspose": ((4, 3), (2, 5, 6, 3)),
    "MaxPooling1D": ((3,), (2, 9, 3)),
    "MaxPooling2D": ((2,), (2, 7, 8, 3)),
    "MaxPooling3D": ((2,), (2, 5, 4, 6, 2)),
    "AveragePooling1D": ((3,), (2, 9, 3)),
    "AveragePooling2D": ((2,), (2, 7, 8, 3)),
    "AveragePooling3D": ((2,), (2, 5, 4, 6, 2)),
}


def _to_first(x):
    return np.moveaxis(x, -1, 1)


@check
def matches_parent_elsewhere():
    """keras1_backend None / 'tensorflow' (any padding) and 'theano' with 'valid': exactly the
    parent, channels_last and (where Keras 3 itself runs it) channels_first."""
    on_tf = keras.backend.backend() == "tensorflow"
    compared = 0
    for name, (args, shape) in LAYERS.items():
        x = rand(*shape, seed=len(name))
        formats = ["channels_last"]
        if not (on_tf and name in ("Conv1D", "Conv2D", "Conv2DTranspose")):
            formats.append("channels_first")  # the parent fails there on TensorFlow's CPU
        for fmt in formats:
            data = x if fmt == "channels_last" else _to_first(x)
            extra = {"data_format": fmt}
            for keras1_backend, padding in ((None, "same"), ("tensorflow", "same"), ("theano", "valid"),
                                            (None, "valid")):
                mine = getattr(k1, name)(*args, padding=padding, keras1_backend=keras1_backend, **extra)
                theirs = getattr(layers, name)(*args, padding=padding, **extra)
                mine.build(data.shape)
                theirs.build(data.shape)
                theirs.set_weights(mine.get_weights())
                close(numpy(mine(data)), numpy(theirs(data)), f"{name} {fmt} {keras1_backend} {padding}", tol=0)
                expect(tuple(mine.compute_output_shape(data.shape)) == tuple(theirs.compute_output_shape(data.shape)),
                       f"{name} {fmt} {keras1_backend} {padding}: output shape")
                compared += 1
    return f"{compared} layer pairs identical"


@check
def channels_first_equals_channels_last():
    """Theano 'same' channels_first (transposed around the op on TensorFlow) = channels_last."""
    for name, (args, shape) in LAYERS.items():
        x = rand(*shape, seed=3)
        last = getattr(k1, name)(*args, padding="same", keras1_backend="theano", data_format="channels_last")
        first = getattr(k1, name)(*args, padding="same", keras1_backend="theano", data_format="channels_first")
        last.build(x.shape)
        first.build(_to_first(x).shape)
        first.set_weights(last.get_weights())
        close(numpy(first(_to_first(x))), _to_first(numpy(last(x))), f"{name} channels_first")


@check
def channels_first_bias():
    """A channels-first bias where the last spatial axis has as many entries as there are
    filters (Keras 3's ops.add on TensorFlow adds it along that axis): channels_first =
    channels_last for every convolution here, Theano 'same' or not."""
    notes = []
    for name, (filters, kernel), spatial in (("Conv1D", (4, 3), (6,)), ("Conv2D", (4, 3), (5, 6)),
                                             ("Conv3D", (4, 3), (5, 3, 6)), ("Conv2DTranspose", (5, 3), (3, 4))):
        for keras1_backend, padding in ((None, "valid"), ("theano", "same")):
            last_size = filters  # the last spatial axis of the output has `filters` entries
            if padding == "valid":
                last_size += (kernel - 1) * (-1 if name == "Conv2DTranspose" else 1)
            x = rand(2, *spatial[:-1], last_size, 2, seed=7)
            last = getattr(k1, name)(filters, kernel, padding=padding, keras1_backend=keras1_backend,
                                     data_format="channels_last", bias_initializer="random_uniform")
            first = getattr(k1, name)(filters, kernel, padding=padding, keras1_backend=keras1_backend,
                                      data_format="channels_first")
            last.build(x.shape)
            first.build(_to_first(x).shape)
            first.set_weights(last.get_weights())
            y = numpy(last(x))
            expect(y.shape[-2] == filters, f"{name}: test shape {y.shape} does not trigger the bias mix-up")
            close(numpy(first(_to_first(x))), _to_first(y), f"{name} {keras1_backend} {padding} channels_first")
    lstm_last = k1.ConvLSTM2D(4, 3, data_format="channels_last", bias_initializer="random_uniform")
    lstm_first = k1.ConvLSTM2D(4, 3, data_format="channels_first")
    frames = rand(2, 3, 5, 6, 2, seed=8)
    lstm_last.build(frames.shape)
    lstm_first.build(np.moveaxis(frames, -1, 2).shape)
    lstm_first.set_weights(lstm_last.get_weights())
    close(numpy(lstm_first(np.moveaxis(frames, -1, 2))), _to_first(numpy(lstm_last(frames))),
          "ConvLSTM2D channels_first")
    if keras.backend.backend() == "tensorflow":  # the parent's behaviour, for the record
        parent, mine = layers.Conv3D(4, 3, data_format="channels_first"), k1.Conv3D(4, 3, data_format="channels_first")
        x = _to_first(rand(2, 5, 3, 6, 2, seed=7))
        parent.build(x.shape)
        mine.build(x.shape)
        kernel = mine.get_weights()[0]
        parent.set_weights([kernel, rand(4, seed=9)])
        mine.set_weights([kernel, rand(4, seed=9)])
        diff = float(np.max(np.abs(numpy(parent(x)) - numpy(mine(x)))))
        notes.append(f"keras.layers.Conv3D channels_first is off by {diff:.3g} here (a Keras 3 bug)")
    return "; ".join(notes)


def _dynamic_model(case):
    spatial = (None,) * len(case["size"])
    channels = case["channels"]
    shape = (channels, *spatial) if case["ordering"] == "th" and case["kind"] not in ("conv1d", "pool1d") \
        else (*spatial, channels)
    inputs = keras.Input(shape)
    layer = build_layer(case)
    return keras.Model(inputs, layer(inputs)), layer


@check
def none_spatial_sizes():
    """Inputs of unknown size: the same numbers through a model with None spatial dims."""
    cases, arrays = reference()
    seen, done = set(), []
    for case in cases:
        key = (case["kind"], case["ordering"], case.get("mode"),
               case["kind"] == "deconv2d" and any(k % 2 == 0 for k in case["kernel"]) and max(case["strides"]) > 1)
        if key in seen:
            continue
        seen.add(key)
        model, layer = _dynamic_model(case)
        name = case["name"]
        if f"{name}__W" in arrays:
            layer.set_weights(keras3_weights(case, arrays[f"{name}__W"], arrays[f"{name}__b"]))
        close(model.predict(arrays[f"{name}__x"], verbose=0), arrays[f"{name}__y"], f"{name} with None sizes")
        done.append(name)
    return f"{len(done)} cases: " + ", ".join(done)


def _theano_model():
    image = keras.Input((3, 9, 8), name="image")
    x = k1.Conv2D(4, 2, padding="same", data_format="channels_first", keras1_backend="theano", name="conv")(image)
    x = k1.MaxPooling2D(2, padding="same", data_format="channels_first", keras1_backend="theano", name="max")(x)
    x = k1.Conv2DTranspose(3, 3, strides=2, padding="same", data_format="channels_first",
                           keras1_backend="theano", name="deconv")(x)
    x = k1.AveragePooling2D(3, strides=2, padding="same", data_format="channels_first",
                            keras1_backend="theano", name="avg")(x)
    x = layers.Flatten()(x)
    steps = keras.Input((10, 3), name="steps")
    y = k1.Conv1D(4, 4, strides=2, padding="same", keras1_backend="theano", name="conv1d")(steps)
    y = k1.MaxPooling1D(2, padding="same", keras1_backend="theano", name="max1d")(y)
    y = k1.AveragePooling1D(3, strides=1, padding="same", keras1_backend="tensorflow", name="avg1d")(y)
    y = layers.Flatten()(y)
    volume = keras.Input((5, 4, 6, 2), name="volume")
    z = k1.Conv3D(2, 2, padding="same", keras1_backend="theano", name="conv3d")(volume)
    z = k1.MaxPooling3D(2, padding="same", keras1_backend="theano", name="max3d")(z)
    z = k1.AveragePooling3D(3, strides=2, padding="same", keras1_backend="theano", name="avg3d")(z)
    z = layers.Flatten()(z)
    out = layers.Dense(2, name="dense")(layers.Concatenate()([x, y, z]))
    return keras.Model([image, steps, volume], out)


def _theano_inputs(seed=0):
    return [rand(2, 3, 9, 8, seed=seed), rand(2, 10, 3, seed=seed + 1), rand(2, 5, 4, 6, 2, seed=seed + 2)]


@check
def layer_config_round_trip():
    for name, (args, _) in LAYERS.items():
        layer = getattr(k1, name)(*args, padding="same", keras1_backend="theano")
        config = layer.get_config()
        expect(config.get("keras1_backend") == "theano", f"{name}: config {config}")
        clone = type(layer).from_config(config)
        expect(clone.get_config() == config, f"{name}: from_config(get_config()) differs")
        revived = keras.layers.deserialize(keras.layers.serialize(layer))
        expect(type(revived) is type(layer) and revived.keras1_backend == "theano", f"{name}: deserialize {revived}")
        plain = getattr(k1, name)(*args)
        expect(plain.get_config()["keras1_backend"] is None, f"{name}: default keras1_backend")


@check
def keras_file_round_trip():
    model = _theano_model()
    inputs = _theano_inputs()
    before = model.predict(inputs, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
    after = loaded.predict(inputs, verbose=0)
    expect(np.array_equal(before, after), f"predictions differ by {np.max(np.abs(before - after)):.3g}")
    for layer in model.layers:
        if hasattr(layer, "keras1_backend"):
            other = loaded.get_layer(layer.name)
            expect(type(other) is type(layer) and other.keras1_backend == layer.keras1_backend,
                   f"{layer.name}: loaded as {type(other).__name__} keras1_backend={other.keras1_backend}")


@check
def weights_load_from_plain_layers():
    """The weights keep Keras 3's layout: a plain-layer model's weight file loads."""
    def plain_model():
        image = keras.Input((9, 8, 3))
        x = layers.Conv2D(4, 2, padding="same", name="conv")(image)
        x = layers.Conv2DTranspose(3, 3, strides=2, padding="same", name="deconv")(x)
        steps = keras.Input((10, 3))
        y = layers.Conv1D(4, 4, padding="same", name="conv1d")(steps)
        volume = keras.Input((5, 4, 6, 2))
        z = layers.Conv3D(2, 2, padding="same", name="conv3d")(volume)
        return keras.Model([image, steps, volume], [x, y, z])

    def mine():
        image = keras.Input((9, 8, 3))
        x = k1.Conv2D(4, 2, padding="same", keras1_backend="theano", name="conv")(image)
        x = k1.Conv2DTranspose(3, 3, strides=2, padding="same", keras1_backend="theano", name="deconv")(x)
        steps = keras.Input((10, 3))
        y = k1.Conv1D(4, 4, padding="same", keras1_backend="theano", name="conv1d")(steps)
        volume = keras.Input((5, 4, 6, 2))
        z = k1.Conv3D(2, 2, padding="same", keras1_backend="theano", name="conv3d")(volume)
        return keras.Model([image, steps, volume], [x, y, z])

    plain, theano = plain_model(), mine()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "plain.weights.h5")
        plain.save_weights(path)
        theano.load_weights(path)
    for a, b in zip(plain.weights, theano.weights):
        expect(a.path == b.path, f"weight paths {a.path} != {b.path}")
        close(numpy(a), numpy(b), f"{a.path} loaded", tol=0)
    return f"{len(plain.weights)} weights"


@check
def trains():
    """fit: finite losses and weights (max pooling pads with -inf, averages divide)."""
    model = _theano_model()
    model.compile(optimizer="sgd", loss="mse")
    x, y = _theano_inputs(seed=5), rand(4, 2, seed=9)[:2]
    history = model.fit(x, y, epochs=3, batch_size=2, verbose=0)
    losses = history.history["loss"]
    expect(all(np.isfinite(losses)), f"losses {losses}")
    expect(all(np.all(np.isfinite(numpy(w))) for w in model.weights), "non-finite weights after fit")
    expect(losses[-1] < losses[0], f"loss did not decrease: {losses}")
    return f"losses {[round(v, 4) for v in losses]}"


@check
def refused_arguments():
    messages = [raises(ValueError, lambda: k1.MaxPooling2D(2, keras1_backend="cntk"), "keras1_backend='cntk'"),
                raises(ValueError, lambda: k1.Conv2D(4, 3, keras1_backend="Theano"), "keras1_backend='Theano'")]
    for cls in (k1.MaxPooling3D, k1.AveragePooling3D):
        messages.append(raises(ValueError, lambda: cls((1, 2, 2), padding="same", keras1_backend="theano"),
                               f"{cls.__name__} pool size 1"))
        cls((1, 2, 2), padding="valid", keras1_backend="theano")
        cls((1, 2, 2), padding="same")
    k1.MaxPooling2D(1, padding="same", keras1_backend="theano")  # pool2d's rule pads 0: fine
    messages.append(raises(ValueError, lambda: k1.Conv2DTranspose(4, 2, strides=2, padding="same",
                                                                  keras1_backend="theano"), "even deconv kernel"))
    k1.Conv2DTranspose(4, 2, strides=2, padding="same", output_padding=0, keras1_backend="theano")
    k1.Conv2DTranspose(4, 2, strides=2, padding="same")
    messages.append(raises(ValueError, lambda: k1.Conv2DTranspose(4, 3, dilation_rate=2, padding="same",
                                                                  keras1_backend="theano"), "deconv dilation"))
    return " | ".join(m.splitlines()[0][:80] for m in messages)


if __name__ == "__main__":
    run()
