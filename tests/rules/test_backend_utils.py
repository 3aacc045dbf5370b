"""Backend, utils and activations references; dim-ordering queries."""
from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level


def test_ordering_query_keeps_tf_default_and_ignores_branch_shapes():
    # Code that asks image_dim_ordering() handles both layouts: its (1, 28, 28) shape is
    # not evidence, and Keras 1.2.2's default ('tf') applies.
    assert_converts(
        """
        from keras import backend as K
        from keras.layers import Convolution2D
        if K.image_dim_ordering() == 'th':
            shape = (1, 28, 28)
        else:
            shape = (28, 28, 1)
        c = Convolution2D(8, 3, 3, input_shape=shape)
        """,
        """
        from keras.layers import Conv2D
        import k1port.runtime as k1
        if k1.image_dim_ordering() == 'th':
            shape = (1, 28, 28)
        else:
            shape = (28, 28, 1)
        c = Conv2D(8, (3, 3), input_shape=shape)
        """)


def test_th_by_option_tells_the_runtime():
    assert_converts(
        """
        from keras import backend as K
        from keras.layers import MaxPooling2D
        if K.image_dim_ordering() == 'th':
            p = MaxPooling2D()
        """,
        """
        from keras.layers import MaxPooling2D
        import k1port.runtime as k1
        k1.set_image_dim_ordering('th')
        if k1.image_dim_ordering() == 'th':
            p = MaxPooling2D(data_format='channels_first')
        """, image_dim_ordering="th")


def test_activation_functions_as_values():
    assert_converts(
        """
        from keras import activations
        from keras.layers import Dense
        d = Dense(3, activation=activations.hard_sigmoid)
        r = activations.relu(x, alpha=0.1)
        """,
        """
        from keras import activations
        from keras.layers import Dense
        import k1port.runtime as k1
        d = Dense(3, activation=k1.hard_sigmoid)
        r = activations.relu(x, negative_slope=0.1)
        """)


def test_class_used_as_value_is_reported():
    result = convert("""
        from keras.layers import recurrent
        kinds = [recurrent.LSTM, recurrent.GRU]
        ok = isinstance(layer, recurrent.LSTM)
        """)
    warnings = levels(result, Level.WARNING)
    assert [(w.line, w.kind) for w in warnings] == [(2, "used-as-value"), (2, "used-as-value")]


def test_keras1_only_methods_convert_on_known_models():
    # Keras 3 removed them: on a known model they become runtime functions of it; on an
    # unknown receiver they are left alone with an INFO.
    result = convert("""
        from keras.models import Sequential
        model = Sequential()
        model.fit_generator(gen, samples_per_epoch=100, nb_epoch=2)
        classes = model.predict_classes(x)
        other.predict_classes(x)
        """)
    assert "k1.fit_generator(model, gen, samples_per_epoch=100, nb_epoch=2)" in result.code
    assert "classes = k1.predict_classes(model, x)" in result.code and "other.predict_classes(x)" in result.code
    assert [(f.line, f.kind) for f in result.findings] == [(5, "unknown-receiver")]


def test_one_value_per_keyword():
    # Keras 1 used batch_input_shape over input_shape.
    assert_converts(
        "from keras.layers import Dense\nd = Dense(2, input_shape=(3,), batch_input_shape=(None, 4))\n",
        "from keras.layers import Dense\nd = Dense(2, input_shape=(4,))\n")


def test_adadelta_needs_no_warning():
    # The runtime's Adadelta has Keras 1's defaults (lr 1.0, epsilon 1e-8): nothing to state.
    result = convert("from keras.optimizers import Adadelta\no = Adadelta()\n")
    assert result.code.endswith("o = k1.Adadelta()\n")
    assert not levels(result, Level.WARNING)


def test_backend_functions_become_keras_ops_module_style():
    # Module style stays module style: `from keras.ops import sum` would shadow a builtin.
    assert_converts(
        """
        import random
        from keras import backend as K
        def loss(y_true, y_pred):
            d = K.sqrt(K.sum(K.square(y_true - y_pred), axis=-1))
            z = K.concatenate([y_true, y_pred])
            n = K.random_normal((3, 4), std=2.0)
            return K.clip(d, K.epsilon(), 1.0) + K.expand_dims(d) + K.gather(z, 0) + K.pow(d, 2)
        """,
        """
        import random
        from keras import ops, random as keras_random, config
        import k1port.runtime as k1
        def loss(y_true, y_pred):
            d = k1.sqrt(ops.sum(ops.square(y_true - y_pred), axis=-1))
            z = ops.concatenate([y_true, y_pred], axis=-1)
            n = keras_random.normal((3, 4), stddev=2.0)
            return ops.clip(d, config.epsilon(), 1.0) + ops.expand_dims(d, axis=-1) + ops.take(z, 0, axis=0) + ops.power(d, 2)
        """)


def test_backend_functions_without_equivalent_are_reported():
    result = convert("""
        from keras import backend as K
        f = K.pattern_broadcast(x, (False, True))
        """)
    assert [f.kind for f in levels(result, Level.ERROR)] == ["not-converted"]
    assert "from keras import backend as K" in result.code


def test_symbolic_functions_and_gradients():
    # Keras 3 dropped K.function / K.gradients / K.placeholder: the runtime rebuilds them on
    # KerasTensors. A Sequential's .input/.output are its graph's .inputs[0]/.outputs[0];
    # the crossentropies keep Keras 1's (output, target) order in the runtime.
    assert_converts(
        """
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(3, input_dim=4))
        loss = K.mean(model.output[:, 0])
        grads = K.gradients(loss, [model.input])[0]
        target = K.placeholder(ndim=2)
        xent = K.mean(K.categorical_crossentropy(model.output, target))
        step = K.function([model.input, target, K.learning_phase()], [loss, grads],
                          updates=[K.update_add(v, 1) for v in model.trainable_weights])
        """,
        """
        from keras import ops
        from keras.models import Sequential
        from keras.layers import Dense
        import k1port.runtime as k1
        model = Sequential()
        model.add(Dense(3, input_shape=(4,)))
        loss = ops.mean(model.outputs[0][:, 0])
        grads = k1.gradients(loss, [model.inputs[0]])[0]
        target = k1.placeholder(ndim=2)
        xent = ops.mean(k1.backend.categorical_crossentropy(model.outputs[0], target))
        step = k1.function([model.inputs[0], target, k1.learning_phase()], [loss, grads],
                          updates=[k1.update_add(v, 1) for v in model.trainable_weights])
        """)


def test_datasets_and_image_utilities():
    assert_converts(
        """
        from keras.datasets import mnist, imdb
        from keras.preprocessing.image import load_img, img_to_array
        from keras.utils.data_utils import get_file
        (X, y), _ = mnist.load_data()
        (a, b), _ = imdb.load_data(nb_words=20000)
        img = img_to_array(load_img(p, grayscale=True, target_size=(28, 28)), dim_ordering='th')
        f = get_file('x.txt', origin='http://x')
        """,
        """
        from keras.datasets import mnist
        from keras.utils import load_img, img_to_array
        import k1port.runtime as k1
        (X, y), _ = mnist.load_data()
        (a, b), _ = k1.datasets.imdb.load_data(nb_words=20000)
        img = img_to_array(load_img(p, color_mode='grayscale', target_size=(28, 28)), data_format='channels_first')
        f = k1.utils.get_file('x.txt', origin='http://x')
        """)
