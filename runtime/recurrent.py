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

__all__ = ["Recurrent", "LSTM"]


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
    """x . w + b for every time step of x (Keras 1's time_distributed_dense, no dropout)."""
    return ops.einsum("bti,io->bto", x, w) + b


@keras.saving.register_keras_serializable(package="k1port")
class LSTM(Recurrent):
    """Keras 1.2.2's LSTM with its own internals, for classes that subclass it to override
    ``build`` or ``step`` (attention LSTMs): the per-gate weights ``W_i, U_i, b_i, ...``
    (``consume_less`` 'cpu'/'mem') or ``W, U, b`` ('gpu'), ``states = [h, c]``,
    ``get_constants``'s dropout masks ``[B_U, B_W]`` (four each) after the states, and
    ``step(x, states)`` as Keras 1 wrote them. Plain ``LSTM(...)`` calls convert to Keras 3's
    LSTM instead; this class exists for code that reaches into Keras 1's internals.

    As in Keras 1.2.2, 'cpu'/'mem' draw the ``U_*`` matrices with ``init`` and penalise them
    with ``W_regularizer``. Weights are created in Keras 1's order (i, c, f, o), so Keras 1
    weight files load as they are.
    """

    def __init__(self, output_dim, init="glorot_uniform", inner_init="orthogonal", forget_bias_init="one",
                 activation="tanh", inner_activation="hard_sigmoid", W_regularizer=None, U_regularizer=None,
                 b_regularizer=None, dropout_W=0.0, dropout_U=0.0, **kwargs):
        from k1port.runtime import activations, initializations, regularizers

        self.output_dim = output_dim
        self.init = initializations.get(init)
        self.inner_init = initializations.get(inner_init)
        self.forget_bias_init = initializations.get(forget_bias_init)
        self.activation = keras.activations.get(activations.activation(activation))
        self.inner_activation = keras.activations.get(activations.activation(inner_activation))
        self.W_regularizer = regularizers.get(W_regularizer)
        self.U_regularizer = regularizers.get(U_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.dropout_W, self.dropout_U = dropout_W, dropout_U
        self._keras1_args = {"init": init, "inner_init": inner_init, "forget_bias_init": forget_bias_init,
                             "activation": activation, "inner_activation": inner_activation,
                             "dropout_W": dropout_W, "dropout_U": dropout_U}
        super().__init__(**kwargs)

    def _weight(self, name, shape, initializer, regularizer):
        return self.add_weight(shape=shape, initializer=initializer, regularizer=regularizer,
                               name=f"{self.name}_{name}")

    def build(self, input_shape):
        self.input_dim = input_shape[2]
        self.states = [None, None]
        n, d = self.output_dim, self.input_dim
        if self.consume_less == "gpu":
            self._W = self._weight("W", (d, 4 * n), self.init, self.W_regularizer)
            self._U = self._weight("U", (n, 4 * n), self.inner_init, self.U_regularizer)
            forget = keras.initializers.Constant(1.0) if self._keras1_args["forget_bias_init"] == "one" else "zeros"
            self._b = self._weight("b", (4 * n,), _GateBias(forget, n), self.b_regularizer)
        else:
            for gate in "icfo":  # Keras 1's trainable_weights order
                setattr(self, f"W_{gate}", self._weight(f"W_{gate}", (d, n), self.init, self.W_regularizer))
                setattr(self, f"U_{gate}", self._weight(f"U_{gate}", (n, n), self.init, self.W_regularizer))
                bias = self.forget_bias_init if gate == "f" else "zeros"
                setattr(self, f"b_{gate}", self._weight(f"b_{gate}", (n,), bias, self.b_regularizer))
        self.built = True

    # Keras 1 concatenated the gates once, symbolically; here on each use, so that they follow
    # the variables as they train.
    @property
    def W(self):
        return self._W if self.consume_less == "gpu" else ops.concatenate(
            [self.W_i, self.W_f, self.W_c, self.W_o], axis=-1)

    @property
    def U(self):
        return self._U if self.consume_less == "gpu" else ops.concatenate(
            [self.U_i, self.U_f, self.U_c, self.U_o], axis=-1)

    @property
    def b(self):
        return self._b if self.consume_less == "gpu" else ops.concatenate(
            [self.b_i, self.b_f, self.b_c, self.b_o], axis=-1)

    def preprocess_input(self, x):
        if self.consume_less != "cpu":
            return x
        if 0 < self.dropout_W < 1:
            from k1port.runtime.layer_protocol import in_train_phase

            ones = ops.ones_like(x[:, 0, :])
            mask = keras.random.dropout(ones, self.dropout_W)
            x = in_train_phase(lambda: x * ops.expand_dims(mask, 1), x)
        return ops.concatenate([_dense_over_time(x, getattr(self, f"W_{g}"), getattr(self, f"b_{g}"))
                                for g in "ifco"], axis=-1)

    def step(self, x, states):
        h_tm1, c_tm1, B_U, B_W = states[0], states[1], states[2], states[3]
        n = self.output_dim
        if self.consume_less == "gpu":
            z = ops.dot(x * B_W[0], self.W) + ops.dot(h_tm1 * B_U[0], self.U) + self.b
            i, f = self.inner_activation(z[:, :n]), self.inner_activation(z[:, n:2 * n])
            c = f * c_tm1 + i * self.activation(z[:, 2 * n:3 * n])
            o = self.inner_activation(z[:, 3 * n:])
        else:
            if self.consume_less == "cpu":
                x_i, x_f, x_c, x_o = x[:, :n], x[:, n:2 * n], x[:, 2 * n:3 * n], x[:, 3 * n:]
            else:  # 'mem'
                x_i, x_f, x_c, x_o = (ops.dot(x * B_W[k], getattr(self, f"W_{g}")) + getattr(self, f"b_{g}")
                                      for k, g in enumerate("ifco"))
            i = self.inner_activation(x_i + ops.dot(h_tm1 * B_U[0], self.U_i))
            f = self.inner_activation(x_f + ops.dot(h_tm1 * B_U[1], self.U_f))
            c = f * c_tm1 + i * self.activation(x_c + ops.dot(h_tm1 * B_U[2], self.U_c))
            o = self.inner_activation(x_o + ops.dot(h_tm1 * B_U[3], self.U_o))
        h = o * self.activation(c)
        return h, [h, c]

    def get_constants(self, x):
        from k1port.runtime.layer_protocol import in_train_phase

        def masks(rate, width):
            if not 0 < rate < 1:
                return [1.0] * 4
            ones = ops.ones((ops.shape(x)[0], width), dtype=x.dtype)
            return [in_train_phase(lambda: keras.random.dropout(ones, rate), ones) for _ in range(4)]

        return [masks(self.dropout_U, self.output_dim), masks(self.dropout_W, x.shape[-1])]

    def get_config(self):
        return {**super().get_config(), "output_dim": self.output_dim, **self._keras1_args}


@keras.saving.register_keras_serializable(package="k1port")
class _GateBias(keras.initializers.Initializer):
    """Keras 1's 'gpu' LSTM bias: zeros but the forget gate's block (forget_bias_init)."""

    def __init__(self, forget, units):
        self.forget, self.units = keras.initializers.get(forget), units

    def __call__(self, shape, dtype=None):
        n = self.units
        zeros = ops.zeros((n,), dtype=dtype)
        return ops.concatenate([zeros, self.forget((n,), dtype=dtype), zeros, zeros])

    def get_config(self):
        return {"forget": keras.initializers.serialize(self.forget), "units": self.units}
