"""Make the reference data of k1port's oracle fixtures with the real Keras 1.2.2.

Runs INSIDE the oracle environment (Keras 1.2.2, Theano 1.0.5; see tests/oracle/README.md):

    tests/oracle/run.sh tests/oracle/make_reference.py [--out DIR] [--jobs N] [NAME ...]

(or simply ``bash tests/oracle/regenerate.sh [NAME ...]``). For every fixture script
``fixtures/oracle/<NAME>.py`` (all of them without NAMEs) it starts a fresh Python process,
seeds numpy and random, executes the script (as runpy would) and reads the module-level names

    model   a Keras 1 Model or Sequential
    x       its input: an array, or a list of arrays (int arrays for Embedding inputs)
    train   optional {"x": ..., "y": ..., "steps": N}; the model must then be compiled
    probes  optional {name: f}: zero-argument functions returning an array or a list of
            arrays, called after the weights are set (K.function results, gradients, ...)

then gives every weight deterministic noise (see `perturb`), and writes ``<DIR>/<NAME>/``:

    weights.h5      model.save_weights()
    model.h5        model.save()
    reference.npz   x_0..x_n (inputs) and y_0..y_m (model.predict outputs, float32); with
                    `train` also train_x_*, train_y_*, train_loss (steps x len(metrics_names))
                    and trained_y_* (predict outputs on x after training); with `probes`
                    also probe_<name>_<i> (each probe's arrays, float32)
    trained.h5      with `train`: the weights after `steps` train_on_batch calls on the whole
                    train x / y, starting from weights.h5
    meta.json       script name and sha256, oracle versions, dim_ordering, shapes

The folder is written next to it and renamed into place, so a failing fixture leaves the old
data untouched. The script exits 1 if any fixture failed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oracle_data  # noqa: E402

SEED = 1234
# Weight noise: every weight gets U(-NOISE, NOISE) added, so that biases (initialised to 0),
# LSTM forget biases (1), BatchNormalization gamma/beta (1/0) and PReLU alphas (0) are no
# longer constants that would hide a layout mistake. Running statistics of
# BatchNormalization are replaced: means by U(-0.5, 0.5), variances (Keras 1 names them
# running_std) by U(0.5, 2.0), which keeps them positive.
NOISE = 0.2


def perturb(model, seed: int) -> list[str]:
    """Add deterministic noise to every weight of `model`; returns the weight names."""
    import numpy as np
    import keras.backend as K

    rng = np.random.RandomState(seed)
    seen, weights = set(), []
    for w in model.weights:
        if id(w) not in seen:
            seen.add(id(w))
            weights.append(w)
    values = K.batch_get_value(weights)
    new = []
    for w, v in zip(weights, values):
        name = str(w.name)
        if name.endswith("running_std"):
            v = rng.uniform(0.5, 2.0, size=v.shape)
        elif name.endswith("running_mean"):
            v = rng.uniform(-0.5, 0.5, size=v.shape)
        else:
            v = v + rng.uniform(-NOISE, NOISE, size=v.shape)
        new.append(v.astype(K.floatx()))
    K.batch_set_value(list(zip(weights, new)))
    return [str(w.name) for w in weights]


def as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def as_input(array):
    import numpy as np

    a = np.asarray(array)
    if a.dtype.kind in "iu":
        return a.astype("int32")
    return a.astype("float32")


def shapes(arrays) -> list:
    return [[list(a.shape), str(a.dtype)] for a in arrays]


def versions() -> dict:
    import h5py
    import keras
    import numpy
    import theano

    return {"keras": keras.__version__, "theano": theano.__version__, "numpy": numpy.__version__,
            "h5py": h5py.__version__, "python": platform.python_version(),
            "theano_cxx": bool(theano.config.cxx)}


def dump_json(obj) -> str:
    """Indented JSON whose short lists (shapes, [shape, dtype] pairs) stay on one line."""
    text = json.dumps(obj, indent=1, sort_keys=True)
    inner = r"\[[^\[\]{}]*\]"
    short = re.compile(r"\[(?:[^\[\]{}]|%s)*\]" % inner)

    def compact(m):
        one_line = json.dumps(json.loads(m.group(0)))
        return one_line if len(one_line) <= 100 else m.group(0)
    return short.sub(compact, re.sub(inner, compact, text)) + "\n"


def make_one(name: str, fixtures: Path, out_root: Path) -> None:
    """Run fixture `name` in this (fresh) process and write its reference folder."""
    import numpy as np

    random.seed(SEED)
    np.random.seed(SEED)
    import keras
    import keras.backend as K

    assert keras.__version__ == "1.2.2" and K.backend() == "theano", (keras.__version__, K.backend())
    keras_json_ordering = K.image_dim_ordering()
    script = fixtures / f"{name}.py"
    source = script.read_bytes()
    sha = hashlib.sha256(source).hexdigest()
    # Run it as runpy.run_path(script, run_name="__main__") would, but compiled under a
    # checkout-independent file name: model.save() marshals Lambda / merge functions, whose
    # code objects carry their file name into model.h5.
    code = compile(source, f"fixtures/oracle/{script.name}", "exec", dont_inherit=True)
    env = {"__name__": "__main__", "__file__": str(script), "__builtins__": __builtins__}
    exec(code, env)
    model, x = env["model"], env["x"]
    train = env.get("train")

    weight_names = perturb(model, SEED)
    tmp = out_root / f".{name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    model.save_weights(str(tmp / "weights.h5"))
    model.save(str(tmp / "model.h5"))

    xs = [as_input(a) for a in as_list(x)]
    feed = xs if isinstance(x, (list, tuple)) else xs[0]
    batch = len(xs[0])
    ys = [np.asarray(y, dtype="float32") for y in as_list(model.predict(feed, batch_size=batch))]
    arrays = {f"x_{i}": a for i, a in enumerate(xs)}
    arrays.update({f"y_{i}": a for i, a in enumerate(ys)})
    for probe, f in sorted((env.get("probes") or {}).items()):
        arrays.update({f"probe_{probe}_{i}": np.asarray(a, dtype="float32") for i, a in enumerate(as_list(f()))})
    meta = {
        "script": script.name,
        "sha256": sha,
        "oracle": versions(),
        "dim_ordering": K.image_dim_ordering(),
        "keras_json_dim_ordering": keras_json_ordering,
        "inputs": shapes(xs),
        "outputs": shapes(ys),
        "predict_batch_size": batch,
        "weights": weight_names,
        "weight_noise": {"seed": SEED, "uniform": NOISE,
                         "running_mean": [-0.5, 0.5], "running_std": [0.5, 2.0]},
    }
    if train is not None:
        steps = int(train["steps"])
        txs = [as_input(a) for a in as_list(train["x"])]
        tys = [np.asarray(a, dtype="float32") for a in as_list(train["y"])]
        tfeed = txs if isinstance(train["x"], (list, tuple)) else txs[0]
        tyfeed = tys if isinstance(train["y"], (list, tuple)) else tys[0]
        model.load_weights(str(tmp / "weights.h5"))
        losses = [np.atleast_1d(np.asarray(model.train_on_batch(tfeed, tyfeed), dtype="float64"))
                  for _ in range(steps)]
        model.save_weights(str(tmp / oracle_data.TRAINED))
        trained = [np.asarray(y, dtype="float32") for y in as_list(model.predict(feed, batch_size=batch))]
        arrays.update({f"train_x_{i}": a for i, a in enumerate(txs)})
        arrays.update({f"train_y_{i}": a for i, a in enumerate(tys)})
        arrays["train_loss"] = np.stack(losses).astype("float32")
        arrays.update({f"trained_y_{i}": a for i, a in enumerate(trained)})
        opt = model.optimizer
        meta["train"] = {"steps": steps, "batch_size": len(txs[0]),
                         "loss_names": [str(n) for n in model.metrics_names],
                         "optimizer": {"class_name": type(opt).__name__,
                                       "config": {k: float(v) if isinstance(v, (float, np.floating)) else v
                                                  for k, v in opt.get_config().items()}}}
    oracle_data.write_npz(tmp / "reference.npz", arrays)
    (tmp / "meta.json").write_text(dump_json(meta))

    final = out_root / name
    old = out_root / f".{name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def run_child(name: str, fixtures: Path, out_root: Path, timeout: float | None) -> tuple[str, int, float, str]:
    """make_one(name) in a fresh interpreter; returns (name, returncode, seconds, output)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", name,
           "--fixtures", str(fixtures), "--out", str(out_root)]
    start = time.time()
    try:
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout)
        code, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        code, output = 124, out + f"\ntimed out after {timeout} s"
    return name, code, time.time() - start, output


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="fixture names (default: all)")
    ap.add_argument("--fixtures", type=Path, default=oracle_data.FIXTURES,
                    help="folder of the fixture scripts (default: fixtures/oracle)")
    ap.add_argument("--out", type=Path, default=None,
                    help="where to write <name>/ folders (default: the fixtures folder)")
    ap.add_argument("--jobs", "-j", type=int, default=1, help="fixtures made in parallel")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per fixture")
    ap.add_argument("--one", metavar="NAME", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    fixtures = args.fixtures.resolve()
    out_root = (args.out or fixtures).resolve()
    out_root.mkdir(parents=True, exist_ok=True)

    if args.one:
        try:
            make_one(args.one, fixtures, out_root)
        except Exception:
            traceback.print_exc()
            return 1
        return 0

    names = args.names or oracle_data.fixture_names(fixtures)
    unknown = [n for n in names if not (fixtures / f"{n}.py").is_file()]
    if unknown:
        ap.error(f"no fixture script {', '.join(str(fixtures / (n + '.py')) for n in unknown)}")
    failed = []
    start = time.time()
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for name, code, secs, output in pool.map(
                lambda n: run_child(n, fixtures, out_root, args.timeout), names):
            status = "ok" if code == 0 else f"FAILED (exit {code})"
            print(f"{name}: {status} in {secs:.0f} s", flush=True)
            if code != 0:
                failed.append(name)
                print("    " + output.rstrip().replace("\n", "\n    "), flush=True)
    print(f"{len(names) - len(failed)}/{len(names)} fixtures written to {out_root} "
          f"in {time.time() - start:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
