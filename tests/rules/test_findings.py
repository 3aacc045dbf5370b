"""What cannot be converted exactly is reported (file:line:col) and marked in the output."""
from convert_helpers import convert, dedent, levels
from k1port.api import convert_source
from k1port.findings import Level


def test_unsupported_value_is_kept_reported_and_marked():
    result = convert("""
        from keras.layers import Convolution2D
        c = Convolution2D(8, 3, 3, border_mode='full')
        """)
    errors = levels(result, Level.ERROR)
    assert [(e.line, e.kind) for e in errors] == [(2, "unsupported-value")]
    assert "# k1port: error: Convolution2D(border_mode=...): border_mode 'full'" in result.code
    # Kept under its Keras 1 name: Keras 3 refuses it loudly at run time, never silently.
    assert "border_mode='full'" in result.code


def test_unconvertible_call_is_left_as_keras1():
    result = convert("""
        from keras.layers import merge
        y = merge(mode='concat')
        """)
    assert "y = merge(mode='concat')" in result.code
    assert "from keras.layers import merge" in result.code
    assert levels(result, Level.ERROR)[0].line == 2


def test_function_merge_modes_go_to_the_runtime():
    result = convert("""
        from keras.layers import merge
        c = merge([a, b], mode=lambda x: x[0] - x[1], output_shape=(3,))
        d = merge([a, b], mode='cos', dot_axes=1)
        """)
    assert "c = k1.merge([a, b], mode=lambda x: x[0] - x[1], output_shape=(3,))" in result.code
    assert "d = k1.merge([a, b], mode='cos', dot_axes=1)" in result.code
    assert not result.findings


def test_removed_layer_is_reported():
    result = convert("from keras.utils.io_utils import HDF5Matrix\nm = HDF5Matrix(x, 0, 2)\n")
    assert [f.kind for f in levels(result, Level.ERROR)] == ["not-converted"]
    assert result.code.startswith("from keras.utils.io_utils import HDF5Matrix\n# k1port: error:")


def test_bad_keras1_call_is_reported():
    result = convert("from keras.layers import Dense\nd = Dense(3, foo=1)\n")
    assert [f.kind for f in levels(result, Level.ERROR)] == ["bad-call"]


def test_markers_are_not_duplicated_on_reconversion():
    first = convert("from keras.utils.io_utils import HDF5Matrix\nm = HDF5Matrix(x, 0, 2)\n")
    second = convert_source(first.code)
    assert second.code == first.code


def test_finding_format():
    result = convert("from keras.utils.io_utils import HDF5Matrix\n\nm = HDF5Matrix(x, 0, 2)\n")
    assert result.findings[0].format("a.py").startswith("a.py:3:5: ERROR: keras.utils.io_utils.HDF5Matrix")


def test_dim_ordering_decision_is_reported():
    result = convert("""
        from keras.layers import Input, Convolution2D
        x = Input(shape=(3, 32, 32))
        y = Convolution2D(8, 3, 3)(x)
        """)
    info = [f for f in result.findings if f.kind == "dim-ordering"]
    assert info and "'th'" in info[0].message and info[0].line == 2
    assert "data_format='channels_first'" in result.code


def test_dim_ordering_option_wins():
    result = convert("""
        from keras.layers import Input, Convolution2D
        x = Input(shape=(3, 32, 32))
        y = Convolution2D(8, 3, 3)(x)
        """, image_dim_ordering="tf")
    assert "data_format" not in result.code
    assert "--image-dim-ordering tf" in result.findings[0].message


def test_python_without_keras_is_identical():
    source = dedent("""
        import numpy as np  # keras is mentioned only here
        def Dense(x, init=None):
            return np.asarray(x)
        y = Dense(3, init='zero')
        """)
    assert convert_source(source).code == source


def test_merges_of_masked_tensors_keep_keras1_masks():
    result = convert("""
        from keras.layers import Embedding, merge
        e = Embedding(10, 4, mask_zero=True)
        c = merge([a, b], mode='concat')
        """)
    assert "c = k1.merge([a, b], mode='concat')" in result.code


def test_markers_stay_on_their_statement_when_statements_are_inserted():
    # model.add(L(batch_input_shape=...)) gets a keras.Input(batch_shape=...) line first; the
    # statement keeps its marker, so converting again changes nothing.
    first = convert("""
        from keras.models import Sequential
        from keras.layers import Convolution1D
        m = Sequential()
        m.add(Convolution1D(2, 3, batch_input_shape=(4, 5, 3), border_mode='full'))
        """)
    assert "m.add(Input(batch_shape=(4, 5, 3)))\n# k1port: error: Convolution1D(border_mode=...)" in first.code
    assert convert_source(first.code).code == first.code


def test_backend_code_is_left_alone_and_reported():
    # Keras 3 cannot run Theano code; k1port converts Keras 1's API only. _keras_shape was
    # Keras 1's shape of a symbolic tensor: Keras 3's .shape.
    result = convert("""
        import theano.tensor as T
        import tensorflow as tf
        from keras.layers import Input
        x = Input((3,))
        n = x._keras_shape[1]
        y = T.sum(x)
        """)
    assert "n = x.shape[1]" in result.code and "y = T.sum(x)" in result.code
    assert [(f.line, f.kind) for f in levels(result, Level.WARNING)] == [(1, "backend-code"), (2, "backend-code")]
    assert result.code.count("# k1port: warning:") == 2
    assert convert_source(result.code).code == result.code
