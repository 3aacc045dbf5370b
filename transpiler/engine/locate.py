"""Where findings are: (line, column) of the original nodes they were reported on.

LibCST's PositionProvider records every node's range (~0.6x a parse of a Keras file). A
finding needs only its node's start, so only the top-level statements holding findings are
printed again, each from the line where its text begins (engine/sources.py). Each such print
is checked against the source text it claims to reproduce; where it differs, the module is
printed up to the node instead.
"""
from __future__ import annotations

from contextlib import contextmanager

import libcst as cst

from k1port.engine.apply import NO_POSITION, Codegen
from k1port.engine.sources import NEWLINE, Sources
from k1port.findings import Finding

RawFinding = tuple  # (node, level, kind, message, index of its top-level statement or None)


def locate(sources: Sources, raw: list[RawFinding]) -> list[Finding]:
    """The findings, located and sorted, each reported once."""
    if not raw:
        return []
    module = sources.module
    starts = _statement_starts(sources, [r for r in raw if r[4] is not None])
    missing = [r[0] for r in raw if id(r[0]) not in starts]
    if missing:
        starts.update(_print_until_found(module, module, missing, 1).found)
    out, seen = [], set()
    for node, level, kind, message, _ in raw:
        line, col = starts.get(id(node), (1, 1))
        key = (line, col, kind, message)
        if key not in seen:
            seen.add(key)
            out.append(Finding(line, col, level, kind, message))
    return sorted(out, key=lambda f: (f.line, f.col))


def _statement_starts(sources: Sources, raw: list[RawFinding]) -> dict[int, tuple[int, int]]:
    """Starts of the nodes, printing only their top-level statements (those whose print does
    not match the source are left out: the caller prints the module for them)."""
    if not raw or sources.starts is None:
        return {}
    by_statement: dict[int, list[cst.CSTNode]] = {}
    for node, *_, index in raw:
        by_statement.setdefault(index, []).append(node)
    found: dict[int, tuple[int, int]] = {}
    for index, nodes in by_statement.items():
        line = sources.starts[index]
        if not 1 <= line <= len(sources.offsets):
            continue
        state = _print_until_found(sources.module, sources.module.body[index], nodes, line)
        if sources.text.startswith("".join(state.tokens), sources.offsets[line - 1]):
            found.update(state.found)
    return found


def _print_until_found(module: cst.Module, root: cst.CSTNode, nodes, line: int) -> "_Starts":
    """Print `root`, from line `line`, until every node has started."""
    state = _Starts(module, nodes, line)
    try:
        root._codegen(state)
    except _Located:
        pass
    return state


class _Located(Exception):
    pass


class _Starts(Codegen):
    """Where some nodes start (line, 1-based column), as LibCST's PositionProvider says (the
    start of a node's own syntax, not of the whitespace it owns), from a codegen that counts
    lines only where asked and stops after the last of those nodes."""

    def __init__(self, module: cst.Module, nodes, line: int) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = {id(n) for n in nodes}
        self.found: dict[int, tuple[int, int]] = {}
        self._pending: dict[int, tuple[int, int]] = {}
        self._line, self._column, self._counted = line, 0, 0

    def _here(self) -> tuple[int, int]:
        tokens = self.tokens
        for i in range(self._counted, len(tokens)):
            token = tokens[i]
            if "\n" in token or "\r" in token:
                segments = NEWLINE.split(token)
                self._line += len(segments) - 1
                self._column = len(segments[-1])
            else:
                self._column += len(token)
        self._counted = len(tokens)
        return self._line, self._column + 1

    def before_codegen(self, node) -> None:
        if id(node) in self.wanted:
            self._pending[id(node)] = self._here()

    def after_codegen(self, node) -> None:
        key = id(node)
        if key in self.wanted:
            self.found.setdefault(key, self._pending[key])
            if len(self.found) == len(self.wanted):
                raise _Located

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        key = id(node)
        if key not in self.wanted:
            return NO_POSITION
        return self._record(key, start_node)

    @contextmanager
    def _record(self, key, start_node):
        if start_node is not None:
            self.wanted.add(id(start_node))
        start = self._here() if start_node is None else None
        yield
        self.found[key] = start if start_node is None else self.found[id(start_node)]

