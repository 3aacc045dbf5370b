"""keras.applications and keras.wrappers.scikit_learn, converted by k1port, on one Keras backend.

The Keras 1 snippets of snippets.py are converted by k1port and run here; their results are
compared with what Keras 1.2.2 computed (data/reference.npz, made by make_reference.py in the
oracle). Further checks: channels-first networks equal channels-last ones up to transposes,
and the wrappers as scikit-learn estimators (clone, GridSearchCV).
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import numpy as np  # noqa: E402
from checklib import check, close, expect, raises, run  # noqa: E402

import snippets  # noqa: E402
import keras  # noqa: E402
import k1port.runtime as k1  # noqa: E402
from k1port.api import Options, convert_source  # noqa: E402
from k1port.findings import Level  # noqa: E402

DATA = HERE / "data" / "reference.npz"
REGENERATE = "tests/oracle/run.sh tests/applications/make_reference.py"
_REF = {}


def reference():
    if not _REF:
        expect(DATA.exists(), f"{DATA} is missing: run {REGENERATE}")
        with np.load(DATA, allow_pickle=False) as npz:
            _REF.update({key: npz[key] for key in npz.files})
    return _REF


def converted(code: str) -> str:
    result = convert_source(code, Options())
    errors = [f for f in result.findings if f.level is Level.ERROR]
    expect(not errors, f"conversion errors: {errors}")
    return result.code


def run_snippet(name: str, **names) -> dict:
    scope = {**snippets.inputs(), **names, "out": {}}
    exec(compile(converted(getattr(snippets, name)), f"<{name} converted>", "exec"), scope)
    return scope


def compare(prefix: str, out: dict, tol=1e-5):
    ref = reference()
    keys = [k[len(prefix) + 2:] for k in ref if k.startswith(prefix + "__")]
    expect(sorted(keys) == sorted(out), f"{prefix}: keys {sorted(out)} != reference {sorted(keys)}")
    for key in keys:
        mine, theirs = np.asarray(out[key]), ref[f"{prefix}__{key}"]
        if theirs.dtype.kind in "fc":
            close(mine.astype("float32"), theirs, f"{prefix}.{key}", tol * max(1.0, float(np.abs(theirs).max())))
        else:
            expect(np.array_equal(mine, theirs), f"{prefix}.{key}: {mine!r} != {theirs!r}")
    return len(keys)


@check
def backend_selected():
    return keras.backend.backend()


@check
def reference_data():
    meta = json.loads(str(reference()["meta"]))
    expect(meta["keras"] == "1.2.2" and meta["backend"] == "theano", f"reference made by {meta}")
    for name, digest in meta["sha256"].items():
        expect(hashlib.sha256((HERE / name).read_bytes()).hexdigest() == digest,
               f"{name} changed since {DATA.name} was made: run {REGENERATE}")
    return f"Keras {meta['keras']} / Theano {meta['theano']}"


@check
def preprocess_input_matches_keras1():
    """'th' and 'tf' mean subtraction and the inception/xception scaling, returned and in place."""
    return f"{compare('preprocess', run_snippet('PREPROCESS')['out'])} arrays"


@check
def decode_predictions_matches_keras1():
    """Keras 3's decode_predictions on a fake class index, as Keras 1's read it."""
    from keras.src.applications import imagenet_utils
    from keras.src.utils import file_utils

    saved = file_utils.get_file
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index.json"
        index.write_text(json.dumps(snippets.fake_class_index()))
        file_utils.get_file = lambda *args, **kwargs: str(index)
        imagenet_utils.CLASS_INDEX = None
        try:
            out = run_snippet("DECODE")["out"]
        finally:
            file_utils.get_file, imagenet_utils.CLASS_INDEX = saved, None
    return f"{compare('decode', out)} arrays"


def _vgg(name: str, x: str):
    scope = run_snippet(name)
    model, ref = scope["model"], reference()
    for seed, layer_name in enumerate(ref[f"{name.lower()}__names"]):
        layer = model.get_layer(str(layer_name))
        shapes = [w.shape for w in k1.get_keras1_weights(layer, backend="theano")]
        k1.set_keras1_weights(layer, snippets.seeded_weights(shapes, seed), backend="theano")
    y = model.predict(snippets.inputs()[x], verbose=0)
    close(y, ref[f"{name.lower()}__y"], name, 1e-4)
    return model


@check
def vgg16_th_matches_keras1():
    """A 'th' file: channels-first VGG16 (the runtime's re-laid Keras 3 network) = Keras 1's."""
    code = converted(snippets.VGG_TH)
    expect("k1.applications.VGG16(" in code and "dim_ordering='th'" in code, code)
    model = _vgg("VGG_TH", "vgg_th_x")
    return f"{model.output.shape}"


@check
def vgg19_tf_matches_keras1():
    """A 'tf' file: Keras 3's own VGG19 = Keras 1's."""
    code = converted(snippets.VGG_TF)
    expect("VGG19(" in code and "k1.applications" not in code, code)
    model = _vgg("VGG_TF", "vgg_tf_x")
    return f"{model.output.shape}"


def _same_up_to_transpose(build, shape):
    """build(dim_ordering, input_shape) in both orderings, the channels-last weights copied:
    the channels-first outputs are the channels-last ones transposed."""
    last = build("tf", (*shape[1:], shape[0]))
    first = build("th", shape)
    for layer in last.layers:
        if layer.weights:
            first.get_layer(layer.name).set_weights(layer.get_weights())
    x = np.random.default_rng(0).uniform(0, 1, (2, *shape[1:], shape[0])).astype("float32")
    a = last.predict(x, verbose=0)
    b = first.predict(x.transpose(0, 3, 1, 2), verbose=0)
    if b.ndim == 4:
        b = b.transpose(0, 2, 3, 1)
    return close(a, b, "th vs tf", 1e-4 * max(1.0, float(np.abs(a).max())))


@check
def flatten_dense_rows_follow_keras1_order():
    """include_top: the Dense after Flatten reads (channels, rows, cols) rows in the 'th' model."""
    inputs = keras.Input((6, 6, 3))
    h = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inputs)
    h = keras.layers.MaxPooling2D(name="pool")(h)
    h = keras.layers.Flatten(name="flatten")(h)
    outputs = keras.layers.Dense(5, name="fc")(h)
    last = keras.Model(inputs, outputs)
    last.get_layer("fc").set_weights([np.random.default_rng(1).normal(size=(36, 5)).astype("float32"),
                                      np.zeros(5, "float32")])
    first = k1.applications.channels_first_model(last)
    x = np.random.default_rng(2).uniform(size=(2, 6, 6, 3)).astype("float32")
    close(last.predict(x, verbose=0), first.predict(x.transpose(0, 3, 1, 2), verbose=0), "flatten+dense")
    flat = keras.Model(first.input, first.get_layer("flatten").output).predict(x.transpose(0, 3, 1, 2), verbose=0)
    pooled = keras.Model(first.input, first.get_layer("pool").output).predict(x.transpose(0, 3, 1, 2), verbose=0)
    close(flat, pooled.reshape(2, -1), "Keras 1 flattened (channels, rows, cols)")


@check
def resnet50_and_inception_th_equal_tf():
    """Batch normalisation, additions, concatenations and padding re-laid channels-first."""
    d1 = _same_up_to_transpose(lambda o, s: k1.applications.ResNet50(False, None, input_shape=s, dim_ordering=o),
                               (3, 32, 32))
    # InceptionV3's unnamed layers get new names in each build: re-lay one build.
    last = keras.applications.InceptionV3(include_top=False, weights=None, input_shape=(75, 75, 3))
    first = k1.applications.channels_first_model(last)
    x = np.random.default_rng(0).uniform(0, 1, (2, 75, 75, 3)).astype("float32")
    a, b = last.predict(x, verbose=0), first.predict(x.transpose(0, 3, 1, 2), verbose=0)
    d2 = close(a, b.transpose(0, 2, 3, 1), "InceptionV3 th vs tf", 1e-4 * max(1.0, float(np.abs(a).max())))
    return f"max diffs {d1:.2g}, {d2:.2g}"


@check
def input_tensor_th():
    """Keras 1's input_tensor: the network is built on it; layers keep Keras 1's names."""
    image = keras.Input(batch_shape=(1, 3, 64, 64))
    model = k1.applications.VGG19(input_tensor=image, include_top=False, weights=None, dim_ordering="th")
    expect(model.inputs[0] is image, "the model's input is the given tensor")
    expect(tuple(model.get_layer("block5_conv4").output.shape) == (1, 512, 4, 4),
           f"block5_conv4: {model.get_layer('block5_conv4').output.shape}")
    expect(model.name == "vgg19", model.name)


@check
def sklearn_wrappers_match_keras1():
    """fit/predict/predict_proba/score of KerasClassifier and KerasRegressor (Keras 1's
    defaults: 10 epochs without nb_epoch; the regressor's score is the loss)."""
    return f"{compare('sklearn', run_snippet('SKLEARN')['out'], tol=1e-5)} arrays"


@check
def sklearn_grid_search():
    """The wrappers are scikit-learn estimators: clone, set_params, GridSearchCV with nb_epoch."""
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV

    scope = run_snippet("SKLEARN")
    data = snippets.inputs()
    clf = k1.KerasClassifier(scope["make_classifier"], batch_size=8, verbose=0)
    expect(clone(clf).get_params()["batch_size"] == 8, "clone keeps sk_params")
    raises(ValueError, lambda: clf.set_params(nb_epochs=3), "a misspelt parameter")
    search = GridSearchCV(clf, {"nb_epoch": [1, 2], "hidden": [5], "batch_size": [8, 40]}, cv=2)
    search.fit(data["x"], data["labels"])
    expect(set(search.best_params_) == {"nb_epoch", "hidden", "batch_size"}, search.best_params_)
    best = search.best_estimator_
    expect(len(best.model.history.history["loss"]) == best.sk_params["nb_epoch"], "nb_epoch epochs trained")
    expect(list(best.classes_) == [0, 1, 2], best.classes_)
    proba = GridSearchCV(clf, {"nb_epoch": [1]}, cv=2, scoring="neg_log_loss").fit(data["x"], data["labels"])
    reg = k1.KerasRegressor(scope["make_regressor"], nb_epoch=1, verbose=0)
    regs = GridSearchCV(reg, {"batch_size": [8, 16]}, cv=2).fit(data["x"], data["target"])
    return f"best {search.best_params_}, log loss {proba.best_score_:.3f}, regressor {regs.best_params_}"


if __name__ == "__main__":
    run()
