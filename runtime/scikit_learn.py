"""Keras 1's ``keras.wrappers.scikit_learn``: ``KerasClassifier`` and ``KerasRegressor``.

Keras 3 has only ``keras.wrappers.SKLearnClassifier``, with another contract. These keep
Keras 1.2.2's: ``build_fn`` (a function, a callable object, or ``None`` for a subclass's
``__call__``) makes and compiles a model; ``sk_params`` holds both ``build_fn``'s arguments
and those of ``fit`` / ``predict`` / ``evaluate``, split by name, under Keras 1's names
(``nb_epoch``), which stay valid in parameter grids (``param_grid={'nb_epoch': [3, 6]}``).
Keras 1's defaults hold where ``sk_params`` is silent: 10 epochs, batches of 32,
``verbose=1`` for ``fit``, ``predict`` and ``score``. ``fit`` makes a fresh model each time
and one-hot encodes class labels when the loss is ``categorical_crossentropy``; the
classifier's ``predict`` gives class indices (argmax, or ``p > 0.5`` for one output) and
``score`` the ``'acc'`` metric; the regressor's ``predict`` is squeezed and its ``score`` is
the loss itself (Keras 1.2.2 did not negate it, so scikit-learn's searches, which maximise
the score, prefer the largest loss).

They are scikit-learn estimators (``get_params``/``set_params`` for ``clone`` and
``GridSearchCV``; ``classes_`` after ``fit``). One difference from Keras 1's time: Keras
1's wrapper did not declare itself a classifier, so ``GridSearchCV(cv=k)`` split folds
with ``KFold``; modern scikit-learn needs the declaration (probability scorers ask for it)
and then stratifies label vectors: pass ``cv=KFold(k)`` for Keras 1's folds.
"""
from __future__ import annotations

import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from k1port.runtime.training import predict_classes, predict_proba

__all__ = ["KerasClassifier", "KerasRegressor"]

# Keras 1.2.2's Sequential.fit / predict / predict_classes / evaluate arguments and defaults
# (x, y aside): the names sk_params may carry, and what Keras 1 used when it did not.
_FIT = {"batch_size": 32, "nb_epoch": 10, "verbose": 1, "callbacks": None, "validation_split": 0.0,
        "validation_data": None, "shuffle": True, "class_weight": None, "sample_weight": None,
        "initial_epoch": 0}
_PREDICT = {"batch_size": 32, "verbose": 0}
_PREDICT_CLASSES = {"batch_size": 32, "verbose": 1}
_EVALUATE = {"batch_size": 32, "verbose": 1, "sample_weight": None}
# Keras 3 spellings accepted too, for code edited after conversion.
_KERAS3_NAMES = {"epochs": "nb_epoch"}


def _arg_names(fn) -> set[str]:
    return {name for name, p in inspect.signature(fn).parameters.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _keras1(params: dict) -> dict:
    return {_KERAS3_NAMES.get(k, k): v for k, v in params.items()}


def _loss_name(model) -> str | None:
    loss = model.loss
    if isinstance(loss, str):
        return loss
    return getattr(loss, "__name__", None) or getattr(getattr(loss, "fn", None), "__name__", None)


def _one_hot(model, y):
    """Keras 1 one-hot encoded 1-D labels (0..max) for a categorical_crossentropy model."""
    y = np.asarray(y)
    if _loss_name(model) == "categorical_crossentropy" and y.ndim != 2:
        labels = y.ravel().astype(int)
        y = np.zeros((len(labels), labels.max() + 1))
        y[np.arange(len(labels)), labels] = 1
    return y


class _Wrapper(BaseEstimator):
    def __init__(self, build_fn=None, **sk_params):
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _build_callable(self):
        if self.build_fn is None:
            return self.__call__
        if inspect.isfunction(self.build_fn) or inspect.ismethod(self.build_fn):
            return self.build_fn
        return self.build_fn.__call__

    def check_params(self, params):
        """Keras 1's check: every parameter is an argument of build_fn or of fit / predict /
        predict_classes / evaluate (ValueError otherwise)."""
        legal = {*_FIT, *_PREDICT, *_PREDICT_CLASSES, *_EVALUATE, *_arg_names(self._build_callable())}
        for name in params:
            if _KERAS3_NAMES.get(name, name) not in legal:
                raise ValueError(f"{name} is not a legal parameter")

    def get_params(self, deep=True, **params):
        """``build_fn`` and ``sk_params`` (as given: scikit-learn's ``clone`` checks identity)."""
        return {**self.sk_params, "build_fn": self.build_fn}

    def set_params(self, **params):
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn, override=None):
        """The sk_params that are arguments of ``fn``, then ``override``."""
        names = _arg_names(fn)
        res = {k: v for k, v in self.sk_params.items() if k in names}
        res.update(override or {})
        return res

    def _args(self, defaults: dict, override: dict) -> dict:
        """Keras 1's arguments of one method: its defaults, sk_params, then the call's own."""
        given = {**_keras1(self.sk_params), **_keras1(override)}
        return {k: given.get(k, default) for k, default in defaults.items()}

    def fit(self, x, y, **kwargs):
        """Build a fresh model with ``build_fn`` and train it as Keras 1's ``fit``; returns the History."""
        build = self._build_callable()
        self.model = build(**self.filter_sk_params(build))
        y = _one_hot(self.model, y)
        if isinstance(self, ClassifierMixin):
            y_arr = np.asarray(y)
            self.classes_ = (np.arange(y_arr.shape[1]) if y_arr.ndim == 2 and y_arr.shape[1] > 1
                             else np.unique(y_arr))
        args = self._args(_FIT, kwargs)
        args["epochs"] = args.pop("nb_epoch")
        return self.model.fit(x, y, **args)


class KerasClassifier(ClassifierMixin, _Wrapper):
    """Keras 1's scikit-learn classifier (see the module docstring)."""

    def predict(self, x, **kwargs):
        """Class indices, as Keras 1's ``predict_classes``."""
        return predict_classes(self.model, x, **self._args(_PREDICT_CLASSES, kwargs))

    def predict_proba(self, x, **kwargs):
        """Class probabilities; one sigmoid output gives the two columns (1 - p, p)."""
        probs = predict_proba(self.model, x, **self._args(_PREDICT_CLASSES, kwargs))
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def score(self, x, y, **kwargs):
        """The model's accuracy metric on (x, y) (``metrics=['accuracy']`` is required)."""
        y = _one_hot(self.model, y)
        outputs = self.model.evaluate(x, y, return_dict=True, **self._args(_EVALUATE, kwargs))
        for name in ("acc", "accuracy"):
            if name in outputs:
                return float(outputs[name])
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         "`metrics=[\"accuracy\"]` to the `model.compile()` method.")


class KerasRegressor(RegressorMixin, _Wrapper):
    """Keras 1's scikit-learn regressor (see the module docstring)."""

    def predict(self, x, **kwargs):
        return np.squeeze(self.model.predict(x, **self._args(_PREDICT, kwargs)))

    def score(self, x, y, **kwargs):
        """The loss on (x, y), as Keras 1.2.2 returned it (not negated)."""
        outputs = self.model.evaluate(x, y, return_dict=True, **self._args(_EVALUATE, kwargs))
        return float(outputs["loss"])
