"""Converting a whole tree: which files (.gitignore files, --exclude, symlinks), the cache, and a
process pool. Records come back in the order of the files (sorted paths), whatever the pool did.

Never imports libcst unless some file has to be converted: a cached re-run reads the files,
hashes them and is done.

Symlinks are never followed. In place, a linked file or folder is left alone (its target is
converted where it lives, if that is in the tree). With -o, a relative link whose target stays
inside the tree is recreated as the same link (it then points at the converted copy); any other
link is skipped and reported. Nothing is written outside the output folder: each destination's
real parent folder is checked to lie inside it.
"""
from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from k1port import report
from k1port.files import TEMP_SUFFIX, decode_source, write_atomic, write_bytes_atomic

CONVERTED = (".py", ".ipynb")
# Never walked into (gitignore syntax, relative to each root): version control, caches, virtual
# environments, notebook checkpoints, and temporary files a killed run may have left.
DEFAULT_EXCLUDES = [".git/", ".hg/", ".svn/", ".venv/", "venv/", ".tox/", ".nox/", "__pycache__/",
                    ".mypy_cache/", ".pytest_cache/", ".ruff_cache/", "node_modules/",
                    ".ipynb_checkpoints/", f"*{TEMP_SUFFIX}"]


@dataclass(frozen=True)
class Entry:
    shown: str  # the path as reported (the root as given, joined with the relative path)
    path: Path  # the file in the tree
    rel: str  # relative to the root ('' for a root that is a file)
    convert: bool  # a .py or .ipynb file (else only copied with -o)


@dataclass
class Tree:
    root: Path
    entries: list[Entry] = field(default_factory=list)
    links: list[tuple[Entry, str]] = field(default_factory=list)  # (link, its target) kept with -o
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}


def discover(root: Path, shown_root: str, excludes: list[str], skip: Path | None = None) -> Tree:
    """The files under `root` (or `root` itself), sorted. `skip`: a folder never entered (the
    output folder, when it lies inside the tree)."""
    tree = Tree(root)
    if root.is_symlink():
        tree.skipped.append({"path": shown_root, "reason": "symlink (not followed)"})
        return tree
    if root.is_file():
        tree.entries.append(Entry(shown_root, root, "", root.suffix in CONVERTED))
        return tree
    import pathspec

    forced = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDES + list(excludes))
    skip_real = os.path.realpath(skip) if skip is not None else None
    root_real = os.path.realpath(root)

    def ignored(rel: str, specs: list) -> bool:
        if forced.match_file(rel):
            return True
        for prefix, spec in reversed(specs):  # the deepest .gitignore that has a say decides
            verdict = spec.check_file(rel[len(prefix):]).include
            if verdict is not None:
                return verdict
        return False

    def walk(folder: Path, prefix: str, specs: list) -> None:
        gitignore = folder / ".gitignore"
        if gitignore.is_file() and not gitignore.is_symlink():
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
            specs = specs + [(prefix, pathspec.GitIgnoreSpec.from_lines(lines))]
        with os.scandir(folder) as it:
            items = sorted(it, key=lambda e: e.name)
        for item in items:
            rel = prefix + item.name
            shown = rel if shown_root in (".", "./") else os.path.join(shown_root, rel)
            if item.is_symlink():
                if not ignored(rel, specs):
                    _link(tree, Entry(shown, Path(item.path), rel, False), root_real)
            elif item.is_dir():
                if not ignored(rel + "/", specs) and os.path.realpath(item.path) != skip_real:
                    walk(Path(item.path), rel + "/", specs)
            elif item.is_file() and not ignored(rel, specs):
                tree.entries.append(Entry(shown, Path(item.path), rel, item.name.endswith(CONVERTED)))

    walk(root, "", [])
    return tree


def _link(tree: Tree, entry: Entry, root_real: str) -> None:
    target = os.readlink(entry.path)
    real = os.path.realpath(entry.path)
    if not os.path.isabs(target) and _inside(real, root_real):
        tree.links.append((entry, target))
    else:
        tree.skipped.append({"path": entry.shown, "reason": f"symlink out of the tree ({target})"})


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class Job:
    """What every file of a run shares (sent to the workers)."""
    options: dict  # api.Options fields
    py2: bool | None = None
    clear_outputs: bool = False  # notebooks
    write: bool = True  # False: check / --diff
    output: Path | None = None  # -o folder (None: in place)
    want_code: bool = False  # send the converted code back (for --diff)


def destination(job: Job, entry: Entry) -> Path:
    """Where a file's output goes; refuses a path whose real folder is outside the output folder."""
    if job.output is None:
        return entry.path
    if not entry.rel:
        return job.output  # `convert a.py -o b.py`: the file the user named
    dest = job.output / entry.rel
    if not _inside(os.path.realpath(dest.parent), os.path.realpath(job.output)):
        raise OSError(f"{dest}: outside the output folder (a symlink in it?); not written")
    return dest


def emit(job: Job, entry: Entry, raw: bytes, code: str | None, encoding: str | None) -> None:
    """Write a file's result: the converted code, or (with -o) the original bytes."""
    if not job.write or (code is None and job.output is None):
        return
    dest = destination(job, entry)
    mode = stat.S_IMODE(entry.path.stat().st_mode)
    if code is None:
        write_bytes_atomic(dest, raw, mode)
    else:
        write_atomic(dest, code, encoding, mode)


def convert_one(task: tuple[Entry, bytes, str | None, Job]) -> dict:
    """Convert one file (in a worker): decode, convert, write, remember in the cache. Returns its
    record, plus "code" when it changed and the code is wanted (--diff, or for the cache)."""
    entry, raw, key, job = task
    from k1port.api import ConversionError, Options
    from k1port.documents import convert_document

    code = encoding = None
    try:
        text, encoding = decode_source(raw)
        result = convert_document(text, entry.path.name, Options(**job.options), py2=job.py2,
                                  clear_outputs=job.clear_outputs)
        rec = report.record(entry.shown, text, result)
        if result.changed:
            code = result.code
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        rec = report.failed(entry.shown, f"cannot decode: {exc}")
    except ConversionError as exc:
        rec = report.failed(entry.shown, str(exc), exc.line, exc.col)
    if key is not None:
        _CACHE.put(key, dict(rec, code=code, encoding=encoding))
    try:
        emit(job, entry, raw, code, encoding)
    except OSError as exc:
        rec = report.failed(entry.shown, f"cannot write: {exc}")
    if job.want_code and code is not None:
        rec["code"], rec["text"] = code, raw.decode(encoding)
    return rec


_CACHE = None  # the run's cache, set before the workers fork


def run(tree_entries: list[Entry], job: Job, cache, jobs: int,
        advance: Callable[[int], None] = lambda n: None) -> tuple[list[dict], int]:
    """Records for `tree_entries` (those to convert), in their order, and the number of cache hits.
    Files that do not mention Keras and cached files never reach LibCST or the pool."""
    global _CACHE
    _CACHE = cache if cache is not None else _NoCache()
    records: list[dict | None] = [None] * len(tree_entries)
    tasks, slots, hits = [], [], 0
    for i, entry in enumerate(tree_entries):
        try:
            raw = entry.path.read_bytes()
        except OSError as exc:
            records[i] = report.failed(entry.shown, f"cannot read: {exc}")
            continue
        if b"keras" not in raw:  # api.convert_source's own cheap test, on the bytes
            records[i] = _done(job, entry, raw, report.unchanged(entry.shown), None, None)
            continue
        key = cache.key(entry.path.name, raw) if cache is not None else None
        hit = cache.get(key) if key is not None else None
        if hit is not None:
            hits += 1
            code, encoding = hit.pop("code", None), hit.pop("encoding", None)
            hit["path"] = entry.shown
            records[i] = _done(job, entry, raw, hit, code, encoding)
            continue
        tasks.append((entry, raw, key, job))
        slots.append(i)
    results = _start(tasks, jobs)  # the pool forks before the caller's progress bar starts a thread
    advance(len(tree_entries) - len(tasks))
    for i, rec in zip(slots, results):
        records[i] = rec
        advance(1)
    return records, hits


def _done(job: Job, entry: Entry, raw: bytes, rec: dict, code: str | None, encoding: str | None) -> dict:
    try:
        emit(job, entry, raw, code, encoding)
    except OSError as exc:
        return report.failed(entry.shown, f"cannot write: {exc}")
    if job.want_code and code is not None:
        rec["code"], rec["text"] = code, raw.decode(encoding)
    return rec


class _NoCache:
    def put(self, key, entry) -> None:
        pass


def _start(tasks: list, jobs: int):
    """convert_one over `tasks`, in order: inline for a few files, else in a process pool."""
    if jobs <= 1 or len(tasks) < 4:
        return map(convert_one, tasks)
    import multiprocessing

    import k1port.documents  # noqa: F401 - imported once here, inherited by forked workers

    # fork: workers start at once with LibCST and the rule tables already imported; no thread
    # runs yet. macOS and Windows spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    workers = min(jobs, len(tasks))
    chunk = max(1, min(16, len(tasks) // (workers * 8)))
    pool = multiprocessing.get_context(method).Pool(workers, _use_cache, (_CACHE,))
    return _drain(pool, pool.imap(convert_one, tasks, chunk))


def _use_cache(cache) -> None:
    global _CACHE
    _CACHE = cache


def _drain(pool, results):
    try:
        yield from results
        pool.close()
    finally:
        pool.terminate()
        pool.join()
