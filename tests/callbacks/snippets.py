"""Keras 1 programs about callbacks and the training API, as source text.

`make_reference.py` runs each in the real Keras 1.2.2 (the oracle) and stores its `result`;
`check_callbacks.py` converts the same text with k1port, runs it on Keras 3 and compares.
Each program runs in an empty working folder and leaves a JSON-able `result`. The monitored
quantities are fed by a callback placed before the one under test (`Feed`): Keras 1 passed
the same logs dict to every callback in order, so the numbers do not depend on training.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import warnings


def run_in_empty_folder(code: str, name: str = "snippet"):
    """Execute a program in a fresh working folder; its `result`."""
    folder, cwd = tempfile.mkdtemp(), os.getcwd()
    os.chdir(folder)
    try:
        scope = {"__name__": "snippet"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code, name, "exec"), scope)
        return scope["result"]
    finally:
        os.chdir(cwd)
        shutil.rmtree(folder)

COMMON = '''
import os
import numpy as np
from keras.models import Sequential, Model
from keras.layers import Dense, Input
from keras.callbacks import Callback

np.random.seed(0)
x = np.random.rand(20, 3).astype("float32")
y = (np.random.rand(20, 1) > 0.5).astype("float32")
yc = np.eye(3)[np.random.randint(0, 3, 20)].astype("float32")


class Feed(Callback):
    """Writes given values into the epoch logs (before the callback under test)."""
    def __init__(self, **values):
        super(Feed, self).__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs={}):
        for key, values in self.values.items():
            logs[key] = values[epoch]


def small(units=1):
    model = Sequential()
    model.add(Dense(units, input_dim=3, activation="sigmoid"))
    model.compile(optimizer="sgd", loss="mse")
    return model
'''

SNIPPETS = {
    # The epoch after which EarlyStopping stops, for fixed sequences of the monitored value.
    "early_stopping": '''
from keras.callbacks import EarlyStopping
rising = [0.5, 0.6, 0.55, 0.58, 0.59, 0.7, 0.8, 0.9, 0.95, 0.99]
cases = [
    ("val_loss", EarlyStopping(patience=0), [1.0, 0.9, 0.95, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]),
    ("val_loss", EarlyStopping(patience=2), [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.1, 1.2]),
    ("val_loss", EarlyStopping(patience=1, min_delta=0.05), [1.0, 0.97, 0.93, 0.9, 0.8, 0.79, 0.78, 0.77, 0.7, 0.6]),
    ("val_acc", EarlyStopping(monitor="val_acc", patience=1), rising),
    ("val_acc", EarlyStopping("val_acc", 0, 1, 0, "min"), rising),
    ("fmeasure_val", EarlyStopping(monitor="fmeasure_val"), rising),
]
result = []
for monitor, stopping, values in cases:
    model = small()
    history = model.fit(x, y, nb_epoch=10, verbose=0, callbacks=[Feed(**{monitor: values}), stopping])
    result.append(len(history.epoch))
''',
    # ReduceLROnPlateau: the learning rate logged ('lr') after each epoch.
    "reduce_lr_on_plateau": '''
from keras.callbacks import ReduceLROnPlateau
flat = [1.0, 0.9] + [0.9] * 10
cases = [
    ("val_loss", ReduceLROnPlateau(patience=2, factor=0.5), flat),
    ("val_loss", ReduceLROnPlateau(patience=1, factor=0.5, cooldown=2), flat),
    ("val_loss", ReduceLROnPlateau(patience=0, factor=0.1, min_lr=0.001), flat),
    ("val_loss", ReduceLROnPlateau(patience=1, factor=0.5, epsilon=0.05),
     [1.0, 0.97, 0.94, 0.9, 0.8, 0.79, 0.78, 0.77, 0.7, 0.6, 0.5, 0.4]),
    ("val_acc", ReduceLROnPlateau(monitor="val_acc", patience=1, factor=0.5),
     [0.5, 0.6, 0.55, 0.58, 0.59, 0.7, 0.8, 0.9, 0.95, 0.99, 0.9, 0.9]),
]
result = []
for monitor, reduce, values in cases:
    model = small()
    history = model.fit(x, y, nb_epoch=12, verbose=0, callbacks=[Feed(**{monitor: values}), reduce])
    result.append([round(float(v), 7) for v in history.history["lr"]])
''',
    # ModelCheckpoint: the files written, by name, with a 0-based {epoch}, period, best only.
    "model_checkpoint": '''
from keras.callbacks import ModelCheckpoint
from keras.models import load_model
values = [0.5, 0.6, 0.55, 0.58, 0.7, 0.65]
model = small()
model.fit(x, y, nb_epoch=6, verbose=0, callbacks=[
    Feed(val_acc=values),
    ModelCheckpoint("all.{epoch:02d}-{val_acc:.2f}.h5", save_weights_only=True),
    ModelCheckpoint("every2.{epoch}.w", save_weights_only=True, period=2),
    ModelCheckpoint("best.{epoch:02d}.hdf5", monitor="val_acc", save_best_only=True),
    ModelCheckpoint("last.model"),
])
files = sorted(os.listdir("."))
model.load_weights("all.05-0.65.h5")
same = np.allclose(model.predict(x), load_model("last.model").predict(x))
result = {"files": files, "reloaded": bool(same)}
''',
    # LearningRateScheduler: the 0-based epochs passed to schedule, the rate used in each epoch.
    "learning_rate_scheduler": '''
from keras.callbacks import LearningRateScheduler
import keras.backend as K
seen, rates = [], []
def schedule(epoch):
    seen.append(epoch)
    return 0.1 / (1 + epoch)
class Rate(Callback):
    def on_epoch_end(self, epoch, logs={}):
        rates.append(round(float(K.get_value(self.model.optimizer.lr)), 7))
model = small()
history = model.fit(x, y, nb_epoch=4, verbose=0, callbacks=[LearningRateScheduler(schedule), Rate()])
result = {"seen": seen, "rates": rates, "history": sorted(history.history)}
''',
    # Logs, History, metrics_names and CSVLogger columns under Keras 1's metric names.
    "logs_and_names": '''
from keras.callbacks import CSVLogger
keys = []
class Keys(Callback):
    def on_epoch_end(self, epoch, logs={}):
        keys.append(sorted(logs))
model = Sequential([Dense(1, input_dim=3, activation="sigmoid")])
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy", "mae"])
history = model.fit(x, y, nb_epoch=2, batch_size=5, verbose=0, validation_split=0.2,
                    callbacks=[Keys(), CSVLogger("log.csv", separator=";")])
header = open("log.csv").readline().strip()
rows = len(open("log.csv").read().strip().splitlines())
categorical = Sequential([Dense(3, input_dim=3, activation="softmax")])
categorical.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["acc", "mse"])
h2 = categorical.fit(x, yc, nb_epoch=1, verbose=0, validation_data=(x, yc))
inputs = Input(shape=(3,))
model2 = Model(input=inputs, output=[Dense(3, activation="softmax", name="z_out")(inputs),
                                      Dense(1, name="a_out")(inputs)])
model2.compile(optimizer="sgd", loss=["categorical_crossentropy", "mse"], metrics={"z_out": ["accuracy"], "a_out": ["mae"]})
h3 = model2.fit(x, [yc, y], nb_epoch=1, verbose=0)
result = {"epoch_keys": keys, "history": sorted(history.history), "epochs": history.epoch,
          "names": model.metrics_names, "csv_header": header, "csv_rows": rows,
          "categorical": sorted(h2.history), "categorical_names": categorical.metrics_names,
          "multi_names": model2.metrics_names, "multi_history": sorted(h3.history)}
''',
    # A user callback: params keys and values, batch logs, self.model.
    "callback_params": '''
seen = {}
class Recorder(Callback):
    def on_train_begin(self, logs={}):
        seen["params"] = {k: self.params[k] for k in ("batch_size", "nb_epoch", "nb_sample", "verbose",
                                                      "do_validation", "metrics")}
        seen["has_model"] = self.model is not None
        seen["batches"] = []
    def on_batch_end(self, batch, logs={}):
        seen["batches"].append([logs.get("batch"), logs.get("size"), sorted(k for k in logs if k not in ("batch", "size"))])
model = small()
model.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
model.fit(x, y, nb_epoch=2, batch_size=6, verbose=0, validation_split=0.1, callbacks=[Recorder()])
result = seen
''',
    # train_on_batch / test_on_batch / evaluate: a scalar, or a list in metrics_names' order.
    "return_types": '''
plain = small()
with_metrics = small()
with_metrics.compile(optimizer="sgd", loss="mse", metrics=["accuracy"])
def kind(value):
    return "list%d" % len(value) if isinstance(value, list) else "scalar"
result = [kind(plain.train_on_batch(x, y)), kind(plain.test_on_batch(x, y)), kind(plain.evaluate(x, y, verbose=0)),
          kind(with_metrics.train_on_batch(x, y)), kind(with_metrics.evaluate(x, y, verbose=0)),
          list(plain.predict_on_batch(x).shape)]
''',
}
