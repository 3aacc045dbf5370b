"""keras.optimizers: `lr` is `learning_rate`, `decay` is an InverseTimeDecay schedule.

Keras 1 decayed the rate as lr / (1 + decay * iterations), which is exactly
keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay); Keras 3
silently ignores `decay=`. Keras 1's `clipnorm` clipped by the global norm of all gradients
(Keras 3: `global_clipnorm`; its `clipnorm` clips each gradient by its own norm).
"""
from __future__ import annotations

from k1port.findings import Level
import libcst as cst

from k1port.rules import values as v
from k1port.rules.spec import Arg, Fold, Rule, Unsupported, rename

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


def _warn(message: str):
    def convert(node, ctx):
        ctx.report(Level.WARNING, "optimizer-differs", message)
        return node

    return convert


EPSILON_INSIDE = ("Keras 3 adds epsilon inside the square root (Keras 1: after it); updates differ "
                  "slightly")


def optimizer(name: str, default_lr: str, extra: dict[str, Arg] | None = None, warn: str = "") -> Rule:
    args = {"clipnorm": rename("global_clipnorm"), **(extra or {})}
    rule_implied = {}
    if name == "Adagrad":  # Keras 1 started the accumulator at 0 (Keras 3: 0.1)
        rule_implied["initial_accumulator_value"] = "0.0"
    folds = (Fold(("lr", "decay"), "learning_rate", _learning_rate(default_lr)),)
    if warn:
        args["epsilon"] = rename("epsilon", _warn(warn))
    return Rule(K1 + name, K3 + name, args, folds=folds, implied=rule_implied, family=F)


def _schedule_decay(node, ctx):
    if isinstance(node, cst.Float) and float(node.evaluated_value) == 0.004:
        return None
    raise Unsupported("Keras 3's Nadam has a fixed momentum schedule")


RULES = [
    optimizer("SGD", "0.01"),
    optimizer("RMSprop", "0.001", warn=EPSILON_INSIDE),
    optimizer("Adagrad", "0.01", warn=EPSILON_INSIDE),
    optimizer("Adadelta", "1.0"),  # Keras 1 already added epsilon inside both square roots
    optimizer("Adam", "0.001"),
    optimizer("Adamax", "0.002"),
    optimizer("Nadam", "0.002", {"schedule_decay": Arg("schedule_decay", _schedule_decay)},
              warn="Keras 3's Nadam momentum schedule is 0.96**t where Keras 1's was 0.96**(0.004 t)"),
]
# compile(optimizer='adam') meant Keras 1's Adam with Keras 1's defaults.
BY_STRING = {r.name.lower(): r.keras1 for r in RULES}
