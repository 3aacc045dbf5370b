"""Reference results of Keras 1.2.2's keras.preprocessing, for tests/preprocessing.

Runs INSIDE the oracle (Keras 1.2.2; tests/oracle/README.md):

    tests/oracle/run.sh tests/preprocessing/make_reference.py [--out PATH]

Runs every Keras 1 program of snippets.py as written (random and np.random seeded in the
programs themselves) and writes tests/preprocessing/data/reference.npz: `<snippet>__<key>`
arrays, `json` (the other results, JSON) and `meta` (versions, sha256 of this script and of
snippets.py; check_preprocessing.py fails with the command above when they changed). It
re-runs itself with PYTHONHASHSEED=0, so that one_hot's hashes, hence the file, are the same
on every run.

The oracle has no Pillow, so for the `directory` snippet Keras 1's own `load_img` is replaced
by one returning snippets.image_arrays() for each file (placeholders on disk, which is all
DirectoryIterator lists); the checker writes those arrays as real BMP/PNG files for Pillow.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "tests" / "oracle")]
from oracle_data import write_npz  # noqa: E402
from snippets import LAYOUT, SNIPPETS, image_arrays, record, sources_sha256  # noqa: E402

import keras  # noqa: E402
import keras.preprocessing.image as keras1_image  # noqa: E402

OUT = HERE / "data" / "reference.npz"


def _image_folder(root: Path) -> None:
    images = image_arrays()
    for path in LAYOUT:
        target = root / path
        if path.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")

    def load_img(path, grayscale=False, target_size=None):
        image = images[os.path.relpath(path, str(root))]
        assert target_size is None or tuple(target_size) == image.shape[:2], target_size
        return image[:, :, 0] if grayscale else image

    keras1_image.load_img = load_img


def make(out: Path) -> None:
    arrays, plain = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        _image_folder(Path(tmp))
        for name, source in SNIPPETS.items():
            scope = {"np": np, "IMAGES": tmp}
            exec(compile(source, f"<{name}>", "exec"), scope)
            got, plain[name] = record(scope["result"])
            arrays.update({f"{name}__{key}": value for key, value in got.items()})
            print(f"{name}: {len(got)} arrays, {len(plain[name])} other results", file=sys.stderr)
    arrays["json"] = np.array(json.dumps(plain, sort_keys=True))
    arrays["meta"] = np.array(json.dumps({"keras": keras.__version__, "numpy": np.__version__,
                                          "sha256": sources_sha256()}, sort_keys=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(out, arrays)
    print(f"wrote {out}", file=sys.stderr)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0":  # one_hot's hashes: the same bytes on every run
        os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], {**os.environ, "PYTHONHASHSEED": "0"})
    if not keras.__version__.startswith("1."):
        sys.exit(f"make_reference.py needs Keras 1, got {keras.__version__}")
    make(args.out)


if __name__ == "__main__":
    main()
