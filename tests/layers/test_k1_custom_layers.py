"""Custom layers written against the Keras 1 layer protocol convert and behave (TF backend)."""
import numpy as np

from k1layers_harness import convert_and_run

SOURCE = '''
from keras.engine.topology import Layer
from keras import backend as K
from keras.models import Sequential

class Scale(Layer):
    """y = x * w + b, per feature (a Keras 1 custom layer of 2016)."""
    def __init__(self, **kwargs):
        super(Scale, self).__init__(**kwargs)

    def build(self, input_shape):
        self.w = self.add_weight((input_shape[1],), 'one', 'w')
        self.b = K.variable(np.zeros((input_shape[1],)) + 0.5)
        self.trainable_weights = [self.w, self.b]

    def call(self, x, mask=None):
        return x * self.w + self.b

    def get_output_shape_for(self, input_shape):
        return input_shape

class Antirectifier(Layer):
    def get_output_shape_for(self, input_shape):
        shape = list(input_shape)
        shape[-1] *= 2
        return tuple(shape)

    def call(self, x, mask=None):
        x -= K.mean(x, axis=1, keepdims=True)
        x = K.l2_normalize(x, axis=1)
        return K.concatenate([K.relu(x), K.relu(-x)], axis=1)

model = Sequential([Scale(input_shape=(3,)), Antirectifier()])
'''


def test_custom_layers_convert_and_compute_keras1_results():
    run = convert_and_run("import numpy as np\n" + SOURCE)
    assert "compute_output_shape" in run.code, run.describe()
    assert "k1.set_trainable_weights(self, [self.w, self.b])" in run.code, run.describe()
    model = run.ns["model"]
    x = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]], dtype="float32")
    got = model.predict(x, verbose=0)
    # Keras 1: scale (w = 1, b = 0.5), center per sample, l2-normalize, then [relu(x), relu(-x)].
    y = x * 1.0 + 0.5
    y = y - y.mean(axis=1, keepdims=True)
    y = y / np.sqrt(np.maximum((y ** 2).sum(axis=1, keepdims=True), 1e-7))
    want = np.concatenate([np.maximum(y, 0), np.maximum(-y, 0)], axis=1)
    np.testing.assert_allclose(got, want, atol=1e-6)
    assert model.output_shape == (None, 6)
    assert len(model.trainable_weights) == 2  # w and b


def test_embedding_word_dropout():
    # Keras 1: in training, whole rows (words) of W are dropped for the batch, kept rows scaled
    # by 1 / (1 - p); at inference W as is.
    run = convert_and_run("from keras.layers import Embedding\nlayer = Embedding(50, 4, dropout=0.5)\n")
    assert "k1.Embedding(50, 4, dropout=0.5)" in run.code, run.describe()
    layer = run.ns["layer"]
    words = np.array([[1, 2, 1, 3, 2, 1]] * 8, dtype="int32")
    plain = np.asarray(layer(words))
    trained = np.asarray(layer(words, training=True))
    ratio = trained / plain
    assert set(np.round(np.unique(ratio), 5)) <= {0.0, 2.0}
    for word in (1, 2, 3):  # the same decision for a word everywhere in the batch
        assert len(np.unique(np.round(ratio[words == word], 5))) == 1
    np.testing.assert_allclose(np.asarray(layer(words)), plain)


def test_keras1_initializer_functions_called_by_user_code():
    run = convert_and_run(
        "from keras.initializations import normal, identity\nfrom keras.layers import SimpleRNN\n"
        "layer = SimpleRNN(6, init=lambda shape, name: normal(shape, scale=0.001, name=name),\n"
        "                  inner_init=lambda shape, name: identity(shape, scale=1.0, name=name), activation='relu')\n")
    layer = run.ns["layer"]
    layer.build((None, 3, 4))
    kernel, recurrent, _ = [np.asarray(w) for w in layer.get_weights()]
    np.testing.assert_allclose(recurrent, np.identity(6))  # mnist_irnn's IRNN
    assert kernel.shape == (4, 6) and np.abs(kernel).max() < 0.01
