"""keras.wrappers.scikit_learn: KerasClassifier and KerasRegressor.

Keras 3 has only keras.wrappers.SKLearnClassifier / SKLearnRegressor, with another contract
(a `model` argument, no sk_params split, other scores): the runtime keeps Keras 1's wrappers.
Their sk_params keep Keras 1's names (`nb_epoch=`), as parameter grids do (dict keys), and the
runtime reads them.
"""
from __future__ import annotations

from k1port.rules.spec import Rule

RULES: list[Rule] = [
    Rule(f"keras.wrappers.scikit_learn.{name}", f"k1port.runtime.{name}", family="scikit_learn")
    for name in ("KerasClassifier", "KerasRegressor")
]
