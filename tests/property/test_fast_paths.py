"""The engine's shortcuts change nothing but its speed: converting with and without each must
give the same code and the same findings (with their positions), on generated Keras 1
programs, the fixtures and hand-made awkward layouts.

- Converter.quiet: statements that mention no name the converter acts on are left unvisited;
- engine/traversal.py: the converter's own walk in place of LibCST's `module.visit`;
- engine/sources.py: statements the conversion left as they were copied from the source, not
  printed; findings located by printing only their top-level statements (engine/locate.py)."""
from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest

from k1port import api
from k1port.api import ConversionError, Options, convert_source
from k1port.engine import locate
from k1port.engine.names import NAMELESS
from k1port.engine.sources import Sources
from k1port.engine.transformer import Converter

from property.strategies import corpus

ROOT = Path(__file__).resolve().parents[2]


# Layouts where a statement's first line is easy to get wrong: comments and blank lines before
# it, decorators (with comments between them), block footers, parentheses around a whole
# statement, several statements on a line, a compound statement on one line, CRLF and form
# feeds. Every `fit(show_accuracy=...)` is a finding.
AWKWARD = {
    "layouts": """# a header comment

from keras.models import Sequential
x = 1; model = Sequential(); model.fit(x, x, show_accuracy=True)


@staticmethod
# between decorators
@property
def f(a):
    if a:
        return model.fit(a, a, nb_epoch=1, show_accuracy=True)
        # a footer comment, deeper

    # a footer comment at the block's level
# a comment at column 0
(
    model.fit(x, x, nb_epoch=2, show_accuracy=True)
)
class C(object):
    def g(self):
        return model.fit(x, show_accuracy=True)
model.fit(x, x,
          nb_epoch=2,
          show_accuracy=True); model.fit(x, show_accuracy=1)
if x: model.fit(x, show_accuracy=0)
""",
    # Python's parser places a decorator on its expression's line, not its `@`'s: the print of
    # that statement does not match the source there, and the module is printed instead.
    "decorator_below_its_at": """from keras.models import Sequential
model = Sequential()
@ (
    staticmethod)
def h(x):
    model.fit(x, show_accuracy=True)
model.fit(x, show_accuracy=True)
""",
    "crlf_and_form_feed": "x = 1\r\nfrom keras.models import Sequential\r\nm = Sequential()\r\n\x0c\r\n"
                          "m.fit(x, x,\r\n      show_accuracy=True)\r\n# end\r\nm.fit(x, show_accuracy=True)",
}


def _texts() -> dict[str, str]:
    ch = corpus.RandomChooser(11)
    texts = {f"generated_{i}": corpus.keras1_program(ch, swap=i % 5 == 0, size=ch.integer(1, 6))
             for i in range(30)}
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        texts[str(path.relative_to(ROOT))] = path.read_bytes().decode("utf-8", "replace")
    return {**texts, **AWKWARD}


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


def test_the_converters_own_walk_changes_nothing(monkeypatch):
    texts, options = _texts(), Options()
    fast = {name: _convert(text, options) for name, text in texts.items()}
    monkeypatch.setattr(api, "transform", lambda module, converter: module.visit(converter))
    for name, text in texts.items():
        assert _convert(text, options) == fast[name], name


def test_locating_findings_by_statement_changes_nothing(monkeypatch):
    texts, options = _texts(), Options()
    fast = {name: _convert(text, options) for name, text in texts.items()}
    assert sum(len(f[1]) for f in fast.values() if not isinstance(f, str)) >= 50
    for name in AWKWARD:
        assert len(fast[name][1]) == AWKWARD[name].count("show_accuracy"), name
    monkeypatch.setattr(locate, "_statement_starts", lambda *args: {})  # print the module instead
    for name, text in texts.items():
        assert _convert(text, options) == fast[name], name


def test_copying_unchanged_statements_changes_nothing(monkeypatch):
    texts, options = _texts(), Options()
    copied, pieces = [], Sources.pieces
    monkeypatch.setattr(Sources, "pieces", lambda self: copied.append(pieces(self)) or copied[-1])
    fast = {name: _convert(text, options) for name, text in texts.items()}
    assert sum(p is not None for p in copied) >= 10
    monkeypatch.setattr(Sources, "pieces", lambda self: None)  # print every statement
    for name, text in texts.items():
        assert _convert(text, options) == fast[name], name


@pytest.mark.parametrize("name, trusted", [("layouts", True), ("crlf_and_form_feed", True),
                                           ("decorator_below_its_at", False)])
def test_statement_layout_is_checked_before_it_is_trusted(name, trusted):
    """Where Python's parser and LibCST agree on where each statement starts, the statements
    are cut from the source exactly (they make it up again) and each finding's statement print
    matches the source; where they disagree (a decorator's `@` above its expression), nothing
    is copied and findings are located by printing the module."""
    text = AWKWARD[name]
    module = cst.parse_module(text)
    raw = _converter(text, module).raw_findings
    assert raw and all(r[4] is not None for r in raw)
    sources = Sources(text, module)
    pieces = sources.pieces()
    assert (pieces is not None) == trusted
    if trusted:
        header = "".join(module.code_for_node(line) for line in module.header)
        footer = "".join(module.code_for_node(line) for line in module.footer)
        assert header + "".join(pieces[id(s)] for s in module.body) + footer == text
        assert [pieces[id(s)] for s in module.body[:-1]] == [module.code_for_node(s) for s in module.body[:-1]]
    located = locate._statement_starts(sources, raw)
    assert (len(located) == len(raw)) == trusted


def _converter(text: str, module: cst.Module) -> Converter:
    from k1port.engine.bindings import scan
    from k1port.engine.names import statement_names
    from k1port.targets.keras import TARGETS

    converter = Converter(scan(module), TARGETS["keras"], "tf")
    converter.names = statement_names(module)
    api.transform(module, converter)
    return converter


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


def test_simple_expressions_are_built_as_libcsts_parser_builds_them():
    """rules.values.expr builds names, numbers and plain strings directly; every signature
    default of both APIs, and spellings near the edges, come out as LibCST's parser makes them."""
    from k1port.keras1.api import SIGNATURES as KERAS1
    from k1port.rules.values import expr
    from k1port.targets.keras3_api import SIGNATURES as KERAS3

    sources = {p[1] for sig in [*KERAS1.values(), *KERAS3.values()] for p in sig["params"] if p[1] is not None}
    sources |= {"0", "00", "007", "1_000", "0x1F", "1e-08", "0.", ".5", "1.5e3", "1E5", "'a\\\\b'", "u'x'", "b'x'",
                "'''x'''", '"q"', "None", "True", "print", "x.y", "-1", "(1, 2)", "1j", "f'x'"}
    checked = 0
    for source in sources:
        try:
            expected = cst.parse_expression(source)
        except cst.ParserSyntaxError:  # `<function ...>` defaults, `007`
            continue
        assert expr(source).deep_equals(expected), source
        checked += 1
    assert checked > 150
