"""Run every k1port.runtime.merge check in one process on the backend KERAS_BACKEND names.

Importing Keras costs seconds, so test_merge.py runs this script once per backend. The
last stdout line is one JSON object: {check_name: {"ok": bool, "detail": str}}.

The ``case_*`` checks rebuild, with ``k1.merge`` / ``k1.Merge`` (as k1port converts the
Keras 1 code in make_reference.py), each model whose Keras 1.2.2 inputs, outputs and
masks are in data/reference.npz, and compare: the merged tensor's shape with Keras 1's
declared shape (symbolic, and ``compute_output_shape``), the predictions (1e-5), and the
output mask (its presence, then its values). ``error_*`` checks raise what Keras 1 raised
for the same invalid merge. The rest check saving, loading and the documented
differences from Keras 1.
"""
from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # tests/: checklib
from checklib import CHECKS, check, expect, numpy, raises  # noqa: E402

import json
import os
import sys
import tempfile
import traceback
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

import k1port.runtime as k1  # noqa: E402

DATA = Path(__file__).with_name("data")
TOL = 1e-5
REF = np.load(DATA / "reference.npz")
META = json.loads((DATA / "meta.json").read_text())
TMP = Path(tempfile.mkdtemp(prefix="k1port-merge-test-"))


def close(got, want, what):
    """|got - want| <= TOL (1e-5), relative for values above 1: the 'cos' cases reach 1e7
    where Keras 1 divides by epsilon, and float32 resolves such values only to ~1."""
    err = np.abs(got - want) / np.maximum(1.0, np.abs(want))
    worst = float(np.max(err)) if err.size else 0.0
    expect(worst <= TOL, f"{what}: max difference {worst:.3g} > {TOL} (relative above 1)")
    return worst


def keras_mask(tensor):
    return getattr(tensor, "_keras_mask", None)


# -- the Keras 1 cases, as k1port converts them --------------------------------------------------
def weighted_sum(xs, w0, w1):
    return xs[0] * w0 + xs[1] * w1


def floats(*shapes):
    return [keras.Input(shape) for shape in shapes]


def embedded(name, n, mask_zero=(True, True)):
    ins = [keras.Input((5,), dtype="int32") for _ in range(n)]
    outs = []
    for i, (x, m) in enumerate(zip(ins, mask_zero)):
        embedding = layers.Embedding(6, 3, mask_zero=m)
        outs.append(embedding(x))
        embedding.set_weights([REF[f"{name}/w{i}"]])
    return ins, outs


def shapes_of(name):
    return [REF[f"{name}/x{i}"].shape[1:] for i in range(META["cases"][name]["inputs"])]


CASES = {
    "sum_2": lambda n: (lambda ins: (ins, k1.merge(ins, mode="sum")))(floats(*shapes_of(n))),
    "sum_3_default_mode": lambda n: (lambda ins: (ins, k1.merge(ins)))(floats(*shapes_of(n))),
    "mul_3": lambda n: (lambda ins: (ins, k1.merge(ins, mode="mul")))(floats(*shapes_of(n))),
    "ave_3": lambda n: (lambda ins: (ins, k1.merge(ins, mode="ave")))(floats(*shapes_of(n))),
    "max_3": lambda n: (lambda ins: (ins, k1.merge(ins, mode="max")))(floats(*shapes_of(n))),
    "concat_default": lambda n: (lambda ins: (ins, k1.merge(ins, mode="concat")))(floats(*shapes_of(n))),
    "concat_axis1_4d": lambda n: (lambda ins: (ins, k1.merge(ins, mode="concat", concat_axis=1)))(
        floats(*shapes_of(n))),
    "concat_axis2_4d": lambda n: (lambda ins: (ins, k1.Merge(mode="concat", concat_axis=2)(ins)))(
        floats(*shapes_of(n))),
    "concat_variable_length": lambda n: (lambda ins: (ins, k1.merge(ins, mode="concat", concat_axis=1)))(
        floats((None, 3), (None, 3))),
    "dot_2d_axes1": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot", dot_axes=1)))(floats(*shapes_of(n))),
    "dot_2d_default": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot")))(floats(*shapes_of(n))),
    "dot_3d_axes1": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot", dot_axes=1)))(floats(*shapes_of(n))),
    "dot_3d_pair11": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot", dot_axes=(1, 1))))(
        floats(*shapes_of(n))),
    "dot_3d_pair22": lambda n: (lambda ins: (ins, k1.Merge(mode="dot", dot_axes=(2, 2))(ins)))(
        floats(*shapes_of(n))),
    "dot_3d_default": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot")))(floats(*shapes_of(n))),
    "dot_3d_pair12": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot", dot_axes=[1, 2])))(
        floats(*shapes_of(n))),
    "dot_2d_3d": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot", dot_axes=(1, 2))))(floats(*shapes_of(n))),
    "dot_3d_2d": lambda n: (lambda ins: (ins, k1.merge(ins, mode="dot", dot_axes=(1, 1))))(floats(*shapes_of(n))),
    "cos_2d_axes1": lambda n: (lambda ins: (ins, k1.merge(ins, mode="cos", dot_axes=1)))(floats(*shapes_of(n))),
    "cos_2d_default": lambda n: (lambda ins: (ins, k1.merge(ins, mode="cos")))(floats(*shapes_of(n))),
    "cos_3d_axes2": lambda n: (lambda ins: (ins, k1.merge(ins, mode="cos", dot_axes=2)))(floats(*shapes_of(n))),
    "cos_3d_pair11": lambda n: (lambda ins: (ins, k1.Merge(mode="cos", dot_axes=(1, 1))(ins)))(
        floats(*shapes_of(n))),
    "lambda_output_shape_tuple": lambda n: (lambda ins: (ins, k1.merge(
        ins, mode=lambda xs: ops.concatenate([xs[0], xs[1] * xs[0]], axis=-1), output_shape=(6,))))(
        floats(*shapes_of(n))),
    "lambda_output_shape_function": lambda n: (lambda ins: (ins, k1.merge(
        ins, mode=lambda xs: ops.concatenate([xs[0], ops.square(xs[1])], axis=1),
        output_shape=lambda shapes: (shapes[0][0], shapes[0][1] + shapes[1][1], shapes[0][2]))))(
        floats(*shapes_of(n))),
    "function_arguments": lambda n: (lambda ins: (ins, k1.merge(
        ins, mode=weighted_sum, output_shape=(3,), arguments={"w0": 0.25, "w1": -2.0})))(floats(*shapes_of(n))),
    "mask_concat": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="concat")))(embedded(n, 2)),
    "mask_concat_axis1": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="concat", concat_axis=1)))(
        embedded(n, 2)),
    "mask_concat_unmasked": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="concat")))(
        embedded(n, 2, (True, False))),
    "mask_sum": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="sum")))(embedded(n, 2)),
    "mask_sum_unmasked": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="sum")))(
        embedded(n, 2, (False, True))),
    "mask_mul": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="mul")))(embedded(n, 2)),
    "mask_ave_3": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="ave")))(embedded(n, 3, (True,) * 3)),
    "mask_dot": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="dot", dot_axes=2)))(embedded(n, 2)),
    "mask_cos": lambda n: (lambda io: (io[0], k1.merge(io[1], mode="cos", dot_axes=(1, 1))))(embedded(n, 2)),
    "mask_function_output_mask": lambda n: (lambda io: (io[0], k1.merge(
        io[1], mode=lambda xs, mask=None: xs[0] * ops.expand_dims(ops.cast(mask[0], "float32"), -1) + xs[1],
        output_shape=(5, 3), output_mask=lambda masks: masks[1])))(embedded(n, 2)),
    "mask_function_no_output_mask": lambda n: (lambda io: (io[0], k1.merge(
        io[1], mode=lambda xs: xs[0] - xs[1], output_shape=(5, 3))))(embedded(n, 2)),
}


# Cases also run through model.predict (compiled on TensorFlow; ~0.3 s each, so not all).
PREDICT = {"concat_variable_length", "dot_3d_pair12", "dot_2d_axes1", "cos_3d_axes2", "cos_2d_axes1",
           "lambda_output_shape_function", "function_arguments", "mask_function_output_mask"}


def expected_output(name):
    """Keras 1's prediction, as the declared shape. Keras 1's 'cos' tensor had an extra
    length-1 axis 1 that its declared shape left out (module docstring): check, then drop it."""
    y = REF[f"{name}/y"]
    info = META["cases"][name]
    if name.startswith(("cos_", "mask_cos")):
        expect(list(y.shape) == [y.shape[0], 1] + info["declared_shape"][1:],
               f"Keras 1 'cos' output {list(y.shape)} is not declared {info['declared_shape']} plus axis 1")
        y = y.reshape((y.shape[0],) + y.shape[2:])
    return y


def run_case(name):
    info = META["cases"][name]
    ins, out = CASES[name](name)
    xs = [REF[f"{name}/x{i}"] for i in range(info["inputs"])]
    layer = out._keras_history[0]
    want = tuple(info["declared_shape"])
    expect(tuple(out.shape) == want, f"symbolic shape {tuple(out.shape)} != Keras 1 {want}")
    got_shape = layer.compute_output_shape([tuple(t.shape) for t in layer._inbound_nodes[0].arguments.args[0]])
    expect(tuple(got_shape) == want, f"compute_output_shape {got_shape} != Keras 1 {want}")
    model = keras.Model(ins, out)
    y = expected_output(name)
    got = model(xs)
    expect(numpy(got).shape == y.shape, f"output {numpy(got).shape} != Keras 1 {y.shape}")
    diff = close(numpy(got), y, "model(x)")
    if name in PREDICT:
        close(model.predict(xs, verbose=0), y, "model.predict(x)")
    mask = keras_mask(got)
    expect((keras_mask(out) is not None) == info["mask"],
           f"symbolic output mask {'present' if keras_mask(out) is not None else 'absent'}; Keras 1's "
           f"{'present' if info['mask'] else 'absent'}")
    expect((mask is not None) == info["mask"], f"output mask {'present' if mask is not None else 'absent'}")
    detail = f"shape {want}, max diff {diff:.2g}"
    if info["mask"]:
        want_mask = REF[f"{name}/mask"].astype(bool)
        got_mask = numpy(mask)
        expect(got_mask.dtype == bool, f"mask dtype {got_mask.dtype}")
        expect(got_mask.shape == want_mask.shape, f"mask shape {got_mask.shape} != Keras 1 {want_mask.shape}")
        expect(np.array_equal(got_mask, want_mask), f"mask {got_mask.tolist()} != Keras 1 {want_mask.tolist()}")
        detail += f", mask {want_mask.shape} equal"
    return detail


def _case_check(name):
    def fn():
        return run_case(name)
    fn.__name__ = "case_" + name
    return fn


@check
def reference_covers_cases():
    expect(sorted(META["cases"]) == sorted(CASES), f"reference cases {sorted(META['cases'])} != {sorted(CASES)}")
    return f"{len(CASES)} cases"


for _name in META["cases"]:
    check(_case_check(_name))


# -- errors: what Keras 1 raised -----------------------------------------------------------------
def _masked_pair():
    ins = [keras.Input((5,), dtype="int32") for _ in range(2)]
    return [layers.Embedding(6, 3, mask_zero=True)(i) for i in ins]


ERRORS = {
    "sum_shape_mismatch": lambda: k1.merge([keras.Input((5,)), keras.Input((4,))], mode="sum"),
    "max_shape_mismatch": lambda: k1.merge([keras.Input((2, 3)), keras.Input((3, 2))], mode="max"),
    "single_input": lambda: k1.merge([keras.Input((5,))], mode="sum"),
    "single_tensor_to_Merge": lambda: k1.Merge(mode="sum")(keras.Input((5,))),
    "invalid_mode": lambda: k1.merge([keras.Input((5,)), keras.Input((5,))], mode="foo"),
    "dot_three_inputs": lambda: k1.merge([keras.Input((5,))] * 3, mode="dot"),
    "cos_three_inputs": lambda: k1.merge([keras.Input((5,))] * 3, mode="cos"),
    "dot_dim_mismatch": lambda: k1.merge([keras.Input((5,)), keras.Input((4,))], mode="dot"),
    "dot_pair_dim_mismatch": lambda: k1.merge([keras.Input((4, 3)), keras.Input((4, 3))], mode="dot",
                                              dot_axes=(1, 2)),
    "dot_axes_three": lambda: k1.merge([keras.Input((4, 3)), keras.Input((4, 3))], mode="dot",
                                       dot_axes=(1, 1, 1)),
    "dot_axes_type": lambda: k1.merge([keras.Input((4, 3)), keras.Input((4, 3))], mode="dot", dot_axes="1"),
    "concat_mismatch": lambda: k1.merge([keras.Input((4, 3)), keras.Input((5, 2))], mode="concat"),
    "max_masked": lambda: k1.merge(_masked_pair(), mode="max"),
}
# Keras 1 raised here; k1port infers the shape instead (checked by function_without_output_shape).
NOT_RAISED = {"function_without_output_shape"}


@check
def errors_cover_reference():
    expect(sorted(META["errors"]) == sorted(set(ERRORS) | NOT_RAISED),
           f"reference errors {sorted(META['errors'])} != checked {sorted(set(ERRORS) | NOT_RAISED)}")
    return f"{len(ERRORS)} raised like Keras 1"


def _error_check(name):
    def fn():
        want = META["errors"][name]
        expect(want is not None, f"Keras 1 did not raise for {name}")
        message = raises({"ValueError": ValueError, "TypeError": TypeError}[want], ERRORS[name], name)
        return f"{want}: {message[:120]}"
    fn.__name__ = "error_" + name
    return fn


for _name in META["errors"]:
    if _name in ERRORS:
        check(_error_check(_name))


# -- Keras 1 differences k1port documents ----------------------------------------------------------
@check
def function_without_output_shape():
    """Keras 1 raised ValueError (no output_shape for a function mode); k1port infers it."""
    expect(META["errors"]["function_without_output_shape"] == "ValueError", "Keras 1 fact changed")
    a, b = floats((4,), (4,))
    out = k1.merge([a, b], mode=lambda xs: ops.concatenate([xs[0], xs[1]], axis=-1))
    expect(tuple(out.shape) == (None, 8), f"inferred {out.shape}")
    layer = out._keras_history[0]
    expect(tuple(layer.compute_output_shape([(None, 4), (None, 4)])) == (None, 8), "compute_output_shape")
    return "shape (None, 8) inferred"


@check
def layers_argument_raises():
    a = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    b = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
    message = raises(TypeError, lambda: k1.Merge([a, b], mode="concat"), "Merge(layers=...)")
    expect("MergeModels" in message, f"message: {message}")
    return message[:100]


@check
def merge_called_twice():
    """Keras 1 refused a second call of one Merge instance; here it is an ordinary layer."""
    layer = k1.Merge(mode="dot", dot_axes=1)
    a, b, c = floats((3,), (3,), (3,))
    expect(tuple(layer([a, b]).shape) == (None, 1) and tuple(layer([b, c]).shape) == (None, 1), "shapes")
    return "two calls"


@check
def eager_tensors():
    """merge() on plain tensors computes at once, as Keras 1's did on backend tensors."""
    x = np.arange(6, dtype="float32").reshape(2, 3)
    got = numpy(k1.merge([ops.convert_to_tensor(x), ops.convert_to_tensor(x)], mode="dot", dot_axes=1))
    expect(np.allclose(got, (x * x).sum(1, keepdims=True)), f"got {got}")
    got = numpy(k1.merge([x, 2 * x], mode="concat", concat_axis=1))
    expect(got.shape == (2, 6), f"got {got.shape}")
    return "dot, concat"


@check
def cos_epsilon_from_config():
    """'cos' divides by max(norms, keras.config.epsilon()) read at call time (Keras 1's K.epsilon())."""
    x = np.full((1, 4), 1e-4, dtype="float32")
    before = keras.config.epsilon()
    try:
        keras.config.set_epsilon(1e-6)
        got = float(numpy(k1.merge([x, x], mode="cos"))[0, 0])
    finally:
        keras.config.set_epsilon(before)
    expect(abs(got - 4e-8 / 1e-6) < 1e-6, f"got {got}")
    expect(abs(float(numpy(k1.merge([x, x], mode="cos"))[0, 0]) - 4e-8 / before) < 1e-5, "default epsilon")
    return f"{got:.4f} with epsilon 1e-6"


@check
def constant_output_mask():
    """A function mode's output_mask given as a value is the output mask (once an input is masked)."""
    ins, es = embedded("mask_concat", 2)
    constant = [[True, False, True, True, False]]
    out = k1.merge(es, mode=lambda xs: xs[0] + xs[1], output_shape=(5, 3), output_mask=constant)
    got = keras.Model(ins, out)([REF["mask_concat/x0"], REF["mask_concat/x1"]])
    expect(np.array_equal(numpy(keras_mask(got)), np.array(constant)), f"mask {keras_mask(got)}")
    a, b = floats((3,), (3,))
    unmasked = k1.merge([a, b], mode=lambda xs: xs[0], output_shape=(3,), output_mask=constant)
    expect(keras_mask(unmasked) is None, "no input masked: no mask (Keras 1)")
    return "constant mask"


@check
def trains():
    """Gradients flow through 'dot', 'cos' and 'concat' (fit one step; compiled on TensorFlow)."""
    a, b = floats((4, 3), (4, 3))
    da, db = layers.Dense(3)(a), layers.Dense(3)(b)
    merged = k1.merge([k1.merge([da, db], mode="dot", dot_axes=1), k1.merge([da, db], mode="cos", dot_axes=1)],
                      mode="concat", concat_axis=1)
    model = keras.Model([a, b], layers.Dense(1)(layers.Flatten()(merged)))
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    rng = np.random.RandomState(2)
    xs = [rng.uniform(-1, 1, (8, 4, 3)).astype("float32") for _ in range(2)]
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(xs, np.ones((8, 1), "float32"), epochs=1, batch_size=8, verbose=0)
    expect(np.isfinite(history.history["loss"][0]), "loss is not finite")
    changed = [not np.allclose(w, v) for w, v in zip(before, model.get_weights())]
    expect(all(changed), f"weights changed: {changed}")
    return f"loss {history.history['loss'][0]:.4f}"


# -- serialization ------------------------------------------------------------------------------
@keras.saving.register_keras_serializable(package="k1port_merge_test")
def registered_difference(xs, scale=1.0):
    return (xs[0] - xs[1]) * scale


@keras.saving.register_keras_serializable(package="k1port_merge_test")
def registered_shape(shapes):
    return shapes[0]


def _config_round_trip(layer):
    config = layer.get_config()
    json.dumps(config)  # JSON-able, as in a .keras file
    with keras.saving.custom_object_scope({"weighted_sum": weighted_sum}):
        clone = k1.Merge.from_config(json.loads(json.dumps(config)))
    expect(json.dumps(clone.get_config(), sort_keys=True) == json.dumps(config, sort_keys=True),
           f"config changed:\n{config}\n{clone.get_config()}")
    return clone


@check
def config_round_trip():
    layers_ = [k1.Merge(mode=m) for m in ("sum", "mul", "ave", "max")]
    layers_ += [k1.Merge(mode="concat", concat_axis=1, name="joined"), k1.Merge(mode="dot", dot_axes=(1, 2)),
                k1.Merge(mode="cos", dot_axes=2), k1.Merge(mode=registered_difference, output_shape=registered_shape,
                                                           arguments={"scale": 3.0}),
                k1.Merge(mode=weighted_sum, output_shape=(3,), output_mask=[True, False, True],
                         arguments={"w0": 1.0, "w1": 2.0})]
    for layer in layers_:
        clone = _config_round_trip(layer)
        for attr in ("mode", "concat_axis", "dot_axes", "arguments", "_output_shape", "_output_mask", "name"):
            got, want = getattr(clone, attr), getattr(layer, attr)
            expect(got == want, f"{layer.name}.{attr}: {got!r} != {want!r}")
    expect(layers_[4].name == "joined", "name kept")
    # Lambdas: bytecode, loadable only outside safe mode (as Keras 3's Lambda).
    layer = k1.Merge(mode=lambda xs, scale=2.0: (xs[0] + xs[1]) * scale, output_shape=lambda s: s[0],
                     output_mask=lambda m: m[0])
    config = json.loads(json.dumps(layer.get_config()))
    expect(config["mode"]["class_name"] == "__lambda__", f"mode config {config['mode']}")
    message = raises(ValueError, lambda: keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(layer)), "safe-mode load of a lambda")
    expect("Merge" in message and "safe_mode=False" in message, f"message: {message}")
    clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer), safe_mode=False)
    x = np.ones((2, 3), "float32")
    expect(np.allclose(numpy(clone([x, x])), 4.0), "loaded lambda computes")
    expect(clone._output_shape([(None, 3), (None, 3)]) == (None, 3), "loaded output_shape lambda")
    expect(clone._output_mask(["m0", "m1"]) == "m0", "loaded output_mask lambda")
    return f"{len(layers_) + 1} configs"


@check
def lambda_auto_names_untouched():
    """Serializing a lambda mode must not use up the program's Lambda layer names."""
    layer = k1.Merge(mode=lambda xs: xs[0], output_shape=(3,))
    first = layers.Lambda(lambda x: x).name
    layer.get_config()
    second = layers.Lambda(lambda x: x).name

    def number(name):
        return int(name.rsplit("_", 1)[1]) if "_" in name else 0
    expect(number(second) == number(first) + 1, f"Lambda names {first} then {second}")
    return f"{first}, {second}"


def _saved_model():
    """A model with every kind of function argument (lambdas use `ops`, as converted code does)."""
    a, b = floats((2, 3), (4, 3))
    cat = k1.merge([a, b], mode=lambda xs: ops.concatenate([xs[0], ops.square(xs[1])], axis=1),
                   output_shape=lambda shapes: (shapes[0][0], shapes[0][1] + shapes[1][1], shapes[0][2]))
    dot = k1.Merge(mode="dot", dot_axes=(2, 2))([a, b])
    cos = k1.merge([a, a], mode="cos", dot_axes=1)
    t1, t2 = keras.Input((5,), dtype="int32"), keras.Input((5,), dtype="int32")
    e1, e2 = layers.Embedding(6, 3, mask_zero=True)(t1), layers.Embedding(6, 3, mask_zero=True)(t2)
    masked = k1.merge([e1, e2], mode=lambda xs, mask=None: xs[0] * ops.expand_dims(
        ops.cast(mask[0], "float32"), -1) + xs[1], output_shape=(5, 3), output_mask=lambda masks: masks[1])
    weighted = k1.merge([a, a], mode=weighted_sum, output_shape=(2, 3), arguments={"w0": 0.5, "w1": 0.25})
    model = keras.Model([a, b, t1, t2], [cat, dot, cos, masked, weighted])
    rng = np.random.RandomState(0)
    xs = [rng.uniform(-1, 1, (3, 2, 3)).astype("float32"), rng.uniform(-1, 1, (3, 4, 3)).astype("float32"),
          REF["mask_concat/x0"], REF["mask_concat/x1"]]
    return model, xs


def _same_outputs(model, loaded, xs):
    want, got = model(xs), loaded(xs)
    for w, g in zip(want, got):
        expect(tuple(w.shape) == tuple(g.shape), f"shape {g.shape} != {w.shape}")
        expect(np.allclose(numpy(w), numpy(g), atol=1e-6), "outputs differ after loading")
    expect(np.array_equal(numpy(keras_mask(want[3])), numpy(keras_mask(got[3]))), "mask differs after loading")
    expect(np.array_equal(numpy(keras_mask(got[3])), REF["mask_concat/x1"] != 0), "loaded mask is not mask 1")


@check
def keras_file_round_trip():
    model, xs = _saved_model()
    path = TMP / "merge_model.keras"
    model.save(path)
    message = raises(ValueError, lambda: keras.saving.load_model(path), "safe-mode load of lambdas")
    expect("safe_mode=False" in message, f"message: {message}")
    loaded = keras.saving.load_model(path, safe_mode=False, custom_objects={"weighted_sum": weighted_sum})
    _same_outputs(model, loaded, xs)
    expect([type(layer).__name__ for layer in loaded.layers].count("Merge") == 5, "five Merge layers")
    return f"{len(model.outputs)} outputs equal after save/load (safe_mode=False)"


@check
def keras_file_safe_mode():
    """Built-in modes and registered functions load in safe mode."""
    a, b = floats((3,), (3,))
    outs = [k1.merge([a, b], mode="cos"), k1.merge([a, b], mode="concat"),
            k1.Merge(mode=registered_difference, output_shape=registered_shape, arguments={"scale": 2.0})([a, b])]
    model = keras.Model([a, b], outs)
    path = TMP / "merge_safe.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    xs = [np.random.RandomState(1).uniform(-1, 1, (2, 3)).astype("float32") for _ in range(2)]
    for w, g in zip(model(xs), loaded(xs)):
        expect(np.allclose(numpy(w), numpy(g)), "outputs differ after loading")
    expect(np.allclose(numpy(loaded(xs)[2]), (xs[0] - xs[1]) * 2.0), "registered function")
    return "cos, concat, registered function"


@check
def dot_axes_normalisation():
    """Keras 1's rule: int a >= 0 -> (a, a); int a < 0 -> (a % ndim1, a % ndim2); pairs as given."""
    from k1port.runtime.merge import dot_axes_for
    expect(dot_axes_for(-1, 2, 3) == (1, 2), "-1 on ranks 2, 3")
    expect(dot_axes_for(1, 3, 3) == (1, 1), "1")
    expect(dot_axes_for((2, 1), 3, 2) == (2, 1), "pair")
    expect(dot_axes_for((-1, -2), 3, 3) == (2, 1), "negative pair counts from the end")
    raises(ValueError, lambda: dot_axes_for(0, 2, 2), "batch axis")
    return "ok"


def _branch(width, name):
    return keras.Sequential([keras.Input((width,)), layers.Dense(5, name=name)])


def _nested_merges():
    """babi_memnn's shape: merges of merges, one branch (q) merged twice."""
    keras.utils.set_random_seed(0)
    a, q, c = _branch(4, "a"), _branch(3, "q"), _branch(2, "c")
    inner = k1.Sequential()
    inner.add(k1.MergeModels([a, q], mode="sum"))
    inner.add(layers.Activation("tanh", name="act"))
    middle = k1.Sequential()
    middle.add(k1.MergeModels([inner, c], mode="mul"))
    top = k1.Sequential()
    top.add(k1.MergeModels([middle, q], mode="concat"))
    top.add(layers.Dense(2, name="out"))
    return top, a, q, c


@check
def merge_models_nested_and_shared():
    top, a, q, c = _nested_merges()
    expect([t is s for t, s in zip(top.inputs, a.inputs + q.inputs + c.inputs)] == [True] * 3,
           f"inputs: the three distinct branch inputs in Keras 1's order, got {len(top.inputs)}")
    xa, xq, xc = (np.random.RandomState(i).uniform(-1, 1, (3, n)).astype("float32") for i, n in enumerate((4, 3, 2)))
    dense = lambda layer, x: x @ numpy(layer.kernel) + numpy(layer.bias)  # noqa: E731
    A, Q, C = dense(a.layers[0], xa), dense(q.layers[0], xq), dense(c.layers[0], xc)
    expected = dense(top.layers[-1], np.concatenate([np.tanh(A + Q) * C, Q], axis=-1))
    got = top.predict([xa, xq, xc], verbose=0)
    expect(np.allclose(got, expected, atol=1e-5), f"max diff {np.abs(got - expected).max()}")
    from k1port.runtime.weights import keras1_layer_order
    order = [layer.name for layer in keras1_layer_order(top)]
    expect(order == ["a", "q", "act", "c", "out"], f"Keras 1 flattened_layers order: {order}")
    return f"{len(top.inputs)} inputs"


@check
def merge_models_train_and_keras_file():
    keras.utils.set_random_seed(1)
    left, right = _branch(4, "left"), _branch(3, "right")
    model = k1.Sequential()
    model.add(k1.MergeModels([left, right], mode="concat"))
    model.add(layers.Dense(2, activation="softmax"))
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    xs = [np.ones((4, 4), "float32"), np.ones((4, 3), "float32")]
    y = np.eye(2, dtype="float32")[[0, 1, 0, 1]]
    before = model.evaluate(xs, y, verbose=0)
    model.fit(xs, y, epochs=3, verbose=0)
    expect(model.evaluate(xs, y, verbose=0) != before, "fit changed the model")
    path = TMP / "merge_models.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    expect(type(loaded).__name__ == "Sequential" and isinstance(loaded.layers[0], k1.MergeModels),
           f"loaded {type(loaded)}")
    expect(np.allclose(loaded.predict(xs, verbose=0), model.predict(xs, verbose=0), atol=1e-6),
           "predictions after loading")
    return "fit, save, load"


def main():
    results = {}
    warnings.simplefilter("ignore")
    for name, fn in CHECKS.items():
        try:
            detail = fn()
            results[name] = {"ok": True, "detail": str(detail or "")}
        except Exception:  # noqa: BLE001
            results[name] = {"ok": False, "detail": traceback.format_exc()[-3000:]}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
