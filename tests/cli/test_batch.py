"""`k1port convert TREE`: which files (.gitignore files, --exclude, symlinks), -o makes a complete
copy, parallel runs report in a stable order, files without Keras never reach LibCST."""
import os
from pathlib import Path

import libcst
import pytest

from clirun import run
from k1port.api import convert_source, Options

KERAS1 = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='same')\n"
KERAS3 = "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), padding='same')\n"
TF = ("--image-dim-ordering", "tf")


def make_tree(root: Path, files: dict) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def test_gitignore_files_nested_and_exclude_patterns(tmp_path):
    src = make_tree(tmp_path / "src", {
        ".gitignore": "build/\n*.tmp\n",
        "pkg/.gitignore": "!keep.tmp\n/local.py\n",
        "pkg/m.py": KERAS1, "pkg/local.py": KERAS1, "pkg/sub/local.py": KERAS1,
        "build/x.py": KERAS1, "scripts/gen.py": KERAS1, "a.tmp": "x", "pkg/keep.tmp": "x",
        ".venv/lib/site.py": KERAS1, "nb/.ipynb_checkpoints/a.py": KERAS1,
    })
    result = run("convert", src, "--exclude", "scripts/", *TF)
    assert result.exit_code == 0, result.output
    converted = {p.relative_to(src).as_posix() for p in src.rglob("*.py") if p.read_text() == KERAS3}
    # pkg/.gitignore anchors /local.py to pkg/; deeper .gitignore files override shallower ones
    assert converted == {"pkg/m.py", "pkg/sub/local.py"}


def test_output_folder_is_a_complete_tree_and_the_input_is_untouched(tmp_path):
    files = {".gitignore": "*.log\n", "pkg/m.py": KERAS1, "plain.py": "print('hi')\n", "data/x.csv": "1,2\n",
             "run.sh": "#!/bin/sh\n", "debug.log": "x", "README.md": "# r\n"}
    src = make_tree(tmp_path / "src", files)
    (src / "run.sh").chmod(0o755)
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    result = run("convert", src, "-o", out, *TF)
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in src.rglob("*") if p.is_file()} == before
    listed = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert listed == sorted(k for k in files if k != "debug.log")  # ignored files are not copied
    assert (out / "pkg" / "m.py").read_text() == KERAS3
    assert (out / "data" / "x.csv").read_text() == "1,2\n"
    assert (out / "run.sh").stat().st_mode & 0o777 == 0o755
    assert "1 converted, 1 unchanged" in result.stderr and "(4 copied)" in result.stderr


def test_output_folder_inside_the_tree_is_not_walked(tmp_path):
    src = make_tree(tmp_path, {"m.py": KERAS1})
    assert run("convert", src, "-o", src / "converted", *TF).exit_code == 0
    assert run("convert", src, "-o", src / "converted", *TF).exit_code == 0
    assert sorted(p.relative_to(src).as_posix() for p in src.rglob("*.py")) == ["converted/m.py", "m.py"]
    assert run("convert", src, "-o", src).exit_code == 2  # in place is spelt without -o


def test_symlinks_are_never_followed(tmp_path):
    outside = make_tree(tmp_path / "outside", {"o.py": KERAS1, "lib/l.py": KERAS1})
    src = make_tree(tmp_path / "src", {"pkg/m.py": KERAS1})
    os.symlink("pkg/m.py", src / "inside_link.py")
    os.symlink(outside / "o.py", src / "abs_link.py")
    os.symlink("../outside/lib", src / "lib")
    result = run("convert", src, *TF)
    assert result.exit_code == 0, result.output
    assert (src / "pkg" / "m.py").read_text() == KERAS3
    assert os.readlink(src / "inside_link.py") == "pkg/m.py"  # still a link, converted through its target
    assert (outside / "o.py").read_text() == KERAS1 and (outside / "lib" / "l.py").read_text() == KERAS1
    assert "abs_link.py: skipped: symlink out of the tree" in result.stderr

    out = tmp_path / "out"
    assert run("convert", src, "-o", out, *TF).exit_code == 0
    assert os.readlink(out / "inside_link.py") == "pkg/m.py"  # points at the converted copy
    assert (out / "inside_link.py").read_text() == KERAS3
    assert not (out / "abs_link.py").exists() and not (out / "lib").exists()
    assert (outside / "o.py").read_text() == KERAS1


def test_never_writes_through_a_symlink_in_the_output_folder(tmp_path):
    victim = make_tree(tmp_path / "victim", {"pkg/m.py": "untouched\n"})
    src = make_tree(tmp_path / "src", {"pkg/m.py": KERAS1, "top.py": KERAS1})
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim / "pkg", out / "pkg")
    result = run("convert", src, "-o", out, *TF)
    assert result.exit_code == 2
    assert "outside the output folder" in result.stderr
    assert (victim / "pkg" / "m.py").read_text() == "untouched\n"
    assert (out / "top.py").read_text() == KERAS3


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parallel_runs_report_in_a_stable_order(tmp_path, jobs):
    bad = "import keras\nprint 'python 2'\n"
    files = {f"m{i:02d}.py": (bad if i % 7 == 3 else KERAS1) for i in range(20)}
    src = make_tree(tmp_path, files)
    result = run("convert", src, "-j", jobs, "--no-py2", *TF, "--no-cache")
    assert result.exit_code == 2
    errors = [line.split(":")[0] for line in result.stderr.splitlines() if "ERROR" in line]
    assert errors == [str(src / f"m{i:02d}.py") for i in (3, 10, 17)]
    assert all((src / n).read_text() == (bad if t == bad else KERAS3) for n, t in files.items())


def test_files_without_keras_are_never_parsed(tmp_path, monkeypatch):
    parsed = []
    real = libcst.parse_module
    monkeypatch.setattr(libcst, "parse_module", lambda text, *a, **k: parsed.append(text) or real(text, *a, **k))
    plain = "import numpy as np\n" * 50
    make_tree(tmp_path, {"a.py": plain, "b.py": KERAS1, "c.ipynb": '{"cells": []}'})
    assert run("convert", tmp_path, "-j", "1", *TF, "--no-cache").exit_code == 0
    assert parsed and plain not in parsed and KERAS1 in parsed
    assert convert_source(plain, Options()).code == plain
