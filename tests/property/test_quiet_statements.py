"""The converter leaves alone, unvisited, the statements that mention no name it acts on
(Converter.quiet): a shortcut only, so converting with and without it must give the same code
and the same findings, on generated Keras 1 programs and on the fixtures."""
from __future__ import annotations

import re
from pathlib import Path

from k1port.api import ConversionError, Options, convert_source
from k1port.engine.names import NAMELESS
from k1port.engine.transformer import Converter

from property.strategies import corpus

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> dict[str, str]:
    ch = corpus.RandomChooser(11)
    texts = {f"generated_{i}": corpus.keras1_program(ch, swap=i % 5 == 0, size=ch.integer(1, 6))
             for i in range(30)}
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        texts[str(path.relative_to(ROOT))] = path.read_bytes().decode("utf-8", "replace")
    return texts


def _convert(text: str, options: Options):
    try:
        result = convert_source(text, options)
    except ConversionError as exc:
        return str(exc)
    return result.code, [(f.line, f.col, f.level, f.kind, f.message) for f in result.findings]


def test_leaving_quiet_statements_alone_changes_nothing(monkeypatch):
    texts, options = _texts(), Options()
    fast = {name: _convert(text, options) for name, text in texts.items()}
    monkeypatch.setattr(Converter, "skip_quiet", False)
    for name, text in texts.items():
        assert _convert(text, options) == fast[name], name


def test_no_converter_hook_is_bypassed():
    """Converter.on_visit skips what holds no name and never calls per-field hooks."""
    hooks = [name for name in vars(Converter) if re.match(r"(visit|leave)_[A-Z]", name)]
    assert hooks
    assert not [h for h in hooks if h.split("_", 1)[1] in {k.__name__ for k in NAMELESS}]
    assert not [h for h in hooks if "_" in h.split("_", 1)[1]]  # visit_<Node>_<field>


def test_a_deeply_nested_statement_without_keras_converts():
    """LibCST's visitors recurse once per level (too deep: a ConversionError); a statement left
    alone is never visited, so the file converts and the statement stays as written."""
    nested = "z = " + "[" * 180 + "1" + "]" * 180 + "\n"
    result = convert_source("from keras.layers import Dense\nDense(8, init='uniform')\n" + nested)
    assert result.code == "from keras.layers import Dense\nDense(8, kernel_initializer='uniform')\n" + nested
