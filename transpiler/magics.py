"""IPython syntax in notebook cells, set aside while the cells are converted as Python.

Every line IPython would transform (`%matplotlib inline`, `!pip install ...`, `x = !ls`,
`files = %sx ls`, `?obj`, `obj?`, `obj??`, the `/ , ;` autocall escapes), with its backslash
continuation lines, is replaced line for line by a placeholder statement at the same
indentation, so the cell parses, keeps its line numbers, and gets its lines back exactly.
Only lines where a logical line begins count: a `%` inside a string or bracket is Python.
"""
from __future__ import annotations

import ast
import re

PLACEHOLDER = "_k1port_magic_({})"
_PLACEHOLDER_LINE = re.compile(r"^[ \t]*_k1port_magic_\((\d+)\)[ \t]*$", re.M)
_PREFIX = re.compile(r"^([ \t]*)_k1port_magic_\((\d+)\); ", re.M)
# Line magics whose argument is a Python statement (`%time model.fit(...)`): the statement is
# converted, the magic kept in front of it.
_STATEMENT_MAGIC = re.compile(r"^%(time|timeit|prun)[ \t]+(?=[^-\s])")
_ESCAPES = ("%", "!", "?", "/", ",", ";")
_ASSIGNED = re.compile(r"^[\w.]+(\s*,\s*[\w.]+)*\s*=\s*[!%]")  # x = !ls, a, b = %sx ...
# Cell magics whose body is Python run in the kernel: the body is converted with the rest.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}


def cell_magic(source: str) -> str | None:
    """The name of the cell magic (`%%time` -> 'time'), or None."""
    if not source.startswith("%%"):
        return None
    return source[2:].split(None, 1)[0] if source[2:].strip() else ""


def protect(source: str, table: list[str]) -> str:
    """`source` with IPython lines replaced by placeholders numbered into `table`."""
    out = []
    state = _Lexer()
    lines = source.splitlines(keepends=True)
    continued = False  # inside a magic's backslash continuation
    indent = ""
    for line in lines:
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        stripped = body.lstrip(" \t")
        if continued or (state.at_line_start and _is_ipython(stripped, state.code_part(body))):
            if not continued:
                indent = body[:len(body) - len(stripped)]
                prefix = _statement_prefix(stripped)
                if prefix is not None:
                    table.append(prefix)
                    out.append(f"{indent}{PLACEHOLDER.format(len(table) - 1)}; {stripped[len(prefix):]}{ending}")
                    continue
            table.append(body)
            out.append(indent + PLACEHOLDER.format(len(table) - 1) + ending)
            continued = body.endswith("\\")
            continue
        state.feed(body)
        out.append(line)
    return "".join(out)


def restore(code: str, table: list[str]) -> str:
    code = _PLACEHOLDER_LINE.sub(lambda m: table[int(m.group(1))], code)
    return _PREFIX.sub(lambda m: m.group(1) + table[int(m.group(2))], code)


def _statement_prefix(stripped: str) -> str | None:
    """`%time ` for `%time model.fit(x, y)`: a one-line simple statement after the magic."""
    match = _STATEMENT_MAGIC.match(stripped)
    if match is None or stripped.endswith("\\"):
        return None
    try:
        ast.parse(PLACEHOLDER.format(0) + "; " + stripped[match.end():])
    except (SyntaxError, ValueError):
        return None
    return stripped[:match.end()]


def _is_ipython(stripped: str, code: str) -> bool:
    if not stripped:
        return False
    if stripped.startswith(_ESCAPES) or _ASSIGNED.match(stripped):
        return True
    return code.rstrip().endswith("?")  # obj? / obj?? (help), not a comment's question mark


class _Lexer:
    """Just enough of Python's tokenizer to know where logical lines begin: open brackets,
    strings (triple-quoted ones span lines) and backslash continuations."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open triple quote, if any
        self.backslash = False

    @property
    def at_line_start(self) -> bool:
        return self.depth == 0 and self.quote is None and not self.backslash

    def code_part(self, line: str) -> str:
        """The line without its comment (for a line that starts outside any string)."""
        return line[:self._scan(line, count=False)]

    def feed(self, line: str) -> None:
        self._scan(line, count=True)

    def _scan(self, line: str, count: bool) -> int:
        """Walk one physical line; return where its comment starts (len(line) if none)."""
        depth, quote, i, n = self.depth, self.quote, 0, len(line)
        while i < n:
            if quote is not None:
                end = line.find(quote, i)
                while end != -1 and _escaped(line, end):
                    end = line.find(quote, end + 1)
                if end == -1:
                    i = n
                    break
                i, quote = end + len(quote), None
                continue
            c = line[i]
            if c == "#":
                break
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(depth - 1, 0)
            elif c in "'\"":
                q = line[i:i + 3] if line[i:i + 3] in ("'''", '"""') else c
                end = line.find(q, i + len(q))
                while end != -1 and _escaped(line, end):
                    end = line.find(q, end + 1)
                if end == -1:
                    if len(q) == 3:
                        quote = q
                    i = n
                    break
                i = end + len(q)
                continue
            i += 1
        if count:
            self.depth, self.backslash = depth, line.endswith("\\") and i >= n
            self.quote = quote if quote is not None and len(quote) == 3 else None
        return min(i, n)


def _escaped(line: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and line[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1
