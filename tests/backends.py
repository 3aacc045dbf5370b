"""Run a checker script once per Keras backend, both at once.

Importing Keras costs seconds, so each test package's checks run in one process per backend
(`KERAS_BACKEND` is read at import); the script prints its results as one JSON line last.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("tensorflow", "torch")


class BackendRuns:
    """The script's processes, started together; `results(backend)` waits for one."""

    def __init__(self, script: Path, *args: str, timeout: float = 300) -> None:
        self.script, self.timeout, self._results = Path(script), timeout, {}
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
        self.processes = {
            b: subprocess.Popen([sys.executable, str(self.script), *args], cwd=ROOT, text=True,
                                env={**env, "KERAS_BACKEND": b}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
            for b in BACKENDS}

    def results(self, backend: str) -> dict:
        if backend not in self._results:
            process = self.processes[backend]
            try:
                stdout, stderr = process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                pytest.fail(f"{self.script.name} on {backend} ran over {self.timeout} s")
            lines = stdout.strip().splitlines()
            assert process.returncode == 0 and lines, (
                f"{self.script.name} on {backend} exited {process.returncode}:\n{stderr[-3000:]}")
            self._results[backend] = json.loads(lines[-1])
        return self._results[backend]

    def close(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


def backend_runs(script: Path, *args: str, timeout: float = 300):
    """A module-scoped fixture running `script` on every backend."""

    @pytest.fixture(scope="module")
    def runs():
        started = BackendRuns(script, *args, timeout=timeout)
        yield started
        started.close()

    return runs


def checker_tests(script: Path, checks: tuple[str, ...], timeout: float = 300):
    """The tests of a checker script: it reports exactly `checks`, and each passes, per backend.
    Use as `runs, test_reports_exactly_the_listed_checks, test_check = checker_tests(...)`."""
    runs = backend_runs(script, timeout=timeout)

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_reports_exactly_the_listed_checks(runs, backend):
        assert list(runs.results(backend)) == list(checks)

    @pytest.mark.parametrize("check", checks)
    @pytest.mark.parametrize("backend", BACKENDS)
    def test_check(runs, backend, check):
        results = runs.results(backend)
        assert check in results, f"{Path(script).name} did not report {check!r} on {backend}"
        assert results[check]["ok"], f"{check} on {backend}:\n{results[check]['detail']}"

    return runs, test_reports_exactly_the_listed_checks, test_check
