"""keras.regularizers and keras.constraints: factors, defaults and what they compute.

Keras 1.2.2 (keras/regularizers.py): L1L2Regularizer(l1=0., l2=0.) with penalty
l1 * sum|W| + l2 * sum W**2; l1(l=0.01), l2(l=0.01), l1l2(l1=0.01, l2=0.01) and the
activity_* aliases; strings ('l2') meant the function called with its defaults.
An activity penalty was added to the loss as regularizer(output) over the whole batch
(keras/engine/topology.py Layer.__call__), not divided by the batch size.

Keras 1.2.2 (keras/constraints.py): MaxNorm(m=2, axis=0), NonNeg(), UnitNorm(axis=0),
MinMaxNorm(low=0.0, high=1.0, rate=1.0, axis=0); aliases maxnorm, nonneg, unitnorm.
`axis` indexes the Keras 1 weight layout: Convolution2D 'th' kernels were
(nb_filter, stack, rows, cols), 'tf' (rows, cols, stack, nb_filter), Convolution1D
(filter_length, 1, input_dim, nb_filter); Keras 1's docs: axis=[1, 2, 3] ('th') or
[0, 1, 2] ('tf') constrains each filter.
"""
from __future__ import annotations

import numpy as np
import pytest

from k1layers_harness import (Con, Reg, check_expected, convert_and_run, k1_maxnorm, k1_minmaxnorm,
                              k1_nonneg, k1_unitnorm, k1src, keras)

REGULARIZERS = [
    ("l1()", Reg(l1=0.01)),
    ("l1(0.1)", Reg(l1=0.1)),
    ("l1(l=0.2)", Reg(l1=0.2)),
    ("l2()", Reg(l2=0.01)),
    ("l2(0.3)", Reg(l2=0.3)),
    ("l2(l=0.3)", Reg(l2=0.3)),
    ("l1l2()", Reg(l1=0.01, l2=0.01)),
    ("l1l2(0.1, 0.2)", Reg(l1=0.1, l2=0.2)),
    ("l1l2(l2=0.5)", Reg(l1=0.01, l2=0.5)),
    ("L1L2Regularizer()", Reg(l1=0.0, l2=0.0)),
    ("L1L2Regularizer(l1=0.1)", Reg(l1=0.1, l2=0.0)),
    ("L1L2Regularizer(0.1, 0.2)", Reg(l1=0.1, l2=0.2)),
    ("activity_l1()", Reg(l1=0.01)),
    ("activity_l2(0.2)", Reg(l2=0.2)),
    ("activity_l1l2()", Reg(l1=0.01, l2=0.01)),
    ("activity_l1l2(l1=0.3)", Reg(l1=0.3, l2=0.01)),
]


@pytest.mark.parametrize("call, reg", REGULARIZERS, ids=[c for c, _ in REGULARIZERS])
def test_regularizer(call, reg):
    run = convert_and_run(k1src(f"r = {call}"))
    reg.check(run.ns["r"], call)


# Keras 1 strings for regularizers / constraints in layer arguments meant the function with
# its defaults (get_from_module(..., instantiate=True)).
STRINGS = [
    ("Dense(3, W_regularizer='l2')", {"kernel_regularizer": Reg(l2=0.01)}),
    ("Dense(3, b_regularizer='l1')", {"bias_regularizer": Reg(l1=0.01)}),
    ("Dense(3, W_regularizer='l1l2')", {"kernel_regularizer": Reg(l1=0.01, l2=0.01)}),
    ("Dense(3, W_constraint='maxnorm')", {"kernel_constraint": Con(k1_maxnorm(2, 0), "maxnorm()")}),
    ("Dense(3, W_constraint='nonneg')", {"kernel_constraint": Con(k1_nonneg(), "nonneg()")}),
    ("Dense(3, W_constraint='unitnorm')", {"kernel_constraint": Con(k1_unitnorm(0), "unitnorm()")}),
]
@pytest.mark.parametrize("call, expect", [
    pytest.param(c, e, id=c, marks=[]) for c, e in STRINGS])
def test_string_identifiers(call, expect):
    run = convert_and_run(k1src(f"layer = {call}"))
    check_expected(run.ns["layer"], expect, run)


CONSTRAINTS = [
    ("maxnorm()", Con(k1_maxnorm(2, 0), "maxnorm()")),
    ("maxnorm(3)", Con(k1_maxnorm(3, 0), "maxnorm(3)")),
    ("maxnorm(m=1.5, axis=1)", Con(k1_maxnorm(1.5, 1), "maxnorm(1.5, axis=1)")),
    ("MaxNorm(2.5, axis=[0, 1])", Con(k1_maxnorm(2.5, (0, 1)), "MaxNorm(2.5, [0, 1])")),
    ("nonneg()", Con(k1_nonneg(), "nonneg()")),
    ("NonNeg()", Con(k1_nonneg(), "NonNeg()")),
    ("unitnorm()", Con(k1_unitnorm(0), "unitnorm()")),
    ("unitnorm(axis=1)", Con(k1_unitnorm(1), "unitnorm(axis=1)")),
    ("UnitNorm(1)", Con(k1_unitnorm(1), "UnitNorm(1)")),
    ("MinMaxNorm()", Con(k1_minmaxnorm(), "MinMaxNorm()")),
    ("MinMaxNorm(low=0.5, high=2.0, rate=0.5, axis=1)", Con(k1_minmaxnorm(0.5, 2.0, 0.5, 1), "MinMaxNorm(...)")),
    ("MinMaxNorm(0.5, 2.0, 0.5, 1)", Con(k1_minmaxnorm(0.5, 2.0, 0.5, 1), "MinMaxNorm(positional)")),
]


@pytest.mark.parametrize("call, con", CONSTRAINTS, ids=[c for c, _ in CONSTRAINTS])
def test_constraint(call, con):
    run = convert_and_run(k1src(f"c = {call}"))
    try:
        con.check(run.ns["c"], call)
    except AssertionError as exc:
        raise AssertionError(str(exc) + run.describe()) from None


# -- constraints on convolution kernels: `axis` refers to Keras 1's kernel layout -------------------
FILTERS = 5
KERNEL_CONSTRAINTS = [
    pytest.param("Convolution2D(5, 3, 4, dim_ordering='tf', W_constraint=maxnorm(1.0, axis=[0, 1, 2]))",
                 (6, 6, 2), id="Convolution2D-tf-per-filter"),
    pytest.param("Convolution2D(5, 3, 4, dim_ordering='th', W_constraint=maxnorm(1.0, axis=[1, 2, 3]))",
                 (2, 6, 6), id="Convolution2D-th-per-filter"),
    pytest.param("Convolution1D(5, 3, W_constraint=maxnorm(1.0, axis=[0, 1, 2]))",
                 (6, 2), id="Convolution1D-per-filter"),
]


@pytest.mark.parametrize("call, in_shape", KERNEL_CONSTRAINTS)
def test_per_filter_maxnorm(call, in_shape):
    """Keras 1: every filter's weights scaled to norm <= 1, the filters left independent."""
    K = keras()
    run = convert_and_run(k1src(f"layer = {call}"))
    layer = run.ns["layer"]
    layer(np.zeros((1, *in_shape), "float32"))
    kernel = K.ops.convert_to_numpy(layer.kernel)
    filter_axis = [i for i, n in enumerate(kernel.shape) if n == FILTERS]
    assert len(filter_axis) == 1, kernel.shape
    big = np.moveaxis(np.random.default_rng(1).normal(0, 3, kernel.shape), filter_axis[0], 0)
    big[0] *= 0.001  # one filter already within the bound: Keras 1 leaves it as it is
    big = np.moveaxis(big, 0, filter_axis[0]).astype("float32")
    out = np.moveaxis(K.ops.convert_to_numpy(layer.kernel_constraint(K.ops.convert_to_tensor(big))),
                      filter_axis[0], 0).reshape(FILTERS, -1)
    norms = np.sqrt((out ** 2).sum(axis=1))
    small = np.moveaxis(big, filter_axis[0], 0).reshape(FILTERS, -1)[0]
    np.testing.assert_allclose(norms[1:], 1.0, rtol=1e-4, err_msg="filter norms" + run.describe())
    np.testing.assert_allclose(out[0], small, rtol=1e-4, err_msg="small filter changed" + run.describe())


# -- activity penalties: summed over the batch in Keras 1 -----------------------------------------
ACTIVITY = [
    ("Dense(2, init='one', bias=False, activity_regularizer=activity_l2(0.1))",
     lambda y: 0.1 * np.square(y).sum()),
    ("Dense(2, init='one', bias=False, activity_regularizer=activity_l1(0.1))",
     lambda y: 0.1 * np.abs(y).sum()),
    ("ActivityRegularization(l1=0.1, l2=0.2)", lambda y: 0.1 * np.abs(y).sum() + 0.2 * np.square(y).sum()),
]


@pytest.mark.parametrize("call, penalty", [
    pytest.param(c, p, id=c)
    for c, p in ACTIVITY])
def test_activity_penalty_is_summed_over_the_batch(call, penalty):
    K = keras()
    run = convert_and_run(k1src(f"layer = {call}"))
    layer = run.ns["layer"]
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10.0
    y = K.ops.convert_to_numpy(layer(x)).astype("float64")
    got = sum(float(K.ops.convert_to_numpy(loss)) for loss in layer.losses)
    np.testing.assert_allclose(got, penalty(y), rtol=1e-5, err_msg=run.describe())
