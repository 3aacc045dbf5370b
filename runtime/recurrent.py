"""Keras 1's ``Recurrent`` base class, for recurrent layers written against it.

A Keras 1 recurrent layer subclassed ``Recurrent`` and wrote ``build`` (its weights, and
``self.states = [None, ...]``, one entry per state), ``step(x, states)`` (one time step:
``states`` are the previous states followed by ``get_constants``'s values; returns the output
and the new states) and ``output_dim``; optionally ``get_initial_states(x)``,
``preprocess_input(x)`` (computed once on the whole sequence, before the loop),
``get_constants(x)`` and ``reset_states()``. Keras 3 has no such base (its RNN layer takes a
cell object instead), so this class runs that protocol on Keras 3's backend loop
(``keras.src.backend.rnn``, the one ``keras.layers.RNN`` uses) with Keras 1's arguments:
``return_sequences``, ``go_backwards``, ``stateful``, ``unroll``, ``consume_less`` (kept for
subclasses that read it), ``input_dim``/``input_length``, masks (a masked step keeps the
previous output and states, as in Keras 1).
"""
from __future__ import annotations

import keras
from keras import ops

__all__ = ["Recurrent"]


@keras.saving.register_keras_serializable(package="k1port")
class Recurrent(keras.layers.Layer):
    """See the module docstring. Subclasses define ``build``, ``step`` and ``output_dim``."""

    def __init__(self, weights=None, return_sequences=False, go_backwards=False, stateful=False,
                 unroll=False, consume_less="cpu", input_dim=None, input_length=None, **kwargs):
        if input_dim:
            kwargs["input_shape"] = (input_length, input_dim)
        super().__init__(**kwargs)
        self.return_sequences = return_sequences
        self.initial_weights = weights
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.consume_less = consume_less
        self.input_dim = input_dim
        self.input_length = input_length
        self.supports_masking = True
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def compute_output_shape(self, input_shape):
        if self.return_sequences:
            return (input_shape[0], input_shape[1], self.output_dim)
        return (input_shape[0], self.output_dim)

    def compute_mask(self, inputs, mask=None):
        return mask if self.return_sequences else None

    def step(self, x, states):
        raise NotImplementedError(f"{type(self).__name__} must define step(x, states)")

    def get_constants(self, x):
        return []

    def get_initial_states(self, x):
        """Zeros of shape (samples, output_dim), one per entry of ``self.states``."""
        zeros = ops.zeros((ops.shape(x)[0], self.output_dim), dtype=x.dtype)
        return [zeros for _ in range(len(self.states))]

    def preprocess_input(self, x):
        return x

    def call(self, x, mask=None):
        from keras.src.backend import rnn

        if self.unroll and x.shape[1] is None:
            raise ValueError("Cannot unroll a RNN if the time dimension is undefined: give the input "
                             "a fixed number of time steps")
        initial_states = list(self.states) if self.stateful else self.get_initial_states(x)
        constants = self.get_constants(x)
        if mask is not None:
            mask = ops.cast(mask, "bool")
        last_output, outputs, states = rnn(
            lambda inputs, step_states: self.step(inputs, list(step_states)),
            self.preprocess_input(x), initial_states, go_backwards=self.go_backwards, mask=mask,
            constants=constants, unroll=self.unroll, input_length=x.shape[1])
        if self.stateful:
            for variable, value in zip(self.states, states):
                variable.assign(value)
        return outputs if self.return_sequences else last_output

    def get_config(self):
        config = {"return_sequences": self.return_sequences, "go_backwards": self.go_backwards,
                  "stateful": self.stateful, "unroll": self.unroll, "consume_less": self.consume_less,
                  "input_dim": self.input_dim, "input_length": self.input_length}
        return {**super().get_config(), **config}
