"""keras.backend (the first few; the rest of K.* is reported as not converted)."""
from __future__ import annotations

import libcst as cst

from k1port.rules.spec import Rule, rename

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

UTILS = [
    # Keras 1 returned float64 one-hot rows; Keras 3 returns float32 (same values).
    Rule("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical",
         {"y": rename("x"), "nb_classes": rename("num_classes")}, family="utils"),
    Rule("keras.preprocessing.sequence.pad_sequences", "keras.preprocessing.sequence.pad_sequences",
         family="utils"),
]
RULES += UTILS

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

# keras.objectives functions (Keras 3: keras.losses; three differ and live in the runtime).
OBJECTIVES = [
    Rule(f"keras.objectives.{n}", (RT + n) if n in ("hinge", "squared_hinge", "cosine_proximity")
         else f"keras.losses.{n}", family="objectives")
    for n in ("mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
              "mean_squared_logarithmic_error", "squared_hinge", "hinge", "categorical_crossentropy",
              "sparse_categorical_crossentropy", "binary_crossentropy", "kullback_leibler_divergence",
              "poisson", "cosine_proximity")
]
RULES += OBJECTIVES
