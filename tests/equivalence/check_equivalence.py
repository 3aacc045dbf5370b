"""Convert every oracle fixture with k1port, run it on one Keras 3 backend, load the Keras 1
weights, and compare predictions with the real Keras 1.2.2's.

    KERAS_BACKEND=torch python tests/equivalence/check_equivalence.py [names...]

Two paths per fixture: (1) the converted script builds the model and `k1.load_weights` loads
the Keras 1 `save_weights` file; (2) `k1.load_model` rebuilds it from the Keras 1 `model.save`
file alone. Prints one JSON line {fixture: {"source": {...}, "saved": {...}}} where each entry
has "ok", "max_abs_diff" (per output) and "detail".
"""
import json
import os
import sys
import traceback
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "oracle"
TOLERANCE = 1e-5  # float32 outputs; see README ("Numerical equivalence") for the few exceptions
TRAIN_TOLERANCE = 1e-4  # a few float32 optimizer steps amplify rounding differences


def reference(name):
    ref = np.load(FIXTURES / name / "reference.npz")
    xs = [ref[f"x_{i}"] for i in range(sum(k.startswith("x_") for k in ref.files))]
    ys = [ref[f"y_{i}"] for i in range(sum(k.startswith("y_") for k in ref.files))]
    return xs, ys


def _same_shape(got, want) -> bool:
    """Equal shapes; or Keras 1 Theano's merge 'cos' tensor, (N, 1, 1) where its declared
    shape (and ours) is (N, 1): the same values with a length-1 axis more."""
    return tuple(got) == tuple(want) or (
        int(np.prod(got)) == int(np.prod(want))
        and [d for d in got if d != 1] == [d for d in want if d != 1])


def probes(name) -> dict:
    """The fixture's probe results: {probe name: [arrays]}."""
    ref = np.load(FIXTURES / name / "reference.npz")
    found = {}
    for key in sorted(k for k in ref.files if k.startswith("probe_")):
        probe, i = key[len("probe_"):].rsplit("_", 1)
        found.setdefault(probe, {})[int(i)] = ref[key]
    return {p: [arrays[i] for i in sorted(arrays)] for p, arrays in found.items()}


def compare(built, xs, ys, probed, trained=None):
    """Predictions, then each probe's arrays, against Keras 1's; then, for a compiled model
    with a training reference, training. `built` is (model, probe functions); a probe the
    model path does not have fails."""
    model, functions = built
    outs = model.predict(xs if len(xs) > 1 else xs[0], verbose=0, batch_size=len(xs[0]))
    outs = outs if isinstance(outs, (list, tuple)) else [outs]
    for name, want in (probed or {}).items():
        got = functions[name]()
        got = list(got) if isinstance(got, (list, tuple)) else [got]
        if len(got) != len(want):
            return {"ok": False, "max_abs_diff": None,
                    "detail": f"probe {name}: {len(got)} arrays, expected {len(want)}"}
        outs, ys = outs + got, ys + want
    diffs = _diffs(outs, ys)
    shapes_ok = len(outs) == len(ys)
    result = {"ok": shapes_ok and max(diffs) <= TOLERANCE, "max_abs_diff": diffs,
              "detail": "" if shapes_ok else f"{len(outs)} outputs, expected {len(ys)}"}
    if trained is not None and getattr(model, "optimizer", None) is not None:
        result.update(train(model, xs, trained))
    return result


def _diffs(outs, ys) -> list[float]:
    return [float(np.max(np.abs(np.asarray(o, dtype="float64").reshape(y.shape) - y)))
            if _same_shape(np.shape(o), y.shape) else float("inf") for o, y in zip(outs, ys)]


def training(name) -> dict | None:
    """The fixture's training reference (a compiled model's `train`), or None."""
    ref = np.load(FIXTURES / name / "reference.npz")
    if "train_loss" not in ref.files:
        return None
    pick = lambda prefix: [ref[k] for k in sorted(f for f in ref.files if f.startswith(prefix))]  # noqa: E731
    return {"x": pick("train_x_"), "y": pick("train_y_"), "loss": ref["train_loss"], "after": pick("trained_y_")}


def train(model, xs, ref) -> dict:
    """Keras 1's train_on_batch steps from the same weights: each step's total loss (and its
    metrics, where Keras 3 reports the same list), then the predictions after training."""
    feed = lambda arrays: arrays if len(arrays) > 1 else arrays[0]  # noqa: E731
    losses = np.array([np.ravel(model.train_on_batch(feed(ref["x"]), feed(ref["y"])))
                       for _ in range(len(ref["loss"]))], dtype="float64")
    # The total loss; with as many values as Keras 1's metrics_names, every loss and metric.
    columns = slice(None) if losses.shape[1] == ref["loss"].shape[1] else slice(0, 1)
    loss_diff = float(np.max(np.abs(losses[:, columns] - ref["loss"][:, columns])))
    after = model.predict(feed(xs), verbose=0, batch_size=len(xs[0]))
    after_diff = _diffs(after if isinstance(after, (list, tuple)) else [after], ref["after"])
    ok = loss_diff <= TRAIN_TOLERANCE and max(after_diff) <= TRAIN_TOLERANCE
    return {"train_ok": ok, "train_loss_diff": loss_diff, "trained_max_abs_diff": after_diff}


def converted(name, meta) -> dict:
    """The namespace of the fixture script, converted by k1port and run."""
    import keras

    import k1port.runtime as k1
    from k1port.api import Options, convert_source

    keras.backend.clear_session()
    k1.set_image_dim_ordering(meta.get("keras_json_dim_ordering", "tf"))
    text = (FIXTURES / f"{name}.py").read_text()
    # The oracle is Keras 1 on Theano (its keras.json ordering is recorded in meta.json).
    options = Options(image_dim_ordering=meta.get("keras_json_dim_ordering", "tf"), keras1_backend="theano")
    code = convert_source(text, options).code
    ns = {"__name__": f"fixture_{name}"}
    exec(compile(code, f"{name}.py (converted)", "exec"), ns)
    return ns


def from_source(name, meta):
    import k1port.runtime as k1

    ns = converted(name, meta)
    k1.load_weights(ns["model"], str(FIXTURES / name / "weights.h5"), backend="theano")
    return ns["model"], ns.get("probes") or {}


def from_saved(name, meta):
    import keras

    import k1port.runtime as k1

    # The fixture's own layer classes (converted), as Keras 1's load_model took them.
    custom = {k: v for k, v in converted(name, meta).items()
              if isinstance(v, type) and issubclass(v, keras.layers.Layer) and v.__module__ == f"fixture_{name}"}
    keras.backend.clear_session()
    # A saved model has no probes (K.function results are code, not model).
    return k1.load_model(str(FIXTURES / name / "model.h5"), custom_objects=custom, backend="theano"), None


def main(names):
    results = {}
    for name in names:
        try:
            meta = json.loads((FIXTURES / name / "meta.json").read_text())
            xs, ys = reference(name)
        except (OSError, ValueError, KeyError):
            results[name] = {p: {"ok": False, "max_abs_diff": None, "detail": traceback.format_exc()[-1500:]}
                             for p in ("source", "saved")}
            continue
        entry = {}
        for path, build in (("source", from_source), ("saved", from_saved)):
            try:
                built = build(name, meta)
                entry[path] = compare(built, xs, ys, probes(name) if built[1] is not None else {},
                                      training(name))
            except Exception:
                entry[path] = {"ok": False, "max_abs_diff": None, "detail": traceback.format_exc()[-2500:]}
        results[name] = entry
    print(json.dumps(results))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    names = sys.argv[1:] or sorted(p.name for p in FIXTURES.iterdir()
                                   if p.is_dir() and (p / "reference.npz").exists() and (FIXTURES / f"{p.name}.py").exists())
    main(names)
