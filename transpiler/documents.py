"""One entry point for every kind of file k1port converts: the CLI and batch runs call
`convert_document`, which picks the reader for the file (a Python 3 or Python 2 source, a
Jupyter notebook) and returns the same `Result` as `api.convert_source`.

nbformat and fissix are imported only for notebooks and Python 2 sources: a Python 3 file
costs what `convert_source` costs.
"""
from __future__ import annotations

import ast
import dataclasses
import re

from k1port.api import ConversionError, Options, Result, convert_source
from k1port.findings import Finding

BOM = "\ufeff"


def convert_document(text: str, name: str, options: Options = Options(), py2: bool | None = None,
                     *, clear_outputs: bool = False) -> Result:
    """Convert the text of the file called `name` (its suffix picks the reader).

    `py2`: True forces the Python 2 -> 3 pass first, False never runs it, None runs it only
    when the text does not parse as Python 3 (a notebook: also when its kernel is Python 2).
    `clear_outputs`: a notebook that changed loses its cells' outputs (they came from Keras 1).
    Line endings, a BOM and everything outside the converted code are kept as they were.
    Raises api.ConversionError when the file cannot be converted at all."""
    if name.endswith(".ipynb"):
        from k1port.notebooks import convert_notebook

        return convert_notebook(text, options, py2, clear_outputs)
    if text.startswith(BOM):  # decoded as utf-8 rather than utf-8-sig: LibCST would drop it
        result = convert_python(text[1:], options, py2)
        result.code = BOM + result.code
        return result
    return convert_python(text, options, py2)


def convert_python(text: str, options: Options = Options(), py2: bool | None = None,
                   print_function: bool = False) -> Result:
    """A Python source; with `py2` as in `convert_document`. Findings point into `text`."""
    first = None
    if py2 is not True:
        try:
            return convert_source(text, options)
        except ConversionError as error:
            if py2 is False or _parses_as_python3(text):
                raise
            first = error
    from k1port.py2 import to_python3

    try:
        python3 = to_python3(text, print_function)
    except ConversionError as error:
        if first is None:
            raise
        raise ConversionError(f"{first}; as Python 2: {error}", first.line, first.col) from None
    result = convert_source(python3.code, options)
    findings = sorted((moved(f, lambda line: (None, python3.back(line))) for f in result.findings + python3.findings),
                      key=lambda f: (f.line, f.col))
    return Result(result.code, findings, result.code != text, result.dim_ordering, python3.fixes)


def _parses_as_python3(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


_AT_LINE = re.compile(r"\bat line (\d+)")


def moved(finding: Finding, where) -> Finding:
    """`finding` at the place `where(line)` = (cell or None, line) says, and so is a line its
    message names ("... at line 25" in the dim-ordering note)."""
    cell, line = where(finding.line)

    def name(match):
        c, n = where(int(match.group(1)))
        return f"at line {n}" if c is None else f"at cell_{c} line {n}"
    message = _AT_LINE.sub(name, finding.message) if finding.kind == "dim-ordering" else finding.message
    return dataclasses.replace(finding, line=line, message=message,
                               cell=cell if cell is not None else finding.cell)
