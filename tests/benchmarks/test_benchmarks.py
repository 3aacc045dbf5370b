"""Smoke test of benchmarks/runtime_overhead.py: a --quick run on one backend prints a table
with a row per pair. It asserts nothing about timings (speed is the benchmark's to measure,
never a test's)."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "runtime_overhead.py"
BACKEND = "torch"  # no graph tracing: the quickest smoke run


def _load_script():
    spec = importlib.util.spec_from_file_location("runtime_overhead", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)  # defines the pairs; imports no Keras
    return module


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs the torch extra")
def test_quick_run_prints_a_row_per_pair(tmp_path):
    benchmark = _load_script()
    output = tmp_path / "table.md"
    env = {**os.environ, "KERAS_BACKEND": BACKEND, "TF_CPP_MIN_LOG_LEVEL": "3"}
    run = subprocess.run([sys.executable, str(SCRIPT), "--backend", BACKEND, "--quick", "--repeats", "2",
                          "--output", str(output)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert output.read_text() == run.stdout

    lines = [line for line in run.stdout.splitlines() if line.startswith("|")]
    header, rows = lines[0], lines[2:]
    assert header == "| " + " | ".join(benchmark.HEADER) + " |"
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    expected = [(f"`{p.piece}`", p.native or "no native equivalent") for p in benchmark.pairs_for(BACKEND)]
    assert [(c[0], c[1]) for c in cells] == expected
    for c in cells:
        assert len(c) == len(benchmark.HEADER) and c[2] == BACKEND
        float(c[3])  # runtime ms/step
        if c[1] != "no native equivalent":
            float(c[4]), float(c[5])  # native ms/step, ratio
