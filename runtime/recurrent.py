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

__all__ = ["Recurrent", "SimpleRNN", "GRU", "LSTM"]


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


def _dense_over_time(x, w, b):
    """x . w + b for every time step of x (Keras 1's time_distributed_dense)."""
    return ops.einsum("bti,io->bto", x, w) + b


class _Keras1RNN(Recurrent):
    """Keras 1.2.2's own recurrent layers with their internals, for classes that subclass them
    to override ``build`` or ``step`` (attention LSTMs and the like). Plain ``LSTM(...)`` calls
    convert to Keras 3's layers instead; these exist for code that reaches into Keras 1's:

    - weights: per gate ``W_<g>, U_<g>, b_<g>`` (``consume_less`` 'cpu'/'mem'), or ``W, U, b``
      ('gpu', and SimpleRNN), created in Keras 1's order so Keras 1 weight files load as they
      are; ``W``/``U``/``b`` also read the per-gate ones concatenated (Keras 1 concatenated them
      once, symbolically; here on each use, so they follow training);
    - ``states`` then ``get_constants``'s dropout masks ``B_U``, ``B_W`` (one per gate) passed
      to ``step(x, states)``; 'cpu' projects the inputs in ``preprocess_input``.

    As in Keras 1.2.2, LSTM and GRU with 'cpu'/'mem' draw ``U_<g>`` with ``init`` and
    penalise them with ``W_regularizer``.
    """

    GATES = ""  # per-gate suffixes, in Keras 1's weight order
    ORDER = ""  # the gates' order in the concatenated W, U, b and the preprocessed input
    STATES = 1

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal", activation="tanh",
                 inner_activation="hard_sigmoid", W_regularizer=None, U_regularizer=None,
                 b_regularizer=None, dropout_W=0.0, dropout_U=0.0, **kwargs):
        from k1port.runtime import activations, initializations, regularizers

        keras1 = {"init": init, "inner_init": inner_init, "activation": activation,
                  "inner_activation": inner_activation, "dropout_W": dropout_W, "dropout_U": dropout_U}
        self._keras1_args = {**getattr(self, "_keras1_args", {}), **keras1}
        self.output_dim = output_dim
        self.init = initializations.get(init)
        self.inner_init = initializations.get(inner_init)
        self.activation = keras.activations.get(activations.activation(activation))
        self.inner_activation = keras.activations.get(activations.activation(inner_activation))
        self.W_regularizer = regularizers.get(W_regularizer)
        self.U_regularizer = regularizers.get(U_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.dropout_W, self.dropout_U = dropout_W, dropout_U
        super().__init__(**kwargs)

    def _weight(self, name, shape, initializer, regularizer):
        return self.add_weight(shape=shape, initializer=initializer, regularizer=regularizer,
                               name=f"{self.name}_{name}")

    def _bias_initializer(self, gate):
        return "zeros"

    def build(self, input_shape):
        self.input_dim = input_shape[2]
        self.states = [None] * self.STATES
        n, d, g = self.output_dim, self.input_dim, max(len(self.GATES), 1)
        if self.consume_less == "gpu" or not self.GATES:
            self._W = self._weight("W", (d, g * n), self.init, self.W_regularizer)
            self._U = self._weight("U", (n, g * n), self.inner_init, self.U_regularizer)
            self._b = self._weight("b", (g * n,), _GateBias([self._bias_initializer(x) for x in self.ORDER] or
                                                            ["zeros"], n), self.b_regularizer)
        else:
            for gate in self.GATES:
                setattr(self, f"W_{gate}", self._weight(f"W_{gate}", (d, n), self.init, self.W_regularizer))
                setattr(self, f"U_{gate}", self._weight(f"U_{gate}", (n, n), self.init, self.W_regularizer))
                setattr(self, f"b_{gate}", self._weight(f"b_{gate}", (n,), self._bias_initializer(gate),
                                                        self.b_regularizer))
        self.built = True

    def _fused(self, kind):
        if self.consume_less == "gpu" or not self.GATES:
            return getattr(self, f"_{kind}")
        return ops.concatenate([getattr(self, f"{kind}_{g}") for g in self.ORDER], axis=-1)

    W = property(lambda self: self._fused("W"))
    U = property(lambda self: self._fused("U"))
    b = property(lambda self: self._fused("b"))

    def preprocess_input(self, x):
        if self.consume_less != "cpu":
            return x
        if 0 < self.dropout_W < 1:
            from k1port.runtime.layer_protocol import in_train_phase

            mask = keras.random.dropout(ops.ones_like(x[:, 0, :]), self.dropout_W)
            x = in_train_phase(lambda: x * ops.expand_dims(mask, 1), x)
        if not self.GATES:
            return _dense_over_time(x, self.W, self.b)
        return ops.concatenate([_dense_over_time(x, getattr(self, f"W_{g}"), getattr(self, f"b_{g}"))
                                for g in self.ORDER], axis=-1)

    def get_constants(self, x):
        """[B_U, B_W]: dropout masks (Keras 1 passed 1.0 where there was no dropout), one per
        gate (a single one for SimpleRNN)."""
        from k1port.runtime.layer_protocol import in_train_phase

        def masks(rate, width):
            count = len(self.GATES) or 1
            if not 0 < rate < 1:
                return [1.0] * count if self.GATES else 1.0
            ones = ops.ones((ops.shape(x)[0], width), dtype=x.dtype)
            made = [in_train_phase(lambda: keras.random.dropout(ones, rate), ones) for _ in range(count)]
            return made if self.GATES else made[0]

        return [masks(self.dropout_U, self.output_dim), masks(self.dropout_W, x.shape[-1])]

    def _inputs(self, x, B_W):
        """Each gate's input projection for this step, in ORDER."""
        n = self.output_dim
        if self.consume_less == "cpu":
            return [x[:, k * n:(k + 1) * n] for k in range(len(self.ORDER))]
        return [ops.dot(x * B_W[k], getattr(self, f"W_{g}")) + getattr(self, f"b_{g}")
                for k, g in enumerate(self.ORDER)]

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim, **self._keras1_args}


@keras.saving.register_keras_serializable(package="k1port")
class SimpleRNN(_Keras1RNN):
    """Keras 1.2.2's SimpleRNN and its internals (``W``, ``U``, ``b``; see :class:`_Keras1RNN`)."""

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal", activation="tanh",
                 W_regularizer=None, U_regularizer=None, b_regularizer=None, dropout_W=0.0, dropout_U=0.0,
                 **kwargs):  # Keras 1's order: no inner_activation
        super().__init__(output_dim, init=init, inner_init=inner_init, activation=activation,
                         W_regularizer=W_regularizer, U_regularizer=U_regularizer, b_regularizer=b_regularizer,
                         dropout_W=dropout_W, dropout_U=dropout_U, **kwargs)

    def step(self, x, states):
        prev_output, B_U, B_W = states[0], states[1], states[2]
        h = x if self.consume_less == "cpu" else ops.dot(x * B_W, self.W) + self.b
        output = self.activation(h + ops.dot(prev_output * B_U, self.U))
        return output, [output]


@keras.saving.register_keras_serializable(package="k1port")
class GRU(_Keras1RNN):
    """Keras 1.2.2's GRU and its internals (gates z, r, h; the reset gate applied before the
    recurrent matmul; see :class:`_Keras1RNN`)."""

    GATES = ORDER = "zrh"

    def step(self, x, states):
        h_tm1, B_U, B_W = states[0], states[1], states[2]
        n = self.output_dim
        if self.consume_less == "gpu":
            matrix_x = ops.dot(x * B_W[0], self.W) + self.b
            inner = ops.dot(h_tm1 * B_U[0], self.U[:, :2 * n])
            z = self.inner_activation(matrix_x[:, :n] + inner[:, :n])
            r = self.inner_activation(matrix_x[:, n:2 * n] + inner[:, n:])
            hh = self.activation(matrix_x[:, 2 * n:] + ops.dot(r * h_tm1 * B_U[0], self.U[:, 2 * n:]))
        else:
            x_z, x_r, x_h = self._inputs(x, B_W)
            z = self.inner_activation(x_z + ops.dot(h_tm1 * B_U[0], self.U_z))
            r = self.inner_activation(x_r + ops.dot(h_tm1 * B_U[1], self.U_r))
            hh = self.activation(x_h + ops.dot(r * h_tm1 * B_U[2], self.U_h))
        h = z * h_tm1 + (1 - z) * hh
        return h, [h]


@keras.saving.register_keras_serializable(package="k1port")
class LSTM(_Keras1RNN):
    """Keras 1.2.2's LSTM and its internals (gates i, c, f, o created in that order, used in
    the order i, f, c, o; states [h, c]; see :class:`_Keras1RNN`)."""

    GATES, ORDER, STATES = "icfo", "ifco", 2

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal", forget_bias_init="one",
                 activation="tanh", inner_activation="hard_sigmoid", W_regularizer=None, U_regularizer=None,
                 b_regularizer=None, dropout_W=0.0, dropout_U=0.0, **kwargs):  # Keras 1's order
        from k1port.runtime import initializations

        self._keras1_args = {"forget_bias_init": forget_bias_init}
        self.forget_bias_init = initializations.get(forget_bias_init)
        super().__init__(output_dim, init=init, inner_init=inner_init, activation=activation,
                         inner_activation=inner_activation, W_regularizer=W_regularizer,
                         U_regularizer=U_regularizer, b_regularizer=b_regularizer, dropout_W=dropout_W,
                         dropout_U=dropout_U, **kwargs)

    def _bias_initializer(self, gate):
        return self.forget_bias_init if gate == "f" else "zeros"

    def step(self, x, states):
        h_tm1, c_tm1, B_U, B_W = states[0], states[1], states[2], states[3]
        n = self.output_dim
        if self.consume_less == "gpu":
            z = ops.dot(x * B_W[0], self.W) + ops.dot(h_tm1 * B_U[0], self.U) + self.b
            i, f = self.inner_activation(z[:, :n]), self.inner_activation(z[:, n:2 * n])
            c = f * c_tm1 + i * self.activation(z[:, 2 * n:3 * n])
            o = self.inner_activation(z[:, 3 * n:])
        else:
            x_i, x_f, x_c, x_o = self._inputs(x, B_W)
            i = self.inner_activation(x_i + ops.dot(h_tm1 * B_U[0], self.U_i))
            f = self.inner_activation(x_f + ops.dot(h_tm1 * B_U[1], self.U_f))
            c = f * c_tm1 + i * self.activation(x_c + ops.dot(h_tm1 * B_U[2], self.U_c))
            o = self.inner_activation(x_o + ops.dot(h_tm1 * B_U[3], self.U_o))
        h = o * self.activation(c)
        return h, [h, c]


@keras.saving.register_keras_serializable(package="k1port")
class _GateBias(keras.initializers.Initializer):
    """A fused bias of one block per gate, each from its own initializer ('gpu' LSTM: the
    forget gate's block from forget_bias_init, the others zeros)."""

    def __init__(self, blocks, units):
        self.blocks, self.units = [keras.initializers.get(b) for b in blocks], units

    def __call__(self, shape, dtype=None):
        return ops.concatenate([block((self.units,), dtype=dtype) for block in self.blocks])

    def get_config(self):
        return {"blocks": [keras.initializers.serialize(b) for b in self.blocks], "units": self.units}
