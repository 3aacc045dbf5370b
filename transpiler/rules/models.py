"""Inputs, models and their training methods."""
from __future__ import annotations

import libcst as cst

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.spec import Arg, Rule, rename

F = "models"
RT = "k1port.runtime."


def _sample_weight_mode(node, ctx):
    if v.is_none(node):
        return None
    ctx.report(Level.WARNING, "dropped-argument",
               "compile(sample_weight_mode=...) dropped: Keras 3 accepts (samples, timesteps) sample "
               "weights without it, but averages the loss over all timesteps where Keras 1 divided "
               "by the share of non-zero weights")
    return None


# Keras 1 objectives whose Keras 3 namesakes differ (see k1port.runtime.losses): the
# crossentropies because Keras 3 on TensorFlow reads a softmax/sigmoid output's logits and
# skips Keras 1's clipping (a saturated output: 60 where Keras 1 said 16.1).
RUNTIME_LOSSES = {"hinge": "hinge", "squared_hinge": "squared_hinge",
                  "cosine_proximity": "cosine_proximity", "cosine": "cosine_proximity",
                  **{n: n for n in ("categorical_crossentropy", "sparse_categorical_crossentropy",
                                    "binary_crossentropy")}}


# Keras 1 loss names Keras 3 spells differently.
RENAMED_LOSSES = {"kullback_leibler_divergence": "kld"}


def _each(convert):
    """`convert` applied to a value, or to each value of a list, tuple or dict (per output)."""
    def each(node, ctx):
        if isinstance(node, (cst.List, cst.Tuple)):
            return node.with_changes(elements=[e.with_changes(value=each(e.value, ctx)) for e in node.elements])
        if isinstance(node, cst.Dict):
            return node.with_changes(elements=[e.with_changes(value=each(e.value, ctx))
                                               if isinstance(e, cst.DictElement) else e for e in node.elements])
        return convert(node, ctx)

    return each


@_each
def _loss_name(node, ctx):
    name = v.string(node)
    if name in RUNTIME_LOSSES:
        return ctx.ref("k1port.runtime." + RUNTIME_LOSSES[name])
    if name in RENAMED_LOSSES:
        return v.literal_string(RENAMED_LOSSES[name], node)
    return node


def _loss(node, ctx):
    """Keras 1 applied a single loss to every output; Keras 3 wants one loss per weight."""
    node = _loss_name(node, ctx)
    weights = ctx.bound.value("loss_weights") if ctx.bound is not None else None
    if weights is None or v.is_none(weights) or isinstance(node, (cst.List, cst.Tuple, cst.Dict)):
        return node
    if isinstance(weights, (cst.List, cst.Tuple)):
        return cst.List([cst.Element(node, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                         if i < len(weights.elements) - 1 else cst.Element(node)
                         for i in range(len(weights.elements))])
    if isinstance(weights, cst.Dict) and all(isinstance(e, cst.DictElement) for e in weights.elements):
        return cst.Dict([e.with_changes(value=node) for e in weights.elements])
    ctx.report(Level.WARNING, "loss-per-output",
               "Keras 1 applied this one loss to every output; with loss_weights, Keras 3 needs one "
               "loss per output (a list or a dict)")
    return node


# Keras 1 metric names: the runtime's batch-wise versions, or Keras 3's spelling.
RUNTIME_METRICS = {"precision": "precision", "recall": "recall", "fbeta_score": "fbeta_score",
                   "fmeasure": "fmeasure", "fscore": "fmeasure", "f1score": "fmeasure",
                   "matthews_correlation": "matthews_correlation", "hinge": "hinge",
                   "squared_hinge": "squared_hinge", "cosine_proximity": "cosine_proximity",
                   "cosine": "cosine_proximity"}
RENAMED_METRICS = {"kullback_leibler_divergence": "kl_divergence", "kld": "kl_divergence",
                   "KLD": "kl_divergence"}


# metrics=['accuracy'] with these losses: Keras 1 chose the accuracy by the loss, Keras 3 by
# the shapes (a multi-label binary_crossentropy model would get categorical accuracy).
ACCURACY_BY_LOSS = {"binary_crossentropy": "binary_accuracy",
                    "sparse_categorical_crossentropy": "sparse_categorical_accuracy"}


@_each
def _metrics(node, ctx):
    """metrics=['fmeasure', ...]: Keras 1's batch-wise metrics Keras 2 removed live in the runtime."""
    name = v.string(node)
    if name in ("accuracy", "acc") and ctx.bound is not None and ctx.bound.value("loss") is not None:
        accuracy = ACCURACY_BY_LOSS.get(v.string(ctx.bound.value("loss")))
        if accuracy is not None:
            return v.literal_string(accuracy, node)
    if name in RUNTIME_METRICS:
        return ctx.ref("k1port.runtime." + RUNTIME_METRICS[name])
    if name in RENAMED_METRICS:
        return v.literal_string(RENAMED_METRICS[name], node)
    return node


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
    # Keras 3's Sequential has one input: where the file merges models, k1.Sequential takes
    # a MergeModels first layer (several inputs).
    Rule("keras.models.Sequential", "keras.models.Sequential", family=F,
         variant=lambda keywords, ctx: RT + "Sequential" if ctx.converter.merges_models else None,
         note="`k1.Sequential` in files that merge models (Merge([model_a, model_b]))"),
    # Keras 1 files and configs: translated by these same tables at run time (k1port.runtime).
    *[Rule(f"keras.models.{f}", f"k1port.runtime.{f}", family=F)
      for f in ("load_model", "model_from_json", "model_from_yaml", "model_from_config")],
]

def _weights_call(function: str):
    """model.load_weights(p) -> k1.load_weights(model, p): reads Keras 1 .h5 files (re-laid
    LSTM/GRU gates, flipped Theano kernels, ...) as well as files Keras 3 wrote."""

    def convert(bound, ctx, receiver):
        args = [cst.Arg(receiver)] + [
            cst.Arg(a.value) if name in bound.positional and name == "filepath"
            else cst.Arg(a.value, keyword=cst.Name(name), equal=v.EQ)
            for name, a in bound.args.items()]
        backend = ctx.converter.keras1_backend_option
        if function == "load_weights" and backend is not None:
            args.append(cst.Arg(v.literal_string(backend), keyword=cst.Name("backend"), equal=v.EQ))
        from k1port.engine.apply import fix_commas

        return cst.Call(ctx.ref("k1port.runtime." + function), fix_commas(args))

    return convert


def _runtime_method(function: str):
    """model.fit_generator(g, n, e) -> k1.fit_generator(model, g, n, e): Keras 1's own
    arguments to a runtime function of the model with Keras 1's signature."""

    def convert(bound, ctx, receiver):
        from k1port.engine.apply import keras1_call

        call = keras1_call(ctx.ref("k1port.runtime." + function), bound)
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        return call.with_changes(args=[cst.Arg(receiver, comma=comma) if call.args else cst.Arg(receiver),
                                       *call.args])

    return convert


FIT_NOTE = "if this is a Keras model, Keras 1 trained nb_epoch=10 epochs by default (Keras 3: 1)"
METHODS = [
    Rule("keras.models.Model.compile", "keras.Model.compile", {
        "optimizer": rename("optimizer", _optimizer),
        "loss": rename("loss", _loss),
        "metrics": rename("metrics", _metrics),
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
    Rule("keras.engine.topology.Container.load_weights", "k1port.runtime.load_weights",
         custom=_weights_call("load_weights"), family="weights"),
    Rule("keras.engine.topology.Container.save_weights", "k1port.runtime.save_weights",
         custom=_weights_call("save_weights"), family="weights"),
] + [
    # Keras 3 removed them: the runtime's count an epoch in samples, as Keras 1 did (steps
    # from the generator's first batch), and predict classes Keras 1's way.
    Rule(f"keras.models.{owner}.{m}", f"k1port.runtime.{m}", custom=_runtime_method(m), family="training",
         note=f"if this is a Keras 1 model, Keras 3 has no {m}(): use k1.{m}(model, ...)")
    for owner, m in (("Model", "fit_generator"), ("Model", "evaluate_generator"),
                     ("Model", "predict_generator"), ("Sequential", "predict_classes"),
                     ("Sequential", "predict_proba"))]
