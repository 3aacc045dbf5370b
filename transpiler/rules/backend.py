"""keras.backend (K.*), keras.activations and keras.objectives."""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.spec import Rule, drop, rename

RT = "k1port.runtime."
def _image_dim_ordering(bound, ctx):
    """K.image_dim_ordering() returned keras.json's value. The runtime answers 'tf' unless told
    otherwise, so when k1port decided 'th' for the file (and the file does not set it), the
    converted file starts by telling it: branches then take the path the layers were built for."""
    if ctx.dim_ordering == "th" and not ctx.converter.ordering_set_in_code:
        ctx.converter.imports.preamble(RT + "set_image_dim_ordering", "'th'")
    return cst.Call(ctx.ref(RT + "image_dim_ordering"), [])


RULES = [
    # Keras 1's global 'th'/'tf' setting: converted layers state their data_format, so the
    # runtime only remembers the value for code that asks K.image_dim_ordering().
    Rule("keras.backend.image_dim_ordering", RT + "image_dim_ordering", custom=_image_dim_ordering,
         family="backend", note="the file's dim ordering, or k1.image_dim_ordering() where the file sets it"),
    Rule("keras.backend.set_image_dim_ordering", RT + "set_image_dim_ordering", family="backend"),
]

# keras.activations referenced as functions (strings are converted where they are used).
ACTIVATIONS = [
    Rule("keras.activations.hard_sigmoid", RT + "hard_sigmoid", family="activations",
         note="clip(0.2x + 0.5); Keras 3's hard_sigmoid is x/6 + 0.5"),
    Rule("keras.activations.relu", "keras.activations.relu", {"alpha": rename("negative_slope")},
         family="activations"),
    *[Rule(f"keras.activations.{n}", f"keras.activations.{n}", family="activations")
      for n in ("softmax", "elu", "softplus", "softsign", "tanh", "sigmoid", "linear")],
]
RULES += ACTIVATIONS

# keras.objectives functions (Keras 3: keras.losses; six differ and live in the runtime, see
# models.RUNTIME_LOSSES).
RUNTIME_OBJECTIVES = ("hinge", "squared_hinge", "cosine_proximity", "categorical_crossentropy",
                      "sparse_categorical_crossentropy", "binary_crossentropy")
OBJECTIVES = [
    Rule(f"keras.objectives.{n}", (RT + n) if n in RUNTIME_OBJECTIVES else f"keras.losses.{n}",
         family="objectives")
    for n in ("mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
              "mean_squared_logarithmic_error", "squared_hinge", "hinge", "categorical_crossentropy",
              "sparse_categorical_crossentropy", "binary_crossentropy", "kullback_leibler_divergence",
              "poisson", "cosine_proximity")
]
RULES += OBJECTIVES

# keras.backend functions: keras.ops (or keras.random, keras.config) where they compute the same,
# the runtime where Keras 1's differ (sqrt clipped at 0, l2_normalize's epsilon).
OPS = "keras.ops."


def _k(name: str, target: str, **renames: str) -> Rule:
    return Rule(f"keras.backend.{name}", target, {k: rename(v) for k, v in renames.items()},
                family="backend")


_SAME = ("mean", "sum", "prod", "max", "min", "std", "var", "any", "all", "argmax", "argmin",
         "square", "abs", "exp", "log", "round", "sign", "sin", "cos", "tanh", "sigmoid", "softplus",
         "softsign", "elu", "softmax", "cast", "shape", "squeeze", "stack", "transpose",
         "zeros_like", "ones_like", "stop_gradient")
_PAIRS = {"equal": "equal", "not_equal": "not_equal", "greater": "greater",
          "greater_equal": "greater_equal", "lesser": "less", "lesser_equal": "less_equal",
          "maximum": "maximum", "minimum": "minimum", "dot": "dot"}
BACKEND = [
    *[_k(n, OPS + n) for n in _SAME],
    *[_k(k1, OPS + k3, x="x1", y="x2") for k1, k3 in _PAIRS.items()],
    _k("pow", OPS + "power", x="x1", a="x2"),
    _k("clip", OPS + "clip", min_value="x_min", max_value="x_max"),
    _k("permute_dimensions", OPS + "transpose", pattern="axes"),
    _k("reshape", OPS + "reshape", shape="newshape"),
    _k("expand_dims", OPS + "expand_dims", dim="axis"),
    _k("concatenate", OPS + "concatenate", tensors="xs"),
    _k("tile", OPS + "tile", n="repeats"),
    _k("repeat_elements", OPS + "repeat", rep="repeats"),
    _k("int_shape", OPS + "shape"),
    _k("one_hot", OPS + "one_hot", indices="x", nb_classes="num_classes"),
    _k("get_value", OPS + "convert_to_numpy"),
    _k("eval", OPS + "convert_to_numpy"),
    _k("relu", "keras.activations.relu", alpha="negative_slope"),
    _k("random_normal", "keras.random.normal", std="stddev"),
    _k("random_uniform", "keras.random.uniform", low="minval", high="maxval"),
    _k("dropout", "keras.random.dropout", x="inputs", level="rate"),
    # dtype None meant floatx() (Keras 3 keeps a NumPy array's float64 / int64).
    _k("variable", RT + "backend.variable"),
    _k("epsilon", "keras.config.epsilon"),
    _k("floatx", "keras.config.floatx"),
    _k("set_epsilon", "keras.config.set_epsilon", e="value"),
    _k("set_floatx", "keras.config.set_floatx", floatx="value"),
    _k("backend", "keras.config.backend"),
    _k("hard_sigmoid", RT + "hard_sigmoid"),
    *[_k(n, RT + n) for n in ("sqrt", "l2_normalize", "batch_flatten", "flatten", "repeat", "set_value")],
    # (output, target): Keras 1's order, not the losses' (y_true, y_pred).
    *[_k(n, RT + "backend." + n) for n in ("categorical_crossentropy", "sparse_categorical_crossentropy",
                                           "binary_crossentropy")],
    # Keras 3 dropped the symbolic API; the runtime rebuilds it on KerasTensors.
    *[_k(n, RT + n) for n in ("placeholder", "gradients", "function", "learning_phase",
                              "set_learning_phase", "update", "update_add", "update_sub")],
    Rule("keras.backend.gather", OPS + "take", {"reference": rename("x")}, implied={"axis": "0"},
         family="backend"),
]
RULES += BACKEND


# The rest of keras.backend. keras.ops where it computes the same (argument names aside);
# the runtime's k1.backend.* with Keras 1's signatures where Keras 1's meaning differs:
# batch_dot's axes, switch on a scalar or element-wise, convolutions and pooling with
# dim_ordering and Keras 1's kernel layouts, rnn's step functions and masks.
def _ordering(node, ctx):
    """dim_ordering='default' meant keras.json's: the ordering decided for the file."""
    return v.literal_string(ctx.dim_ordering, node) if v.string(node) == "default" else node


def _file_ordering(ctx):
    return v.literal_string(ctx.dim_ordering)


def _theano_backend(ctx):
    """Where the Keras 1 code ran on Theano, the runtime computes what Theano did (true
    convolutions, Theano's border_mode='same', ...: see runtime/backend.py)."""
    return v.literal_string("theano") if ctx.converter.keras1_backend == "theano" else None


def _runtime(name: str, ordering: bool = False, theano: bool = False) -> Rule:
    state = {**({"dim_ordering": _file_ordering} if ordering else {}),
             **({"keras1_backend": _theano_backend} if theano else {})}
    args = {"dim_ordering": rename("dim_ordering", _ordering)} if ordering else {}
    return Rule(f"keras.backend.{name}", RT + "backend." + name, args, state=state, family="backend")


_HINT = "a shape hint for Theano's compiler; no effect in Keras 3"
BACKEND_REST = [
    Rule("keras.backend.arange", OPS + "arange", same_defaults=frozenset({"step"}), family="backend"),
    _k("reverse", OPS + "flip", axes="axis"),
    _k("in_top_k", OPS + "in_top_k"),  # Keras 3 takes (targets, predictions, k)
    _k("dtype", OPS + "dtype"),
    _k("get_variable_shape", OPS + "shape"),
    _k("get_uid", "keras.backend.get_uid"),
    Rule("keras.backend.map_fn", OPS + "map",
         {"fn": rename("f"), "elems": rename("xs"), "name": drop("keras.ops.map takes no graph node name")},
         family="backend"),
    Rule("keras.backend.to_dense", OPS + "convert_to_tensor", {"tensor": rename("x")},
         implied={"sparse": "False"}, family="backend"),
    # Bernoulli draws: a binomial of one trial.
    Rule("keras.backend.random_binomial", "keras.random.binomial", {"p": rename("probabilities")},
         implied={"counts": "1"}, family="backend"),
    # TensorFlow only in Keras 1: channels-last, kernel (length, in, out) as in Keras 3.
    Rule("keras.backend.conv1d", OPS + "conv",
         {"x": rename("inputs"), "stride": rename("strides"), "border_mode": rename("padding", v.border_mode),
          "image_shape": drop(_HINT), "filter_shape": drop(_HINT)},
         implied={"data_format": "'channels_last'"}, family="backend"),
    *[_runtime(n) for n in ("batch_dot", "switch", "rnn", "foldl", "foldr", "batch_normalization",
                            "moving_average_update", "print_tensor", "is_sparse", "is_keras_tensor", "count_params", "ndim",
                            "cast_to_floatx", "batch_get_value", "batch_set_value", "temporal_padding",
                            "asymmetric_temporal_padding")],
    *[_runtime(n, ordering=True) for n in ("spatial_2d_padding", "asymmetric_spatial_2d_padding",
                                           "spatial_3d_padding", "resize_images", "resize_volumes",
                                           "atrous_conv2d", "separable_conv2d")],
    *[_runtime(n, ordering=True, theano=True) for n in ("conv2d", "conv3d", "deconv2d", "pool2d", "pool3d")],
    *[_runtime(n, theano=True) for n in ("normalize_batch_in_training", "ctc_batch_cost")],
    # Keras 1 internals no user code calls: reported with a pointer.
    *[Rule(f"keras.backend.{n}", None, family="backend", note="Theano's CTC internals; K.ctc_batch_cost is converted")
      for n in ("ctc_cost", "ctc_create_skip_idxs", "ctc_interleave_blanks", "ctc_path_probs", "ctc_update_log_p")],
    Rule("keras.backend.is_explicit_shape", None, family="backend",
         note="a helper of Keras 1's Theano reshape; Keras 3 tensors know their shapes"),
    Rule("keras.backend.pattern_broadcast", None, family="backend",
         note="Theano's broadcastable flags; Keras 3 broadcasts by shape: drop the call"),
    *[Rule(f"keras.backend.{n}", None, family="backend",
           note="Keras 1's switch for weight files of Keras < 1.0; k1.load_weights reads Keras 1 files")
      for n in ("legacy_weight_ordering", "set_legacy_weight_ordering")],
]
RULES += BACKEND_REST


def _variable_maker(name: str, tensor: str | None, tensor_args: tuple[str, ...]):
    """K.zeros & co. made variables. Where Keras 1 code makes state (a layer's build or
    __init__, module level) they stay variables (the runtime's, which a layer tracks as its
    weights); inside call(), losses and other functions a keras.ops tensor computes the same."""
    def convert(bound, ctx):
        from k1port.engine.apply import keras1_call  # the engine imports the rule tables

        if tensor is None or ctx.converter.makes_variables():
            return keras1_call(ctx.ref(RT + name), bound)
        return keras1_call(ctx.ref(tensor), bound, keep=tensor_args)

    return convert


VARIABLES = [
    Rule(f"keras.backend.{n}", RT + n, custom=_variable_maker(n, tensor, args), family="backend",
         note=f"a variable in build/__init__/module level{f', else `{tensor}`' if tensor else ''}")
    for n, tensor, args in (("zeros", OPS + "zeros", ("shape", "dtype")),
                            ("ones", OPS + "ones", ("shape", "dtype")),
                            ("eye", OPS + "eye", ("size", "dtype")),
                            ("random_uniform_variable", None, ()), ("random_normal_variable", None, ()))
]
RULES += VARIABLES
