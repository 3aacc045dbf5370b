"""What the examples harness installs in each example's process before running it.

The Keras 1 examples download datasets, pretrained weights and texts, read images given on
the command line, and train for hours. Here every download returns small random data of the
right shapes and types, pretrained weights are replaced by random ones, and training is cut
to one epoch of a few batches. The converted program runs as k1port wrote it, on Keras 3,
except the loop cuts and drift fixes that `config.py` lists per example.

Third-party APIs that changed since 2017 and have nothing to do with Keras (`scipy.misc`'s
image functions, matplotlib, which is not installed) get stand-ins, named in the report.
"""
from __future__ import annotations

import io
import os
import random
import re
import sys
import tarfile
import types
from pathlib import Path

import numpy as np

# MNIST keeps its real sizes (the examples reshape to 60000 rows; CIFAR-10's loaders read
# five files of 10000); the others are smaller (the examples read their lengths). Training
# sees only the first few batches.
SIZES = {"mnist": (60000, 10000), "cifar-100-python-target": (2000, 500),
         "imdb": (2000, 2000), "reuters": (1000, 250), "boston_housing": (404, 102)}
MAX_FIT_SAMPLES = 256  # fit / evaluate: the first samples only
MAX_SAMPLES_PER_EPOCH = 64  # fit_generator: at most this many samples per epoch
WORK = Path(os.environ.get("K1PORT_HARNESS_WORK", "."))
rng = np.random.RandomState(0)


# --- datasets: the files Keras 3's download would bring, small and random ------------------
# The loaders (Keras 3's, or the runtime's Keras 1 versions) then run for real on them.

def _sequences(n, top=2000, length=(10, 120)):
    x = np.empty(n, dtype=object)
    x[:] = [list(map(int, rng.randint(1, top, size=rng.randint(*length)))) for _ in range(n)]
    return x


def _pickle(path: Path, value) -> None:
    import pickle

    with open(path, "wb") as f:
        pickle.dump(value, f)


def _cifar(folder: Path, batches: dict, label_keys) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, n in batches.items():
        labels = {key.encode(): list(map(int, rng.randint(0, classes, n))) for key, classes in label_keys}
        _pickle(folder / name, {b"data": rng.randint(0, 256, (n, 3072)).astype("uint8"), **labels})


def _dataset(fname: str, target: Path) -> bool:
    """Write the dataset file `fname` at `target`; False if `fname` is not a dataset."""
    n_train, n_test = SIZES.get(fname.split(".")[0].split("_word")[0], (0, 0))
    if fname == "mnist.npz":
        np.savez(target, x_train=rng.randint(0, 256, (n_train, 28, 28)).astype("uint8"),
                 y_train=rng.randint(0, 10, n_train).astype("uint8"),
                 x_test=rng.randint(0, 256, (n_test, 28, 28)).astype("uint8"),
                 y_test=rng.randint(0, 10, n_test).astype("uint8"))
    elif fname == "imdb.npz":
        np.savez(target, x_train=_sequences(n_train), y_train=rng.randint(0, 2, n_train),
                 x_test=_sequences(n_test), y_test=rng.randint(0, 2, n_test))
    elif fname == "reuters.npz":
        np.savez(target, x=_sequences(n_train + n_test), y=rng.randint(0, 46, n_train + n_test))
    elif fname == "boston_housing.npz":
        np.savez(target, x=rng.rand(n_train + n_test, 13), y=rng.rand(n_train + n_test))
    elif fname.endswith("_word_index.json"):
        import json

        target.write_text(json.dumps({f"w{i}": i for i in range(1, 2000)}))
    elif fname == "cifar-10-batches-py-target":
        _cifar(target / "cifar-10-batches-py", {**{f"data_batch_{i}": 10000 for i in range(1, 6)},
                                                "test_batch": 1000}, [("labels", 10)])
    elif fname == "cifar-100-python-target":
        _cifar(target / "cifar-100-python", {"train": n_train, "test": n_test},
               [("fine_labels", 100), ("coarse_labels", 20)])
    else:
        return False
    return True


# --- downloaded files -----------------------------------------------------------------

WORDS = ("mary john sandra daniel went moved journeyed travelled to the bathroom hallway "
         "kitchen garden office bedroom picked up dropped apple football milk").split()


def _babi_story(n_facts=4):
    people = ["Mary", "John", "Sandra", "Daniel"]
    places = ["bathroom", "hallway", "kitchen", "garden"]
    lines, where = [], {}
    for i in range(1, n_facts + 1):
        who, place = random.choice(people), random.choice(places)
        where[who] = (place, i)
        lines.append(f"{i} {who} moved to the {place}.")
    who = random.choice(list(where))
    place, fact = where[who]
    lines.append(f"{n_facts + 1} Where is {who}? \t{place}\t{fact}")
    return "\n".join(lines) + "\n"


def _tar(path: Path, members: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for member, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(member)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _babi_tar(path: Path, members: list[str]) -> None:
    _tar(path, {member: "".join(_babi_story() for _ in range(24)) for member in members})


def _babi_members() -> list[str]:
    """Every task file the running example names ('.../qa1_single-supporting-fact_{}.txt')."""
    source = Path(sys.argv[0]).read_text()
    names = re.findall(r"tasks_1-20_v1-2/[\w/.{}-]+", source)
    return sorted({n.format(split) for n in names for split in ("train", "test")})


def get_file(fname=None, origin=None, untar=False, *args, extract=False, **kwargs):
    fname = fname or Path(origin).name
    target = WORK / "downloads" / fname
    target.parent.mkdir(parents=True, exist_ok=True)
    if _dataset(fname, target):
        pass
    elif "babi" in fname:
        _babi_tar(target, _babi_members())
    elif "wordlists" in fname:  # image_ocr: English words, then word pairs, by frequency
        random.seed(0)
        words = ["".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(1, 4)))
                 for _ in range(20000)]
        _tar(target, {"wordlist_mono_clean.txt": "\n".join(words) + "\n",
                      "wordlist_bi_clean.txt": "\n".join(f"{a} {b}" for a, b in zip(words, words[1:])) + "\n"})
    elif fname.endswith(".txt"):
        random.seed(0)
        target.write_text(" ".join(random.choice(WORDS) for _ in range(3000)) + "\n")
    elif fname.endswith((".h5", ".hdf5")):
        raise OSError(f"harness: pretrained weights {fname} are not available offline")
    else:
        target.write_bytes(b"")
    return str(target)


def _patch_get_file() -> None:
    """Every module that holds Keras's get_file (imported by name) gets the fake."""
    originals = set()
    for path in ("keras.utils", "keras.src.utils.file_utils"):
        module = sys.modules.get(path)
        if module is not None and hasattr(module, "get_file"):
            originals.add(module.get_file)
    for module in list(sys.modules.values()):
        if getattr(module, "get_file", None) in originals:
            module.get_file = get_file


# --- pretrained weights ---------------------------------------------------------------

def _random_weights() -> None:
    """keras.applications models with weights='imagenet' get random weights (no download)."""
    import functools
    import inspect

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if not name.startswith(("keras.applications", "keras.src.applications", "k1port.runtime")):
            continue
        for attr, value in list(vars(module).items()):
            if not callable(value) or not attr[:1].isupper():
                continue
            try:
                params = inspect.signature(value).parameters
            except (TypeError, ValueError):
                continue
            if "weights" not in params or not isinstance(value, types.FunctionType):
                continue

            def build(*args, __f=value, **kwargs):
                if kwargs.get("weights", "imagenet") == "imagenet":
                    kwargs["weights"] = None
                return __f(*args, **kwargs)
            setattr(module, attr, functools.wraps(value)(build))


# --- training cut ---------------------------------------------------------------------

def _head(value, n):
    """The first n samples of an input: an array, a list/tuple or dict of arrays."""
    if isinstance(value, dict):
        return {k: _head(v, n) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_head(v, n) for v in value)
    if hasattr(value, "shape") and len(getattr(value, "shape", ())) > 0:
        return value[:n]
    return value


def _cut_training() -> None:
    import inspect

    import keras

    fit, evaluate = keras.Model.fit, keras.Model.evaluate

    def short_fit(self, *args, **kwargs):
        bound = inspect.signature(fit).bind(self, *args, **kwargs)
        bound.arguments["epochs"] = 1
        batch = bound.arguments.get("batch_size") or 32  # whole batches (models with a fixed batch size)
        keep = max(batch, MAX_FIT_SAMPLES // batch * batch)
        for key in ("x", "y", "sample_weight", "validation_data"):
            if key in bound.arguments:
                bound.arguments[key] = _head(bound.arguments[key], keep)
        return fit(*bound.args, **bound.kwargs)

    def short_evaluate(self, *args, **kwargs):
        bound = inspect.signature(evaluate).bind(self, *args, **kwargs)
        batch = bound.arguments.get("batch_size") or 32
        keep = max(batch, MAX_FIT_SAMPLES // batch * batch)
        for key in ("x", "y", "sample_weight"):
            if key in bound.arguments:
                bound.arguments[key] = _head(bound.arguments[key], keep)
        return evaluate(*bound.args, **bound.kwargs)

    keras.Model.fit, keras.Model.evaluate = short_fit, short_evaluate
    try:
        import k1port.runtime.training as training
    except ImportError:
        return
    for name in ("fit_generator", "evaluate_generator", "predict_generator"):
        original = getattr(training, name, None)
        if original is None:
            continue

        def cut(model, generator, *args, __f=original, __name=name, **kwargs):
            import inspect

            bound = inspect.signature(__f).bind(model, generator, *args, **kwargs)
            for key in ("samples_per_epoch", "nb_val_samples", "val_samples"):
                if isinstance(bound.arguments.get(key), int):
                    bound.arguments[key] = min(bound.arguments[key], MAX_SAMPLES_PER_EPOCH)
            if "nb_epoch" in bound.arguments:  # one epoch after the first one trained
                bound.arguments["nb_epoch"] = bound.arguments.get("initial_epoch", 0) + 1
            return __f(*bound.args, **bound.kwargs)

        setattr(training, name, cut)
        import k1port.runtime as k1
        if getattr(k1, name, None) is original:
            setattr(k1, name, cut)


# --- third-party stand-ins --------------------------------------------------------------

def _stand_ins() -> None:
    """scipy.misc's image functions (removed in SciPy 1.2), sklearn.grid_search (removed in
    scikit-learn 0.20), numpy's type aliases (np.float, removed in NumPy 1.24) and matplotlib
    (not installed)."""
    for alias, value in (("float", float), ("int", int), ("bool", bool), ("object", object)):
        if alias not in vars(np):
            setattr(np, alias, value)
    import scipy.misc
    from PIL import Image

    def imsave(path, array):
        array = np.asarray(array)
        if array.dtype != np.uint8:
            array = np.clip(array, 0, 255).astype("uint8")
        Image.fromarray(array.squeeze()).save(path)

    def imread(path, mode=None, **kwargs):
        return np.asarray(Image.open(path).convert(mode) if mode else Image.open(path))

    def imresize(array, size, **kwargs):
        image = Image.fromarray(np.asarray(array, dtype="uint8"))
        if isinstance(size, float):
            size = (int(image.width * size), int(image.height * size))
        else:
            size = (size[1], size[0])
        return np.asarray(image.resize(size))

    for name, f in (("imsave", imsave), ("imread", imread), ("imresize", imresize)):
        if not hasattr(scipy.misc, name):
            setattr(scipy.misc, name, f)
    try:
        import sklearn.model_selection

        sys.modules.setdefault("sklearn.grid_search", sklearn.model_selection)
    except ImportError:
        pass
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        class _Anything(types.ModuleType):
            def __getattr__(self, name):
                if name.startswith("__"):
                    raise AttributeError(name)
                return _Anything(name)

            def __call__(self, *args, **kwargs):
                return _Anything("result")

            def __iter__(self):
                return iter((_Anything("a"), _Anything("b")))

        for name in ("matplotlib", "matplotlib.pyplot", "pylab"):
            sys.modules[name] = _Anything(name)
        sys.modules["matplotlib"].pyplot = sys.modules["matplotlib.pyplot"]


def install() -> None:
    import keras  # noqa: F401  (the modules to patch)
    try:
        import k1port.runtime  # noqa: F401
    except ImportError:
        pass
    random.seed(0)
    np.random.seed(0)
    _patch_get_file()
    _random_weights()
    _cut_training()
    _stand_ins()
