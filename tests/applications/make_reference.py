"""Reference numbers for keras.applications and keras.wrappers.scikit_learn, from the real Keras 1.2.2.

Runs INSIDE the oracle (Keras 1.2.2 on Theano 1.0.5; tests/oracle/README.md):

    tests/oracle/run.sh tests/applications/make_reference.py

Runs every snippet of snippets.py as Keras 1 code (decode_predictions reads a fake class
index instead of downloading one; the VGG models get seeded weights in Keras 1's layout) and
writes tests/applications/data/reference.npz: `<snippet>__<key>` arrays, `vgg_th__y` /
`vgg_tf__y` (predictions) and `meta` (versions and the sha256 of this script and of
snippets.py: check_applications.py asks for a rerun when either changed).
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "oracle")]
import snippets  # noqa: E402
from oracle_data import write_npz  # noqa: E402

import keras  # noqa: E402
import theano  # noqa: E402
from keras.applications import imagenet_utils  # noqa: E402

OUT = HERE / "data" / "reference.npz"


def run(code, **names):
    scope = {**snippets.inputs(), **names, "out": {}}
    exec(compile(code, "snippet", "exec"), scope)
    return scope


def main():
    if keras.backend.backend() != "theano":
        sys.exit("make_reference.py needs Keras 1 on Theano")
    arrays = {}
    for name in ("PREPROCESS", "SKLEARN"):
        for key, value in run(getattr(snippets, name))["out"].items():
            arrays[f"{name.lower()}__{key}"] = np.asarray(value)
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index.json"
        index.write_text(json.dumps(snippets.fake_class_index()))
        imagenet_utils.get_file = lambda *args, **kwargs: str(index)
        for key, value in run(snippets.DECODE)["out"].items():
            arrays[f"decode__{key}"] = np.asarray(value)
    for name, x in (("VGG_TH", "vgg_th_x"), ("VGG_TF", "vgg_tf_x")):
        model = run(getattr(snippets, name))["model"]
        layers = [layer for layer in model.layers if layer.get_weights()]
        for seed, layer in enumerate(layers):
            layer.set_weights(snippets.seeded_weights([w.shape for w in layer.get_weights()], seed))
        arrays[f"{name.lower()}__y"] = model.predict(snippets.inputs()[x]).astype("float32")
        arrays[f"{name.lower()}__names"] = np.array([layer.name for layer in layers])
    digest = {p: hashlib.sha256((HERE / p).read_bytes()).hexdigest() for p in ("make_reference.py", "snippets.py")}
    arrays["meta"] = np.array(json.dumps({"keras": keras.__version__, "theano": theano.__version__,
                                          "backend": keras.backend.backend(), "sha256": digest}, sort_keys=True))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    write_npz(OUT, arrays)
    print(f"wrote {len(arrays)} arrays to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
