"""Models, compile/fit/evaluate/predict, optimizers, regularizers and constraints."""
from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level


def test_model_keywords_and_fit_default_epochs():
    # Keras 1 fit() trained nb_epoch=10 epochs by default; Keras 3 trains 1.
    assert_converts(
        """
        from keras.models import Model
        model = Model(input=a, output=b, name='m')
        model.fit(x, y)
        model.fit(x, y, batch_size=16, nb_epoch=3, validation_split=0.1)
        """,
        """
        from keras.models import Model
        model = Model(inputs=a, outputs=b, name='m')
        model.fit(x, y, epochs=10)
        model.fit(x, y, batch_size=16, epochs=3, validation_split=0.1)
        """)


def test_model_positional():
    assert_converts("from keras.models import Model\nm = Model(a, b)\n",
                    "from keras.models import Model\nm = Model(a, b)\n")


def test_sequential_positional_name_becomes_keyword():
    # Keras 3's second parameter is `trainable`.
    assert_converts("from keras.models import Sequential\nm = Sequential([], 'net')\n",
                    "from keras.models import Sequential\nm = Sequential([], name='net')\n")


def test_unknown_receiver_with_keras1_keyword():
    assert_converts("from keras.models import Model\nself.model.fit(x, y, nb_epoch=2)\n",
                    "from keras.models import Model\nself.model.fit(x, y, epochs=2)\n")


def test_unknown_receiver_without_keras1_keyword_is_reported_not_changed():
    result = convert("from keras.models import Model\nclf.fit(x, y)\n")
    assert result.code.endswith("clf.fit(x, y)\n")
    assert [f.kind for f in levels(result, Level.INFO)] == ["unknown-receiver"]


def test_compile_positional_metrics_and_sample_weight_mode():
    # Keras 1 compile(optimizer, loss, metrics, ...); Keras 3's third parameter is loss_weights.
    assert_converts(
        """
        from keras.models import Sequential
        m = Sequential()
        m.compile('sgd', 'mse', ['accuracy'], sample_weight_mode=None)
        """,
        """
        from keras.models import Sequential
        m = Sequential()
        m.compile('sgd', 'mse', metrics=['acc'])
        """)


def test_predict_states_keras1_verbose_default():
    assert_converts("from keras.models import Sequential\nm = Sequential()\np = m.predict(x)\n",
                    "from keras.models import Sequential\nm = Sequential()\np = m.predict(x, verbose=0)\n")


def test_optimizer_string_means_keras1_defaults():
    assert_converts(
        """
        from keras.models import Sequential
        m = Sequential()
        m.compile(optimizer='adam', loss='mse')
        m.compile(optimizer='sgd', loss='mse')
        m.compile(optimizer='adagrad', loss='mse')
        """,
        """
        from keras.models import Sequential
        import k1port.runtime as k1
        m = Sequential()
        m.compile(optimizer=k1.Adam(), loss='mse')
        m.compile(optimizer='sgd', loss='mse')
        m.compile(optimizer=k1.Adagrad(), loss='mse')
        """)


def test_losses_that_changed_meaning():
    assert_converts(
        """
        from keras.models import Sequential
        from keras import objectives
        m = Sequential()
        m.compile(optimizer='sgd', loss='hinge')
        m.compile(optimizer='sgd', loss=['mse', 'cosine_proximity'])
        f = objectives.mse
        """,
        """
        from keras.models import Sequential
        from keras import losses as objectives
        import k1port.runtime as k1
        m = Sequential()
        m.compile(optimizer='sgd', loss=k1.hinge)
        m.compile(optimizer='sgd', loss=['mse', k1.cosine_proximity])
        f = objectives.mean_squared_error
        """)


def test_optimizer_lr_decay_clipnorm():
    # Keras 1: lr / (1 + decay * iterations) == InverseTimeDecay(lr, 1, decay); clipnorm was global.
    assert_converts(
        """
        from keras.optimizers import SGD, Adamax
        a = SGD(lr=0.1, momentum=0.9, decay=1e-6, nesterov=True, clipnorm=1.0)
        b = SGD(0.05)
        c = Adamax()
        """,
        """
        from keras.optimizers import SGD
        from keras.optimizers.schedules import InverseTimeDecay
        import k1port.runtime as k1
        a = SGD(learning_rate=InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-6), momentum=0.9, nesterov=True, global_clipnorm=1.0)
        b = SGD(0.05)
        c = k1.Adamax()
        """)


def test_regularizers_and_constraints():
    assert_converts(
        """
        from keras.regularizers import l2, l1l2, activity_l1
        from keras.constraints import maxnorm, nonneg
        from keras.layers import Dense
        d = Dense(3, W_regularizer=l2(0.01), b_regularizer=l1l2(), activity_regularizer=activity_l1(0.1),
                  W_constraint=maxnorm(2), b_constraint=nonneg())
        """,
        """
        from keras.regularizers import l2, L1L2, l1
        from keras.constraints import MaxNorm, NonNeg
        from keras.layers import Dense
        import k1port.runtime as k1
        d = Dense(3, kernel_regularizer=l2(0.01), bias_regularizer=L1L2(l1=0.01, l2=0.01), activity_regularizer=k1.batch_sum(l1(0.1)),
                  kernel_constraint=MaxNorm(2), bias_constraint=NonNeg())
        """)


def test_keras3_file_is_left_alone():
    source = """
        from keras.layers import Dense, Conv2D
        from keras.models import Sequential
        m = Sequential([Conv2D(8, 3, padding='same'), Dense(units=3)])
        m.fit(x, y, epochs=2)
        """
    assert_converts(source, source)


def test_single_loss_with_loss_weights_becomes_one_per_output():
    # Keras 1 applied one loss to every output; Keras 3 rejects 1 loss with 2 loss_weights.
    assert_converts(
        """
        from keras.models import Model
        m = Model(input=a, output=[b, c])
        m.compile(optimizer='sgd', loss='mse', loss_weights=[1., 0.2])
        m.compile(optimizer='sgd', loss='mse', loss_weights={'o1': 1., 'o2': 0.2})
        """,
        """
        from keras.models import Model
        m = Model(inputs=a, outputs=[b, c])
        m.compile(optimizer='sgd', loss=['mse', 'mse'], loss_weights=[1., 0.2])
        m.compile(optimizer='sgd', loss={'o1': 'mse', 'o2': 'mse'}, loss_weights={'o1': 1., 'o2': 0.2})
        """)


def test_weights_files_go_through_the_runtime():
    assert_converts(
        """
        from keras.models import Sequential
        model = Sequential()
        model.load_weights('w.h5')
        model.load_weights(path, by_name=True)
        model.save_weights('w.h5', overwrite=True)
        """,
        """
        from keras.models import Sequential
        import k1port.runtime as k1
        model = Sequential()
        k1.load_weights(model, 'w.h5')
        k1.load_weights(model, path, by_name=True)
        k1.save_weights(model, 'w.h5', overwrite=True)
        """)


def test_keras1_backend_option_reaches_load_weights():
    assert_converts(
        "from keras.models import Sequential\nmodel = Sequential()\nmodel.load_weights('w.h5')\n",
        "from keras.models import Sequential\nimport k1port.runtime as k1\nmodel = Sequential()\n"
        "k1.load_weights(model, 'w.h5', backend='theano')\n", keras1_backend="theano")


def test_removed_metrics_come_from_the_runtime():
    assert_converts(
        """
        from keras.models import Sequential
        m = Sequential()
        m.compile(optimizer='sgd', loss='binary_crossentropy', metrics=['accuracy', 'fmeasure', 'precision', 'kld'])
        """,
        """
        from keras.models import Sequential
        from keras.metrics import BinaryAccuracy, KLDivergence
        import k1port.runtime as k1
        m = Sequential()
        m.compile(optimizer='sgd', loss=k1.binary_crossentropy, metrics=[BinaryAccuracy(name='acc'), k1.fmeasure, k1.precision, KLDivergence(name='kullback_leibler_divergence')])
        """)


def test_merge_of_sequential_models():
    # Keras 3's Sequential has one input: in a file merging models, Sequential is the
    # runtime's (which takes a MergeModels first layer); Merge of tensors stays k1.Merge.
    assert_converts(
        """
        from keras.models import Sequential
        from keras.layers import Dense, Merge
        left = Sequential()
        left.add(Dense(6, input_dim=5))
        right = Sequential([Dense(4, input_dim=3)])
        model = Sequential()
        model.add(Merge([left, right], mode='dot', dot_axes=[1, 1]))
        joined = Merge(mode='sum')([a, b])
        """,
        """
        from keras.layers import Dense
        import k1port.runtime as k1
        left = k1.Sequential()
        left.add(Dense(6, input_shape=(5,)))
        right = k1.Sequential([Dense(4, input_shape=(3,))])
        model = k1.Sequential()
        model.add(k1.MergeModels([left, right], mode='dot', dot_axes=[1, 1]))
        joined = k1.Merge(mode='sum')([a, b])
        """)


def test_sequential_stays_keras_without_merged_models():
    result = convert("""
        from keras.models import Sequential
        from keras.layers import Merge
        model = Sequential()
        joined = Merge(mode='concat')([a, b])
        m = Merge(layers=None, mode='sum')
        """)
    assert "model = Sequential()" in result.code and "k1.Sequential" not in result.code


def test_generator_methods_and_predict_classes_go_to_the_runtime():
    # Keras 3 removed them; k1.fit_generator counts an epoch in samples as Keras 1 did.
    assert_converts(
        """
        from keras.models import Sequential
        m = Sequential()
        m.fit_generator(gen(), samples_per_epoch=100, nb_epoch=3, validation_data=val(), nb_val_samples=20)
        loss = m.evaluate_generator(gen(), 50)
        p = m.predict_generator(gen(), val_samples=50)
        c = m.predict_classes(x, verbose=0)
        """,
        """
        from keras.models import Sequential
        import k1port.runtime as k1
        m = Sequential()
        k1.fit_generator(m, gen(), samples_per_epoch=100, nb_epoch=3, validation_data=val(), nb_val_samples=20)
        loss = k1.evaluate_generator(m, gen(), 50)
        p = k1.predict_generator(m, gen(), val_samples=50)
        c = k1.predict_classes(m, x, verbose=0)
        """)


def test_trainable_set_after_a_compile_is_reported():
    """The GAN pattern (mnist_acgan): Keras 1's discriminator kept training after
    `discriminator.trainable = False`, because its training function was made at compile."""
    source = ("from keras.models import Sequential\n"
              "d = Sequential()\n"
              "d.trainable = True\n"  # before any compile: the same in Keras 3
              "d.compile(loss='mse', optimizer='sgd')\n"
              "d.trainable = False\n")
    result = convert(source)
    warnings = [f for f in result.findings if f.kind == "trainable-after-compile"]
    assert [(f.line, f.level) for f in warnings] == [(5, Level.WARNING)]
    assert "# k1port: warning: Keras 1 fixed what a model trains" in result.code
    assert convert(result.code).code == result.code


def test_model_reset_states():
    """Keras 3 models have no reset_states(); their stateful layers do."""
    assert_converts("from keras.models import Sequential\nmodel = Sequential()\nmodel.reset_states()\n",
                    "from keras.models import Sequential\nimport k1port.runtime as k1\nmodel = Sequential()\n"
                    "k1.reset_states(model)\n")


def test_a_loss_reading_the_models_tensors_compiles_through_the_runtime():
    """The VAE: Keras 1 losses could close over intermediate tensors (the KL term); Keras 3's
    losses see (y_true, y_pred) only, so k1.compile builds the loss as a graph."""
    assert_converts(
        """
        from keras.layers import Input, Dense
        from keras.models import Model
        from keras import backend as K
        x = Input(shape=(4,))
        z_mean = Dense(2)(x)
        decoded = Dense(4)(z_mean)
        def vae_loss(y_true, y_pred):
            return K.mean(K.square(y_true - y_pred)) + K.mean(K.square(z_mean))
        def plain_loss(y_true, y_pred):
            return K.mean(K.square(y_true - y_pred))
        vae = Model(x, decoded)
        vae.compile(optimizer='sgd', loss=vae_loss)
        vae.compile('sgd', plain_loss)
        """,
        """
        from keras.layers import Input, Dense
        from keras.models import Model
        from keras import ops
        import k1port.runtime as k1
        x = Input(shape=(4,))
        z_mean = Dense(2)(x)
        decoded = Dense(4)(z_mean)
        def vae_loss(y_true, y_pred):
            return ops.mean(ops.square(y_true - y_pred)) + ops.mean(ops.square(z_mean))
        def plain_loss(y_true, y_pred):
            return ops.mean(ops.square(y_true - y_pred))
        vae = Model(x, decoded)
        k1.compile(vae, optimizer='sgd', loss=vae_loss)
        vae.compile('sgd', plain_loss)
        """)
