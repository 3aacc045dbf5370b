"""How fast `k1port convert` migrates a whole repository (issue 6's speed targets).

Generates, deterministically in a temporary folder, a tree of Keras 1 programs
(`keras1_corpus.py`: varied models, training code, custom layers, K.* code, comments) plus plain
Python files, then measures:

  a. lines per second per core of `k1port convert TREE -o OUT -j 1` (Keras files' lines, per
     wall second and per CPU second of the process tree: CPU time is what a shared machine
     disturbs least);
  b. the speed-up of `-j 2` (target >= 1.8x on 2 cores);
  c. the peak memory (RSS summed over the process tree) of those runs;
  d. a cached re-run over the unchanged tree, against the cold run that filled the cache
     (target < 5%);
  e. the ratio to LibCST's own parse-and-print (`libcst.parse_module(text).code`) of the same
     Keras files in one process: the floor for any LibCST tool (target within 1.5x), for the
     whole CLI run (a) and for the engine alone (`convert_document` in this process, alternating
     with the floor on chunks of the files), in CPU seconds;
  f. single-file `k1port check file.py` wall time, interpreter start included (target < 0.5 s),
     beside the same for a process that only imports LibCST, parses the file and prints it.

    python benchmarks/batch_speed.py                      # the issue's size: 2,000 Keras files
    python benchmarks/batch_speed.py --files 200 --json out.json
    python benchmarks/batch_speed.py --only floor,single  # some measurements only
    python benchmarks/batch_speed.py --keep DIR           # generate into DIR and keep it
    python benchmarks/batch_speed.py --tree DIR           # measure an existing tree (read only)

Progress goes to stderr, the table to stdout."""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import keras1_corpus  # noqa: E402  (beside this script)

ROOT = Path(__file__).resolve().parents[1]
_SCRIPT = Path(sys.executable).parent / "k1port"  # the console script users run
K1PORT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "k1port"]
MEASUREMENTS = ["j1", "j2", "cache", "floor", "engine", "single"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- peak memory of a process tree (Linux /proc; elsewhere the largest child) ------------------

def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        kids = []
        for task in tasks:
            kids += [int(c) for c in (task / "children").read_text().split()]
        return kids
    except OSError:
        return []


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # waited-for descendants included
    return usage.ru_utime + usage.ru_stime


def run_measured(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """(wall seconds, peak RSS of the process tree in MiB, CPU seconds of the tree). CPU time
    is what a shared, loaded machine leaves least disturbed."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            pids, total = [proc.pid], 0
            while pids:
                pid = pids.pop()
                total += _rss_kib(pid)
                pids += _children(pid)
            peak = max(peak, total)
            done.wait(0.05)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    if proc.returncode not in (0, 1):  # 1: findings (ERROR/WARNING) in converted files
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err[-2000:]}")
    return wall, peak / 1024, _children_cpu() - cpu


# -- measurements -----------------------------------------------------------------------------

def keras_files(tree: Path) -> list[Path]:
    """The tree's Python files that mention Keras (what k1port parses)."""
    return [p for p in sorted(tree.rglob("*.py")) if "keras" in p.read_text(errors="replace")]


def keras_texts(tree: Path) -> list[str]:
    """Those files' texts, where LibCST parses them (Python 2 files of a real tree do not)."""
    import libcst as cst

    texts = []
    for path in keras_files(tree):
        text = path.read_text(errors="replace")
        try:
            cst.parse_module(text)
        except (cst.ParserSyntaxError, RecursionError):
            continue
        texts.append(text)
    return texts


def count(tree: Path) -> dict:
    """write_tree's counts for an existing tree."""
    keras = set(keras_files(tree))
    counts = {"keras_files": 0, "keras_lines": 0, "plain_files": 0, "plain_lines": 0}
    for path in tree.rglob("*.py"):
        kind = "keras" if path in keras else "plain"
        counts[f"{kind}_files"] += 1
        counts[f"{kind}_lines"] += path.read_text(errors="replace").count("\n")
    return counts


def floor(texts: list[str]) -> float:
    import libcst as cst

    start = time.process_time()
    for text in texts:
        cst.parse_module(text).code
    return time.process_time() - start


def engine(texts: list[str]) -> float:
    from k1port.api import ConversionError
    from k1port.documents import convert_document

    start = time.process_time()
    for text in texts:
        try:
            convert_document(text, "x.py")
        except ConversionError:
            pass
    return time.process_time() - start


def single_file(path: Path, env: dict, repeats: int) -> tuple[float, float]:
    """Median wall times of `k1port check` on one file, uncached, and of the floor for any
    LibCST tool: a Python process that imports LibCST, parses the file and prints it. As in
    any installation, Python's bytecode caches exist: a first, untimed run writes those of
    edited sources (even where PYTHONDONTWRITEBYTECODE is set: it would recompile them at every
    start). The two alternate, so load from other processes falls on both alike."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    check = K1PORT + ["check", "-q", "--no-cache", str(path)]
    floor_cmd = [sys.executable, "-c", "import sys, libcst; libcst.parse_module(open(sys.argv[1]).read()).code",
                 str(path)]
    subprocess.run(check, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: dict[str, list[float]] = {"check": [], "floor": []}
    for _ in range(repeats):
        for name, cmd in (("check", check), ("floor", floor_cmd)):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["check"]), statistics.median(times["floor"])


def measure(tree: Path, counts: dict, only: set[str], work: Path) -> dict:
    env = {**os.environ, "K1PORT_CACHE_DIR": str(work / "cache")}
    lines = counts["keras_lines"]
    results: dict = {"counts": counts}

    def convert(name: str, *flags: str) -> tuple[float, float, float]:
        out = work / f"out_{name}"
        shutil.rmtree(out, ignore_errors=True)
        log(f"k1port convert {' '.join(flags)} ...")
        wall, peak, cpu = run_measured(K1PORT + ["convert", str(tree), "-o", str(out), "-q", *flags], env)
        log(f"  {wall:.1f} s wall, {cpu:.1f} s CPU, peak {peak:.0f} MiB")
        return wall, peak, cpu

    if "j1" in only or "j2" in only:
        wall, peak, cpu = convert("j1", "-j", "1", "--no-cache")
        results["j1"] = {"seconds": wall, "cpu_seconds": cpu, "lines_per_s": lines / wall,
                         "lines_per_cpu_s": lines / cpu, "peak_rss_mib": peak}
    if "j2" in only:
        wall, peak, cpu = convert("j2", "-j", "2", "--no-cache")
        results["j2"] = {"seconds": wall, "cpu_seconds": cpu, "lines_per_s": lines / wall, "peak_rss_mib": peak,
                         "speedup": results["j1"]["seconds"] / wall}
    if "cache" in only:
        shutil.rmtree(work / "cache", ignore_errors=True)
        cold, cold_peak, _ = convert("cold")
        warm, warm_peak, _ = convert("warm")
        results["cache"] = {"cold_seconds": cold, "warm_seconds": warm, "ratio": warm / cold,
                            "cold_peak_rss_mib": cold_peak, "warm_peak_rss_mib": warm_peak}
    if {"floor", "engine"} & only:
        texts = keras_texts(tree)
        log("LibCST parse-and-print (the floor)" + (" and the engine in this process, alternately" if "engine" in only
                                                    else "") + " ...")
        # Alternating chunks of the same files: the machine's speed drifts (other processes,
        # clock), and both sides of the ratio see the same drift. An untimed first chunk fills
        # both sides' first-use caches (a small tree would measure mostly those).
        floor(texts[:CHUNK])
        if "engine" in only:
            engine(texts[:CHUNK])
        floor_seconds = engine_seconds = 0.0
        for i in range(0, len(texts), CHUNK):
            floor_seconds += floor(texts[i:i + CHUNK])
            if "engine" in only:
                engine_seconds += engine(texts[i:i + CHUNK])
        results["floor"] = {"seconds": floor_seconds, "lines_per_s": lines / floor_seconds}
        if "j1" in results:
            results["floor"]["cli_j1_ratio"] = results["j1"]["cpu_seconds"] / floor_seconds
        if "engine" in only:
            results["engine"] = {"seconds": engine_seconds, "lines_per_s": lines / engine_seconds,
                                 "floor_ratio": engine_seconds / floor_seconds}
    if "single" in only:
        sample = keras_files(tree)[0]
        log(f"k1port check {sample.name} (x{SINGLE_REPEATS}) ...")
        seconds, floor_seconds = single_file(sample, env, SINGLE_REPEATS)
        results["single"] = {"seconds": seconds, "libcst_floor_seconds": floor_seconds,
                             "lines": sample.read_text().count("\n")}
    return results


SINGLE_REPEATS = 9
CHUNK = 50  # files per turn when the floor and the engine alternate


def table(results: dict) -> str:
    c = results["counts"]
    rows = [("tree", f"{c['keras_files']} Keras 1 files ({c['keras_lines']:,} lines) + "
                     f"{c['plain_files']} plain Python files ({c['plain_lines']:,} lines)", "")]
    if "j1" in results:
        r = results["j1"]
        rows.append(("a. convert -j 1", f"{r['seconds']:.1f} s wall ({r['lines_per_s']:,.0f} lines/s), "
                                        f"{r['cpu_seconds']:.1f} s CPU: {r['lines_per_cpu_s']:,.0f} lines/s per core, "
                                        f"peak {r['peak_rss_mib']:.0f} MiB", ""))
    if "j2" in results:
        r = results["j2"]
        rows.append(("b. convert -j 2", f"{r['seconds']:.1f} s: speed-up {r['speedup']:.2f}x, "
                                        f"peak {r['peak_rss_mib']:.0f} MiB", _target(r["speedup"] >= 1.8, ">= 1.8x")))
    if "cache" in results:
        r = results["cache"]
        rows.append(("d. cached re-run", f"{r['warm_seconds']:.2f} s after a cold {r['cold_seconds']:.1f} s "
                                         f"(default -j): {100 * r['ratio']:.1f}%, peak {r['cold_peak_rss_mib']:.0f} MiB cold",
                     _target(r["ratio"] < 0.05, "< 5%")))
    if "floor" in results:
        r = results["floor"]
        rows.append(("e. LibCST floor", f"{r['seconds']:.1f} s CPU ({r['lines_per_s']:,.0f} lines/s)", ""))
        if "cli_j1_ratio" in r:
            # (Also plain files, reading and writing; measured minutes apart from the floor,
            # so the machine's drift moves it: the engine's row is the alternated comparison.)
            rows.append(("e. convert -j 1 / floor", f"{r['cli_j1_ratio']:.2f}x (CPU time; the whole CLI run, "
                                                    "measured apart from the floor)", ""))
    if "engine" in results:
        r = results["engine"]
        rows.append(("e. engine / floor", f"{r['seconds']:.1f} s CPU ({r['lines_per_s']:,.0f} lines/s): "
                                          f"{r['floor_ratio']:.2f}x", _target(r["floor_ratio"] <= 1.5, "<= 1.5x")))
    if "single" in results:
        r = results["single"]
        rows.append(("f. check one file", f"{r['seconds']:.2f} s wall ({r['lines']} lines, median of {SINGLE_REPEATS}; "
                                           f"LibCST's import, parse and print alone: {r['libcst_floor_seconds']:.2f} s)",
                     _target(r["seconds"] < 0.5, "< 0.5 s")))
    out = ["| measurement | result | target |", "|---|---|---|"]
    out += [f"| {a} | {b} | {t} |" for a, b, t in rows]
    return "\n".join(out)


def _target(met: bool, text: str) -> str:
    return f"{text}: {'met' if met else 'NOT met'}"


def machine() -> str:
    return (f"{os.cpu_count()} CPU cores ({platform.machine()}, {platform.system()}), "
            f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="Keras 1 files (default 2000)")
    parser.add_argument("--plain", type=int, default=None, help="plain Python files (default: files / 4)")
    parser.add_argument("--size", type=int, default=3, help="mean sections per Keras file (default 3: ~100 lines)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help=f"comma-separated subset of {','.join(MEASUREMENTS)}")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--keep", type=Path, help="generate the tree into this folder and keep it")
    parser.add_argument("--tree", type=Path, help="measure this existing tree (e.g. Keras 1.2.2's examples) "
                                                   "instead of generating one; it is only read")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if unknown := only - set(MEASUREMENTS):
        parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    work = Path(tempfile.mkdtemp(prefix="k1port-bench-"))
    try:
        if args.tree:
            tree, counts = args.tree, count(args.tree)
        else:
            tree = args.keep or work / "tree"
            log(f"generating {args.files} Keras 1 files into {tree} ...")
            counts = keras1_corpus.write_tree(tree, args.files, args.files // 4 if args.plain is None else args.plain,
                                              args.seed, args.size)
        header = machine()
        results = measure(tree, counts, only, work)
        results["machine"] = header
        print(f"{header}\n")
        print(table(results))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
