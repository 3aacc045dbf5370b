"""Normalization, embeddings, noise, advanced activations, wrappers, local layers."""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.common import input_fold, layer
from k1port.rules.spec import Arg, Unsupported, rename


def _bn_mode(node, ctx):
    if isinstance(node, cst.Integer) and node.evaluated_value == 0:
        return None  # mode 0, feature-wise normalisation, is Keras 3's only mode
    raise Unsupported("BatchNormalization mode 1 and 2 (per-sample / batch statistics at test "
                      "time) have no Keras 3 equivalent")


def _word_dropout(node, ctx):
    """Embedding(dropout=p) dropped whole words (k1.Embedding); 0, the default, is nothing."""
    if isinstance(node, (cst.Integer, cst.Float)) and float(node.evaluated_value) == 0:
        return None
    return node


RULES = [
    layer("BatchNormalization", args={
        "mode": Arg("mode", _bn_mode),
        "beta_init": rename("beta_initializer", v.initializer),
        "gamma_init": rename("gamma_initializer", v.initializer),
    }, family="normalization"),
    layer("Embedding", args={
        "init": rename("embeddings_initializer", v.initializer),
        "W_regularizer": rename("embeddings_regularizer"),
        "W_constraint": rename("embeddings_constraint"),
        # Keras 3's Embedding takes initial weights (same layout as Keras 1).
        "weights": rename("weights"),
        "dropout": Arg("dropout", _word_dropout),
    }, folds=(input_fold("input_length"),), family="embeddings",
        variant=lambda keywords: "k1port.runtime.Embedding" if "dropout" in keywords else None),
    layer("GaussianNoise", args={"sigma": rename("stddev")}, family="noise"),
    layer("GaussianDropout", args={"p": rename("rate")}, family="noise"),
    layer("LeakyReLU", args={"alpha": rename("negative_slope")}, family="advanced_activations"),
    layer("PReLU", args={"init": rename("alpha_initializer", v.initializer)}, family="advanced_activations"),
    layer("ELU", family="advanced_activations"),
    # x if x > theta else 0; Keras 3's ReLU(threshold=) differs only at x == theta exactly.
    layer("ThresholdedReLU", "ReLU", args={"theta": rename("threshold")}, family="advanced_activations"),
    layer("ParametricSoftplus", None, family="advanced_activations", note="removed in Keras 2"),
    layer("SReLU", None, family="advanced_activations", note="removed in Keras 2"),
    layer("Bidirectional", family="wrappers"),
    layer("LocallyConnected1D", None, family="local", note="Keras 3 has no LocallyConnected1D"),
    layer("LocallyConnected2D", None, family="local", note="Keras 3 has no LocallyConnected2D"),
]
