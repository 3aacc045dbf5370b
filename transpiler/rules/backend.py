"""keras.backend (the first few; the rest of K.* is reported as not converted)."""
from __future__ import annotations

from k1port.rules.spec import Rule, rename

RT = "k1port.runtime."
RULES = [
    # Keras 1's global 'th'/'tf' setting: converted layers state their data_format, so the
    # runtime only remembers the value for code that asks K.image_dim_ordering().
    Rule("keras.backend.image_dim_ordering", RT + "image_dim_ordering", family="backend"),
    Rule("keras.backend.set_image_dim_ordering", RT + "set_image_dim_ordering", family="backend"),
]

UTILS = [
    # Keras 1 returned float64 one-hot rows; Keras 3 returns float32 (same values).
    Rule("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical",
         {"nb_classes": rename("num_classes")}, family="utils"),
]
RULES += UTILS
