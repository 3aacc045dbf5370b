"""The committed oracle reference data (fixtures/oracle/<name>/) belongs to the committed
fixture scripts (fixtures/oracle/<name>.py) and can be read. Needs no oracle."""
from __future__ import annotations

import json

import numpy as np
import pytest

import oracle_data as od

h5py = pytest.importorskip("h5py")

NAMES = od.fixture_names()


def test_there_are_fixtures():
    assert len(NAMES) >= 12, NAMES


def test_no_orphan_reference_folders():
    folders = sorted(p.name for p in od.FIXTURES.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    orphans = [f for f in folders if f not in NAMES]
    assert not orphans, f"reference folders without a fixture script: {orphans} (delete them)"


@pytest.mark.parametrize("name", NAMES)
def test_reference_matches_script(name):
    why = od.stale(name)
    assert why is None, f"{why}; run: {od.REGENERATE} {name}"


@pytest.mark.parametrize("name", NAMES)
def test_reference_files_load(name):
    folder = od.FIXTURES / name
    meta = od.read_meta(name)
    assert meta["script"] == f"{name}.py"
    assert meta["oracle"]["keras"] == "1.2.2" and meta["oracle"]["theano"] == "1.0.5", meta["oracle"]
    assert meta["dim_ordering"] in ("th", "tf")

    ref = od.load_npz(folder / "reference.npz")
    xs = sorted((k for k in ref if k.startswith("x_")), key=lambda k: int(k[2:]))
    ys = sorted((k for k in ref if k.startswith("y_")), key=lambda k: int(k[2:]))
    assert xs == [f"x_{i}" for i in range(len(meta["inputs"]))]
    assert ys == [f"y_{i}" for i in range(len(meta["outputs"]))]
    for keys, shapes in ((xs, meta["inputs"]), (ys, meta["outputs"])):
        for k, (shape, dtype) in zip(keys, shapes):
            assert list(ref[k].shape) == shape and str(ref[k].dtype) == dtype, (k, ref[k].shape, shape)
    for k in ys:
        assert ref[k].dtype == np.float32 and np.isfinite(ref[k]).all(), k

    layout = od.weight_layout(folder / "weights.h5")
    assert layout and any(ws for _, ws in layout)
    weights = od.h5_arrays(folder / "weights.h5")
    assert sorted(f"{layer}/{w}" for layer, ws in layout for w in ws) == sorted(weights)
    with h5py.File(folder / "model.h5", "r") as f:
        assert od.decode(f.attrs["keras_version"]) == "1.2.2"
        config = json.loads(od.decode(f.attrs["model_config"]))
        assert config["class_name"] in ("Model", "Sequential")
        assert od.weight_layout(folder / "model.h5") == layout

    if "train" in meta:
        steps, names = meta["train"]["steps"], meta["train"]["loss_names"]
        assert ref["train_loss"].shape == (steps, len(names))
        assert np.isfinite(ref["train_loss"]).all()
        trained = od.h5_arrays(folder / od.TRAINED)
        assert sorted(trained) == sorted(weights)
        assert any(not np.array_equal(trained[k], weights[k]) for k in weights), "training changed nothing"
        assert all(f"trained_y_{i}" in ref for i in range(len(ys)))
    else:
        assert not (folder / od.TRAINED).exists()
        assert not any(k.startswith("train") for k in ref)
