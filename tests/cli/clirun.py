"""Run `k1port` in this process (fast) or as a real subprocess, and collect what it printed."""
import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from k1port.cli import main

K1PORT = Path(sys.executable).parent / "k1port"


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(*args, input: str | None = None) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.StringIO(input or "")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = stdin
    return Outcome(code, out.getvalue(), err.getvalue())


def run_process(*args, cwd=None, timeout=120) -> Outcome:
    proc = subprocess.run([str(K1PORT), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=dict(os.environ))
    return Outcome(proc.returncode, proc.stdout, proc.stderr)
