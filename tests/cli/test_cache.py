"""The result cache: a re-run over unchanged files converts nothing and never imports LibCST;
options, content and k1port's own source are part of the key; a damaged cache is only a miss."""
import json
import os
import subprocess
import sys
from pathlib import Path

from clirun import run

KERAS1 = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='same')\n"
KERAS3 = "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), padding='same')\n"
UNSUPPORTED = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='full')\n"


def tree(root: Path) -> Path:
    for i in range(6):
        (root / f"m{i}.py").write_text(KERAS1 if i % 2 else UNSUPPORTED)
    (root / "plain.py").write_text("x = 1\n")
    return root


def report(*args) -> dict:
    result = run("check", *args, "--format", "json")
    return json.loads(result.stdout)


def test_second_run_is_served_from_the_cache_with_the_same_report(tmp_path):
    src = tree(tmp_path)
    cold = report(src, "-j", "2")
    warm = report(src, "-j", "2")
    assert cold["summary"]["cache_hits"] == 0 and warm["summary"]["cache_hits"] == 6
    assert warm["files"] == cold["files"]
    assert report(src, "--no-cache")["summary"]["cache_hits"] == 0
    assert report(src, "--target", "tf.keras")["summary"]["cache_hits"] == 0  # options are in the key
    (src / "m1.py").write_text(KERAS1 + "\n")
    assert report(src)["summary"]["cache_hits"] == 5


def test_cached_results_are_written(tmp_path):
    """A hit carries the converted code: -o and in-place runs write it without converting."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text(KERAS1)
    assert run("check", src, "--image-dim-ordering", "tf").exit_code == 1
    out = tmp_path / "out"
    assert run("convert", src, "-o", out, "--image-dim-ordering", "tf").exit_code == 0
    assert (out / "a.py").read_text() == KERAS3
    result = run("convert", src, "--image-dim-ordering", "tf", "--format", "json")
    assert json.loads(result.stdout)["summary"]["cache_hits"] == 1
    assert (src / "a.py").read_text() == KERAS3


def test_a_warm_run_never_imports_libcst(tmp_path):
    src = tree(tmp_path)
    run("check", src)
    code = ("import sys; from k1port.cli import main; status = main(['check', '-q', sys.argv[1]]); "
            "print(status, sorted(m for m in ('libcst', 'k1port.api', 'rich', 'pydantic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(src)], capture_output=True, text=True,
                         env=dict(os.environ), check=True)
    assert out.stdout.split("\n")[-2] == "1 []"


def test_a_damaged_entry_is_a_miss(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.py").write_text(KERAS1)
    first = report(src)
    for entry in Path(os.environ["K1PORT_CACHE_DIR"]).rglob("*.json"):
        entry.write_text("{not json")
    again = report(src)
    assert again["summary"]["cache_hits"] == 0 and again["files"] == first["files"]
