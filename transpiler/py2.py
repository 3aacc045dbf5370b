"""Python 2 sources brought to Python 3 before conversion: tabs expanded as Python 2 read
them, fissix's fixers (2to3's, maintained), then integer division (`k1port.division`).

Only `documents.convert_document` calls this, and only for a file that does not parse as
Python 3 (or when the user says the code is Python 2), so fissix is imported lazily.
"""
from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from k1port.api import ConversionError
from k1port.findings import Finding

# 2to3's default set, less:
#  - fix_import: `import utils` becomes `from . import utils` when a sibling file exists, so the
#    result would depend on the disk rather than the text (and be wrong for scripts run as
#    `python train.py`, whose folder is on sys.path). k1port converts text; the cache relies on it.
#  - fix_future: deleting `from __future__ import ...` lines is churn; they are valid Python 3.
# fix_dict, fix_xrange, fix_map, fix_filter and fix_zip stay although they write `list(...)`:
# Python 2 code indexed, shuffled and concatenated those lists (`idx = range(n);
# np.random.shuffle(idx)`, or changed a dict while looping over its keys()); the fixers already
# leave `iteritems()` loops, `sorted(...)`, `list(...)` and `range` loops alone.
# The optional fixers (buffer, idioms, set_literal, ws_comma) are style, not Python 3, and stay off.
EXCLUDED = {"fix_import", "fix_future"}


@dataclass
class Python3:
    code: str
    fixes: list[str] = field(default_factory=list)  # names of the fixes that changed something
    findings: list[Finding] = field(default_factory=list)  # positions in `code`
    back: Callable[[int], int] = lambda line: line  # a line of `code` -> the Python 2 line it came from


def to_python3(text: str, print_function: bool = False) -> Python3:
    """Raises ConversionError when the text is not Python 2 either. `print_function`: print is
    a function throughout (a notebook whose first cell imports it from __future__; fissix
    itself only sees a file's leading __future__ imports)."""
    from k1port.division import fix_division

    fixes = []
    expanded = expand_tabs(text)
    if expanded != text:
        fixes.append("tabs")
    code, applied = _fissix(expanded, print_function)
    fixes += applied
    fissix_back = line_map(expanded, code)  # expanding tabs keeps lines where they are
    code, findings, divided, comments = fix_division(code)
    if divided:
        fixes.append("division")

    def back(line: int) -> int:  # the division pass only adds comment lines above statements
        above = sum(1 for i, m in enumerate(comments) if m + i < line)
        return fissix_back(next((m for i, m in enumerate(comments) if m + i == line), line - above))
    return Python3(code, sorted(fixes), findings, back)


def _string_continuation_lines(text: str) -> set[int]:
    """1-based numbers of lines that begin inside a multi-line string (their whitespace is data)."""
    from fissix.pgen2 import token, tokenize

    inside = set()
    try:
        for kind, _, (srow, _), (erow, _), _ in tokenize.generate_tokens(io.StringIO(text).readline):
            if kind == token.STRING and erow > srow:
                inside.update(range(srow + 1, erow + 1))
    except (tokenize.TokenError, IndentationError):
        pass
    return inside


def expand_tabs(text: str) -> str:
    """Python 2 read a tab in indentation as up to 8 columns and let files mix tabs and spaces;
    Python 3 refuses the mix. Where a file mixes them, indentation is expanded as Python 2 read
    it (never inside multi-line strings)."""
    lines = text.splitlines(keepends=True)
    indents = [line[:len(line) - len(line.lstrip(" \t"))] for line in lines]
    if not any("\t" in i for i in indents) or not any(" " in i for i in indents):
        return text
    skip = _string_continuation_lines(text)
    return "".join(line if n in skip or "\t" not in indent else indent.expandtabs(8) + line[len(indent):]
                   for n, (line, indent) in enumerate(zip(lines, indents), start=1))


def parses(text: str, print_function: bool = False) -> bool:
    """Whether fissix's Python 2 grammar reads the text."""
    try:
        _tool(print_function).driver.parse_string(expand_tabs(text) + "\n")
    except Exception:  # fissix raises ParseError, TokenError, IndentationError...
        return False
    return True


@lru_cache(maxsize=2)
def _tool(print_function: bool = False):
    from fissix.refactor import RefactoringTool, get_fixers_from_package

    names = [n for n in get_fixers_from_package("fissix.fixes") if n.rsplit(".", 1)[1] not in EXCLUDED]
    tool = RefactoringTool(names, {"print_function": print_function})
    tool.applied = set()
    for fixer in tool.pre_order + tool.post_order:
        fixer.transform = _recording(fixer.transform, fixer.__module__.rsplit(".fix_", 1)[1], tool.applied)
    return tool


def _recording(transform, name: str, applied: set):
    """fixer.transform, noting the fixer's name when it changed the code (some fixers match and
    then decide to change nothing, e.g. fix_print on `print(x)`)."""
    def wrapped(node, results):
        before = str(node)
        new = transform(node, results)
        if str(node if new is None else new) != before:
            applied.add(name)
        return new
    return wrapped


def _fissix(text: str, print_function: bool) -> tuple[str, list[str]]:
    from fissix.pgen2.parse import ParseError
    from fissix.pgen2.tokenize import TokenError

    tool = _tool(print_function)
    tool.applied.clear()
    newline = "" if text.endswith(("\n", "\r")) or not text else "\n"  # the driver needs one
    try:
        tree = tool.refactor_string(text + newline, "<k1port>")
    except ParseError as exc:
        line, col = exc.context[1] if exc.context else (1, 0)
        raise ConversionError(f"cannot parse as Python 3 or Python 2 (at {exc.value!r})", line, col + 1) from None
    except (TokenError, IndentationError) as exc:
        raise ConversionError(f"cannot parse as Python 3 or Python 2 ({exc})") from None
    code = str(tree)
    return (code[:-len(newline)] if newline else code), sorted(tool.applied)


def line_map(before: str, after: str):
    """A function from line numbers in `after` to the lines of `before` they came from (a line
    that was inserted maps to the line it was inserted above)."""
    if before == after:
        return lambda line: line
    a, b = before.splitlines(), after.splitlines()
    table = [0] * (len(b) + 2)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                table[j + 1] = i1 + (j - j1) + 1
            elif tag == "replace":
                table[j + 1] = i1 + min(j - j1, i2 - i1 - 1) + 1
            elif tag == "insert":
                table[j + 1] = min(i1 + 1, max(len(a), 1))
    return lambda line: table[line] if 0 < line < len(table) and table[line] else line
