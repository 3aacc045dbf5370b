"""Properties of every conversion, on generated and mutated Keras 1 programs (issue 6's safety
section): no crash (every failure is a ConversionError), the output parses (Python's parser and
LibCST's), converting the output changes nothing and reports no new ERROR, files without Keras
come back identical, and every finding points at a line:col inside the file.

Reproducibility: the default profile is derandomized (hypothesis derives its seed from each
test's name), so every run, in CI or here, tries the same examples and a failure reproduces with
the same command. `K1PORT_HYPOTHESIS=explore` runs random examples, many more, and keeps
failures in hypothesis' database (`.hypothesis/`, gitignored) to replay them: use it to hunt
for new bugs, then add the shrunk example as a regression test."""
from __future__ import annotations

import ast
import os
from collections import Counter

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k1port.api import ConversionError, Options
from k1port.documents import convert_document
from k1port.findings import Level

from property.strategies import keras1_programs, mutated_programs, non_keras_programs

PROFILES = {
    "ci": dict(max_examples=120, derandomize=True, database=None),
    "explore": dict(max_examples=2000),
}
PROFILE = settings(deadline=None, print_blob=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                   **PROFILES[os.environ.get("K1PORT_HYPOTHESIS", "ci")])

OPTIONS = st.builds(Options, target=st.sampled_from(["keras", "tf.keras"]),
                    image_dim_ordering=st.sampled_from([None, "th", "tf"]),
                    keras1_backend=st.sampled_from([None, "theano", "tensorflow"]))


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _inside(text: str, line: int, col: int) -> bool:
    lines = text.splitlines() or [""]
    return 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1


def _errors(result) -> Counter:
    return Counter((f.kind, f.message) for f in result.findings if f.level is Level.ERROR)


def check_conversion(text: str, options: Options):
    """Every property of one conversion; returns the Result, or None for a reported failure."""
    try:
        result = convert_document(text, "generated.py", options)
    except ConversionError as exc:  # the one way to fail: reported, with a position in the file
        assert _inside(text, exc.line, exc.col) or exc.line == 1, (exc.line, exc.col, str(exc))
        return None
    code = result.code
    cst.parse_module(code)
    if _parses(text):
        assert _parses(code), "the output does not parse though the input did"
    for f in result.findings:
        assert _inside(text, f.line, f.col), f.format("generated.py")
    again = convert_document(code, "generated.py", options)
    assert again.code == code, "converting the output changed it"
    assert not _errors(again) - _errors(result), "converting the output reported new errors"
    return result


@PROFILE
@given(keras1_programs(), OPTIONS)
def test_generated_keras1_programs(text, options):
    result = check_conversion(text, options)
    assert result is not None, "a generated program parses: it must convert"
    assert result.changed  # every generated program has Keras 1 code


@PROFILE
@given(keras1_programs(unicode_names=True), OPTIONS)
def test_unicode_identifiers(text, options):
    assert check_conversion(text, options) is not None


@PROFILE
@given(mutated_programs(), OPTIONS)
def test_mutated_programs(text, options):
    check_conversion(text, options)


@PROFILE
@given(non_keras_programs(), OPTIONS)
def test_non_keras_files_are_identical(text, options):
    result = check_conversion(text, options)
    assert result is not None and result.code == text and not result.changed and not result.findings
