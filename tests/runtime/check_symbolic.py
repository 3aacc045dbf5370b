"""k1port.runtime.symbolic (K.function, K.gradients, ...) on the backend KERAS_BACKEND names,
every check in one process (see check_runtime.py). Gradients are checked against central
finite differences, so they test the numbers, not only the shapes; the oracle fixture
backend_functions checks them against Keras 1.2.2 too.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import check, close, expect, numpy, raises, rand, run  # noqa: E402

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

import k1port.runtime as k1  # noqa: E402


def _mlp(dropout=0.0):
    keras.utils.set_random_seed(0)
    inp = keras.Input((4,))
    h = layers.Dense(5, activation="tanh")(inp)
    out = layers.Dense(3, activation="softmax")(layers.Dropout(dropout)(h))
    return keras.Model(inp, out), h


def _numeric_gradient(f, x, eps=1e-3):
    grad = np.zeros_like(x, dtype="float64")
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (float(f(up)) - float(f(down))) / (2 * eps)
    return grad


@check
def gradient_wrt_input_is_the_derivative():
    model, _ = _mlp()
    loss = ops.mean(model.output[:, 1])
    grad = k1.gradients(loss, [model.input])[0]
    both = k1.function([model.input], [loss, grad])
    x = rand(2, 4)
    value, g = both([x])
    expect(g.shape == x.shape, f"gradient shape {g.shape}")
    close(g, _numeric_gradient(lambda v: both([v])[0], x), "d loss / d input", tol=1e-3)
    return f"loss {float(value):.4f}"


@check
def gradient_wrt_weights_and_intermediate():
    model, hidden = _mlp()
    loss = ops.sum(model.output[:, 0])
    grads = k1.gradients(loss, [hidden] + model.layers[-1].trainable_weights)
    f = k1.function([model.input], grads)
    x = rand(3, 4)
    g_hidden, g_kernel, g_bias = f([x])
    h = numpy(keras.Model(model.input, hidden)(x))
    kernel = model.layers[-1].kernel
    # The last layer alone, as a function of its input and kernel.
    head = k1.function([hidden], [loss])
    close(g_hidden, _numeric_gradient(lambda v: head([v])[0], h), "d loss / d hidden", tol=1e-3)
    k0 = numpy(kernel).copy()

    def with_kernel(v):
        kernel.assign(v)
        return head([h])[0]
    close(g_kernel, _numeric_gradient(with_kernel, k0), "d loss / d kernel", tol=1e-3)
    kernel.assign(k0)
    expect(g_bias.shape == (3,), f"bias gradient shape {g_bias.shape}")


@check
def sequential_layer_outputs_align_with_the_model_graph():
    # Keras 3's Sequential.add calls earlier layers again: layer.output is the first call's,
    # the model's output the last's. Keras 1 had one call; gradients follow the model's.
    model = keras.Sequential([keras.Input((4,)), layers.Dense(5, activation="tanh"), layers.Dense(3)])
    model.add(layers.Dense(2))
    loss = ops.sum(model.outputs[0][:, 0])
    g = k1.gradients(loss, [model.layers[1].output])[0]
    x = rand(1, 4)
    got = k1.function([model.inputs[0]], [g])([x])[0]
    expected = numpy(model.layers[2].kernel)[:, 0][None]
    close(got, expected, "d loss / d hidden = the last kernel's column")


@check
def learning_phase_switches_dropout():
    model, _ = _mlp(dropout=0.9)
    f = k1.function([model.input, k1.learning_phase()], [model.output])
    x = rand(8, 4)
    test = f([x, 0])[0]
    close(test, numpy(model(x, training=False)), "phase 0 is inference")
    train = f([x, 1])[0]
    expect(np.abs(train - test).max() > 1e-3, "phase 1 applies dropout")
    k1.set_learning_phase(1)
    try:
        fixed = k1.function([model.input], [model.output])([x])[0]
        expect(np.abs(fixed - test).max() > 1e-3, "set_learning_phase(1) applies dropout")
    finally:
        k1.symbolic.reset_learning_phase()


@check
def updates_apply_after_outputs():
    model, _ = _mlp()
    total = keras.Variable(np.zeros(3, "float32"))
    f = k1.function([model.input], [ops.sum(model.output, axis=0), total],
                    updates=[k1.update_add(total, ops.sum(model.output, axis=0))])
    x = rand(2, 4)
    first, before = f([x])
    close(before, np.zeros(3), "outputs see the value before the update")
    f([x])
    close(numpy(total), 2 * first, "two updates accumulated")


@check
def placeholder_targets_and_crossentropies():
    model, _ = _mlp()
    target = k1.placeholder(ndim=2)
    expect(tuple(target.shape) == (None, None), f"placeholder shape {target.shape}")
    loss = k1.backend.categorical_crossentropy(model.output, target)
    f = k1.function([model.input, target], [loss, k1.backend.binary_crossentropy(model.output, target)])
    x, y = rand(2, 4), np.eye(3, dtype="float32")[[0, 2]]
    cce, bce = f([x, y])
    p = numpy(model(x))
    close(cce, -np.sum(y * np.log(p), axis=-1), "categorical_crossentropy(output, target)")
    close(bce, -(y * np.log(p) + (1 - y) * np.log(1 - p)), "binary_crossentropy(output, target)")
    sparse = numpy(k1.backend.sparse_categorical_crossentropy(ops.convert_to_tensor(p), np.array([[0], [2]])))
    close(sparse, cce, "sparse_categorical_crossentropy = categorical of the one-hot")


@check
def gradient_of_unrelated_tensor_is_an_error():
    model, _ = _mlp()
    other = keras.Input((4,))
    raises(ValueError, lambda: k1.gradients(ops.sum(model.output), [other]), "loss does not depend on it")



@check
def variable_accumulates_symbolic_terms():
    """`loss = K.variable(0.); loss -= K.sum(...)` (deep dream, style transfer): Keras 1's
    variables took part in symbolic expressions, and their gradients are taken."""
    model, _ = _mlp()
    loss = k1.backend.variable(0.)
    loss -= 2 * ops.sum(model.output)
    loss += ops.sum(ops.square(model.input)) / 2
    grads = k1.gradients(loss, [model.input])[0]
    f = k1.function([model.input], [loss, grads])
    x = rand(2, 4)
    value, g = f([x])
    close(value, -2 * np.sum(numpy(model(x))) + np.sum(x ** 2) / 2, "0 - 2 sum(out) + sum(x^2)/2")
    expect(g.shape == x.shape, f"gradient shape {g.shape}")
    plain = k1.backend.variable(3.) * 2.0  # numbers: the variable's value, as before
    close(numpy(plain), 6.0, "variable * number")


if __name__ == "__main__":
    run()
