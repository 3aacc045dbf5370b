"""The `keras` (Keras 3) and `tf.keras` targets: one program, two spellings of the root.

Rules name their targets as Keras 3 paths (`keras.layers.Conv2D`) or runtime paths
(`k1port.runtime.hard_sigmoid`); a Target turns them into the module a file imports.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from k1port.signature import Signature
from k1port.targets.keras3_api import SIGNATURES

RUNTIME = "k1port.runtime"
RUNTIME_ALIAS = "k1"  # converted code reads `import k1port.runtime as k1`; `k1.hard_sigmoid`


@dataclass(frozen=True)
class Target:
    name: str  # "keras" | "tf.keras"
    root: str  # "keras" | "tensorflow.keras"

    def module(self, keras3_module: str) -> str:
        """keras.layers -> tensorflow.keras.layers for tf.keras; runtime paths stay."""
        if keras3_module == "keras" or keras3_module.startswith("keras."):
            return self.root + keras3_module[len("keras"):]
        return keras3_module


TARGETS = {"keras": Target("keras", "keras"), "tf.keras": Target("tf.keras", "tensorflow.keras")}

# Where Keras 3 defines a public name that rules refer to by a shorter path.
_ALIASES = {"keras.Model": "keras.Model", "keras.Input": "keras.layers.Input"}


# What a Keras 3 layer's **kwargs accept (keras/src/layers/layer.py, Layer.__init__).
LAYER_KWARGS = ("name", "dtype", "trainable", "autocast", "input_shape", "input_dim", "batch_size")

# keras.Model.__init__(*args, **kwargs) hides the functional signature Keras 3 documents.
_OVERRIDES = {
    "keras.models.Model": Signature(("inputs", "outputs", "name"), {"name": "None"}),
    # A method scripts/introspect_keras3.py does not list (Keras 3.15's Layer.add_weight).
    "keras.layers.Layer.add_weight": Signature(
        ("shape", "initializer", "dtype", "trainable", "autocast", "regularizer", "constraint",
         "aggregation", "overwrite_with_gradient", "name"),
        {"shape": "None", "initializer": "None", "dtype": "None", "trainable": "True", "autocast": "True",
         "regularizer": "None", "constraint": "None", "aggregation": "'none'",
         "overwrite_with_gradient": "False", "name": "None"}),
}


@lru_cache(maxsize=None)
def signature(path: str) -> Signature | None:
    """The Keras 3 signature of `keras.layers.Conv2D`, `keras.Model.fit`, ... (None if unknown)."""
    if path in _OVERRIDES:
        return _OVERRIDES[path]
    entry = SIGNATURES.get(path) or SIGNATURES.get(_ALIASES.get(path, ""))
    if not entry:
        return None
    sig = Signature.from_table(entry)
    if path.startswith("keras.layers.") and entry.get("varkw"):
        sig = Signature(sig.params, sig.defaults, sig.varargs, False, LAYER_KWARGS, sig.keyword_only)
    return sig
