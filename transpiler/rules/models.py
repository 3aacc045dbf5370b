"""Inputs, models and their training methods."""
from __future__ import annotations

import libcst as cst

from k1port.findings import Level
from k1port.rules import values as v
from k1port.rules.spec import Arg, Rule, drop, rename

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
# Keras 1 named a metric after its function ('mae' -> 'mean_absolute_error'), which is what
# logs, History, CSVLogger columns and `monitor=` read; Keras 3 names it as written.
KERAS1_METRIC_NAMES = {"mae": "mean_absolute_error", "MAE": "mean_absolute_error",
                       "mse": "mean_squared_error", "MSE": "mean_squared_error",
                       "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
                       "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error"}
# Keras 1 metrics with no Keras 3 string of that name: a metric object named as Keras 1 did.
NAMED_METRICS = {n: ("keras.metrics.KLDivergence", "kullback_leibler_divergence")
                 for n in ("kullback_leibler_divergence", "kld", "KLD")}


# metrics=['accuracy'] with these losses: Keras 1 chose the accuracy by the loss, Keras 3 by
# the shapes (a multi-label binary_crossentropy model would get categorical accuracy).
ACCURACY_BY_LOSS = {"binary_crossentropy": "keras.metrics.BinaryAccuracy",
                    "sparse_categorical_crossentropy": "keras.metrics.SparseCategoricalAccuracy"}


def _named(ctx, path: str, name: str) -> cst.Call:
    """`path(name='...')`: a Keras 3 metric object under its Keras 1 name."""
    return cst.Call(ctx.ref(path), [cst.Arg(v.literal_string(name), keyword=cst.Name("name"), equal=v.EQ)])


@_each
def _metrics(node, ctx):
    """metrics=[...] under Keras 1's names: 'accuracy' was logged as 'acc' (Keras 3 picks the
    same accuracy by the shapes, and names it as written); Keras 1's batch-wise metrics Keras 2
    removed live in the runtime."""
    name = v.string(node)
    if name in ("accuracy", "acc"):
        loss = ctx.bound.value("loss") if ctx.bound is not None else None
        accuracy = ACCURACY_BY_LOSS.get(v.string(loss)) if loss is not None else None
        return _named(ctx, accuracy, "acc") if accuracy is not None else v.literal_string("acc", node)
    if name in RUNTIME_METRICS:
        return ctx.ref("k1port.runtime." + RUNTIME_METRICS[name])
    if name in KERAS1_METRIC_NAMES:
        return v.literal_string(KERAS1_METRIC_NAMES[name], node)
    if name in NAMED_METRICS:
        return _named(ctx, *NAMED_METRICS[name])
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


# Arguments older Keras 1 releases took, which Keras 1.2.2's Sequential dropped with a warning.
_SHOW_ACCURACY = drop("Keras 1.2.2 ignored it (with a deprecation warning): metrics come from compile()")
_OLD = {"show_accuracy": _SHOW_ACCURACY}
FIT_NOTE = "if this is a Keras model, Keras 1 trained nb_epoch=10 epochs by default (Keras 3: 1)"
_FIT = Rule("keras.models.Sequential.fit", "keras.Model.fit", {"nb_epoch": rename("epochs"), **_OLD},
            same_defaults=frozenset({"batch_size", "verbose"}), family="training", note=FIT_NOTE)


def _fit(bound, ctx, receiver):
    """model.fit(...): Keras 3's fit; with callbacks, k1.fit(model, ...), which gives them
    Keras 1's `params` and batch logs."""
    from k1port import keras1
    from k1port.engine.apply import build_args, convert_arguments, keras1_call
    from k1port.targets import keras as keras3

    k1, k3 = keras1.signature(_FIT.keras1), keras3.signature(_FIT.target)
    if bound.value("callbacks") is None or v.is_none(bound.value("callbacks")):
        out = convert_arguments(_FIT, bound, k1, k3, ctx)
        return cst.Call(cst.Attribute(receiver, cst.Name("fit")), build_args(out, k3, bound.rest))
    convert_arguments(_FIT, bound, k1, k3, ctx)  # its findings (dropped arguments)
    call = keras1_call(ctx.ref(RT + "fit"), bound, keep=set(k1.params) - set(_OLD))
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return call.with_changes(args=[cst.Arg(receiver, comma=comma), *call.args])


_COMPILE = Rule("keras.models.Model.compile", "keras.Model.compile", {
    "optimizer": rename("optimizer", _optimizer),
    "loss": rename("loss", _loss),
    "metrics": rename("metrics", _metrics),
    "sample_weight_mode": Arg("sample_weight_mode", _sample_weight_mode),
    "class_mode": drop("Keras 1.2.2 ignored it (with a deprecation warning)"),
}, family="training")


def _compile(bound, ctx, receiver):
    """model.compile(...): Keras 3's; k1.compile(model, ...) when the loss is a function of the
    file that reads the model's intermediate tensors (a VAE's KL term), which Keras 3's losses
    cannot see."""
    from k1port import keras1
    from k1port.engine.apply import build_args, convert_arguments
    from k1port.targets import keras as keras3

    k1, k3 = keras1.signature(_COMPILE.keras1), keras3.signature(_COMPILE.target)
    out = convert_arguments(_COMPILE, bound, k1, k3, ctx)
    loss = bound.value("loss")
    if not (isinstance(loss, cst.Name) and ctx.converter.tensors_read_by(loss.value)):
        return cst.Call(cst.Attribute(receiver, cst.Name("compile")), build_args(out, k3, bound.rest))
    args = build_args(out, None, bound.rest)  # every argument by keyword
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.Call(ctx.ref(RT + "compile"), [cst.Arg(receiver, comma=comma), *args])


METHODS = [
    Rule(_COMPILE.keras1, _COMPILE.target, _COMPILE.args, custom=_compile, family="training"),
    Rule(_FIT.keras1, _FIT.target, _FIT.args, same_defaults=_FIT.same_defaults, custom=_fit, family="training",
         note=FIT_NOTE),
    Rule("keras.models.Sequential.evaluate", "keras.Model.evaluate", _OLD,
         same_defaults=frozenset({"batch_size", "verbose"}), family="training"),
    Rule("keras.models.Model.predict", "keras.Model.predict",
         same_defaults=frozenset({"batch_size"}), family="training"),
    *[Rule(f"keras.models.Sequential.{m}", f"keras.Model.{m}", {"accuracy": _SHOW_ACCURACY}, family="training")
      for m in ("train_on_batch", "test_on_batch")],
    Rule("keras.models.Model.predict_on_batch", "keras.Model.predict_on_batch", family="training"),
    Rule("keras.engine.topology.Container.load_weights", "k1port.runtime.load_weights",
         custom=_weights_call("load_weights"), family="weights"),
    Rule("keras.engine.topology.Container.save_weights", "k1port.runtime.save_weights",
         custom=_weights_call("save_weights"), family="weights"),
    # Keras 1 wrote HDF5 to any file name; Keras 3 only to '.h5' / '.hdf5' ('.keras': its own).
    Rule("keras.engine.topology.Container.save", "k1port.runtime.save_model", custom=_runtime_method("save_model"),
         family="training", note="k1.save_model(model, path): HDF5 to any file name, as Keras 1 wrote"),
] + [
    # Keras 3 removed them: the runtime's count an epoch in samples, as Keras 1 did (steps
    # from the generator's first batch), predict classes Keras 1's way, and reset a model's
    # stateful layers (Keras 3 models have no reset_states).
    Rule(f"{owner}.{m}", f"k1port.runtime.{m}", custom=_runtime_method(m), family="training",
         note=f"if this is a Keras 1 model, Keras 3 has no {m}(): use k1.{m}(model, ...)")
    for owner, m in (("keras.engine.topology.Container", "to_yaml"), ("keras.models.Model", "fit_generator"),
                     ("keras.models.Model", "evaluate_generator"), ("keras.models.Model", "predict_generator"),
                     ("keras.models.Sequential", "predict_classes"), ("keras.models.Sequential", "predict_proba"),
                     ("keras.engine.topology.Container", "reset_states"))]
