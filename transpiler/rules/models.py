"""Inputs, models and their training methods."""
from __future__ import annotations

import libcst as cst

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.spec import Arg, Rule, rename

F = "models"


def _sample_weight_mode(node, ctx):
    if v.is_none(node):
        return None
    ctx.report(Level.WARNING, "dropped-argument",
               "compile(sample_weight_mode=...) dropped: Keras 3 accepts (samples, timesteps) sample "
               "weights without it, but averages the loss over all timesteps where Keras 1 divided "
               "by the share of non-zero weights")
    return None


def _optimizer(node, ctx):
    """'adam' -> Adam(epsilon=1e-08): the string meant Keras 1's defaults."""
    name = v.string(node)
    if name is None:
        return node
    from k1port.rules.optimizers import BY_STRING

    canonical = BY_STRING.get(name.lower())
    if canonical is None:
        return node
    converted = ctx.convert(canonical)
    return node if converted is None else converted  # None: Keras 3's defaults are Keras 1's


RULES = [
    # dtype: Keras 1 wrote floatx() ('float32'), Keras 3's None means floatx() too.
    Rule("keras.layers.Input", "keras.layers.Input", same_defaults=frozenset({"dtype", "sparse"}), family=F),
    Rule("keras.layers.InputLayer", "keras.layers.InputLayer", {
        "input_shape": rename("shape"), "batch_input_shape": rename("batch_shape"),
        "input_dtype": rename("dtype")}, same_defaults=frozenset({"sparse"}), family=F),
    Rule("keras.models.Model", "keras.models.Model",
         {"input": rename("inputs"), "output": rename("outputs")}, family=F),
    Rule("keras.models.Sequential", "keras.models.Sequential", family=F),
]

FIT_NOTE = "if this is a Keras model, Keras 1 trained nb_epoch=10 epochs by default (Keras 3: 1)"
METHODS = [
    Rule("keras.models.Model.compile", "keras.Model.compile", {
        "optimizer": rename("optimizer", _optimizer),
        "sample_weight_mode": Arg("sample_weight_mode", _sample_weight_mode),
    }, family="training"),
    Rule("keras.models.Model.fit", "keras.Model.fit", {"nb_epoch": rename("epochs")},
         same_defaults=frozenset({"batch_size", "verbose"}), family="training", note=FIT_NOTE),
    Rule("keras.models.Model.evaluate", "keras.Model.evaluate",
         same_defaults=frozenset({"batch_size", "verbose"}), family="training"),
    Rule("keras.models.Model.predict", "keras.Model.predict",
         same_defaults=frozenset({"batch_size"}), family="training"),
    Rule("keras.models.Model.train_on_batch", "keras.Model.train_on_batch", family="training"),
    Rule("keras.models.Model.test_on_batch", "keras.Model.test_on_batch", family="training"),
    Rule("keras.models.Model.predict_on_batch", "keras.Model.predict_on_batch", family="training"),
]
