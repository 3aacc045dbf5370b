"""Keras 1 metrics that Keras 2 removed (batch-wise precision, recall, F-scores, Matthews
correlation) or that Keras 3 computes otherwise (hinge metrics relabel 0/1 targets).

Keras 1 computed these per batch and averaged the batch values over an epoch; Keras 3 does
the same with a plain function metric, so these are plain functions.
"""
from __future__ import annotations

import keras
from keras import ops

from k1port.runtime.losses import cosine_proximity, hinge, squared_hinge  # noqa: F401 (metrics too)

_register = keras.saving.register_keras_serializable(package="k1port")


def _positives(y):
    return ops.round(ops.clip(y, 0.0, 1.0))


@_register
def precision(y_true, y_pred):
    """Batch-wise precision: round(clip(y_true * y_pred)) over round(clip(y_pred))."""
    y_true = ops.cast(y_true, y_pred.dtype)
    true_positives = ops.sum(_positives(y_true * y_pred))
    return true_positives / (ops.sum(_positives(y_pred)) + keras.config.epsilon())


@_register
def recall(y_true, y_pred):
    """Batch-wise recall: round(clip(y_true * y_pred)) over round(clip(y_true))."""
    y_true = ops.cast(y_true, y_pred.dtype)
    true_positives = ops.sum(_positives(y_true * y_pred))
    return true_positives / (ops.sum(_positives(y_true)) + keras.config.epsilon())


@_register
def fbeta_score(y_true, y_pred, beta=1):
    """Batch-wise F-beta of precision and recall. (Keras 1's early `return 0` for batches
    without positives compared a symbolic tensor with `==`, which was never true.)"""
    if beta < 0:
        raise ValueError("The lowest choosable beta is zero (only precision).")
    p, r = precision(y_true, y_pred), recall(y_true, y_pred)
    bb = beta ** 2
    return (1 + bb) * (p * r) / (bb * p + r + keras.config.epsilon())


@_register
def fmeasure(y_true, y_pred):
    """F1 score, batch-wise (Keras 1's fmeasure, alias fscore and f1score)."""
    return fbeta_score(y_true, y_pred, beta=1)


@_register
def matthews_correlation(y_true, y_pred):
    """Batch-wise Matthews correlation of rounded, clipped predictions."""
    y_true = ops.cast(y_true, y_pred.dtype)
    pred_pos, pos = _positives(y_pred), _positives(y_true)
    pred_neg, neg = 1 - pred_pos, 1 - pos
    tp, tn = ops.sum(pos * pred_pos), ops.sum(neg * pred_neg)
    fp, fn = ops.sum(neg * pred_pos), ops.sum(pos * pred_neg)
    denominator = ops.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / (denominator + keras.config.epsilon())
