"""keras.optimizers: `lr` is `learning_rate`, `decay` is an InverseTimeDecay schedule.

Keras 1 decayed the rate as lr / (1 + decay * iterations), which is exactly
keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay); Keras 3
silently ignores `decay=`. Keras 1's `clipnorm` clipped by the global norm of all gradients
(Keras 3: `global_clipnorm`; its `clipnorm` clips each gradient by its own norm).
"""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.spec import Fold, Rule, rename

F = "optimizers"
K1 = "keras.optimizers."
K3 = "keras.optimizers."


def _is_zero(node) -> bool:
    return isinstance(node, (cst.Integer, cst.Float)) and float(node.evaluated_value) == 0


def _learning_rate(default_lr: str):
    def build(values, ctx):
        lr, decay = values.get("lr"), values.get("decay")
        if decay is None or _is_zero(decay):
            return lr  # None: the default, stated by the engine if Keras 3's differs
        return v.call(ctx, K3 + "schedules.InverseTimeDecay", lr if lr is not None else v.expr(default_lr),
                      decay_steps=v.expr("1"), decay_rate=decay)

    return build


RT = "k1port.runtime."


def optimizer(name: str, default_lr: str, target: str = K3) -> Rule:
    folds = (Fold(("lr", "decay"), "learning_rate", _learning_rate(default_lr)),)
    return Rule(K1 + name, target + name, {"clipnorm": rename("global_clipnorm")}, folds=folds, family=F)


RULES = [
    optimizer("SGD", "0.01"),
    # Keras 3's update rules, but on TensorFlow its sparse (Embedding) path decays the moments
    # once per repeated index: the runtime's classes densify the gradient, as Keras 1 did.
    optimizer("Adadelta", "1.0", RT),  # Keras 1 also added epsilon inside both square roots
    optimizer("Adam", "0.001", RT),
    optimizer("Adamax", "0.002", RT),
    # Keras 3 moved epsilon inside the square root (RMSprop, Adagrad) and changed Nadam's
    # momentum schedule: the runtime has Keras 1's update rules, with Keras 1's defaults.
    optimizer("RMSprop", "0.001", RT),
    optimizer("Adagrad", "0.01", RT),
    optimizer("Nadam", "0.002", RT),
]
# compile(optimizer='adam') meant Keras 1's Adam with Keras 1's defaults.
BY_STRING = {r.name.lower(): r.keras1 for r in RULES}
