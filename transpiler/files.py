"""Reading and writing source files without losing anything a user had (encoding, BOM,
newlines, file mode), and never leaving a half-written file behind."""
from __future__ import annotations

import io
import os
import tempfile
import tokenize
from pathlib import Path

TEMP_SUFFIX = ".k1port"  # what a run killed between write and rename can leave behind


def decode_source(raw: bytes) -> tuple[str, str]:
    """(text, encoding): PEP 263 cookies and a UTF-8 BOM honoured, newlines kept as they are.
    Raises SyntaxError (a bad cookie), LookupError (an unknown codec) or UnicodeDecodeError."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding), encoding


def read_source(path: Path) -> tuple[str, str]:
    return decode_source(path.read_bytes())


def write_atomic(path: Path, text: str, encoding: str, mode: int | None = None) -> None:
    """Write `text` as the file's encoding would (a BOM comes back with 'utf-8-sig')."""
    write_bytes_atomic(path, text.encode(encoding), mode)


def write_bytes_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, then rename over it: a process killed at any
    moment leaves the old file or the new one, never a truncated one. The file keeps its mode
    (or takes `mode`); a symlink at `path` is replaced, never written through."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None and path.exists() and not path.is_symlink():
        mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def copy_atomic(src: Path, dest: Path) -> None:
    """Copy a file's bytes and mode (streamed: data files may be large), atomically."""
    import shutil

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=TEMP_SUFFIX)
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        shutil.copymode(src, tmp)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def symlink_atomic(target: str, dest: Path) -> None:
    """Make `dest` a symlink to `target` (replacing whatever was there)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.parent / f".{dest.name}.{os.getpid()}{TEMP_SUFFIX}"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, dest)
