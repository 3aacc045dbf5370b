"""Keras 1's ``constraints.get``: its names ('maxnorm', 'nonneg', 'unitnorm') with Keras 1's
defaults, as Keras 3 constraints (whose names are 'max_norm', 'non_neg', 'unit_norm')."""
from __future__ import annotations

import keras

_KERAS1_NAMES = {"maxnorm": keras.constraints.MaxNorm, "nonneg": keras.constraints.NonNeg,
                 "unitnorm": keras.constraints.UnitNorm}


def get(identifier):
    if isinstance(identifier, str) and identifier in _KERAS1_NAMES:
        return _KERAS1_NAMES[identifier]()
    return keras.constraints.get(identifier)


__all__ = ["get"]
