"""keras.callbacks."""
from __future__ import annotations

from k1port.rules.spec import Rule, rename

# Callbacks whose Keras 3 namesakes take the same arguments (ModelCheckpoint, whose file names
# and `period` changed, is left to the whole-script conversion and reported).
_CB = "keras.callbacks."
RULES = [
    *[Rule(_CB + n, _CB + n, family="callbacks") for n in ("Callback", "EarlyStopping", "CSVLogger",
                                                             "LearningRateScheduler", "History")],
    Rule(_CB + "ReduceLROnPlateau", _CB + "ReduceLROnPlateau", {"epsilon": rename("min_delta")},
         family="callbacks"),
    Rule(_CB + "LambdaCallback", _CB + "LambdaCallback",
         {"on_batch_begin": rename("on_train_batch_begin"), "on_batch_end": rename("on_train_batch_end")},
         family="callbacks"),
]
