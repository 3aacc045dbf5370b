"""Reference results of Keras 1.2.2's utilities and dataset loaders (tests/utils/cases.py).

Runs INSIDE the oracle (tests/oracle/README.md):

    tests/oracle/run.sh tests/utils/make_reference.py

The datasets read the fake files of fake_data.py (written to a temporary folder; Keras 1's
get_file is pointed there, nothing is downloaded). Writes tests/utils/data/reference.json:
{"cases": {name: describe(result)}, "meta": {...}}; check_utils.py converts each case with
k1port, runs it on both Keras 3 backends and compares.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from cases import CASES, describe  # noqa: E402
from fake_data import write_all  # noqa: E402

import keras  # noqa: E402
from keras import backend as K  # noqa: E402
from keras.datasets import cifar10, cifar100, imdb, reuters  # noqa: E402


def main():
    folder = tempfile.mkdtemp()
    write_all(folder)
    for module in (imdb, reuters, cifar10, cifar100):  # Keras 1 loaders find the fake files
        module.get_file = lambda fname, *args, **kwargs: os.path.join(folder, fname)
    results = {}
    for name, source in CASES.items():
        K.set_image_dim_ordering("tf")
        np.random.seed(0)
        namespace = {"np": np}
        exec(compile(source, f"<{name}>", "exec"), namespace)  # noqa: S102 - our own snippets
        results[name] = describe(namespace["result"])
    K.set_image_dim_ordering("tf")
    meta = {"keras": keras.__version__, "numpy": np.__version__,
            "cases_sha256": hashlib.sha256((HERE / "cases.py").read_bytes()).hexdigest(),
            "fake_data_sha256": hashlib.sha256((HERE / "fake_data.py").read_bytes()).hexdigest()}
    out = HERE / "data" / "reference.json"
    out.write_text(json.dumps({"cases": results, "meta": meta}, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out} ({len(results)} cases)")


if __name__ == "__main__":
    main()
