"""Convert each Keras 1 example with k1port and run it on Keras 3, on both backends.

    .venv/bin/python scripts/run_examples.py /path/to/keras-1.2.2/examples
    .venv/bin/python scripts/run_examples.py EXAMPLES --only mnist_mlp.py --backend torch -v
    .venv/bin/python scripts/run_examples.py EXAMPLES --json results.json

The examples' code is never committed here: read it from a fetched copy of Keras 1.2.2
(`git archive 1.2.2 examples` of keras-team/keras). Each converted program runs in its own
process with its data replaced by small random arrays of the right shapes and training cut
to a few batches (`examples_harness/fakes.py`; per-example command lines and loop cuts in
`examples_harness/config.py`), and prints a Markdown table: converts, runs on TensorFlow,
runs on torch, and why not.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from examples_harness.config import EXAMPLES, Example  # noqa: E402

BACKENDS = ("tensorflow", "torch")
RUNNER = """
import runpy, sys
sys.argv = {argv!r}
sys.path.insert(0, {harness!r})
import fakes
fakes.install()
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def convert(source: str, name: str, py2: bool):
    from k1port.api import ConversionError
    from k1port.documents import convert_document

    try:
        result = convert_document(source, name, py2=py2 or None)
    except ConversionError as exc:
        return None, f"does not convert: {exc}"
    return result, None


def prepare(work: Path, example: Example) -> None:
    import numpy as np
    from PIL import Image

    rng = np.random.RandomState(0)
    for name in example.images:
        Image.fromarray(rng.randint(0, 256, size=(64, 64, 3)).astype("uint8")).save(work / name)
    if "glove" in example.files.values():
        glove = work / "glove.6B"
        glove.mkdir(exist_ok=True)
        words = [f"w{i}" for i in range(300)]
        (glove / "glove.6B.100d.txt").write_text(
            "".join(w + " " + " ".join(f"{v:.3f}" for v in rng.randn(100)) + "\n" for w in words))
    if "newsgroups" in example.files.values():
        random.seed(0)
        for group in ("alt.atheism", "sci.space", "rec.autos"):
            folder = work / "20_newsgroup" / group
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(12):
                (folder / str(1000 + i)).write_text(
                    "Subject: test\n\n" + " ".join(f"w{random.randrange(300)}" for _ in range(80)))


def apply_cuts(code: str, example: Example, work: Path) -> str:
    for old, new, *_ in (*example.cuts, *example.drift):
        if old not in code:
            raise ValueError(f"harness cut {old!r} not found in the converted program")
        code = code.replace(old, new.format(work=str(work)))
    return code


def missing_needs(example: Example) -> list[str]:
    import importlib.util

    return [m for m in example.needs if importlib.util.find_spec(m) is None]


def run_one(path: Path, work: Path, backend: str, argv: list[str], timeout: float) -> dict:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3",
           "K1PORT_HARNESS_WORK": str(work), "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
           "KERAS_HOME": str(work / "keras_home")}
    code = RUNNER.format(argv=[str(path), *argv], harness=str(HERE / "examples_harness"))
    start = time.time()
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, text=True,
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"ok": False, "reason": f"ran over {timeout:.0f} s", "seconds": timeout, "log": ""}
    seconds = round(time.time() - start, 1)
    log = (proc.stdout[-3000:] + "\n" + proc.stderr[-6000:]).strip()
    if proc.returncode == 0:
        return {"ok": True, "reason": "", "seconds": seconds, "log": log}
    return {"ok": False, "reason": last_error(proc.stderr), "seconds": seconds, "log": log}


def last_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if re.match(r"^[\w.]+(Error|Exception|Exit)\b", line) or line.startswith("KeyboardInterrupt"):
            return line.strip()[:300]
    return (lines[-1] if lines else "no output").strip()[:300]


def run_example(path: Path, out: Path, backends, timeout: float) -> dict:
    example = EXAMPLES.get(path.name, Example())
    row = {"example": path.name, "converts": False, "findings": {}, "runs": {},
           "drift": [why for _, _, why in example.drift], "py2": example.py2}
    result, error = convert(path.read_text(), path.name, example.py2)
    if result is None:
        row["reason"] = error
        return row
    row["converts"] = True
    for f in result.findings:
        row["findings"][f.level.value] = row["findings"].get(f.level.value, 0) + 1
    missing = missing_needs(example)

    def on(backend):
        work = out / path.stem / backend
        shutil.rmtree(work, ignore_errors=True)  # nothing left over from an earlier run
        work.mkdir(parents=True)
        if missing:
            return {"ok": None, "reason": f"needs {', '.join(missing)} (not installed; not Keras)",
                    "seconds": 0, "log": ""}
        try:
            code = apply_cuts(result.code, example, work)
        except ValueError as exc:
            return {"ok": False, "reason": str(exc), "seconds": 0, "log": ""}
        target = work / path.name
        target.write_text(code)
        prepare(work, example)
        argv = [a.format(work=str(work)) for a in example.argv]
        return run_one(target, work, backend, argv, timeout)

    with ThreadPoolExecutor(len(backends)) as pool:
        for backend, outcome in zip(backends, pool.map(on, backends)):
            row["runs"][backend] = outcome
    return row


def mark(outcome: dict | None) -> str:
    if outcome is None:
        return "–"
    return {True: "yes", False: "no", None: "skipped"}[outcome["ok"]]


def table(rows: list[dict], backends) -> str:
    head = "| example | converts | ERROR/WARNING findings | " + " | ".join(backends) + " | why not |"
    lines = [head, "|" + "---|" * (4 + len(backends) - 1 + 1)]
    for row in rows:
        reasons = sorted({f"{b}: {o['reason']}" if len({x['reason'] for x in row['runs'].values()}) > 1
                          else o["reason"] for b, o in row["runs"].items() if o["reason"]})
        if not row["converts"]:
            reasons = [row.get("reason", "")]
        reasons += [f"harness fixed non-Keras drift: {why}" for why in row.get("drift", [])]
        reasons += ["converted with --py2 (Python 2 code that parses as Python 3)"] if row.get("py2") else []
        f = row["findings"]
        lines.append(f"| {row['example']} | {'yes' if row['converts'] else 'no'} | "
                     f"{f.get('error', 0)}/{f.get('warning', 0)} | "
                     + " | ".join(mark(row["runs"].get(b)) for b in backends)
                     + f" | {'; '.join(r.replace('|', '/') for r in reasons)} |")
    ok = {b: sum(1 for r in rows if r["runs"].get(b, {}).get("ok")) for b in backends}
    summary = ", ".join(f"{b} {n}/{len(rows)}" for b, n in ok.items())
    return "\n".join(lines) + f"\n\nconverts {sum(r['converts'] for r in rows)}/{len(rows)}; runs: {summary}\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", type=Path)
    parser.add_argument("--only", nargs="*", default=None, help="example file names")
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--out", type=Path, default=Path("/tmp/k1port-examples"))
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each failing run's log")
    args = parser.parse_args(argv)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    paths = sorted(p for p in args.examples.glob("*.py") if args.only is None or p.name in args.only)
    rows = []
    for path in paths:
        row = run_example(path, args.out, backends, args.timeout)
        rows.append(row)
        status = " ".join(f"{b}={mark(row['runs'].get(b))}({row['runs'].get(b, {}).get('seconds', 0)}s)"
                          for b in backends)
        print(f"{path.name}: converts={row['converts']} {status}", file=sys.stderr, flush=True)
        if args.verbose:
            for b, o in row["runs"].items():
                if o["ok"] is False:
                    print(f"--- {path.name} on {b}:\n{o['log']}\n", file=sys.stderr)
    print(table(rows, backends))
    if args.json:
        for row in rows:
            for o in row["runs"].values():
                o.pop("log", None)
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
