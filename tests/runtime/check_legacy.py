"""Check k1port.runtime's Keras 1 legacy layers in one process on the backend KERAS_BACKEND names.

MaxoutDense, Highway, SReLU, ParametricSoftplus, LocallyConnected1D/2D and
BatchNormalization(mode=1/2) against the real Keras 1.2.2's numbers: the oracle fixture
fixtures/oracle/legacy_layers.py (weights.h5 + reference.npz, Theano backend), rebuilt here by
hand with k1.* layers and loaded with k1.load_keras1_weights. Plus the Keras 3 side: configs,
.keras files, training. test_legacy.py runs this script once per backend; the last stdout line
is one JSON object {check_name: {"ok": bool, "detail": str}}.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import check, close, expect, numpy, rand, run  # noqa: E402

import os
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

import k1port.runtime as k1  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "oracle" / "legacy_layers"

# Output index of each layer in the fixture's model (Model(output=[...]) order).
OUTPUTS = {"highway": 0, "maxout": 1, "srelu": 2, "softplus": 3, "dot": 4, "cos": 5, "custom": 6,
           "bn_sample": 7, "bn_batch": 8, "local1d": 9, "local2d_tf": 10, "local2d_th": 11}


def fixture_model():
    """fixtures/oracle/legacy_layers.py, written by hand with k1port.runtime's layers."""
    vec = keras.Input((8,))
    highway = k1.Highway(activation="tanh")(vec)
    maxout = k1.MaxoutDense(5, nb_feature=3)(vec)
    srelu = k1.SReLU(keras1_backend="theano")(layers.Dense(6)(vec))
    softplus = k1.ParametricSoftplus()(layers.Dense(6)(vec))
    left = layers.Dense(5)(vec)
    right = layers.Dense(5)(vec)
    dot = k1.merge([left, right], mode="dot", dot_axes=1)
    cos = k1.merge([left, right], mode="cos", dot_axes=1)
    custom = k1.merge([left, right], mode=lambda t: t[0] * 2. - t[1], output_shape=lambda s: s[0])
    bn_sample = k1.BatchNormalization(mode=1)(left)
    bn_batch = k1.BatchNormalization(mode=2)(right)
    seq = keras.Input((7, 3))
    local1d = k1.LocallyConnected1D(4, 3)(seq)
    img_tf = keras.Input((6, 6, 2))
    local2d_tf = k1.LocallyConnected2D(3, 3, 3, dim_ordering="tf")(img_tf)
    img_th = keras.Input((2, 6, 6))
    local2d_th = k1.LocallyConnected2D(3, 3, 3, subsample=(2, 2), dim_ordering="th")(img_th)
    return keras.Model([vec, seq, img_tf, img_th],
                       [highway, maxout, srelu, softplus, dot, cos, custom, bn_sample, bn_batch,
                        local1d, local2d_tf, local2d_th])


_CACHE = {}


def reference():
    """(inputs, outputs, loaded model, load report); the model predicts on the inputs."""
    if not _CACHE:
        data = np.load(FIXTURE / "reference.npz")
        xs = [data[f"x_{i}"] for i in range(4)]
        ys = [data[f"y_{i}"] for i in range(len(OUTPUTS))]
        model = fixture_model()
        report = k1.load_keras1_weights(model, str(FIXTURE / "weights.h5"), backend="theano")
        predicted = model.predict(xs, batch_size=4, verbose=0)
        _CACHE.update(xs=xs, ys=ys, model=model, report=report, predicted=predicted)
    return _CACHE


def compare(*names):
    ref = reference()
    diffs = [f"{name} {close(ref['predicted'][OUTPUTS[name]], ref['ys'][OUTPUTS[name]], name):.2g}"
             for name in names]
    return "max abs diff: " + ", ".join(diffs)


@check
def weights_load():
    report = reference()["report"]
    expect(len(report.loaded) == 13, f"loaded {report.loaded}")
    expect(not report.notes, f"notes: {report.notes}")
    return f"{len(report.loaded)} layers"


@check
def maxout_dense():
    return compare("maxout")


@check
def highway():
    return compare("highway")


@check
def batch_normalization_modes():
    """mode 1 (per sample) and mode 2 (batch statistics at inference too)."""
    detail = compare("bn_sample", "bn_batch")
    # mode 2 never touches the moving statistics; training gives the same numbers.
    layer = k1.BatchNormalization(mode=2)
    x = rand(6, 5, seed=1)
    layer.build(x.shape)
    before = [numpy(w) for w in layer.non_trainable_weights]
    close(numpy(layer(x, training=True)), numpy(layer(x, training=False)), "mode 2 training vs inference")
    for a, b in zip(before, layer.non_trainable_weights):
        close(a, numpy(b), "mode 2 moving statistics", tol=0)
    # mode 2 on a channels-first image: statistics per channel (axis=1).
    image = rand(3, 2, 4, 4, seed=2)
    layer = k1.BatchNormalization(mode=2, axis=1, epsilon=1e-3)
    out = numpy(layer(image))
    mean, var = image.mean(axis=(0, 2, 3), keepdims=True), image.var(axis=(0, 2, 3), keepdims=True)
    close(out, (image - mean) / np.sqrt(var + 1e-3), "mode 2 axis=1")
    return detail


@check
def srelu():
    return compare("srelu")


@check
def parametric_softplus():
    return compare("softplus")


@check
def locally_connected_1d():
    return compare("local1d")


@check
def locally_connected_2d():
    return compare("local2d_tf", "local2d_th")


@check
def merges():
    """k1.merge (already supported): Keras 1's 'cos' tensor had an extra length-1 axis that
    its declared shape (and k1.merge) leaves out; the values are compared."""
    ref = reference()
    i = OUTPUTS["cos"]
    diff = close(ref["predicted"][i], ref["ys"][i].reshape(ref["predicted"][i].shape), "cos")
    return compare("dot", "custom") + f", cos {diff:.2g}"


@check
def shared_axes_and_weights_argument():
    x = rand(2, 3, 4, seed=3)
    srelu = k1.SReLU(shared_axes=[1])
    srelu.build(x.shape)
    expect([tuple(w.shape) for w in srelu.weights] == [(1, 4)] * 4, f"SReLU shapes {srelu.weights}")
    t_left, a_left, t_right, a_right = [rand(1, 4, seed=s) for s in range(4)]
    srelu.set_weights([t_left, a_left, t_right, a_right])
    t_r = t_left + np.abs(t_right)
    z = x - t_left
    expected = (t_left + np.minimum(np.maximum(z, 0), t_r - t_left) + a_left * np.minimum(z, 0)
                + np.maximum(x - t_r, 0) * a_right)
    close(numpy(srelu(x)), expected, "SReLU shared_axes")
    alphas, betas = rand(3, 1, seed=5) + 2, rand(3, 1, seed=6)
    softplus = k1.ParametricSoftplus(shared_axes=2, weights=[alphas, betas])
    close(numpy(softplus(x)), np.log1p(np.exp(betas * x)) * alphas, "ParametricSoftplus weights=")
    w, b = rand(2, 4, 3, seed=7), rand(2, 3, seed=8)
    maxout = k1.MaxoutDense(3, 2, weights=[w, b])
    v = rand(5, 4, seed=9)
    close(numpy(maxout(v)), np.max(np.einsum("bi,kio->bko", v, w) + b, axis=1), "MaxoutDense weights=")
    nobias = k1.Highway(bias=False, input_dim=4)
    nobias.build((None, 4))
    expect(len(nobias.weights) == 2, "Highway(bias=False) weights")


def _layers():
    """(layer factory, input) pairs covering every class."""
    return [
        (lambda: k1.MaxoutDense(3, 2, init="he_normal", W_regularizer="l2", bias=True), rand(4, 5)),
        (lambda: k1.Highway(init="glorot_normal", activation="hard_sigmoid", W_regularizer=keras.regularizers.L2(0.1),
                            activity_regularizer="l1"), rand(4, 5)),
        (lambda: k1.SReLU(t_left_init="uniform", shared_axes=[1]), rand(4, 3, 2)),
        (lambda: k1.ParametricSoftplus(0.5, 2.0, shared_axes=[2]), rand(4, 3, 2)),
        (lambda: k1.LocallyConnected1D(3, 2, activation="relu", subsample_length=2, b_constraint="non_neg"),
         rand(4, 7, 2)),
        (lambda: k1.LocallyConnected2D(2, 2, 3, init="orthogonal", subsample=(1, 2), dim_ordering="th"),
         rand(4, 2, 5, 6)),
        (lambda: k1.LocallyConnected2D(2, 3, 2, activation="tanh"), rand(4, 5, 6, 2)),
        (lambda: k1.BatchNormalization(mode=1, epsilon=0.01), rand(4, 3)),
        (lambda: k1.BatchNormalization(mode=2, momentum=0.9), rand(4, 3)),
    ]


@check
def config_round_trip():
    names = []
    for factory, x in _layers():
        layer = factory()
        layer.build(x.shape)
        config = layer.get_config()
        clone = type(layer).from_config(config)
        expect(clone.get_config() == config, f"{type(layer).__name__}: from_config(get_config()) differs:\n"
                                             f"{config}\n{clone.get_config()}")
        revived = keras.layers.deserialize(keras.layers.serialize(layer))
        expect(type(revived) is type(layer), f"deserialize gave {type(revived)}")
        if not revived.built:
            revived.build(x.shape)
        revived.set_weights(layer.get_weights())
        close(numpy(revived(x)), numpy(layer(x)), f"{type(layer).__name__} revived")
        names.append(type(layer).__name__)
    return ", ".join(names)


@check
def keras_file_round_trip():
    ref = reference()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "legacy.keras")
        ref["model"].save(path)
        loaded = keras.saving.load_model(path, safe_mode=False)
    after = loaded.predict(ref["xs"], batch_size=4, verbose=0)
    for name, i in OUTPUTS.items():
        close(after[i], ref["predicted"][i], f"{name} after .keras", tol=0)


@check
def defaults_match_keras1():
    """Keras 1's initial values: Highway b_carry 1, b 0; SReLU t_left 0, a_right 1;
    ParametricSoftplus 0.2 / 5."""
    highway = k1.Highway()
    highway.build((None, 3))
    expect([w.name for w in highway.weights] == ["W", "W_carry", "b", "b_carry"], "Highway weight order")
    close(numpy(highway.b_carry), np.ones(3), "b_carry", tol=0)
    close(numpy(highway.b), np.zeros(3), "b", tol=0)
    srelu = k1.SReLU()
    srelu.build((None, 3))
    close(numpy(srelu.t_left), np.zeros(3), "t_left", tol=0)
    close(numpy(srelu.a_right), np.ones(3), "a_right", tol=0)
    softplus = k1.ParametricSoftplus()
    softplus.build((None, 3))
    close(numpy(softplus.alphas), np.full(3, 0.2, "float32"), "alphas", tol=0)
    close(numpy(softplus.betas), np.full(3, 5.0), "betas", tol=0)
    # Keras 1's glorot_uniform on a 3-D W: fan_in = fan_out = sqrt(prod(shape)).
    maxout = k1.MaxoutDense(50, nb_feature=4)
    maxout.build((None, 30))
    bound, largest = np.sqrt(6 / (2 * np.sqrt(4 * 30 * 50))), float(np.max(np.abs(numpy(maxout.W))))
    expect(0.95 * bound < largest <= bound, f"MaxoutDense W bound {largest}, Keras 1's {bound}")
    previous = k1.image_dim_ordering()
    try:
        k1.set_image_dim_ordering("th")
        expect(k1.LocallyConnected2D(2, 3, 3).dim_ordering == "th", "dim_ordering='default' under 'th'")
    finally:
        k1.set_image_dim_ordering(previous)
    expect(k1.LocallyConnected2D(2, 3, 3, dim_ordering="tf").dim_ordering == "tf", "dim_ordering='tf'")


@check
def trains():
    model = fixture_model()
    model.compile(optimizer="sgd", loss="mse")
    ref = reference()
    history = model.fit(ref["xs"], [np.zeros_like(y) for y in ref["ys"]], epochs=3, batch_size=4, verbose=0)
    losses = history.history["loss"]
    expect(all(np.isfinite(losses)), f"losses {losses}")
    expect(losses[-1] < losses[0], f"loss did not decrease: {losses}")
    return f"losses {[round(v, 4) for v in losses]}"


@check
def refused_arguments():
    for what, fn in (("LocallyConnected1D same", lambda: k1.LocallyConnected1D(2, 3, border_mode="same")),
                     ("LocallyConnected2D same", lambda: k1.LocallyConnected2D(2, 3, 3, border_mode="same")),
                     ("dim_ordering", lambda: k1.LocallyConnected2D(2, 3, 3, dim_ordering="xy")),
                     ("mode 3", lambda: k1.BatchNormalization(mode=3))):
        try:
            fn()
        except ValueError:
            continue
        raise AssertionError(f"{what}: no ValueError")


if __name__ == "__main__":
    run()
