"""Keras 1.2.2's answers to the callback programs of snippets.py.

Runs inside the oracle (real Keras 1.2.2):  tests/oracle/run.sh tests/callbacks/make_reference.py
Writes tests/callbacks/data/reference.json: each program's `result`, with the sha256 of
snippets.py (check_callbacks.py refuses stale data) and the oracle's versions.
"""
import hashlib
import json
import os
import sys

import keras
import numpy

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from snippets import COMMON, SNIPPETS, run_in_empty_folder  # noqa: E402


def main():
    with open(os.path.join(HERE, "snippets.py"), "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    results = {name: run_in_empty_folder(COMMON + source, name) for name, source in SNIPPETS.items()}
    data = {"snippets_sha256": digest, "keras": keras.__version__, "numpy": numpy.__version__,
            "results": results}
    with open(os.path.join(HERE, "data", "reference.json"), "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
