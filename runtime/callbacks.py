"""Keras 1's callbacks where Keras 3's namesakes decide otherwise, and the Keras 1 view of a
callback's ``params`` and ``logs``.

``EarlyStopping`` and ``ReduceLROnPlateau``: Keras 1.2.2 compared its wait counter with
``patience`` *before* counting the epoch, so it stopped (or reduced the learning rate) after
``patience + 1`` epochs without improvement where Keras 3 stops after ``patience``; after a
reduction Keras 1's counter restarted at 1, not 0; ``mode='auto'`` meant "maximise when the
name contains 'acc' (or starts with 'fmeasure')". ReduceLROnPlateau's ``epsilon`` is the
threshold of improvement and logs the learning rate as ``'lr'``.

``ModelCheckpoint``: Keras 1 formatted ``filepath`` with the 0-based epoch
(``'w.{epoch:02d}.h5'`` -> ``w.00.h5`` after the first epoch; Keras 3 counts from 1), saved
weights to any file name (Keras 3 wants ``.weights.h5``) in the HDF5 layout that
:func:`k1port.runtime.load_weights` and Keras 1 read, and whole models to any name.

``Callback``: the base class of converted user callbacks. Its ``params`` also carry Keras 1's
keys (``nb_epoch``, ``nb_sample``, ``batch_size``, ``verbose``, ``do_validation``,
``metrics``): :func:`k1port.runtime.fit` (and ``fit_generator``) say what they are.
"""
from __future__ import annotations

import warnings

import keras
import numpy as np

__all__ = ["Callback", "BaseLogger", "EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint", "LearningRateScheduler",
           "keras1_params", "metrics_names"]


def _maximises(monitor: str) -> bool:
    """Keras 1's mode='auto' (EarlyStopping, ModelCheckpoint)."""
    return "acc" in monitor or monitor.startswith("fmeasure")


def _mode(mode: str, name: str) -> str:
    if mode not in ("auto", "min", "max"):
        warnings.warn(f"{name} mode {mode} is unknown, fallback to auto mode.", RuntimeWarning)
        return "auto"
    return mode


def metrics_names(model) -> list[str]:
    """Keras 1's ``model.metrics_names``: 'loss', each output's loss (several outputs), then
    each output's metrics in the order compiled (several outputs: '<output>_<metric>').
    Keras 3's ``metrics_names`` lists metric objects ('compile_metrics')."""
    names = ["loss"]
    outputs = list(getattr(model, "output_names", None) or [])
    multi = len(outputs) > 1
    if multi:
        names += [f"{o}_loss" for o in outputs]
    compiled = getattr(model, "_compile_config", None)
    metrics = compiled.config.get("metrics") if compiled is not None else None
    if not metrics:
        return names
    if isinstance(metrics, dict):
        per_output = [metrics.get(o, []) for o in outputs]
    elif multi and all(isinstance(m, (list, tuple)) for m in metrics):
        per_output = list(metrics)
    else:
        per_output = [metrics] * max(len(outputs), 1)
    for output, found in zip(outputs or [None], per_output):
        for metric in (found if isinstance(found, (list, tuple)) else [found]):
            name = _metric_name(metric)
            names.append(f"{output}_{name}" if multi else name)
    return names


def _metric_name(metric) -> str:
    if isinstance(metric, str):
        return metric
    return getattr(metric, "name", None) or getattr(metric, "__name__", str(metric))


def keras1_params(model, *, nb_epoch, verbose, batch_size=None, nb_sample=None, do_validation=False):
    """The ``params`` Keras 1 gave its callbacks."""
    names = metrics_names(model)
    return {"batch_size": batch_size, "nb_epoch": nb_epoch, "nb_sample": nb_sample, "verbose": verbose,
            "do_validation": do_validation,
            "metrics": names + (["val_" + n for n in names] if do_validation else [])}


class Callback(keras.callbacks.Callback):
    """Keras 1's ``keras.callbacks.Callback``: ``self.model``, ``self.params`` with Keras 1's
    keys besides Keras 3's, and the ``on_batch_begin``/``on_batch_end`` hooks of training
    batches with Keras 1's batch logs ('batch', 'size' besides the values)."""

    _keras1 = None  # what k1.fit / k1.fit_generator know of the run (keras1_params)

    def set_params(self, params):
        keras1 = self._keras1 or keras1_params(self.model, nb_epoch=params.get("epochs"),
                                               verbose=params.get("verbose"))
        super().set_params({**params, **keras1})

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, self._batch_logs(batch, logs))

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, self._batch_logs(batch, logs))

    def _batch_logs(self, batch, logs):
        logs = dict(logs or {})
        logs["batch"] = batch
        size, samples = self.params.get("batch_size"), self.params.get("nb_sample")
        if size is not None:
            logs["size"] = size if samples is None else max(0, min(size, samples - batch * size))
        return logs


class BaseLogger(Callback):
    """Keras 1 averaged the batch values into the epoch logs here; Keras 3's fit already logs
    the epoch averages, so this does nothing."""


class EarlyStopping(Callback):
    """Keras 1.2.2's EarlyStopping: stops after ``patience + 1`` epochs without an improvement
    of more than ``min_delta``."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto"):
        super().__init__()
        self.monitor, self.patience, self.verbose = monitor, patience, verbose
        self.wait, self.stopped_epoch = 0, 0
        mode = _mode(mode, "EarlyStopping")
        self.monitor_op = np.greater if mode == "max" or (mode == "auto" and _maximises(monitor)) else np.less
        self.min_delta = min_delta if self.monitor_op is np.greater else -min_delta

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.best = np.inf if self.monitor_op is np.less else -np.inf

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Early stopping requires {self.monitor} available!", RuntimeWarning)
            return
        if self.monitor_op(current - self.min_delta, self.best):
            self.best, self.wait = current, 0
        else:
            if self.wait >= self.patience:  # counted before this epoch: patience + 1 in all
                self.stopped_epoch = epoch
                self.model.stop_training = True
            self.wait += 1

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch:05d}: early stopping")


def _learning_rate(optimizer) -> float:
    return float(keras.ops.convert_to_numpy(optimizer.learning_rate))


class ReduceLROnPlateau(Callback):
    """Keras 1.2.2's ReduceLROnPlateau: the first reduction after ``patience + 1`` epochs without
    an improvement of more than ``epsilon``, then every ``patience`` epochs; ``cooldown``
    epochs after a reduction count neither; the learning rate is logged as 'lr'."""

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 epsilon=1e-4, cooldown=0, min_lr=0):
        super().__init__()
        if factor >= 1.0:
            raise ValueError("ReduceLROnPlateau does not support a factor >= 1.0.")
        self.monitor, self.factor, self.min_lr, self.epsilon = monitor, factor, min_lr, epsilon
        self.patience, self.verbose, self.cooldown = patience, verbose, cooldown
        self.mode = _mode(mode, "Learning Rate Plateau Reducing")
        self._reset()

    def _reset(self):
        if self.mode == "min" or (self.mode == "auto" and "acc" not in self.monitor):
            self.monitor_op, self.best = (lambda a, b: np.less(a, b - self.epsilon)), np.inf
        else:
            self.monitor_op, self.best = (lambda a, b: np.greater(a, b + self.epsilon)), -np.inf
        self.cooldown_counter = self.wait = 0
        self.lr_epsilon = self.min_lr * 1e-4

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["lr"] = _learning_rate(self.model.optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning Rate Plateau Reducing requires {self.monitor} available!", RuntimeWarning)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.monitor_op(current, self.best):
            self.best, self.wait = current, 0
        elif not self.in_cooldown():
            if self.wait >= self.patience:
                old = _learning_rate(self.model.optimizer)
                if old > self.min_lr + self.lr_epsilon:
                    new = max(old * self.factor, self.min_lr)
                    self.model.optimizer.learning_rate = new
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch:05d}: reducing learning rate to {new}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0
            self.wait += 1


class ModelCheckpoint(Callback):
    """Keras 1.2.2's ModelCheckpoint: every ``period`` epochs, ``filepath`` formatted with the
    0-based ``epoch`` and the logs; weights (``save_weights_only``) or the whole model, to
    any file name."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", period=1):
        super().__init__()
        self.filepath, self.monitor, self.verbose, self.period = filepath, monitor, verbose, period
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.epochs_since_last_save = 0
        mode = _mode(mode, "ModelCheckpoint")
        self.monitor_op = np.greater if mode == "max" or (mode == "auto" and _maximises(monitor)) else np.less
        self.best = -np.inf if self.monitor_op is np.greater else np.inf

    def _save(self, filepath):
        if self.save_weights_only:
            from k1port.runtime.weights import save_weights

            save_weights(self.model, filepath, overwrite=True)
        else:
            save_model(self.model, filepath)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epochs_since_last_save += 1
        if self.epochs_since_last_save < self.period:
            return
        self.epochs_since_last_save = 0
        filepath = self.filepath.format(epoch=epoch, **logs)
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"Epoch {epoch:05d}: saving model to {filepath}")
            self._save(filepath)
            return
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available, skipping.", RuntimeWarning)
        elif self.monitor_op(current, self.best):
            if self.verbose > 0:
                print(f"Epoch {epoch:05d}: {self.monitor} improved from {self.best:0.5f} to {current:0.5f}, "
                      f"saving model to {filepath}")
            self.best = current
            self._save(filepath)
        elif self.verbose > 0:
            print(f"Epoch {epoch:05d}: {self.monitor} did not improve")


def save_model(model, filepath, overwrite=True):
    """Converted ``model.save(filepath)``: Keras 1 wrote HDF5 to any file name; Keras 3 writes
    '.keras' files, and HDF5 only to names ending in '.h5' or '.hdf5'. Other names get the
    same HDF5 file, which :func:`k1port.runtime.load_model` reads back."""
    path = str(filepath)
    if path.endswith((".keras", ".h5", ".hdf5")):
        model.save(path, overwrite=overwrite)
        return
    from keras.src.legacy.saving import legacy_h5_format

    legacy_h5_format.save_model_to_hdf5(model, path, overwrite=overwrite)


class LearningRateScheduler(Callback):
    """Keras 1.2.2's LearningRateScheduler: ``schedule(epoch)`` (0-based) sets the learning rate
    at the start of each epoch. Keras 3's also tries ``schedule(epoch, lr)`` first and logs
    'learning_rate' (History and CSVLogger columns Keras 1 did not have)."""

    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        rate = self.schedule(epoch)
        if not isinstance(rate, (float, np.float32, np.float64)):
            raise ValueError('The output of the "schedule" function should be float.')
        self.model.optimizer.learning_rate = rate
