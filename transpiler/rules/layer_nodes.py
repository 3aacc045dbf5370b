"""The layer-node API (`layer.get_output_at(i)`, ...), which Keras 3 removed."""
from __future__ import annotations

import libcst as cst

from k1port.rules.spec import Rule

RT = "k1port.runtime."
NODE_METHODS = ("get_output_at", "get_input_at", "get_output_shape_at", "get_input_shape_at",
                "get_output_mask_at", "get_input_mask_at")


def _node_method(method: str):
    def convert(bound, ctx, receiver):
        return cst.Call(ctx.ref(RT + method), [
            cst.Arg(receiver, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            cst.Arg(bound.value("node_index"))])

    return convert


METHODS = [Rule(f"keras.layers.Layer.{m}", RT + m, custom=_node_method(m), family="layer-node")
           for m in NODE_METHODS]
