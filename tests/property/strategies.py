"""Hypothesis strategies: generated Keras 1 programs and their mutations.

The programs come from the benchmark's generator (`benchmarks/keras1_corpus.py`), driven here
by hypothesis draws instead of a seeded random generator, so that a failing example shrinks
(to fewer sections, fewer layers, the first choice of each list)."""
from __future__ import annotations

import importlib.util
import io
import keyword
import sys
import tokenize
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def _load_corpus():
    if "keras1_corpus" not in sys.modules:
        spec = importlib.util.spec_from_file_location("keras1_corpus", ROOT / "benchmarks" / "keras1_corpus.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["keras1_corpus"]


corpus = _load_corpus()

# Identifiers from letters of any script (Python reads them NFKC-normalised; LibCST as written).
UNICODE_IDENTIFIERS = st.text(st.characters(categories=["Lu", "Ll", "Lo", "Nl"]), min_size=1, max_size=6).filter(
    lambda s: s.isidentifier() and not keyword.iskeyword(s))


class DrawChooser:
    """The generator's chooser, answered by hypothesis draws."""

    def __init__(self, draw, unicode_names: bool = False) -> None:
        self.draw = draw
        self.unicode_names = unicode_names

    def choice(self, options):
        return self.draw(st.sampled_from(options))

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def chance(self, p: float) -> bool:  # shrinks towards False: fewer features
        return self.draw(st.integers(0, 999)) >= 1000 - int(p * 1000)

    def identifier(self, pool):
        if self.unicode_names and self.chance(0.5):
            return self.draw(UNICODE_IDENTIFIERS)
        return self.choice(pool)


@st.composite
def keras1_programs(draw, unicode_names: bool = False, max_size: int = 2, layers: int = 5):
    ch = DrawChooser(draw, unicode_names)
    return corpus.keras1_program(ch, swap=ch.chance(0.2), size=draw(st.integers(1, max_size)), layers=layers)


@st.composite
def non_keras_programs(draw):
    text = corpus.plain_program(DrawChooser(draw, unicode_names=True), draw(st.integers(1, 3)))
    if draw(st.booleans()):  # mentions Keras in a comment and a string: the full path, still nothing to do
        text = "# ported from the keras version of this script\n" + text + "NOTE = 'keras 1 is gone'\n"
    return text


# -- mutations ---------------------------------------------------------------------------------

def _tokens(text: str):
    try:
        return [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.ENDMARKER, tokenize.DEDENT) and t.string]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []


def _offsets(text: str) -> list[int]:
    starts, total = [], 0
    for line in text.splitlines(keepends=True):
        starts.append(total)
        total += len(line)
    return starts + [total]


@st.composite
def delete_tokens(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 3))):
        tokens = _tokens(text)
        if not tokens:
            break
        tok = draw(st.sampled_from(tokens))
        starts = _offsets(text)
        begin = starts[tok.start[0] - 1] + tok.start[1]
        end = starts[tok.end[0] - 1] + tok.end[1]
        text = text[:begin] + text[end:]
    return text


@st.composite
def deep_nesting(draw, text: str) -> str:
    """The program's statements inside many nested blocks, and a deeply nested expression."""
    header, _, body = text.partition("\n\n")
    depth = draw(st.integers(1, 40))
    opener = draw(st.sampled_from(["if True:", "for _ in range(1):", "def f():", "with open(p) as fh:",
                                   "class C(object):", "while x:", "try:"]))
    lines, indent = [], ""
    for _ in range(depth):
        lines.append(indent + opener)
        indent += "    "
    inner = [indent + line if line.strip() else line for line in body.splitlines()] + [indent + "pass"]
    closers = [] if opener != "try:" else [
        "    " * i + "except Exception:\n" + "    " * (i + 1) + "pass" for i in reversed(range(depth))]
    calls = draw(st.integers(1, 60))
    nested = "y = " + "Dense(8)(" * calls + "x" + ")" * calls
    brackets = draw(st.integers(1, 60))
    lists = "z = " + "[" * brackets + "1" + "]" * brackets
    return "\n".join([header, "", *lines, *inner, *closers, nested, lists]) + "\n"


@st.composite
def long_lines(draw, text: str) -> str:
    n = draw(st.integers(100, 3000))
    extra = draw(st.sampled_from([
        "model.add(Dense(64, weights=[np.array([" + ", ".join(f"{i}.5" for i in range(n)) + "])]))",
        "layer = Dense(" + " + ".join(["1"] * n) + ", activation='relu', border_mode='same')",
        "opts = dict(" + ", ".join(f"a{i}={i}" for i in range(n)) + ")",
        "s = '" + "x" * (n * 10) + "'  # " + "keras " * n,
        "model.compile(loss='mse', optimizer='sgd'); " * min(n, 300),
    ]))
    lines = text.splitlines()
    at = draw(st.integers(0, len(lines)))
    return "\n".join(lines[:at] + [extra] + lines[at:]) + "\n"


@st.composite
def mutated_programs(draw):
    text = draw(keras1_programs(unicode_names=draw(st.booleans()), max_size=2))
    mutation = draw(st.sampled_from([delete_tokens, deep_nesting, long_lines]))
    return draw(mutation(text))
