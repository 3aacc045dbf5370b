"""The Keras 1 custom-layer protocol, for layers written against it (``class Attention(Layer)``).

Keras 1 layers declared their weights in lists and dicts that Keras 3 no longer reads:
``self.trainable_weights = [self.W, self.b]``, ``self.non_trainable_weights = [...]``,
``self.constraints = {self.W: constraint}``, ``self.updates = [(variable, new_value)]``;
and asked the learning phase with ``K.in_train_phase(x, alt)``. k1port turns those
statements into calls of these functions, which say the same to Keras 3:

``set_trainable_weights(layer, weights)`` / ``set_non_trainable_weights(layer, weights)``
    The variables are the layer's weights (tracked) and trained, or not trained (running
    statistics): Keras 3 would otherwise train every variable a layer holds.
``set_constraints(layer, constraints)``
    ``[(variable, constraint), ...]`` (Keras 1's ``{variable: constraint}``; Keras 3
    variables cannot be dict keys): Keras 3 applies a variable's ``constraint`` after each
    optimizer step, as Keras 1 applied the layer's dict.
``add_updates(layer, updates)``, ``with_updates(layer, outputs)``
    ``(variable, new_value)`` pairs computed in ``call()``: assigned when ``call()`` returns
    (``return with_updates(self, outputs)``), in training only (Keras 1 ran layer updates
    with the training function, after computing the outputs from the old values).
``in_train_phase(x, alt)`` / ``in_test_phase(x, alt)`` / ``learning_phase_value()``
    The phase of the current Keras 3 call (its ``training`` flag, passed down from the
    model), which Keras 1 kept in a global placeholder.
"""
from __future__ import annotations

import weakref

import keras

__all__ = ["set_trainable_weights", "set_non_trainable_weights", "set_constraints", "add_updates",
           "with_updates", "in_train_phase", "in_test_phase", "learning_phase_value"]


def _track(layer, weights, trainable: bool):
    for variable in weights:
        if not isinstance(variable, keras.Variable):
            raise TypeError(f"layer {layer.name!r}: {variable!r} is not a variable (Keras 1 listed "
                            "variables in trainable_weights / non_trainable_weights)")
        variable.trainable = trainable
        if not any(variable is w for w in layer.weights):
            layer._track_variable(variable)


def set_trainable_weights(layer, weights):
    """Keras 1's ``self.trainable_weights = weights`` (or ``+=``): trained weights of ``layer``."""
    _track(layer, list(weights), True)


def set_non_trainable_weights(layer, weights):
    """Keras 1's ``self.non_trainable_weights = weights``: weights the optimizer leaves alone."""
    _track(layer, list(weights), False)


def set_constraints(layer, constraints):
    """Keras 1's ``self.constraints = {variable: constraint}`` (or ``[variable] = ...``), as
    (variable, constraint) pairs or a dict."""
    pairs = constraints.items() if isinstance(constraints, dict) else constraints
    for variable, constraint in pairs:
        if constraint is not None:
            variable.constraint = keras.constraints.get(constraint)


def learning_phase_value() -> bool:
    """True when the Keras 3 call being computed is a training one."""
    from keras.src.backend.common import global_state

    context = global_state.get_global_attribute("current_call_ctx")
    return bool(getattr(context, "training", None) or False)


_PENDING: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def add_updates(layer, updates):
    """Keras 1's ``self.updates = [(variable, new_value), ...]`` in ``call()``: the new values
    (computed from the variables as they are now) wait for :func:`with_updates`."""
    _PENDING.setdefault(layer, []).extend(tuple(update) for update in updates)


def with_updates(layer, outputs):
    """``call()``'s return value, after assigning the updates it declared (in training only).
    Keras 1 applied them after the training step: nothing in the layer's computation saw
    the new values, so they are assigned once its outputs are computed."""
    pending = _PENDING.pop(layer, [])
    if learning_phase_value():
        for variable, value in pending:
            variable.assign(value)
    return outputs


def _value(x):
    return x() if callable(x) else x


def in_train_phase(x, alt, training=None):
    """``x`` in training, ``alt`` otherwise (either may be a function computing it)."""
    training = learning_phase_value() if training is None else bool(training)
    return _value(x) if training else _value(alt)


def in_test_phase(x, alt, training=None):
    """``x`` in inference, ``alt`` in training."""
    return in_train_phase(alt, x, training)
