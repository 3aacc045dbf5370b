"""Every converted seed example (fixtures/seed/) runs, on the TensorFlow and torch backends.

All fixtures are converted into a temporary folder once; tests/e2e/run_scripts.py then runs
them all in one process per backend (importing Keras costs seconds), and each
(backend, fixture) pair is one test whose failure message is the script's traceback.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from k1port.api import Options, convert_source
from seed_helpers import FIXTURE_IDS, FIXTURES, ROOT

RUNNER = Path(__file__).with_name("run_scripts.py")
MARKER = "K1PORT-E2E-RESULT "
BACKENDS = ("tensorflow", "torch")
BACKEND_MODULE = {"tensorflow": "tensorflow", "torch": "torch"}
TIMEOUT_S = 600

pytestmark = pytest.mark.skipif(not FIXTURES, reason="no fixtures in fixtures/seed/")


@pytest.fixture(scope="module")
def converted_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed_converted")
    for path in FIXTURES:
        try:
            code = convert_source(path.read_text(), Options()).code
        except Exception as exc:  # noqa: BLE001 - reported by the run test of that fixture
            code = f"raise RuntimeError({f'k1port could not convert {path.name}: {exc!r}'!r})\n"
        (out / path.name).write_text(code)
    return out


def _run_backend(backend: str, scripts: list[Path]) -> dict:
    """{script stem: {"ok", "seconds", "error"}}; a runner that dies fails every script."""
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
           "PYTHONHASHSEED": "0"}
    try:
        proc = subprocess.run([sys.executable, str(RUNNER), *map(str, scripts)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        tail = (exc.stderr or b"")[-3000:] if isinstance(exc.stderr, bytes) else (exc.stderr or "")[-3000:]
        error = f"runner timed out after {TIMEOUT_S}s on {backend}\n{tail}"
        return {p.stem: {"ok": False, "seconds": None, "error": error} for p in scripts}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARKER)]
    if not lines:
        error = (f"runner exited {proc.returncode} without a result on {backend}\n"
                 f"--- stderr (tail) ---\n{proc.stderr[-3000:]}\n--- stdout (tail) ---\n{proc.stdout[-1500:]}")
        return {p.stem: {"ok": False, "seconds": None, "error": error} for p in scripts}
    report = json.loads(lines[-1][len(MARKER):])
    assert report["backend"] == backend, report["backend"]
    return {Path(path).stem: result for path, result in report["results"].items()}


@pytest.fixture(scope="module")
def run_results(converted_dir):
    """Runs lazily, once per backend, and caches the results for the module."""
    cache: dict[str, dict] = {}
    scripts = sorted(converted_dir.glob("*.py"))

    def get(backend: str) -> dict:
        if backend not in cache:
            cache[backend] = _run_backend(backend, scripts)
        return cache[backend]

    return get


@pytest.mark.parametrize("name", FIXTURE_IDS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_converted_seed_runs(run_results, backend, name):
    if importlib.util.find_spec(BACKEND_MODULE[backend]) is None:
        pytest.skip(f"{BACKEND_MODULE[backend]} is not installed")
    result = run_results(backend)[name]
    assert result["ok"], f"{name}.py (converted) failed on {backend}:\n{result['error']}"
