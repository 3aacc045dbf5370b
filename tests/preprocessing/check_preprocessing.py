"""Check converted keras.preprocessing code in one process on the backend KERAS_BACKEND names.

Every Keras 1 program of snippets.py is converted by k1port, run under Keras 3 and compared
with what Keras 1.2.2 computed (data/reference.npz, made by make_reference.py in the oracle):
Tokenizer vocabularies, sequences and matrices, one_hot, pad_sequences, skipgrams with a seeded
`random`, the image transforms and ImageDataGenerator's augmented batches with seeded
`np.random` ('th' and 'tf'), featurewise and ZCA statistics, flow order and flow_from_directory.
Then what the oracle cannot record: training from a flow with k1.fit_generator, save_to_dir,
dim_ordering='default' at run time. test_preprocessing.py runs this once per backend; the last
stdout line is one JSON object {check_name: {"ok": bool, "detail": str}}.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_HERE = _Path(__file__).resolve().parent
_sys.path[:0] = [str(_HERE.parent), str(_HERE), str(_HERE.parent / "oracle")]
from checklib import check, close, expect, raises, run  # noqa: E402

import os  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
import json  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import k1port.runtime as k1  # noqa: E402
from k1port.api import Options, convert_source  # noqa: E402
from k1port.findings import Level  # noqa: E402
from oracle_data import load_npz  # noqa: E402
from snippets import LAYOUT, SNIPPETS, image_arrays, record, sources_sha256  # noqa: E402

DATA = _HERE / "data" / "reference.npz"
REGENERATE = "tests/oracle/run.sh tests/preprocessing/make_reference.py"
_REFERENCE: dict = {}


def reference():
    """(arrays, json results, meta) of data/reference.npz."""
    if not _REFERENCE:
        expect(DATA.exists(), f"{DATA} is missing: run {REGENERATE}")
        arrays = load_npz(DATA)
        _REFERENCE.update(arrays=arrays, plain=json.loads(str(arrays.pop("json"))),
                          meta=json.loads(str(arrays.pop("meta"))))
    return _REFERENCE["arrays"], _REFERENCE["plain"], _REFERENCE["meta"]


def converted(source: str) -> str:
    result = convert_source(source, Options())
    bad = [f for f in result.findings if f.level in (Level.ERROR, Level.WARNING)]
    expect(not bad, f"conversion findings: {bad}")
    return result.code


def run_converted(name: str, **scope) -> dict:
    code = converted(SNIPPETS[name])
    scope = {"np": np, **scope}
    exec(compile(code, f"<converted {name}>", "exec"), scope)
    return scope["result"]


def compare(name: str, result: dict) -> str:
    """The snippet's result against Keras 1's: same keys, arrays of the same shape and dtype
    (integers exact, floats within 1e-5), other values equal."""
    arrays, plain, _ = reference()
    got_arrays, got_plain = record({k: v for k, v in result.items() if not k.startswith("_")})
    want_arrays = {k.split("__", 1)[1]: v for k, v in arrays.items() if k.startswith(name + "__")}
    want_plain = {k: v for k, v in plain[name].items() if not k.startswith("_")}
    expect(sorted(got_arrays) == sorted(want_arrays), f"arrays {sorted(got_arrays)} != {sorted(want_arrays)}")
    expect(sorted(got_plain) == sorted(want_plain), f"values {sorted(got_plain)} != {sorted(want_plain)}")
    worst = 0.0
    for key, want in want_arrays.items():
        got = got_arrays[key]
        expect(got.dtype == want.dtype, f"{key}: dtype {got.dtype} != Keras 1's {want.dtype}")
        if np.issubdtype(want.dtype, np.floating):
            worst = max(worst, close(got, want, key, tol=1e-5 * max(1.0, float(np.max(np.abs(want), initial=0)))))
        else:
            expect(got.shape == want.shape and np.array_equal(got, want), f"{key}: {got.tolist()} != {want.tolist()}")
    for key, want in want_plain.items():
        expect(got_plain[key] == want, f"{key}: {got_plain[key]} != Keras 1's {want}")
    return f"{len(want_arrays)} arrays, {len(want_plain)} values; max float diff {worst:.2g}"


@check
def reference_current():
    _, _, meta = reference()
    expect(meta["sha256"] == sources_sha256(), f"the snippets or make_reference.py changed: run {REGENERATE}")
    return f"Keras {meta['keras']}, numpy {meta['numpy']}"


@check
def text():
    return compare("text", run_converted("text"))


@check
def one_hot():
    """Python's str hash differs per process: the oracle's hashes are fed back."""
    _, plain, _ = reference()
    hashes = plain["one_hot"]["_hash"]
    k1.text.hash = hashes.__getitem__  # the module's `hash` shadows the builtin
    try:
        return compare("one_hot", run_converted("one_hot"))
    finally:
        del k1.text.hash


@check
def pad_sequences():
    return compare("pad_sequences", run_converted("pad_sequences"))


@check
def skipgrams():
    return compare("skipgrams", run_converted("skipgrams"))


@check
def image_functions():
    return compare("image_functions", run_converted("image_functions"))


@check
def generator():
    return compare("generator", run_converted("generator"))


def write_images(root: str) -> None:
    from PIL import Image

    images = image_arrays()
    for path in LAYOUT:
        target = os.path.join(root, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if path in images:
            Image.fromarray(images[path]).save(target)
        elif not path.endswith("/"):
            open(target, "w").close()


@check
def directory():
    with tempfile.TemporaryDirectory() as tmp:
        write_images(tmp)
        return compare("directory", run_converted("directory", IMAGES=tmp))


@check
def fit_generator_from_flow():
    """cifar10_cnn.py's pattern: a converted fit_generator trains from datagen.flow()."""
    source = (
        "from keras.models import Sequential\nfrom keras.layers import Flatten, Dense\n"
        "from keras.preprocessing.image import ImageDataGenerator\n"
        "X = np.random.rand(10, 3, 4, 4).astype('float32')\nY = np.eye(2)[np.arange(10) % 2]\n"
        "model = Sequential([Flatten(input_shape=(3, 4, 4)), Dense(2, activation='softmax')])\n"
        "model.compile('sgd', 'categorical_crossentropy')\n"
        "datagen = ImageDataGenerator(featurewise_center=True, horizontal_flip=True, dim_ordering='th')\n"
        "datagen.fit(X)\n"
        "flow = datagen.flow(X, Y, batch_size=4)\n"
        "history = model.fit_generator(flow, samples_per_epoch=X.shape[0], nb_epoch=2, verbose=0)\n")
    scope = {"np": np}
    exec(compile(converted(source), "<converted cifar>", "exec"), scope)
    expect(len(scope["history"].history["loss"]) == 2, f"history {scope['history'].history}")
    seen = scope["flow"].total_batches_seen
    expect(seen >= 6, f"{seen} batches drawn for 2 epochs of ceil(10 / 4) = 3")
    return f"{seen} batches drawn"


@check
def save_to_dir():
    """One file per image, named <prefix>_<index>_<random 0..9999>.<format>."""
    x = np.random.rand(5, 4, 4, 3).astype("float32")
    with tempfile.TemporaryDirectory() as tmp:
        flow = k1.image.ImageDataGenerator(dim_ordering="tf").flow(x, batch_size=3, shuffle=False, save_to_dir=tmp,
                                                                   save_prefix="aug", save_format="png")
        next(flow), next(flow)
        names = sorted(os.listdir(tmp))
        expect(len(names) == 5 and all(re.fullmatch(r"aug_[0-4]_\d{1,4}\.png", n) for n in names), names)
        from PIL import Image

        with Image.open(os.path.join(tmp, names[0])) as image:
            expect(image.size == (4, 4) and image.mode == "RGB", f"{image.size} {image.mode}")
    return ", ".join(names)


@check
def default_ordering_at_run_time():
    """dim_ordering='default' (hand-written code) follows k1.set_image_dim_ordering."""
    before = k1.image_dim_ordering()
    try:
        k1.set_image_dim_ordering("th")
        gen = k1.image.ImageDataGenerator()
        expect((gen.channel_axis, gen.row_axis, gen.col_axis) == (1, 2, 3), gen.channel_axis)
        k1.set_image_dim_ordering("tf")
        expect(k1.image.ImageDataGenerator().channel_axis == 3, "tf: channels last")
    finally:
        k1.set_image_dim_ordering(before)
    return "th -> axis 1, tf -> axis 3"


@check
def keras1_errors():
    raises(ValueError, lambda: k1.image.ImageDataGenerator(zoom_range=(1, 2, 3)), "zoom_range of three")
    raises(ValueError, lambda: k1.image.ImageDataGenerator(dim_ordering="xy"), "dim_ordering 'xy'")
    raises(ValueError, lambda: k1.image.ImageDataGenerator(dim_ordering="tf").fit(np.zeros((2, 4, 4, 2))), "2 channels")
    raises(ValueError, lambda: k1.image.NumpyArrayIterator(np.zeros((2, 4, 4, 3)), [1], None), "x and y lengths")
    raises(ValueError, lambda: k1.text.Tokenizer().texts_to_matrix(["a"]), "unfitted, no nb_words")
    raises(ValueError, lambda: k1.text.Tokenizer(nb_words=3).sequences_to_matrix([[1]], mode="tfidf"), "tfidf unfitted")
    tok = k1.text.Tokenizer(nb_words=3)
    raises(ValueError, lambda: tok.sequences_to_matrix([[1]], mode="bogus"), "unknown mode")
    expect(tok.sequences_to_matrix([[]], mode="bogus").shape == (1, 3), "Keras 1 checked the mode per word")
    return "ok"


if __name__ == "__main__":
    run()
