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
    name, attribute, node_type = cst.Name, cst.Attribute, cst.CSTNode

    def walk(node, out: set[str]) -> None:
        kind = type(node)
        if kind is name:
            out.add(node.value)
            return
        if kind is attribute:
            out.add("." + node.attr.value)
            walk(node.value, out)
            return
        if kind in STATEMENTS:
            out, outer = set(), out
            table[id(node)] = out
        for field in _fields(kind):
            value = getattr(node, field)
            if isinstance(value, node_type):
                walk(value, out)
            elif type(value) in (list, tuple):
                for item in value:
                    walk(item, out)
        if kind in STATEMENTS:
            outer |= out

    walk(module, set())
    return table


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
