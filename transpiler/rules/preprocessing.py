"""keras.preprocessing: image, sequence and text."""
from __future__ import annotations

import libcst as cst

from k1port.rules.spec import Rule, rename


def _grayscale(node, ctx):
    """load_img(grayscale=True) is color_mode='grayscale'."""
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return cst.SimpleString("'grayscale'" if node.value == "True" else "'rgb'")
    return cst.parse_expression(f"'grayscale' if {cst.Module([]).code_for_node(node)} else 'rgb'")


def _image_rules():
    from k1port.rules.common import DIM_ORDERING

    return [Rule(f"keras.preprocessing.image.{n}", f"keras.utils.{n}", {"dim_ordering": DIM_ORDERING},
                 family="utils") for n in ("img_to_array", "array_to_img")]


RULES = [
    Rule("keras.preprocessing.sequence.pad_sequences", "keras.preprocessing.sequence.pad_sequences",
         family="utils"),
    Rule("keras.preprocessing.image.load_img", "keras.utils.load_img",
         {"grayscale": rename("color_mode", _grayscale)}, family="utils"),
    *_image_rules(),
]
