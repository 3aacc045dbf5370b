"""keras.callbacks.

Keras 3's callbacks that count and name as Keras 1's did keep their names. EarlyStopping
and ReduceLROnPlateau (Keras 1.2.2 waited one epoch more: it compared its counter with
`patience` before counting the epoch; 'auto' meant "maximise names with 'acc'"),
ModelCheckpoint (0-based `{epoch}` in file names, weights and models to any file name) and
BaseLogger (gone from Keras 3) and LearningRateScheduler (Keras 3 logs 'learning_rate')
become the runtime's; a user's `class C(Callback)` derives from
k1.Callback, whose `params` also carry Keras 1's keys (nb_epoch, nb_sample, metrics, ...).
"""
from __future__ import annotations

from k1port.rules import values as v
from k1port.rules.spec import Rule, rename

F = "callbacks"
_CB = "keras.callbacks."
RT = "k1port.runtime."
# Keras 1 posted form data under JSON headers by default; Keras 3's default sends none.
_HEADERS = "{'Accept': 'application/json', 'Content-Type': 'application/json'}"


def _headers(node, ctx):
    return v.expr(_HEADERS) if v.is_none(node) else node


RULES = [
    *[Rule(_CB + n, _CB + n, family=F) for n in ("CSVLogger", "History", "ProgbarLogger")],
    Rule(_CB + "Callback", _CB + "Callback", subclass=RT + "Callback", family=F,
         note="`k1.Callback` where code subclasses it: Keras 1's `params` keys and batch logs"),
    *[Rule(_CB + n, RT + n, family=F) for n in ("EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint",
                                               "BaseLogger", "LearningRateScheduler")],
    # Keras 1.2.2's TensorBoard wrote to './logs' (Keras 3: 'logs', the same folder).
    Rule(_CB + "TensorBoard", _CB + "TensorBoard", same_defaults=frozenset({"log_dir"}), family=F),
    Rule(_CB + "RemoteMonitor", _CB + "RemoteMonitor", {"headers": rename("headers", _headers)},
         state={"headers": lambda ctx: v.expr(_HEADERS)}, family=F),
    Rule(_CB + "LambdaCallback", _CB + "LambdaCallback",
         {"on_batch_begin": rename("on_train_batch_begin"), "on_batch_end": rename("on_train_batch_end")},
         family=F),
]
