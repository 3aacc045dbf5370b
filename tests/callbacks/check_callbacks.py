"""The callback programs of snippets.py, converted by k1port and run on Keras 3 (one backend
per process, see tests/backends.py), against Keras 1.2.2's results (data/reference.json,
made by make_reference.py in the oracle)."""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from checklib import CHECKS, check, expect, run  # noqa: E402
from snippets import COMMON, SNIPPETS, run_in_empty_folder  # noqa: E402

from k1port.api import Options, convert_source  # noqa: E402

REFERENCE = json.loads((HERE / "data" / "reference.json").read_text())


def converted(name: str) -> str:
    result = convert_source(COMMON + SNIPPETS[name], Options())
    problems = [f for f in result.findings if f.level.name in ("ERROR", "WARNING")]
    expect(not problems, f"{name}: {[f.message for f in problems]}")
    return result.code


def keras3_result(name: str):
    return json.loads(json.dumps(run_in_empty_folder(converted(name), name)))


def same_as_keras1(name: str):
    expected, got = REFERENCE["results"][name], keras3_result(name)
    expect(got == expected, f"{name}:\n Keras 1: {expected}\n Keras 3: {got}")
    return "ok"


@check
def reference_is_current():
    digest = hashlib.sha256((HERE / "snippets.py").read_bytes()).hexdigest()
    expect(REFERENCE["snippets_sha256"] == digest,
           "snippets.py changed: run tests/oracle/run.sh tests/callbacks/make_reference.py")
    return "ok"


for _name in SNIPPETS:
    CHECKS[_name] = (lambda n: lambda: same_as_keras1(n))(_name)


if __name__ == "__main__":
    run()
