"""What Keras 1.2.2 was: its modules, exported names and signatures.

The data lives in `api.py`, generated from the real Keras 1.2.2 by
tests/oracle/introspect_keras1.py. This module gives it a small query interface.
"""
from __future__ import annotations

from functools import lru_cache

from k1port.keras1.api import EXPORTS, KINDS, SIGNATURES
from k1port.signature import Signature

MODULE = "module:"


def is_module(name: str) -> bool:
    return name in EXPORTS


def member(module: str, name: str) -> str | None:
    """What `module.name` is: 'module:<qualified>' for a submodule, else a canonical name."""
    found = EXPORTS.get(module, {}).get(name)
    if found is None and f"{module}.{name}" in EXPORTS:  # keras.preprocessing's __init__ is empty
        return MODULE + f"{module}.{name}"
    return found


@lru_cache(maxsize=None)
def signature(canonical: str) -> Signature | None:
    entry = SIGNATURES.get(canonical)
    return Signature.from_table(entry) if entry else None


def kind(canonical: str) -> str | None:
    return KINDS.get(canonical)
