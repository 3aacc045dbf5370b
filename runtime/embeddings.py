"""Keras 1's Embedding(dropout=p): drops whole words, which Keras 3's Embedding cannot."""
from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="k1port")
class Embedding(keras.layers.Embedding):
    """keras.layers.Embedding plus Keras 1's `dropout`: in training, each row of the embedding
    matrix (a word) is dropped with probability `dropout` for the whole batch, and the kept
    rows are scaled by 1 / (1 - dropout)."""

    def __init__(self, *args, dropout=0.0, seed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropout, self.seed = dropout, seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        outputs = super().call(inputs)
        if not training or not self.dropout:
            return outputs
        keep = 1.0 - self.dropout
        rows = ops.cast(keras.random.uniform((self.input_dim,), seed=self.seed_generator) < keep,
                        outputs.dtype) / keep
        indices = inputs if inputs.dtype in ("int32", "int64") else ops.cast(inputs, "int32")
        return outputs * ops.expand_dims(ops.take(rows, indices, axis=0), -1)

    def get_config(self):
        return {**super().get_config(), "dropout": self.dropout, "seed": self.seed}
