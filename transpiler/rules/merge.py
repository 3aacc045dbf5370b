"""keras.layers.merge(): one function whose `mode` picks what Keras 3 splits into layers."""
from __future__ import annotations

import libcst as cst

from k1port.engine.names import calls_to
from k1port.rules import values as v
from k1port.rules.spec import Rule, Unsupported
from k1port.signature import Bound

K3 = "keras.layers."
# mode -> Keras 3 layer (element-wise modes need no arguments).
MODES = {"sum": "Add", "mul": "Multiply", "ave": "Average", "max": "Maximum", "concat": "Concatenate"}


def _runtime_call(function: str, bound: Bound, ctx) -> cst.Call:
    """Keras 1's own arguments, to the runtime's Keras 1 merge (same signature)."""
    from k1port.engine.apply import keras1_call  # the engine imports the rule tables

    return keras1_call(ctx.ref("k1port.runtime." + function), bound)


def _merge(bound: Bound, ctx) -> cst.BaseExpression:
    mode_node = bound.value("mode")
    mode = "sum" if mode_node is None else v.string(mode_node)
    extras = [e for e in ("output_shape", "output_mask", "arguments", "node_indices", "tensor_indices")
              if bound.value(e) is not None and not v.is_none(bound.value(e)) and not _empty(bound.value(e))]
    if mode not in MODES or extras or ctx.converter.uses_masks or bound.rest:
        # (With masks about, Keras 1's merged mask differs from Keras 3's: concat ANDed the
        # masks over the last axis, Keras 3 ORs them; the runtime's merge is Keras 1's.)
        # 'dot', 'cos', a function or a variable as mode, or arguments behind **kwargs: Keras
        # 1's semantics (batch_dot axes, output shapes, masks) live in the runtime's merge.
        return _runtime_call("merge", bound, ctx)
    kwargs = {}
    if mode == "concat":
        axis = bound.value("concat_axis")
        if axis is not None:
            kwargs["axis"] = axis
    if bound.value("name") is not None:
        kwargs["name"] = bound.value("name")
    layer = v.call(ctx, K3 + MODES[mode], **kwargs)
    inputs = bound.value("inputs")
    if inputs is None:
        raise Unsupported("merge() without inputs")
    return cst.Call(layer, [cst.Arg(inputs)])


def _empty(node) -> bool:
    return isinstance(node, (cst.Dict, cst.List, cst.Tuple)) and not node.elements


def _merge_layer(bound: Bound, ctx) -> cst.BaseExpression:
    layers = bound.value("layers")
    if layers is not None and not v.is_none(layers):
        # Models merged inside a Sequential: the runtime's functional MergeModels, which the
        # file's k1.Sequential (see the Sequential rule) takes as its first layer.
        return _runtime_call("MergeModels", bound, ctx)
    return _runtime_call("Merge", bound, ctx)


def merges_models(module: cst.Module, names: dict[int, set[str]] | None = None) -> bool:
    """Does the file call Merge with models (`Merge([left, right], mode=...)`)? Decided before
    converting, because the Sequential that takes the merge is usually made first. `names`
    (engine/names.py): only the module's statements that name Merge are searched."""
    statements = [s for s in module.body if names is None or not names[id(s)].isdisjoint(("Merge", ".Merge"))]
    for call in (c for s in statements for c in calls_to(s, "Merge")):
        for i, arg in enumerate(call.args):
            positional_first = i == 0 and arg.keyword is None and not arg.star
            if (positional_first or (arg.keyword is not None and arg.keyword.value == "layers")) \
                    and not v.is_none(arg.value):
                return True
    return False


RULES = [
    Rule("keras.layers.merge", None, custom=_merge, family="merge",
         note="mode -> Add / Multiply / Average / Maximum / Concatenate(axis=concat_axis); "
              "'dot', 'cos' and function modes -> `k1.merge`"),
    Rule("keras.layers.Merge", None, custom=_merge_layer, family="merge",
         note="`k1.Merge` on tensors; `k1.MergeModels` merging models (in a `k1.Sequential`)"),
]
