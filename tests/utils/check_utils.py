"""Check converted Keras 1 utilities and dataset loaders in one process on the backend
KERAS_BACKEND names.

Each snippet of cases.py is converted with k1port, run, and its result compared with the
real Keras 1.2.2's (data/reference.json, made by make_reference.py in the oracle); the data
sets read fake_data.py's files in Keras 1's format and, with the same content, Keras 3's
.npz files. Then what the oracle cannot say: convert_kernel, get_file's untar layout,
plot without pydot, convert_all_kernels_in_model, print_summary, keras.metrics functions.
test_utils.py runs this script once per backend; the last stdout line is one JSON object.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import check, expect, run  # noqa: E402

import contextlib
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

HOME = tempfile.mkdtemp()
os.environ["KERAS_HOME"] = HOME  # read when Keras is imported: the fake files live here
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402

import k1port.runtime as k1  # noqa: E402
from k1port.api import Options, convert_source  # noqa: E402
from k1port.findings import Level  # noqa: E402

HERE = Path(__file__).resolve().parent
_sys.path.insert(0, str(HERE))
from cases import CASES, describe  # noqa: E402
from fake_data import raw_imdb, raw_reuters, write_all  # noqa: E402

DATA = HERE / "data" / "reference.json"
REGENERATE = "tests/oracle/run.sh tests/utils/make_reference.py"
DATASETS = os.path.join(HOME, "datasets")
write_all(DATASETS)


def converted(source):
    result = convert_source(source + "\n", Options())
    errors = [f.message for f in result.findings if f.level is Level.ERROR]
    expect(not errors, f"conversion errors: {errors}\n{result.code}")
    return result.code


def run_snippet(source, name="snippet"):
    k1.set_image_dim_ordering("tf")
    np.random.seed(0)
    namespace = {"np": np}
    exec(compile(converted(source), f"<{name}>", "exec"), namespace)  # noqa: S102 - our own snippets
    k1.set_image_dim_ordering("tf")
    return namespace


def reference():
    expect(DATA.exists(), f"{DATA} is missing: run {REGENERATE}")
    data = json.loads(DATA.read_text())
    for key, name in (("cases_sha256", "cases.py"), ("fake_data_sha256", "fake_data.py")):
        expect(data["meta"][key] == hashlib.sha256((HERE / name).read_bytes()).hexdigest(),
               f"{name} changed since the reference data was made: run {REGENERATE}")
    return data["cases"]


def same_as_keras1(prefixes):
    cases = reference()
    names = [n for n in CASES if n.startswith(prefixes)]
    expect(names, f"no case starts with {prefixes}")
    for name in names:
        got = describe(run_snippet(CASES[name], name)["result"])
        expect(got == cases[name], f"{name}: Keras 1 gave\n{json.dumps(cases[name])[:1500]}\n"
                                   f"converted code gave\n{json.dumps(got)[:1500]}")
    return f"{len(names)} cases"


@check
def reference_data():
    return f"{len(reference())} cases"


@check
def np_utils_results():
    return same_as_keras1(("to_categorical", "probas", "categorical_probas", "normalize", "np_accuracy",
                           "binary_logloss", "multiclass_logloss", "conv_lengths"))


@check
def slice_X_results():
    return same_as_keras1(("slice_X",))


@check
def progbar_keras1_calls():
    with contextlib.redirect_stdout(io.StringIO()):
        return same_as_keras1(("progbar", "get_from_module"))


@check
def imdb_results():
    with contextlib.redirect_stdout(io.StringIO()):
        return same_as_keras1(("imdb",))


@check
def reuters_results():
    return same_as_keras1(("reuters",))


@check
def cifar_results():
    return same_as_keras1(("cifar",))


@check
def datasets_from_keras3_files():
    """Without Keras 1's cached files the loaders read Keras 3's .npz (same content)."""
    folder = tempfile.mkdtemp()
    (x_train, y_train), (x_test, y_test) = raw_imdb()
    xs, labels = raw_reuters()
    files = {"imdb.npz": dict(x_train=_objects(x_train), y_train=np.array(y_train),
                              x_test=_objects(x_test), y_test=np.array(y_test)),
             "reuters.npz": dict(x=_objects(xs), y=np.array(labels))}
    for name, arrays in files.items():
        np.savez(os.path.join(folder, name), **arrays)
    moved = tempfile.mkdtemp()
    for name in ("imdb_full.pkl", "reuters.pkl"):
        shutil.move(os.path.join(DATASETS, name), os.path.join(moved, name))
    fetch = k1.datasets._fetch
    k1.datasets._fetch = lambda fname, *args, **kwargs: os.path.join(folder, fname)
    try:
        return same_as_keras1(("imdb_v", "imdb_m", "imdb_no", "reuters"))
    finally:
        k1.datasets._fetch = fetch
        for name in ("imdb_full.pkl", "reuters.pkl"):
            shutil.move(os.path.join(moved, name), os.path.join(DATASETS, name))


def _objects(lists):
    out = np.empty(len(lists), dtype=object)
    for i, x in enumerate(lists):
        out[i] = x
    return out


@check
def convert_kernel_flips_spatial_axes():
    ns = run_snippet("from keras.utils.np_utils import convert_kernel\nk = np.arange(48.).reshape(2, 3, 2, 2, 2)\n"
                     "th = convert_kernel(k, 'th')\ntf = convert_kernel(k, dim_ordering='tf')\nd = convert_kernel(k)")
    k = ns["k"]
    expect(np.array_equal(ns["th"], k[:, :, ::-1, ::-1, ::-1]), "'th': axes 2.. flipped")
    expect(np.array_equal(ns["tf"], k[::-1, ::-1, ::-1]), "'tf': all but the last two flipped")
    expect(np.array_equal(ns["d"], ns["tf"]), "the default is the file's ordering ('tf')")


@check
def get_file_keras1_layout():
    src = tempfile.mkdtemp()
    os.makedirs(os.path.join(src, "pkg"))
    Path(src, "pkg", "a.txt").write_text("hello")
    archive = os.path.join(src, "pkg.tar.gz")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(os.path.join(src, "pkg"), arcname="pkg")
    md5 = hashlib.md5(Path(archive).read_bytes()).hexdigest()
    with contextlib.redirect_stdout(io.StringIO()):
        ns = run_snippet("from keras.utils.data_utils import get_file, validate_file\n"
                         f"p = get_file('pkg', origin='file://{archive}', untar=True, md5_hash='{md5}')\n"
                         f"q = get_file('plain.tgz', origin='file://{archive}', cache_subdir='other')\n"
                         "ok = validate_file(q, '%s')\nbad = validate_file(q, '0' * 32)" % md5)
    expect(ns["p"] == os.path.join(DATASETS, "pkg"), f"untar returned {ns['p']}")
    expect(Path(DATASETS, "pkg", "a.txt").read_text() == "hello", "extracted into the cache folder")
    expect(os.path.exists(os.path.join(DATASETS, "pkg.tar.gz")), "the archive kept as fname + '.tar.gz'")
    expect(ns["q"] == os.path.join(HOME, "other", "plain.tgz"), f"plain download at {ns['q']}")
    expect(ns["ok"] and not ns["bad"], "validate_file compares the md5")


def _model():
    return ("from keras.models import Sequential\nfrom keras.layers import Convolution2D, Flatten, Dense\n"
            "model = Sequential([Convolution2D(2, 3, 3, input_shape=(5, 5, 1)), Flatten(), Dense(3)])\n")


@check
def plot_without_pydot_fails_clearly():
    code = converted(_model() + "from keras.utils.visualize_util import plot\n"
                                "plot(model, to_file='/tmp/never.png', show_shapes=True)")
    expect("plot_model(model, to_file='/tmp/never.png', show_shapes=True, show_layer_names=True)" in code, code)
    try:
        exec(compile(code, "<plot>", "exec"), {"np": np})  # noqa: S102
    except ImportError as exc:
        expect("pydot" in str(exc), f"message: {exc}")
        return str(exc)
    raise AssertionError("plot_model without pydot did not raise ImportError")


@check
def layer_utils_on_a_model():
    with contextlib.redirect_stdout(io.StringIO()) as out:
        ns = run_snippet(_model() + "from keras.utils.layer_utils import convert_all_kernels_in_model, print_summary\n"
                                    "before = model.layers[0].get_weights()[0]\nconvert_all_kernels_in_model(model)\n"
                                    "after = model.layers[0].get_weights()[0]\nprint_summary(model.layers)")
    expect(np.array_equal(ns["after"], ns["before"][::-1, ::-1]), "kernel flipped along rows and columns")
    text = out.getvalue()
    expect("Total params: 77" in text and "Output Shape" in text, text)


@check
def metrics_as_module_functions():
    ns = run_snippet("from keras import metrics, objectives\n"
                     "y = np.array([[0., 1.], [1., 0.]], 'float32')\np = np.array([[.2, .8], [.3, .7]], 'float32')\n"
                     "acc = metrics.categorical_accuracy(y, p)\nmse = objectives.mse(y, p)\n"
                     "f = metrics.fmeasure(y, p)\nce = metrics.binary_crossentropy(y, p)")
    expect(np.allclose(np.mean(keras.ops.convert_to_numpy(ns["acc"])), 0.5), "accuracy")
    expect(np.allclose(keras.ops.convert_to_numpy(ns["mse"]), [0.04, 0.49]), "mse per sample")
    expect(np.isfinite(float(keras.ops.convert_to_numpy(ns["f"]))), "fmeasure runs")
    expect(keras.ops.convert_to_numpy(ns["ce"]).shape in ((), (2,)), "binary_crossentropy runs")


if __name__ == "__main__":
    run()
