"""k1port.runtime's keras1_backend layers (Theano's border_mode='same') on both Keras backends.

check_padding.py compares them with the real Keras 1.2.2's numbers in
data/padding_reference.npz (regenerate: tests/oracle/run.sh tests/runtime/make_padding_reference.py)
and checks their Keras 3 side. Importing Keras takes seconds, so it runs every check in one
process per backend; the two processes start together and each test reads one result.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("check_padding.py")
ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("tensorflow", "torch")
TIMEOUT_S = 300

# The checks check_padding.py defines, in its order (the script must report exactly these).
CHECKS = (
    "backend_selected",
    "reference_data",
    "conv1d_theano_same",
    "conv2d_theano_same",
    "conv3d_theano_same",
    "deconv2d_theano_same",
    "pool1d_theano_same",
    "pool2d_theano_same",
    "pool3d_theano_same",
    "keras3_same_differs_where_predicted",
    "matches_parent_elsewhere",
    "channels_first_equals_channels_last",
    "channels_first_bias",
    "none_spatial_sizes",
    "layer_config_round_trip",
    "keras_file_round_trip",
    "weights_load_from_plain_layers",
    "trains",
    "refused_arguments",
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
        pytest.fail(f"check_padding.py on {backend} ran over {TIMEOUT_S} s")
    lines = stdout.strip().splitlines()
    assert processes[backend].returncode == 0 and lines, (
        f"check_padding.py on {backend} exited {processes[backend].returncode}:\n{stderr[-3000:]}")
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
    assert check in results, f"check_padding.py did not report {check!r} on {backend}"
    result = results[check]
    assert result["ok"], f"{check} on {backend}:\n{result['detail']}"
