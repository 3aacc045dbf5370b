"""Names bound once, in the whole file, to a literal dict of keyword arguments.

`kw = dict(mode='concat', concat_axis=1)` then `merge([a, b], **kw)`: the call's Keras 1
arguments are known, so they convert like written ones (instead of staying unconverted
behind `**kw`). A name qualifies only if nothing else in the file binds or mutates it.
"""
from __future__ import annotations

import libcst as cst

from k1port.signature import literal_kwargs

_MUTATORS = {"update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__"}


class _Scan(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: dict[str, list] = {}
        self.tainted: set[str] = set()

    def _bound(self, node, value=None) -> None:
        if isinstance(node, cst.Name):
            self.values.setdefault(node.value, []).append(value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for el in node.elements:
                self._bound(el.value)
        elif isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name):
            self.tainted.add(node.value.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        literal = len(node.targets) == 1 and literal_kwargs(node.value) is not None
        for target in node.targets:
            self._bound(target.target, node.value if literal else None)

    def _target(self, node) -> None:  # x += ..., x: T = ..., for x in ..., del x
        self._bound(node.target)

    def _name(self, node) -> None:  # ... as x, def f(x)
        self._bound(node.name)

    visit_AugAssign = visit_AnnAssign = visit_For = visit_Del = _target
    visit_AsName = visit_Param = _name

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in _MUTATORS:
            self.tainted.add(func.value.value)


def literal_dicts(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """{name: its literal dict} for the names bound once to one and never changed."""
    scan = _Scan()
    module.visit(scan)
    return {name: values[0] for name, values in scan.values.items()
            if len(values) == 1 and values[0] is not None and name not in scan.tainted}
