"""The identifiers each statement mentions, from one fast read-only walk of the tree.

LibCST's visitors spend ~2 µs of dispatch on every node; this walk follows only the fields
that can hold names (no whitespace, parentheses, commas, operators), so the converter can
afford it on every file and then leave alone the statements that cannot concern it.
"""
from __future__ import annotations

import dataclasses

import libcst as cst

# Statements the converter may leave alone as a whole (compound ones with their bodies).
STATEMENTS = frozenset({cst.SimpleStatementLine, cst.If, cst.For, cst.While, cst.With, cst.Try,
                        cst.TryStar, cst.FunctionDef, cst.ClassDef, cst.Match})
# Fields that never hold a name.
_NAMELESS = frozenset({"lpar", "rpar", "comma", "semicolon", "equal", "dot", "colon", "first_colon",
                       "second_colon", "header", "footer", "leading_lines", "lines_after_decorators",
                       "newline", "trailing_whitespace", "indent", "operator", "lbracket", "rbracket",
                       "lbrace", "rbrace", "asynchronous", "comment", "empty_lines", "relative",
                       "leading_whitespace", "separator", "trailing_comma", "posonly_ind",
                       "first_line", "last_line"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind)
                                      if f.name not in _NAMELESS and not f.name.startswith("whitespace"))
    return found


def statement_names(module: cst.Module) -> dict[int, set[str]]:
    """id(statement) -> the names in it: `x` for a Name, `.x` for an attribute `_.x`, nested
    statements' names included."""
    table: dict[int, set[str]] = {}
    _walk(module, set(), table)
    return table


def names_in(node: cst.CSTNode) -> set[str]:
    """The names in one node, as statement_names says them."""
    out: set[str] = set()
    _walk(node, out, {})
    return out


def _walk(node, out: set[str], table: dict[int, set[str]]) -> None:
    kind = type(node)
    if kind is _NAME:
        out.add(node.value)
        return
    if kind is _ATTRIBUTE:
        out.add("." + node.attr.value)
        _walk(node.value, out, table)
        return
    if kind in STATEMENTS:
        out, outer = set(), out
        table[id(node)] = out
    for field in _fields(kind):
        value = getattr(node, field)
        if isinstance(value, _NODE):
            _walk(value, out, table)
        elif type(value) in (list, tuple):
            for item in value:
                _walk(item, out, table)
    if kind in STATEMENTS:
        outer |= out


_NAME, _ATTRIBUTE, _NODE = cst.Name, cst.Attribute, cst.CSTNode


def _nameless_kinds() -> frozenset[type]:
    kinds = {cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.SimpleWhitespace, cst.Comment,
             cst.Newline}
    for value in vars(cst).values():
        if isinstance(value, type) and issubclass(value, cst.CSTNode) and dataclasses.is_dataclass(value) \
                and not _fields(value):
            kinds.add(value)
    return frozenset(kinds)


# Node types that hold no name (literals, whitespace, comments, commas, operators, `pass`):
# nothing below them concerns a visitor that acts on names.
NAMELESS = _nameless_kinds()
