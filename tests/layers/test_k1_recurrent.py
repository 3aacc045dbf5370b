"""Recurrent layers, numerically: the converted SimpleRNN / GRU / LSTM compute Keras 1.2.2's
step equations (keras/layers/recurrent.py), and start from Keras 1's initial weights.

Keras 1 step functions (gates in the order of the concatenated weights):
  SimpleRNN: h = act(x W + b + h U)
  GRU:  z = inner(x W_z + b_z + h U_z); r = inner(x W_r + b_r + h U_r)
        hh = act(x W_h + b_h + (r * h) U_h); h = z * h + (1 - z) * hh
  LSTM: i, f, o = inner(x W_. + b_. + h U_.); c = f * c + i * act(x W_c + b_c + h U_c)
        h = o * act(c)
with act = tanh and inner = hard_sigmoid = clip(0.2 x + 0.5, 0, 1) by default.
"""
from __future__ import annotations

import numpy as np
import pytest

from k1layers_harness import L, convert_and_run, keras


def tanh(x):
    return np.tanh(x)


def hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def relu(x):
    return np.maximum(x, 0.0)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def k1_simple_rnn(x, W, U, b, act=tanh):
    h = np.zeros((x.shape[0], U.shape[0]))
    out = []
    for t in range(x.shape[1]):
        h = act(x[:, t] @ W + b + h @ U)
        out.append(h)
    return np.stack(out, axis=1)


def k1_gru(x, W, U, b, act=tanh, inner=hard_sigmoid):
    n = U.shape[0]
    h = np.zeros((x.shape[0], n))
    out = []
    for t in range(x.shape[1]):
        xw = x[:, t] @ W + b
        z = inner(xw[:, :n] + h @ U[:, :n])
        r = inner(xw[:, n:2 * n] + h @ U[:, n:2 * n])
        hh = act(xw[:, 2 * n:] + (r * h) @ U[:, 2 * n:])
        h = z * h + (1 - z) * hh
        out.append(h)
    return np.stack(out, axis=1)


def k1_lstm(x, W, U, b, act=tanh, inner=hard_sigmoid):
    n = U.shape[0]
    h = np.zeros((x.shape[0], n))
    c = np.zeros((x.shape[0], n))
    out = []
    for t in range(x.shape[1]):
        z = x[:, t] @ W + h @ U + b
        i, f, o = inner(z[:, :n]), inner(z[:, n:2 * n]), inner(z[:, 3 * n:])
        c = f * c + i * act(z[:, 2 * n:3 * n])
        h = o * act(c)
        out.append(h)
    return np.stack(out, axis=1)


UNITS, INPUT, STEPS = 4, 3, 6
GATES = {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}
REFERENCES = {"SimpleRNN": k1_simple_rnn, "GRU": k1_gru, "LSTM": k1_lstm}

FORWARD = [
    ("SimpleRNN", "SimpleRNN(4, return_sequences=True)", {}),
    ("SimpleRNN", "SimpleRNN(4, activation='relu', return_sequences=True)", {"act": relu}),
    ("GRU", "GRU(4, return_sequences=True)", {}),
    ("GRU", "GRU(4, inner_activation='sigmoid', return_sequences=True)", {"inner": sigmoid}),
    ("LSTM", "LSTM(4, return_sequences=True)", {}),
    ("LSTM", "LSTM(4, return_sequences=True, consume_less='gpu')", {}),
    ("LSTM", "LSTM(4, activation='relu', inner_activation='hard_sigmoid', return_sequences=True)", {"act": relu}),
]


@pytest.mark.parametrize("kind, call, fns", FORWARD, ids=[c for _, c, _ in FORWARD])
def test_forward_pass_is_keras1(kind, call, fns):
    run = convert_and_run(L(call))
    layer = run.ns["layer"]
    rng = np.random.default_rng(3)
    x = rng.normal(0, 1.5, (2, STEPS, INPUT)).astype("float32")
    layer(x)  # build
    g = GATES[kind]
    W = rng.normal(0, 1.0, (INPUT, g * UNITS)).astype("float32")
    U = rng.normal(0, 1.0, (UNITS, g * UNITS)).astype("float32")
    b = rng.normal(0, 0.5, (g * UNITS,)).astype("float32")
    try:
        layer.set_weights([W, U, b])
    except ValueError as exc:  # e.g. a GRU with reset_after=True has a (2, 3n) bias
        raise AssertionError(f"weights are not Keras 1's layout: {exc}" + run.describe()) from exc
    got = keras().ops.convert_to_numpy(layer(x))
    want = REFERENCES[kind](x.astype("float64"), W, U, b, **fns)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5, err_msg=run.describe())


def test_go_backwards_reads_the_sequence_reversed():
    run = convert_and_run(L("SimpleRNN(4, go_backwards=True, return_sequences=True)"))
    layer = run.ns["layer"]
    rng = np.random.default_rng(5)
    x = rng.normal(0, 1, (2, STEPS, INPUT)).astype("float32")
    layer(x)
    W, U, b = (rng.normal(0, 0.7, s).astype("float32") for s in ((INPUT, UNITS), (UNITS, UNITS), (UNITS,)))
    layer.set_weights([W, U, b])
    got = keras().ops.convert_to_numpy(layer(x))
    np.testing.assert_allclose(got, k1_simple_rnn(x[:, ::-1].astype("float64"), W, U, b), rtol=1e-4, atol=1e-5)


def test_lstm_forget_gate_bias_starts_at_one():
    """forget_bias_init='one' (the default): b_f = 1, the other gates' biases 0."""
    for call, f in (("LSTM(3)", 1.0), ("LSTM(3, forget_bias_init='zero')", 0.0)):
        layer = convert_and_run(L(call)).ns["layer"]
        layer(np.zeros((1, 2, 2), "float32"))
        bias = keras().ops.convert_to_numpy(layer.cell.bias)
        np.testing.assert_array_equal(bias, np.r_[np.zeros(3), np.full(3, f), np.zeros(6)], err_msg=call)


# -- initial weights -------------------------------------------------------------------------
# Keras 1.2.2's default consume_less='cpu' (and 'mem') built one weight matrix per gate
# (W_i, U_i, W_f, ...), each initialised on its own, and drew the recurrent ones U_* with
# `init`, not `inner_init` (keras/layers/recurrent.py, GRU.build / LSTM.build; checked on the
# oracle: LSTM(16)'s U_i has entries up to sqrt(6 / 32) and U_i U_i^T is not 1.21 I).
# consume_less='gpu' built one (input_dim, g * units) kernel with `init` and one
# (units, g * units) recurrent matrix with `inner_init`, initialised whole. So the initial
# weights depend on consume_less.
N = 16


def _weights(call):
    keras().utils.set_random_seed(1234)
    run = convert_and_run(L(call))
    layer = run.ns["layer"]
    layer(np.zeros((1, 2, N), "float32"))
    kernel = keras().ops.convert_to_numpy(layer.cell.kernel).astype("float64")
    recurrent = keras().ops.convert_to_numpy(layer.cell.recurrent_kernel).astype("float64")
    return kernel, recurrent, run


def _is_keras1(name, matrix, what, run):
    if name == "orthogonal":  # orthogonal(scale=1.1): rows orthogonal, norm 1.1
        np.testing.assert_allclose(matrix @ matrix.T, 1.21 * np.eye(len(matrix)), atol=1e-4,
                                   err_msg=f"{what} is not 1.1 x orthogonal" + run.describe())
        return
    limit = np.sqrt(6.0 / sum(matrix.shape))  # glorot_uniform: U(+-sqrt(6 / (fan_in + fan_out)))
    assert np.abs(matrix).max() <= limit + 1e-6, f"{what}: |w| beyond {limit:.4f}" + run.describe()
    var = matrix.var()
    assert abs(var - limit ** 2 / 3) < 0.15 * limit ** 2 / 3, \
        f"{what}: variance {var:.4f}, Keras 1: {limit ** 2 / 3:.4f}" + run.describe()


# (call, blocks Keras 1 drew on their own (1: the whole matrix), kernel's and recurrent's init)
INIT_CASES = [
    pytest.param("LSTM(16)", 4, "glorot", "glorot", id="LSTM-default-cpu"),
    pytest.param("LSTM(16, consume_less='mem')", 4, "glorot", "glorot", id="LSTM-mem"),
    pytest.param("LSTM(16, consume_less='gpu')", 1, "glorot", "orthogonal", id="LSTM-gpu"),
    pytest.param("GRU(16)", 3, "glorot", "glorot", id="GRU-default-cpu"),
    pytest.param("GRU(16, consume_less='gpu')", 1, "glorot", "orthogonal", id="GRU-gpu"),
    pytest.param("SimpleRNN(16)", 1, "glorot", "orthogonal", id="SimpleRNN"),
    pytest.param("LSTM(16, init='orthogonal', inner_init='identity')", 4, "orthogonal", "orthogonal",
                 id="LSTM-init-orthogonal-cpu"),
    pytest.param("GRU(16, inner_init='glorot_uniform', consume_less='gpu')", 1, "glorot", "glorot",
                 id="GRU-gpu-inner-glorot"),
]


@pytest.mark.parametrize("call, blocks, kernel_init, recurrent_init", INIT_CASES)
def test_initial_weights_are_keras1(call, blocks, kernel_init, recurrent_init):
    kernel, recurrent, run = _weights(call)
    for name, weights, init in (("kernel", kernel, kernel_init), ("recurrent", recurrent, recurrent_init)):
        width = weights.shape[1] // blocks
        for k in range(blocks):
            _is_keras1(init, weights[:, k * width:(k + 1) * width], f"{name} block {k} of {blocks}", run)
