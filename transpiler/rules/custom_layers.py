"""Custom layers written against the Keras 1 layer protocol (subclasses of keras Layer).

Keras 3 kept most of it (build/call/compute_mask/get_config, input_spec, supports_masking);
what changed: `get_output_shape_for` is `compute_output_shape`; `add_weight(shape, initializer,
name, ...)` took the name third; weights are tracked without `self.trainable_weights = [...]`
(which Keras 3 refuses); `self.regularizers` / `self.constraints` lists are not read any more.
The engine applies these inside classes whose base is a Keras 1 layer (see Converter).
"""
from __future__ import annotations

from k1port.rules import values as v
from k1port.rules.spec import Rule, rename

RENAMED_METHODS = {"get_output_shape_for": "compute_output_shape"}
# self.<attribute> = ... statements in a Keras 1 layer: what Keras 3 makes of them.
DROPPED_ATTRIBUTES = {
    "trainable_weights": "Keras 3 tracks the weights a layer creates (add_weight, keras.Variable "
                         "attributes); it refuses assignments to trainable_weights",
}
UNREAD_ATTRIBUTES = {
    "non_trainable_weights": "Keras 3 refuses this assignment: create these weights with "
                             "add_weight(..., trainable=False) instead",
    "regularizers": "Keras 3 does not read self.regularizers: pass regularizer= to add_weight or "
                    "call self.add_loss()",
    "constraints": "Keras 3 does not read self.constraints: pass constraint= to add_weight",
    "updates": "Keras 3 does not read self.updates: assign to the variables in call()",
}
RULES = [
    Rule("keras.layers.Layer", "keras.layers.Layer", family="custom layers"),
    Rule("keras.layers.InputSpec", "keras.layers.InputSpec", family="custom layers"),
    Rule("keras.initializations.get", "k1port.runtime.initializer", {"identifier": rename("value")},
         family="custom layers"),
    # Keras 1's initializer functions, called by user code (`lambda shape, name: normal(...)`).
    *[Rule(f"keras.initializations.{n}", f"k1port.runtime.initializations.{n}", family="custom layers")
      for n in ("uniform", "normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "he_normal",
                "he_uniform", "orthogonal", "identity", "zero", "one")],
]
METHODS = [
    Rule("keras.layers.Layer.add_weight", "keras.layers.Layer.add_weight",
         {"initializer": rename("initializer", v.initializer)}, family="custom layers"),
]
