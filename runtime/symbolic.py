"""Keras 1's symbolic backend API: ``K.placeholder``, ``K.gradients``, ``K.function``,
``K.learning_phase``, ``K.update``, on Keras 3's symbolic tensors (KerasTensors).

Keras 1 scripts (filter visualisation, deep dream, style transfer, saliency maps, custom
training loops) build an expression on a model's tensors, differentiate it with
``K.gradients`` and compile it with ``K.function``. Keras 3 kept symbolic tensors for the
functional API but dropped these three. Here:

- ``placeholder(shape)`` is a ``keras.Input`` with that (batch-inclusive) shape;
- ``gradients(loss, wrt)`` is a layer in the symbolic graph: given the values of ``wrt``
  (and of the inputs ``loss`` depends on), it recomputes ``loss`` from them under the
  backend's autodiff (a ``tf.GradientTape``, ``torch.autograd``) and returns the
  gradients, so they can be computed on further (normalised, summed, ...) like any tensor.
  ``wrt`` may hold model inputs, intermediate tensors (a layer's output) and variables
  (``model.trainable_weights``). A non-scalar ``loss`` is summed first, as TensorFlow did;
- ``function(inputs, outputs, updates)`` compiles the graph from ``inputs`` to ``outputs``
  into a Keras 3 functional model once; calling it with a list of arrays returns the list
  of NumPy outputs, then applies ``updates`` (``(variable, new_value)`` pairs, as
  ``update``/``update_add``/``update_sub`` make them) with the values computed in the
  same call. ``learning_phase()`` among the inputs takes the value fed for it as the
  model's ``training`` flag (1: dropout and noise on, batch statistics); without it the
  flag is ``set_learning_phase``'s value, else 0 (inference).

Gradients are implemented for the TensorFlow and torch backends.
"""
from __future__ import annotations

import keras
import numpy as np
from keras import ops

__all__ = ["placeholder", "gradients", "function", "Function", "learning_phase", "set_learning_phase",
           "update", "update_add", "update_sub", "is_keras_tensor"]


class _LearningPhase:
    """The object ``learning_phase()`` returns: a marker among a function's inputs."""

    def __repr__(self):
        return "k1.learning_phase()"


_LEARNING_PHASE = _LearningPhase()
_phase: int | None = None


def learning_phase():
    """Keras 1's learning-phase input: put it in ``function``'s inputs, feed 0 or 1."""
    return _LEARNING_PHASE


def set_learning_phase(value):
    """Fix the phase of functions called without a learning-phase input (0 or 1)."""
    global _phase
    if value not in (0, 1):
        raise ValueError("Expected learning phase to be 0 or 1.")
    _phase = value


def reset_learning_phase():
    """Forget ``set_learning_phase``: functions without a phase input run inference again."""
    global _phase
    _phase = None


def is_keras_tensor(x) -> bool:
    return isinstance(x, keras.KerasTensor)


def placeholder(shape=None, ndim=None, dtype=None, sparse=False, name=None):
    """A symbolic input; Keras 1's ``shape`` includes the batch axis (``(None, 3)``)."""
    if shape is None:
        if ndim is None:
            raise ValueError("placeholder() needs a shape or an ndim")
        shape = (None,) * ndim
    return keras.Input(batch_shape=tuple(shape), dtype=dtype or keras.config.floatx(), sparse=sparse,
                       name=name)


def update(x, new_x):
    return (x, new_x)


def update_add(x, increment):
    return (x, ops.add(x, increment))


def update_sub(x, decrement):
    return (x, ops.subtract(x, decrement))


# -- the graph -------------------------------------------------------------------------------

def _node(tensor):
    operation, node_index, _ = tensor._keras_history
    return operation._inbound_nodes[node_index]


def source_inputs(tensors) -> list:
    """The graph inputs (``keras.Input`` tensors) the tensors depend on, in first-reached order."""
    found, seen, stack = [], set(), list(reversed(list(tensors)))
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        node = _node(tensor)
        if node.is_input:
            found.append(tensor)
        else:
            stack.extend(reversed(node.input_tensors))
    return found


def ancestors(tensors) -> dict:
    """Every tensor the given ones are computed from (themselves included), by id."""
    found, stack = {}, list(tensors)
    while stack:
        tensor = stack.pop()
        if id(tensor) in found:
            continue
        found[id(tensor)] = tensor
        node = _node(tensor)
        if not node.is_input:
            stack.extend(node.input_tensors)
    return found


def align(tensor, graph: dict):
    """``tensor``, or the same layer output at another call of that layer that ``graph``
    computes from. Keras 3's ``Sequential.add`` calls every layer again on the same input
    (one call per ``add``), and ``layer.output`` is the first call's, while the model's
    output comes from the last: Keras 1 had one call, so ``K.gradients(model.output,
    layer.output)`` meant the call in the model's graph."""
    if id(tensor) in graph or not is_keras_tensor(tensor):
        return tensor
    operation, _, index = tensor._keras_history
    candidates = [n.output_tensors[index] for n in operation._inbound_nodes
                  if index < len(n.output_tensors) and id(n.output_tensors[index]) in graph]
    return candidates[-1] if candidates else tensor


def _flag(value):
    return None if value is None else bool(np.asarray(value))


class Gradients(keras.layers.Layer):
    """The gradients of ``loss`` with respect to ``wrt`` tensors and variables (see the module
    docstring): called on the values of the ``wrt`` tensors, then of ``loss``'s other inputs."""

    def __init__(self, loss, wrt, **kwargs):
        super().__init__(**kwargs)
        graph = ancestors([loss])
        self.wrt = [align(w, graph) for w in wrt]
        self._tensors = [w for w in self.wrt if is_keras_tensor(w)]
        for w in self._tensors:
            if id(w) not in graph:  # as Theano did (TensorFlow gave None, failing later)
                raise ValueError(f"gradients(): the loss does not depend on {w!r}")
        self._variables = [w for w in self.wrt if not is_keras_tensor(w)]
        for w in self._variables:
            if not isinstance(w, keras.Variable):
                raise TypeError(f"gradients(): {w!r} is neither a symbolic tensor nor a variable")
        watched = {id(t) for t in self._tensors}
        self.others = [t for t in source_inputs([loss]) if id(t) not in watched]
        self.inputs_for_call = self._tensors + self.others
        # loss as a function of the watched tensors and the other inputs.
        self._loss = keras.Model(self.inputs_for_call, loss)

    def call(self, values, training=None):
        values = list(values)
        tensor_values = values[:len(self._tensors)]
        backend = keras.config.backend()
        if backend == "tensorflow":
            grads = self._tensorflow(values, tensor_values, training)
        elif backend == "torch":
            grads = self._torch(values, tensor_values, training)
        else:
            raise NotImplementedError(f"k1.gradients() supports the tensorflow and torch backends, "
                                      f"not {backend!r}")
        # A quantity that does not reach the loss has a zero gradient (Theano: an error,
        # TensorFlow: None); zeros keep the arithmetic that follows working.
        like = tensor_values + [w.value for w in self._variables]
        return [ops.zeros_like(x) if g is None else g for g, x in zip(grads, like)]

    def _scalar_loss(self, values, training):
        return ops.sum(self._loss(values, training=training))

    def _tensorflow(self, values, tensor_values, training):
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(tensor_values)
            loss = self._scalar_loss(values, training)
        return tape.gradient(loss, tensor_values + [w.value for w in self._variables])

    def _torch(self, values, tensor_values, training):
        import torch

        with torch.enable_grad():
            leaves = [ops.convert_to_tensor(v).detach().requires_grad_(True) for v in tensor_values]
            values = leaves + [ops.convert_to_tensor(v) for v in values[len(leaves):]]
            loss = self._scalar_loss(values, training)
            targets = leaves + [w.value for w in self._variables]
            return list(torch.autograd.grad(loss, targets, allow_unused=True))

    def compute_output_spec(self, values, training=None):
        return [keras.KerasTensor(t.shape, dtype=t.dtype) for t in self._tensors] + \
               [keras.KerasTensor(w.shape, dtype=w.dtype) for w in self._variables]


def gradients(loss, variables):
    """Keras 1's ``K.gradients(loss, variables)``: a list of symbolic gradients, one per
    entry of ``variables`` (symbolic tensors or variables)."""
    wrt = list(variables) if isinstance(variables, (list, tuple)) else [variables]
    if not is_keras_tensor(loss):
        raise TypeError("gradients(): the loss must be a symbolic tensor computed from model inputs "
                        "(a KerasTensor)")
    layer = Gradients(loss, wrt)
    if not layer.inputs_for_call:  # only variables and no input: evaluate now, as a constant
        raise ValueError("gradients(): the loss depends on no symbolic input")
    return list(layer(layer.inputs_for_call))


class Function:
    """Keras 1's compiled function (see the module docstring); made by :func:`function`."""

    def __init__(self, inputs, outputs, updates=None, name=None):
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._single = not isinstance(outputs, (list, tuple))
        outputs = [outputs] if self._single else list(outputs)
        self._phase_index = next((i for i, x in enumerate(inputs) if x is _LEARNING_PHASE), None)
        self.outputs = outputs
        self.updates = [self._pair(u) for u in (updates or [])]
        symbolic = outputs + [new for _, new in self.updates]
        graph = ancestors([x for x in symbolic if is_keras_tensor(x)])
        self.inputs = [align(x, graph) for x in inputs if x is not _LEARNING_PHASE]
        self._constants = {i: x for i, x in enumerate(symbolic) if not is_keras_tensor(x)}
        graph_outputs = [x for x in symbolic if is_keras_tensor(x)]
        self._model = keras.Model(self.inputs, graph_outputs, name=name) if graph_outputs else None

    @staticmethod
    def _pair(u):
        if isinstance(u, (list, tuple)) and len(u) == 2:
            return tuple(u)
        raise TypeError(f"function(): an update is a (variable, new_value) pair, got {u!r}")

    def __call__(self, inputs):
        inputs = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        phase = _phase
        if self._phase_index is not None:
            phase = inputs.pop(self._phase_index)
        if len(inputs) != len(self.inputs):
            raise ValueError(f"This function takes {len(self.inputs)} inputs"
                             f"{' and the learning phase' if self._phase_index is not None else ''}; "
                             f"got {len(inputs)}")
        values = [ops.convert_to_tensor(np.asarray(v), dtype=x.dtype) for v, x in zip(inputs, self.inputs)]
        computed = []
        if self._model is not None:
            result = self._model(values, training=bool(_flag(phase)) if phase is not None else False)
            computed = list(result) if isinstance(result, (list, tuple)) else [result]
        it = iter(computed)
        results = [self._constants[i] if i in self._constants else next(it)
                   for i in range(len(self.outputs) + len(self.updates))]
        arrays = [ops.convert_to_numpy(r) for r in results]
        for (variable, _), value in zip(self.updates, results[len(self.outputs):]):
            variable.assign(value)
        outs = arrays[:len(self.outputs)]
        return outs[0] if self._single else outs


def function(inputs, outputs, updates=None, **kwargs):
    """Keras 1's ``K.function(inputs, outputs, updates=[])``; other keywords (Theano's
    compilation options) are accepted and ignored."""
    return Function(inputs, outputs, updates=updates, name=kwargs.get("name"))
