"""Every rule of the layer-level families has a case in tests/layers: a new rule without a
semantic test fails here."""
from __future__ import annotations

import re
from pathlib import Path

from k1port.rules import RULES

FAMILIES = {"core", "wrappers", "convolutional", "pooling", "recurrent", "normalization", "embeddings",
            "noise", "advanced_activations", "local", "merge", "optimizers", "regularizers", "constraints",
            "activations"}
MODELS = {"Input", "InputLayer"}  # the rest of the models family is another suite's


def _sources() -> str:
    here = Path(__file__).parent
    return "\n".join(p.read_text() for p in sorted(here.glob("test_k1_*.py")) if p.name != Path(__file__).name)


def test_every_layer_rule_has_a_case():
    text = _sources()
    missing = []
    for rule in RULES.values():
        if rule.family not in FAMILIES and not (rule.family == "models" and rule.name in MODELS):
            continue
        if rule.family == "activations":
            # Activation-function-<name> cases are generated from K1_ACT; hard_sigmoid is also
            # passed directly as an object.
            from k1layers_harness import K1_ACT

            if rule.name not in K1_ACT:
                missing.append(rule.keras1)
            continue
        if not re.search(rf"\b{re.escape(rule.name)}\(", text):
            missing.append(rule.keras1)
    assert not missing, f"rules without a case in tests/layers: {missing}"
