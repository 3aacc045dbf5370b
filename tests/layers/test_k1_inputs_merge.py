"""Input / InputLayer, the first-layer shape shorthands (input_dim, input_length,
batch_input_shape), and merge() modes, against Keras 1.2.2 semantics.

Keras 1 facts used here (keras/engine/topology.py, keras/layers/*.py):
* Input(shape=None, batch_shape=None, name=None, dtype=floatx(), sparse=False, tensor=None);
  shape excludes the batch axis, batch_shape includes it.
* InputLayer(input_shape=None, batch_input_shape=None, input_dtype=None, input_tensor=None,
  sparse=False, name=None).
* Dense(input_dim=d) meant input_shape=(d,); recurrent layers and Convolution1D took
  input_dim and input_length, meaning input_shape=(input_length, input_dim) (None where
  not given); Embedding(input_length=n) meant input_shape=(n,); batch_input_shape's first
  entry is the batch size.
* merge(inputs, mode='sum', concat_axis=-1, ...): 'sum', 'mul', 'ave', 'max' element-wise,
  'concat' along concat_axis.
"""
from __future__ import annotations

import numpy as np
import pytest

from k1layers_harness import convert_and_run, k1src, keras


# -- Input / InputLayer --------------------------------------------------------------------------
INPUTS = [
    ("Input(shape=(3,))", (None, 3), "float32", None),
    ("Input(batch_shape=(None, 4, 5), name='seq')", (None, 4, 5), "float32", "seq"),
    ("Input(shape=(3,), dtype='int32')", (None, 3), "int32", None),
    # Input(shape, batch_shape, name, dtype, ...): name is the third positional argument.
    ("Input((3,), None, 'inp')", (None, 3), "float32", "inp"),
    ("Input(batch_shape=(8, 3))", (8, 3), "float32", None),
    ("Input(shape=(2, 2), sparse=False)", (None, 2, 2), "float32", None),
]


@pytest.mark.parametrize("call, shape, dtype, name", INPUTS, ids=[c for c, *_ in INPUTS])
def test_input(call, shape, dtype, name):
    run = convert_and_run(k1src(f"x = {call}"))
    x = run.ns["x"]
    assert tuple(x.shape) == shape, run.describe()
    assert x.dtype == dtype, run.describe()
    if name is not None:
        assert x.name == name, run.describe()


INPUT_LAYERS = [
    ("InputLayer(input_shape=(4,))", (None, 4), "float32", None),
    ("InputLayer(batch_input_shape=(None, 5, 2), name='in')", (None, 5, 2), "float32", "in"),
    ("InputLayer(input_shape=(4,), input_dtype='int32')", (None, 4), "int32", None),
    ("InputLayer(batch_input_shape=(6, 3))", (6, 3), "float32", None),
]


@pytest.mark.parametrize("call, shape, dtype, name", INPUT_LAYERS, ids=[c for c, *_ in INPUT_LAYERS])
def test_input_layer(call, shape, dtype, name):
    run = convert_and_run(k1src(f"layer = {call}"))
    layer = run.ns["layer"]
    cfg = layer.get_config()
    assert tuple(cfg["batch_shape"]) == shape, run.describe()
    assert cfg["dtype"] == dtype, run.describe()
    out = layer.output
    assert tuple(out.shape) == shape and out.dtype == dtype, run.describe()
    if name is not None:
        assert layer.name == name, run.describe()


# -- first-layer shape shorthands in a Sequential model -----------------------------------------
SEQUENTIAL = [
    ("Dense(3, input_dim=4)", (None, 4), (None, 3), ()),
    ("Dense(3, input_shape=(4,))", (None, 4), (None, 3), ()),
    ("Dense(3, batch_input_shape=(None, 4))", (None, 4), (None, 3), ()),
    ("LSTM(5, input_dim=3, input_length=7)", (None, 7, 3), (None, 5), ()),
    ("LSTM(5, input_dim=3, input_length=7, return_sequences=True)", (None, 7, 3), (None, 7, 5), ()),
    ("LSTM(5, input_dim=3)", (None, None, 3), (None, 5), ()),
    ("GRU(5, input_length=7, input_dim=3)", (None, 7, 3), (None, 5), ()),
    ("SimpleRNN(2, batch_input_shape=(None, 6, 3))", (None, 6, 3), (None, 2), ()),
    ("Embedding(10, 3, input_length=5)", (None, 5), (None, 5, 3), ()),
    ("Convolution1D(4, 3, input_dim=2, input_length=10)", (None, 10, 2), (None, 8, 4), ()),
    ("Convolution1D(4, 3, input_dim=2)", (None, None, 2), (None, None, 4), ()),
    ("AtrousConvolution1D(4, 3, atrous_rate=2, input_dim=2, input_length=9)", (None, 9, 2), (None, 5, 4), ()),
    ("Convolution2D(4, 3, 3, input_shape=(3, 8, 8), dim_ordering='th')", (None, 3, 8, 8), (None, 4, 6, 6), ()),
    ("Convolution2D(4, 3, 3, batch_input_shape=(None, 8, 8, 3), dim_ordering='tf')",
     (None, 8, 8, 3), (None, 6, 6, 4), ()),
    ("TimeDistributed(Dense(2), input_shape=(5, 3))", (None, 5, 3), (None, 5, 2), ()),
    # A fixed batch size: Keras 1 built the model for batches of exactly that size (k1port adds
    # keras.Input(batch_shape=...) before the layer).
    ("Dense(3, batch_input_shape=(16, 4))", (16, 4), (16, 3), ()),
    # A stateful RNN needs its batch size: Keras 1 built this model for batches of exactly 8.
    pytest.param("LSTM(3, batch_input_shape=(8, 5, 2), stateful=True)", (8, 5, 2), (8, 3), (),
                 id="LSTM-stateful-batch_input_shape"),
]


@pytest.mark.parametrize("call, in_shape, out_shape, warns", SEQUENTIAL,
                         ids=[c if isinstance(c, str) else None for c, *_ in SEQUENTIAL])
def test_sequential_first_layer_shape(call, in_shape, out_shape, warns):
    run = convert_and_run(k1src(f"model = Sequential()\nmodel.add({call})"))
    kinds = {f.kind for f in run.warnings()}
    assert set(warns) <= kinds, run.describe()
    model = run.ns["model"]
    got_in, got_out = tuple(model.inputs[0].shape), tuple(model.outputs[0].shape)
    if warns:  # the per-sample shape must survive
        assert got_in[1:] == in_shape and got_out[1:] == out_shape, (got_in, got_out, run.describe())
    else:
        assert (got_in, got_out) == (in_shape, out_shape), run.describe()


def test_sequential_list_and_second_layer():
    run = convert_and_run(k1src("""
        model = Sequential([Dense(8, input_dim=4, activation='relu'), Dropout(0.5), Dense(2)])
    """))
    model = run.ns["model"]
    assert tuple(model.inputs[0].shape) == (None, 4)
    assert tuple(model.outputs[0].shape) == (None, 2)
    assert model(np.zeros((3, 4), "float32")).shape == (3, 2)


# -- merge() ------------------------------------------------------------------------------------
def _merge_model(expr: str, shapes):
    names = [f"in{i}" for i in range(len(shapes))]
    inputs = "\n".join(f"{n} = Input(shape={s!r})" for n, s in zip(names, shapes))
    src = k1src(f"{inputs}\nm = {expr}\nmodel = Model(input=[{', '.join(names)}], output=m)")
    run = convert_and_run(src)
    rng = np.random.default_rng(11)
    xs = [rng.normal(0, 1, (2, *s)).astype("float32") for s in shapes]
    got = keras().ops.convert_to_numpy(run.ns["model"](xs))
    return run, xs, got


MERGES = [
    ("merge([in0, in1])", [(3,), (3,)], lambda a, b: a + b),  # mode defaults to 'sum'
    ("merge([in0, in1], mode='sum')", [(3,), (3,)], lambda a, b: a + b),
    ("merge([in0, in1], mode='mul')", [(3,), (3,)], lambda a, b: a * b),
    ("merge([in0, in1, in2], mode='ave')", [(3,), (3,), (3,)], lambda a, b, c: (a + b + c) / 3),
    ("merge([in0, in1], mode='max')", [(2, 3), (2, 3)], np.maximum),
    ("merge([in0, in1], mode='concat')", [(3,), (2,)], lambda a, b: np.concatenate([a, b], axis=-1)),
    ("merge([in0, in1], mode='concat', concat_axis=1)", [(2, 3), (4, 3)],
     lambda a, b: np.concatenate([a, b], axis=1)),
    ("merge([in0, in1], 'concat', -1)", [(2, 3), (2, 1)], lambda a, b: np.concatenate([a, b], axis=-1)),
]


@pytest.mark.parametrize("expr, shapes, ref", MERGES, ids=[e for e, *_ in MERGES])
def test_merge_modes(expr, shapes, ref):
    run, xs, got = _merge_model(expr, shapes)
    np.testing.assert_allclose(got, ref(*xs), rtol=1e-6, err_msg=run.describe())


def test_merge_name_is_kept():
    run, _, _ = _merge_model("merge([in0, in1], mode='concat', name='joined')", [(3,), (3,)])
    assert run.ns["model"].get_layer("joined") is not None


MERGE_LAYERS = [
    ("Merge(mode='concat')([in0, in1])", [(3,), (2,)], lambda a, b: np.concatenate([a, b], axis=-1)),
    ("Merge(mode='dot', dot_axes=1)([in0, in1])", [(3,), (3,)], lambda a, b: (a * b).sum(-1, keepdims=True)),
]


@pytest.mark.parametrize("expr, shapes, ref", MERGE_LAYERS, ids=[e for e, *_ in MERGE_LAYERS])
def test_merge_layer_on_tensors(expr, shapes, ref):
    run, xs, got = _merge_model(expr, shapes)
    np.testing.assert_allclose(got, ref(*xs), rtol=1e-6, err_msg=run.describe())


def test_merge_layer_of_sequential_models():
    """Keras 1's Merge([model_a, model_b]) as the first layer of a Sequential: the model takes
    the branches' inputs (babi_rnn's shape)."""
    run = convert_and_run(k1src(
        "left = Sequential([Dense(4, input_dim=3, bias=False)])\n"
        "right = Sequential([Dense(4, input_dim=2, bias=False)])\n"
        "model = Sequential()\n"
        "model.add(Merge([left, right], mode='sum'))\n"
        "model.add(Activation('tanh'))\n"))
    model, left, right = run.ns["model"], run.ns["left"], run.ns["right"]
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, (2, 3)).astype("float32"), rng.normal(0, 1, (2, 2)).astype("float32")
    weights = [keras().ops.convert_to_numpy(m.layers[0].kernel) for m in (left, right)]
    np.testing.assert_allclose(model.predict([a, b], verbose=0), np.tanh(a @ weights[0] + b @ weights[1]),
                               rtol=1e-5, err_msg=run.describe())
