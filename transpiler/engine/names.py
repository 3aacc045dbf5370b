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


def fields(kind: type) -> tuple[str, ...]:
    """The fields of a node kind that can hold a name (in declaration order)."""
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
    for field in fields(kind):
        value = getattr(node, field)
        if type(value) in _SEQUENCES:
            for item in value:
                if _ENTERED.get(type(item)) or entered(type(item)):
                    _walk(item, out, table)
        elif _ENTERED.get(type(value)) or entered(type(value)):
            _walk(value, out, table)
    if kind in STATEMENTS:
        outer |= out


_NAME, _ATTRIBUTE, _NODE = cst.Name, cst.Attribute, cst.CSTNode
_SEQUENCES = (tuple, list)
_ENTERED: dict[type, bool] = {}


def entered(kind: type) -> bool:
    """Can a value of this type hold a name: a node of a kind not NAMELESS? Cached per type
    (isinstance with LibCST's abstract base class costs more than a step of a walk)."""
    found = _ENTERED.get(kind)
    if found is None:
        found = _ENTERED[kind] = _NODE in kind.__mro__ and kind not in NAMELESS
    return found


def calls_to(node: cst.CSTNode, name: str):
    """The calls below `node` whose function is `name` or `_.name` (the same fast walk; a
    quarter of the cost of libcst.matchers.findall)."""
    kind = type(node)
    if kind is cst.Call:
        func = node.func
        if (type(func) is _NAME and func.value == name) or (type(func) is _ATTRIBUTE and func.attr.value == name):
            yield node
    if kind is _NAME:
        return
    for field in fields(kind):
        value = getattr(node, field)
        if type(value) in _SEQUENCES:
            for item in value:
                if entered(type(item)):
                    yield from calls_to(item, name)
        elif entered(type(value)):
            yield from calls_to(value, name)


def _nameless_kinds() -> frozenset[type]:
    kinds = {cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.SimpleWhitespace, cst.Comment,
             cst.Newline}
    for value in vars(cst).values():
        # (`in __mro__`: a first issubclass with an abstract base class fills ABC caches, ~15 ms)
        if isinstance(value, type) and cst.CSTNode in value.__mro__ and dataclasses.is_dataclass(value) \
                and not fields(value):
            kinds.add(value)
    return frozenset(kinds)


# Node types that hold no name (literals, whitespace, comments, commas, operators, `pass`):
# nothing below them concerns a visitor that acts on names.
NAMELESS = _nameless_kinds()
