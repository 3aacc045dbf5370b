"""Rewriting a file's imports to match the converted code.

During conversion, every name the output needs goes through `ImportPlan.ref`, which picks a
spelling in the file's own style (from-imports stay from-imports, `keras.layers.X` stays
qualified) and remembers what must be imported. Afterwards `ImportPlan.finalize` rewrites
the Keras 1 import statements in place: Keras 1 modules become their Keras 3 homes, names
the output no longer uses are dropped, new names join the statement their Keras 1
counterpart came from, and nothing is imported twice.
"""
from __future__ import annotations

from collections import defaultdict

import libcst as cst

from k1port.engine.bindings import BLOCKS, Binding, Bindings, dotted
from k1port.engine.modules import keras3_module
from k1port.engine.names import names_in
from k1port.targets.keras import RUNTIME, RUNTIME_ALIAS, Target


def _expr(path: str) -> cst.BaseExpression:
    node: cst.BaseExpression | None = None
    for part in path.split("."):
        node = cst.Name(part) if node is None else cst.Attribute(node, cst.Name(part))
    return node


class ImportPlan:
    def __init__(self, bindings: Bindings, target: Target, homes) -> None:
        self.bindings = bindings
        self.target = target
        self.homes = homes  # Keras 1 canonical name -> Keras 3 path it keeps its name at
        self.placed: dict[Binding, list[tuple[str, str]]] = defaultdict(list)
        self.extra: list[tuple[str, str]] = []
        self.local_for: dict[tuple[str, str], str] = {}
        self.runtime = False
        self.statements: list[cst.SimpleStatementLine] = []  # run right after the imports
        self.plain: list[tuple[str, str]] = []  # `import keras` (as local) lines to add
        self.taken = set(bindings.by_name) | bindings.local_defs | bindings.imported
        self._homes: dict[Binding, tuple[str, str] | None] = {}
        self._imports: dict[tuple[str, str], Binding] | None = None  # see _imported
        self._star_modules = {self.target.module(mapped) for m in bindings.star_modules
                              if (mapped := keras3_module(m))}

    # -- spelling references ------------------------------------------------------------
    def module_of(self, binding: Binding) -> str | None:
        """The Keras 3 module a module binding will import (target spelling)."""
        mapped = keras3_module(binding.keras1)
        return self.target.module(mapped) if mapped else None

    def statement_module(self, binding: Binding) -> str | None:
        """The Keras 3 module a from-import statement's Keras 1 module maps to."""
        if not binding.from_import:
            return None
        mapped = keras3_module(dotted(binding.statement.module))
        return self.target.module(mapped) if mapped else None

    def home(self, binding: Binding) -> tuple[str, str] | None:
        """(module, name) a kept symbol binding imports in Keras 3, if it keeps its name."""
        if binding not in self._homes:  # asked for every reference the output makes
            self._homes[binding] = self._home(binding)
        return self._homes[binding]

    def _home(self, binding: Binding) -> tuple[str, str] | None:
        path = self.homes(binding.keras1)
        if path is None or path.startswith(RUNTIME + "."):
            return None  # the runtime is referenced as k1.<name>, never imported by name
        module, name = path.rsplit(".", 1)
        imported = dotted(binding.alias.name) if binding.from_import else binding.keras1
        if name != imported.rsplit(".", 1)[-1]:
            return None  # `maxnorm` is `MaxNorm` in Keras 3: references are rewritten instead
        return self.target.module(module), name

    def renamed(self, binding: Binding) -> tuple[str, str] | None:
        """(module, name) of the Keras 3 object a Keras 1 name is simply renamed to."""
        path = self.homes(binding.keras1)
        if path is None or path.startswith(RUNTIME + "."):
            return None
        module, name = path.rsplit(".", 1)
        return self.target.module(module), name

    def ref(self, path: str, origin: Binding | None) -> cst.BaseExpression:
        if path.startswith(RUNTIME + "."):
            self.runtime = True
            return _expr(RUNTIME_ALIAS + path[len(RUNTIME):])
        module, name = path.rsplit(".", 1)
        tmodule = self.target.module(module)
        key = (tmodule, name)
        if key in self.local_for:
            return cst.Name(self.local_for[key])
        if name not in self.taken and tmodule in self._star_modules:  # a star import brings it
            return cst.Name(name)
        b = self._imported().get(key)
        if b is not None:  # the file already imports it (maybe under an alias)
            b.refs += 1
            return cst.Name(b.local)
        # Qualified style: through a module binding whose module contains the target.
        candidates = [origin] if origin is not None and origin.is_module else []
        candidates += [b for b in self.bindings.all() if b.is_module and b is not origin]
        if origin is None or origin.is_module:
            for b in candidates:
                bmod = self.module_of(b)
                if bmod and (tmodule == bmod or tmodule.startswith(bmod + ".")):
                    b.refs += 1
                    rest = tmodule[len(bmod):].lstrip(".")
                    return _expr(".".join(p for p in (b.local, rest, name) if p))
        if origin is not None and origin.is_module:
            return self._module_ref(tmodule, name, origin)
        # From-import style: next to the name it replaces, else with the same module's imports.
        if origin is None:
            origin = next((b for b in self.bindings.all()
                           if b.from_import and not b.is_module and self.statement_module(b) == tmodule), None)
        if name in self.taken:
            local = f"{name}_k3"  # never shadow a user's own name
        else:
            local = name
        self.taken.add(local)
        self.local_for[key] = local
        if origin is not None and not origin.is_module:
            self.placed[origin].append((tmodule, name, local))
        else:
            self.extra.append((tmodule, name, local))
        return cst.Name(local)

    def _imported(self) -> dict[tuple[str, str], Binding]:
        """(module, name) -> the first binding that imports that Keras 3 object."""
        if self._imports is None:
            self._imports = {}
            for b in self.bindings.all():
                if not b.is_module and b.local not in self.bindings.local_defs and self.home(b) is not None:
                    self._imports.setdefault(self.home(b), b)
        return self._imports

    def preamble(self, path: str, *args: str) -> None:
        """A call that the converted file makes right after its imports (once)."""
        call = cst.Call(self.ref(path, None), [cst.Arg(cst.parse_expression(a)) for a in args])
        line = cst.SimpleStatementLine([cst.Expr(call)])
        if not any(line.deep_equals(s) for s in self.statements):
            self.statements.append(line)

    def _module_ref(self, tmodule: str, name: str, origin: Binding) -> cst.BaseExpression:
        """Code that wrote `K.mean(x)` gets `ops.mean(x)`: module style stays module style (and
        `from keras.ops import sum` would shadow a builtin)."""
        key = (tmodule, "")
        local = self.local_for.get(key)
        if local is None and "." not in tmodule:  # keras.Variable: `import keras`
            free = tmodule not in self.taken or tmodule in self.bindings.by_name
            local = tmodule if free else f"keras_{tmodule}"
            self.local_for[key] = local
            self.plain.append((tmodule, local))
            self.taken.add(local)
        if local is None:
            parent, last = tmodule.rsplit(".", 1)
            local = last if last not in self.taken else f"keras_{last}"
            self.taken.add(local)
            self.local_for[key] = local
            if origin.from_import and self.statement_module(origin) == parent:
                self.placed[origin].append((parent, last, local))
            else:
                self.extra.append((parent, last, local))
        return _expr(f"{local}.{name}")

    # -- rewriting the import statements ---------------------------------------------------
    def finalize(self, module: cst.Module) -> cst.Module:
        return _Rewriter(self).rewrite(module)

    def new_statements(self, entries) -> list[cst.SimpleStatementLine]:
        return [_from_import(mod, names) for mod, names in _group(entries)]


def _group(entries):
    grouped: dict[str, list[tuple[str, str]]] = {}
    for mod, name, local in entries:
        names = grouped.setdefault(mod, [])
        if (name, local) not in names:
            names.append((name, local))
    return list(grouped.items())


def _alias(name: str, local: str) -> cst.ImportAlias:
    asname = None if local == name else cst.AsName(cst.Name(local))
    return cst.ImportAlias(_expr(name), asname=asname)


def _from_import(module: str, names, template: cst.ImportFrom | None = None) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([_from_import_small(module, names, template)])


def _from_import_small(module, names, template=None) -> cst.ImportFrom:
    aliases = []
    for i, item in enumerate(names):
        alias = item if isinstance(item, cst.ImportAlias) else _alias(*item)
        last = i == len(names) - 1
        if last:
            alias = alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        elif not isinstance(alias.comma, cst.Comma):
            alias = alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        aliases.append(alias)
    if template is not None:
        keep_parens = template.lpar is not None and len(aliases) > 1
        return template.with_changes(
            module=_expr(module), names=aliases,
            lpar=template.lpar if keep_parens else None, rpar=template.rpar if keep_parens else None)
    return cst.ImportFrom(module=_expr(module), names=aliases)


def _import_module(module: str, asname: str | None, target: Target) -> cst.BaseSmallStatement:
    """`import keras.layers as L`, or for tf.keras `from tensorflow.keras import layers as L`."""
    if target.name == "tf.keras":
        parent, last = module.rsplit(".", 1)
        alias = cst.ImportAlias(cst.Name(last), asname=cst.AsName(cst.Name(asname)) if asname and asname != last else None)
        return cst.ImportFrom(module=_expr(parent), names=[alias])
    alias = cst.ImportAlias(_expr(module), asname=cst.AsName(cst.Name(asname)) if asname else None)
    return cst.Import(names=[alias])


class _Rewriter:
    """Phase two: rewrite Keras 1 import statements; add new ones after the last of them.
    Import statements sit in statement blocks only: expressions are not walked (a LibCST
    visitor would visit, and rebuild, every node of the converted module)."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.statements = {id(s) for s in plan.bindings.statements}
        self.by_alias = {id(b.alias): b for b in plan.bindings.all()}
        self.seen: set[tuple[str, str, str]] = set()  # (module, name, local) already imported
        self.seen_imports: set[str] = set()

    def rewrite(self, module: cst.Module) -> cst.Module:
        body = self._statements(module.body)
        return self.leave_Module(module, module if body is module.body else module.with_changes(body=body))

    def _statements(self, items):
        """A block's statements (or a try's handlers, a match's cases), rewritten; the same
        sequence when nothing changed."""
        out, changed = [], False
        for item in items:
            if type(item) is cst.SimpleStatementLine:
                new = self.leave_SimpleStatementLine(item, item)
            else:
                new = self._blocks(item)
            changed = changed or new is not item
            if isinstance(new, cst.FlattenSentinel):
                out.extend(new.nodes)
            elif new is not cst.RemovalSentinel.REMOVE:
                out.append(new)
        return out if changed else items

    def _blocks(self, node):
        """A compound statement (or one of its clauses), its statement blocks rewritten."""
        changes = {}
        for name in BLOCKS:
            value = getattr(node, name, None)
            if isinstance(value, (list, tuple)):
                new = self._statements(value)
            elif isinstance(value, cst.CSTNode):
                new = self._blocks(value)
            else:
                continue
            if new is not value:
                changes[name] = new
        return node.with_changes(**changes) if changes else node

    def leave_SimpleStatementLine(self, original, updated):
        if not any(id(s) in self.statements for s in original.body):
            return updated
        small: list[cst.BaseSmallStatement] = []
        for stmt in original.body:
            if id(stmt) not in self.statements:
                small.append(stmt)
            elif isinstance(stmt, cst.ImportFrom):
                small.extend(self._from(stmt))
            else:
                small.extend(self._import(stmt))
        if not small:
            return cst.RemovalSentinel.REMOVE
        if len(small) == 1 or len(original.body) > 1:
            return updated.with_changes(body=[s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                                              if i == len(small) - 1 else s
                                              for i, s in enumerate(small)])
        # One import became several: one line each, the first keeping the comments.
        first = updated.with_changes(body=[small[0]])
        rest = [cst.SimpleStatementLine([s]) for s in small[1:]]
        return cst.FlattenSentinel([first, *rest])

    def _from(self, stmt: cst.ImportFrom) -> list[cst.BaseSmallStatement]:
        plan = self.plan
        k1module = dotted(stmt.module)
        if isinstance(stmt.names, cst.ImportStar):
            mapped = keras3_module(k1module)
            if mapped is None:
                return [stmt]
            return [stmt.with_changes(module=_expr(plan.target.module(mapped)))]
        groups: dict[str, list] = {}
        unchanged = True
        for alias in stmt.names:
            b = self.by_alias.get(id(alias))
            if b is None:  # not a Keras 1 object we know: keep it where it was
                groups.setdefault(plan.target.module(k1module), []).append(alias)
                continue
            if b.refs > 0 or b.replaced == 0:
                if b.is_module:
                    parent = plan.module_of(b)
                    where = (parent.rsplit(".", 1)[0], parent.rsplit(".", 1)[1]) if parent and "." in parent else None
                    if where is None:
                        groups.setdefault(k1module, []).append(alias)
                    else:
                        entry = (where[0], where[1], b.local)
                        if entry not in self.seen:
                            self.seen.add(entry)
                            groups.setdefault(where[0], []).append(_alias(where[1], b.local))
                        unchanged = unchanged and where == (k1module, dotted(alias.name))
                else:
                    home = plan.home(b)
                    renamed = plan.renamed(b) if home is None and b.refs == 0 else None
                    if renamed is not None:  # unused: import the Keras 3 name instead
                        mod, name = renamed
                        local = b.local if alias.asname is not None else name
                        if (mod, name, local) not in self.seen:  # activity_l2 and l2: both l2
                            self.seen.add((mod, name, local))
                            groups.setdefault(mod, []).append(_alias(name, local))
                        unchanged = False
                    elif home is None and b.refs == 0 and (plan.homes(b.keras1) or "").startswith(RUNTIME + "."):
                        unchanged = False  # unused, and its Keras 3 home is the runtime: nothing to import
                    elif home is None:
                        groups.setdefault(k1module, []).append(alias)
                    else:
                        entry = (home[0], home[1], b.local)
                        if entry not in self.seen:
                            self.seen.add(entry)
                            groups.setdefault(home[0], []).append(alias)
                        unchanged = unchanged and home[0] == k1module
            else:
                unchanged = False
            for mod, name, local in plan.placed.get(b, ()):
                unchanged = False
                if (mod, name, local) not in self.seen:
                    self.seen.add((mod, name, local))
                    groups.setdefault(mod, []).append(_alias(name, local))
        if unchanged and list(groups) == [k1module]:
            return [stmt]
        return [_from_import_small(mod, names, stmt) for mod, names in groups.items()]

    def _import(self, stmt: cst.Import) -> list[cst.BaseSmallStatement]:
        plan = self.plan
        out: list[cst.BaseSmallStatement] = []
        kept: list[cst.ImportAlias] = []
        for alias in stmt.names:
            b = self.by_alias.get(id(alias))
            if b is None:
                kept.append(alias)
                continue
            if b.refs == 0 and b.replaced > 0:
                continue
            module = plan.module_of(b)
            original = dotted(alias.name)
            if b.local == "keras" and alias.asname is None:
                module = plan.target.module(keras3_module(original) or "keras")
            if module is None:
                kept.append(alias)
            else:
                asname = alias.asname.name.value if alias.asname is not None else None
                key = f"{module} as {asname}"
                if key in self.seen_imports:
                    continue
                self.seen_imports.add(key)
                if module == original:
                    kept.append(alias)
                else:
                    out.append(_import_module(module, asname, plan.target))
        if kept:
            out.insert(0, stmt.with_changes(names=[
                a.with_changes(comma=cst.MaybeSentinel.DEFAULT) if i == len(kept) - 1 else a
                for i, a in enumerate(kept)]))
        return out

    def leave_Module(self, original, updated):
        extra = self.plan.new_statements(
            [e for e in self.plan.extra if e not in self.seen])
        if self.plan.runtime and not _imports_runtime(updated.body):  # (k1port's own output has it)
            extra.append(cst.SimpleStatementLine([cst.Import(
                names=[cst.ImportAlias(_expr(RUNTIME), asname=cst.AsName(cst.Name(RUNTIME_ALIAS)))])]))
        for module, local in self.plan.plain:
            if any(b.local == local and b.keras1 == module and b.refs > 0 for b in self.plan.bindings.all()):
                continue  # the file's own `import keras` stays and serves
            alias = cst.ImportAlias(_expr(module), asname=None if local == module else cst.AsName(cst.Name(local)))
            extra.insert(0, cst.SimpleStatementLine([cst.Import(names=[alias])]))
        extra += self.plan.statements
        if not extra:
            return updated
        body = list(updated.body)
        index = _insert_index(body, _bound_names(extra))
        return updated.with_changes(body=body[:index] + extra + body[index:])


def _imports_runtime(body) -> bool:
    """Does the module already say `import k1port.runtime as k1`?"""
    return any(isinstance(small, cst.Import) and any(
        dotted(a.name) == RUNTIME and a.asname is not None and dotted(a.asname.name) == RUNTIME_ALIAS
        for a in small.names) for stmt in body if _is_import_line(stmt) for small in stmt.body)


def _is_import_line(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)


def _bound_names(statements) -> set[str]:
    names = set()
    for stmt in statements:
        for small in stmt.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(small.names, cst.ImportStar):
                names.update(dotted(a.asname.name if a.asname else a.name).split(".")[0] for a in small.names)
    return names


def _uses(stmt, names: set[str]) -> bool:
    """Does a statement mention one of `names` (as a name, or an attribute's name)?"""
    found = names_in(stmt)
    return not found.isdisjoint(names) or not found.isdisjoint("." + n for n in names)


def _insert_index(body, needed: set[str] = frozenset()) -> int:
    """After the last top-level Keras import that comes before the first statement using the
    `needed` names (a script or notebook importing Keras again further down must still run
    in order); else after the docstring and __future__."""
    first_use = next((i for i, stmt in enumerate(body) if needed and not _is_import_line(stmt)
                      and _uses(stmt, needed)), len(body))
    last = None
    for i, stmt in enumerate(body[:first_use]):
        if _is_import_line(stmt) and any(
                (isinstance(s, cst.ImportFrom) and (dotted(s.module) or "").split(".")[0] in ("keras", "tensorflow", "k1port"))
                or (isinstance(s, cst.Import) and any((dotted(a.name) or "").split(".")[0] in ("keras", "tensorflow", "k1port") for a in s.names))
                for s in stmt.body):
            last = i
    if last is not None:
        return last + 1
    index = 0
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and (
                (i == 0 and isinstance(stmt.body[0], cst.Expr) and isinstance(stmt.body[0].value, cst.SimpleString))
                or any(isinstance(s, cst.ImportFrom) and dotted(s.module) == "__future__" for s in stmt.body)):
            index = i + 1
        elif _is_import_line(stmt) and index == i:
            index = i + 1
    return index
