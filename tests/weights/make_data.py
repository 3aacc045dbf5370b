"""Generate the Keras 1 weight files under tests/weights/data/ with the real Keras 1.2.2.

Run inside the Keras 1.2.2 / Theano oracle (never by pytest; the outputs are committed):

    tests/oracle/run.sh tests/weights/make_data.py      # the project's oracle
    /path/to/k1oracle/run.sh tests/weights/make_data.py  # any copy of shared/oracle

For every model below it writes ``data/<name>.h5`` (``model.save_weights``; ``mlp`` also
``data/mlp_model.h5`` with ``model.save``) and ``data/<name>.npz`` holding the fixed inputs
(``x0``, ``x1``, ...) and Keras 1's predictions on them (``y``). Every weight is set to
seeded random values (biases and BatchNormalization statistics included, so that a weight
loaded into the wrong place changes the predictions), and the script is deterministic:
rerunning it rewrites identical arrays. test_weights.py rebuilds each model in Keras 3,
loads the .h5 with k1port.runtime.weights and compares with ``y``.
"""
from __future__ import print_function

import os
import sys

import numpy as np

import keras
from keras import backend as K
from keras.layers import (
    GRU, LSTM, AtrousConvolution2D, BatchNormalization, Bidirectional, ConvLSTM2D,
    Convolution1D, Convolution2D, Convolution3D, Deconvolution2D, Dense, Dropout, Embedding,
    Flatten, Input, MaxPooling2D, PReLU, SimpleRNN, TimeDistributed, merge,
)
from keras.models import Model, Sequential

assert keras.__version__ == "1.2.2" and K.backend() == "theano", (keras.__version__, K.backend())

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
MODELS = []


def model(fn):
    MODELS.append(fn)
    return fn


def rand(rng, *shape):
    return rng.uniform(-1, 1, shape).astype("float32")


def leaf_layers(layer):
    inner = getattr(layer, "layers", None)
    if inner:
        return [leaf for sub in inner for leaf in leaf_layers(sub)]
    return [layer]


def randomize(m, seed):
    """Seeded random weights everywhere; BatchNormalization variances stay positive."""
    rng = np.random.RandomState(seed)
    m.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in m.get_weights()])
    for layer in leaf_layers(m):
        if isinstance(layer, BatchNormalization):
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights([gamma + 1.0, beta, mean, rng.uniform(0.5, 1.5, var.shape).astype("float32")])


# --- the models: each returns (model, [inputs]) ---------------------------------------------

@model
def mlp(rng):
    m = Sequential()
    m.add(Dense(6, input_dim=5, activation="relu"))
    m.add(Dropout(0.5))
    m.add(Dense(3, activation="softmax"))
    return m, [rand(rng, 4, 5)]


@model
def conv_th(rng):
    m = Sequential()
    m.add(Convolution2D(4, 3, 2, dim_ordering="th", activation="relu", input_shape=(2, 7, 6)))
    m.add(MaxPooling2D((2, 2), dim_ordering="th"))
    m.add(Flatten())
    m.add(Dense(3))
    return m, [rand(rng, 3, 2, 7, 6)]


@model
def conv_tf(rng):
    m = Sequential()
    m.add(Convolution2D(4, 3, 2, dim_ordering="tf", activation="relu", input_shape=(7, 6, 2)))
    m.add(MaxPooling2D((2, 2), dim_ordering="tf"))
    m.add(Flatten())
    m.add(Dense(3))
    return m, [rand(rng, 3, 7, 6, 2)]


@model
def atrous_th(rng):
    m = Sequential()
    m.add(AtrousConvolution2D(3, 3, 2, atrous_rate=(2, 2), dim_ordering="th", input_shape=(2, 8, 7)))
    return m, [rand(rng, 2, 2, 8, 7)]


@model
def conv1d(rng):
    m = Sequential()
    m.add(Convolution1D(4, 3, activation="tanh", input_shape=(9, 2)))
    m.add(Flatten())
    m.add(Dense(2))
    return m, [rand(rng, 3, 9, 2)]


@model
def conv3d_th(rng):
    m = Sequential()
    # Output (3, 3, 3, 4): a last axis as long as the filter count would meet Keras 3.15's
    # TensorFlow ops.add, which adds a (1, C, 1, 1, 1) bias along the last axis then.
    m.add(Convolution3D(3, 2, 3, 2, dim_ordering="th", input_shape=(2, 4, 5, 5)))
    return m, [rand(rng, 2, 2, 4, 5, 5)]


@model
def conv3d_tf(rng):
    m = Sequential()
    m.add(Convolution3D(3, 2, 3, 2, dim_ordering="tf", input_shape=(4, 5, 4, 2)))
    return m, [rand(rng, 2, 4, 5, 4, 2)]


@model
def deconv_th(rng):
    m = Sequential()
    m.add(Deconvolution2D(3, 3, 2, output_shape=(None, 3, 15, 14), subsample=(2, 2),
                          dim_ordering="th", input_shape=(2, 7, 7)))
    return m, [rand(rng, 2, 2, 7, 7)]


@model
def deconv_tf(rng):
    m = Sequential()
    m.add(Deconvolution2D(3, 3, 2, output_shape=(None, 15, 14, 3), subsample=(2, 2),
                          dim_ordering="tf", input_shape=(7, 7, 2)))
    return m, [rand(rng, 2, 7, 7, 2)]


@model
def lstm_cpu(rng):
    m = Sequential()
    m.add(LSTM(4, return_sequences=True, input_shape=(6, 3)))
    return m, [rand(rng, 3, 6, 3)]


@model
def lstm_gpu(rng):
    m = Sequential()
    m.add(LSTM(4, return_sequences=True, consume_less="gpu", input_shape=(6, 3)))
    return m, [rand(rng, 3, 6, 3)]


@model
def gru_cpu(rng):
    m = Sequential()
    m.add(GRU(4, return_sequences=True, input_shape=(6, 3)))
    return m, [rand(rng, 3, 6, 3)]


@model
def gru_gpu(rng):
    m = Sequential()
    m.add(GRU(4, return_sequences=True, consume_less="gpu", input_shape=(6, 3)))
    return m, [rand(rng, 3, 6, 3)]


@model
def simple_rnn(rng):
    m = Sequential()
    m.add(SimpleRNN(4, return_sequences=True, input_shape=(6, 3)))
    return m, [rand(rng, 3, 6, 3)]


@model
def bn_th(rng):
    m = Sequential()
    m.add(Convolution2D(3, 3, 3, dim_ordering="th", input_shape=(2, 6, 6)))
    m.add(BatchNormalization(axis=1))
    m.add(Flatten())
    m.add(Dense(2))
    return m, [rand(rng, 3, 2, 6, 6)]


@model
def embed_lstm(rng):
    m = Sequential()
    m.add(Embedding(10, 4, input_length=5))
    m.add(LSTM(3))
    return m, [rng.randint(0, 10, (4, 5)).astype("int32")]


@model
def time_distributed(rng):
    m = Sequential()
    m.add(TimeDistributed(Dense(3, activation="tanh"), input_shape=(4, 5)))
    m.add(Flatten())
    m.add(Dense(2))
    return m, [rand(rng, 3, 4, 5)]


@model
def bidirectional(rng):
    m = Sequential()
    m.add(Bidirectional(LSTM(3, return_sequences=True), input_shape=(5, 2)))
    return m, [rand(rng, 3, 5, 2)]


@model
def convlstm_th(rng):
    m = Sequential()
    m.add(ConvLSTM2D(3, 3, 3, dim_ordering="th", border_mode="same", return_sequences=True,
                     input_shape=(3, 2, 5, 5)))
    return m, [rand(rng, 2, 3, 2, 5, 5)]


@model
def prelu(rng):
    m = Sequential()
    m.add(Dense(4, input_dim=3))
    m.add(PReLU())
    return m, [rand(rng, 5, 3)]


@model
def shared_functional(rng):
    """A shared layer at two depths. merge() lists the shallow use first, so Keras 1's
    depth-first walk reaches ``shared`` at depth 2 before depth 4 and gives ``b1`` depth 3:
    Keras 1 orders the weighted layers a1, shared, b1, c1, c2, out; Keras 3's Functional
    (which raises a node to its layer's deepest depth first) orders them b1, a1, shared, ..."""
    a = Input(shape=(4,), name="in_a")
    b = Input(shape=(4,), name="in_b")
    a1 = Dense(4, activation="tanh", name="a1")
    b1 = Dense(4, activation="tanh", name="b1")
    shared = Dense(4, activation="tanh", name="shared")
    c1 = Dense(4, activation="tanh", name="c1")
    c2 = Dense(4, activation="tanh", name="c2")
    ta = c2(c1(shared(a1(a))))
    tb = shared(b1(b))
    out = Dense(3, name="out")(merge([tb, ta], mode="concat"))
    return Model(input=[a, b], output=out), [rand(rng, 3, 4), rand(rng, 3, 4)]


@model
def nested_sequential(rng):
    """A Sequential (with BatchNormalization) used as a layer of a functional model."""
    inner = Sequential(name="inner")
    inner.add(Dense(4, activation="tanh", input_dim=3))
    inner.add(BatchNormalization())
    inner.add(Dense(4))
    x = Input(shape=(3,))
    out = Dense(2)(inner(x))
    return Model(input=x, output=out), [rand(rng, 4, 3)]


@model
def convlstm_tf(rng):
    m = Sequential()
    # An odd square kernel: the recurrent convolution is always 'same', which Theano pads
    # differently from TensorFlow for even kernel sizes.
    m.add(ConvLSTM2D(3, 3, 3, dim_ordering="tf", border_mode="valid", return_sequences=True,
                     input_shape=(3, 6, 5, 2)))
    return m, [rand(rng, 2, 3, 6, 5, 2)]


def main():
    if not os.path.isdir(OUT):
        os.makedirs(OUT)
    only = set(sys.argv[1:])
    for seed, fn in enumerate(MODELS):
        name = fn.__name__
        if only and name not in only:
            continue
        rng = np.random.RandomState(1000 + seed)
        m, inputs = fn(rng)
        randomize(m, seed)
        y = m.predict(inputs if len(inputs) > 1 else inputs[0], batch_size=64)
        path = os.path.join(OUT, name + ".h5")
        if os.path.exists(path):
            os.remove(path)
        m.save_weights(path)
        arrays = dict(("x%d" % i, x) for i, x in enumerate(inputs))
        np.savez_compressed(os.path.join(OUT, name + ".npz"), y=y, **arrays)
        if name == "mlp":
            m.compile(optimizer="sgd", loss="mse")
            full = os.path.join(OUT, "mlp_model.h5")
            if os.path.exists(full):
                os.remove(full)
            m.save(full)
        print(name, [layer.name for layer in m.layers], y.shape, os.path.getsize(path))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
