"""Keras 1's training API that Keras 3 removed: the generator methods and Sequential's
``predict_classes`` / ``predict_proba``, as functions of the model.

Keras 1 counted an epoch of ``fit_generator`` in samples: it drew batches until
``samples_per_epoch`` samples were seen, that is ceil(samples / batch size) batches of a
generator of fixed-size batches (``val_samples`` likewise for ``evaluate_generator`` and
``predict_generator``, ``nb_val_samples`` for a validation generator). Keras 3 counts steps,
and the batch size is rarely written where the call is, so these functions read it from the
generator's first batch and pass Keras 3 that many steps. ``max_q_size``, ``nb_worker`` and
``pickle_safe`` chose how Keras 1 ran the generator (a queue filled by worker threads or
processes), not what was computed: Keras 3 draws the batches itself.
"""
from __future__ import annotations

import contextlib
import math

import keras
import numpy as np

__all__ = ["fit", "compile", "to_yaml", "reset_states", "fit_generator", "evaluate_generator", "predict_generator", "predict_classes", "predict_proba"]


def _batch_size(batch) -> int:
    """Samples in a generator's batch: x, (x, y) or (x, y, sample_weight); x an array, a list
    or a dict of arrays."""
    x = batch[0] if isinstance(batch, tuple) and len(batch) in (2, 3) else batch
    if isinstance(x, dict):
        x = next(iter(x.values()))
    elif isinstance(x, (list, tuple)):
        x = x[0]
    return len(x)


def _chained(first, iterator):
    """A generator (Keras 3 takes generators, not any iterator) of `first`, then the rest."""
    yield first
    yield from iterator


def _steps(generator, samples, model):
    """(the generator with its first batch put back, batches Keras 1 drew for `samples`)."""
    iterator = (_model_keys(model, batch) for batch in generator)
    first = next(iterator)
    return _chained(first, iterator), math.ceil(samples / _batch_size(first))


def _model_keys(model, batch):
    """Keras 1 read a batch's dicts by the model's input and output names, in the model's
    order, and ignored other keys (image_ocr yields its words' text beside the inputs); Keras 3
    converts every value (and refuses a dict for a single output)."""
    parts = batch if isinstance(batch, tuple) else (batch,)
    kept = tuple(_only(part, model, side) if isinstance(part, dict) and side < 2 else part
                 for side, part in enumerate(parts))
    return kept if isinstance(batch, tuple) else kept[0]


def _only(part, model, side):
    names = [t.name for t in model.inputs] if side == 0 else list(getattr(model, "output_names", None) or [])
    if not names or not set(names) <= set(part):
        return part
    return part[names[0]] if len(names) == 1 else tuple(part[name] for name in names)  # tf.data: tuples


def _is_generator(value) -> bool:
    return hasattr(value, "__next__") or (hasattr(value, "__iter__") and not isinstance(value, (tuple, list)))


def fit_generator(model, generator, samples_per_epoch, nb_epoch, verbose=1, callbacks=None,
                  validation_data=None, nb_val_samples=None, class_weight=None, max_q_size=10,
                  nb_worker=1, pickle_safe=False, initial_epoch=0):
    """Keras 1's ``model.fit_generator``: ``nb_epoch`` epochs of ceil(samples_per_epoch / batch
    size) batches; a validation generator gives ceil(nb_val_samples / its batch size) batches
    after each epoch. Returns the History."""
    callbacks = list(callbacks or [])
    _tell_callbacks(callbacks, model, nb_epoch=nb_epoch, verbose=verbose, nb_sample=samples_per_epoch,
                    do_validation=validation_data is not None)
    with _begun(callbacks, model, nb_epoch, verbose):
        data, steps = _steps(generator, samples_per_epoch, model)
        if validation_data is not None and _is_generator(validation_data):
            if nb_val_samples is None:
                raise ValueError("fit_generator: a validation generator needs nb_val_samples (as in Keras 1)")
            # Keras 1 evaluated the next batches of the same generator after each epoch; Keras 3's
            # validation iterator buffers and re-reads generator batches across epochs.
            callbacks.insert(0, _GeneratorValidation(*_steps(validation_data, nb_val_samples, model)))
            validation_data = None
        return model.fit(data, steps_per_epoch=steps, epochs=nb_epoch, verbose=verbose, callbacks=callbacks,
                         validation_data=validation_data, class_weight=class_weight,
                         initial_epoch=initial_epoch)


@contextlib.contextmanager
def _begun(callbacks, model, nb_epoch, verbose):
    """Keras 1 began training (``on_train_begin``) before it drew the first batch, and
    callbacks that are also the generator's source prepare it there (image_ocr's word
    lists). Keras 3 draws a batch first, to read its shapes: so the callbacks begin here,
    once, and Keras 3's own ``on_train_begin`` call is skipped."""
    begun = list(callbacks)
    for callback in begun:
        callback.set_model(model)
        callback.set_params({"verbose": verbose, "epochs": nb_epoch, "steps": None})
        callback.on_train_begin()
        callback.on_train_begin = _nothing
    try:
        yield
    finally:
        for callback in begun:
            del callback.on_train_begin


def _nothing(logs=None):
    return None


def _tell_callbacks(callbacks, model, **run):
    """Keras 1's callback params for the k1.Callback instances among `callbacks`."""
    from k1port.runtime.callbacks import Callback, keras1_params

    params = keras1_params(model, **run)
    for callback in callbacks:
        if isinstance(callback, Callback):
            callback._keras1 = params


def _samples(x) -> int:
    if isinstance(x, dict):
        x = next(iter(x.values()))
    elif isinstance(x, (list, tuple)):
        x = x[0]
    return len(x)


def fit(model, x, y, batch_size=32, nb_epoch=10, verbose=1, callbacks=None, validation_split=0.,
        validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0):
    """Keras 1's ``model.fit`` for calls with callbacks: Keras 3's fit, the callbacks given
    Keras 1's ``params`` (``nb_sample`` after ``validation_split``, ``metrics`` with Keras 1's
    names) and batch logs (k1port.runtime.Callback)."""
    callbacks = list(callbacks or [])
    samples = _samples(x)
    validates = bool(validation_data) or 0. < validation_split < 1.
    if not validation_data and validates:
        samples = int(samples * (1. - validation_split))
    _tell_callbacks(callbacks, model, nb_epoch=nb_epoch, verbose=verbose, batch_size=batch_size,
                    nb_sample=samples, do_validation=validates)
    return model.fit(x, y, batch_size=batch_size, epochs=nb_epoch, verbose=verbose, callbacks=callbacks,
                     validation_split=validation_split, validation_data=validation_data or None,
                     shuffle=shuffle, class_weight=class_weight, sample_weight=sample_weight,
                     initial_epoch=initial_epoch)


def to_yaml(model, **kwargs):
    """``model.to_yaml()``, which Keras 3 removed: the model's (Keras 3) config as YAML, which
    :func:`k1port.runtime.model_from_yaml` reads back."""
    import json

    import yaml

    return yaml.dump(json.loads(model.to_json()), **kwargs)


class _GeneratorValidation(keras.callbacks.Callback):
    """After each epoch, the loss and metrics on the validation generator's next `steps`
    batches, logged as val_* (first among the callbacks, so that the others see them)."""

    def __init__(self, generator, steps):
        super().__init__()
        self.generator, self.steps = generator, steps

    def on_epoch_end(self, epoch, logs=None):
        batches = [next(self.generator) for _ in range(self.steps)]
        results = self.model.evaluate(_chained(batches[0], iter(batches[1:])), steps=self.steps, verbose=0,
                                      return_dict=True)
        if logs is not None:
            logs.update({f"val_{name}": value for name, value in results.items()})


def evaluate_generator(model, generator, val_samples, max_q_size=10, nb_worker=1, pickle_safe=False):
    """Keras 1's ``model.evaluate_generator``: the loss (and metrics) over ceil(val_samples /
    batch size) batches, averaged over their samples, silently."""
    data, steps = _steps(generator, val_samples, model)
    return model.evaluate(data, steps=steps, verbose=0)


def predict_generator(model, generator, val_samples, max_q_size=10, nb_worker=1, pickle_safe=False):
    """Keras 1's ``model.predict_generator``: predictions for ceil(val_samples / batch size)
    batches (the generator may yield x or (x, y)), silently."""
    data, steps = _steps(generator, val_samples, model)
    return model.predict(data, steps=steps, verbose=0)


def predict_proba(model, x, batch_size=32, verbose=1):
    """Keras 1's ``Sequential.predict_proba``: the predictions (Keras 1 warned when they were
    not probabilities, outside [0, 1])."""
    return model.predict(x, batch_size=batch_size, verbose=verbose)


def predict_classes(model, x, batch_size=32, verbose=1):
    """Keras 1's ``Sequential.predict_classes``: the argmax over the last axis, or for one
    output unit the predictions thresholded at 0.5 (int32)."""
    proba = np.asarray(model.predict(x, batch_size=batch_size, verbose=verbose))
    if proba.shape[-1] > 1:
        return proba.argmax(axis=-1)
    return (proba > 0.5).astype("int32")


def reset_states(model):
    """Keras 1's ``model.reset_states()``: reset every stateful layer's states (Keras 3 models
    have no such method; their recurrent layers do)."""
    for layer in model.layers:
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
            layer.reset_states()


def compile(model, optimizer="rmsprop", loss=None, **kwargs):
    """Keras 1's ``model.compile`` with a loss function that reads the model's intermediate
    tensors (a VAE's KL term: ``z_mean`` inside ``vae_loss(x, x_decoded)``). Keras 1 built the
    loss into its training graph; Keras 3 calls a loss with (y_true, y_pred) only. Here the
    loss becomes a graph of the model's inputs and the targets, which the model's
    ``compute_loss`` evaluates (weighted as Keras 1 weighted)."""
    if "compute_loss" in vars(model):  # an earlier call's
        del model.compute_loss
    if not callable(loss) or len(model.outputs) != 1:
        return model.compile(optimizer=optimizer, loss=loss, **kwargs)
    targets = keras.Input(batch_shape=tuple(model.outputs[0].shape), name="k1_targets")
    graph = keras.Model([*model.inputs, targets], loss(targets, model.outputs[0]))
    model.compile(optimizer=optimizer, **kwargs)

    def compute_loss(x=None, y=None, y_pred=None, sample_weight=None, training=True):
        inputs = list(x) if isinstance(x, (list, tuple)) else [x]
        scores = graph([*inputs, y], training=training)
        if sample_weight is not None:  # Keras 1: weighted, over the share of non-zero weights
            scores = scores * sample_weight / keras.ops.mean(keras.ops.cast(sample_weight != 0, scores.dtype))
        return keras.ops.mean(scores)

    model.compute_loss = compute_loss
