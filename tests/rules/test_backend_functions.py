"""The rest of keras.backend: K.* functions keras.ops computes (argument names and order
converted) and those the runtime's k1.backend supplies with Keras 1's signatures (Keras 1's
batch_dot axes, switch, rnn, convolutions and pooling with dim_ordering and Theano's
padding). Their numbers are checked against Keras 1.2.2 by fixtures/oracle/backend_ops.py."""
from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level
from k1port.keras1 import api
from k1port.rules import RULES


def test_every_keras1_backend_function_has_a_rule():
    functions = {c for c in api.EXPORTS["keras.backend"].values() if api.KINDS.get(c) == "function"}
    assert sorted(functions - set(RULES)) == []


def test_functions_keras_ops_computes():
    # in_top_k: Keras 3 takes (targets, predictions, k), so the arguments become keywords;
    # arange: Keras 1 made int32 whatever the arguments; random_binomial: one trial.
    assert_converts(
        """
        from keras import backend as K
        def f(x, y, t):
            a = K.reverse(x, axes=[0, 2]) + K.reverse(x, 1)
            b = K.in_top_k(x, t, 3)
            c = K.arange(2, 10, 2) + K.arange(5, dtype='int64')
            d = K.random_binomial((2, 3), p=0.3, seed=1)
            e = K.map_fn(lambda r: r * 2, x, name='double')
            g = K.to_dense(x)
            return K.dtype(x), K.get_variable_shape(y), K.get_uid('dense')
        """,
        """
        from keras import backend as K, ops, random
        def f(x, y, t):
            a = ops.flip(x, axis=[0, 2]) + ops.flip(x, 1)
            b = ops.in_top_k(predictions=x, targets=t, k=3)
            c = ops.arange(2, 10, 2, dtype='int32') + ops.arange(5, dtype='int64')
            d = random.binomial((2, 3), probabilities=0.3, seed=1, counts=1)
            e = ops.map(lambda r: r * 2, x)
            g = ops.convert_to_tensor(x, sparse=False)
            return ops.dtype(x), ops.shape(y), K.get_uid('dense')
        """)


def test_map_fn_name_is_dropped_with_a_note():
    result = convert("from keras import backend as K\ny = K.map_fn(f, x, name='m')\n")
    assert [f.kind for f in levels(result, Level.INFO)] == ["dropped-argument"]


def test_conv1d_is_keras_ops_conv_channels_last():
    # Keras 1 had K.conv1d on TensorFlow only: channels-last, kernel (length, in, out) as in Keras 3.
    assert_converts(
        """
        from keras import backend as K
        y = K.conv1d(x, kernel, 2, border_mode='same', filter_shape=(3, 4, 8))
        """,
        """
        from keras import ops
        y = ops.conv(x, kernel, 2, padding='same', data_format='channels_last')
        """)


def test_runtime_functions_keep_keras1_arguments():
    # batch_dot's axes count the batch axis (not keras.ops.dot/tensordot); switch takes a
    # scalar or element-wise condition and functions; rnn takes Keras 1's step functions.
    assert_converts(
        """
        from keras import backend as K
        def f(x, y, states):
            a = K.batch_dot(x, y, axes=[1, 2])
            b = K.switch(K.greater(x, 0), x, lambda: -x)
            last, outputs, new_states = K.rnn(step, x, states, go_backwards=True, mask=m)
            c = K.foldl(lambda acc, v: acc + v, x) + K.foldr(lambda acc, v: acc * v, x, 1.0)
            d = K.temporal_padding(x, 2) + K.asymmetric_temporal_padding(x, 0, 3)
            e = K.batch_normalization(x, mu, var, beta, gamma, epsilon=1e-5)
            return K.print_tensor(a, 'a = '), K.count_params(y), K.moving_average_update(v, a, 0.99)
        """,
        """
        from keras import ops
        import k1port.runtime as k1
        def f(x, y, states):
            a = k1.backend.batch_dot(x, y, axes=[1, 2])
            b = k1.backend.switch(ops.greater(x, 0), x, lambda: -x)
            last, outputs, new_states = k1.backend.rnn(step, x, states, go_backwards=True, mask=m)
            c = k1.backend.foldl(lambda acc, v: acc + v, x) + k1.backend.foldr(lambda acc, v: acc * v, x, 1.0)
            d = k1.backend.temporal_padding(x, 2) + k1.backend.asymmetric_temporal_padding(x, 0, 3)
            e = k1.backend.batch_normalization(x, mu, var, beta, gamma, epsilon=1e-5)
            return k1.backend.print_tensor(a, 'a = '), k1.backend.count_params(y), k1.backend.moving_average_update(v, a, 0.99)
        """)


def test_image_functions_state_the_files_dim_ordering():
    # dim_ordering='default' was keras.json's: the ordering decided for the file is stated;
    # a file of 'tf' code ran on TensorFlow, whose convolutions and 'same' Keras 3 shares.
    assert_converts(
        """
        from keras import backend as K
        def f(x, k):
            a = K.conv2d(x, k, border_mode='same')
            b = K.pool2d(x, (2, 2), dim_ordering='default', pool_mode='avg')
            c = K.conv2d(x, k, (2, 2), 'valid', 'th')
            return K.spatial_2d_padding(x, (1, 2)), K.resize_images(x, 2, 2, 'tf')
        """,
        """
        import k1port.runtime as k1
        def f(x, k):
            a = k1.backend.conv2d(x, k, border_mode='same', dim_ordering='tf')
            b = k1.backend.pool2d(x, (2, 2), dim_ordering='tf', pool_mode='avg')
            c = k1.backend.conv2d(x, k, (2, 2), 'valid', 'th')
            return k1.backend.spatial_2d_padding(x, (1, 2), dim_ordering='tf'), k1.backend.resize_images(x, 2, 2, 'tf')
        """)


def test_theano_code_computes_what_theano_did():
    # 'th' code ran on Theano: true convolutions (flipped kernels), Theano's 'same' padding,
    # its variance + epsilon and its CTC; padding and resizing were the same on both backends.
    assert_converts(
        """
        from keras import backend as K
        def f(x, k):
            a = K.conv2d(x, k, border_mode='same')
            b = K.deconv2d(x, k, (None, 3, 8, 8), (2, 2), 'same', 'tf')
            c = K.pool3d(x, (2, 2, 2), border_mode='same') + K.conv3d(x, k)
            d = K.normalize_batch_in_training(x, g, b, [0, 2, 3])
            e = K.ctc_batch_cost(labels, x, input_length, label_length)
            return K.spatial_3d_padding(x), K.atrous_conv2d(x, k, 2), K.separable_conv2d(x, k, k)
        """,
        """
        import k1port.runtime as k1
        def f(x, k):
            a = k1.backend.conv2d(x, k, border_mode='same', dim_ordering='th', keras1_backend='theano')
            b = k1.backend.deconv2d(x, k, (None, 3, 8, 8), (2, 2), 'same', 'tf', keras1_backend='theano')
            c = k1.backend.pool3d(x, (2, 2, 2), border_mode='same', dim_ordering='th', keras1_backend='theano') + k1.backend.conv3d(x, k, dim_ordering='th', keras1_backend='theano')
            d = k1.backend.normalize_batch_in_training(x, g, b, [0, 2, 3], keras1_backend='theano')
            e = k1.backend.ctc_batch_cost(labels, x, input_length, label_length, keras1_backend='theano')
            return k1.backend.spatial_3d_padding(x, dim_ordering='th'), k1.backend.atrous_conv2d(x, k, 2, dim_ordering='th'), k1.backend.separable_conv2d(x, k, k, dim_ordering='th')
        """, image_dim_ordering="th")


def test_keras1_backend_option_decides_for_tf_code():
    assert_converts(
        """
        from keras import backend as K
        y = K.pool2d(x, (2, 2), border_mode='same')
        """,
        """
        import k1port.runtime as k1
        y = k1.backend.pool2d(x, (2, 2), border_mode='same', dim_ordering='tf', keras1_backend='theano')
        """, keras1_backend="theano")


def test_value_helpers():
    assert_converts(
        """
        from keras import backend as K
        values = K.batch_get_value(weights)
        K.batch_set_value(zip(weights, values))
        f = K.cast_to_floatx(x)
        ok = K.is_keras_tensor(x) and not K.is_sparse(x)
        """,
        """
        import k1port.runtime as k1
        values = k1.backend.batch_get_value(weights)
        k1.backend.batch_set_value(zip(weights, values))
        f = k1.backend.cast_to_floatx(x)
        ok = k1.backend.is_keras_tensor(x) and not k1.backend.is_sparse(x)
        """)


def test_internals_are_reported_with_a_pointer():
    result = convert("""
        from keras import backend as K
        c = K.ctc_cost(p, y)
        K.set_legacy_weight_ordering(True)
        """)
    errors = levels(result, Level.ERROR)
    assert [(e.line, e.kind) for e in errors] == [(2, "not-converted"), (3, "not-converted")]
    assert "ctc_batch_cost" in errors[0].message and "load_weights" in errors[1].message
