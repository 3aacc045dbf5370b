"""Is a file Keras 1 code, or already Keras 3? (Many names, such as Dense, are in both.)

Keras 1 evidence: a Keras-1-only keyword (nb_epoch=, border_mode=, output_dim=, ...) or name
(Convolution2D, merge, ...). Keras 3 evidence: a Keras-3-only keyword (kernel_size=,
units=, epochs=, ...) or k1port.runtime. A file with Keras 3 evidence and no Keras 1
evidence is left alone, which also makes converting converted code a no-op.
"""
from __future__ import annotations

import re
from functools import lru_cache

from k1port import keras1
from k1port.keras1.api import EXPORTS
from k1port.rules import METHODS, RULES
from k1port.targets import keras as keras3


@lru_cache(maxsize=None)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    k1_keywords: set[str] = set()
    k3_keywords: set[str] = set()
    all_k1: set[str] = set()
    for rule in (*RULES.values(), *METHODS.values()):
        k1 = keras1.signature(rule.keras1)
        k3 = keras3.signature(rule.target) if rule.target else None
        if k1 is None:
            continue
        names = {*k1.params, *k1.kwargs}
        all_k1 |= names
        if k3 is not None:
            k1_keywords |= {n for n in names if not k3.accepts(n)}
            k3_keywords |= {*k3.params, *k3.keyword_only}
    k3_keywords -= all_k1
    k1_names = {name for rule in RULES.values()
                for name, canonical in _exports_of(rule.keras1)
                if rule.target is None or rule.target.rsplit(".", 1)[1] != name}
    # A keyword argument follows "(" or ","; an assignment statement `y = ...` does not.
    k1 = r"[(,]\s*(?:%s)\s*=(?!=)|\b(?:%s)\b" % ("|".join(sorted(k1_keywords)), "|".join(sorted(k1_names)))
    k3 = r"[(,]\s*(?:%s)\s*=(?!=)|\bk1port\.runtime\b" % "|".join(sorted(k3_keywords))
    return re.compile(k1), re.compile(k3)


def _exports_of(canonical: str):
    for names in EXPORTS.values():
        for name, value in names.items():
            if value == canonical:
                yield name, value


def looks_like_keras3(text: str) -> bool:
    k1, k3 = _patterns()
    return k1.search(text) is None and k3.search(text) is not None
