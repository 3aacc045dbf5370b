"""keras.utils (np_utils, data_utils, generic_utils, ...) and keras.datasets."""
from __future__ import annotations

from k1port.rules.spec import Rule, rename

_DATA = "keras.datasets."
RULES = [
    # Keras 1 returned float64 one-hot rows; Keras 3 returns float32 (same values).
    Rule("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical",
         {"y": rename("x"), "nb_classes": rename("num_classes")}, family="utils"),
    # The cached file names changed (mnist.pkl.gz -> mnist.npz): same data, Keras 3's file.
    *[Rule(f"{_DATA}{d}.load_data", f"{_DATA}{d}.load_data", {"nb_words": rename("num_words")},
           same_defaults=frozenset({"path"}), family="datasets")
      for d in ("mnist", "cifar10", "cifar100", "imdb", "reuters")],
    Rule("keras.utils.data_utils.get_file", "keras.utils.get_file", family="utils"),
    Rule("keras.utils.generic_utils.Progbar", "keras.utils.Progbar", family="utils"),
]
