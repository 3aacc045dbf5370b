"""Keras 1 optimizers whose update rule Keras 3 changed.

Keras 3's RMSprop and Adagrad add epsilon inside the square root (Keras 1: after it), and
its Nadam's momentum schedule is 0.96**t where Keras 1's was 0.96**(schedule_decay * t).
These classes are Keras 3 optimizers (learning-rate schedules, clipnorm/clipvalue,
serialization) with Keras 1's update rules and defaults.

Adam, Adamax and Adadelta are Keras 3's update rules, which are Keras 1's, given dense
gradients: on TensorFlow an Embedding's gradient arrives as IndexedSlices, and Keras 3's
sparse path applies the moment decay once per occurrence of a repeated index (a word seen
twice in a batch), which diverges from Keras 1's dense update (measured: 0.17 after three
steps). SGD needs nothing: its sparse path equals the dense one.
"""
from __future__ import annotations

import keras
from keras import ops

_register = keras.saving.register_keras_serializable(package="k1port")


def _dense(gradient, dtype):
    """Embedding gradients arrive as IndexedSlices on TensorFlow; Keras 1 updated densely."""
    if type(gradient).__name__ == "IndexedSlices":
        import tensorflow as tf

        gradient = tf.convert_to_tensor(gradient)
    return ops.cast(gradient, dtype)


class _Keras1Optimizer(keras.optimizers.Optimizer):
    _slots: tuple[str, ...] = ()

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        for slot in self._slots:
            setattr(self, f"_{slot}", [self.add_variable_from_reference(v, slot) for v in variables])

    def _slot(self, slot: str, variable):
        return getattr(self, f"_{slot}")[self._get_variable_index(variable)]


def _fused_on_torch() -> tuple:
    """Extra base on torch: Keras's parallel optimizer, which runs `_parallel_update_step`
    (all variables at once, in place, with torch._foreach ops) instead of a per-variable
    `update_step` (1.2-1.5 times slower steps on small models; benchmarks/README.md)."""
    if keras.config.backend() != "torch":
        return ()
    from keras.src.backend.torch.optimizers.torch_parallel_optimizer import TorchParallelOptimizer

    return (TorchParallelOptimizer,)


def _foreach_step(optimizer, grads, variables, learning_rate, decay):
    """p -= lr g / (sqrt(a) + epsilon) for all variables, after `decay(accumulators, grads)`
    updated each accumulator a in place (torch only)."""
    import torch

    values = [v.value for v in variables]
    lr = ops.cast(learning_rate, values[0].dtype)
    accumulators = [optimizer._slot("accumulator", v).value for v in variables]
    decay(accumulators, torch._foreach_mul(grads, grads))
    denominators = torch._foreach_sqrt(accumulators)
    torch._foreach_add_(denominators, optimizer.epsilon)
    torch._foreach_add_(values, torch._foreach_div(torch._foreach_mul(grads, lr), denominators), alpha=-1)


@_register
class RMSprop(*_fused_on_torch(), _Keras1Optimizer):
    """Keras 1 RMSprop: a = rho a + (1 - rho) g^2;  p -= lr g / (sqrt(a) + epsilon)."""

    _slots = ("accumulator",)

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-8, name="rmsprop", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = _dense(gradient, variable.dtype)
        a = self._slot("accumulator", variable)
        new_a = self.rho * a + (1.0 - self.rho) * ops.square(g)
        self.assign(a, new_a)
        self.assign_sub(variable, lr * g / (ops.sqrt(new_a) + self.epsilon))

    def _parallel_update_step(self, grads, variables, learning_rate):
        import torch

        def decay(accumulators, squares):
            torch._foreach_mul_(accumulators, self.rho)
            torch._foreach_add_(accumulators, squares, alpha=1.0 - self.rho)

        _foreach_step(self, grads, variables, learning_rate, decay)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}


@_register
class Adagrad(*_fused_on_torch(), _Keras1Optimizer):
    """Keras 1 Adagrad: a += g^2 (from 0);  p -= lr g / (sqrt(a) + epsilon)."""

    _slots = ("accumulator",)

    def __init__(self, learning_rate=0.01, epsilon=1e-8, name="adagrad", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.epsilon = epsilon

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = _dense(gradient, variable.dtype)
        a = self._slot("accumulator", variable)
        new_a = a + ops.square(g)
        self.assign(a, new_a)
        self.assign_sub(variable, lr * g / (ops.sqrt(new_a) + self.epsilon))

    def _parallel_update_step(self, grads, variables, learning_rate):
        import torch

        _foreach_step(self, grads, variables, learning_rate, lambda acc, squares: torch._foreach_add_(acc, squares))

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}


@_register
class Nadam(_Keras1Optimizer):
    """Keras 1 Nadam (Dozat's schedule): mu_t = beta_1 (1 - 0.5 * 0.96**(t schedule_decay))."""

    _slots = ("momentum", "velocity")

    def __init__(self, learning_rate=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, name="nadam", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon, self.schedule_decay = epsilon, schedule_decay

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        # The product of the momentum schedule so far (Keras 1's m_schedule), once per step.
        self._m_schedule = self.add_variable(shape=(), dtype="float32", initializer="ones",
                                             name="m_schedule")

    def _mu(self, t):
        return self.beta_1 * (1.0 - 0.5 * ops.power(0.96, t * self.schedule_decay))

    def apply(self, grads, trainable_variables=None):
        variables = trainable_variables if trainable_variables is not None else self._trainable_variables
        self.build(variables)
        t = ops.cast(self.iterations + 1, "float32")
        self.assign(self._m_schedule, self._m_schedule * self._mu(t))
        return super().apply(grads, trainable_variables)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        g = _dense(gradient, dtype)
        t = ops.cast(self.iterations + 1, dtype)
        mu_t, mu_next = ops.cast(self._mu(t), dtype), ops.cast(self._mu(t + 1), dtype)
        m_schedule = ops.cast(self._m_schedule, dtype)  # already times mu_t
        m, v = self._slot("momentum", variable), self._slot("velocity", variable)
        g_prime = g / (1.0 - m_schedule)
        m_t = self.beta_1 * m + (1.0 - self.beta_1) * g
        m_t_prime = m_t / (1.0 - m_schedule * mu_next)
        v_t = self.beta_2 * v + (1.0 - self.beta_2) * ops.square(g)
        v_t_prime = v_t / (1.0 - ops.power(ops.cast(self.beta_2, dtype), t))
        m_bar = (1.0 - mu_t) * g_prime + mu_next * m_t_prime
        self.assign(m, m_t)
        self.assign(v, v_t)
        self.assign_sub(variable, lr * m_bar / (ops.sqrt(v_t_prime) + self.epsilon))

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "schedule_decay": self.schedule_decay}


class _DenseGradients:
    """Keras 3's update rule on the densified gradient, as Keras 1 computed it."""

    def update_step(self, gradient, variable, learning_rate):
        return super().update_step(_dense(gradient, variable.dtype), variable, learning_rate)


def _backend_class(optimizer):
    """The class the backend runs for a Keras optimizer: on torch, its fused (_foreach)
    implementation, which Keras picks only for the exact Keras class, not for a subclass
    (gradients are dense on torch: nothing to change in it)."""
    if keras.config.backend() != "torch":
        return optimizer
    from keras.src.backend.torch.optimizers import torch_adadelta, torch_adam, torch_adamax

    return {keras.optimizers.Adam: torch_adam.Adam, keras.optimizers.Adamax: torch_adamax.Adamax,
            keras.optimizers.Adadelta: torch_adadelta.Adadelta}[optimizer]


@_register
class Adam(_DenseGradients, _backend_class(keras.optimizers.Adam)):
    """Keras 3's Adam (Keras 1's update rule) with dense gradients (see the module
    docstring) and Keras 1's defaults."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, name="adam", **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         name=name, **kwargs)


@_register
class Adamax(_DenseGradients, _backend_class(keras.optimizers.Adamax)):
    """Keras 3's Adamax (Keras 1's update rule) with dense gradients and Keras 1's defaults."""

    def __init__(self, learning_rate=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-8, name="adamax", **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         name=name, **kwargs)


@_register
class Adadelta(_DenseGradients, _backend_class(keras.optimizers.Adadelta)):
    """Keras 3's Adadelta (Keras 1 also added epsilon inside both square roots) with dense
    gradients and Keras 1's defaults."""

    def __init__(self, learning_rate=1.0, rho=0.95, epsilon=1e-8, name="adadelta", **kwargs):
        super().__init__(learning_rate=learning_rate, rho=rho, epsilon=epsilon, name=name, **kwargs)
