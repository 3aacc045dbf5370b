"""Run converted scripts in ONE Python process and print one JSON line of results.

    python tests/e2e/run_scripts.py SCRIPT.py [SCRIPT.py ...]

Importing Keras costs seconds, so the end-to-end tests run every converted fixture in a
single process per backend (set KERAS_BACKEND before calling). Each script runs with runpy
as __main__; whatever it prints is captured, exceptions are caught, and the Keras session
is cleared between scripts. The last line of stdout is the JSON result:

    {"backend": "...", "results": {"<path>": {"ok": bool, "seconds": float,
                                               "error": "<traceback tail + output tail>"}}}
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys
import time
import traceback

MARKER = "K1PORT-E2E-RESULT "
TAIL = 4000  # characters of traceback / captured output kept per failure


def _tail(text: str, n: int = TAIL) -> str:
    return text if len(text) <= n else "..." + text[-n:]


def _clear_session() -> None:
    keras = sys.modules.get("keras")
    if keras is not None:
        with contextlib.suppress(Exception):
            keras.utils.clear_session()


def run_one(path: str) -> dict:
    captured = io.StringIO()
    start = time.perf_counter()
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    ok, error = True, ""
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            runpy.run_path(path, run_name="__main__")
    except BaseException as exc:  # noqa: BLE001 - a script may even call sys.exit()
        if isinstance(exc, SystemExit) and exc.code in (None, 0):
            pass
        else:
            ok = False
            error = _tail("".join(traceback.format_exception(exc)))
            output = captured.getvalue().strip()
            if output:
                error += "\n--- script output (tail) ---\n" + _tail(output, 1500)
            if isinstance(exc, KeyboardInterrupt):
                raise
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        _clear_session()
    return {"ok": ok, "seconds": round(time.perf_counter() - start, 2), "error": error}


def main(paths: list[str]) -> int:
    results = {}
    for path in paths:
        results[path] = run_one(path)
    keras = sys.modules.get("keras")
    backend = keras.backend.backend() if keras is not None else os.environ.get("KERAS_BACKEND")
    sys.stdout.write("\n" + MARKER + json.dumps({"backend": backend, "results": results}) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
