"""The converter's walk over a module: what `node.visit(transformer)` returns, for less.

LibCST's own walk visits every node, whitespace and commas included, through several layers
of calls and ABC isinstance checks, and rebuilds (and re-validates) every node it visits,
changed or not. The converter acts only on nodes that can hold a name (engine/names.py), so
this walk:
- follows only the fields that can hold one (names.py's `fields`): whitespace, parentheses,
  commas and operators are neither visited nor rebuilt;
- never calls hooks for the node kinds that hold no name (`NAMELESS`: the converter ignores them);
- rebuilds a node only when one of its children changed, so untouched code keeps its objects.
A conversion's walk (its rules included) costs ~15% less; code nested deeper than LibCST's walk
could follow converts, up to what Python's parser takes.

Hooks see what LibCST's walk would show them, in the same order, and `on_leave` results are
taken as LibCST takes them: a removed child of a sequence is dropped, a flattened one spliced
in, a statement line left empty dropped; a removed optional child becomes None, a removed
comma MaybeSentinel.DEFAULT.
"""
from __future__ import annotations

import dataclasses

import libcst as cst

from k1port.engine.names import entered, fields

_REMOVE = cst.RemovalSentinel.REMOVE
_FLATTEN = cst.FlattenSentinel
_PLAN: dict[type, tuple[tuple[str, object], ...]] = {}


class _FieldOrder(cst.CSTVisitor):
    """The fields of one node in the order LibCST's own walk visits them."""

    def __init__(self, root: cst.CSTNode) -> None:
        super().__init__()
        self.root, self.order = root, []

    def on_visit(self, node) -> bool:
        return node is self.root

    def on_visit_attribute(self, node, attribute) -> None:
        if node is self.root and attribute not in self.order:
            self.order.append(attribute)


def _plan(node: cst.CSTNode) -> tuple[tuple[str, object], ...]:
    """(field, what a removed single child becomes) for the fields the walk follows, in
    LibCST's order (read from LibCST once per node kind: it is not always the declared one,
    e.g. a function's decorators come before its body)."""
    kind = type(node)
    plan = _PLAN.get(kind)
    if plan is None:
        recorder = _FieldOrder(node)
        node.visit(recorder)
        wanted = fields(kind)
        order = [n for n in recorder.order if n in wanted] + [n for n in wanted if n not in recorder.order]
        defaults = {f.name: f.default for f in dataclasses.fields(kind)}
        plan = _PLAN[kind] = tuple((n, defaults[n]) for n in order)
    return plan


def transform(node: cst.CSTNode, visitor: cst.CSTTransformer):
    """`node.visit(visitor)` for a transformer that ignores the NAMELESS node kinds."""
    if not visitor.on_visit(node):
        return visitor.on_leave(node, node)
    changes = None
    for name, removed in _PLAN.get(type(node)) or _plan(node):
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            new = _sequence(value, visitor)
        elif entered(kind):
            new = transform(value, visitor)
            if new is _REMOVE and removed in (None, cst.MaybeSentinel.DEFAULT):
                new = removed
            elif new is _REMOVE or type(new) is _FLATTEN:
                raise TypeError(f"{type(node).__name__}.{name} ({type(value).__name__}) cannot be "
                                "removed or replaced with a sequence")
        else:
            continue
        if new is not value:
            if changes is None:
                changes = {}
            changes[name] = new
    return visitor.on_leave(node, node if changes is None else node.with_changes(**changes))


def _sequence(items, visitor):
    """The items, each transformed; the same object when none changed."""
    out = None
    for i, item in enumerate(items):
        kind = type(item)
        new = transform(item, visitor) if entered(kind) else item
        if new is item and out is None:
            continue
        if out is None:
            out = list(items[:i])
        if type(new) is _FLATTEN:
            out.extend(n for n in new.nodes if not (n._is_removable() and not item._is_removable()))
        elif new is not _REMOVE and not (new._is_removable() and not item._is_removable()):
            out.append(new)
    return items if out is None else type(items)(out)
