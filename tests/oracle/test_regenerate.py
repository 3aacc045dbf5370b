"""The committed reference data can be made again, in a clean run of the real Keras 1.2.2.

Builds (or re-checks) the oracle venv with tests/oracle/setup.sh, then regenerates into a
temporary folder, each in a fresh process with a minimal environment:
  * the fixtures whose script or reference data changed: stale ones (meta sha256 differs
    from the script) and, where git is available, those modified in the working tree or in
    the last commit;
  * 2 more picked at random from QUICK, with the seed K1PORT_ORACLE_SEED (default: the
    current time; printed, and named in failure messages, to re-run the same pick);
and checks that every array equals the committed one (atol 1e-6).

Time is bounded: setup gets K1PORT_ORACLE_SETUP_S (default 240 s; ~40 s cold), the
regeneration K1PORT_ORACLE_BUDGET_S (default 240 s; a tiny model compiles in ~10-60 s on a
cold Theano cache). Fixtures not reached within the budget are reported as warnings.
Skipped when setup cannot reach the package index, without CPython 3.11 or g++, or with
K1PORT_SKIP_ORACLE=1; fails when the oracle ran and disagreed.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

import oracle_data as od

pytestmark = pytest.mark.oracle

# Fixtures cheap enough to regenerate on a cold Theano cache (dense / tiny 1-D conv graphs).
QUICK = ["core_layers", "merge_modes_bn", "train_mlp_sgd", "sequential_merge", "conv1d",
         "guide_inception_residual"]
N_RANDOM = 2
READY = od.ORACLE / "venv" / ".k1port-oracle-ready"
NETWORK_ERRORS = re.compile(
    r"Could not find a version that satisfies|No matching distribution found|"
    r"NewConnectionError|Max retries exceeded|Temporary failure in name resolution|"
    r"Name or service not known|Network is unreachable|Connection refused|ConnectTimeout|"
    r"ReadTimeout|timed out|ProxyError|SSLError|Could not fetch URL", re.I)


def _seconds(var: str, default: float) -> float:
    return float(os.environ.get(var, default))


def _python311() -> str | None:
    if sys.version_info[:2] == (3, 11):
        return getattr(sys, "_base_executable", None) or sys.executable
    return shutil.which("python3.11")


def _run(cmd, timeout, env=None, cwd=od.REPO):
    """Run cmd in its own process group; kill the whole group on timeout.
    Returns (returncode or None on timeout, output)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=max(1.0, timeout))
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


def _setup():
    """Build or re-check the oracle venv; pytest.skip where the machine cannot host it."""
    python = _python311()
    if python is None:
        pytest.skip("the Keras 1.2.2 oracle needs CPython 3.11 (none found)")
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "KERAS_BACKEND")}
    env["PYTHON"] = python
    budget = _seconds("K1PORT_ORACLE_SETUP_S", 240)
    code, out = _run(["bash", str(od.ORACLE / "setup.sh")], budget, env=env)
    if code is None:
        if not READY.exists():
            pytest.skip(f"tests/oracle/setup.sh did not finish within {budget:.0f} s "
                        f"(PyPI slow or unreachable?)\n{out[-2000:]}")
        warnings.warn(f"tests/oracle/setup.sh re-check timed out after {budget:.0f} s; "
                      "using the existing oracle venv")
    elif code != 0:
        if NETWORK_ERRORS.search(out):
            pytest.skip(f"tests/oracle/setup.sh could not install from the package index "
                        f"(unreachable?):\n{out[-2000:]}")
        pytest.fail(f"tests/oracle/setup.sh failed (exit {code}):\n{out[-4000:]}")
    if shutil.which("g++") is None:
        pytest.skip("no g++: Theano cannot compile 'same' convolutions without it "
                    "(tests/oracle/README.md)")


def _git_changed(names) -> set[str]:
    """Fixtures whose script or reference data git sees as changed (working tree, last commit)."""
    if shutil.which("git") is None:
        return set()
    cmds = [["git", "status", "--porcelain", "--untracked-files=all", "--", "fixtures/oracle"],
            ["git", "diff", "--name-only", "HEAD~1", "HEAD", "--", "fixtures/oracle"]]
    changed = set()
    for cmd in cmds:
        try:
            proc = subprocess.run(cmd, cwd=od.REPO, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode != 0:
            continue
        for line in proc.stdout.splitlines():
            path = line[3:] if cmd[1] == "status" else line
            path = path.split(" -> ")[-1].strip().strip('"')
            parts = Path(path).parts
            if len(parts) >= 3 and parts[:2] == ("fixtures", "oracle"):
                name = parts[2][:-3] if parts[2].endswith(".py") else parts[2]
                if name in names:
                    changed.add(name)
    return changed


def _selection(seed: int) -> tuple[list[str], list[str]]:
    names = od.fixture_names()
    stale = {n for n in names if od.stale(n) is not None}
    changed = sorted(stale | _git_changed(names))
    rng = random.Random(seed)
    rng.shuffle(changed)
    pool = [n for n in QUICK if n in names and n not in changed]
    return changed, rng.sample(pool, min(N_RANDOM, len(pool)))


def test_regenerate_matches_committed(tmp_path):
    if os.environ.get("K1PORT_SKIP_ORACLE") == "1":
        pytest.skip("K1PORT_SKIP_ORACLE=1")
    seed = int(os.environ.get("K1PORT_ORACLE_SEED", int(time.time())))
    changed, picked = _selection(seed)
    print(f"oracle regeneration: K1PORT_ORACLE_SEED={seed}; changed {changed}; random {picked}")
    _setup()

    # A clean run: a minimal environment (run.sh sets HOME, KERAS_BACKEND, THEANO_FLAGS).
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "PYTHONHASHSEED": "0", "TMPDIR": str(tmp_path)}
    budget = _seconds("K1PORT_ORACLE_BUDGET_S", 240)
    deadline = time.monotonic() + budget
    out_root = tmp_path / "oracle"
    verified, unreached, problems = [], [], []
    for name in changed + picked:
        left = deadline - time.monotonic()
        if left < 5:
            unreached.append(name)
            continue
        code, out = _run([str(od.ORACLE / "run.sh"), str(od.ORACLE / "make_reference.py"),
                          "--out", str(out_root), name], left, env=env)
        if code is None:
            unreached.append(name)
        elif code != 0:
            problems.append(f"{name}: make_reference.py failed (exit {code}):\n{out[-3000:]}")
        else:
            diffs = od.compare(name, out_root, od.FIXTURES, atol=1e-6)
            if diffs:
                problems.append(f"{name}: regenerated data differs from fixtures/oracle/{name}/ "
                                f"(stale? run: {od.REGENERATE} {name}):\n  " + "\n  ".join(diffs[:20]))
            else:
                verified.append(name)
    if unreached:
        warnings.warn(f"oracle: not regenerated within the {budget:.0f} s budget "
                      f"(K1PORT_ORACLE_BUDGET_S): {unreached}")
    assert not problems, f"K1PORT_ORACLE_SEED={seed}\n" + "\n".join(problems)
    if not verified:
        pytest.skip(f"no fixture regenerated within {budget:.0f} s (cold Theano cache?): {unreached}")
    print(f"oracle: verified {verified}")
