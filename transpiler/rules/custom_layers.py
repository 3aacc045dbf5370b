"""Custom layers written against the Keras 1 layer protocol (subclasses of keras Layer).

Keras 3 kept most of it (build/call/compute_mask/get_config, input_spec, supports_masking);
what changed: `get_output_shape_for` is `compute_output_shape`; `add_weight(shape, initializer,
name, ...)` took the name third; the lists and dicts a Keras 1 layer declared its weights,
constraints and updates in are not read any more: those statements become runtime calls that
tell Keras 3 the same (`self.trainable_weights = [...]` -> `k1.set_trainable_weights(self,
[...])`). Keras 1.2 already ignored `self.regularizers` and the regularizers' `set_param` /
`set_layer` (Keras 1.0 penalised weights that way): those statements go, and the calls are
reported. The engine applies these inside classes whose base is a Keras 1 layer (see Converter).
"""
from __future__ import annotations

from k1port.rules import values as v
from k1port.rules.spec import Rule, rename

RT = "k1port.runtime."
RENAMED_METHODS = {"get_output_shape_for": "compute_output_shape"}
# self.<attribute> statements in a Keras 1 layer (`= value`, `+= value`, `.append(value)`,
# `.extend(values)`, `[key] = value`) -> runtime function(self, values).
RUNTIME_ATTRIBUTES = {
    "trainable_weights": RT + "set_trainable_weights",
    "non_trainable_weights": RT + "set_non_trainable_weights",
    "constraints": RT + "set_constraints",
    "updates": RT + "add_updates",
}
# In a method declaring updates, `return outputs` -> `return k1.with_updates(self, outputs)`.
UPDATES_APPLIED = RT + "with_updates"
DROPPED_ATTRIBUTES = {
    "regularizers": "Keras 1.2 ignored it too (deprecated: a layer's penalties come from "
                    "add_weight(..., regularizer=...))",
}
# Methods of Keras 1 regularizers that Keras 1.2 turned into no-ops (kept, reported).
IGNORED_METHODS = {
    "set_param": "regularizer.set_param() did nothing since Keras 1.2 (the weight is not penalised, "
                 "as in Keras 1.2.2); to penalise it, create it with self.add_weight(..., regularizer=...)",
    "set_layer": "regularizer.set_layer() did nothing since Keras 1.2 (the output is not penalised, "
                 "as in Keras 1.2.2); to penalise it, set self.activity_regularizer",
}
RULES = [
    Rule("keras.layers.Layer", "keras.layers.Layer", family="custom layers"),
    Rule("keras.layers.InputSpec", "keras.layers.InputSpec", family="custom layers"),
    # Keras 3 has no base for step()-written recurrent layers: the runtime runs the protocol.
    Rule("keras.layers.Recurrent", RT + "Recurrent", family="custom layers"),
    # Keras 1 code calls what get() returns to make weights (self.W = self.init(shape)).
    Rule("keras.initializations.get", RT + "initializations.get", family="custom layers"),
    Rule("keras.regularizers.get", RT + "regularizers.get", family="custom layers"),
    Rule("keras.constraints.get", RT + "constraints.get", family="custom layers"),
    Rule("keras.backend.in_train_phase", RT + "in_train_phase", family="custom layers"),
    Rule("keras.backend.in_test_phase", RT + "in_test_phase", family="custom layers"),
    # Keras 1's initializer functions, called by user code (`lambda shape, name: normal(...)`).
    *[Rule(f"keras.initializations.{n}", f"k1port.runtime.initializations.{n}", family="custom layers")
      for n in ("uniform", "normal", "lecun_uniform", "glorot_normal", "glorot_uniform", "he_normal",
                "he_uniform", "orthogonal", "identity", "zero", "one")],
]
METHODS = [
    Rule("keras.layers.Layer.add_weight", "keras.layers.Layer.add_weight",
         {"initializer": rename("initializer", v.initializer)}, family="custom layers"),
]
