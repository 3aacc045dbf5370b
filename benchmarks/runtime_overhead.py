#!/usr/bin/env python
"""Training-step time of k1port.runtime pieces against their nearest native Keras 3 counterparts.

For each runtime piece that converted code uses in place of a Keras 3 one, two small models
that differ only in that piece are built with the same seed and compiled the same way; after a
warm-up, ``model.train_on_batch`` is timed step by step, the two models alternating (so load
from other processes falls on both alike). The table gives each model's median ms per step and
their ratio (runtime / native) with a 95% bootstrap interval of that ratio of medians. Pieces
Keras 3 has no counterpart for are compared with the nearest native composite, or listed with
their absolute time only. A ``control`` row times two identical native models: its interval
shows the noise of the machine.

    python benchmarks/runtime_overhead.py                    # both backends, one process each
    python benchmarks/runtime_overhead.py --backend torch --repeats 200 --output torch.md
    python benchmarks/runtime_overhead.py --backend tensorflow --only merge --quick

This module imports no Keras at import time: the backend is chosen first (``KERAS_BACKEND`` is
read when Keras is imported), and ``pairs_for(backend)`` lists the rows without Keras.
"""
from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

BACKENDS = ("tensorflow", "torch")
HEADER = ("piece", "native counterpart", "backend", "runtime ms/step", "native ms/step", "ratio",
          "ratio 95% CI")

# Set by _import_keras() in the measuring process only.
keras = ops = L = k1 = np = None


@dataclass
class Sizes:
    """Model and batch sizes: realistic small models by default, tiny ones for --quick."""

    batch: int = 32
    image: int = 32      # 2-D images: image x image (Conv2DTranspose: half, ConvLSTM2D: a quarter)
    volume: int = 8      # 3-D volumes: volume^3
    steps: int = 20      # sequence length (LSTM, Conv1D, Embedding; ConvLSTM2D: steps // 5 frames)
    features: int = 128  # dense widths
    vocab: int = 5000

    @classmethod
    def quick(cls) -> "Sizes":
        return cls(batch=4, image=8, volume=4, steps=8, features=16, vocab=100)


@dataclass
class Case:
    """One model to time, with its training batch and compile arguments."""

    model: object
    x: object
    y: object
    loss: object = "categorical_crossentropy"
    optimizer: object = "sgd"
    metrics: tuple = ()


@dataclass(frozen=True)
class Pair:
    """A runtime piece and its nearest native counterpart (native '' : none)."""

    piece: str
    native: str
    build: Callable[[bool, Sizes], Case | None]  # build(runtime, sizes); None: no native model
    backends: tuple[str, ...] = BACKENDS


PAIRS: list[Pair] = []


def pair(piece: str, native: str, /, backends: tuple[str, ...] = BACKENDS, **options):
    """Register ``build(runtime, sizes, **options)`` as a pair."""

    def register(build):
        PAIRS.append(Pair(piece, native, functools.partial(build, **options), backends))
        return build

    return register


def pairs_for(backend: str) -> list[Pair]:
    return [p for p in PAIRS if backend in p.backends]


# -- data and model helpers ------------------------------------------------------------------

def _rng():
    return np.random.RandomState(0)


def _onehot(n: int, k: int = 10):
    return np.eye(k, dtype="float32")[_rng().randint(0, k, size=n)]


def _normal(*shape):
    return _rng().normal(size=shape).astype("float32")


def _word_ids(sizes: Sizes):
    return _rng().randint(0, sizes.vocab, size=(sizes.batch, sizes.steps)).astype("int32")


def _classifier(inputs, x, sizes: Sizes, activation="softmax", **compile_args) -> Case:
    """``x`` -> Dense(10, activation): a model on ``inputs``, a batch of normal random inputs
    and one-hot labels."""
    model = keras.Model(inputs, L.Dense(10, activation=activation)(x))
    data = [_normal(sizes.batch, *t.shape[1:]) for t in (inputs if isinstance(inputs, list) else [inputs])]
    return Case(model, data if isinstance(inputs, list) else data[0], _onehot(sizes.batch), **compile_args)


def _image_shape(sizes: Sizes, rank: int, data_format: str, channels: int = 3, side=None) -> tuple:
    side = side or (sizes.volume if rank == 3 else sizes.image if rank == 2 else sizes.steps)
    spatial = (side,) * rank
    return (channels, *spatial) if data_format == "channels_first" else (*spatial, channels)


def _global_pool(rank: int, data_format: str):
    cls = (L.GlobalAveragePooling1D, L.GlobalAveragePooling2D, L.GlobalAveragePooling3D)[rank - 1]
    return cls(data_format=data_format)


def _mlp_input(sizes: Sizes):
    inputs = keras.Input((sizes.features,))
    return inputs, L.Dense(sizes.features, activation="relu")(inputs)


# -- channels-first convolutions (TensorFlow's CPU refuses NCHW; the runtime transposes) -----

_CONV = {"Conv1D": 1, "Conv2D": 2, "Conv3D": 3, "Conv2DTranspose": 2}
_CF = "channels_first"


def _conv_cf(runtime, sizes, layer, native_format):
    rank = _CONV[layer]
    data_format = _CF if runtime else native_format
    cls = getattr(k1, layer) if runtime else getattr(L, layer)
    upsampling = layer == "Conv2DTranspose"
    inputs = keras.Input(_image_shape(sizes, rank, data_format, side=sizes.image // 2 if upsampling else None))
    strides = 2 if upsampling else 1
    x = cls(16, 3, strides=strides, padding="same", activation="relu", data_format=data_format)(inputs)
    return _classifier(inputs, _global_pool(rank, data_format)(x), sizes)


def _convlstm_cf(runtime, sizes, native_format):
    data_format = _CF if runtime else native_format
    cls = k1.ConvLSTM2D if runtime else L.ConvLSTM2D
    frame = _image_shape(sizes, 2, data_format, side=max(sizes.image // 4, 4))
    inputs = keras.Input((max(sizes.steps // 5, 2), *frame))
    x = cls(8, 3, padding="same", data_format=data_format)(inputs)
    return _classifier(inputs, _global_pool(2, data_format)(x), sizes)


for _layer in ("Conv2D", "Conv3D", "Conv2DTranspose"):
    pair(f"k1.{_layer} channels_first", f"{_layer} channels_last",
         layer=_layer, native_format="channels_last")(_conv_cf)
    # Native channels-first runs on torch, and on TensorFlow's CPU for Conv3D only.
    pair(f"k1.{_layer} channels_first", f"{_layer} channels_first",
         backends=BACKENDS if _layer == "Conv3D" else ("torch",),
         layer=_layer, native_format=_CF)(_conv_cf)
pair("k1.ConvLSTM2D channels_first", "ConvLSTM2D channels_last", native_format="channels_last")(_convlstm_cf)
pair("k1.ConvLSTM2D channels_first", "ConvLSTM2D channels_first", backends=("torch",),
     native_format=_CF)(_convlstm_cf)


# -- Theano's border_mode='same' (explicit padding, then 'valid') ----------------------------

def _theano_conv(runtime, sizes, layer, padded=False):
    """An even kernel: Theano padded k // 2 first, Keras 3 puts the odd pixel at the end.
    ``padded``: the native model pads as Theano did (ZeroPadding) and convolves 'valid'."""
    rank = _CONV[layer]
    inputs = keras.Input(_image_shape(sizes, rank, "channels_last"))
    if runtime:
        x = getattr(k1, layer)(16, 4, padding="same", activation="relu", keras1_backend="theano")(inputs)
    elif padded:
        x = getattr(L, f"ZeroPadding{rank}D")(((2, 1),) * rank)(inputs)
        x = getattr(L, layer)(16, 4, padding="valid", activation="relu")(x)
    else:
        x = getattr(L, layer)(16, 4, padding="same", activation="relu")(inputs)
    return _classifier(inputs, _global_pool(rank, "channels_last")(x), sizes)


def _theano_pool(runtime, sizes, layer):
    rank = int(layer[-2])
    cls = getattr(k1, layer) if runtime else getattr(L, layer)
    extra = {"keras1_backend": "theano"} if runtime else {}
    inputs = keras.Input(_image_shape(sizes, rank, "channels_last"))
    x = getattr(L, f"Conv{rank}D")(8, 3, padding="same", activation="relu")(inputs)
    # Keras 1's default: strides = pool size; pool 2 is padded (1, 0) by Theano, (0, 0) by Keras 3.
    x = cls(2, padding="same", **extra)(x)
    return _classifier(inputs, _global_pool(rank, "channels_last")(x), sizes)


for _layer in ("Conv1D", "Conv2D", "Conv3D"):
    pair(f"k1.{_layer} keras1_backend='theano'", f"{_layer} padding='same'", layer=_layer)(_theano_conv)
pair("k1.Conv3D keras1_backend='theano'", "ZeroPadding3D + Conv3D padding='valid' (same result)",
     layer="Conv3D", padded=True)(_theano_conv)
for _rank in (1, 2, 3):
    for _kind in ("Max", "Average"):
        _layer = f"{_kind}Pooling{_rank}D"
        pair(f"k1.{_layer} keras1_backend='theano'", f"{_layer} padding='same'",
             layer=_layer)(_theano_pool)


# -- optimizers -------------------------------------------------------------------------------

def _optimizer_mlp(runtime, sizes, name):
    inputs = keras.Input((2 * sizes.features,))
    x = L.Dense(2 * sizes.features, activation="relu")(inputs)
    x = L.Dense(2 * sizes.features, activation="relu")(x)
    optimizer = getattr(k1 if runtime else keras.optimizers, name)()
    return _classifier(inputs, x, sizes, optimizer=optimizer)


def _optimizer_embedding(runtime, sizes, name):
    inputs = keras.Input((sizes.steps,), dtype="int32")
    x = L.GlobalAveragePooling1D()(L.Embedding(sizes.vocab, 64)(inputs))
    case = _classifier(inputs, x, sizes, optimizer=getattr(k1 if runtime else keras.optimizers, name)())
    case.x = _word_ids(sizes)
    return case


for _name in ("RMSprop", "Adagrad", "Nadam", "Adam", "Adamax", "Adadelta"):
    pair(f"k1.{_name}", f"keras.optimizers.{_name}", name=_name)(_optimizer_mlp)
for _name in ("RMSprop", "Adam"):  # TensorFlow: sparse gradients, densified by the runtime
    pair(f"k1.{_name} (Embedding model)", f"keras.optimizers.{_name}", name=_name)(_optimizer_embedding)


# -- activations, losses, metrics -------------------------------------------------------------

@pair("k1.hard_sigmoid (LSTM recurrent_activation)", "LSTM recurrent_activation='hard_sigmoid'")
def _hard_sigmoid(runtime, sizes):
    inputs = keras.Input((sizes.steps, 16))
    x = L.LSTM(32, recurrent_activation=k1.hard_sigmoid if runtime else "hard_sigmoid")(inputs)
    return _classifier(inputs, x, sizes)


def _loss(runtime, sizes, piece, native):
    inputs, x = _mlp_input(sizes)
    case = _classifier(inputs, x, sizes, activation="tanh",
                       loss=getattr(k1, piece) if runtime else getattr(keras.losses, native))
    case.y = 2.0 * case.y - 1.0  # -1/1 labels
    return case


for _piece, _native in (("hinge", "hinge"), ("squared_hinge", "squared_hinge"),
                        ("cosine_proximity", "cosine_similarity")):
    pair(f"k1.{_piece} (loss)", f"keras.losses.{_native}", piece=_piece, native=_native)(_loss)


def _metric(runtime, sizes, piece, native):
    inputs, x = _mlp_input(sizes)
    metric = getattr(k1, piece) if runtime else (native() if native else None)
    return _classifier(inputs, x, sizes, activation="sigmoid", loss="binary_crossentropy",
                       metrics=(metric,) if metric else ())


for _piece, _label, _native in (
        ("precision", "keras.metrics.Precision()", lambda: keras.metrics.Precision()),
        ("recall", "keras.metrics.Recall()", lambda: keras.metrics.Recall()),
        ("fmeasure", "keras.metrics.F1Score(threshold=0.5, average='micro')",
         lambda: keras.metrics.F1Score(threshold=0.5, average="micro")),
        ("matthews_correlation", "no metric (the ratio is the metric's whole cost)", None)):
    pair(f"k1.{_piece} (metric)", _label, piece=_piece, native=_native)(_metric)


# -- merge ------------------------------------------------------------------------------------

_MERGE_NATIVE = {"concat": ("Concatenate()", lambda: L.Concatenate()),
                 "sum": ("Add()", lambda: L.Add()),
                 "dot": ("Dot(axes=1)", lambda: L.Dot(axes=1)),
                 "cos": ("Dot(axes=1, normalize=True)", lambda: L.Dot(axes=1, normalize=True))}


def _merge(runtime, sizes, mode):
    a, b = keras.Input((sizes.features,)), keras.Input((sizes.features,))
    xa = L.Dense(sizes.features, activation="relu")(a)
    xb = L.Dense(sizes.features, activation="relu")(b)
    merged = k1.merge([xa, xb], mode=mode) if runtime else _MERGE_NATIVE[mode][1]()([xa, xb])
    return _classifier([a, b], merged, sizes)


for _mode, (_label, _) in _MERGE_NATIVE.items():
    pair(f"k1.merge(mode='{_mode}')", _label, mode=_mode)(_merge)


# -- Embedding(dropout), BatchNormalization(mode), activity penalties ------------------------

@pair("k1.Embedding(dropout=0.2)", "Embedding + Dropout(0.2)")
def _embedding(runtime, sizes):
    inputs = keras.Input((sizes.steps,), dtype="int32")
    if runtime:
        x = k1.Embedding(sizes.vocab, 64, dropout=0.2, seed=0)(inputs)
    else:
        x = L.Dropout(0.2, seed=0)(L.Embedding(sizes.vocab, 64)(inputs))
    case = _classifier(inputs, L.GlobalAveragePooling1D()(x), sizes)
    case.x = _word_ids(sizes)
    return case


def _batchnorm(runtime, sizes, mode):
    inputs, x = _mlp_input(sizes)
    if runtime:
        x = k1.BatchNormalization(mode=mode)(x)
    else:
        x = L.LayerNormalization()(x) if mode == 1 else L.BatchNormalization()(x)
    return _classifier(inputs, L.Activation("relu")(x), sizes)


pair("k1.BatchNormalization(mode=1)", "LayerNormalization", mode=1)(_batchnorm)
pair("k1.BatchNormalization(mode=2)", "BatchNormalization", mode=2)(_batchnorm)


@pair("k1.batch_sum(l2) (activity_regularizer)", "activity_regularizer=l2")
def _batch_sum(runtime, sizes):
    inputs = keras.Input((sizes.features,))
    penalty = keras.regularizers.l2(1e-4)
    x = L.Dense(sizes.features, activation="relu",
                activity_regularizer=k1.batch_sum(penalty) if runtime else penalty)(inputs)
    return _classifier(inputs, x, sizes)


@pair("k1.ActivityRegularization", "ActivityRegularization")
def _activity_regularization(runtime, sizes):
    inputs, x = _mlp_input(sizes)
    x = (k1.ActivityRegularization if runtime else L.ActivityRegularization)(l1=1e-4, l2=1e-4)(x)
    return _classifier(inputs, x, sizes)


# -- Keras 1 layers Keras 3 removed: the nearest native composite, or none --------------------

@pair("k1.MaxoutDense(nb_feature=4)", "Dense(4 * units) + Reshape + max")
def _maxout(runtime, sizes):
    inputs, x = _mlp_input(sizes)
    units = sizes.features // 2
    if runtime:
        x = k1.MaxoutDense(units, nb_feature=4)(x)
    else:
        x = ops.max(L.Reshape((4, units))(L.Dense(4 * units)(x)), axis=1)
    return _classifier(inputs, x, sizes)


@pair("k1.Highway(activation='relu')", "Dense(sigmoid) + Dense(relu) + gate arithmetic")
def _highway(runtime, sizes):
    inputs, x = _mlp_input(sizes)
    if runtime:
        x = k1.Highway(activation="relu")(x)
    else:
        gate = L.Dense(sizes.features, activation="sigmoid")(x)
        x = L.Dense(sizes.features, activation="relu")(x) * gate + (1.0 - gate) * x
    return _classifier(inputs, x, sizes)


def _learned_activation(runtime, sizes, piece):
    inputs = keras.Input((sizes.features,))
    x = L.Dense(sizes.features)(inputs)
    x = getattr(k1, piece)()(x) if runtime else L.PReLU()(x)
    return _classifier(inputs, x, sizes)


for _piece in ("SReLU", "ParametricSoftplus"):
    pair(f"k1.{_piece}", "PReLU (learned activation, simpler)", piece=_piece)(_learned_activation)


@pair("k1.LocallyConnected1D", "")
def _local_1d(runtime, sizes):
    if not runtime:
        return None
    inputs = keras.Input((sizes.steps, 16))
    x = L.Flatten()(k1.LocallyConnected1D(16, 3, activation="relu")(inputs))
    return _classifier(inputs, x, sizes)


@pair("k1.LocallyConnected2D", "")
def _local_2d(runtime, sizes):
    if not runtime:
        return None
    side = max(sizes.image // 2, 4)
    inputs = keras.Input((side, side, 3))
    x = L.Flatten()(k1.LocallyConnected2D(8, 3, 3, activation="relu", dim_ordering="tf")(inputs))
    return _classifier(inputs, x, sizes)


# -- control: two identical native models (the noise floor) ---------------------------------

@pair("control: native MLP", "the same model")
def _control(runtime, sizes):
    inputs, x = _mlp_input(sizes)
    return _classifier(inputs, L.Dense(sizes.features, activation="relu")(x), sizes)


# -- measuring --------------------------------------------------------------------------------

def _import_keras(backend: str, threads: int) -> None:
    global keras, ops, L, k1, np
    os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if threads:  # read when TensorFlow's and torch's thread pools start
        for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
            os.environ[name] = str(threads)
    import keras as keras_module
    import numpy as numpy_module

    import k1port.runtime as runtime_module

    if keras_module.backend.backend() != backend:
        raise SystemExit(f"Keras was imported with the {keras_module.backend.backend()} backend, "
                         f"not {backend}")
    keras, ops, L, k1, np = keras_module, keras_module.ops, keras_module.layers, runtime_module, numpy_module
    if threads and backend == "torch":
        import torch

        torch.set_num_threads(threads)
    gc.freeze()  # the libraries' objects: out of every later collection (each then costs ms, not s)


def _build(p: Pair, runtime: bool, sizes: Sizes) -> Case | None:
    keras.utils.set_random_seed(0)
    case = p.build(runtime, sizes)
    if case is not None:
        case.model.compile(optimizer=case.optimizer, loss=case.loss, metrics=list(case.metrics))
    return case


def _step_times(cases: list[Case], warmup: int, repeats: int, collect: bool = True) -> list[list[float]]:
    """Per-step seconds of each case, the cases alternating step by step (order flipped on
    every round), garbage collection off while timing (``collect``: a collection first)."""
    for case in cases:
        for _ in range(warmup):
            case.model.train_on_batch(case.x, case.y)
    times = [[] for _ in cases]
    order = list(range(len(cases)))
    if collect:
        gc.collect()
    gc.disable()
    try:
        for _ in range(repeats):
            for i in order:
                case = cases[i]
                start = time.perf_counter()
                case.model.train_on_batch(case.x, case.y)
                times[i].append(time.perf_counter() - start)
            order.reverse()
    finally:
        gc.enable()
    return times


def _ratio_interval(a, b, resamples: int = 1000) -> tuple[float, float]:
    """95% bootstrap interval of median(a) / median(b)."""
    rng = np.random.RandomState(1)
    a, b = np.asarray(a), np.asarray(b)
    ra = np.median(a[rng.randint(0, len(a), (resamples, len(a)))], axis=1)
    rb = np.median(b[rng.randint(0, len(b), (resamples, len(b)))], axis=1)
    low, high = np.percentile(ra / rb, [2.5, 97.5])
    return float(low), float(high)


def measure(p: Pair, backend: str, sizes: Sizes, warmup: int, repeats: int, collect: bool = True) -> dict:
    cases = [c for c in (_build(p, True, sizes), _build(p, False, sizes)) if c is not None]
    times = _step_times(cases, warmup, repeats, collect)
    row = {"piece": p.piece, "native": p.native or "no native equivalent", "backend": backend,
           "runtime_ms": 1e3 * float(np.median(times[0])), "native_ms": None, "ratio": None,
           "low": None, "high": None}
    if len(cases) == 2:
        row["native_ms"] = 1e3 * float(np.median(times[1]))
        row["ratio"] = row["runtime_ms"] / row["native_ms"]
        row["low"], row["high"] = _ratio_interval(times[0], times[1])
    del cases
    keras.backend.clear_session(free_memory=False)  # the next pair's timing collects
    return row


def _cells(row: dict) -> list[str]:
    def ms(value):
        return "—" if value is None else f"{value:.2f}"

    ratio = "—" if row["ratio"] is None else f"{row['ratio']:.2f}"
    interval = "—" if row["low"] is None else f"{row['low']:.2f}–{row['high']:.2f}"
    return [f"`{row['piece']}`", row["native"], row["backend"], ms(row["runtime_ms"]),
            ms(row["native_ms"]), ratio, interval]


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * 3 + "---:|" * 4]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _versions(backends) -> str:
    from importlib.metadata import PackageNotFoundError, version

    names = ["keras"] + [("tensorflow" if b == "tensorflow" else "torch") for b in backends]
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            try:
                found.append(f"{name} {version(name + '-cpu')}")
            except PackageNotFoundError:
                pass
    return ", ".join(found)


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip() + ", "
    except OSError:
        pass
    return ""


def preamble(backends, args) -> str:
    mode = " (--quick: tiny models)" if args.quick else ""
    threads = f"{args.threads} thread(s) per op" if args.threads else "the libraries' default threads"
    return (f"Median of {args.repeats} `train_on_batch` steps per model after {args.warmup} warm-up "
            f"steps{mode}; {threads}; {os.cpu_count()} CPU cores ({_cpu_name()}{platform.machine()}, "
            f"{platform.system()}); "
            f"Python {platform.python_version()}, {_versions(backends)}.\n\n")


def _run_backend(args) -> list[dict]:
    _import_keras(args.backend, args.threads)
    sizes = Sizes.quick() if args.quick else Sizes()
    rows = []
    for index, p in enumerate(pairs_for(args.backend)):
        if args.only and args.only not in f"{p.piece} {p.native}":
            continue
        start = time.perf_counter()
        row = measure(p, args.backend, sizes, args.warmup, args.repeats, collect=not args.quick)
        row["index"] = PAIRS.index(p)
        rows.append(row)
        print(f"[{args.backend}] {p.piece} vs {p.native or '-'}: {row['runtime_ms']:.2f} ms"
              + ("" if row["ratio"] is None else f", ratio {row['ratio']:.2f}")
              + f" ({time.perf_counter() - start:.1f} s)", file=sys.stderr, flush=True)
    return rows


def _run_all(args) -> list[dict]:
    """One subprocess per backend, one after the other (never both at once on the cores)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in BACKENDS:
            out = Path(tmp, f"{backend}.json")
            command = [sys.executable, str(Path(__file__).resolve()), "--backend", backend,
                       "--repeats", str(args.repeats), "--warmup", str(args.warmup),
                       "--threads", str(args.threads), "--json", str(out)]
            command += ["--quick"] if args.quick else []
            command += ["--only", args.only] if args.only else []
            env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
            subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
            rows += json.loads(out.read_text())
    return sorted(rows, key=lambda row: (row["index"], BACKENDS.index(row["backend"])))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=(*BACKENDS, "all"), default="all",
                        help="Keras backend (all: one subprocess per backend, in turn; default)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="timed steps per model (default 80; --quick: 3)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed steps per model first (default 5; --quick: 1)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per op (default 1: a process sharing the cores then slows "
                             "both models alike instead of stalling every parallel op; 0: the "
                             "libraries' default, one per core)")
    parser.add_argument("--quick", action="store_true", help="tiny models and few steps (smoke runs)")
    parser.add_argument("--only", default="", help="only the pairs whose names contain this text")
    parser.add_argument("--output", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)  # rows, for --backend all
    parser.add_argument("--list", action="store_true", help="list the pairs of --backend and exit")
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 3 if args.quick else 80
    if args.warmup is None:
        args.warmup = 1 if args.quick else 5
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    if args.list:
        for backend in backends:
            for p in pairs_for(backend):
                print(f"{backend}\t{p.piece}\t{p.native or 'no native equivalent'}")
        return 0
    rows = _run_all(args) if args.backend == "all" else _run_backend(args)
    if args.json:
        args.json.write_text(json.dumps(rows))
    text = preamble(backends, args) + table(rows)
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
