"""What Keras 1's `dim_ordering='default'` meant for a file.

Keras 1 read it from ~/.keras/keras.json: 'tf' in 1.2.2's generated default, 'th' for
Theano users and in Keras 1.0.x. The code itself usually tells: an explicit
`set_image_dim_ordering(...)`, or image input shapes written channels-first (3, 224, 224)
or channels-last (224, 224, 3).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_QUERY = re.compile(r"image_dim_ordering\(\s*\)")
_SET = re.compile(r"set_image_dim_ordering\(\s*['\"](th|tf)['\"]\s*\)")
_SHAPE = re.compile(r"\b(?:input_shape|shape|batch_input_shape)\s*=\s*\(([^()]*)\)")
_RESHAPE = re.compile(r"\.reshape\(\s*([^()]*(?:\([^()]*\))?[^()]*)\)")
_CHANNELS = {"1", "3", "4"}


@dataclass(frozen=True)
class Decision:
    value: str  # 'th' | 'tf'
    reason: str
    line: int = 1
    set_in_code: bool = False  # the file calls set_image_dim_ordering() itself


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _vote(dims: list[str]) -> str | None:
    """'th' for (3, H, W)-like image shapes, 'tf' for (H, W, 3)-like ones."""
    if len(dims) != 3:
        return None
    first, last = dims[0].strip(), dims[-1].strip()
    if first in _CHANNELS and last not in _CHANNELS:
        return "th"
    if last in _CHANNELS and first not in _CHANNELS:
        return "tf"
    return None


def detect(text: str, option: str | None) -> Decision:
    # The code's own set_image_dim_ordering() overrode keras.json (which the option stands for).
    m = _SET.search(text)
    if m:
        return Decision(m.group(1), f"set_image_dim_ordering({m.group(1)!r}) at line {_line(text, m.start())}",
                        _line(text, m.start()), set_in_code=True)
    if option is not None:
        return Decision(option, f"--image-dim-ordering {option}")
    if _QUERY.search(text):  # the code branches on the ordering: its shapes show both layouts
        return Decision("tf", "Keras 1.2.2's default keras.json ('tf'); the code asks "
                              "image_dim_ordering() and handles both")
    for pattern, what in ((_SHAPE, "input shape"), (_RESHAPE, "reshape")):
        for m in pattern.finditer(text):
            dims = [d for d in m.group(1).split(",") if d.strip()]
            if what == "reshape":
                dims = dims[1:]  # the batch dimension
            vote = _vote(dims)
            if vote:
                line = _line(text, m.start())
                layout = "channels-first" if vote == "th" else "channels-last"
                return Decision(vote, f"the {what} ({', '.join(d.strip() for d in dims)}) at line {line} "
                                      f"looks {layout}", line)
    return Decision("tf", "Keras 1.2.2's default keras.json ('tf'); nothing in the file says otherwise")
