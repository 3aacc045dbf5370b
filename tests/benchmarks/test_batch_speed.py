"""benchmarks/batch_speed.py's generator at a tiny size: a deterministic tree of Keras 1 files
that k1port converts, and plain files it leaves alone; and a smoke run of the script. Nothing
here is timed (speed is the benchmark's to measure, never a test's)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from k1port.documents import convert_document

from property.strategies import corpus  # benchmarks/keras1_corpus.py, loaded once

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "batch_speed.py"


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*.py"))}


def test_generated_tree_converts(tmp_path):
    counts = corpus.write_tree(tmp_path / "a", keras_files=12, plain_files=4, seed=3, size=2)
    files = _tree(tmp_path / "a")
    keras = {k: v for k, v in files.items() if Path(k).name.startswith("train_")}
    plain = {k: v for k, v in files.items() if Path(k).name.startswith("util_")}
    assert (len(keras), len(plain)) == (12, 4) == (counts["keras_files"], counts["plain_files"])
    assert counts["keras_lines"] == sum(t.count("\n") for t in keras.values())
    for name, text in keras.items():
        ast.parse(text)
        result = convert_document(text, name)
        assert result.changed, name  # every generated Keras file has Keras 1 code to convert
        ast.parse(result.code)
    for name, text in plain.items():
        assert "keras" not in text
        assert convert_document(text, name).code == text


def test_generation_is_deterministic(tmp_path):
    corpus.write_tree(tmp_path / "a", 5, 2, seed=9)
    corpus.write_tree(tmp_path / "b", 5, 2, seed=9)
    corpus.write_tree(tmp_path / "c", 5, 2, seed=10)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b") != _tree(tmp_path / "c")


def test_smoke_run_prints_the_table(tmp_path):
    out = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(SCRIPT), "--files", "3", "--plain", "1", "--size", "1",
                          "--only", "floor,engine", "--json", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "| e. LibCST floor |" in run.stdout and "| e. engine / floor |" in run.stdout
    assert '"floor_ratio"' in out.read_text()


def test_an_existing_tree_is_measured_and_left_as_it_was(tmp_path):
    """--tree: the Keras files are those that mention Keras and parse (a real repository's
    Python 2 files are left out of the floor and the engine alike)."""
    tree = tmp_path / "repo"
    (tree / "lib").mkdir(parents=True)
    files = {"train.py": "from keras.layers import Dense\nDense(8, init='uniform')\n",
             "lib/py2.py": "import keras\nprint 'old'\n", "lib/util.py": "x = 1\n"}
    for name, text in files.items():
        (tree / name).write_text(text)
    out = tmp_path / "figures.json"
    run = subprocess.run([sys.executable, str(SCRIPT), "--tree", str(tree), "--only", "floor,engine",
                          "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "| tree | 2 Keras 1 files (4 lines) + 1 plain Python files (1 lines) |" in run.stdout
    assert '"floor_ratio"' in out.read_text()
    assert _tree(tree) == files
