"""`k1port weights`: a Keras 1 model.save file becomes a Keras 3 .keras file that predicts
what Keras 1 predicted."""
from pathlib import Path

import numpy as np

from k1port.cli import main

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "oracle" / "guide_shared_lstm"


def test_weights_command_writes_a_working_keras_file(tmp_path):
    import keras

    import k1port.runtime  # noqa: F401 - registers the runtime's serializables

    out = tmp_path / "model.keras"
    assert main(["weights", str(FIXTURE / "model.h5"), "-o", str(out)]) == 0
    model = keras.models.load_model(out)
    ref = np.load(FIXTURE / "reference.npz")
    xs = [ref[k] for k in sorted(k for k in ref.files if k.startswith("x_"))]
    got = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    got = got if isinstance(got, list) else [got]
    for i, y in enumerate(got):
        np.testing.assert_allclose(y, ref[f"y_{i}"], atol=1e-5)


def test_weights_command_wants_a_keras_file(tmp_path):
    assert main(["weights", str(FIXTURE / "model.h5"), "-o", str(tmp_path / "x.h5")]) == 2


def _config_json():
    import h5py

    with h5py.File(FIXTURE / "model.h5", "r") as f:
        value = f.attrs["model_config"]
    return value.decode() if isinstance(value, bytes) else str(value)


def _predictions(model):
    ref = np.load(FIXTURE / "reference.npz")
    xs = [ref[k] for k in sorted(k for k in ref.files if k.startswith("x_"))]
    got = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return got if isinstance(got, list) else [got], ref


def test_model_from_json_and_yaml_rebuild_keras1_models():
    import yaml

    import k1port.runtime as k1

    text = _config_json()
    for model in (k1.model_from_json(text), k1.model_from_yaml(yaml.safe_dump(__import__("json").loads(text)))):
        k1.load_keras1_weights(model, str(FIXTURE / "weights.h5"), backend="theano")
        got, ref = _predictions(model)
        for i, y in enumerate(got):
            np.testing.assert_allclose(y, ref[f"y_{i}"], atol=1e-5)
