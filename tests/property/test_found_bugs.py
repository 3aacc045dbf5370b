"""Bugs the property tests found, each pinned by the smallest example (shrunk by hand)."""
from __future__ import annotations

import pytest

from convert_helpers import assert_converts, dedent
from k1port.api import ConversionError, Options, convert_source


def test_deep_nesting_is_a_reported_error_not_a_crash():
    # Python parses this (3,000 operands, nested one level each in the tree); LibCST's parser
    # recurses once per level and used to raise RecursionError out of convert_source.
    with pytest.raises(ConversionError, match="nested too deeply"):
        convert_source("from keras.layers import Dense\nlayer = Dense(" + " + ".join(["1"] * 3000) + ")\n")


@pytest.mark.parametrize("source", [
    "from keras.layers import Dense\ny = " + "Dense(8, init='uniform')(" * 190 + "x" + ")" * 190 + "\n",
    "from keras.layers import Dense\nDense(8, init='uniform')\nz = " + "[" * 180 + "Dense(1)" + "]" * 180 + "\n",
])
def test_code_nested_as_deeply_as_python_parses_it_converts(source):
    # (LibCST's own walk ran out of stack at 150 levels: these were ConversionErrors; the
    # converter's walk takes fewer frames per level.)
    assert convert_source(source).code == source.replace("init=", "kernel_initializer=")


def test_a_file_that_imports_the_runtime_does_not_get_a_second_import():
    assert_converts(
        """
        import k1port.runtime as k1
        from keras.layers import LSTM
        x = LSTM(32, consume_less='gpu')
        """,
        """
        import k1port.runtime as k1
        from keras.layers import LSTM
        from keras.initializers import Orthogonal
        x = LSTM(32, recurrent_initializer=Orthogonal(gain=1.1), recurrent_activation=k1.hard_sigmoid)
        """)


def test_positional_dim_ordering_converts_once():
    """A positional 'channels_first' is k1port's own output (Keras 1 had no such value)."""
    options = Options(image_dim_ordering="th")
    once = convert_source(dedent("""
        from keras.layers import SpatialDropout3D
        d = SpatialDropout3D(0.25, 'default')
        """), options).code
    assert convert_source(once, options).code == once
