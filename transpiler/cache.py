"""The result cache: a second run over unchanged files converts nothing (like ruff's cache).

Where: a user cache folder (`$K1PORT_CACHE_DIR`, else `$XDG_CACHE_HOME/k1port`, else
`~/.cache/k1port`), not the tree: `check`, `--diff` and the pre-commit hooks must not write into
the repository, `-o OUTDIR` must not write outside OUTDIR, and a read-only checkout still gets
a cache. Content-addressed entries are shared by every clone of the same files.

Key: the file's bytes and name, under a folder named by the k1port version, a fingerprint of
k1port's own source files (a development checkout that changes a rule gets a fresh cache) and
the conversion options. One small JSON file per entry, written atomically, so parallel workers
and concurrent runs never clash; a damaged entry is a miss. Delete the folder to reclaim space.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from k1port import __version__
from k1port.files import write_bytes_atomic


def default_dir() -> Path:
    if os.environ.get("K1PORT_CACHE_DIR"):
        return Path(os.environ["K1PORT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "k1port"


def _source_fingerprint() -> str:
    """Sizes and modification times of k1port's own modules (cheap: no file is read)."""
    package = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith(".py"):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath[len(str(package)):]}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path, options: dict) -> None:
        settings = json.dumps(options, sort_keys=True)
        space = hashlib.sha256(f"{_source_fingerprint()}\n{settings}".encode()).hexdigest()[:20]
        self.dir = root / f"v{__version__}" / space

    @staticmethod
    def key(name: str, raw: bytes) -> str:
        return hashlib.sha256(name.encode() + b"\0" + raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key[2:]}.json"

    def get(self, key: str) -> dict | None:
        try:
            return json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None

    def put(self, key: str, entry: dict) -> None:
        try:
            if not self.dir.exists():
                self.dir.mkdir(parents=True, exist_ok=True)
                (self.dir.parents[1] / "CACHEDIR.TAG").write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n# k1port's result cache\n")
            write_bytes_atomic(self._path(key), json.dumps(entry).encode(), 0o644)
        except OSError:
            pass  # a cache that cannot be written only costs time
