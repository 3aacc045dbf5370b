"""`get_weights()` / `set_weights(arrays)` on Keras 1 layers and models: Keras 1's arrays had
Keras 1's layouts (LSTM's 12 per-gate arrays, 'th' kernels, Theano's flipped kernels), so the
calls go to k1.get_keras1_weights / k1.set_keras1_weights where the receiver is known to be a
Keras 1 layer or model, and are left alone elsewhere."""
from convert_helpers import assert_converts, convert, levels

from k1port.findings import Level


def test_net2net_style_code_reads_and_writes_keras1_arrays():
    # Keras 1's examples/mnist_net2net.py, in short.
    assert_converts(
        """
        from keras.layers import Convolution2D, Dense, Flatten, Input, LSTM
        from keras.models import Model, Sequential
        teacher = Sequential()
        teacher.add(Convolution2D(4, 3, 3, input_shape=(28, 28, 1), name='conv1'))
        w_conv1, b_conv1 = teacher.get_layer('conv1').get_weights()
        student = Sequential()
        student.layers[0].set_weights([new_w, new_b])
        lstm = LSTM(3)
        W_i, U_i, b_i = lstm.get_weights()[:3]
        model = Model(input=inp, output=out)
        model.set_weights(teacher.get_weights())
        """,
        """
        from keras.layers import Conv2D, Dense, Flatten, Input, LSTM
        from keras.models import Model, Sequential
        import k1port.runtime as k1
        teacher = Sequential()
        teacher.add(Conv2D(4, (3, 3), input_shape=(28, 28, 1), name='conv1'))
        w_conv1, b_conv1 = k1.get_keras1_weights(teacher.get_layer('conv1'))
        student = Sequential()
        k1.set_keras1_weights(student.layers[0], [new_w, new_b])
        lstm = LSTM(3, kernel_initializer=k1.PerGate('glorot_uniform', 4), recurrent_initializer=k1.PerGate('glorot_uniform', 4), recurrent_activation=k1.hard_sigmoid)
        W_i, U_i, b_i = k1.get_keras1_weights(lstm)[:3]
        model = Model(inputs=inp, outputs=out)
        k1.set_keras1_weights(model, k1.get_keras1_weights(teacher))
        """)


def test_layers_named_by_assignment_or_loop():
    assert_converts(
        """
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential([Dense(2, input_dim=3)])
        layer = model.get_layer(index=0)
        first = model.layers[0]
        layer.set_weights(first.get_weights())
        for l in model.layers:
            print(l.get_weights())
        model.set_weights(weights=saved)
        """,
        """
        from keras.models import Sequential
        from keras.layers import Dense
        import k1port.runtime as k1
        model = Sequential([Dense(2, input_shape=(3,))])
        layer = model.get_layer(index=0)
        first = model.layers[0]
        k1.set_keras1_weights(layer, k1.get_keras1_weights(first))
        for l in model.layers:
            print(k1.get_keras1_weights(l))
        k1.set_keras1_weights(model, saved)
        """)


def test_theano_arrays_where_kernels_may_be_concerned():
    # Theano flipped convolution kernels: a convolution, a wrapper, a model or a layer of
    # unknown kind read and write Theano's arrays; a Dense has none to flip.
    result = convert("""
        from keras.layers import Convolution2D, Dense, TimeDistributed
        from keras.models import Sequential
        model = Sequential()
        conv = Convolution2D(2, 3, 3, dim_ordering='th')
        dense = Dense(3)
        wrapped = TimeDistributed(Dense(3))
        a = conv.get_weights()
        b = dense.get_weights()
        c = wrapped.get_weights()
        d = model.get_layer('x').get_weights()
        model.set_weights(arrays)
        """, keras1_backend="theano")
    code = result.code
    assert "a = k1.get_keras1_weights(conv, backend='theano')" in code
    assert "b = k1.get_keras1_weights(dense)\n" in code
    assert "c = k1.get_keras1_weights(wrapped, backend='theano')" in code
    assert "d = k1.get_keras1_weights(model.get_layer('x'), backend='theano')" in code
    assert "k1.set_keras1_weights(model, arrays, backend='theano')" in code
    # Without Theano nothing is flipped, and nothing is said.
    plain = convert("""
        from keras.layers import Convolution2D
        conv = Convolution2D(2, 3, 3, dim_ordering='th')
        a = conv.get_weights()
        """, keras1_backend="tensorflow")
    assert "a = k1.get_keras1_weights(conv)\n" in plain.code


def test_unknown_receivers_are_left_alone():
    result = convert("""
        from keras.models import Model
        from keras.layers import Dense
        model = Model(input=a, output=Dense(2)(a))
        w = optimizer.get_weights()
        other.set_weights(w)
        """)
    assert "w = optimizer.get_weights()" in result.code
    assert "other.set_weights(w)" in result.code
    infos = [f.message for f in levels(result, Level.INFO) if f.kind == "unknown-receiver"]
    assert any(m.startswith("optimizer.get_weights(): `k1.get_keras1_weights(x)`") for m in infos), infos
    assert not levels(result, Level.WARNING) and not levels(result, Level.ERROR)


def test_keras3_code_is_not_touched():
    # Keras 3 spelling and no Keras 1 evidence: get_weights is Keras 3's own.
    assert_converts(
        """
        from keras.layers import Dense
        layer = Dense(3, kernel_initializer='zeros')
        w = layer.get_weights()
        """,
        """
        from keras.layers import Dense
        layer = Dense(3, kernel_initializer='zeros')
        w = layer.get_weights()
        """)


def test_theano_convolution1d_initial_weights_are_flipped_too():
    # Every Keras 1 convolution Theano computed flipped, not only those with a channels-first
    # runtime class: Convolution1D's `weights=` arrays are Theano's as well.
    result = convert("""
        from keras.layers import Convolution1D, AtrousConvolution1D
        c = Convolution1D(2, 3, weights=[w, b])
        a = AtrousConvolution1D(2, 3, atrous_rate=2, weights=[w, b])
        """, keras1_backend="theano")
    assert result.code.count("[w, b], backend='theano')") == 2, result.code


def test_get_layer_marks_a_model_in_files_using_models():
    # Keras 1's mnist_net2net.py passes the teacher model to functions: only Keras models have
    # get_layer, so in a file using them any `x.get_layer(...)` is a layer of a model.
    assert_converts(
        """
        from keras.models import Sequential
        def copy_weights(teacher, student, names):
            for name in names:
                student.get_layer(name=name).set_weights(teacher.get_layer(name=name).get_weights())
            student.fit(x, y, nb_epoch=2)
            student.layers[0].set_weights(w)
        """,
        """
        from keras.models import Sequential
        import k1port.runtime as k1
        def copy_weights(teacher, student, names):
            for name in names:
                k1.set_keras1_weights(student.get_layer(name=name), k1.get_keras1_weights(teacher.get_layer(name=name)))
            student.fit(x, y, epochs=2)
            student.layers[0].set_weights(w)
        """)
