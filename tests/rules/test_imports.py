"""Import rewriting: Keras 1 modules to their Keras 3 homes, no unused or duplicate imports."""
from convert_helpers import assert_converts


def test_submodule_from_imports_move_to_keras_layers():
    assert_converts(
        """
        from keras.layers.core import Dense, Flatten
        from keras.layers.convolutional import Convolution2D, MaxPooling2D
        m = [Dense(2), Flatten(), Convolution2D(4, 3, 3, dim_ordering='tf'), MaxPooling2D()]
        """,
        """
        from keras.layers import Dense, Flatten
        from keras.layers import Conv2D, MaxPooling2D
        m = [Dense(2), Flatten(), Conv2D(4, (3, 3), data_format='channels_last'), MaxPooling2D()]
        """)


def test_alias_is_kept():
    assert_converts(
        """
        from keras.layers.convolutional import Convolution2D as Conv
        from keras.layers import Dense as D
        c = D(3)
        """,
        """
        from keras.layers import Conv2D as Conv
        from keras.layers import Dense as D
        c = D(3)
        """)


def test_module_alias_import():
    assert_converts(
        """
        import keras.layers.recurrent as R
        import keras.layers as L
        x = R.GRU(4, inner_activation='sigmoid', inner_init='identity')
        y = L.Convolution2D(2, 1, 1, dim_ordering='tf')
        """,
        """
        import keras.layers as R
        import keras.layers as L
        import k1port.runtime as k1
        x = R.GRU(4, recurrent_activation='sigmoid', recurrent_initializer=k1.PerGate('glorot_uniform', 3), kernel_initializer=k1.PerGate('glorot_uniform', 3), reset_after=False)
        y = L.Conv2D(2, (1, 1), data_format='channels_last')
        """)


def test_qualified_references():
    assert_converts(
        """
        import keras
        y = keras.layers.convolutional.Convolution2D(2, 1, 1, dim_ordering='tf')
        m = keras.models.Model(input=a, output=b)
        """,
        """
        import keras
        y = keras.layers.Conv2D(2, (1, 1), data_format='channels_last')
        m = keras.models.Model(inputs=a, outputs=b)
        """)


def test_unused_after_conversion_is_removed_and_new_names_join_the_statement():
    assert_converts(
        """
        from keras.layers import Input, merge
        a = Input((3,))
        s = merge([a, a], mode='sum')
        c = merge([a, a], mode='concat', concat_axis=1, name='cat')
        """,
        """
        from keras.layers import Input, Add, Concatenate
        a = Input((3,))
        s = Add()([a, a])
        c = Concatenate(axis=1, name='cat')([a, a])
        """)


def test_no_duplicate_imports():
    assert_converts(
        """
        from keras.layers import Conv2D, Convolution2D
        a = Conv2D(2, 3, 3, border_mode='same')
        b = Convolution2D(2, 3, 3, border_mode='same')
        """,
        """
        from keras.layers import Conv2D
        a = Conv2D(2, (3, 3), padding='same')
        b = Conv2D(2, (3, 3), padding='same')
        """)


def test_unused_names_that_become_one_keras3_name_are_imported_once():
    # activity_l2 and l2 are both Keras 3's l2; imported and unused, each was renamed in place.
    for imported in ("l2, l1l2, activity_l2", "activity_l2, l2, l1l2"):
        assert_converts(
            f"""
            from keras.regularizers import {imported}
            from keras.layers import Dense
            d = Dense(8, W_regularizer=l2(0.01))
            """,
            """
            from keras.regularizers import l2, L1L2
            from keras.layers import Dense
            d = Dense(8, kernel_regularizer=l2(0.01))
            """)


def test_star_import_needs_no_new_names():
    assert_converts(
        """
        from keras.layers import *
        z = merge([a, b], mode='max')
        """,
        """
        from keras.layers import *
        z = Maximum()([a, b])
        """)


def test_user_definitions_are_never_touched():
    source = """
        from keras.layers import *
        class Dense(object):
            def __init__(self, output_dim, init=None):
                pass
        d = Dense(3, init='zero')
        """
    assert_converts(source, source)


def test_function_parameter_shadows_import():
    source = """
        from keras.layers import Dense
        def build(Dense):
            return Dense(3, init='zero')
        """
    assert_converts(source, source)


def test_tf_keras_target():
    assert_converts(
        """
        import keras
        from keras.layers.core import Dense
        from keras.models import Sequential
        m = Sequential([Dense(2, input_dim=3)])
        """,
        """
        from tensorflow import keras
        from tensorflow.keras.layers import Dense
        from tensorflow.keras.models import Sequential
        m = Sequential([Dense(2, input_shape=(3,))])
        """, target="tf.keras")


def test_imports_inside_functions_and_try_blocks():
    assert_converts(
        """
        try:
            from keras.layers.core import Dense
        except ImportError:
            Dense = None
        def f():
            from keras.layers import merge
            return merge([a, b], mode='mul')
        """,
        """
        try:
            from keras.layers import Dense
        except ImportError:
            Dense = None
        def f():
            from keras.layers import Multiply
            return Multiply()([a, b])
        """)


def test_backend_module_removed_when_every_use_converted():
    assert_converts(
        """
        from keras import backend as K
        if K.image_dim_ordering() == 'th':
            K.set_image_dim_ordering('tf')
        """,
        """
        import k1port.runtime as k1
        if k1.image_dim_ordering() == 'th':
            k1.set_image_dim_ordering('tf')
        """)


def test_comments_and_formatting_survive():
    assert_converts(
        """
        # a header comment
        from keras.layers import Dense  # trailing comment

        x = Dense(  # why 10
            10,
            activation = "relu" ,
        )   # after
        """,
        """
        # a header comment
        from keras.layers import Dense  # trailing comment

        x = Dense(  # why 10
            10,
            activation = "relu" ,
        )   # after
        """)


def test_new_imports_come_before_their_first_use():
    # A later Keras import (common in notebooks) must not pull k1 below the code using it.
    assert_converts(
        """
        from keras.models import Sequential
        from keras.layers import LSTM
        model = Sequential([LSTM(4, input_dim=3)])
        from keras.optimizers import SGD
        model.compile(SGD(), 'mse')
        """,
        """
        from keras.models import Sequential
        from keras.layers import LSTM
        import k1port.runtime as k1
        model = Sequential([LSTM(4, input_shape=(None, 3), kernel_initializer=k1.PerGate('glorot_uniform', 4), recurrent_initializer=k1.PerGate('glorot_uniform', 4), recurrent_activation=k1.hard_sigmoid)])
        from keras.optimizers import SGD
        model.compile(SGD(), 'mse')
        """)
