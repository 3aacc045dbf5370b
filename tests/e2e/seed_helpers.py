"""Shared bits of the seed end-to-end tests: where the fixtures are, what Keras 1 looks like."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_DIR = ROOT / "fixtures" / "seed"
FIXTURES = sorted(SEED_DIR.glob("*.py"))
FIXTURE_IDS = [p.stem for p in FIXTURES]

# Keras 1 spellings that must not survive conversion (matched on code with comments and
# string literals blanked out, so docstrings and `# k1port:` notes may mention them).
# `k1.get_output_at(layer, i)` / `k1.input_shape(layer)` are the runtime's: not matched.
_NOT_K1 = r"(?<!\bk1)"
KERAS1_CONSTRUCTS: dict[str, str] = {
    "Keras 1 layer class": r"\b(?:Convolution[123]D|AtrousConvolution[12]D|Deconvolution2D|"
                           r"SeparableConvolution2D|TimeDistributedDense|MaxoutDense|Highway|Merge)\b",
    "merge() function": r"\bmerge\s*\(",
    "merge arguments": r"\b(?:concat_axis|dot_axes)\b",
    "Model(input=/output=)": r"[(,]\s*(?:input|output)\s*=(?!=)",
    "nb_* argument": r"\bnb_(?:epoch|filter|row|col|classes|val_samples|worker)\b",
    "samples_per_epoch": r"\bsamples_per_epoch\b",
    "border_mode": r"\bborder_mode\b",
    "dim_ordering": r"\bdim_ordering\b",
    "subsample": r"\bsubsample(?:_length)?\b",
    "init= / inner_init= / forget_bias_init=": r"\b(?:init|inner_init|forget_bias_init)\s*=(?!=)",
    "inner_activation": r"\binner_activation\b",
    "consume_less": r"\bconsume_less\b",
    "W/b/U regularizer or constraint": r"\b[WbU]_(?:regularizer|constraint)\b",
    "dropout_W / dropout_U": r"\bdropout_[WU]\b",
    "Keras 1 Embedding/recurrent input_length=": r"\binput_length\s*=(?!=)",
    "pool_length / filter_length / atrous_rate": r"\b(?:pool_length|filter_length|atrous_rate)\b",
    "input_dtype": r"\binput_dtype\b",
    "layer-node method": _NOT_K1 + r"\.get_(?:input|output)(?:_shape|_mask)?_at\s*\(",
    "get_output() / get_input()": r"\.get_(?:output|input)\s*\(\s*\)",
    # the fixtures read these properties on layers only (Keras 3 layers have neither)
    "layer .input_shape / .output_shape": _NOT_K1 + r"\.(?:input_shape|output_shape)\b",
    "Keras 1 module path": r"\bkeras\.(?:layers\.(?:core|convolutional|recurrent|embeddings|pooling|"
                           r"normalization|advanced_activations|wrappers|noise|local)|"
                           r"utils\.np_utils|engine\.topology|engine\.training)\b",
    "removed model method": r"\.(?:predict_classes|predict_proba|fit_generator|evaluate_generator|"
                            r"predict_generator)\s*\(",
    "show_accuracy": r"\bshow_accuracy\b",
}
_KERAS1_RE = {what: re.compile(pattern) for what, pattern in KERAS1_CONSTRUCTS.items()}


def code_only(source: str) -> str:
    """`source` with comments and string literals blanked out (same lines and columns)."""
    lines = source.splitlines(keepends=True)
    out = [list(line) for line in lines]
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.STRING):
            continue
        (srow, scol), (erow, ecol) = tok.start, tok.end
        for row in range(srow, erow + 1):
            chars = out[row - 1]
            start = scol if row == srow else 0
            end = ecol if row == erow else len(chars)
            for i in range(start, end):
                if chars[i] != "\n":
                    chars[i] = " "
    return "".join("".join(chars) for chars in out)


def keras1_leftovers(converted: str) -> list[str]:
    """'line N: <what>: <text>' for each Keras 1 construct left in converted code."""
    code = code_only(converted)
    src_lines = converted.splitlines()
    found = []
    for what, pattern in _KERAS1_RE.items():
        for m in pattern.finditer(code):
            line = code.count("\n", 0, m.start()) + 1
            found.append(f"line {line}: {what}: {src_lines[line - 1].strip()}")
    return sorted(found, key=lambda s: int(s.split(":")[0].split()[1]))
