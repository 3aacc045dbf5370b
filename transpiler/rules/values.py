"""Value conversions: what a Keras 1 argument value is called in Keras 3.

Each converter takes the value's expression and the conversion context and returns the
Keras 3 expression. String literals convert by table; other expressions (variables,
calls) go through a `k1port.runtime` function that applies the same table at run time,
so `border_mode=mode` or `init=my_init` stay exact without guessing.
"""
from __future__ import annotations

import ast
import keyword
import re
from functools import lru_cache
from typing import Callable

import libcst as cst

from k1port.rules.spec import Unsupported

RT = "k1port.runtime."
EQ = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        return _string(node.value)
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


@lru_cache(maxsize=4096)
def _string(literal: str) -> str | None:
    """A string literal's value (asked for at every use of a value: literal_eval is slow)."""
    value = ast.literal_eval(literal)
    return value if isinstance(value, str) else None


def literal_string(value: str, like: cst.BaseExpression | None = None) -> cst.SimpleString:
    quote = "'"
    if isinstance(like, cst.SimpleString) and like.value.lstrip("rbuRBU")[:1] == '"':
        quote = '"'
    return cst.SimpleString(f"{quote}{value}{quote}")


def is_none(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def call(ctx, path: str, *args: cst.BaseExpression, **kwargs: cst.BaseExpression) -> cst.Call:
    eq = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    items = [cst.Arg(a) for a in args] + [cst.Arg(v, keyword=cst.Name(k), equal=eq) for k, v in kwargs.items()]
    items = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) if i < len(items) - 1 else a
             for i, a in enumerate(items)]
    return cst.Call(ctx.ref(path), items)


def expr(text: str) -> cst.BaseExpression:
    """`text` as an expression node. Names, numbers and plain strings are built directly (what
    LibCST's parser builds for them, without its ~0.5 ms of overhead a call)."""
    if _IDENTIFIER.fullmatch(text) and (not keyword.iskeyword(text) or text in ("None", "True", "False")):
        return cst.Name(text)
    if _INTEGER.fullmatch(text):
        return cst.Integer(text)
    if _FLOAT.fullmatch(text):
        return cst.Float(text)
    if _STRING.fullmatch(text):
        return cst.SimpleString(text)
    return cst.parse_expression(text)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"[1-9][0-9]*|0+")
_FLOAT = re.compile(r"([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+")
_STRING = re.compile(r"'[^'\\\r\n]*'|\"[^\"\\\r\n]*\"")


Spec = str | Callable[["object"], cst.BaseExpression]


def _is_runtime_ref(node) -> bool:
    """`k1.hard_sigmoid` and the like: already converted."""
    while isinstance(node, (cst.Attribute, cst.Call)):
        node = node.value if isinstance(node, cst.Attribute) else node.func
    return isinstance(node, cst.Name) and node.value == "k1"


def choice(table: dict[str, Spec], runtime: str | None = None, unsupported: dict[str, str] | None = None,
           what: str = "value"):
    """Convert string literals by `table` (a Keras 3 string, or a function of ctx building an
    expression); strings in `unsupported` are reported; anything else goes through the runtime
    function `runtime` (if given) or is kept as is."""
    unsupported = unsupported or {}

    def convert(node, ctx):
        value = string(node)
        if value is None:
            if runtime is None or is_none(node) or isinstance(node, (cst.Integer, cst.Float)) \
                    or _is_runtime_ref(node):
                return node
            return call(ctx, RT + runtime, node)
        if value in unsupported:
            raise Unsupported(f"{what} {value!r}: {unsupported[value]}")
        if value not in table:
            return node
        mapped = table[value]
        return literal_string(mapped, node) if isinstance(mapped, str) else mapped(ctx)

    return convert


border_mode = choice({"valid": "valid", "same": "same"}, what="border_mode",
                     unsupported={"full": "Keras 3 has no 'full' padding; use ZeroPadding "
                                          "of kernel_size - 1 on each side and 'valid'"})


def count(node, ctx):
    """A number of units: Keras 1 took any integer (`nb_classes = np.max(y) + 1`, a NumPy
    integer); Keras 3 refuses what is not a Python int, so computed values go through int()."""
    if isinstance(node, cst.Integer) or (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)
                                         and node.func.value == "int"):
        return node
    return cst.Call(cst.Name("int"), [cst.Arg(node)])


def dim_ordering(node, ctx):
    value = string(node)
    if value == "th":
        return literal_string("channels_first", node)
    if value == "tf":
        return literal_string("channels_last", node)
    if value == "default":
        return literal_string("channels_first", node) if ctx.dim_ordering == "th" else expr("None")
    if value in ("channels_first", "channels_last") or is_none(node):  # no Keras 1 values: our output
        return node
    return call(ctx, RT + "data_format", node)


def _keras(path, **kwargs):
    return lambda ctx: call(ctx, path, **{k: expr(v) for k, v in kwargs.items()})


# Keras 1 initializer names -> Keras 3 (where Keras 3's namesake differs, the exact spelling).
INITIALIZERS: dict[str, Spec] = {
    "zero": "zeros", "one": "ones",  # Keras 3's canonical spellings (it accepts both)
    "uniform": "uniform",  # U(-0.05, 0.05) in both
    "normal": "normal",  # N(0, 0.05) in both
    "glorot_uniform": "glorot_uniform", "he_uniform": "he_uniform",
    "lecun_uniform": "lecun_uniform", "identity": "identity",
    # Keras 1 drew these from an untruncated normal; Keras 3's namesakes are truncated.
    "glorot_normal": _keras("keras.initializers.VarianceScaling", scale="1.0", mode="'fan_avg'",
                            distribution="'untruncated_normal'"),
    "he_normal": _keras("keras.initializers.VarianceScaling", scale="2.0", mode="'fan_in'",
                        distribution="'untruncated_normal'"),
    # Keras 1's orthogonal scaled by 1.1; Keras 3's gain defaults to 1.
    "orthogonal": _keras("keras.initializers.Orthogonal", gain="1.1"),
}
initializer = choice(INITIALIZERS, runtime="initializer", what="initializer")

# What each Keras 1 initializer reads of its weight's shape (keras/initializations.py): a fan
# ('fan_in'; 'fan_avg' for fan_in + fan_out) or the whole matrix ('matrix': orthogonal rows,
# identity's diagonal). The others draw every entry alike, whatever the shape.
READS = {"glorot_uniform": "fan_avg", "glorot_normal": "fan_avg", "he_uniform": "fan_in", "he_normal": "fan_in",
         "lecun_uniform": "fan_in", "orthogonal": "matrix", "identity": "matrix"}
# One block per gate along the last (output) axis changes fan_out and the matrix, not fan_in.
PER_GATE = frozenset({"fan_avg", "matrix"})


def keras1_weight(gates=None, layout=None):
    """`init` for a weight Keras 1 drew otherwise than Keras 3 does: as `gates(ctx)` blocks
    side by side (LSTM, GRU, ConvLSTM2D), each a kernel in the Keras 1 layout `layout(ctx)`:
    (its name in k1port.runtime.LAYOUTS, what it changes of READS), None for Keras 3's.

    A literal is wrapped (k1.PerGate, k1.Keras1Layout) only where that changes what it draws;
    a value known at run time goes through k1.initializer(value, gates=, layout=)."""

    def convert(node, ctx):
        count = gates(ctx) if gates else 1
        name, changes = (layout(ctx) if layout else None) or (None, frozenset())
        value = initializer(node, ctx)
        if string(node) is None:
            if not (isinstance(value, cst.Call) and value is not node) or (count == 1 and name is None):
                return value  # None, or already converted
            extra = {"gates": cst.Integer(str(count))} if count > 1 else {}
            if name is not None:
                extra["layout"] = literal_string(name)
            return call(ctx, RT + "initializer", node, **extra)
        reads = READS.get(string(node))
        in_layout = name is not None and reads in changes
        if in_layout:
            value = call(ctx, RT + "Keras1Layout", value, literal_string(name, node))
        if count > 1 and (in_layout or reads in PER_GATE):
            value = call(ctx, RT + "PerGate", value, cst.Integer(str(count)))
        return value

    return convert

ACTIVATIONS: dict[str, Spec] = {
    name: name for name in ("softmax", "elu", "softplus", "softsign", "relu", "tanh", "sigmoid", "linear")
}
# Keras 1: clip(0.2 x + 0.5, 0, 1); Keras 3's hard_sigmoid is clip(x / 6 + 0.5, 0, 1).
ACTIVATIONS["hard_sigmoid"] = lambda ctx: ctx.ref(RT + "hard_sigmoid")
activation = choice(ACTIVATIONS, runtime="activation", what="activation")


def tuple_of(*names: str, none_for_missing: bool = False):
    """Fold arguments into a tuple: (nb_row, nb_col) -> kernel_size=(nb_row, nb_col)."""

    def build(values, ctx):
        items = []
        for n in names:
            v = values.get(n)
            if v is None:
                if not none_for_missing:
                    raise Unsupported(f"missing argument '{n}'")
                v = expr("None")
            items.append(v)
        return make_tuple(items)

    return build


def make_tuple(items) -> cst.Tuple:
    elements = [cst.Element(v, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                if i < len(items) - 1 else cst.Element(v) for i, v in enumerate(items)]
    if len(elements) == 1:
        elements = [cst.Element(items[0], comma=cst.Comma())]
    return cst.Tuple(elements)


def input_shape(*dims: str):
    """Keras 1's input_dim / input_length shorthands -> input_shape (missing dims are None)."""

    def build(values, ctx):
        if all(values.get(d) is None for d in dims):
            return None
        return make_tuple([values.get(d) if values.get(d) is not None else expr("None") for d in dims])

    return build


def batch_input_shape(node, ctx):
    """Keras 3 layers take no batch_input_shape: keep the per-sample shape."""
    if isinstance(node, (cst.Tuple, cst.List)) and node.elements:
        batch = node.elements[0].value
        if not is_none(batch):  # a fixed batch size (stateful RNNs need it): see Converter.fixed_batch
            ctx.converter.fixed_batch(ctx.node, node)
        return make_tuple([e.value for e in node.elements[1:]])
    return cst.Subscript(node, [cst.SubscriptElement(cst.Slice(lower=cst.Integer("1"), upper=None))])





def initial_weights(node, ctx):
    """`weights=None` is no initial weights; other values go to k1.initial_weights (wrap)."""
    return None if is_none(node) else node


def none_only(why: str):
    """Arguments Keras 3 lacks whose Keras 1 default None can simply be dropped."""

    def convert(node, ctx):
        if is_none(node):
            return None
        raise Unsupported(why)

    return convert


# Keras 1 regularizer and constraint identifiers: strings meant the class with Keras 1's
# defaults (Keras 3's 'l1l2' has zero factors; it has no 'maxnorm' string at all).
REGULARIZERS: dict[str, Spec] = {
    "l1": "l1", "l2": "l2",
    "l1l2": lambda ctx: call(ctx, "keras.regularizers.L1L2", l1=expr("0.01"), l2=expr("0.01")),
    "activity_l1": "l1", "activity_l2": "l2",
    "activity_l1l2": lambda ctx: call(ctx, "keras.regularizers.L1L2", l1=expr("0.01"), l2=expr("0.01")),
}
regularizer = choice(REGULARIZERS, what="regularizer")
CONSTRAINTS: dict[str, Spec] = {
    "maxnorm": lambda ctx: call(ctx, "keras.constraints.MaxNorm"),
    "nonneg": lambda ctx: call(ctx, "keras.constraints.NonNeg"),
    "unitnorm": lambda ctx: call(ctx, "keras.constraints.UnitNorm"),
}
constraint = choice(CONSTRAINTS, what="constraint")


def activity_regularizer(node, ctx):
    """Keras 1 summed activity penalties over the batch; Keras 3 divides them by the batch size.
    k1.batch_sum(r) multiplies back."""
    if is_none(node):
        return node
    node = regularizer(node, ctx)
    if isinstance(node, cst.Call) and _is_runtime_ref(node.func):
        return node
    return call(ctx, RT + "batch_sum", node)
