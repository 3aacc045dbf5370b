"""k1port.runtime.weights (Keras 1 weight files) on both Keras backends.

check_weights.py runs every check in one process per backend (importing Keras costs
seconds); the two processes start together and each test reads one result. The Keras 1
files and predictions under data/ come from the real Keras 1.2.2 (make_data.py).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from backends import checker_tests

pytest.importorskip("keras")
pytest.importorskip("h5py")

SCRIPT = Path(__file__).with_name("check_weights.py")

# The checks check_weights.py defines, in its order (the script must report exactly these).
CHECKS = (
    "backend_selected",
    "dense_mlp",
    "model_save_file",
    "conv2d_th_theano",
    "conv2d_tf_ordering_theano",
    "atrous_conv2d_th",
    "conv1d",
    "conv3d_th",
    "conv3d_tf",
    "deconv2d_th",
    "deconv2d_tf",
    "lstm_cpu",
    "lstm_gpu",
    "gru_cpu",
    "gru_gpu",
    "simple_rnn",
    "batch_normalization_th",
    "embedding_lstm",
    "time_distributed_dense",
    "bidirectional_lstm",
    "convlstm2d_th",
    "convlstm2d_tf",
    "prelu",
    "shared_layer_functional",
    "nested_sequential",
    "by_name",
    "auto_backend_from_weight_names",
    "auto_backend_without_names",
    "tensorflow_backend_no_flip",
    "vlen_string_attributes",
    "separable_conv2d_by_hand",
    "errors_name_the_layer",
    "load_weights_dispatch",
    "save_load_round_trip",
)


runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(SCRIPT, CHECKS)


def test_data_files_are_small():
    """The committed Keras 1 files stay tiny (regenerate with make_data.py, see its docstring)."""
    data = Path(__file__).with_name("data")
    files = sorted(data.glob("*.h5")) + sorted(data.glob("*.npz"))
    assert files, "no test data"
    too_big = [f"{f.name}: {f.stat().st_size} bytes" for f in files if f.stat().st_size > 20_000]
    assert not too_big, too_big
