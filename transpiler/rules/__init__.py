"""The rule tables: what each Keras 1 callable becomes (see spec.py for the vocabulary)."""
from __future__ import annotations

from k1port.rules import (applications, backend, callbacks, convolutional, core, custom_layers, layer_nodes,
                          layers_other, merge, models, optimizers, preprocessing, recurrent, regularizers,
                          scikit_learn, utils)
from k1port.rules.spec import Rule

_FAMILIES = (core, convolutional, recurrent, layers_other, merge, models, optimizers, regularizers,
             backend, utils, preprocessing, callbacks, applications, scikit_learn, custom_layers)
RULES: dict[str, Rule] = {r.keras1: r for m in _FAMILIES for r in m.RULES}
# Methods by name: Keras 1 method -> rule (receiver types are not known statically).
METHODS: dict[str, Rule] = {r.keras1.rsplit(".", 1)[1]: r
                            for r in (*models.METHODS, *layer_nodes.METHODS, *custom_layers.METHODS)}


def home(keras1: str) -> str | None:
    """The Keras 3 path a Keras 1 name keeps when a reference to it is simply renamed."""
    rule = RULES.get(keras1)
    if rule is None or rule.custom is not None:
        return None
    return rule.target
