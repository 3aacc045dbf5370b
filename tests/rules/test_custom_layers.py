"""The Keras 1 custom-layer protocol: the statements that declared weights, constraints and
updates become runtime calls; K.zeros makes a variable where weights are made; tensor code
stops updating tensors in place. (Numbers: the oracle fixture custom_layers.)"""
from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level


def test_layer_protocol_statements():
    assert_converts(
        """
        from keras import backend as K
        from keras import initializations
        from keras.engine.topology import Layer
        class Center(Layer):
            def __init__(self, **kwargs):
                self.init = initializations.get('glorot_uniform')
                super(Center, self).__init__(**kwargs)
            def build(self, input_shape):
                self.W = self.init((input_shape[1],), name='W')
                self.mean = K.zeros((input_shape[1],))
                self.trainable_weights = [self.W]
                self.non_trainable_weights = [self.mean]
                self.constraints = {self.W: self.W_constraint}
                self.constraints[self.mean] = None
                self.regularizers = []
                if self.W_regularizer:
                    self.regularizers.append(self.W_regularizer)
            def call(self, x, mask=None):
                self.updates = [(self.mean, K.mean(x, axis=0))]
                x -= K.zeros((1,))
                return K.in_train_phase(x * self.W, x)
        """,
        """
        from keras import ops
        from keras.layers import Layer
        import k1port.runtime as k1
        class Center(Layer):
            def __init__(self, **kwargs):
                self.init = k1.initializations.get('glorot_uniform')
                super(Center, self).__init__(**kwargs)
            def build(self, input_shape):
                self.W = self.init((input_shape[1],), name='W')
                self.mean = k1.zeros((input_shape[1],))
                k1.set_trainable_weights(self, [self.W])
                k1.set_non_trainable_weights(self, [self.mean])
                k1.set_constraints(self, [(self.W, self.W_constraint)])
                k1.set_constraints(self, [(self.mean, None)])
                if self.W_regularizer:
                    pass
            def call(self, x, mask=None):
                k1.add_updates(self, [(self.mean, ops.mean(x, axis=0))])
                x = x - ops.zeros((1,))
                return k1.with_updates(self, k1.in_train_phase(x * self.W, x))
        """)


def test_deprecated_regularizer_methods_are_reported():
    # Keras 1.2.2 made set_param/set_layer no-ops: kept (they still do nothing), reported.
    result = convert("""
        from keras import regularizers
        from keras.engine.topology import Layer
        class L(Layer):
            def __init__(self, W_regularizer=None, **kwargs):
                self.W_regularizer = regularizers.get(W_regularizer)
                super(L, self).__init__(**kwargs)
            def build(self, input_shape):
                self.W_regularizer.set_param(self.W)
        """)
    assert "self.W_regularizer = k1.regularizers.get(W_regularizer)" in result.code
    assert "self.W_regularizer.set_param(self.W)" in result.code
    assert [f.line for f in levels(result, Level.WARNING)] == [8]


def test_augmented_assignments_only_in_tensor_code():
    # Tensor code (a layer's call, a function using K.*): `x /= y` -> `x = x / y`; other
    # functions keep theirs.
    result = convert("""
        from keras import backend as K
        def loss(y_true, y_pred):
            y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
            total = 0
            for i in range(3):
                total += i
            return total * K.mean(y_pred)
        def count(items):
            n = 0
            for i in items:
                n += i
            return n
        """)
    assert "y_pred = y_pred / ops.sum(y_pred, axis=-1, keepdims=True)" in result.code
    assert "total = total + i" in result.code
    assert "n += i" in result.code


def test_recurrent_subclass_takes_the_runtime_base():
    # Keras 3 has no base class for step()-written recurrent layers; k1.Recurrent runs it.
    assert_converts(
        """
        from keras import backend as K
        from keras.layers.recurrent import Recurrent
        class MinimalRNN(Recurrent):
            def step(self, x, states):
                h = K.dot(x, self.W) + K.dot(states[0], self.U)
                h *= 0.5
                return h, [h]
        """,
        """
        from keras import ops
        import k1port.runtime as k1
        class MinimalRNN(k1.Recurrent):
            def step(self, x, states):
                h = ops.dot(x, self.W) + ops.dot(states[0], self.U)
                h = h * 0.5
                return h, [h]
        """)


def test_subclassed_lstm_takes_keras1s_implementation():
    # class X(LSTM) reaches into Keras 1's internals (W_i, step): k1.LSTM has them; a plain
    # LSTM(...) call stays Keras 3's.
    result = convert("""
        from keras.layers import LSTM, GRU, SimpleRNN
        class GatedLSTM(LSTM):
            def step(self, x, states):
                return super(GatedLSTM, self).step(x, states)
        class G(GRU):
            pass
        class S(SimpleRNN):
            pass
        layer = LSTM(4)
        """)
    assert "class GatedLSTM(k1.LSTM):" in result.code
    assert "class G(k1.GRU):" in result.code and "class S(k1.SimpleRNN):" in result.code
    assert "layer = LSTM(4, " in result.code
