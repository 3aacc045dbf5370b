"""Before/after pairs for the layer tables (each pair written from Keras 1.2.2 semantics)."""
import pytest

from convert_helpers import assert_converts, convert
from k1port.api import convert_source
from k1port.findings import Level

IMPORT = "from keras.layers import {}\n"

CASES = [
    # The trap: Conv2D(64, 3, 3) is valid Keras 3 and means strides=3.
    ("conv2d_fold", "Convolution2D(64, 3, 3, border_mode='same')",
     "Conv2D(64, (3, 3), padding='same')", "Conv2D"),
    ("conv2d_alias_keras1_args", "Conv2D(64, 3, 3, border_mode='valid')",
     "Conv2D(64, (3, 3), padding='valid')", "Conv2D"),
    ("conv2d_alias_positional_only", "Conv2D(64, 3, 5)", "Conv2D(64, (3, 5))", "Conv2D"),
    ("conv2d_positional_init_activation", "Convolution2D(64, 3, 3, 'glorot_uniform', 'relu')",
     "Conv2D(64, (3, 3), kernel_initializer='glorot_uniform', activation='relu')", "Conv2D"),
    ("conv2d_subsample_bias_tf", "Convolution2D(8, 3, 3, subsample=(2, 2), bias=False, dim_ordering='tf')",
     "Conv2D(8, (3, 3), strides=(2, 2), use_bias=False, data_format='channels_last')", "Conv2D"),
    ("atrous2d", "AtrousConvolution2D(8, 3, 3, atrous_rate=(2, 2))",
     "Conv2D(8, (3, 3), dilation_rate=(2, 2))", "Conv2D"),
    ("conv1d", "Convolution1D(16, 5, border_mode='same', subsample_length=2, input_dim=8, input_length=20, "
               "init='uniform')",
     "Conv1D(16, 5, padding='same', strides=2, input_shape=(20, 8), kernel_initializer='uniform')", "Conv1D"),
    ("conv3d", "Convolution3D(4, 3, 3, 3, subsample=(1, 1, 1), init='zero')",
     "Conv3D(4, (3, 3, 3), strides=(1, 1, 1), kernel_initializer='zeros')", "Conv3D"),
    ("dense_positional", "Dense(10, 'uniform', 'relu')",
     "Dense(10, kernel_initializer='uniform', activation='relu')", "Dense"),
    ("dense_input_dim", "Dense(32, input_dim=784)", "Dense(32, input_shape=(784,))", "Dense"),
    ("dense_regularizers", "Dense(3, W_regularizer=w, b_regularizer=b, W_constraint=c, b_constraint=d, bias=True)",
     "Dense(3, kernel_regularizer=w, bias_regularizer=b, kernel_constraint=c, bias_constraint=d, use_bias=True)",
     "Dense"),
    ("dense_unchanged", "Dense(64, activation='relu')", "Dense(64, activation='relu')", "Dense"),
    ("dropout", "Dropout(0.5)", "Dropout(0.5)", "Dropout"),
    ("dropout_keyword", "Dropout(p=0.5)", "Dropout(rate=0.5)", "Dropout"),
    ("maxpool1d", "MaxPooling1D(pool_length=2, stride=1, border_mode='valid')",
     "MaxPooling1D(pool_size=2, strides=1, padding='valid')", "MaxPooling1D"),
    ("maxpool2d_tf", "MaxPooling2D((2, 2), border_mode='same', dim_ordering='tf')",
     "MaxPooling2D((2, 2), padding='same', data_format='channels_last')", "MaxPooling2D"),
    ("upsampling1d", "UpSampling1D(length=3)", "UpSampling1D(size=3)", "UpSampling1D"),
    ("zeropadding2d_four", "ZeroPadding2D(padding=(1, 2, 3, 4), dim_ordering='tf')",
     "ZeroPadding2D(padding=((1, 2), (3, 4)), data_format='channels_last')", "ZeroPadding2D"),
    ("gaussian_noise", "GaussianNoise(0.1)", "GaussianNoise(0.1)", "GaussianNoise"),
    ("gaussian_noise_kw", "GaussianNoise(sigma=0.1)", "GaussianNoise(stddev=0.1)", "GaussianNoise"),
    ("leaky_relu", "LeakyReLU(alpha=0.1)", "LeakyReLU(negative_slope=0.1)", "LeakyReLU"),
    ("embedding", "Embedding(1000, 64, input_length=10, mask_zero=True)",
     "Embedding(1000, 64, input_shape=(10,), mask_zero=True)", "Embedding"),
    ("embedding_init", "Embedding(1000, 64, init='uniform', W_regularizer=r)",
     "Embedding(1000, 64, embeddings_initializer='uniform', embeddings_regularizer=r)", "Embedding"),
    ("batchnorm_mode0", "BatchNormalization(mode=0, axis=1)", "BatchNormalization(axis=1)", "BatchNormalization"),
    ("batchnorm_inits", "BatchNormalization(beta_init='zero', gamma_init='one')",
     "BatchNormalization(beta_initializer='zeros', gamma_initializer='ones')", "BatchNormalization"),
    ("thresholded_relu", "ThresholdedReLU(theta=0.5)", "ReLU(threshold=0.5)", "ReLU"),
    ("prelu", "PReLU(init='zero')", "PReLU(alpha_initializer='zeros')", "PReLU"),
]


@pytest.mark.parametrize("name,before,after,k3name", CASES, ids=[c[0] for c in CASES])
def test_layer(name, before, after, k3name):
    k1name = before.split("(", 1)[0]
    assert_converts(IMPORT.format(k1name) + f"layer = {before}\n",
                    IMPORT.format(k3name) + f"layer = {after}\n", image_dim_ordering="tf")


RECURRENT = [
    # consume_less 'cpu' (the default) and 'mem': one kernel and one recurrent matrix per gate,
    # all drawn with init (Keras 1.2.2 ignored inner_init there).
    ("lstm_defaults", "LSTM(32)",
     "LSTM(32, kernel_initializer=k1.PerGate('glorot_uniform', 4), recurrent_initializer=k1.PerGate("
     "'glorot_uniform', 4), recurrent_activation=k1.hard_sigmoid)"),
    ("lstm_gpu", "LSTM(32, consume_less='gpu')",
     "LSTM(32, recurrent_initializer=Orthogonal(gain=1.1), recurrent_activation=k1.hard_sigmoid)"),
    ("lstm_keras1_args", "LSTM(8, inner_activation='sigmoid', dropout_W=0.2, dropout_U=0.1, return_sequences=True, "
                         "consume_less='gpu')",
     "LSTM(8, recurrent_activation='sigmoid', dropout=0.2, recurrent_dropout=0.1, return_sequences=True, "
     "recurrent_initializer=Orthogonal(gain=1.1))"),
    ("lstm_input_dim", "LSTM(8, input_dim=5, inner_init='glorot_uniform', inner_activation='tanh', consume_less='mem')",
     "LSTM(8, input_shape=(None, 5), recurrent_initializer=k1.PerGate('glorot_uniform', 4), "
     "recurrent_activation='tanh', kernel_initializer=k1.PerGate('glorot_uniform', 4))"),
    ("lstm_forget_bias_zero", "LSTM(8, forget_bias_init='zero', inner_init='orthogonal', inner_activation='sigmoid', "
                              "consume_less='gpu')",
     "LSTM(8, unit_forget_bias=False, recurrent_initializer=Orthogonal(gain=1.1), recurrent_activation='sigmoid')"),
    # he_normal reads fan_in, which each gate's block shares with the whole matrix: no wrapper.
    ("lstm_init_fan_in", "LSTM(8, init='he_uniform', inner_activation='sigmoid')",
     "LSTM(8, kernel_initializer='he_uniform', recurrent_activation='sigmoid', recurrent_initializer='he_uniform')"),
    ("lstm_init_orthogonal", "LSTM(8, init='orthogonal', inner_activation='sigmoid')",
     "LSTM(8, kernel_initializer=k1.PerGate(Orthogonal(gain=1.1), 4), recurrent_activation='sigmoid', "
     "recurrent_initializer=k1.PerGate(Orthogonal(gain=1.1), 4))"),
    ("lstm_init_variable", "LSTM(8, init=my_init, inner_activation='sigmoid')",
     "LSTM(8, kernel_initializer=k1.initializer(my_init, gates=4), recurrent_activation='sigmoid', "
     "recurrent_initializer=k1.initializer(my_init, gates=4))"),
    ("gru_reset_before", "GRU(8, inner_activation='sigmoid', inner_init='identity', consume_less='gpu')",
     "GRU(8, recurrent_activation='sigmoid', recurrent_initializer='identity', reset_after=False)"),
    ("gru_per_gate", "GRU(8, init='uniform', inner_activation='sigmoid')",
     "GRU(8, kernel_initializer='uniform', recurrent_activation='sigmoid', recurrent_initializer='uniform', "
     "reset_after=False)"),
    ("simple_rnn", "SimpleRNN(8, inner_init='identity', activation='relu')",
     "SimpleRNN(8, recurrent_initializer='identity', activation='relu')"),
    ("simple_rnn_defaults", "SimpleRNN(8)", "SimpleRNN(8, recurrent_initializer=Orthogonal(gain=1.1))"),
    # ConvLSTM2D: one kernel per gate; its 'tf' kernels had 'th' fans and orthogonal rows.
    ("conv_lstm_th", "ConvLSTM2D(8, 3, 3, dim_ordering='th', inner_activation='sigmoid', subsample=(1, 1))",
     "k1.ConvLSTM2D(8, (3, 3), data_format='channels_first', recurrent_activation='sigmoid', strides=(1, 1), "
     "kernel_initializer=k1.PerGate('glorot_uniform', 4), recurrent_initializer=k1.PerGate(Orthogonal(gain=1.1), "
     "4))"),
    ("conv_lstm_tf", "ConvLSTM2D(8, 3, 3, dim_ordering='tf', init='uniform', inner_activation='sigmoid', "
                     "subsample=(1, 1))",
     "ConvLSTM2D(8, (3, 3), data_format='channels_last', kernel_initializer='uniform', "
     "recurrent_activation='sigmoid', strides=(1, 1), recurrent_initializer=k1.PerGate(k1.Keras1Layout("
     "Orthogonal(gain=1.1), 'convlstm2d_tf'), 4))"),
]


@pytest.mark.parametrize("name,before,after", RECURRENT, ids=[c[0] for c in RECURRENT])
def test_recurrent(name, before, after):
    k1name = before.split("(", 1)[0]
    imports = f"from keras.layers import {k1name}\n"
    if "Orthogonal" in after:
        imports += "from keras.initializers import Orthogonal\n"
    k3name = after.split("(", 1)[0]
    if k3name != k1name and not k3name.startswith("k1."):
        imports = imports.replace(f"import {k1name}\n", f"import {k3name}\n")
    elif k3name.startswith("k1."):
        imports = imports.replace(f"from keras.layers import {k1name}\n", "")
    if "k1." in after:
        imports += "import k1port.runtime as k1\n"
    assert_converts(f"from keras.layers import {k1name}\nlayer = {before}\n", imports + f"layer = {after}\n")


HE_NORMAL = "VarianceScaling(scale=2.0, mode='fan_in', distribution='untruncated_normal')"
# Keras 1 kernels with other axes or fans than Keras 3's: initializers that read the shape
# draw in Keras 1's layout (k1.Keras1Layout); the others need nothing.
KERNEL_INIT = [
    ("conv1d_default", "Convolution1D(32, 3)", "Conv1D(32, 3, kernel_initializer=k1.Keras1Layout('glorot_uniform', "
                                               "'conv1d'))"),
    ("conv1d_he_normal", "Convolution1D(32, 3, init='he_normal')",
     f"Conv1D(32, 3, kernel_initializer=k1.Keras1Layout({HE_NORMAL}, 'conv1d'))"),
    ("conv1d_variable", "AtrousConvolution1D(32, 3, init=init)",
     "Conv1D(32, 3, kernel_initializer=k1.initializer(init, layout='conv1d'))"),
    ("conv2d_tf_orthogonal", "Convolution2D(8, 3, 3, init='orthogonal', dim_ordering='tf')",
     "Conv2D(8, (3, 3), kernel_initializer=k1.Keras1Layout(Orthogonal(gain=1.1), 'conv_tf'), "
     "data_format='channels_last')"),
    ("conv2d_th_orthogonal", "Convolution2D(8, 3, 3, init='orthogonal', dim_ordering='th')",
     "k1.Conv2D(8, (3, 3), kernel_initializer=Orthogonal(gain=1.1), data_format='channels_first')"),
    ("conv2d_th_variable", "Convolution2D(8, 3, 3, init=init, dim_ordering='th')",
     "k1.Conv2D(8, (3, 3), kernel_initializer=k1.initializer(init, layout='conv_th'), data_format='channels_first')"),
    ("conv3d_tf_default", "Convolution3D(4, 3, 3, 3, dim_ordering='tf')",
     "Conv3D(4, (3, 3, 3), data_format='channels_last', kernel_initializer=k1.Keras1Layout('glorot_uniform', "
     "'conv_tf'))"),
    ("conv3d_th_default", "Convolution3D(4, 3, 3, 3, dim_ordering='th')",
     "k1.Conv3D(4, (3, 3, 3), data_format='channels_first')"),
    ("deconv2d_default", "Deconvolution2D(4, 3, 3, None, dim_ordering='tf')",
     "Conv2DTranspose(4, (3, 3), data_format='channels_last')"),
    ("deconv2d_th_he_normal", "Deconvolution2D(4, 3, 3, None, init='he_normal', dim_ordering='th')",
     f"k1.Conv2DTranspose(4, (3, 3), kernel_initializer=k1.Keras1Layout({HE_NORMAL}, 'deconv2d_th'), "
     "data_format='channels_first')"),
    ("separable_tf_orthogonal", "SeparableConvolution2D(8, 3, 3, init='orthogonal', dim_ordering='tf')",
     "SeparableConv2D(8, (3, 3), depthwise_initializer=k1.Keras1Layout(Orthogonal(gain=1.1), 'conv_tf'), "
     "pointwise_initializer=k1.Keras1Layout(Orthogonal(gain=1.1), 'conv_tf'), data_format='channels_last')"),
]


@pytest.mark.parametrize("name,before,after", KERNEL_INIT, ids=[c[0] for c in KERNEL_INIT])
def test_kernel_initializer_in_keras1_layout(name, before, after):
    result = convert(f"from keras.layers import {before.split('(', 1)[0]}\nlayer = {before}\n")
    assert result.code.splitlines()[-1] == f"layer = {after}"
    for name in ("Orthogonal", "VarianceScaling"):
        assert (f"from keras.initializers import {name}\n" in result.code) == (name in after)
    assert convert_source(result.code).code == result.code, "converting twice must equal converting once"


def test_per_gate_findings():
    result = convert("""
        from keras.layers import LSTM, GRU
        a = LSTM(4, inner_init='identity')
        b = GRU(4, inner_init='identity', consume_less='gpu')
        c = GRU(4, consume_less=mode)
        """)
    assert [(f.line, f.level, f.kind) for f in result.findings if f.kind != "dropped-argument"] == [
        (2, Level.INFO, "ignored-argument"), (4, Level.WARNING, "initial-weights")]
    assert "b = GRU(4, recurrent_initializer='identity', recurrent_activation=k1.hard_sigmoid, reset_after=False)" \
        in result.code


def test_channels_first_uses_runtime_conv():
    assert_converts(
        """
        from keras.layers import Convolution2D, MaxPooling2D
        c = Convolution2D(16, 3, 3, dim_ordering='th')
        p = MaxPooling2D(dim_ordering='th')
        """,
        """
        from keras.layers import MaxPooling2D
        import k1port.runtime as k1
        c = k1.Conv2D(16, (3, 3), data_format='channels_first')
        p = MaxPooling2D(data_format='channels_first')
        """)


def test_default_dim_ordering_th_is_stated():
    assert_converts(
        """
        from keras.layers import Convolution3D, UpSampling2D
        c = Convolution3D(4, 3, 3, 3)
        u = UpSampling2D()
        """,
        """
        from keras.layers import UpSampling2D
        import k1port.runtime as k1
        c = k1.Conv3D(4, (3, 3, 3), data_format='channels_first')
        u = UpSampling2D(data_format='channels_first')
        """, image_dim_ordering="th")


def test_default_dim_ordering_tf_adds_nothing():
    assert_converts("from keras.layers import UpSampling2D\nu = UpSampling2D()\n",
                    "from keras.layers import UpSampling2D\nu = UpSampling2D()\n", image_dim_ordering="tf")


def test_hard_sigmoid_activation_string():
    assert_converts(
        "from keras.layers import Activation\na = Activation('hard_sigmoid')\n",
        "from keras.layers import Activation\nimport k1port.runtime as k1\na = Activation(k1.hard_sigmoid)\n")


def test_dynamic_values_go_through_the_runtime():
    assert_converts(
        """
        from keras.layers import Convolution2D
        def block(x, ordering, init):
            return Convolution2D(8, 3, 3, dim_ordering=ordering, init=init)(x)
        """,
        """
        import k1port.runtime as k1
        def block(x, ordering, init):
            return k1.Conv2D(8, (3, 3), data_format=k1.data_format(ordering), kernel_initializer=k1.initializer(init))(x)
        """)


def test_layer_node_api():
    assert_converts(
        """
        from keras.layers import Input, LSTM
        a = Input(shape=(5, 4))
        lstm = LSTM(3, inner_activation='sigmoid', inner_init='identity')
        e = lstm(a)
        assert lstm.get_output_at(0) == e
        s = lstm.input_shape, lstm.output_shape, lstm.get_input_shape_at(0)
        """,
        """
        from keras.layers import Input, LSTM
        import k1port.runtime as k1
        a = Input(shape=(5, 4))
        lstm = LSTM(3, recurrent_activation='sigmoid', recurrent_initializer=k1.PerGate('glorot_uniform', 4), kernel_initializer=k1.PerGate('glorot_uniform', 4))
        e = lstm(a)
        assert k1.get_output_at(lstm, 0) == e
        s = k1.input_shape(lstm), k1.output_shape(lstm), k1.get_input_shape_at(lstm, 0)
        """)


def test_layer_shapes_of_any_receiver():
    """`layer_dict[name].output_shape` (deep_dream): the receiver is not known to be a layer,
    so the runtime decides; an attribute being set stays an attribute."""
    assert_converts(
        """
        from keras.models import Model
        layer_dict = dict([(layer.name, layer) for layer in model.layers])
        shape = layer_dict['conv'].output_shape
        class Shaped(object):
            def __init__(self):
                self.output_shape = (1, 2)
        """,
        """
        from keras.models import Model
        import k1port.runtime as k1
        layer_dict = dict([(layer.name, layer) for layer in model.layers])
        shape = k1.output_shape(layer_dict['conv'])
        class Shaped(object):
            def __init__(self):
                self.output_shape = (1, 2)
        """)


def test_time_distributed_dense():
    assert_converts(
        """
        from keras.layers import TimeDistributedDense
        t = TimeDistributedDense(8, activation='relu', input_dim=4, input_length=10, name='tdd')
        """,
        """
        from keras.layers import Dense, TimeDistributed
        t = TimeDistributed(Dense(8, activation='relu'), input_shape=(10, 4), name='tdd')
        """)


def test_computed_units_are_python_ints():
    """reuters_mlp: nb_classes = np.max(y_train) + 1 is a NumPy integer, which Keras 3 refuses."""
    assert_converts(
        """
        from keras.layers import Dense, LSTM
        nb_classes = np.max(y_train) + 1
        out = Dense(nb_classes, activation='softmax')
        seq = LSTM(output_dim=n, consume_less='gpu')
        """,
        """
        from keras.layers import Dense, LSTM
        from keras.initializers import Orthogonal
        import k1port.runtime as k1
        nb_classes = np.max(y_train) + 1
        out = Dense(int(nb_classes), activation='softmax')
        seq = LSTM(units=int(n), recurrent_initializer=Orthogonal(gain=1.1), recurrent_activation=k1.hard_sigmoid)
        """)
