"""Write k1port's table of what Keras 1.2.2 was, by introspecting the real Keras 1.2.2.

Run inside the oracle environment (see tests/oracle/README.md):

    tests/oracle/run.sh tests/oracle/introspect_keras1.py transpiler/keras1/api.py

The output is a plain Python data module: for every public Keras 1 module, the names it
exports (and the canonical name each refers to), and for every callable its signature
(positional order, defaults) and the keywords its ``**kwargs`` accepted. Facts only: no
Keras code is copied.
"""
from __future__ import annotations

import importlib
import inspect
import pprint
import sys
import types

MODULES = [
    "keras",
    "keras.layers", "keras.layers.core", "keras.layers.convolutional", "keras.layers.pooling",
    "keras.layers.local", "keras.layers.recurrent", "keras.layers.normalization",
    "keras.layers.embeddings", "keras.layers.noise", "keras.layers.advanced_activations",
    "keras.layers.wrappers", "keras.layers.convolutional_recurrent",
    "keras.engine", "keras.engine.topology", "keras.engine.training",
    "keras.models", "keras.optimizers", "keras.objectives", "keras.metrics",
    "keras.activations", "keras.initializations", "keras.regularizers", "keras.constraints",
    "keras.callbacks", "keras.backend",
    "keras.utils", "keras.utils.np_utils", "keras.utils.data_utils", "keras.utils.generic_utils",
    "keras.utils.layer_utils", "keras.utils.io_utils", "keras.utils.visualize_util",
    "keras.preprocessing", "keras.preprocessing.image", "keras.preprocessing.sequence",
    "keras.preprocessing.text",
    "keras.datasets", "keras.datasets.mnist", "keras.datasets.cifar10", "keras.datasets.cifar100",
    "keras.datasets.imdb", "keras.datasets.reuters",
    "keras.applications", "keras.applications.vgg16", "keras.applications.vgg19",
    "keras.applications.resnet50", "keras.applications.inception_v3",
    "keras.applications.xception", "keras.applications.music_tagger_crnn",
    "keras.applications.imagenet_utils", "keras.applications.audio_conv_utils",
    "keras.wrappers", "keras.wrappers.scikit_learn",
]
# Where a name is exported by several modules, the first module here names it.
PREFERRED = ["keras.layers", "keras.models", "keras.optimizers", "keras.objectives",
             "keras.metrics", "keras.activations", "keras.initializations",
             "keras.regularizers", "keras.constraints", "keras.callbacks", "keras.backend",
             "keras.engine", "keras.utils.np_utils", "keras.utils"]
REEXPORTERS = ("keras.layers", "keras.models")
# Layer.__init__ reads these from **kwargs (keras/engine/topology.py, allowed_kwargs).
LAYER_KWARGS = ["input_shape", "batch_input_shape", "input_dtype", "name", "trainable"]
# Optimizer.__init__ reads these from **kwargs (keras/optimizers.py, allowed_kwargs).
OPTIMIZER_KWARGS = ["clipnorm", "clipvalue"]
# Methods of models and layers that Keras 1 scripts call.
METHODS = {
    "keras.models.Model": [
        "compile", "fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
        "predict_on_batch", "fit_generator", "evaluate_generator", "predict_generator"],
    "keras.models.Sequential": [
        "add", "compile", "fit", "evaluate", "predict", "predict_classes", "predict_proba",
        "train_on_batch", "test_on_batch", "predict_on_batch", "fit_generator",
        "evaluate_generator", "predict_generator"],
    "keras.engine.topology.Container": [
        "get_layer", "save", "save_weights", "load_weights", "to_json", "to_yaml", "summary",
        "reset_states"],
    "keras.layers.Layer": [
        "get_output_at", "get_input_at", "get_output_shape_at", "get_input_shape_at",
        "get_output_mask_at", "get_input_mask_at", "add_weight", "get_weights", "set_weights",
        "count_params"],
}


def _stub_pydot():
    """visualize_util refuses to import without pydot and graphviz, which the oracle lacks; its
    signatures are facts all the same, so a stand-in that says graphviz exists lets it load."""
    try:
        import pydot  # noqa: F401
    except ImportError:
        stub = types.ModuleType("pydot")
        stub.find_graphviz = lambda: True
        sys.modules["pydot"] = stub


def public_module(modname):
    if modname == "keras.utils.visualize_util":
        _stub_pydot()
    try:
        return importlib.import_module(modname)
    except Exception as exc:  # visualize_util needs pydot; record the gap
        print(f"skip {modname}: {exc}", file=sys.stderr)
        return None


def is_keras_object(obj):
    mod = getattr(obj, "__module__", "") or ""
    return (inspect.isclass(obj) or inspect.isfunction(obj)) and mod.startswith("keras")


def literal(value):
    """repr() of a default that ast.literal_eval can read back, else a marker string."""
    text = repr(value)
    try:
        import ast
        ast.literal_eval(text)
        return text
    except Exception:
        return "<" + type(value).__name__ + ">"


def signature(func, skip_self):
    spec = inspect.getfullargspec(func)
    args = list(spec.args[1:] if skip_self else spec.args)
    defaults = list(spec.defaults or ())
    first_default = len(args) - len(defaults)
    params = []
    for i, name in enumerate(args):
        params.append((name, literal(defaults[i - first_default]) if i >= first_default else None))
    return {"params": params, "varargs": spec.varargs, "varkw": spec.varkw}


def class_signature(cls):
    sig = signature(cls.__init__, skip_self=True)
    extra = []
    if sig["varkw"]:  # **kwargs reach the bases' __init__: collect what they accept
        for base in cls.__mro__[1:]:
            init = base.__dict__.get("__init__")
            if init is None or not (base.__module__ or "").startswith("keras"):
                continue
            for name, default in signature(init, skip_self=True)["params"]:
                if name not in {p for p, _ in sig["params"]} and name not in {e for e, _ in extra}:
                    extra.append((name, default))
        import keras.engine.topology as topology
        import keras.optimizers as optimizers
        accepted = (LAYER_KWARGS if issubclass(cls, topology.Layer) else
                    OPTIMIZER_KWARGS if issubclass(cls, optimizers.Optimizer) else [])
        if accepted:
            for name in accepted:
                if name not in {p for p, _ in sig["params"]} | {e for e, _ in extra}:
                    extra.append((name, None))
    sig["kwargs"] = extra
    return sig


def main(out_path):
    exports, paths = {}, {}
    for modname in MODULES:
        mod = public_module(modname)
        if mod is None:
            continue
        names = {}
        for name, obj in sorted(vars(mod).items()):
            if name.startswith("_"):
                continue
            if isinstance(obj, types.ModuleType) and obj.__name__.startswith("keras"):
                names[name] = obj.__name__
            elif is_keras_object(obj):
                names[name] = id(obj)
                paths.setdefault(id(obj), (obj, []))[1].append(f"{modname}.{name}")
        exports[modname] = names

    def rank(obj, path):
        mod, name = path.rsplit(".", 1)
        # A preferred module names what it defines (or, for keras.layers / keras.models, what
        # users imported from it); keras.callbacks merely uses Progbar.
        home = mod in PREFERRED and (obj.__module__.startswith(mod) or mod in REEXPORTERS)
        return (name != obj.__name__,  # the class's own name, not an alias such as Conv2D
                PREFERRED.index(mod) if home else len(PREFERRED),
                mod != obj.__module__,  # else where it is defined (get_file: keras.utils.data_utils)
                len(path), path)

    canonical, signatures, kinds = {}, {}, {}
    for obj, qnames in paths.values():
        best = min(qnames, key=lambda q: rank(obj, q))
        for q in qnames:
            canonical[q] = best
        kinds[best] = "class" if inspect.isclass(obj) else "function"
        try:
            signatures[best] = (class_signature(obj) if inspect.isclass(obj)
                                else signature(obj, skip_self=False))
        except TypeError:
            pass
    for owner, methods in METHODS.items():
        modname, clsname = owner.rsplit(".", 1)
        cls = getattr(importlib.import_module(modname), clsname)
        for m in methods:
            signatures[f"{owner}.{m}"] = signature(getattr(cls, m), skip_self=True)
            kinds[f"{owner}.{m}"] = "method"

    with open(out_path, "w") as f:
        f.write('"""What Keras 1.2.2 was. GENERATED by tests/oracle/introspect_keras1.py from the\n'
                'real Keras 1.2.2 (Theano backend); do not edit by hand."""\n\n')
        f.write("# module -> {exported name: canonical qualified name, or 'module:<name>'}\n")
        out_exports = {
            m: {n: (f"module:{v}" if isinstance(v, str) else canonical[f"{m}.{n}"])
                for n, v in names.items()}
            for m, names in exports.items()}
        f.write("EXPORTS = " + pprint.pformat(out_exports, width=100, sort_dicts=True) + "\n\n")
        f.write("# canonical name -> 'class' | 'function' | 'method'\n")
        f.write("KINDS = " + pprint.pformat(kinds, width=100, sort_dicts=True) + "\n\n")
        f.write("# canonical name -> params [(name, default repr or None)], varargs, varkw,\n"
                "# kwargs (keywords that **kwargs accepted, from base classes)\n")
        f.write("SIGNATURES = " + pprint.pformat(signatures, width=100, sort_dicts=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
