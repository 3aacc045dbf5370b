"""Keras 1 metric values on fixed data (the runtime's batch-wise metrics are checked against them).

Runs inside the oracle:  tests/oracle/run.sh tests/training/make_metrics_reference.py
"""
import hashlib
import json
import os

import numpy as np

import keras.backend as K
from keras import metrics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "training")
NAMES = ["precision", "recall", "fmeasure", "matthews_correlation", "hinge", "squared_hinge",
         "cosine_proximity", "binary_accuracy", "categorical_accuracy"]


def main():
    rng = np.random.RandomState(7)
    y_true = rng.randint(0, 2, size=(16, 4)).astype("float32")
    y_pred = rng.uniform(-0.2, 1.2, size=(16, 4)).astype("float32")
    t, p = K.placeholder(ndim=2), K.placeholder(ndim=2)
    out = {"y_true": y_true, "y_pred": y_pred}
    for name in NAMES:
        value = K.function([t, p], [K.mean(getattr(metrics, name)(t, p))])([y_true, y_pred])[0]
        out[name] = np.asarray(value, dtype="float64")
    out["fbeta_score_2"] = np.asarray(K.function([t, p], [metrics.fbeta_score(t, p, beta=2)])([y_true, y_pred])[0])
    np.savez(os.path.join(OUT, "metrics.npz"), **out)
    digest = hashlib.sha256(open(__file__, "rb").read()).hexdigest()
    json.dump({"script": "tests/training/make_metrics_reference.py", "sha256": digest},
              open(os.path.join(OUT, "metrics.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
