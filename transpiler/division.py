"""Python 2's `/` on two ints was floor division; Python 3's is true division.

In a file brought from Python 2 (without `from __future__ import division`), a `/` or `/=`
whose operands are provably ints becomes `//`; one that may still be integer division is
reported (WARNING, also marked in the output) for a human to decide; one with a float operand
is left alone. "Provably int" is a small, conservative inference: int literals, `len()`,
`int()`, `ord()`, arithmetic of ints, `range`/`enumerate` loop counters, and names whose
every assignment in their scope is one of those (`nb_batches = len(X) / batch_size` with
`batch_size = 32`). Anything else (parameters, `x.shape[0]`, attributes, subscripts) is unknown.
"""
from __future__ import annotations

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from k1port.findings import Finding, Level

KIND = "py2-division"
MESSAGE = "in Python 2 this was integer division if both operands were ints (write // if they are)"
COMMENT = f"# k1port: warning: {MESSAGE}"
INT_CALLS = {"len", "int", "ord", "hash", "id"}
SAME_KIND_CALLS = {"abs", "max", "min"}  # int when every argument is int
INT_OPS = (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide, cst.Modulo, cst.Divide)
BIT_OPS = (cst.LeftShift, cst.RightShift, cst.BitAnd, cst.BitOr, cst.BitXor)
AUG_TO_BINARY = {cst.AddAssign: cst.Add(), cst.SubtractAssign: cst.Subtract(), cst.MultiplyAssign: cst.Multiply(),
                 cst.FloorDivideAssign: cst.FloorDivide(), cst.ModuloAssign: cst.Modulo(),
                 cst.DivideAssign: cst.Divide(), cst.PowerAssign: cst.Power()}
UNKNOWN = None
TOP = "top"  # not known yet, during the fixed point over names


def fix_division(code: str) -> tuple[str, list[Finding], bool, list[int]]:
    """(new code, findings at positions in the new code, whether some `/` became `//`, the
    lines of `code` a warning comment was added above, in order)."""
    if "/" not in code:
        return code, [], False, []
    module = cst.parse_module(code)
    if _future_division(module):
        return code, [], False, []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = _Scopes()
    wrapper.visit(scopes)
    kinds = _Kinds(scopes)
    floor, report = set(), {}
    for node, scope, statement, where in scopes.divisions:
        left, right = _operands(node)
        a, b = kinds.of(left, scope, where), kinds.of(right, scope, where)
        if a == b == "int":
            floor.add(id(node))
        elif "float" not in (a, b):
            report[id(node)] = (node, statement)
    if not floor and not report:
        return code, [], False, []
    rewrite = _Rewrite(floor, {id(s) for _, s in report.values()})
    new = wrapper.module.visit(rewrite)
    positions = wrapper.resolve(PositionProvider)
    marked = sorted({positions[s].start.line for _, s in report.values() if id(s) in rewrite.commented})
    return new.code, _findings(positions, marked, report.values()), bool(floor), marked


def _findings(positions, marked: list[int], reported) -> list[Finding]:
    """Findings at each reported `/`, moved down by the warning comments added above it."""
    out = []
    for node, _ in reported:
        start = positions[node].start
        shift = sum(1 for line in marked if line <= start.line)
        out.append(Finding(start.line + shift, start.column + 1, Level.WARNING, KIND, MESSAGE))
    return sorted(set(out), key=lambda f: (f.line, f.col))


def _future_division(module: cst.Module) -> bool:
    for stmt in module.body:
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if (isinstance(small, cst.ImportFrom) and isinstance(small.module, cst.Name)
                    and small.module.value == "__future__" and not isinstance(small.names, cst.ImportStar)
                    and any(isinstance(a.name, cst.Name) and a.name.value == "division" for a in small.names)):
                return True
    return False


def _operands(node):
    if isinstance(node, cst.AugAssign):
        return node.target, node.value
    return node.left, node.right


class _Scope:
    def __init__(self, parent: "_Scope | None", is_class: bool = False) -> None:
        self.parent, self.is_class = parent, is_class
        self.sources: dict[str, list] = {}  # name -> [(expression, scope) | UNKNOWN | "int"]
        self.history: dict[str, list] = {}  # name -> [(statement number, block, source)] in order
        self.globals: set[str] = set()

    def bind(self, name: str, source, where: tuple[int, int]) -> None:
        self.sources.setdefault(name, []).append(source)
        self.history.setdefault(name, []).append((*where, source))

    def last_before(self, name: str, where: tuple[int, int]):
        """The source of the binding that surely reaches statement `where` = (number, block):
        the last one before it, when it is a statement of the same block (no branch or loop
        between them); else None."""
        earlier = [h for h in self.history.get(name, ()) if h[0] < where[0]]
        if earlier and earlier[-1][1] == where[1]:
            return earlier[-1][2]
        return None

    def resolve(self, name: str) -> "_Scope | None":
        scope = self
        if name in self.globals:
            while scope.parent is not None:
                scope = scope.parent
            return scope if name in scope.sources else None
        while scope is not None:
            if name in scope.sources and (scope is self or not scope.is_class):
                return scope
            scope = scope.parent
        return None


class _Scopes(cst.CSTVisitor):
    """Who assigns what, scope by scope, and every `/` with the scope it is in."""

    def __init__(self) -> None:
        self.scope = self.module = _Scope(None)
        self.all = [self.module]
        self.divisions: list[tuple[cst.CSTNode, _Scope, cst.CSTNode, tuple[int, int]]] = []
        self.bound: set[str] = set()  # every name bound anywhere (a shadowed `len` is not len)
        self.statements: list[cst.CSTNode] = []
        self.blocks: list[int] = [0]  # the block (module, indented block) each statement is in
        self.numbered: list[tuple[int, int]] = []  # (statement number, its block), innermost last
        self.count = 0

    @property
    def where(self) -> tuple[int, int]:
        return self.numbered[-1] if self.numbered else (0, 0)

    def on_visit(self, node) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.count += 1
            self.statements.append(node)
            self.numbered.append((self.count, self.blocks[-1]))
        elif isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            self.blocks.append(id(node))
        return super().on_visit(node)

    def on_leave(self, original) -> None:
        super().on_leave(original)
        if isinstance(original, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.statements.pop()
            self.numbered.pop()
        elif isinstance(original, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            self.blocks.pop()

    def _bind(self, target, source) -> None:
        if isinstance(target, cst.Name):
            self.scope.bind(target.value, source, self.where)
            self.bound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, UNKNOWN)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, UNKNOWN)

    def _enter(self, is_class: bool = False) -> None:
        self.scope = _Scope(self.scope, is_class)
        self.all.append(self.scope)

    def _leave(self) -> None:
        self.scope = self.scope.parent

    def visit_FunctionDef(self, node) -> None:
        self._bind(node.name, UNKNOWN)
        self._enter()
        for param in _params(node.params):
            self._bind(param.name, UNKNOWN)

    def leave_FunctionDef(self, node) -> None:
        self._leave()

    def visit_Lambda(self, node) -> None:
        self._enter()
        for param in _params(node.params):
            self._bind(param.name, UNKNOWN)

    def leave_Lambda(self, node) -> None:
        self._leave()

    def visit_ClassDef(self, node) -> None:
        self._bind(node.name, UNKNOWN)
        self._enter(is_class=True)

    def leave_ClassDef(self, node) -> None:
        self._leave()

    def visit_Global(self, node) -> None:
        self.scope.globals.update(n.name.value for n in node.names)

    def visit_Nonlocal(self, node) -> None:  # rare in Python 2 code: give up on those names
        for n in node.names:
            self._bind(n.name, UNKNOWN)

    def visit_Assign(self, node) -> None:
        for target in node.targets:
            self._bind(target.target, (node.value, self.scope))

    def visit_AnnAssign(self, node) -> None:
        self._bind(node.target, (node.value, self.scope) if node.value else UNKNOWN)

    def visit_AugAssign(self, node) -> None:
        if isinstance(node.operator, cst.DivideAssign):
            self.divisions.append((node, self.scope, self.statements[-1], self.where))
        op = AUG_TO_BINARY.get(type(node.operator))
        value = cst.BinaryOperation(node.target, op, node.value) if op is not None else None
        self._bind(node.target, (value, self.scope) if value is not None else UNKNOWN)

    def visit_BinaryOperation(self, node) -> None:
        if isinstance(node.operator, cst.Divide):
            self.divisions.append((node, self.scope, self.statements[-1], self.where))

    def visit_For(self, node) -> None:
        self._bind_loop(node.target, node.iter)

    def visit_CompFor(self, node) -> None:
        self._bind_loop(node.target, node.iter)

    def _bind_loop(self, target, iterable) -> None:
        call = _call_name(iterable)
        if call == "range":
            self._bind(target, "int")
        elif call == "enumerate" and isinstance(target, (cst.Tuple, cst.List)) and target.elements:
            self._bind(target.elements[0].value, "int")
            for element in target.elements[1:]:
                self._bind(element.value, UNKNOWN)
        else:
            self._bind(target, UNKNOWN)

    def visit_ListComp(self, node) -> None:
        self._enter()

    def leave_ListComp(self, node) -> None:
        self._leave()

    visit_SetComp = visit_GeneratorExp = visit_DictComp = visit_ListComp
    leave_SetComp = leave_GeneratorExp = leave_DictComp = leave_ListComp

    def visit_AsName(self, node) -> None:  # import ... as x, with ... as x, except ... as x
        self._bind(node.name, UNKNOWN)

    def visit_ImportAlias(self, node) -> None:
        if node.asname is None:
            name = node.name
            while isinstance(name, cst.Attribute):
                name = name.value
            self._bind(name, UNKNOWN)

    def visit_NamedExpr(self, node) -> None:
        self._bind(node.target, (node.value, self.scope))


def _params(params: cst.Parameters):
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    kwarg = [params.star_kwarg] if params.star_kwarg is not None else []
    return [*params.posonly_params, *params.params, *star, *params.kwonly_params, *kwarg]


def _call_name(node) -> str | None:
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
        return node.func.value
    return None


class _Kinds:
    """'int', 'float' or None (unknown) for an expression; names by a fixed point over their
    assignments."""

    def __init__(self, scopes: _Scopes) -> None:
        self.bound = scopes.bound
        self.table: dict[tuple[int, str], str | None] = {}
        self.owners: dict[tuple[int, str], _Scope] = {}
        self._solve(scopes)

    def _solve(self, scopes: _Scopes) -> None:
        for scope in scopes.all:
            for name in scope.sources:
                self.table[(id(scope), name)] = TOP
                self.owners[(id(scope), name)] = scope
        # Names start unknown-yet (TOP) and settle on what their non-circular assignments say:
        # `i = 0` then `i = i + 1` is int; `Z /= 255` alone (Z from elsewhere) stays unknown.
        changed, rounds = True, 0
        while changed and rounds < 50:
            changed, rounds = False, rounds + 1
            for key, scope in self.owners.items():
                value = _join(self._source(s) for s in scope.sources[key[1]])
                if value != self.table[key]:
                    self.table[key], changed = value, True
        for key, value in self.table.items():
            if value == TOP:
                self.table[key] = UNKNOWN  # only ever assigned from itself

    def _source(self, source):
        if source is UNKNOWN or source == "int":
            return source
        expr, scope = source
        return self._kind(expr, scope)

    def of(self, expr, scope: _Scope, where: tuple[int, int]) -> str | None:
        """The kind of `expr` at statement `where`: a local name by the assignment that surely
        reaches it (`X = X.astype('float32')` then `X /= 255`), else by all its assignments."""
        kind = None
        if isinstance(expr, cst.Name) and scope.resolve(expr.value) is scope:
            source = scope.last_before(expr.value, where)
            kind = self._source(source) if source is not None else None
        if kind is None:
            kind = self._kind(expr, scope)
        return None if kind == TOP else kind

    def _kind(self, e, scope):
        if isinstance(e, cst.Integer):
            return "int"
        if isinstance(e, cst.Float):
            return "float"
        if isinstance(e, cst.Name):
            owner = scope.resolve(e.value)
            return self.table.get((id(owner), e.value)) if owner is not None else UNKNOWN
        if isinstance(e, cst.UnaryOperation):
            kind = self._kind(e.expression, scope)
            return kind if isinstance(e.operator, (cst.Minus, cst.Plus)) or kind in ("int", TOP) else UNKNOWN
        if isinstance(e, cst.BinaryOperation):
            return self._binary(e, scope)
        if isinstance(e, cst.IfExp):
            return _join([self._kind(e.body, scope), self._kind(e.orelse, scope)])
        if isinstance(e, cst.Call):
            return self._call(e, scope)
        return UNKNOWN

    def _binary(self, e, scope):
        a, b = self._kind(e.left, scope), self._kind(e.right, scope)
        if not isinstance(e.operator, INT_OPS + BIT_OPS):
            return a if isinstance(e.operator, cst.Power) and isinstance(e.right, cst.Integer) else UNKNOWN
        if UNKNOWN in (a, b):
            return UNKNOWN
        if TOP in (a, b):
            return TOP  # decided once the names are
        if "float" in (a, b):
            return "float" if isinstance(e.operator, INT_OPS) else UNKNOWN
        return "int"

    def _call(self, e, scope):
        name = _call_name(e)
        if name is not None and name not in self.bound:
            if name in INT_CALLS:
                return "int"
            if name == "float":
                return "float"
            if name in SAME_KIND_CALLS and e.args:
                return _join([self._kind(a.value, scope) for a in e.args])
        if isinstance(e.func, cst.Attribute):
            attr = e.func.attr.value
            if attr.startswith("float"):  # np.float32(x)
                return "float"
            if attr == "astype" and e.args and "float" in cst.Module([]).code_for_node(e.args[0].value):
                return "float"
        return UNKNOWN


def _join(kinds) -> str | None:
    kinds = [k for k in kinds if k != TOP]
    if not kinds:
        return TOP
    first = kinds[0]
    return first if all(k == first for k in kinds) else UNKNOWN


class _Rewrite(cst.CSTTransformer):
    """`/` -> `//` where both sides are ints; a `# k1port: warning:` above the statements that
    hold a `/` that may have been integer division."""

    def __init__(self, floor: set[int], marked: set[int]) -> None:
        self.floor, self.marked = floor, marked
        self.commented: set[int] = set()  # statements that got the comment (not those that had it)

    def on_leave(self, original, updated):
        if id(original) in self.floor:
            op = original.operator
            kind = cst.FloorDivideAssign if isinstance(original, cst.AugAssign) else cst.FloorDivide
            return updated.with_changes(operator=kind(op.whitespace_before, op.whitespace_after))
        if id(original) in self.marked:
            if not any(line.comment and line.comment.value == COMMENT for line in updated.leading_lines):
                self.commented.add(id(original))
                return updated.with_changes(
                    leading_lines=[*updated.leading_lines, cst.EmptyLine(comment=cst.Comment(COMMENT))])
        return updated
