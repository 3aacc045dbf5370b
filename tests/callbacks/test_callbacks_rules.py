"""Before/after: callbacks, metric names and the training API (rules/callbacks.py, rules/models.py)."""
from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level


def test_callbacks_with_keras1_counting_become_the_runtimes():
    assert_converts(
        """
        from keras.callbacks import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, BaseLogger
        es = EarlyStopping(monitor='val_acc', patience=2)
        mc = ModelCheckpoint('w.{epoch:02d}.hdf5', save_weights_only=True, period=2)
        rl = ReduceLROnPlateau(epsilon=0.01, cooldown=1)
        ls = LearningRateScheduler(lambda epoch: 0.1 / (1 + epoch))
        bl = BaseLogger()
        """,
        """
        import k1port.runtime as k1
        es = k1.EarlyStopping(monitor='val_acc', patience=2)
        mc = k1.ModelCheckpoint('w.{epoch:02d}.hdf5', save_weights_only=True, period=2)
        rl = k1.ReduceLROnPlateau(epsilon=0.01, cooldown=1)
        ls = k1.LearningRateScheduler(lambda epoch: 0.1 / (1 + epoch))
        bl = k1.BaseLogger()
        """)


def test_callback_subclass_gets_keras1_params():
    assert_converts(
        """
        import keras.callbacks
        from keras.callbacks import Callback
        class A(Callback):
            def on_epoch_end(self, epoch, logs={}):
                print(self.params['nb_epoch'], self.model.optimizer.lr)
        class B(keras.callbacks.Callback):
            pass
        """,
        """
        import k1port.runtime as k1
        class A(k1.Callback):
            def on_epoch_end(self, epoch, logs={}):
                print(self.params['nb_epoch'], self.model.optimizer.learning_rate)
        class B(k1.Callback):
            pass
        """)


def test_remote_monitor_states_keras1_headers_and_tensorboard_keeps_its_arguments():
    assert_converts(
        """
        from keras.callbacks import RemoteMonitor, TensorBoard, CSVLogger
        rm = RemoteMonitor(root='http://h:9000')
        tb = TensorBoard(log_dir='./logs', histogram_freq=1, write_graph=False)
        cl = CSVLogger('log.csv', separator=';', append=True)
        """,
        """
        from keras.callbacks import RemoteMonitor, TensorBoard, CSVLogger
        rm = RemoteMonitor(root='http://h:9000', headers={'Accept': 'application/json', 'Content-Type': 'application/json'})
        tb = TensorBoard(log_dir='./logs', histogram_freq=1, write_graph=False)
        cl = CSVLogger('log.csv', separator=';', append=True)
        """)


def test_metrics_get_keras1_names():
    assert_converts(
        """
        from keras.models import Sequential
        m = Sequential()
        m.compile('sgd', 'mse', metrics=['accuracy', 'mae', 'MSE', 'kld'])
        m.compile('sgd', 'binary_crossentropy', metrics=['acc'])
        """,
        """
        from keras.models import Sequential
        from keras.metrics import KLDivergence, BinaryAccuracy
        import k1port.runtime as k1
        m = Sequential()
        m.compile('sgd', 'mse', metrics=['acc', 'mean_absolute_error', 'mean_squared_error', KLDivergence(name='kullback_leibler_divergence')])
        m.compile('sgd', k1.binary_crossentropy, metrics=[BinaryAccuracy(name='acc')])
        """)


def test_fit_with_callbacks_goes_through_the_runtime_and_old_arguments_drop():
    source = """
        from keras.models import Sequential
        m = Sequential()
        h = m.fit(x, y, nb_epoch=3, callbacks=[cb], show_accuracy=True)
        m.fit(x, y, 16, 2, show_accuracy=True)
        m.evaluate(x, y, show_accuracy=True)
        m.train_on_batch(x, y, accuracy=True)
        m.compile('sgd', 'mse', class_mode='binary')
        """
    assert_converts(source, """
        from keras.models import Sequential
        import k1port.runtime as k1
        m = Sequential()
        h = k1.fit(m, x, y, nb_epoch=3, callbacks=[cb])
        m.fit(x, y, 16, 2)
        m.evaluate(x, y)
        m.train_on_batch(x, y)
        m.compile('sgd', 'mse')
        """)
    assert {f.kind for f in levels(convert(source), Level.INFO)} == {"dropped-argument"}


def test_model_api_keras3_removed():
    assert_converts(
        """
        from keras.models import Model
        m = Model(input=a, output=b)
        names = m.metrics_names
        text = m.to_yaml()
        m.save('model.hdf5')
        m.summary()
        """,
        """
        from keras.models import Model
        import k1port.runtime as k1
        m = Model(inputs=a, outputs=b)
        names = k1.metrics_names(m)
        text = k1.to_yaml(m)
        k1.save_model(m, 'model.hdf5')
        m.summary()
        """)
