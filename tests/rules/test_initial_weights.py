"""`weights=` in a layer constructor: Keras 1 set the arrays (in its own layout) when the
layer was built; k1.initial_weights does it at the same moment, converting the layout."""
from convert_helpers import assert_converts, convert


def test_weights_argument_goes_to_the_runtime():
    assert_converts(
        """
        from keras.layers import Dense, Embedding
        d = Dense(3, input_dim=4, weights=[W, b])
        e = Embedding(10, 4, weights=[matrix])
        n = Dense(3, weights=None)
        """,
        """
        from keras.layers import Dense, Embedding
        import k1port.runtime as k1
        d = k1.initial_weights(Dense(3, input_shape=(4,)), [W, b])
        e = Embedding(10, 4, weights=[matrix])
        n = Dense(3)
        """)


def test_theano_convolution_kernels_are_flipped():
    # Theano's convolutions flipped the kernel: the runtime flips Keras 1 Theano arrays.
    result = convert("""
        from keras.layers import Convolution2D, Dense
        c = Convolution2D(2, 3, 3, dim_ordering='th', weights=[w, b])
        d = Dense(3, weights=[W, b2])
        """, keras1_backend="theano")
    assert "c = k1.initial_weights(k1.Conv2D(2, (3, 3), data_format='channels_first'), [w, b], " \
           "backend='theano')" in result.code
    assert "d = k1.initial_weights(Dense(3), [W, b2])" in result.code
    assert not result.findings
