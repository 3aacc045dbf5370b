"""Where each top-level statement of a module lies in its source text.

Printing a LibCST tree costs a third of parsing it (Python code runs for every node), so k1port
prints only what it changed: a top-level statement the conversion left as it was (the same
object in the converted module) is copied from the source, and a finding is located by printing
its own statement only. Both need the line where each top-level statement's text begins.
Python's own parser (a twentieth of LibCST's cost) gives the line of each statement's first
token; a LibCST statement also owns the comment and blank lines above it (`leading_lines`), so
its text begins that many lines earlier. The layout is checked before it is trusted: where it
does not hold (a decorator's `@` on a line of its own, a parser disagreement), everything is
printed, as LibCST would.
"""
from __future__ import annotations

import ast
import re
import warnings
from functools import cached_property

import libcst as cst

NEWLINE = re.compile(r"\r\n?|\n")  # LibCST's own (libcst.metadata.position_provider)
_BLANK_OR_COMMENT = re.compile(r"[ \t\f]*(#[^\r\n]*)?(\r\n?|\n)?")


class Sources:
    def __init__(self, text: str, module: cst.Module) -> None:
        self.text, self.module = text, module

    @cached_property
    def offsets(self) -> list[int]:
        """offsets[n - 1]: where line n begins; the last: the text's end (a last line without
        a newline counts as a line)."""
        offsets = [0] + [m.end() for m in NEWLINE.finditer(self.text)]
        if offsets[-1] != len(self.text):
            offsets.append(len(self.text))
        return offsets

    @cached_property
    def first_lines(self) -> list[int] | None:
        """The line of each top-level statement's first token (a decorator's `@`), by Python's
        parser; None where it does not parse the text or its statements do not match."""
        return _first_lines(self.text, self.module)

    @cached_property
    def starts(self) -> list[int] | None:
        """The line where each top-level statement's text begins (its leading lines)."""
        if self.first_lines is None:
            return None
        return [first - len(statement.leading_lines) for statement, first in zip(self.module.body, self.first_lines)]

    def pieces(self) -> dict[int, str] | None:
        """id(top-level statement) -> its exact source text; None where the layout fails a check."""
        if not self._layout_holds:
            return None
        offsets, text, starts = self.offsets, self.text, self.starts
        ends = [offsets[line - 1] for line in starts[1:]] + [offsets[self._footer_line() - 1]]
        return {id(statement): text[offsets[line - 1]:end]
                for statement, line, end in zip(self.module.body, starts, ends)}

    def _footer_line(self) -> int:
        return len(self.offsets) - len(self.module.footer)

    @cached_property
    def _layout_holds(self) -> bool:
        module, first_lines, starts = self.module, self.first_lines, self.starts
        if starts is None or not module.body:
            return False
        footer = self._footer_line()
        if starts[0] != len(module.header) + 1 or not all(a < b for a, b in zip(starts, starts[1:])) \
                or not starts[-1] <= first_lines[-1] < footer <= len(self.offsets):
            return False
        text, offsets, blank = self.text, self.offsets, self._blank_or_comment
        for statement, start, first in zip(module.body, starts, first_lines):
            # its own lines above it are comments or blank, its first line is not, and a
            # decorated statement begins with the `@`
            if any(not blank(line) for line in range(start, first)) or blank(first) \
                    or text.startswith((" ", "\t", "\f"), offsets[first - 1]) \
                    or (getattr(statement, "decorators", None) and not text.startswith("@", offsets[first - 1])):
                return False
        return all(blank(line) for line in range(footer, len(self.offsets)))

    def _blank_or_comment(self, line: int) -> bool:
        return _BLANK_OR_COMMENT.fullmatch(self.text, self.offsets[line - 1], self.offsets[line]) is not None


def _first_lines(text: str, module: cst.Module) -> list[int] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the compiler's SyntaxWarnings are the user's
            tree = compile(text, "<k1port>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    statements, lines, i = tree.body, [], 0
    for statement in module.body:
        if i >= len(statements):
            return None
        first = statements[i]
        decorators = getattr(first, "decorator_list", None)
        lines.append(decorators[0].lineno if decorators else first.lineno)
        i += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return lines if i == len(statements) else None
