"""Applying one `Rule` to one call: bind, fold, rename, convert values, state defaults."""
from __future__ import annotations

import ast
import re
from contextlib import nullcontext
from functools import lru_cache

import libcst as cst
from libcst._nodes.internal import CodegenState

from k1port.engine.context import Ctx
from k1port.findings import Level
from k1port.rules.spec import Rule, Unsupported
from k1port.rules.values import expr
from k1port.signature import Bound, Signature

_EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                      whitespace_after=cst.SimpleWhitespace(""))


_TOKENS = frozenset({cst.Name, cst.Integer, cst.Float, cst.SimpleString})
NO_POSITION = nullcontext()
_EMPTY = cst.Module([])


class Codegen(CodegenState):
    """LibCST's codegen state without its position bookkeeping: LibCST enters a generator-based
    context manager around most nodes for PositionProvider (~15% of printing); a shared no-op
    here. The tokens are the same."""

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        return NO_POSITION


def code_of(node: cst.CSTNode, module: cst.Module = _EMPTY) -> str:
    """`module.code_for_node(node)` (`module.code` for the module itself), with `Codegen`."""
    state = Codegen(default_indent=module.default_indent, default_newline=module.default_newline)
    node._codegen(state)
    return "".join(state.tokens)


def print_module(module: cst.Module, pieces: dict[int, str] | None = None) -> tuple[str, str]:
    """(the module's code, the part of it that was printed): top-level statements found in
    `pieces` (id -> their source text, engine/sources.py) are copied instead of printed."""
    if not pieces:
        code = code_of(module, module)
        return code, code
    state = Codegen(default_indent=module.default_indent, default_newline=module.default_newline)
    tokens, copied = state.tokens, set()
    for line in module.header:
        line._codegen(state)
    for statement in module.body:
        piece = pieces.get(id(statement))
        if piece is None:
            statement._codegen(state)
        else:
            copied.add(len(tokens))
            tokens.append(piece)
    for line in module.footer:
        line._codegen(state)
    if module.has_trailing_newline:
        if not tokens:
            tokens.append(module.default_newline)
    elif tokens:  # (LibCST drops the last token, always a newline when printed)
        if len(tokens) - 1 in copied:
            tokens[-1] = _LAST_NEWLINE.sub("", tokens[-1], count=1)
        else:
            tokens.pop()
    return "".join(tokens), "".join(t for i, t in enumerate(tokens) if i not in copied)


_LAST_NEWLINE = re.compile(r"(\r\n?|\n)\Z")


def code(node: cst.CSTNode) -> str:
    if type(node) in _TOKENS and not node.lpar:
        return node.value  # what codegen would write, without building a module for it
    return code_of(node)


@lru_cache(maxsize=None)
def parsed(source: str) -> cst.BaseExpression:
    """A signature's default or a rule's implied value as an expression. Parsed once: LibCST
    nodes are immutable, so one node can sit in many outputs (findings never point at them:
    they point at the original call)."""
    return expr(source)


def looks_like_keras3(bound_args: list[cst.Arg], k1: Signature, k3: Signature | None) -> bool:
    """Is a call to a name both APIs have (Dense, Conv2D, LSTM...) already Keras 3?

    Keras-3-only keywords say Keras 3 (also beside a Keras-1-only one: k1port's own output
    keeps an unconvertible Keras 1 keyword, `border_mode='full'`, among converted ones), then
    Keras-1-only keywords say Keras 1; otherwise a call that Keras 1 would reject for a
    missing argument (Conv2D(64, (3, 3))) is Keras 3.
    """
    if k3 is None:
        return False
    keywords = [a.keyword.value for a in bound_args if a.keyword is not None]
    if any(k3.accepts(k) and not k1.accepts(k) for k in keywords):
        return True
    if any(k1.accepts(k) and not k3.accepts(k) for k in keywords):
        return False
    positional = sum(1 for a in bound_args if a.keyword is None and not a.star)
    if any(a.star for a in bound_args):
        return False
    given = set(k1.params[:positional]) | set(keywords)
    return any(p not in given for p in k1.required)


class _Kept:
    """An unconvertible value: kept under its Keras 1 keyword, which Keras 3 rejects loudly
    (never renamed onto a Keras 3 keyword that might accept it with another meaning)."""

    def __init__(self, node):
        self.node = node


def _convert_value(spec_value, node, ctx: Ctx, what: str):
    if spec_value is None:
        return node
    try:
        return spec_value(node, ctx)
    except Unsupported as exc:
        ctx.report(Level.ERROR, "unsupported-value", f"{what}: {exc}; kept as written")
        return _Kept(node)


def convert_arguments(rule: Rule, bound: Bound, k1: Signature, k3: Signature | None,
                      ctx: Ctx) -> list[tuple[str, cst.BaseExpression, cst.Arg | None, bool]]:
    """The converted arguments as (keyword, value, original Arg or None, was positional)."""
    out: list[tuple[str, cst.BaseExpression, cst.Arg | None, bool]] = []
    fold_of = {src: fold for fold in rule.folds for src in fold.sources}
    done_folds = set()
    for name, arg in bound.args.items():
        fold = fold_of.get(name)
        if fold is not None:
            if fold.to in done_folds:
                continue
            done_folds.add(fold.to)
            value = fold.build({s: bound.value(s) for s in fold.sources}, ctx)
            if value is not None and fold.value is not None:
                value = _convert_value(fold.value, value, ctx, f"{rule.name}({fold.to}=...)")
                value = value.node if isinstance(value, _Kept) else value
            if value is not None:
                first = bound.args[next(s for s in fold.sources if s in bound.args)]
                positional = all(s in bound.positional for s in fold.sources if s in bound)
                out.append((fold.to, value, first, positional))
            continue
        spec = rule.args.get(name)
        if spec is None:
            if not k1.accepts(name) and not k1.varkw:
                ctx.report(Level.ERROR, "unknown-argument",
                           f"{rule.name}() has no argument '{name}' in Keras 1.2.2")
            out.append((name, arg.value, arg, name in bound.positional))
            continue
        if spec.to is None:
            level = spec.level
            ctx.report(level, "dropped-argument", f"{rule.name}({name}=...) dropped: {spec.why}")
            continue
        value = _convert_value(spec.value, arg.value, ctx, f"{rule.name}({name}=...)")
        if value is None:  # the converter found it has no effect in Keras 3
            continue
        if spec.wrap is not None and not isinstance(value, _Kept):
            ctx.wraps.append((spec.wrap, value))
            continue
        if isinstance(value, _Kept):
            out.append((name, value.node, arg, name in bound.positional))
            continue
        out.append((spec.to, value, arg, name in bound.positional))
        for also in spec.also:
            out.append((also, value, None, False))
    for fold in rule.folds:  # folds nobody wrote: state their Keras 1 default if it differs
        if fold.to in done_folds or k3 is None:
            continue
        defaults = {s: parsed(k1.defaults[s]) for s in fold.sources
                    if k1.defaults.get(s) not in (None, "None") and not k1.defaults[s].startswith("<")}
        value = fold.build(defaults, ctx) if defaults else None
        if value is not None and code(value) != k3.defaults.get(fold.to):
            out.append((fold.to, value, None, False))
    out = _one_per_keyword(out, rule, ctx)
    _state_defaults(rule, bound, k1, k3, ctx, out)
    present = {kw for kw, *_ in out}
    for kw, source in rule.implied.items():
        if kw not in present:
            out.append((kw, parsed(source), None, False))
    for kw, make in rule.state.items():
        value = make(ctx) if kw not in present else None
        if value is not None:
            out.append((kw, value, None, False))
    return out


@lru_cache(maxsize=None)
def _default_code(source: str) -> str:
    return code(parsed(source))


@lru_cache(maxsize=None)
def _same_value(a: str, b: str) -> bool:
    """Two default spellings with one meaning: '0' and '0.0', "'x'" and '"x"'."""
    if a == b:
        return True
    try:
        va, vb = ast.literal_eval(a), ast.literal_eval(b)
    except (ValueError, SyntaxError):
        return False
    if isinstance(va, bool) or isinstance(vb, bool):
        return va is vb
    return va == vb and type(va) in (int, float, str) and type(vb) in (int, float, str)


def _one_per_keyword(out, rule, ctx):
    """Two Keras 1 arguments can land on one Keras 3 keyword (input_shape from
    batch_input_shape, input_shape and input_dim): keep the one Keras 1 obeyed."""
    def priority(entry):
        kw, _, original, _ = entry
        source = original.keyword.value if original is not None and original.keyword is not None else None
        return 0 if source == "batch_input_shape" else 1 if source == kw else 2

    seen: dict[str, tuple] = {}
    for entry in out:
        kw = entry[0]
        if kw not in seen or priority(entry) < priority(seen[kw]):
            seen[kw] = entry
    if len(seen) == len(out):
        return out
    kept = [e for e in out if seen[e[0]] is e]
    ctx.report(Level.INFO, "redundant-argument",
               f"{rule.name}(): arguments that all mean {', '.join(sorted({e[0] for e in out if seen[e[0]] is not e}))} "
               "were given twice; kept the one Keras 1 used")
    return kept


def _state_defaults(rule, bound, k1, k3, ctx, out) -> None:
    """Keras 1 defaults that Keras 3 changed are written out explicitly."""
    if k3 is None:
        return
    present = {kw for kw, *_ in out}
    for name, to, convert, text in _defaults_to_state(rule, k1, k3):
        if name in bound.args or to in present:
            continue
        if convert is None:
            value = parsed(text)
        else:
            value = _convert_value(convert, parsed(text), ctx, f"{rule.name}({name}) default")
            if value is None or isinstance(value, _Kept):
                continue
            if to in k3.defaults and _same_value(_default_code(text) if value is parsed(text) else code(value),
                                                 k3.defaults[to]):
                continue
            if isinstance(value, cst.Name) and value.value == "None" and to not in k3.defaults:
                continue
        out.append((to, value, None, False))
        present.add(to)


_DEFAULTS: dict[tuple[int, int, int], tuple] = {}


def _defaults_to_state(rule, k1: Signature, k3: Signature) -> tuple[tuple[str, str, object, str], ...]:
    """(Keras 1 name, Keras 3 keyword, value converter or None, default's source) for each
    Keras 1 default a call may have to state: not None ("not given" in Keras 1 signatures),
    not folded, not dropped, taken by Keras 3, and, without a converter, not Keras 3's own
    default. Worked out once per rule and signatures (it was a tenth of converting a call)."""
    key = (id(rule), id(k1), id(k3))
    cached = _DEFAULTS.get(key)
    if cached is not None and cached[0] is rule and cached[1] is k1 and cached[2] is k3:
        return cached[3]
    folded = {s for f in rule.folds for s in f.sources}
    found = []
    for name in (*k1.params, *k1.kwargs):
        text = k1.defaults.get(name)
        if name in folded or name in rule.same_defaults or text is None or text == "None" or text.startswith("<"):
            continue
        spec = rule.args.get(name)
        if spec is not None and spec.to is None:
            continue
        to = spec.to if spec is not None else name
        convert = spec.value if spec is not None else None
        if not k3.accepts(to):
            continue
        if convert is None and to in k3.defaults and _same_value(_default_code(text), k3.defaults[to]):
            continue  # (an unconverted default is printed once, not at every call)
        found.append((name, to, convert, text))
    _DEFAULTS[key] = (rule, k1, k3, tuple(found))
    return tuple(found)


def build_args(out, order: Signature | None, rest: list[cst.Arg]) -> list[cst.Arg]:
    """Arguments for the converted call: positional while the target's order allows it
    (`order` is the Keras 3 signature, or Keras 1's for runtime functions that mirror it)."""
    args: list[cst.Arg] = []
    positional = True
    for i, (kw, value, original, was_positional) in enumerate(out):
        if positional and was_positional and order is not None and i < len(order.params) \
                and order.params[i] == kw:
            args.append(original if value is original.value else original.with_changes(value=value))
            continue
        positional = False
        if original is not None and original.keyword is not None and original.keyword.value == kw \
                and value is original.value:
            args.append(original)  # untouched: keep its formatting byte for byte
        elif original is not None and original.keyword is not None:
            args.append(original.with_changes(value=value, keyword=original.keyword.with_changes(value=kw)))
        elif original is not None:
            args.append(original.with_changes(value=value, keyword=cst.Name(kw), equal=_EQ))
        else:
            args.append(cst.Arg(value=value, keyword=cst.Name(kw), equal=_EQ))
    args.extend(rest)
    return fix_commas(args)


def keras1_call(func: cst.BaseExpression, bound: Bound, keep=None) -> cst.Call:
    """`func` called with the call's Keras 1 arguments as written (positional ones stay
    positional, the rest become keywords, then `*args`/`**kwargs` not bound): for runtime
    functions with Keras 1's signature. `keep`: the names of the arguments to pass (default:
    all, and the unbound ones)."""
    eq = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    args = [a if name in bound.positional else a.with_changes(keyword=cst.Name(name), equal=eq)
            for name, a in bound.args.items() if keep is None or name in keep]
    return cst.Call(func, fix_commas(args + (list(bound.rest) if keep is None else [])))


def fix_commas(args: list[cst.Arg]) -> list[cst.Arg]:
    fixed = []
    for i, arg in enumerate(args):
        last = i == len(args) - 1
        if not last and not isinstance(arg.comma, cst.Comma):
            arg = arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        fixed.append(arg)
    if fixed and len(fixed) > 0:
        last = fixed[-1]
        if isinstance(last.comma, cst.Comma) and not _comma_breaks_line(last.comma):
            fixed[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return fixed


def _comma_breaks_line(comma: cst.Comma) -> bool:
    return isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
