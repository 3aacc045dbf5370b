"""Helpers for before/after tests (LibCST codemod style: pairs of source strings)."""
from __future__ import annotations

import textwrap

from k1port.api import Options, convert_source
from k1port.findings import Level


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def convert(before: str, **options):
    return convert_source(dedent(before), Options(**options))


def assert_converts(before: str, after: str, **options) -> None:
    result = convert(before, **options)
    assert result.code == dedent(after), result.code
    again = convert_source(result.code, Options(**options))
    assert again.code == result.code, "converting twice must equal converting once"


def levels(result, level: Level):
    return [f for f in result.findings if f.level is level]
