"""k1port.runtime.merge (Keras 1's Merge / merge) on both Keras backends, against Keras 1.2.2.

check_merge.py runs every check in one process per backend (importing Keras costs
seconds); the two processes start together and each test reads one result. The Keras 1
inputs, outputs, masks and shapes under data/ come from the real Keras 1.2.2
(make_reference.py, run in the oracle: ``tests/oracle/run.sh tests/merge/make_reference.py``).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SCRIPT = HERE / "check_merge.py"
DATA = HERE / "data"
ROOT = HERE.parents[1]
META = json.loads((DATA / "meta.json").read_text())
BACKENDS = ("tensorflow", "torch")
TIMEOUT_S = 300

# The checks check_merge.py defines, in its order (the script must report exactly these):
# one per Keras 1 case and per Keras 1 error in the reference data, and the rest.
CHECKS = (
    ("backend_selected", "reference_covers_cases")
    + tuple("case_" + name for name in META["cases"])
    + ("errors_cover_reference",)
    + tuple("error_" + name for name in META["errors"] if name != "function_without_output_shape")
    + ("function_without_output_shape", "layers_argument_raises", "merge_called_twice", "eager_tensors",
       "cos_epsilon_from_config", "constant_output_mask", "trains", "config_round_trip",
       "lambda_auto_names_untouched", "keras_file_round_trip", "keras_file_safe_mode",
       "dot_axes_normalisation")
)


def _start(backend: str) -> subprocess.Popen:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.Popen([sys.executable, str(SCRIPT)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def processes():
    """Both backends' check runs, started at once (they run in parallel)."""
    pytest.importorskip("keras")
    started = {backend: _start(backend) for backend in BACKENDS}
    yield started
    for process in started.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


_RESULTS: dict = {}


def _results(processes, backend: str) -> dict:
    if backend not in _RESULTS:
        try:
            stdout, stderr = processes[backend].communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            processes[backend].kill()
            pytest.fail(f"check_merge.py on {backend} ran over {TIMEOUT_S} s")
        lines = stdout.strip().splitlines()
        assert processes[backend].returncode == 0 and lines, (
            f"check_merge.py on {backend} exited {processes[backend].returncode}:\n{stderr[-3000:]}")
        _RESULTS[backend] = json.loads(lines[-1])
    return _RESULTS[backend]


@pytest.mark.parametrize("backend", BACKENDS)
def test_reports_exactly_the_listed_checks(processes, backend):
    assert list(_results(processes, backend)) == list(CHECKS)


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_check(processes, backend, check):
    results = _results(processes, backend)
    assert check in results, f"check_merge.py did not report {check!r} on {backend}"
    result = results[check]
    assert result["ok"], f"{check} on {backend}:\n{result['detail']}"


def test_reference_is_current():
    """data/ was written by the current make_reference.py (rerun it in the oracle after editing it)."""
    sha = hashlib.sha256((HERE / "make_reference.py").read_bytes()).hexdigest()
    assert META["script_sha256"] == sha, (
        "tests/merge/make_reference.py changed since data/ was made: run "
        "`tests/oracle/run.sh tests/merge/make_reference.py` and commit data/")
    assert META["keras_version"] == "1.2.2" and META["backend"] == "theano"


def test_reference_files_are_small():
    sizes = {f.name: f.stat().st_size for f in DATA.iterdir()}
    assert set(sizes) == {"reference.npz", "meta.json"}, sizes
    assert all(size < 64_000 for size in sizes.values()), sizes
