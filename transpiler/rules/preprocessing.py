"""keras.preprocessing: image, sequence and text.

Keras 3 kept `pad_sequences` (same results as Keras 1's) and the image file helpers
(`load_img`, `img_to_array`, `array_to_img`, in keras.utils). The rest has no public Keras 3
home and becomes k1port.runtime's Keras 1 versions, under Keras 1's module names and
signatures: `k1.text.Tokenizer(nb_words=...)`, `k1.sequence.skipgrams`,
`k1.image.ImageDataGenerator`, `k1.image.random_rotation` (docs/preprocessing.md).
"""
from __future__ import annotations

import libcst as cst

from k1port.rules import values as v
from k1port.rules.spec import Rule, rename

_FAMILY = "preprocessing"
_RT = "k1port.runtime."
_K1 = "keras.preprocessing."


def _grayscale(node, ctx):
    """load_img(grayscale=True) is color_mode='grayscale'."""
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return cst.SimpleString("'grayscale'" if node.value == "True" else "'rgb'")
    return cst.parse_expression(f"'grayscale' if {cst.Module([]).code_for_node(node)} else 'rgb'")


def _ordering(node, ctx):
    """dim_ordering='default' meant keras.json's: the ordering decided for the file."""
    return v.literal_string(ctx.dim_ordering, node) if v.string(node) == "default" else node


def _runtime(module: str, name: str, ordering: bool = False) -> Rule:
    """keras.preprocessing.<module>.<name> -> k1.<module>.<name>, Keras 1's signature; with
    `ordering`, the file's dim ordering is stated where Keras 1 read keras.json."""
    if not ordering:
        return Rule(f"{_K1}{module}.{name}", f"{_RT}{module}.{name}", family=_FAMILY)
    return Rule(f"{_K1}{module}.{name}", f"{_RT}{module}.{name}", {"dim_ordering": rename("dim_ordering", _ordering)},
                state={"dim_ordering": lambda ctx: v.literal_string(ctx.dim_ordering)}, family=_FAMILY)


def _image_rules():
    from k1port.rules.common import DIM_ORDERING

    return [Rule(f"{_K1}image.{n}", f"keras.utils.{n}", {"dim_ordering": DIM_ORDERING}, family=_FAMILY)
            for n in ("img_to_array", "array_to_img")]


_IMAGE_FUNCTIONS = ("Iterator", "random_rotation", "random_shift", "random_shear", "random_zoom",
                    "random_channel_shift", "apply_transform", "transform_matrix_offset_center", "flip_axis",
                    "list_pictures")

RULES = [
    # Keras 3's pad_sequences has Keras 1's signature, defaults and results (maxlen=None:
    # the longest; empty sequences: all padding; truncating before padding).
    Rule(f"{_K1}sequence.pad_sequences", "keras.preprocessing.sequence.pad_sequences", family=_FAMILY),
    *[_runtime("sequence", n) for n in ("skipgrams", "make_sampling_table")],
    *[_runtime("text", n) for n in ("Tokenizer", "one_hot", "text_to_word_sequence")],
    Rule(f"{_K1}image.load_img", "keras.utils.load_img", {"grayscale": rename("color_mode", _grayscale)},
         family=_FAMILY),
    *_image_rules(),
    *[_runtime("image", n, ordering=True) for n in ("ImageDataGenerator", "NumpyArrayIterator",
                                                     "DirectoryIterator")],
    *[_runtime("image", n) for n in _IMAGE_FUNCTIONS],
]
