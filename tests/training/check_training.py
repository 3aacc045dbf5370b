"""Run every Keras 1 training reference through k1port under one Keras 3 backend.

    KERAS_BACKEND=torch python tests/training/check_training.py

For each case the Keras 1 program (a small MLP, compiled with the case's optimizer and loss)
is converted by k1port and run; starting from the reference's initial weights, STEPS
train_on_batch calls must give Keras 1's losses and final weights. Prints one JSON line:
{case: {"ok", "loss_err", "weight_err", "detail"}}.
"""
import json
import os
import sys
import traceback

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
REF = os.path.join(ROOT, "fixtures", "training")
# float32 arithmetic in another order (Theano vs TensorFlow/torch kernels). Both bounds are
# relative to the size of the loss: MAPE's losses are ~100x the others', and so are its
# gradients (measured: 5e-4 on a loss of ~70, 3e-5 on the weights).
LOSS_TOL, WEIGHT_TOL = 1e-5, 1e-5

PROGRAM = """
from keras.models import Sequential
from keras.layers import Dense
from keras import optimizers
model = Sequential([Dense(4, input_dim=5, activation='tanh'), Dense(3, activation={activation!r})])
model.compile(optimizer={optimizer}, loss={loss!r})
"""


def main():
    from k1port.api import convert_source

    meta = json.load(open(os.path.join(REF, "meta.json")))
    ref = np.load(os.path.join(REF, "reference.npz"))
    results = {}
    for case, spec in sorted(meta["cases"].items()):
        try:
            code = convert_source(PROGRAM.format(**spec)).code
            ns = {}
            exec(compile(code, case, "exec"), ns)
            model = ns["model"]
            n = len(model.get_weights())
            model.set_weights([ref[f"{case}/initial_{i}"] for i in range(n)])
            x, y = ref[f"{case}/x"], ref[f"{case}/y"]
            losses = [float(np.asarray(model.train_on_batch(x, y))) for _ in range(meta["steps"])]
            loss_err = float(np.max(np.abs(np.array(losses) - ref[f"{case}/losses"])))
            weight_err = max(float(np.max(np.abs(w - ref[f"{case}/final_{i}"])))
                             for i, w in enumerate(model.get_weights()))
            scale = max(1.0, float(np.max(np.abs(ref[f"{case}/losses"]))))
            ok = loss_err <= LOSS_TOL * scale and weight_err <= WEIGHT_TOL * scale
            results[case] = {"ok": ok, "loss_err": loss_err, "weight_err": weight_err,
                             "detail": "" if ok else f"losses {losses} vs {ref[f'{case}/losses'].tolist()}\n{code}"}
        except Exception:
            results[case] = {"ok": False, "loss_err": None, "weight_err": None,
                             "detail": traceback.format_exc()[-2000:]}
    results.update(check_metrics())
    print(json.dumps(results))


def check_metrics():
    """Keras 1's metric values on fixed data (fixtures/training/metrics.npz) from the runtime's
    batch-wise metrics and Keras 3's own where they agree."""
    import keras

    import k1port.runtime as k1

    ref = np.load(os.path.join(REF, "metrics.npz"))
    t, p = ref["y_true"], ref["y_pred"]
    functions = {name: getattr(k1, name) for name in
                 ("precision", "recall", "fmeasure", "matthews_correlation", "hinge", "squared_hinge",
                  "cosine_proximity")}
    functions["binary_accuracy"] = keras.metrics.binary_accuracy
    functions["categorical_accuracy"] = keras.metrics.categorical_accuracy
    out = {}
    for name, fn in functions.items():
        got = float(np.mean(keras.ops.convert_to_numpy(fn(keras.ops.convert_to_tensor(t),
                                                          keras.ops.convert_to_tensor(p)))))
        err = abs(got - float(ref[name]))
        out[f"metric_{name}"] = {"ok": err <= 1e-6, "loss_err": err, "weight_err": 0.0,
                                 "detail": f"{got} vs Keras 1 {float(ref[name])}"}
    got = float(keras.ops.convert_to_numpy(k1.fbeta_score(keras.ops.convert_to_tensor(t),
                                                          keras.ops.convert_to_tensor(p), beta=2)))
    err = abs(got - float(ref["fbeta_score_2"]))
    out["metric_fbeta_score_2"] = {"ok": err <= 1e-6, "loss_err": err, "weight_err": 0.0, "detail": str(got)}
    return out


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    main()
