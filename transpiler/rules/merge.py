"""keras.layers.merge(): one function whose `mode` picks what Keras 3 splits into layers."""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.spec import Rule, Unsupported
from k1port.signature import Bound

K3 = "keras.layers."
# mode -> Keras 3 layer (element-wise modes need no arguments).
MODES = {"sum": "Add", "mul": "Multiply", "ave": "Average", "max": "Maximum", "concat": "Concatenate"}


def _merge(bound: Bound, ctx) -> cst.BaseExpression:
    mode_node = bound.value("mode")
    mode = "sum" if mode_node is None else v.string(mode_node)
    if mode is None:
        raise Unsupported("merge(mode=...) is not a string literal (a function or variable mode "
                          "needs the k1port runtime)")
    if mode not in MODES:
        raise Unsupported(f"merge mode {mode!r} is not converted yet")
    for extra in ("output_shape", "output_mask", "arguments", "node_indices", "tensor_indices"):
        value = bound.value(extra)
        if value is not None and not v.is_none(value) and not _empty(value):
            raise Unsupported(f"merge({extra}=...) is not converted yet")
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


RULES = [Rule("keras.layers.merge", None, custom=_merge, family="merge",
              note="mode -> Add / Multiply / Average / Maximum / Concatenate(axis=concat_axis)")]
