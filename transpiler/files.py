"""Reading and writing source files without losing anything a user had."""
from __future__ import annotations

import io
import os
import tempfile
import tokenize
from pathlib import Path

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "node_modules"}


def read_source(path: Path) -> tuple[str, str]:
    """(text, encoding): PEP 263 cookies and a UTF-8 BOM honoured, newlines kept as they are."""
    raw = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding), encoding


def write_atomic(path: Path, text: str, encoding: str) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".k1port")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode(encoding))
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def python_files(root: Path):
    """.py files under `root` (itself if it is a file), in a stable order, skipping VCS and
    virtual-environment folders and never following symlinks out of the tree."""
    if root.is_file():
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".py"):
                p = Path(dirpath) / name
                if not p.is_symlink():
                    yield p
