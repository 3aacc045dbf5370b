"""k1port.runtime on both Keras backends.

Importing Keras takes seconds, so check_runtime.py runs every runtime check in one
process per backend; the two processes start together and each test reads one result.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("check_runtime.py")
ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("tensorflow", "torch")
TIMEOUT_S = 300

# The checks check_runtime.py defines, in its order (the script must report exactly these).
CHECKS = (
    "backend_selected",
    "hard_sigmoid_values",
    "hard_sigmoid_serialization",
    "activation_conversion",
    "initializer_names",
    "initializer_callables",
    "dim_ordering",
    "conv2d_channels_first",
    "conv2d_layout_sensitive_activation",
    "conv2d_transpose_channels_first",
    "convlstm2d_channels_first",
    "convlstm2d_channels_first_stateful_and_dropout",
    "layers_match_parent_elsewhere",
    "weights_load_from_plain_layers",
    "layer_config_round_trip",
    "keras_file_round_trip",
    "nodes_shared_lstm",
    "nodes_shared_conv_different_sizes",
    "nodes_masks_and_multiple_tensors",
)


def _start(backend: str) -> subprocess.Popen:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.Popen([sys.executable, str(SCRIPT)], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def processes():
    """Both backends' check runs, started at once (they run in parallel)."""
    started = {backend: _start(backend) for backend in BACKENDS}
    yield started
    for process in started.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


def _results(processes, backend: str) -> dict:
    try:
        stdout, stderr = processes[backend].communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        processes[backend].kill()
        pytest.fail(f"check_runtime.py on {backend} ran over {TIMEOUT_S} s")
    lines = stdout.strip().splitlines()
    assert processes[backend].returncode == 0 and lines, (
        f"check_runtime.py on {backend} exited {processes[backend].returncode}:\n{stderr[-3000:]}")
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def tensorflow_results(processes):
    return _results(processes, "tensorflow")


@pytest.fixture(scope="module")
def torch_results(processes):
    return _results(processes, "torch")


@pytest.fixture
def results(request, backend):
    return request.getfixturevalue(f"{backend}_results")


@pytest.mark.parametrize("backend", BACKENDS)
def test_reports_exactly_the_listed_checks(results, backend):
    assert list(results) == list(CHECKS)


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("backend", BACKENDS)
def test_check(results, backend, check):
    assert check in results, f"check_runtime.py did not report {check!r} on {backend}"
    result = results[check]
    assert result["ok"], f"{check} on {backend}:\n{result['detail']}"
