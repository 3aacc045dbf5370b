"""Jupyter notebooks: the code cells are converted as one program, in order (a cell that
imports Keras and the cells that use it share imports, aliases and the dim-ordering
decision), then put back into their cells. IPython syntax is kept exactly (`magics.py`);
markdown and raw cells, metadata, outputs and the nbformat version are left as they were;
a notebook in which nothing changed is returned byte for byte.

A cell that does not parse is reported (ERROR, with its cell number) and left unchanged; the
other cells still convert. Findings carry the cell number (1-based, counting every cell) and
the line and column within the cell.
"""
from __future__ import annotations

import ast
import dataclasses
import re

from k1port import magics
from k1port.api import ConversionError, Options, Result
from k1port.documents import convert_python, moved
from k1port.findings import Finding, Level

MARKER = "_k1port_cell_({})"
_MARKER_LINE = re.compile(r"^_k1port_cell_\((\d+)\)\r?\n", re.M)
_PRINT_FUNCTION = re.compile(r"^from\s+__future__\s+import\s+[^#\n]*\bprint_function\b", re.M)


@dataclasses.dataclass
class _Cell:
    number: int  # 1-based, counting every cell of the notebook
    node: dict  # the nbformat cell
    key: str  # "source" (nbformat 4) or "input" (nbformat 3)
    python: str = ""  # the source with IPython lines set aside, ending with a newline


def convert_notebook(text: str, options: Options = Options(), py2: bool | None = None,
                     clear_outputs: bool = False) -> Result:
    import nbformat

    try:
        nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    except Exception as exc:  # nbformat raises JSON, validation and version errors
        raise ConversionError(f"not a readable notebook: {exc}") from None
    table: list[str] = []
    cells = _code_cells(nb, table)
    if py2 is not True and not any("keras" in c.python for c in cells):
        return Result(text)  # cheap: a notebook without Keras is never parsed
    print_function = any(_PRINT_FUNCTION.search(c.python) for c in cells)
    findings: list[Finding] = []
    program = _parsing(cells, py2, print_function, findings)
    while True:
        source = "".join(MARKER.format(c.number) + "\n" + c.python for c in program)
        try:
            result = convert_python(source, options, py2, print_function)
            break
        except ConversionError as exc:  # a cell Python's parser took and LibCST did not
            cell, line = _cell_at(source, exc.line)
            if cell not in {c.number for c in program}:
                raise
            findings.append(_unparsable(cell, line, exc.col, str(exc)))
            program = [c for c in program if c.number != cell]
    findings += _in_cells(source, result.findings)
    kernel = nb.get("metadata", {}).get("kernelspec", {})
    if result.py2_fixes and "2" in kernel.get("name", ""):
        findings.append(Finding(1, 1, Level.INFO, "py2-kernel",
                                f"the notebook's kernel is {kernel.get('name')!r} (its metadata is kept): "
                                "run the converted notebook with a Python 3 kernel"))
    changed = _put_back(program, magics.restore(result.code, table))
    if not changed:
        return Result(text, sorted(findings, key=_order), py2_fixes=result.py2_fixes)
    if clear_outputs:
        _clear_outputs(nb)
    code = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    if text.endswith("\n") and not code.endswith("\n"):
        code += "\n"  # as Jupyter writes it
    if "\r\n" in text:  # a Windows checkout; JSON strings escape their own newlines
        code = code.replace("\n", "\r\n")
    return Result(code, sorted(findings, key=_order), True, result.dim_ordering, result.py2_fixes)


def _code_cells(nb, table: list[str]) -> list[_Cell]:
    if nb.nbformat >= 4:
        nodes, key = nb.cells, "source"
    else:
        nodes, key = [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])], "input"
    out = []
    for number, node in enumerate(nodes, start=1):
        if node.get("cell_type") != "code":
            continue
        source = node.get(key, "")
        source = "".join(source) if isinstance(source, list) else source
        magic = magics.cell_magic(source)
        if magic is not None and magic not in magics.PYTHON_CELL_MAGICS:
            continue  # %%bash, %%writefile, %%html...: not Python run by this kernel
        python = magics.protect(source, table)
        out.append(_Cell(number, node, key, python if python.endswith("\n") else python + "\n"))
    return out


def _parsing(cells: list[_Cell], py2: bool | None, print_function: bool, findings: list[Finding]) -> list[_Cell]:
    """The cells that parse (as Python 3, or as Python 2 where that is allowed); the others
    are reported and left out of the program."""
    from k1port import py2 as python2

    kept = []
    for cell in cells:
        error = None
        if py2 is not True:
            try:
                ast.parse(cell.python)
            except (SyntaxError, ValueError) as exc:
                error = exc
        if (error is not None and py2 is None) or py2 is True:
            if python2.parses(cell.python, print_function):
                error = None
            elif error is None:
                error = SyntaxError("invalid Python 2 syntax")
        if error is None:
            kept.append(cell)
        else:
            line, col = getattr(error, "lineno", None) or 1, getattr(error, "offset", None) or 1
            findings.append(_unparsable(cell.number, line, col, getattr(error, "msg", str(error))))
    return kept


def _unparsable(cell: int, line: int, col: int, message: str) -> Finding:
    return Finding(line, col, Level.ERROR, "cell-syntax",
                   f"this cell does not parse ({message}); it is left unchanged", cell)


def _cell_at(source: str, line: int) -> tuple[int, int]:
    """(cell number, line within the cell) of a line of the joined program."""
    cell, start = 0, 1
    for match in _MARKER_LINE.finditer(source):
        marker_line = source.count("\n", 0, match.start()) + 1
        if marker_line >= line:
            break
        cell, start = int(match.group(1)), marker_line + 1
    return cell, max(line - start + 1, 1)


def _split(code: str) -> dict[int, str]:
    """The joined program cut back into its cells, by the markers."""
    parts = _MARKER_LINE.split(code)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _in_cells(source: str, findings: list[Finding]) -> list[Finding]:
    """Findings in the joined program, moved to their cells."""
    return [moved(f, lambda line: _cell_at(source, line)) for f in findings]


def _put_back(program: list[_Cell], code: str) -> bool:
    parts = _split(code)
    changed = False
    for cell in program:
        new = parts.get(cell.number)
        old = cell.node[cell.key]
        old = "".join(old) if isinstance(old, list) else old
        if new is None:
            continue
        if not old.endswith("\n") and new.endswith("\n"):
            new = new[:-1]
        if new != old:
            cell.node[cell.key] = new
            changed = True
    return changed


def _clear_outputs(nb) -> None:
    cells = nb.cells if nb.nbformat >= 4 else [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
    for cell in cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            if nb.nbformat >= 4:
                cell["execution_count"] = None
            else:
                cell.pop("prompt_number", None)


def _order(f: Finding):
    return (f.cell or 0, f.line, f.col)
