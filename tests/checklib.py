"""What the per-backend checker scripts share (tests/*/check_*.py).

A checker registers functions with @check (after `backend_selected`, registered here first);
`run()` calls them all in one process (importing
Keras costs seconds) and prints {name: {"ok", "detail"}} as one JSON line, which
tests/backends.py reads back for each backend.
"""
from __future__ import annotations

import json
import sys
import time
import traceback

import numpy as np

TOL = 1e-5
CHECKS: dict = {}


def check(fn):
    CHECKS[fn.__name__] = fn
    return fn


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def close(a, b, what, tol=TOL):
    a, b = np.asarray(a), np.asarray(b)
    expect(a.shape == b.shape, f"{what}: shapes {a.shape} != {b.shape}")
    diff = float(np.max(np.abs(a - b))) if a.size else 0.0
    expect(diff <= tol, f"{what}: max abs diff {diff:.3g} > {tol}")
    return diff


def raises(exc_type, fn, what):
    try:
        fn()
    except exc_type as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"{what}: raised {type(exc).__name__} ({exc}), expected {exc_type.__name__}")
    raise AssertionError(f"{what}: did not raise {exc_type.__name__}")


@check
def backend_selected():
    """Every checker's first check: the process runs on the backend KERAS_BACKEND asked for."""
    import os

    import keras

    wanted = os.environ.get("KERAS_BACKEND", "tensorflow")
    expect(keras.backend.backend() == wanted, f"running on {keras.backend.backend()}, asked for {wanted}")
    return wanted


def rand(*shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32")


def numpy(x):
    from keras import ops

    return ops.convert_to_numpy(x)


def run():
    """Run every registered check; print the results as one JSON line."""
    results = {}
    for name, fn in CHECKS.items():
        start = time.perf_counter()
        try:
            detail = fn()
            results[name] = {"ok": True, "detail": f"[{time.perf_counter() - start:.1f} s] {detail or ''}"}
        except Exception:  # noqa: BLE001
            results[name] = {"ok": False, "detail": traceback.format_exc(limit=4)[-3000:]}
    sys.stdout.flush()
    print(json.dumps(results))
