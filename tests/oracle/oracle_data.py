"""Reading and comparing k1port's oracle reference data (fixtures/oracle/).

Shared by make_reference.py (runs inside the Keras 1.2.2 oracle venv: numpy 1.23, h5py 3.8)
and by the pytest tests (project venv), so it uses nothing beyond the standard library,
numpy and h5py.

Layout: every fixture script ``fixtures/oracle/<name>.py`` has a folder
``fixtures/oracle/<name>/`` with weights.h5, model.h5, reference.npz, meta.json and, for
fixtures that define ``train``, trained.h5.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "oracle"
ORACLE = Path(__file__).resolve().parent
REGENERATE = "bash tests/oracle/regenerate.sh"

# Files every reference folder holds; TRAINED only where the fixture defines `train`.
FILES = ("weights.h5", "model.h5", "reference.npz", "meta.json")
TRAINED = "trained.h5"


def fixture_names(root: Path = FIXTURES) -> list[str]:
    """Names of the fixture scripts (``<root>/<name>.py``), sorted."""
    return sorted(p.stem for p in root.glob("*.py") if not p.name.startswith("_"))


def script_sha256(name: str, root: Path = FIXTURES) -> str:
    return hashlib.sha256((root / f"{name}.py").read_bytes()).hexdigest()


def read_meta(name: str, root: Path = FIXTURES) -> dict:
    return json.loads((root / name / "meta.json").read_text())


def stale(name: str, root: Path = FIXTURES) -> str | None:
    """Why the reference data of `name` does not belong to its script, or None."""
    folder = root / name
    missing = [f for f in FILES if not (folder / f).is_file()]
    if missing:
        return f"{folder} lacks {', '.join(missing)}"
    meta = read_meta(name, root)
    if meta.get("sha256") != script_sha256(name, root):
        return (f"{root / (name + '.py')} changed since its reference data was made "
                f"(meta.json sha256 {str(meta.get('sha256'))[:12]}...)")
    return None


def write_npz(path: Path, arrays: dict) -> None:
    """np.savez with fixed zip timestamps, so identical arrays give identical bytes."""
    import numpy as np

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for key in sorted(arrays):
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with zf.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.asanyarray(arrays[key]), allow_pickle=False)


def load_npz(path: Path) -> dict:
    import numpy as np

    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def h5_arrays(path: Path) -> dict:
    """Every dataset of an HDF5 file, by its path inside the file."""
    import h5py

    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def decode(value):
    """An HDF5 string attribute as str (Keras 1 wrote fixed-length |S bytes)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def weight_layout(path: Path) -> list[tuple[str, list[str]]]:
    """[(layer name, [weight names])] of a Keras 1 save_weights file, in file order."""
    import h5py

    with h5py.File(path, "r") as f:
        g = f["model_weights"] if "model_weights" in f else f
        layers = [decode(n) for n in g.attrs["layer_names"]]
        return [(n, [decode(w) for w in g[n].attrs["weight_names"]]) for n in layers]


def compare(name: str, got_root: Path, want_root: Path = FIXTURES, atol: float = 1e-6) -> list[str]:
    """Differences between two reference folders of fixture `name` ([] if they agree).

    Compares the arrays of reference.npz, weights.h5 and trained.h5 (same keys, shapes,
    dtypes, values within atol) and the weight layout; model.h5's weights are those of
    weights.h5, so only its presence and its model_config are checked."""
    import h5py
    import numpy as np

    problems = []
    got, want = got_root / name, want_root / name

    def arrays(a: dict, b: dict, what: str):
        if sorted(a) != sorted(b):
            problems.append(f"{what}: keys {sorted(a)} != {sorted(b)}")
            return
        for k in sorted(a):
            x, y = np.asarray(a[k]), np.asarray(b[k])
            if x.shape != y.shape or x.dtype != y.dtype:
                problems.append(f"{what}[{k}]: {x.dtype}{x.shape} != {y.dtype}{y.shape}")
            elif x.dtype.kind in "fc":
                err = float(np.max(np.abs(x - y))) if x.size else 0.0
                if not np.allclose(x, y, rtol=0, atol=atol) or not np.isfinite(err):
                    problems.append(f"{what}[{k}]: max |diff| {err:.3g} > {atol:g}")
            elif not np.array_equal(x, y):
                problems.append(f"{what}[{k}]: values differ")

    files = list(FILES) + ([TRAINED] if (want / TRAINED).exists() or (got / TRAINED).exists() else [])
    for f in files:
        for folder in (got, want):
            if not (folder / f).is_file():
                problems.append(f"{folder / f}: missing")
    if problems:
        return problems
    arrays(load_npz(got / "reference.npz"), load_npz(want / "reference.npz"), "reference.npz")
    for f in ("weights.h5", TRAINED):
        if (want / f).is_file():
            arrays(h5_arrays(got / f), h5_arrays(want / f), f)
            if weight_layout(got / f) != weight_layout(want / f):
                problems.append(f"{f}: layer / weight names differ")
    with h5py.File(got / "model.h5", "r") as a, h5py.File(want / "model.h5", "r") as b:
        if decode(a.attrs["model_config"]) != decode(b.attrs["model_config"]):
            problems.append("model.h5: model_config differs")
    mg, mw = read_meta(name, got_root), read_meta(name, want_root)
    for key in ("sha256", "dim_ordering", "inputs", "outputs", "train"):
        if mg.get(key) != mw.get(key):
            problems.append(f"meta.json[{key}]: {mg.get(key)!r} != {mw.get(key)!r}")
    return problems
