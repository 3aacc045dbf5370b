"""Keras 1 training references: one per optimizer and one per objective (loss).

Runs inside the oracle (real Keras 1.2.2):  tests/oracle/run.sh tests/training/make_reference.py
Writes fixtures/training/reference.npz and meta.json. For each case: a small Dense model
with fixed initial weights is compiled with the optimizer (or loss) and trained with
`train_on_batch` for STEPS steps on fixed data; the losses and final weights are stored.
"""
import hashlib
import json
import os
import sys

import numpy as np

import keras
import keras.backend as K
from keras.layers import Dense
from keras.models import Sequential
from keras import optimizers

STEPS = 4
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "fixtures", "training")
# (name, Keras 1 source of the optimizer): the equivalence test converts the same source.
OPTIMIZERS = [
    ("sgd_momentum_decay", "optimizers.SGD(lr=0.05, momentum=0.9, decay=0.1)"),
    ("sgd_nesterov", "optimizers.SGD(lr=0.05, momentum=0.8, nesterov=True)"),
    ("rmsprop", "optimizers.RMSprop(lr=0.01)"),
    ("adagrad", "optimizers.Adagrad(lr=0.05)"),
    ("adadelta", "optimizers.Adadelta()"),
    ("adam", "optimizers.Adam(lr=0.01, decay=0.05)"),
    ("adamax", "optimizers.Adamax(lr=0.01)"),
    ("nadam", "optimizers.Nadam(lr=0.01)"),
    ("sgd_clipnorm", "optimizers.SGD(lr=0.5, clipnorm=0.1)"),
    ("sgd_clipvalue", "optimizers.SGD(lr=0.5, clipvalue=0.01)"),
]
LOSSES = ["mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
          "mean_squared_logarithmic_error", "squared_hinge", "hinge", "categorical_crossentropy",
          "sparse_categorical_crossentropy", "binary_crossentropy", "kullback_leibler_divergence",
          "poisson", "cosine_proximity"]


def data(loss):
    rng = np.random.RandomState(0)
    x = rng.rand(8, 5).astype("float32")
    if loss == "sparse_categorical_crossentropy":
        y = rng.randint(0, 3, size=(8, 1)).astype("float32")
    elif loss in ("categorical_crossentropy", "kullback_leibler_divergence"):
        y = np.eye(3, dtype="float32")[rng.randint(0, 3, size=8)]
    elif loss in ("hinge", "squared_hinge", "binary_crossentropy"):
        y = rng.randint(0, 2, size=(8, 3)).astype("float32")  # 0/1 labels, as 2016 code used them
    else:
        y = rng.rand(8, 3).astype("float32") + 0.1
    return x, y


def model(activation):
    rng = np.random.RandomState(1)
    m = Sequential([Dense(4, input_dim=5, activation="tanh"), Dense(3, activation=activation)])
    m.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in m.get_weights()])
    return m


def run(case, optimizer_source, loss):
    activation = "softmax" if "categorical" in loss or loss == "kullback_leibler_divergence" else \
        "sigmoid" if loss in ("binary_crossentropy", "poisson", "mean_squared_logarithmic_error") else "linear"
    m = model(activation)
    initial = m.get_weights()
    m.compile(optimizer=eval(optimizer_source), loss=loss)
    x, y = data(loss)
    losses = [float(m.train_on_batch(x, y)) for _ in range(STEPS)]
    out = {f"{case}/initial_{i}": w for i, w in enumerate(initial)}
    out.update({f"{case}/final_{i}": w for i, w in enumerate(m.get_weights())})
    out[f"{case}/losses"] = np.array(losses, dtype="float64")
    out[f"{case}/x"], out[f"{case}/y"] = x, y
    return out, {"optimizer": optimizer_source, "loss": loss, "activation": activation}


def main():
    arrays, cases = {}, {}
    for name, source in OPTIMIZERS:
        a, meta = run("opt_" + name, source, "mean_squared_error")
        arrays.update(a)
        cases["opt_" + name] = meta
    for loss in LOSSES:
        a, meta = run("loss_" + loss, "optimizers.SGD(lr=0.1)", loss)
        arrays.update(a)
        cases["loss_" + loss] = meta
    os.makedirs(OUT, exist_ok=True)
    np.savez_compressed(os.path.join(OUT, "reference.npz"), **arrays)
    with open(__file__, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    import theano
    meta = {"script": "tests/training/make_reference.py", "sha256": digest, "steps": STEPS, "cases": cases,
            "oracle": {"keras": keras.__version__, "theano": theano.__version__, "numpy": np.__version__,
                       "python": sys.version.split()[0], "backend": K.backend()}}
    with open(os.path.join(OUT, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
