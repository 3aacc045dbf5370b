"""The user's seed examples (fixtures/seed/, from the Keras 1 functional API guide) convert
cleanly: no ERROR finding, no Keras 1 construct left, converting twice equals converting once.

Fast: converts in-process and never imports Keras.
"""
from __future__ import annotations

import pytest

from k1port.api import Options, convert_source
from k1port.findings import Level
from seed_helpers import FIXTURE_IDS, FIXTURES, code_only, keras1_leftovers

pytestmark = pytest.mark.skipif(not FIXTURES, reason="no fixtures in fixtures/seed/")


@pytest.fixture(scope="module")
def converted():
    return {p.stem: convert_source(p.read_text(), Options()) for p in FIXTURES}


def _source(name: str) -> str:
    return next(p for p in FIXTURES if p.stem == name).read_text()


@pytest.mark.parametrize("name", FIXTURE_IDS)
def test_no_error_findings(converted, name):
    result = converted[name]
    errors = [f.format(f"{name}.py") for f in result.findings if f.level is Level.ERROR]
    assert not errors, "\n".join(errors)
    assert result.changed
    compile(result.code, f"{name}.py (converted)", "exec")


@pytest.mark.parametrize("name", FIXTURE_IDS)
def test_no_keras1_left(converted, name):
    # the fixtures do use Keras 1 constructs (else this test proves nothing)
    assert keras1_leftovers(_source(name)), "the fixture has no Keras 1 construct to convert"
    leftovers = keras1_leftovers(converted[name].code)
    assert not leftovers, "\n".join(leftovers) + "\n--- converted ---\n" + converted[name].code


@pytest.mark.parametrize("name", FIXTURE_IDS)
def test_idempotent(converted, name):
    once = converted[name].code
    twice = convert_source(once, Options())
    assert twice.code == once
    assert not twice.changed


@pytest.mark.parametrize("name", FIXTURE_IDS)
def test_reconverting_is_quiet(converted, name):
    """Converted code is Keras 3: converting it again must not flag it (nothing is Keras 1)."""
    twice = convert_source(converted[name].code, Options())
    flagged = [f.format(f"{name}.py (converted)") for f in twice.findings if f.level.marks_output]
    assert not flagged, "\n".join(flagged)


IMAGE_IDS = [p.stem for p in FIXTURES if "Convolution2D" in code_only(p.read_text())]


@pytest.mark.parametrize("name", IMAGE_IDS)
def test_image_examples_are_channels_first(converted, name):
    """The guide's image shapes are Theano's (3, H, W): k1port must read them as 'th'."""
    decision = converted[name].dim_ordering
    assert decision is not None and decision.value == "th", decision
    assert "data_format='channels_last'" not in converted[name].code


def test_leftover_detector_sees_keras1():
    """Guard the regexes: they find Keras 1 in code, but not in strings, comments or k1.*."""
    k1_code = ("x = Convolution2D(8, 3, 3, border_mode='same', init='he_normal')(x)\n"
               "y = merge([x, x], mode='concat', concat_axis=1)\n"
               "m = Model(input=a,\n          output=y)\n"
               "m.fit(d, l, nb_epoch=2)\n"
               "assert conv.get_output_at(0) is y and conv.input_shape == (None, 3)\n")
    found = "\n".join(keras1_leftovers(k1_code))
    for what in ("Keras 1 layer class", "border_mode", "init=", "merge() function", "concat_axis",
                 "Model(input=/output=)", "nb_* argument", "layer-node method", ".input_shape"):
        assert what in found, (what, found)
    k3_code = ('"""merge(mode=\'sum\'), Convolution2D, nb_epoch=1"""\n'
               "# k1port: warning: Keras 1 trained nb_epoch=10\n"
               "output = Concatenate(axis=1)([x, y])\n"
               "assert k1.get_output_at(lstm, 0) is a and k1.input_shape(conv) == (None, 3)\n"
               "m = Model(inputs=a, outputs=output)\n")
    assert keras1_leftovers(k3_code) == []
