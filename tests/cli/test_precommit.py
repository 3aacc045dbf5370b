"""The hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` against a temporary git
repository, as a user's `.pre-commit-config.yaml` would pin them (`repo:` + `rev:`).

The hook repository is a clone of this repository's HEAD: the committed hooks are tested.
pre-commit pip-installs k1port and its dependencies into its own environment once (PyPI; about
40 s, most of this test); the runs after that take a second or two each."""
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
KERAS1 = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='same')\n"
KERAS3 = "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), padding='same')\n"
NETWORK = re.compile(r"Could not find a version|NewConnectionError|Temporary failure in name resolution|"
                     r"Network is unreachable|No matching distribution", re.I)


def notebook(source: str) -> str:
    cell = {"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
            "source": source}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


def sh(*args, cwd, env, timeout=120, check=True):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.mark.skipif(not PRE_COMMIT.exists() or shutil.which("git") is None, reason="needs pre-commit and git")
def test_hooks_through_real_pre_commit(tmp_path):
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), PIP_DISABLE_PIP_VERSION_CHECK="1",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_NOSYSTEM="1", HOME=str(tmp_path))
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    hooks = tmp_path / "hooks"
    sh("git", "clone", "--quiet", "--depth", "1", f"file://{REPO}", hooks, cwd=tmp_path, env=env)
    rev = sh("git", "rev-parse", "HEAD", cwd=hooks, env=env).stdout.strip()

    project = tmp_path / "project"
    project.mkdir()
    (project / "model.py").write_text(KERAS1)
    (project / "plain.py").write_text("x = 1\n")
    (project / "explore.ipynb").write_text(notebook(KERAS1))
    (project / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {hooks}
            rev: {rev}
            hooks:
              - id: k1port
                args: [--image-dim-ordering, tf]
              - id: k1port-check
                args: [--image-dim-ordering, tf]
        """))
    sh("git", "init", "--quiet", cwd=project, env=env)
    sh("git", "add", "-A", cwd=project, env=env)

    install = sh(PRE_COMMIT, "install-hooks", cwd=project, env=env, timeout=600, check=False)
    if install.returncode != 0 and NETWORK.search(install.stdout + install.stderr):
        pytest.skip("pre-commit could not install k1port from PyPI (no network?)")
    assert install.returncode == 0, install.stdout + install.stderr

    check = sh(PRE_COMMIT, "run", "k1port-check", "--all-files", cwd=project, env=env, check=False)
    assert check.returncode == 1 and "model.py" in check.stdout and "explore.ipynb" in check.stdout
    assert (project / "model.py").read_text() == KERAS1  # the check hook changes nothing

    sh(PRE_COMMIT, "install", cwd=project, env=env)
    first = sh("git", "commit", "-m", "keras 1", cwd=project, env=env, check=False)
    assert first.returncode == 1 and "files were modified by this hook" in first.stdout + first.stderr
    assert (project / "model.py").read_text() == KERAS3
    assert "".join(json.loads((project / "explore.ipynb").read_text())["cells"][0]["source"]) == KERAS3
    assert (project / "plain.py").read_text() == "x = 1\n"

    sh("git", "add", "-A", cwd=project, env=env)
    second = sh("git", "commit", "-m", "converted", cwd=project, env=env, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert sh(PRE_COMMIT, "run", "k1port-check", "--all-files", cwd=project, env=env, check=False).returncode == 0
