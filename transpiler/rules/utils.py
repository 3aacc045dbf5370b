"""keras.utils (np_utils, data_utils, generic_utils, layer_utils, visualize_util),
keras.engine.training.slice_X, keras.datasets and keras.metrics functions.

Where Keras 3 computes the same, its function; else the runtime's (`k1.utils.*`,
`k1.datasets.*`: runtime/utils.py and runtime/datasets.py say what differs).
"""
from __future__ import annotations

from k1port.rules import values as v
from k1port.rules.backend import RUNTIME_OBJECTIVES
from k1port.rules.spec import Rule, rename

UTILS = "k1port.runtime.utils."
DATASETS = "k1port.runtime.datasets."
NP = "keras.utils.np_utils."


def _file_ordering(ctx):
    """Keras 1 read K.image_dim_ordering() at run time: the ordering decided for the file."""
    return v.literal_string(ctx.dim_ordering)


def _ordering(node, ctx):
    return v.literal_string(ctx.dim_ordering, node) if v.string(node) == "default" else node


def _runtime(keras1: str, **kwargs) -> Rule:
    return Rule(keras1, UTILS + keras1.rsplit(".", 1)[1], family="utils", **kwargs)


NP_UTILS = [
    # Keras 1 flattened y: (n, k) labels gave (n * k, classes) rows; Keras 3 keeps y's shape.
    _runtime(NP + "to_categorical", note="Keras 1 flattened y (Keras 3 keeps its shape)"),
    # Keras 3's normalize reads axis=0 as -1.
    _runtime(NP + "normalize"),
    *[_runtime(NP + n) for n in ("probas_to_classes", "categorical_probas_to_classes", "accuracy",
                                 "binary_logloss", "multiclass_logloss")],
    _runtime(NP + "convert_kernel", args={"dim_ordering": rename("dim_ordering", _ordering)},
             state={"dim_ordering": _file_ordering}),
    *[_runtime(f"keras.layers.{n}") for n in ("conv_output_length", "conv_input_length")],
]

GENERIC_UTILS = [
    _runtime("keras.engine.training.slice_X"),
    # Keras 3's Progbar has no update(force=) and weighs a repeated `current` as one step.
    _runtime("keras.utils.generic_utils.Progbar"),
    *[_runtime(f"keras.layers.{n}") for n in ("get_from_module", "func_dump", "func_load")],
    *[_runtime(f"keras.utils.generic_utils.{n}")
      for n in ("make_tuple", "custom_object_scope", "CustomObjectScope")],  # Keras 1 took several dicts
    Rule("keras.utils.generic_utils.get_custom_objects", "keras.utils.get_custom_objects", family="utils"),
    # untar=True: Keras 1's cache layout (Keras 3 extracts into a folder of its own).
    _runtime("keras.utils.data_utils.get_file"),
    _runtime("keras.utils.data_utils.validate_file"),
    *[_runtime(f"keras.utils.layer_utils.{n}")
      for n in ("print_summary", "count_total_params", "convert_all_kernels_in_model")],
    # pydot and graphviz are still needed (Keras 3 raises ImportError without them).
    Rule("keras.utils.visualize_util.plot", "keras.utils.plot_model", family="utils"),
    Rule("keras.utils.visualize_util.model_to_dot", "keras.utils.model_to_dot", family="utils"),
]

_DATA = "keras.datasets."
DATA_SETS = [
    # The cached file name changed (mnist.pkl.gz -> mnist.npz): same arrays.
    Rule(f"{_DATA}mnist.load_data", f"{_DATA}mnist.load_data", same_defaults=frozenset({"path"}),
         family="datasets"),
    # Keras 1 shuffled, filtered by maxlen and split otherwise (runtime/datasets.py).
    *[Rule(f"{_DATA}{d}.{f}", f"{DATASETS}{d}.{f}", family="datasets")
      for d in ("imdb", "reuters") for f in ("load_data", "get_word_index")],
    # Channels-first images when Keras 1's image dim ordering was 'th'.
    *[Rule(f"{_DATA}{d}.load_data", f"{DATASETS}{d}.load_data", state={"dim_ordering": _file_ordering},
           family="datasets") for d in ("cifar10", "cifar100")],
]

# keras.metrics referenced as functions (metrics=[metrics.categorical_accuracy]); strings are
# converted in compile(). Keras 1's returned the batch mean, Keras 3's return one value per
# sample: the same metric in compile(), an array instead of a scalar when called directly.
_METRICS = "keras.metrics."
_RUNTIME_METRICS = ("precision", "recall", "fbeta_score", "fmeasure", "matthews_correlation")
_RENAMED_METRICS = {"kullback_leibler_divergence": "kl_divergence"}
METRICS = [
    *[Rule(_METRICS + n, _METRICS + n, family="metrics")
      for n in ("binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                "top_k_categorical_accuracy", "mean_squared_error", "mean_absolute_error",
                "mean_absolute_percentage_error", "mean_squared_logarithmic_error", "poisson")],
    *[Rule(_METRICS + n, _METRICS + k3, family="metrics") for n, k3 in _RENAMED_METRICS.items()],
    *[Rule(_METRICS + n, "k1port.runtime." + n, family="metrics")
      for n in (*_RUNTIME_METRICS, *RUNTIME_OBJECTIVES)],
]

RULES = [*NP_UTILS, *GENERIC_UTILS, *DATA_SETS, *METRICS]
