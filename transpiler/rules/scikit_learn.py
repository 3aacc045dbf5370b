"""keras.wrappers.scikit_learn: KerasClassifier and KerasRegressor."""
from __future__ import annotations

from k1port.rules.spec import Rule

RULES: list[Rule] = []
