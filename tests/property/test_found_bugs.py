"""Bugs the property tests found, each pinned by the smallest example (shrunk by hand)."""
from __future__ import annotations

import pytest

from convert_helpers import assert_converts, dedent
from k1port.api import ConversionError, Options, convert_source


@pytest.mark.parametrize("source", [
    "from keras.layers import Dense\nlayer = Dense(" + " + ".join(["1"] * 3000) + ")\n",
    "from keras.layers import Dense\ny = " + "Dense(8, init='uniform')(" * 150 + "x" + ")" * 150 + "\n",
    # (Keras code inside: a statement without any is left alone, unvisited, and converts.)
    "from keras.layers import Dense\nDense(8, init='uniform')\nz = " + "[" * 180 + "Dense(1)" + "]" * 180 + "\n",
])
def test_deep_nesting_is_a_reported_error_not_a_crash(source):
    # Python parses these (up to 200 nested brackets); LibCST's visitors recurse once per level
    # and used to raise RecursionError out of convert_source.
    with pytest.raises(ConversionError, match="nested too deeply"):
        convert_source(source)


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
