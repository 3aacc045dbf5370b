"""Convert a Keras 1 snippet, run it with Keras 3, and compare what it built with what
Keras 1.2.2 meant.

Expected values in the case tables are written from Keras 1.2.2 semantics (its source and
docs), never copied from k1port's output. Values are compared in three ways:

* plain values: against the object's get_config() (dotted keys descend into nested
  serialized objects, e.g. "layer.units" for TimeDistributed), lists and tuples alike;
* matchers (Init, Act, Reg, Con): against the live attribute (layer.kernel_initializer...),
  by meaning: an initializer by its class and parameters, an activation / regularizer /
  constraint numerically against the Keras 1 formula;
* shapes: the per-sample output shape Keras 1 would have produced, computed by hand.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pytest

from k1port.api import Options, convert_source
from k1port.findings import Level


def keras():
    import keras as _keras

    return _keras


# -- converting and running ----------------------------------------------------------------
@dataclass
class Run:
    source: str
    code: str
    findings: list
    ns: dict

    def errors(self):
        return [f for f in self.findings if f.level is Level.ERROR]

    def warnings(self):
        return [f for f in self.findings if f.level is Level.WARNING]

    def describe(self) -> str:
        found = "\n".join(f"  {f.level.value}: {f.kind}: {f.message}" for f in self.findings)
        return f"\n--- Keras 1 ---\n{self.source}\n--- converted ---\n{self.code}\n--- findings ---\n{found}"


def convert(src: str, dim: str | None = None):
    source = textwrap.dedent(src).strip() + "\n"
    return source, convert_source(source, Options(image_dim_ordering=dim))


def convert_and_run(src: str, dim: str | None = None, *, errors_ok: bool = False) -> Run:
    source, result = convert(src, dim)
    run = Run(source, result.code, list(result.findings), {"__name__": "k1port_layer_case"})
    if not errors_ok:
        assert not run.errors(), "unexpected ERROR findings" + run.describe()
    try:
        exec(compile(result.code, "<converted>", "exec"), run.ns)
    except Exception as exc:  # the converted code must run
        raise AssertionError(f"converted code raised {type(exc).__name__}: {exc}" + run.describe()) from exc
    return run


# -- matchers -------------------------------------------------------------------------------
class Matcher:
    """Compared against the live attribute rather than get_config()."""

    def check(self, value: Any, where: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def _close(a, b, rel=1e-6) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-12)
    return a == b


class Init(Matcher):
    """An initializer by meaning: a Keras 3 class (or base class) and its parameters."""

    def __init__(self, kind: str, **attrs) -> None:
        self.kind, self.attrs = kind, attrs

    def __repr__(self) -> str:
        return f"Init({self.kind}, {self.attrs})"

    def check(self, value, where):
        cls = getattr(keras().initializers, self.kind)
        assert isinstance(value, cls), f"{where}: {value!r} is not a {self.kind} (expected {self!r})"
        for name, want in self.attrs.items():
            got = getattr(value, name)
            assert _close(got, want), f"{where}.{name}: got {got!r}, expected {want!r}"


class Drawn(Matcher):
    """An initializer drawn as Keras 1 drew that weight: one block per gate (k1.PerGate) and/or
    in Keras 1's kernel layout (k1.Keras1Layout), around an initializer matching `inner`."""

    def __init__(self, inner: Init, gates: int = 1, layout: str | None = None) -> None:
        self.inner, self.gates, self.layout = inner, gates, layout

    def __repr__(self) -> str:
        return f"Drawn({self.inner!r}, gates={self.gates}, layout={self.layout!r})"

    def check(self, value, where):
        import k1port.runtime as k1

        if self.gates > 1:
            assert isinstance(value, k1.PerGate) and value.gates == self.gates, f"{where}: {value!r} is not {self!r}"
            value = value.initializer
        if self.layout is not None:
            assert isinstance(value, k1.Keras1Layout) and value.layout == self.layout, \
                f"{where}: {value!r} is not {self!r}"
            value = value.initializer
        self.inner.check(keras().initializers.get(value), where)


class Act(Matcher):
    """An activation function, checked numerically against the Keras 1 formula."""

    def __init__(self, ref: Callable[[np.ndarray], np.ndarray], name: str = "") -> None:
        self.ref, self.name = ref, name

    def __repr__(self) -> str:
        return f"Act({self.name})"

    def check(self, value, where):
        assert callable(value), f"{where}: {value!r} is not callable"
        x = np.linspace(-6.0, 6.0, 97, dtype="float32").reshape(1, -1)
        got = np.asarray(keras().ops.convert_to_numpy(value(x)))
        want = self.ref(x.astype("float64"))
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6, err_msg=f"{where} is not Keras 1's {self.name}")


class Reg(Matcher):
    """A weight/activity regularizer: penalty(W) == l1 * sum|W| + l2 * sum W**2 (Keras 1's
    L1L2Regularizer); Reg(None) means no regularizer."""

    W = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -0.25]], dtype="float32")

    def __init__(self, l1: float | None = 0.0, l2: float = 0.0) -> None:
        self.l1, self.l2 = l1, l2

    def __repr__(self) -> str:
        return f"Reg(l1={self.l1}, l2={self.l2})"

    def check(self, value, where):
        if self.l1 is None:
            assert value is None, f"{where}: expected no regularizer, got {value!r}"
            return
        assert value is not None, f"{where}: expected {self!r}, got None"
        got = float(keras().ops.convert_to_numpy(value(self.W)))
        if where.endswith("activity_regularizer"):
            # Keras 3 divides a layer's activity penalty by the batch size (here W's 2 rows);
            # Keras 1 did not: what counts is the penalty that reaches the loss.
            got /= self.W.shape[0]
        want = self.l1 * np.abs(self.W).sum() + self.l2 * np.square(self.W).sum()
        assert math.isclose(got, want, rel_tol=1e-5), f"{where}: penalty {got}, expected {want} ({self!r})"


NO_REG = Reg(None)


class Con(Matcher):
    """A weight constraint, checked numerically: constraint(W) == ref(W) for a fixed W."""

    def __init__(self, ref: Callable[[np.ndarray], np.ndarray], name: str = "", shape=(4, 3)) -> None:
        self.ref, self.name, self.shape = ref, name, shape

    def __repr__(self) -> str:
        return f"Con({self.name})"

    def check(self, value, where):
        if self.ref is None:
            assert value is None, f"{where}: expected no constraint, got {value!r}"
            return
        assert value is not None, f"{where}: expected {self!r}, got None"
        w = np.random.default_rng(7).normal(0.0, 2.0, self.shape).astype("float32")
        got = keras().ops.convert_to_numpy(value(keras().ops.convert_to_tensor(w)))
        np.testing.assert_allclose(got, self.ref(w.astype("float64")), rtol=1e-4, atol=1e-5,
                                   err_msg=f"{where} is not Keras 1's {self.name}")


NO_CON = Con(None, "none")


# Keras 1.2.2 constraints (keras/constraints.py), epsilon = K.epsilon() = 1e-7.
def k1_maxnorm(m=2.0, axis=0):
    def ref(w):
        norms = np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))
        return w * (np.clip(norms, 0, m) / (1e-7 + norms))

    return ref


def k1_unitnorm(axis=0):
    return lambda w: w / (1e-7 + np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True)))


def k1_nonneg():
    return lambda w: w * (w >= 0)


def k1_minmaxnorm(low=0.0, high=1.0, rate=1.0, axis=0):
    def ref(w):
        norms = np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))
        desired = rate * np.clip(norms, low, high) + (1 - rate) * norms
        return w * (desired / (1e-7 + norms))

    return ref


# -- Keras 1.2.2 initializers and activations, by meaning ----------------------------------
def _vs(scale, mode, distribution):
    return Init("VarianceScaling", scale=scale, mode=mode, distribution=distribution)


# keras/initializations.py. Keras 1 "normal" draws were untruncated (K.random_normal_variable).
K1_INIT = {
    "uniform": Init("RandomUniform", minval=-0.05, maxval=0.05),
    "normal": Init("RandomNormal", mean=0.0, stddev=0.05),
    # U(-sqrt(3 / fan_in), +): Keras 3 VarianceScaling uniform limit is sqrt(3 * scale / n).
    "lecun_uniform": _vs(1.0, "fan_in", "uniform"),
    # N(0, sqrt(2 / (fan_in + fan_out))) = sqrt(1 / fan_avg), untruncated.
    "glorot_normal": _vs(1.0, "fan_avg", "untruncated_normal"),
    # U(-sqrt(6 / (fan_in + fan_out)), +) = sqrt(3 / fan_avg).
    "glorot_uniform": _vs(1.0, "fan_avg", "uniform"),
    # N(0, sqrt(2 / fan_in)), untruncated.
    "he_normal": _vs(2.0, "fan_in", "untruncated_normal"),
    # U(-sqrt(6 / fan_in), +) = sqrt(3 * 2 / fan_in).
    "he_uniform": _vs(2.0, "fan_in", "uniform"),
    # orthogonal(shape, scale=1.1).
    "orthogonal": Init("Orthogonal", gain=1.1),
    "identity": Init("Identity", gain=1.0),
    "zero": Init("Zeros"),
    "one": Init("Ones"),
}
GLOROT = K1_INIT["glorot_uniform"]
ORTH = K1_INIT["orthogonal"]
ZEROS = K1_INIT["zero"]
ONES = K1_INIT["one"]


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# keras/activations.py and the backend's hard_sigmoid (clip(0.2 x + 0.5, 0, 1)).
K1_ACT = {
    "softmax": Act(_softmax, "softmax"),
    "elu": Act(lambda x: np.where(x > 0, x, np.exp(x) - 1), "elu"),
    "softplus": Act(lambda x: np.log1p(np.exp(x)), "softplus"),
    "softsign": Act(lambda x: x / (1 + np.abs(x)), "softsign"),
    "relu": Act(lambda x: np.maximum(x, 0), "relu"),
    "tanh": Act(np.tanh, "tanh"),
    "sigmoid": Act(lambda x: 1 / (1 + np.exp(-x)), "sigmoid"),
    "hard_sigmoid": Act(lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0), "hard_sigmoid (Keras 1)"),
    "linear": Act(lambda x: x, "linear"),
}
LINEAR, TANH, HARD_SIGMOID = K1_ACT["linear"], K1_ACT["tanh"], K1_ACT["hard_sigmoid"]


# -- comparing -----------------------------------------------------------------------------
def _norm(v):
    if isinstance(v, (list, tuple)):
        return tuple(_norm(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def _same(got, want) -> bool:
    if isinstance(got, tuple) and len(got) == 1 and not isinstance(want, tuple):
        got = got[0]  # Keras 3 stores 1-D sizes as 1-tuples: (3,) means 3
    if isinstance(got, tuple) and isinstance(want, tuple):
        return len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))
    return got == want or _close(got, want)


def _config_value(obj, key: str):
    cfg = obj.get_config()
    parts = key.split(".")
    value: Any = cfg
    for part in parts:
        if isinstance(value, dict) and "class_name" in value and "config" in value:
            value = value["config"]
        assert isinstance(value, dict) and part in value, f"get_config() has no {key!r}: {cfg}"
        value = value[part]
    return value


def _attr_value(obj, key: str):
    value = obj
    for part in key.split("."):
        value = getattr(value, part)
    return value


def check_expected(obj, expect: dict, run: Run | None = None) -> None:
    """Every expected key must hold (collects all mismatches before failing)."""
    problems = []
    for key, want in expect.items():
        try:
            if isinstance(want, Matcher):
                want.check(_attr_value(obj, key), key)
            else:
                got = _norm(_config_value(obj, key))
                ok = _same(got, _norm(want))
                assert ok, f"{key}: got {got!r}, expected {want!r}"
        except AssertionError as exc:
            problems.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - report every key, not just the first
            problems.append(f"{key}: {type(exc).__name__}: {exc}")
    if problems:
        raise AssertionError("\n".join(problems) + (run.describe() if run else ""))


# -- layer cases ---------------------------------------------------------------------------
@dataclass
class Case:
    """One Keras 1 constructor call (bound to `layer`) and what it meant in Keras 1."""

    id: str
    src: str
    expect: dict = field(default_factory=dict)
    shape: tuple | None = None  # per-sample input shape to build and call the layer on
    out: tuple | None = None  # per-sample output shape Keras 1 produced for it
    dim: str | None = None  # Options(image_dim_ordering=...)
    check: Callable | None = None  # check(layer, x, y): further semantics, numerically
    warns: tuple = ()  # finding kinds that must be reported at WARNING level
    ints: int | None = None  # feed integer ids below this (Embedding)
    bug: str | None = None  # a known k1port bug: xfail(strict=True)

    def param(self):
        marks = [pytest.mark.xfail(strict=True, reason=f"k1port bug: {self.bug}")] if self.bug else []
        return pytest.param(self, id=self.id, marks=marks)


def sample(shape, ints: int | None = None, seed: int = 0, batch: int = 2):
    rng = np.random.default_rng(seed)
    if ints is not None:
        return rng.integers(1, ints, size=(batch, *shape)).astype("int32")
    return rng.standard_normal((batch, *shape)).astype("float32")


def run_case(case: Case):
    run = convert_and_run(case.src, case.dim)
    kinds = {f.kind for f in run.warnings()}
    missing = [k for k in case.warns if k not in kinds]
    assert not missing, f"expected WARNING findings {missing}" + run.describe()
    layer = run.ns["layer"]
    check_expected(layer, case.expect, run)
    if case.shape is not None:
        x = sample(case.shape, case.ints)
        try:
            y = layer(x)
        except Exception as exc:
            raise AssertionError(f"calling the converted layer on {x.shape} raised "
                                 f"{type(exc).__name__}: {exc}" + run.describe()) from exc
        y_np = keras().ops.convert_to_numpy(y)
        if case.out is not None:
            assert tuple(y_np.shape) == (x.shape[0], *case.out), \
                f"output shape {tuple(y_np.shape)}, Keras 1: {(x.shape[0], *case.out)}" + run.describe()
        if case.check is not None:
            case.check(layer, x, y_np)
    elif case.check is not None:
        case.check(layer, None, None)
    return run


# -- writing Keras 1 snippets --------------------------------------------------------------
_K1_MODULES = {
    "keras.layers": (
        "Dense Activation Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D Flatten Reshape "
        "Permute RepeatVector Lambda ActivityRegularization Masking Highway MaxoutDense "
        "TimeDistributedDense Convolution1D AtrousConvolution1D Convolution2D AtrousConvolution2D "
        "SeparableConvolution2D Deconvolution2D Convolution3D UpSampling1D UpSampling2D UpSampling3D "
        "ZeroPadding1D ZeroPadding2D ZeroPadding3D Cropping1D Cropping2D Cropping3D MaxPooling1D "
        "AveragePooling1D MaxPooling2D AveragePooling2D MaxPooling3D AveragePooling3D "
        "GlobalMaxPooling1D GlobalAveragePooling1D GlobalMaxPooling2D GlobalAveragePooling2D "
        "GlobalMaxPooling3D GlobalAveragePooling3D SimpleRNN GRU LSTM ConvLSTM2D BatchNormalization "
        "Embedding GaussianNoise GaussianDropout LeakyReLU PReLU ELU ThresholdedReLU ParametricSoftplus "
        "SReLU TimeDistributed Bidirectional LocallyConnected1D LocallyConnected2D Input InputLayer "
        "merge Merge").split(),
    "keras.regularizers": "l1 l2 l1l2 activity_l1 activity_l2 activity_l1l2 L1L2Regularizer".split(),
    "keras.constraints": "maxnorm nonneg unitnorm MaxNorm NonNeg UnitNorm MinMaxNorm".split(),
    "keras.optimizers": "SGD RMSprop Adagrad Adadelta Adam Adamax Nadam".split(),
    "keras.models": "Sequential Model".split(),
}


def k1src(body: str) -> str:
    """`body` (Keras 1 code) with the `from keras... import ...` lines it needs prepended."""
    import re

    body = textwrap.dedent(body).strip()
    used = set(re.findall(r"\b[A-Za-z_][A-Za-z0-9_]*\b", re.sub(r"'[^']*'|\"[^\"]*\"", "", body)))
    lines = []
    for module, names in _K1_MODULES.items():
        wanted = [n for n in names if n in used]
        if wanted:
            lines.append(f"from {module} import {', '.join(wanted)}")
    return "\n".join(lines) + "\n" + body + "\n"


def L(call: str) -> str:
    """A snippet binding `layer` to one Keras 1 constructor call."""
    return k1src(f"layer = {call}")
