"""The LibCST transformer that applies the rule tables to one module."""
from __future__ import annotations

import libcst as cst

from k1port import keras1
from k1port.engine.apply import build_args, code, convert_arguments, looks_like_keras3
from k1port.engine.bindings import Binding, Bindings
from k1port.engine.context import Ctx
from k1port.engine.imports import ImportPlan
from k1port.engine.names import NAMELESS, STATEMENTS, names_in, statement_names
from k1port.engine.traversal import transform
from k1port.findings import Level
from k1port.rules import METHODS, RULES, custom_layers, home, layer_nodes
from k1port.rules.spec import Unsupported
from k1port.signature import Signature, bind
from k1port.targets import keras as keras3
from k1port.targets.keras import Target

RUNTIME = "k1port.runtime."
_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
LAYER_ATTRIBUTES = ("input_shape", "output_shape")
# Attributes of a model whose Keras 1 meaning the runtime computes: `k1.metrics_names(model)`.
MODEL_ATTRIBUTES = ("metrics_names",)
SEQUENTIAL_TENSORS = ("input", "output")
# Direct use of a Keras 1 backend library: left as written, reported.
BACKEND_CODE = {
    "theano": "Theano code is left as written: Keras 3 runs on TensorFlow, JAX or torch; rewrite it "
              "with keras.ops (k1port converts Keras 1's own API only)",
    "tensorflow": "TensorFlow code is left as written: it works only on Keras 3's TensorFlow backend, "
                  "and TensorFlow 1 APIs (tf.placeholder, tf.Session, ...) are gone; prefer keras.ops",
}
# Methods of a Keras 1 layer that compute on tensors.
TENSOR_METHODS = {"call", "step", "compute_mask", "get_constants", "preprocess_input", "get_initial_states"}
_PLAIN_OPERATORS = {cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
                    cst.DivideAssign: cst.Divide, cst.FloorDivideAssign: cst.FloorDivide,
                    cst.ModuloAssign: cst.Modulo, cst.PowerAssign: cst.Power,
                    cst.MatrixMultiplyAssign: cst.MatrixMultiply}
_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float, cst.SimpleString)
_COMPOUND = frozenset({cst.If, cst.For, cst.While, cst.With, cst.Try, cst.FunctionDef, cst.ClassDef})
_SCOPES = frozenset({cst.FunctionDef, cst.Lambda})
_UNSET = object()
_ITEMS = frozenset({cst.Arg, cst.Element})
# Attributes the engine acts on whatever their receiver (with the names that resolve to Keras 1
# and METHODS' names: see Converter.quiet).
_ATTRIBUTES_ACTED_ON = (*LAYER_ATTRIBUTES, *MODEL_ATTRIBUTES, *SEQUENTIAL_TENSORS, "lr", "_keras_shape",
                        "trainable", "layers", "get_layer")
# Calls whose result is a Keras model (for `model.fit(...)` and friends).
_MODEL_MAKERS = {"keras.models.Model", "keras.models.Sequential", "keras.models.load_model",
                 "keras.models.model_from_json", "keras.models.model_from_yaml",
                 "keras.engine.topology.Container"}


class Converter(cst.CSTTransformer):
    def __init__(self, bindings: Bindings, target: Target, dim_ordering: str,
                 ordering_set_in_code: bool = False, keras1_backend: str | None = None) -> None:
        super().__init__()
        self.keras1_backend_option = keras1_backend  # which backend ran the Keras 1 code, if said
        self.ordering_set_in_code = ordering_set_in_code
        self.uses_masks = False  # mask_zero / Masking in the file: merges keep Keras 1's masks
        self.merges_models = False  # Merge([model_a, model_b]) in the file: k1.Sequential takes them
        self.literal_dicts: dict[str, cst.BaseExpression] = {}  # name -> its literal dict (see literals.py)
        self.aliases: dict[str, cst.BaseExpression] = {}  # name -> the name it aliases (RNN = LSTM)
        self._resolving: set[str] = set()
        self.bindings = bindings
        self.target = target
        self.dim_ordering_value = dim_ordering
        self.dim_ordering_used = False
        self.imports = ImportPlan(bindings, target, home)
        # (node, level, kind, message, index of the top-level statement it is in or None)
        self.raw_findings: list[tuple[cst.CSTNode, Level, str, str, int | None]] = []
        self._top_index: dict[int, int] = {}  # id(top-level statement) -> its index
        self._top: int | None = None  # the top-level statement being converted
        self._statements: list[list[str]] = []
        # Per statement: layer calls whose fixed batch size awaits a keras.Input(batch_shape=...)
        # and the statements to insert before it.
        self._batch_shapes: list[dict[int, tuple[cst.CSTNode, cst.BaseExpression]]] = []
        self._before: list[list[cst.BaseStatement]] = []
        self._shadow: list[set[str]] = []
        self._skip: set[int] = set()
        self._call_funcs: set[int] = set()
        self._type_uses: set[int] = set()  # isinstance(x, Dense), class Foo(Dense): not calls
        self._class_bases: set[int] = set()  # class Foo(LSTM): bases (Rule.subclass)
        self._declares_updates: list[bool] = []  # per def: a Keras 1 layer's `self.updates = ...`
        self._header: set[str] = set()  # the module header's comments
        self.names: dict[int, set[str]] = {}  # id(statement) -> its names (see quiet)
        self._acted_on: set[str] = set()
        self._left_alone: cst.CSTNode | None = None
        self._hooks: dict[tuple[str, type], object] = {}  # ("visit"|"leave", node type) -> method or None
        self._tensor_code: list[bool] = []  # per def: computes on tensors (K.* calls, layer call())
        self._scopes: list[tuple[str, bool | str]] = []  # ("class", is a Keras 1 layer) / ("def", name)
        self.models: set[str] = set()  # dotted names known to hold Keras models
        self.layers: dict[str, str | None] = {}  # ... and Keras 1 layers (not models): their class, if known
        self.sequentials: set[str] = set()  # ... and Sequential models
        self.uses_models = any(b.keras1 in _MODEL_MAKERS for b in bindings.all())
        self._compiled = False  # a .compile(...) call came earlier in the file
        # Is this Keras 1 code? Many names (Dense, Conv2D, LSTM) are in both APIs, so the
        # calls themselves decide: Keras-1-only names, modules and keywords are Keras 1
        # evidence; Keras-3-only keywords and k1port.runtime are Keras 3 evidence. A file
        # with only Keras 3 evidence is returned untouched (converting twice is a no-op).
        self.keras1_evidence = bindings.keras1_only_modules
        self._backend_imports = {id(node): root for node, root in bindings.backend_imports}
        if "theano" in self._backend_imports.values():
            self.keras1_evidence = True  # Keras 3 does not run on Theano
        self.keras3_evidence = bindings.imports_runtime

    # -- findings ---------------------------------------------------------------------------
    @property
    def keras1_backend(self) -> str:
        """'theano' or 'tensorflow': what ran the Keras 1 code (the option, else by dim ordering)."""
        if self.keras1_backend_option is not None:
            return self.keras1_backend_option
        return "theano" if self.dim_ordering == "th" else "tensorflow"

    @property
    def dim_ordering(self) -> str:
        self.dim_ordering_used = True
        return self.dim_ordering_value

    def report(self, node: cst.CSTNode, level: Level, kind: str, message: str) -> None:
        self.raw_findings.append((node, level, kind, message, self._top))
        if level.marks_output and self._statements:
            self._statements[-1].append(f"# k1port: {level.value}: {message}")

    def _push_statement(self) -> None:
        self._statements.append([])
        self._batch_shapes.append({})
        self._before.append([])

    def fixed_batch(self, layer_call: cst.CSTNode, batch_shape: cst.BaseExpression) -> None:
        """A layer had batch_input_shape=(n, ...): Keras 3 layers take no batch size, so
        `model.add(L)` / `Sequential([L, ...])` get a keras.Input(batch_shape=...) first."""
        if self._batch_shapes:
            self._batch_shapes[-1][id(layer_call)] = (layer_call, batch_shape)

    def _input_with_batch(self, layer_call: cst.CSTNode) -> cst.Call | None:
        found = self._batch_shapes[-1].pop(id(layer_call), None) if self._batch_shapes else None
        if found is None:
            return None
        return cst.Call(self.imports.ref("keras.layers.Input", None),
                        [cst.Arg(found[1], keyword=cst.Name("batch_shape"), equal=_EQ)])

    def _pop_statement(self, updated):
        self._before.pop()
        for node, _ in self._batch_shapes.pop().values():
            self.report(node, Level.WARNING, "batch-size-dropped",
                        "batch_input_shape: the fixed batch size is dropped (Keras 3 layers take no batch "
                        "size); for stateful RNNs start the model with keras.Input(batch_shape=...)")
        markers = self._statements.pop()
        if not markers:
            return updated
        # (A file's first statement: LibCST reads the comments above it as the module header.)
        existing = {line.comment.value for line in updated.leading_lines if line.comment} | self._header
        new = [cst.EmptyLine(comment=cst.Comment(m)) for m in dict.fromkeys(markers)
               if m not in existing]
        return updated.with_changes(leading_lines=[*updated.leading_lines, *new]) if new else updated

    def visit_Module(self, node: cst.Module) -> bool:
        self._header = {line.comment.value for line in node.header if line.comment}
        self._module_body = node.body
        self._top_index = {id(statement): i for i, statement in enumerate(node.body)}
        self.names = self.names or statement_names(node)
        everything = set().union(*(self.names[id(stmt)] for stmt in node.body))
        self._acted_on = {"." + a for a in (*METHODS, *_ATTRIBUTES_ACTED_ON)} \
            | {root for _, root in self.bindings.backend_imports} \
            | {n for n in everything if n[0] != "." and self.resolve(cst.Name(n)) is not None}
        return True

    # Visiting costs ~2 µs a node. A statement is left alone, unvisited, when it mentions none
    # of the names the engine acts on: no name that resolves to Keras 1 (imports, aliases,
    # star imports, K), no method the rules convert (fit, load_weights, ...), no attribute it
    # rewrites (output_shape, _keras_shape, trainable, ...), no backend import; inside a Keras 1
    # layer class everything is visited (the layer protocol rewrites `self.*` statements).
    # Likewise an argument, a list element or an attribute chain that is only literals and
    # such names. A rule that reacts to another name adds it to _ATTRIBUTES_ACTED_ON.
    skip_quiet = True

    def quiet(self, node: cst.CSTNode) -> bool:
        names = self.names.get(id(node))
        return self.skip_quiet and names is not None and names.isdisjoint(self._acted_on) \
            and ("class", True) not in self._scopes

    def visit_SimpleStatementLine(self, node) -> bool:
        self._push_statement()
        return True

    def leave_SimpleStatementLine(self, original, updated):
        for small in original.body:
            root = self._backend_imports.get(id(small))
            if root is not None:
                self.report(small, Level.WARNING, "backend-code", BACKEND_CODE[root])
        if self._in_keras1_layer_method():
            removed = self._layer_attribute_statement(original, updated)
            if removed is not None:
                self._pop_statement(updated)
                return removed
        before = self._before[-1]
        updated = self._pop_statement(updated)
        if before:  # inserted statements go first; the statement keeps its comments and markers
            return cst.FlattenSentinel([*before, updated])
        return updated

    def tensors_read_by(self, function: str) -> list[str]:
        """The module-level tensors (`z_mean = Dense(2)(h)`) that the module-level function
        `function` reads: a Keras 1 loss could close over them (the VAE's KL term)."""
        tensors, defs = set(), []
        for stmt in self._module_body:
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == function:
                defs.append(stmt)
            for small in getattr(stmt, "body", ()) if isinstance(stmt, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) \
                        and isinstance(small.value.func, cst.Call):  # a layer applied to a tensor
                    tensors.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
        read = set().union(*(names_in(d.body) for d in defs))
        return sorted(tensors & read)

    def _plain(self, node: cst.CSTNode) -> bool:
        """A literal, or a name or attribute chain with nothing the engine acts on."""
        while type(node) is cst.Attribute:
            if "." + node.attr.value in self._acted_on:
                return False
            node = node.value
        return type(node) in NAMELESS or (type(node) is cst.Name and node.value not in self._acted_on)

    # LibCST's dispatch, cheaper: hooks looked up once per node type; none for the nodes that
    # hold no name (their children, whitespace and the like, are not visited) nor per field
    # (the converter has no visit_<Node>_<field> methods).
    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind in NAMELESS:
            return False
        if kind in STATEMENTS:
            if id(node) in self._top_index:
                self._top = self._top_index[id(node)]
            if self.quiet(node):
                self._left_alone = node
                return False
        if self.skip_quiet and ((kind in _ITEMS and self._plain(node.value))
                                or (kind is cst.Attribute and self._plain(node))):
            return False  # `f(x, n=3)`, `[np.pi, 3]`, `np.random.rand`: nothing below concerns it
        if kind in _COMPOUND:
            self._push_statement()
        if kind in _SCOPES:
            self._shadow.append({p.name.value for p in _all_params(node.params)})
        visit = self._hooks.get(("visit", kind), _UNSET)
        if visit is _UNSET:
            visit = self._hooks["visit", kind] = getattr(self, f"visit_{kind.__name__}", None)
        return visit is None or visit(node) is not False

    def on_visit_attribute(self, node, attribute) -> None:
        pass

    def on_leave_attribute(self, original_node, attribute) -> None:
        pass

    def on_leave(self, original, updated):
        kind = type(original)
        if kind in NAMELESS:
            return updated
        if original is self._left_alone:
            self._left_alone = None
            result = updated
        else:
            result = self._leave(kind, original, updated)
        if kind in STATEMENTS and id(original) in self._top_index:
            self._top = None  # (after its hooks: what they report is in the statement)
        return result

    def _leave(self, kind, original, updated):
        leave = self._hooks.get(("leave", kind), _UNSET)
        if leave is _UNSET:
            leave = self._hooks["leave", kind] = getattr(self, f"leave_{kind.__name__}", None)
        result = updated if leave is None else leave(original, updated)
        if kind in _SCOPES:
            self._shadow.pop()
        if kind in _COMPOUND:
            if isinstance(result, cst.CSTNode):
                result = self._pop_statement(result)
            else:
                self._statements.pop()
        return result

    # -- which names are references ---------------------------------------------------------
    def visit_Import(self, node) -> bool:
        return False

    def visit_ImportFrom(self, node) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self._skip.add(id(node.attr))
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self._skip.add(id(node.keyword))
        return True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        self._skip.update(_stored_names(node.target))
        return True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        self._skip.update(_stored_names(node.target))
        return True

    def visit_For(self, node: cst.For) -> bool:
        self._skip.update(_stored_names(node.target))
        if isinstance(node.target, cst.Name) and isinstance(node.iter, cst.Attribute) \
                and node.iter.attr.value == "layers" and code(node.iter.value) in self.models:
            self.layers[node.target.value] = None  # for layer in model.layers
        return True

    def visit_Param(self, node: cst.Param) -> bool:
        self._skip.add(id(node.name))
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        self._call_funcs.add(id(node.func))
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "compile":
            self._compiled = True
        if isinstance(node.func, cst.Name) and node.func.value in ("isinstance", "issubclass"):
            self._type_uses.update(id(a.value) for a in node.args)
            for a in node.args:
                if isinstance(a.value, cst.Tuple):
                    self._type_uses.update(id(e.value) for e in a.value.elements)
        return True

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._type_uses.update(id(a.value) for a in node.bases)
        self._class_bases.update(id(a.value) for a in node.bases)
        layer = False
        for base in node.bases:
            resolved = self.resolve(base.value)
            if resolved is not None and not resolved[1] and resolved[0].startswith("keras.layers.") \
                    and keras1.kind(resolved[0]) == "class":
                layer = True
        self._scopes.append(("class", layer))
        if layer:
            self.keras1_evidence = True  # the Keras 1 layer protocol (see rules/custom_layers.py)
        return True

    def leave_ClassDef(self, original, updated):
        self._scopes.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._declares_updates.append(False)
        self._tensor_code.append(self._in_class_of_keras1_layer() and node.name.value in TENSOR_METHODS)
        self._scopes.append(("def", node.name.value))
        return True

    def leave_FunctionDef(self, original, updated):
        if self._tensor_code.pop():
            updated = self._immutable_updates(original, updated)
        if self._declares_updates.pop():  # the updates wait until the outputs are computed
            returns = _ReturnThrough(self.imports.ref(custom_layers.UPDATES_APPLIED, None))
            updated = updated.with_changes(body=transform(updated.body, returns))
        self._scopes.pop()
        if self._scopes and self._scopes[-1] == ("class", True) \
                and updated.name.value in custom_layers.RENAMED_METHODS:
            new = custom_layers.RENAMED_METHODS[updated.name.value]
            self.report(original, Level.INFO, "renamed-method",
                        f"{updated.name.value}() is {new}() in Keras 3")
            return updated.with_changes(name=cst.Name(new))
        return updated

    def _is_alias_value(self, node) -> bool:
        """`recurrent.LSTM` in `RNN = recurrent.LSTM`: calls through RNN are converted."""
        return any(node is value for value in self.aliases.values())

    def _in_class_of_keras1_layer(self) -> bool:
        return bool(self._scopes) and self._scopes[-1] == ("class", True)

    def _immutable_updates(self, original, updated):
        """`x /= y` -> `x = x / y` in tensor code: Keras 1 tensors were immutable, a torch
        tensor's in-place update corrupts the tensor it was given and breaks autograd."""
        rewriter = _AugmentedToPlain()
        updated = updated.with_changes(body=transform(updated.body, rewriter))
        if rewriter.count:
            self.report(original, Level.INFO, "augmented-assignment",
                        f"{original.name.value}(): {rewriter.count} augmented assignment(s) such as "
                        "`x /= y` written `x = x / y` (Keras 1 tensors were immutable; in-place "
                        "updates of torch tensors are not)")
        return updated

    def makes_variables(self) -> bool:
        """Where Keras 1 code makes state (K.zeros -> a variable): module and class level, a
        layer's build and __init__; not inside call(), a loss or any other function."""
        defs = [name for kind, name in self._scopes if kind == "def"]
        return not defs or defs[-1] in ("build", "__init__")

    def _in_keras1_layer_method(self) -> bool:
        """Directly in a method of a class derived from a Keras 1 layer."""
        return len(self._scopes) >= 2 and self._scopes[-1][0] == "def" and self._scopes[-2] == ("class", True)

    def _layer_attribute_statement(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        """`self.trainable_weights = [...]` and friends in a Keras 1 layer: see custom_layers."""
        if len(updated.body) != 1:
            return None
        found = _self_attribute_statement(updated.body[0])  # its values already converted
        if found is None:
            return None
        attr, values = found
        if attr in custom_layers.DROPPED_ATTRIBUTES:
            self.report(original, Level.INFO, "dropped-statement",
                        f"self.{attr} statement dropped: {custom_layers.DROPPED_ATTRIBUTES[attr]}")
            return cst.RemovalSentinel.REMOVE
        function = custom_layers.RUNTIME_ATTRIBUTES.get(attr)
        if function is None:
            return None
        if values is None or (isinstance(values, (cst.List, cst.Dict, cst.Tuple)) and not values.elements):
            return cst.RemovalSentinel.REMOVE  # `self.updates = []`: nothing declared
        self.keras1_evidence = True
        if attr == "updates":
            self._declares_updates[-1] = True
        return updated.with_changes(body=[cst.Expr(_self_call(self.imports.ref(function, None), values))])

    def leave_IndentedBlock(self, original, updated):
        """A block whose statements were all dropped keeps a `pass`."""
        if not updated.body:
            return updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated

    def visit_Name(self, node: cst.Name) -> bool:
        if id(node) not in self._skip and not self._shadowed(node.value):
            b = self.bindings.get(node.value)
            if b is not None:
                b.refs += 1
        return False

    def _shadowed(self, name: str) -> bool:
        return any(name in scope for scope in self._shadow)

    def resolve(self, node: cst.BaseExpression):
        """(Keras 1 name, is_module, root binding) for a Name/Attribute chain, else None."""
        if isinstance(node, cst.Name):
            if self._shadowed(node.value):
                return None
            alias = self.aliases.get(node.value)
            if alias is not None and self.bindings.get(node.value) is None and node.value not in self._resolving:
                self._resolving.add(node.value)  # A = B; B = A must end
                try:
                    return self.resolve(alias)  # RNN = recurrent.LSTM
                finally:
                    self._resolving.discard(node.value)
            return self.bindings.resolve_name(node.value)
        if isinstance(node, cst.Attribute):
            base = self.resolve(node.value)
            if base is None or not base[1]:
                return None
            member = keras1.member(base[0], node.attr.value)
            if member is None:
                return None
            if member.startswith(keras1.MODULE):
                return member[len(keras1.MODULE):], True, base[2]
            return member, False, base[2]
        return None

    def _replaced(self, node: cst.BaseExpression) -> None:
        while isinstance(node, cst.Attribute):
            node = node.value
        if isinstance(node, cst.Name):
            b = self.bindings.get(node.value)
            if b is not None:
                b.refs -= 1
                b.replaced += 1

    # -- references that are not calls ------------------------------------------------------
    def leave_Name(self, original, updated):
        return self._reference(original, updated)

    def leave_Attribute(self, original, updated):
        return self._reference(original, updated)

    def _reference(self, original, updated):
        if id(original) in self._skip or id(original) in self._call_funcs:
            return updated
        if isinstance(original, cst.Attribute) and (
                original.attr.value in LAYER_ATTRIBUTES
                or (original.attr.value in MODEL_ATTRIBUTES and code(original.value) in self.models)):
            # Keras 3 layers have no input_shape/output_shape: Keras 1's meaning, from the runtime,
            # whatever the receiver (`layer_dict[name].output_shape`): the runtime reads any
            # other object's own attribute.
            return cst.Call(self.imports.ref(RUNTIME + original.attr.value, None),
                            [cst.Arg(updated.value)])
        if isinstance(original, cst.Attribute) and original.attr.value == "lr" \
                and isinstance(original.value, cst.Attribute) and original.value.attr.value == "optimizer":
            # model.optimizer.lr: Keras 3 optimizers call it learning_rate.
            self.keras1_evidence = True
            return updated.with_changes(attr=cst.Name("learning_rate"))
        if isinstance(original, cst.Attribute) and original.attr.value == "_keras_shape":
            # Keras 1 kept a symbolic tensor's shape there (batch axis None): Keras 3's .shape.
            self.keras1_evidence = True
            return updated.with_changes(attr=cst.Name("shape"))
        if isinstance(original, cst.Attribute) and original.attr.value in SEQUENTIAL_TENSORS \
                and code(original.value) in self.sequentials:
            # A Keras 3 Sequential has no .input/.output (it is never called itself); its
            # graph's are .inputs[0]/.outputs[0].
            return cst.Subscript(updated.with_changes(attr=cst.Name(original.attr.value + "s")),
                                 [cst.SubscriptElement(cst.Index(cst.Integer("0")))])
        if isinstance(original, cst.Name) and original.value in self.aliases:
            return updated  # the alias's own value is converted where it is assigned
        resolved = self.resolve(original)
        if resolved is None or resolved[1]:
            return updated
        name, _, binding = resolved
        rule = RULES.get(name)
        if rule is not None and rule.subclass is not None and id(original) in self._class_bases:
            self.keras1_evidence = True  # a subclass of Keras 1's own implementation
            self._replaced(original)
            return self.imports.ref(rule.subclass, binding)
        if rule is None or rule.target is None or rule.custom is not None:
            self.keras1_evidence = True
            self._not_converted(original, name, rule)
            return updated
        if rule.target.rsplit(".", 1)[1] != _written_name(original, binding):
            self.keras1_evidence = True
        if id(original) not in self._type_uses and (rule.args or rule.implied or rule.folds) \
                and keras1.kind(name) == "class" and not self._is_alias_value(original):
            # Named as the output spells it, so converting the output again says the same.
            self.report(original, Level.WARNING, "used-as-value",
                        f"{rule.target.rsplit('.', 1)[1]} is used as a value: calls made through it "
                        "are not converted (Keras 1 keywords and defaults)")
        if isinstance(original, cst.Name) and binding is not None and self.imports.home(binding):
            return updated  # `from keras.layers import Dense`: the import is rewritten instead
        self._replaced(original)
        return self.imports.ref(rule.target, binding)

    def _sequential_batch(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """Sequential([LSTM(..., batch_input_shape=(n, ...)), ...]): keras.Input first."""
        layers = original.args[0].value
        if not layers.elements:
            return updated
        first = self._input_with_batch(layers.elements[0].value)
        if first is None:
            return updated
        new_list = updated.args[0].value
        element = cst.Element(first, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return updated.with_changes(args=[updated.args[0].with_changes(
            value=new_list.with_changes(elements=[element, *new_list.elements]))] + list(updated.args[1:]))

    def _not_converted(self, node, name: str, rule) -> None:
        why = f" ({rule.note})" if rule is not None and rule.note else ""
        self.report(node, Level.ERROR, "not-converted", f"{name} is not converted by k1port{why}")

    # -- calls -------------------------------------------------------------------------------
    def leave_Call(self, original: cst.Call, updated: cst.Call):
        if isinstance(original.func, cst.Attribute) and original.func.attr.value == "add" \
                and len(original.args) == 1 and self._batch_shapes and self._before:
            first = self._input_with_batch(original.args[0].value)  # model.add(LSTM(batch_input_shape=))
            if first is not None:
                self._before[-1].append(cst.SimpleStatementLine([cst.Expr(
                    updated.with_changes(args=[cst.Arg(first)]))]))
        if isinstance(original.func, cst.Attribute) and self._in_keras1_layer_method() \
                and original.func.attr.value in custom_layers.IGNORED_METHODS:
            self.report(original, Level.WARNING, "layer-protocol",
                        custom_layers.IGNORED_METHODS[original.func.attr.value])
            return updated
        resolved = self.resolve(original.func)
        if resolved is not None and not resolved[1]:
            return self._convert(original, updated, resolved[0], resolved[2])
        if isinstance(original.func, cst.Attribute):
            return self._convert_method(original, updated)
        return updated

    def _convert(self, original, updated, name: str, binding: Binding | None):
        if name == "keras.models.Sequential" and original.args and isinstance(original.args[0].value, cst.List):
            updated = self._sequential_batch(original, updated)
        rule = RULES.get(name)
        if rule is None or (rule.target is None and rule.custom is None):
            self.keras1_evidence = True
            self._not_converted(original, name, rule)
            return updated
        k1 = keras1.signature(name)
        k3 = keras3.signature(rule.target) if rule.target else None
        if k1 is None:
            return updated
        func = original.func
        if isinstance(func, cst.Name) and func.value in self.aliases:
            func = self.aliases[func.value]  # RNN = recurrent.LSTM: written as LSTM
        written = _written_name(func, binding)
        same_name = rule.target is not None and rule.target.rsplit(".", 1)[1] == written
        if same_name and looks_like_keras3(list(updated.args), k1, k3):
            self.keras3_evidence = True
            return updated
        if not same_name or _keras1_only_keyword(updated.args, k1, k3):
            self.keras1_evidence = True
        bound = bind(updated.args, k1, self.literal_dicts)
        ctx = Ctx(self, original, binding, bound)
        if bound.errors:
            self.report(original, Level.ERROR, "bad-call",
                        f"{rule.name}(): {'; '.join(bound.errors)} (Keras 1.2.2 signature); not converted")
            return updated
        if bound.rest:
            self.report(original, Level.WARNING, "dynamic-arguments",
                        f"{rule.name}(): arguments passed through *args/**kwargs are not converted")
        try:
            if rule.custom is not None:
                result = rule.custom(bound, ctx)
            else:
                out = convert_arguments(rule, bound, k1, k3, ctx)
                target = rule.target
                if rule.channels_first and any(  # also when only known at run time
                        kw == "data_format" and code(v) not in ("'channels_last'", "None") for kw, v, *_ in out):
                    target, k3 = rule.channels_first, keras3.signature(rule.target)
                variant = rule.variant({kw for kw, *_ in out}, ctx) if rule.variant is not None else None
                if variant is not None:
                    target, k3 = variant, keras3.signature(rule.target)
                if rule.theano_same and self.keras1_backend == "theano" and _theano_same_differs(rule, out):
                    # Theano's border_mode='same' padded and cropped differently from TensorFlow's.
                    target, k3 = rule.theano_same, keras3.signature(rule.target)
                    out.append(("keras1_backend", cst.SimpleString("'theano'"), None, False))
                # A call through an alias (RNN = recurrent.LSTM) keeps it, unless a runtime class
                # replaces the target.
                alias = isinstance(original.func, cst.Name) and original.func.value in self.aliases
                func = updated.func if alias and target == rule.target else self.imports.ref(target, binding)
                result = updated.with_changes(func=func, args=build_args(out, k3 or _renamed(rule, k1), bound.rest))
                for function, value in ctx.wraps:
                    # Theano stored convolution kernels flipped.
                    theano = self.keras1_backend == "theano" and rule.keras1 in layer_nodes.THEANO_FLIPPED
                    result = _wrapped(self.imports.ref(function, binding), result, value, theano)
        except Unsupported as exc:
            self.report(original, Level.ERROR, "unsupported", f"{rule.name}(): {exc}; not converted")
            return updated
        self._replaced(original.func)
        if rule.family == "backend" and self._tensor_code:
            self._tensor_code[-1] = True
        return result

    def _convert_method(self, original: cst.Call, updated: cst.Call):
        """`model.fit(...)` and friends: converted when the receiver is known to be a Keras
        model, when the call uses a Keras-1-only keyword, or when the method name exists only
        in Keras 1 (`get_output_at`)."""
        method = original.func.attr.value
        rule = METHODS.get(method)
        if rule is None or _is_runtime(original.func.value):
            return updated
        receiver = code(original.func.value)
        k1 = keras1.signature(rule.keras1)
        if rule.target is None:  # a Keras 1 method Keras 3 does not have
            if receiver in self.models or self._makes_model(original.func.value):
                self.keras1_evidence = True
                self.report(original, Level.ERROR, "not-converted",
                            f".{method}() is not converted by k1port ({rule.note})")
            return updated
        k3 = keras3.signature(rule.target) if rule.target and "." in rule.target else None
        keywords = {a.keyword.value for a in updated.args if a.keyword is not None}
        if k3 is not None and any(k3.accepts(k) and not k1.accepts(k) for k in keywords):
            self.keras3_evidence = True
            return updated  # already Keras 3
        keras1_only = any(k1.accepts(k) and (k3 is None or not k3.accepts(k)) for k in keywords)
        if keras1_only or rule.family == "layer-node":
            self.keras1_evidence = True
        known = receiver in self.models or self._makes_model(original.func.value) \
            or (receiver == "self" and rule.family == "custom layers" and self._in_keras1_layer_method()) \
            or (rule.keras1.startswith("keras.layers.Layer.") and self._holds_layer(original.func.value))
        distinctive = rule.family == "layer-node"  # names only Keras 1 layers had
        likely = rule.family == "weights" and self.uses_models  # load_weights in a Keras file
        if not (known or keras1_only or distinctive or likely):
            if self.uses_models and rule.note:
                self.report(original, Level.INFO, "unknown-receiver", f"{receiver}.{method}(): {rule.note}")
            return updated
        bound = bind(updated.args, k1, self.literal_dicts)
        ctx = Ctx(self, original, None, bound)
        if bound.errors:
            if known or keras1_only:  # else: probably not a Keras object at all
                self.report(original, Level.ERROR, "bad-call",
                            f".{method}(): {'; '.join(bound.errors)} (Keras 1.2.2 signature); not converted")
            return updated
        try:
            if rule.custom is not None:
                return rule.custom(bound, ctx, updated.func.value)
            out = convert_arguments(rule, bound, k1, k3, ctx)
        except Unsupported as exc:
            self.report(original, Level.ERROR, "unsupported", f".{method}(): {exc}; not converted")
            return updated
        func = updated.func.with_changes(attr=cst.Name(rule.target.rsplit(".", 1)[1]))
        return updated.with_changes(func=func, args=build_args(out, k3, bound.rest))

    def synthesize(self, name: str, node: cst.CSTNode, origin: Binding | None) -> cst.Call:
        rule = RULES[name]
        k1, k3 = keras1.signature(name), keras3.signature(rule.target)
        ctx = Ctx(self, node, origin)
        out = convert_arguments(rule, bind([], k1), k1, k3, ctx)
        if not out and not rule.target.startswith(RUNTIME):
            return None  # Keras 3's defaults are Keras 1's
        return cst.Call(self.imports.ref(rule.target, origin), build_args(out, k3, []))

    def _holds_layer(self, node: cst.BaseExpression) -> bool:
        """A Keras 1 layer or model: a name holding one, `model.get_layer(...)`, `model.layers[i]`."""
        return code(node) in self.layers or code(node) in self.models or self._layer_of_model(node)

    def _layer_of_model(self, node: cst.BaseExpression) -> bool:
        """`model.get_layer(...)` (only models have it: in a file using Keras models, any
        receiver's), `model.layers[i]` of a known model."""
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "get_layer":
            return self.uses_models or code(node.func.value) in self.models
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Attribute) and node.value.attr.value == "layers":
            return code(node.value.value) in self.models
        return False

    def _makes_model(self, node: cst.BaseExpression) -> bool:
        """`Model(...).predict(x)`: the receiver is itself a model constructor call."""
        if not isinstance(node, cst.Call):
            return False
        resolved = self.resolve(node.func)
        return resolved is not None and resolved[0] in _MODEL_MAKERS

    # -- what variables hold ----------------------------------------------------------------
    def leave_Assign(self, original: cst.Assign, updated):
        if self._compiled and any(isinstance(t.target, cst.Attribute) and t.target.attr.value == "trainable"
                                  for t in original.targets):
            self.report(original, Level.WARNING, "trainable-after-compile",
                        "Keras 1 fixed what a model trains when it was compiled; Keras 3 reads "
                        "`trainable` when training runs, so a model compiled earlier (a GAN's "
                        "discriminator) stops training its frozen layers: set trainable back "
                        "before training it, or compile it again")
        value = original.value
        if isinstance(value, cst.Call):
            resolved = self.resolve(value.func)
            if resolved is not None and resolved[0] in _MODEL_MAKERS:
                for t in original.targets:
                    self.models.add(code(t.target))
                    if resolved[0] == "keras.models.Sequential":
                        self.sequentials.add(code(t.target))
            elif resolved is not None and resolved[0].startswith("keras.layers.") \
                    and keras1.kind(resolved[0]) == "class":
                for t in original.targets:
                    self.layers[code(t.target)] = resolved[0]
        if self._layer_of_model(value):  # layer = model.get_layer('conv1')
            for t in original.targets:
                self.layers[code(t.target)] = None
        return updated


def _self_call(function: cst.BaseExpression, value: cst.BaseExpression) -> cst.Call:
    """`function(self, value)`."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.Call(function, [cst.Arg(cst.Name("self"), comma=comma), cst.Arg(value)])


class _ReturnThrough(cst.CSTTransformer):
    """`return value` -> `return function(self, value)`, outside nested functions."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def visit_FunctionDef(self, node):
        return False

    def visit_Lambda(self, node):
        return False

    def leave_Return(self, original, updated):
        value = updated.value if updated.value is not None else cst.Name("None")
        return updated.with_changes(value=_self_call(self.function, value))


class _AugmentedToPlain(cst.CSTTransformer):
    """`name op= value` -> `name = name op (value)`, outside nested functions and classes."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def visit_FunctionDef(self, node):
        return False

    def visit_ClassDef(self, node):
        return False

    def visit_Lambda(self, node):
        return False

    def leave_AugAssign(self, original, updated):
        operator = _PLAIN_OPERATORS.get(type(updated.operator))
        if operator is None or not isinstance(updated.target, cst.Name):
            return updated
        self.count += 1
        value = updated.value
        if not isinstance(value, _ATOMS) and not value.lpar:
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        space = cst.SimpleWhitespace(" ")
        return cst.Assign([cst.AssignTarget(updated.target)], cst.BinaryOperation(
            updated.target, operator(whitespace_before=space, whitespace_after=space), value))


def _self_attribute_statement(stmt) -> tuple[str, cst.BaseExpression | None] | None:
    """(attribute, the values it declares) for `self.X = v`, `self.X += v`, `self.X.append(v)`,
    `self.X.extend(v)`, `self.X[k] = v` ({k: v}); None for any other statement."""
    def self_attribute(node):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            return node.attr.value
        return None

    if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and not isinstance(stmt.value, cst.Dict):
        target = stmt.targets[0].target
        if self_attribute(target):
            return self_attribute(target), stmt.value
        if isinstance(target, cst.Subscript) and self_attribute(target.value) and len(target.slice) == 1 \
                and isinstance(target.slice[0].slice, cst.Index):
            return self_attribute(target.value), _pairs([(target.slice[0].slice.value, stmt.value)])
    if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and self_attribute(stmt.targets[0].target) \
            and isinstance(stmt.value, cst.Dict):
        return self_attribute(stmt.targets[0].target), _pairs(
            [(e.key, e.value) for e in stmt.value.elements if isinstance(e, cst.DictElement)])
    if isinstance(stmt, cst.AugAssign) and isinstance(stmt.operator, cst.AddAssign) and self_attribute(stmt.target):
        return self_attribute(stmt.target), stmt.value
    if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call) and isinstance(stmt.value.func, cst.Attribute) \
            and self_attribute(stmt.value.func.value) and stmt.value.func.attr.value in ("append", "extend") \
            and len(stmt.value.args) == 1:
        value = stmt.value.args[0].value
        return self_attribute(stmt.value.func.value), (cst.List([cst.Element(value)])
                                                      if stmt.value.func.attr.value == "append" else value)
    return None


def _pairs(items) -> cst.List:
    """[(key, value), ...]: Keras 1 keyed dicts by variable, which Keras 3 variables cannot be."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.List([cst.Element(cst.Tuple([cst.Element(k, comma=comma), cst.Element(v)]),
                                 comma=comma if i < len(items) - 1 else cst.MaybeSentinel.DEFAULT)
                     for i, (k, v) in enumerate(items)])


def _wrapped(function: cst.BaseExpression, call: cst.Call, value: cst.BaseExpression,
             theano: bool) -> cst.Call:
    """`function(call, value)`, with `backend='theano'` where the Keras 1 arrays were Theano's."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [cst.Arg(call, comma=comma), cst.Arg(value)]
    if theano:
        args[-1] = args[-1].with_changes(comma=comma)
        args.append(cst.Arg(cst.SimpleString("'theano'"), keyword=cst.Name("backend"), equal=_EQ))
    return cst.Call(function, args)


def _stored_names(target: cst.BaseExpression):
    """ids of the Names an assignment target binds (`Dense = None` is not a reference), and of
    the attributes it sets (`self.output_shape = s` stays an attribute)."""
    if isinstance(target, cst.Name) or (isinstance(target, cst.Attribute) and target.attr.value in LAYER_ATTRIBUTES):
        yield id(target)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for el in target.elements:
            yield from _stored_names(el.value)
    elif isinstance(target, cst.StarredElement):
        yield from _stored_names(target.value)


def _renamed(rule, k1: Signature) -> Signature:
    """A runtime target mirrors its Keras 1 signature, under the rule's new argument names."""
    names = tuple(rule.args[p].to if p in rule.args and rule.args[p].to else p for p in k1.params)
    return Signature(names, {})


def _ints(node) -> list[int] | None:
    """1, (1, 2): the literal ints of a size/stride argument, else None."""
    if isinstance(node, cst.Integer):
        return [int(node.value)]
    if isinstance(node, (cst.Tuple, cst.List)) and all(isinstance(e.value, cst.Integer) for e in node.elements):
        return [int(e.value.value) for e in node.elements]
    return None


def _theano_same_differs(rule, out) -> bool:
    """Would Theano's border_mode='same' compute something else than Keras 3's here?
    Convolutions pad k//2 first on Theano: the same as Keras 3 only for odd kernels at stride 1.
    Pooling pads p-1 (even p) or p-2 (odd p) first: the same only for p in (1, 3) at stride 1
    (strides default to the pool size)."""
    args = {kw: v for kw, v, *_ in out}
    padding = args.get("padding")
    if padding is None or code(padding) == "'valid'":
        return False
    pooling = "Pooling" in rule.name
    size = _ints(args.get("kernel_size", args.get("pool_size", cst.Integer("2"))))
    strides = args.get("strides")
    strides = (size if pooling else [1]) if strides is None or code(strides) == "None" else _ints(strides)
    dilation = _ints(args.get("dilation_rate", cst.Integer("1")))
    if size is None or strides is None or dilation is None:
        return True  # not known statically
    if any(s != 1 for s in strides):
        return True
    if pooling:
        return any(p not in (1, 3) for p in size)
    return any(((k - 1) * d + 1) % 2 == 0 for k, d in zip(size, dilation * len(size)))


def _is_runtime(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "k1"


def _keras1_only_keyword(args, k1, k3) -> bool:
    return k3 is not None and any(a.keyword is not None and k1.accepts(a.keyword.value)
                                  and not k3.accepts(a.keyword.value) for a in args)


def _written_name(func: cst.BaseExpression, binding: Binding | None) -> str:
    """The Keras 1 export name a call used (`Conv2D` for the alias of Convolution2D)."""
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if binding is not None and binding.from_import:
        return binding.alias.name.value if isinstance(binding.alias.name, cst.Name) else ""
    return func.value if isinstance(func, cst.Name) else ""


def _all_params(params: cst.Parameters):
    yield from params.posonly_params
    yield from params.params
    yield from params.kwonly_params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    if params.star_kwarg is not None:
        yield params.star_kwarg
