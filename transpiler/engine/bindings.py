"""Which local names refer to Keras 1 modules and objects, from the file's own imports.

A cheap pre-pass: it walks statements (not expressions) collecting `import keras...` and
`from keras... import ...`, wherever they are (module level, try/if blocks, functions).
Star imports are remembered and resolved lazily against Keras 1.2.2's export table; a
module-level `def`/`class` of the same name shadows a star import.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from k1port import keras1
from k1port.engine.modules import keras3_module


def dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` as a string, for Name/Attribute chains; None for anything else."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


@dataclass(eq=False)
class Binding:
    """One local name bound by a Keras 1 import."""

    local: str
    keras1: str  # canonical symbol, or a module name when `is_module`
    is_module: bool
    statement: cst.Import | cst.ImportFrom
    alias: cst.ImportAlias
    refs: int = 0  # references to it in the output (original ones minus replaced plus emitted)
    replaced: int = 0

    @property
    def from_import(self) -> bool:
        return isinstance(self.statement, cst.ImportFrom)


@dataclass
class Bindings:
    by_name: dict[str, list[Binding]] = field(default_factory=dict)
    star_modules: list[str] = field(default_factory=list)
    local_defs: set[str] = field(default_factory=set)  # module-level def/class names
    imported: set[str] = field(default_factory=set)  # every name any import binds
    statements: list[cst.Import | cst.ImportFrom] = field(default_factory=list)
    keras1_only_modules: bool = False  # imports a module Keras 3 lacks (keras.layers.core, ...)
    imports_runtime: bool = False  # imports k1port.runtime: k1port's own output
    # `import theano` / `from tensorflow import ...`: code k1port leaves alone (reported)
    backend_imports: list[tuple[cst.CSTNode, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.by_name or self.star_modules or self.backend_imports)

    def get(self, name: str) -> Binding | None:
        found = self.by_name.get(name)
        return found[-1] if found else None

    def all(self):
        for group in self.by_name.values():
            yield from group

    def resolve_name(self, name: str) -> tuple[str, bool, Binding | None] | None:
        """(Keras 1 name, is_module, binding) for a bare name, or None if it is not Keras 1."""
        binding = self.get(name)
        if binding is not None:
            return binding.keras1, binding.is_module, binding
        if name in self.local_defs:
            return None
        for module in reversed(self.star_modules):
            member = keras1.member(module, name)
            if member is not None:
                if member.startswith(keras1.MODULE):
                    return member[len(keras1.MODULE):], True, None
                return member, False, None
        return None


def _module_name(node: cst.BaseExpression | None) -> str | None:
    return dotted(node) if node is not None else None


def _is_keras(module: str | None) -> bool:
    return module is not None and (module == "keras" or module.startswith("keras."))


# The fields of compound statements that hold statements, in source order.
BLOCKS = ("body", "handlers", "orelse", "finalbody", "cases")


def statements(node: cst.CSTNode, depth: int = 0):
    """(statement, how many def/class enclose it) for every statement line and compound
    statement (and clause: else, except...) under a module, in source order. Expressions are
    not walked: a LibCST visitor would visit every node of the file."""
    for name in BLOCKS:
        value = getattr(node, name, None)
        for item in value if isinstance(value, (list, tuple)) else (value,) if isinstance(value, cst.CSTNode) else ():
            kind = type(item)
            if kind is cst.SimpleStatementLine:
                yield item, depth
            elif kind is not cst.SimpleStatementSuite:  # (`if x: import keras` is not read)
                yield item, depth
                yield from statements(item, depth + 1 if kind in _SCOPES else depth)


_SCOPES = (cst.FunctionDef, cst.ClassDef)


class _Scanner:
    def __init__(self) -> None:
        self.result = Bindings()

    def scan(self, module: cst.Module) -> Bindings:
        for node, depth in statements(module):
            if type(node) is cst.SimpleStatementLine:
                self._line(node, depth)
            elif type(node) in _SCOPES and depth == 0:
                self.result.local_defs.add(node.name.value)
        return self.result

    # Imports can hide in any block, but never inside an expression.
    def _line(self, node: cst.SimpleStatementLine, depth: int) -> None:
        for small in node.body:
            if isinstance(small, cst.Import):
                self._import(small)
            elif isinstance(small, cst.ImportFrom):
                self._import_from(small)
            elif depth == 0 and isinstance(small, (cst.Assign, cst.AnnAssign)):
                targets = small.targets if isinstance(small, cst.Assign) else [small]
                for t in targets:
                    if isinstance(t.target, cst.Name):
                        self.result.local_defs.add(t.target.value)

    def _add(self, binding: Binding) -> None:
        self.result.by_name.setdefault(binding.local, []).append(binding)

    def _keras1_module(self, module: str) -> None:
        if keras3_module(module) != module:
            self.result.keras1_only_modules = True

    def _backend(self, node, module: str | None) -> None:
        root = (module or "").split(".")[0]
        keras_only = (module or "").startswith("tensorflow.keras") or (
            isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
            and all(isinstance(a.name, cst.Name) and a.name.value == "keras" for a in node.names))
        if root in ("theano", "tensorflow") and not keras_only:  # tf.keras is a target, not backend code
            self.result.backend_imports.append((node, root))

    def _import(self, node: cst.Import) -> None:
        hit = False
        for alias in node.names:
            module = _module_name(alias.name)
            self._backend(node, module)
            self.result.imported.add(alias.asname.name.value if alias.asname is not None
                                     else (module or "").split(".")[0])
            if module == "k1port.runtime" or (module or "").startswith("k1port.runtime."):
                self.result.imports_runtime = True
            if not _is_keras(module) or not keras1.is_module(module):
                continue
            hit = True
            self._keras1_module(module)
            if alias.asname is not None:
                self._add(Binding(alias.asname.name.value, module, True, node, alias))
            else:  # `import keras.layers.core` binds `keras`
                self._add(Binding("keras", "keras", True, node, alias))
        if hit:
            self.result.statements.append(node)

    def _import_from(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:  # every imported name is taken (never shadow `random`)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.result.imported.add(alias.asname.name.value)
                elif isinstance(alias.name, cst.Name):
                    self.result.imported.add(alias.name.value)
        if node.relative:
            return
        module = _module_name(node.module)
        self._backend(node, module)
        if module == "k1port" or (module or "").startswith("k1port.runtime"):
            self.result.imports_runtime = True
        if not _is_keras(module) or not keras1.is_module(module):
            return
        self.result.statements.append(node)
        self._keras1_module(module)
        if isinstance(node.names, cst.ImportStar):
            self.result.star_modules.append(module)
            return
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else None
            member = keras1.member(module, name) if name else None
            if member is None:
                continue
            local = alias.asname.name.value if alias.asname is not None else name
            if member.startswith(keras1.MODULE):
                self._add(Binding(local, member[len(keras1.MODULE):], True, node, alias))
            else:
                self._add(Binding(local, member, False, node, alias))


def scan(module: cst.Module) -> Bindings:
    return _Scanner().scan(module)
