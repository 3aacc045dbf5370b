"""keras.optimizers: the converted optimizer has Keras 1.2.2's hyper-parameters and defaults,
its learning rate decays as Keras 1's did, and its update steps are Keras 1's.

Keras 1.2.2 (keras/optimizers.py) signatures and defaults:
  SGD(lr=0.01, momentum=0., decay=0., nesterov=False)
  RMSprop(lr=0.001, rho=0.9, epsilon=1e-8, decay=0.)
  Adagrad(lr=0.01, epsilon=1e-8, decay=0.)             accumulators start at 0
  Adadelta(lr=1.0, rho=0.95, epsilon=1e-8, decay=0.)
  Adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.)
  Adamax(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.)
  Nadam(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, schedule_decay=0.004)
  every optimizer: clipnorm (clips by the global norm of all gradients), clipvalue.
With decay > 0 the rate at iteration t (0 before the first update) was lr / (1 + decay * t).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from k1layers_harness import check_expected, convert_and_run, k1src, keras

# (call, expected config subset, Keras 1 lr, Keras 1 decay)
OPTIMIZERS = [
    ("SGD()", {"momentum": 0.0, "nesterov": False}, 0.01, 0.0),
    ("SGD(lr=0.1, momentum=0.9, decay=1e-3, nesterov=True)", {"momentum": 0.9, "nesterov": True}, 0.1, 1e-3),
    ("SGD(0.05, 0.8)", {"momentum": 0.8}, 0.05, 0.0),  # SGD(lr, momentum, decay, nesterov)
    ("SGD(decay=0.5)", {}, 0.01, 0.5),
    ("RMSprop()", {"rho": 0.9, "epsilon": 1e-8}, 0.001, 0.0),
    ("RMSprop(lr=0.01, rho=0.8, epsilon=1e-6, decay=0.01)", {"rho": 0.8, "epsilon": 1e-6}, 0.01, 0.01),
    ("RMSprop(0.01, 0.8)", {"rho": 0.8}, 0.01, 0.0),  # RMSprop(lr, rho, epsilon, decay)
    ("Adagrad()", {"epsilon": 1e-8}, 0.01, 0.0),
    ("Adagrad(lr=0.1, epsilon=1e-6, decay=0.5)", {"epsilon": 1e-6}, 0.1, 0.5),
    ("Adadelta()", {"rho": 0.95, "epsilon": 1e-8}, 1.0, 0.0),
    ("Adadelta(lr=0.5, rho=0.9, epsilon=1e-6, decay=0.1)", {"rho": 0.9, "epsilon": 1e-6}, 0.5, 0.1),
    ("Adam()", {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8, "amsgrad": False}, 0.001, 0.0),
    ("Adam(lr=0.01, beta_1=0.8, beta_2=0.99, epsilon=1e-6, decay=1e-4)",
     {"beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6}, 0.01, 1e-4),
    ("Adam(0.002, 0.85)", {"beta_1": 0.85, "epsilon": 1e-8}, 0.002, 0.0),  # Adam(lr, beta_1, ...)
    ("Adamax()", {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}, 0.002, 0.0),
    ("Adamax(lr=0.01, decay=0.1)", {"epsilon": 1e-8}, 0.01, 0.1),
    ("Nadam()", {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}, 0.002, 0.0),
    ("Nadam(lr=0.001, beta_1=0.95)", {"beta_1": 0.95}, 0.001, 0.0),
    # Keras 1 clipnorm scaled all gradients by their global norm (Keras 3: global_clipnorm).
    ("SGD(clipnorm=1.0)", {"global_clipnorm": 1.0, "clipnorm": None}, 0.01, 0.0),
    ("RMSprop(clipnorm=2.0)", {"global_clipnorm": 2.0, "clipnorm": None}, 0.001, 0.0),
    ("Adam(clipvalue=0.5)", {"clipvalue": 0.5}, 0.001, 0.0),
]


def _optimizer(call: str):
    run = convert_and_run(k1src(f"opt = {call}"))
    return run.ns["opt"], run


@pytest.mark.parametrize("call, expect, lr, decay", OPTIMIZERS, ids=[c for c, *_ in OPTIMIZERS])
def test_optimizer(call, expect, lr, decay):
    opt, run = _optimizer(call)
    check_expected(opt, expect, run)
    for t in (0, 1, 7, 1000):
        opt.iterations.assign(t)
        got = float(keras().ops.convert_to_numpy(opt.learning_rate))
        want = lr / (1.0 + decay * t)
        assert math.isclose(got, want, rel_tol=1e-6), f"learning rate at t={t}: {got}, Keras 1: {want}" + run.describe()


def test_clipnorm_is_global():
    """Keras 1: grads scaled by clipnorm / global norm when the global norm exceeds clipnorm."""
    K = keras()
    opt, run = _optimizer("SGD(lr=1.0, clipnorm=1.0)")
    a, b = K.Variable(np.zeros(2, "float32")), K.Variable(np.zeros(1, "float32"))
    ga, gb = np.array([3.0, 0.0], "float32"), np.array([4.0], "float32")  # global norm 5
    opt.apply_gradients([(K.ops.convert_to_tensor(ga), a), (K.ops.convert_to_tensor(gb), b)])
    np.testing.assert_allclose(K.ops.convert_to_numpy(a), [-0.6, 0.0], rtol=1e-5, err_msg=run.describe())
    np.testing.assert_allclose(K.ops.convert_to_numpy(b), [-0.8], rtol=1e-5, err_msg=run.describe())


# -- update steps, numerically ------------------------------------------------------------------
# Tiny gradient components make epsilon (and where it sits) matter; the others exercise the
# rest of the rule.
GRADS = [np.array([1e-6, 0.5, -0.2]), np.array([-2e-6, 0.3, 0.4]), np.array([3e-6, -0.1, 0.25])]
P0 = np.array([1.0, -1.0, 0.5])


def k1_sgd(lr=0.01, momentum=0.0, decay=0.0, nesterov=False):
    p, m = P0.copy(), np.zeros(3)
    for t, g in enumerate(GRADS):
        lr_t = lr / (1 + decay * t)
        v = momentum * m - lr_t * g
        m = v
        p = p + momentum * v - lr_t * g if nesterov else p + v
        yield p


def k1_adam(lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.0):
    p, m, v = P0.copy(), np.zeros(3), np.zeros(3)
    for i, g in enumerate(GRADS):
        t = i + 1
        lr_t = lr / (1 + decay * i) * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        p = p - lr_t * m / (np.sqrt(v) + epsilon)
        yield p


def k1_adamax(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, decay=0.0):
    p, m, u = P0.copy(), np.zeros(3), np.zeros(3)
    for i, g in enumerate(GRADS):
        lr_t = lr / (1 + decay * i) / (1 - beta_1 ** (i + 1))
        m = beta_1 * m + (1 - beta_1) * g
        u = np.maximum(beta_2 * u, np.abs(g))
        p = p - lr_t * m / (u + epsilon)
        yield p


def k1_adadelta(lr=1.0, rho=0.95, epsilon=1e-8, decay=0.0):
    p, a, d = P0.copy(), np.zeros(3), np.zeros(3)
    for i, g in enumerate(GRADS):
        a = rho * a + (1 - rho) * g * g
        update = g * np.sqrt(d + epsilon) / np.sqrt(a + epsilon)
        p = p - lr / (1 + decay * i) * update
        d = rho * d + (1 - rho) * update * update
        yield p


def k1_adagrad(lr=0.01, epsilon=1e-8, decay=0.0):
    p, a = P0.copy(), np.zeros(3)
    for i, g in enumerate(GRADS):
        a = a + g * g
        p = p - lr / (1 + decay * i) * g / (np.sqrt(a) + epsilon)
        yield p


def k1_rmsprop(lr=0.001, rho=0.9, epsilon=1e-8, decay=0.0):
    p, a = P0.copy(), np.zeros(3)
    for i, g in enumerate(GRADS):
        a = rho * a + (1 - rho) * g * g
        p = p - lr / (1 + decay * i) * g / (np.sqrt(a) + epsilon)
        yield p


def k1_nadam(lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, schedule_decay=0.004):
    p, m, v, m_schedule = P0.copy(), np.zeros(3), np.zeros(3), 1.0
    for i, g in enumerate(GRADS):
        t = i + 1
        mu_t = beta_1 * (1.0 - 0.5 * 0.96 ** (t * schedule_decay))
        mu_next = beta_1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * schedule_decay))
        m_schedule_new = m_schedule * mu_t
        m_schedule_next = m_schedule * mu_t * mu_next
        m_schedule = m_schedule_new
        g_prime = g / (1.0 - m_schedule_new)
        m = beta_1 * m + (1.0 - beta_1) * g
        m_prime = m / (1.0 - m_schedule_next)
        v = beta_2 * v + (1.0 - beta_2) * g * g
        v_prime = v / (1.0 - beta_2 ** t)
        m_bar = (1.0 - mu_t) * g_prime + mu_next * m_prime
        p = p - lr * m_bar / (np.sqrt(v_prime) + epsilon)
        yield p


STEPS = [
    ("SGD()", k1_sgd()),
    ("SGD(lr=0.1, momentum=0.9, decay=0.5, nesterov=True)", k1_sgd(0.1, 0.9, 0.5, True)),
    ("SGD(lr=0.1, momentum=0.5)", k1_sgd(0.1, 0.5)),
    ("Adam()", k1_adam()),
    ("Adam(lr=0.01, decay=0.5)", k1_adam(0.01, decay=0.5)),
    ("Adamax()", k1_adamax()),
    ("Adamax(lr=0.01, beta_2=0.5, decay=0.1)", k1_adamax(0.01, beta_2=0.5, decay=0.1)),
    ("Adadelta()", k1_adadelta()),
    ("Adadelta(lr=0.5, decay=0.5)", k1_adadelta(0.5, decay=0.5)),
    ("Adagrad()", k1_adagrad()),
    ("Adagrad(lr=0.1, decay=0.5)", k1_adagrad(0.1, decay=0.5)),
    ("RMSprop()", k1_rmsprop()),
    ("RMSprop(lr=0.01, rho=0.5, decay=0.1)", k1_rmsprop(0.01, 0.5, decay=0.1)),
    ("Nadam()", k1_nadam()),
    ("Nadam(lr=0.01, beta_1=0.8, schedule_decay=0.1)", k1_nadam(0.01, beta_1=0.8, schedule_decay=0.1)),
]


@pytest.mark.parametrize("call, reference", STEPS, ids=[c for c, _ in STEPS])
def test_update_steps(call, reference):
    K = keras()
    opt, run = _optimizer(call)
    var = K.Variable(P0.astype("float32"))
    for step, (g, want) in enumerate(zip(GRADS, reference)):
        opt.apply_gradients([(K.ops.convert_to_tensor(g.astype("float32")), var)])
        got = K.ops.convert_to_numpy(var).astype("float64")
        np.testing.assert_allclose(got - P0, want - P0, rtol=2e-3, atol=3e-7,  # float32 resolution near 1
                                   err_msg=f"after step {step + 1}" + run.describe())
