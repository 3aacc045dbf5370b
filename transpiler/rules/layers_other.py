"""Normalization, embeddings, noise, advanced activations, wrappers, local layers."""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.common import input_fold, layer
from k1port.rules.spec import Arg, rename


def _bn_mode(node, ctx):
    """mode 0 (feature-wise) is Keras 3's only mode; 1 (sample-wise) and 2 (batch statistics
    also at test time) need the runtime's BatchNormalization."""
    if isinstance(node, cst.Integer) and node.evaluated_value == 0:
        return None
    return node


RT = "k1port.runtime."
# Layers Keras 2 removed: the runtime's versions take Keras 1's arguments as they are.
KEEP_WEIGHTS = {"weights": rename("weights")}


def _theano_backend(ctx):
    return v.literal_string("theano") if ctx.converter.keras1_backend == "theano" else None


def _dim_ordering(ctx):
    return v.literal_string(ctx.dim_ordering)


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
    }, family="normalization",
        variant=lambda keywords, ctx: RT + "BatchNormalization" if "mode" in keywords else None),
    layer("Embedding", args={
        "init": rename("embeddings_initializer", v.initializer),
        "W_regularizer": rename("embeddings_regularizer"),
        "W_constraint": rename("embeddings_constraint"),
        # Keras 3's Embedding takes initial weights (same layout as Keras 1).
        "weights": rename("weights"),
        "dropout": Arg("dropout", _word_dropout),
    }, folds=(input_fold("input_length"),), family="embeddings",
        variant=lambda keywords, ctx: "k1port.runtime.Embedding" if "dropout" in keywords else None),
    layer("GaussianNoise", args={"sigma": rename("stddev")}, family="noise"),
    layer("GaussianDropout", args={"p": rename("rate")}, family="noise"),
    layer("LeakyReLU", args={"alpha": rename("negative_slope")}, family="advanced_activations"),
    layer("PReLU", args={"init": rename("alpha_initializer", v.initializer)}, family="advanced_activations"),
    layer("ELU", family="advanced_activations"),
    # x if x > theta else 0; Keras 3's ReLU(threshold=) differs only at x == theta exactly.
    layer("ThresholdedReLU", "ReLU", args={"theta": rename("threshold")}, family="advanced_activations"),
    layer("ParametricSoftplus", RT + "ParametricSoftplus", KEEP_WEIGHTS, family="advanced_activations"),
    # Theano's SReLU capped the left side at t_right even for negative a_left; TensorFlow's did not.
    layer("SReLU", RT + "SReLU", KEEP_WEIGHTS, state={"keras1_backend": _theano_backend},
          family="advanced_activations"),
    layer("Bidirectional", family="wrappers"),
    layer("LocallyConnected1D", RT + "LocallyConnected1D", KEEP_WEIGHTS, family="local"),
    layer("LocallyConnected2D", RT + "LocallyConnected2D", KEEP_WEIGHTS, state={"dim_ordering": _dim_ordering},
          family="local"),
]
