"""Names bound once, in the whole file, to a literal dict of keyword arguments or to another
name (an alias).

`kw = dict(mode='concat', concat_axis=1)` then `merge([a, b], **kw)`: the call's Keras 1
arguments are known, so they convert like written ones (instead of staying unconverted
behind `**kw`). `RNN = recurrent.LSTM` then `RNN(128)`: the call is LSTM's. A name
qualifies only if nothing else in the file binds or mutates it.
"""
from __future__ import annotations

import libcst as cst

from k1port.engine.bindings import dotted, statements
from k1port.signature import literal_kwargs

_MUTATORS = {"update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__"}


class _Scan:
    """Statements only (expressions are not walked: this runs on every file)."""

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

    def scan(self, module: cst.Module) -> None:
        for node, _ in statements(module):
            visit = self._VISITS.get(type(node))
            if visit is not None:
                visit(self, node)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        for stmt in node.body:
            if isinstance(stmt, cst.Assign):
                known = len(stmt.targets) == 1 and (literal_kwargs(stmt.value) is not None or dotted(stmt.value))
                for target in stmt.targets:
                    self._bound(target.target, stmt.value if known else None)
            elif isinstance(stmt, (cst.AugAssign, cst.AnnAssign, cst.Del)):
                self._bound(stmt.target)
            elif isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
                func = stmt.value.func  # kw.update(...)
                if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) \
                        and func.attr.value in _MUTATORS:
                    self.tainted.add(func.value.value)

    def visit_For(self, node: cst.For) -> None:
        self._bound(node.target)

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                self._bound(item.asname.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            self._bound(param.name)
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                self._bound(star.name)

    _VISITS = {cst.SimpleStatementLine: visit_SimpleStatementLine, cst.For: visit_For, cst.With: visit_With,
               cst.FunctionDef: visit_FunctionDef}


def bound_once(module: cst.Module) -> tuple[dict, dict]:
    """({name: its literal dict}, {name: the Name/Attribute it aliases}) for the names bound
    once to one and never changed."""
    scan = _Scan()
    scan.scan(module)
    once = {name: values[0] for name, values in scan.values.items()
            if len(values) == 1 and values[0] is not None and name not in scan.tainted}
    dicts = {n: v for n, v in once.items() if literal_kwargs(v) is not None}
    return dicts, {n: v for n, v in once.items() if n not in dicts}
