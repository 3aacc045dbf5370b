"""Keras 1.2.2's answers for every merge mode, for k1port.runtime.merge's tests.

Run inside the Keras 1.2.2 / Theano oracle (never by pytest; the outputs are committed):

    tests/oracle/run.sh tests/merge/make_reference.py     # the project's oracle
    /path/to/k1oracle/run.sh tests/merge/make_reference.py  # any copy of shared/oracle

Each CASE below builds a small functional Keras 1 model ``inputs -> merge(...)`` and runs
it on seeded inputs. Written to ``data/``:

``reference.npz``
    ``<case>/x0``, ``<case>/x1``, ...: the inputs; ``<case>/y``: Keras 1's prediction;
    ``<case>/mask``: the merged tensor's mask evaluated on the inputs (when it has one);
    ``<case>/w0``, ...: weights of the Embedding layers that make masked inputs (seeded,
    so the Keras 3 side can load them).
``meta.json``
    per case: the merged tensor's declared Keras 1 shape (``_keras_shape``), the
    prediction's shape, whether the output has a mask; the exception class Keras 1 raises
    for each invalid merge in ERRORS; this script's sha256 (test_merge.py checks that the
    data is current).

The script is deterministic: rerunning it rewrites identical files (the .npz zip entries
carry a fixed date). check_merge.py rebuilds every case with k1.merge / k1.Merge.
"""
from __future__ import print_function

import hashlib
import io
import json
import os
import zipfile

import numpy as np

import keras
from keras import backend as K
from keras.engine.topology import Merge
from keras.layers import Embedding, Input, merge
from keras.models import Model

assert keras.__version__ == "1.2.2" and K.backend() == "theano", (keras.__version__, K.backend())

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
BATCH = 3
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def rand(rng, *shape):
    return rng.uniform(-1, 1, (BATCH,) + shape).astype("float32")


def inputs(*shapes):
    return [Input(shape) for shape in shapes]


def arrays(rng, *shapes):
    return [rand(rng, *shape) for shape in shapes]


# -- element-wise and concat -------------------------------------------------------------------
@case
def sum_2(rng):
    ins = inputs((3,), (3,))
    return ins, merge(ins, mode="sum"), arrays(rng, (3,), (3,))


@case
def sum_3_default_mode(rng):
    ins = inputs((2, 3), (2, 3), (2, 3))
    return ins, merge(ins), arrays(rng, (2, 3), (2, 3), (2, 3))


@case
def mul_3(rng):
    ins = inputs((4,), (4,), (4,))
    return ins, merge(ins, mode="mul"), arrays(rng, (4,), (4,), (4,))


@case
def ave_3(rng):
    ins = inputs((4,), (4,), (4,))
    return ins, merge(ins, mode="ave"), arrays(rng, (4,), (4,), (4,))


@case
def max_3(rng):
    ins = inputs((2, 3), (2, 3), (2, 3))
    return ins, merge(ins, mode="max"), arrays(rng, (2, 3), (2, 3), (2, 3))


@case
def concat_default(rng):
    ins = inputs((3,), (2,))
    return ins, merge(ins, mode="concat"), arrays(rng, (3,), (2,))


@case
def concat_axis1_4d(rng):
    ins = inputs((2, 3, 4), (5, 3, 4))
    return ins, merge(ins, mode="concat", concat_axis=1), arrays(rng, (2, 3, 4), (5, 3, 4))


@case
def concat_axis2_4d(rng):
    ins = inputs((2, 3, 4), (2, 1, 4))
    return ins, Merge(mode="concat", concat_axis=2)(ins), arrays(rng, (2, 3, 4), (2, 1, 4))


@case
def concat_variable_length(rng):
    ins = inputs((None, 3), (None, 3))
    return ins, merge(ins, mode="concat", concat_axis=1), arrays(rng, (4, 3), (5, 3))


# -- dot ---------------------------------------------------------------------------------------
@case
def dot_2d_axes1(rng):
    ins = inputs((5,), (5,))
    return ins, merge(ins, mode="dot", dot_axes=1), arrays(rng, (5,), (5,))


@case
def dot_2d_default(rng):
    ins = inputs((5,), (5,))
    return ins, merge(ins, mode="dot"), arrays(rng, (5,), (5,))


@case
def dot_3d_axes1(rng):
    ins = inputs((4, 3), (4, 2))
    return ins, merge(ins, mode="dot", dot_axes=1), arrays(rng, (4, 3), (4, 2))


@case
def dot_3d_pair11(rng):
    ins = inputs((5, 3), (5, 4))
    return ins, merge(ins, mode="dot", dot_axes=(1, 1)), arrays(rng, (5, 3), (5, 4))


@case
def dot_3d_pair22(rng):
    ins = inputs((4, 3), (6, 3))
    return ins, Merge(mode="dot", dot_axes=(2, 2))(ins), arrays(rng, (4, 3), (6, 3))


@case
def dot_3d_default(rng):
    ins = inputs((4, 3), (6, 3))
    return ins, merge(ins, mode="dot"), arrays(rng, (4, 3), (6, 3))


@case
def dot_3d_pair12(rng):
    ins = inputs((4, 3), (5, 4))
    return ins, merge(ins, mode="dot", dot_axes=[1, 2]), arrays(rng, (4, 3), (5, 4))


@case
def dot_2d_3d(rng):
    ins = inputs((3,), (4, 3))
    return ins, merge(ins, mode="dot", dot_axes=(1, 2)), arrays(rng, (3,), (4, 3))


@case
def dot_3d_2d(rng):
    ins = inputs((4, 3), (4,))
    return ins, merge(ins, mode="dot", dot_axes=(1, 1)), arrays(rng, (4, 3), (4,))


# -- cos ---------------------------------------------------------------------------------------
def with_tiny_row(xs):
    """Row 0 scaled to 1e-4: there sqrt(<x,x><y,y>) < epsilon, so Keras 1 divides by epsilon."""
    for x in xs:
        x[0] *= 1e-4
    return xs


@case
def cos_2d_axes1(rng):
    ins = inputs((5,), (5,))
    return ins, merge(ins, mode="cos", dot_axes=1), with_tiny_row(arrays(rng, (5,), (5,)))


@case
def cos_2d_default(rng):
    ins = inputs((5,), (5,))
    return ins, merge(ins, mode="cos"), arrays(rng, (5,), (5,))


@case
def cos_3d_axes2(rng):
    ins = inputs((4, 3), (4, 3))
    return ins, merge(ins, mode="cos", dot_axes=2), with_tiny_row(arrays(rng, (4, 3), (4, 3)))


@case
def cos_3d_pair11(rng):
    ins = inputs((4, 3), (4, 3))
    return ins, Merge(mode="cos", dot_axes=(1, 1))(ins), arrays(rng, (4, 3), (4, 3))


# -- function modes ----------------------------------------------------------------------------
@case
def lambda_output_shape_tuple(rng):
    ins = inputs((3,), (3,))
    out = merge(ins, mode=lambda xs: K.concatenate([xs[0], xs[1] * xs[0]]), output_shape=(6,))
    return ins, out, arrays(rng, (3,), (3,))


@case
def lambda_output_shape_function(rng):
    ins = inputs((2, 3), (4, 3))
    out = merge(ins, mode=lambda xs: K.concatenate([xs[0], K.square(xs[1])], axis=1),
                output_shape=lambda shapes: (shapes[0][0], shapes[0][1] + shapes[1][1], shapes[0][2]))
    return ins, out, arrays(rng, (2, 3), (4, 3))


def weighted_sum(xs, w0, w1):
    return xs[0] * w0 + xs[1] * w1


@case
def function_arguments(rng):
    ins = inputs((3,), (3,))
    out = merge(ins, mode=weighted_sum, output_shape=(3,), arguments={"w0": 0.25, "w1": -2.0})
    return ins, out, arrays(rng, (3,), (3,))


# -- masks (Embedding(mask_zero=True) inputs) ---------------------------------------------------
def tokens(rng):
    """Token ids with zeros (masked steps) in different places per sample and input."""
    t = rng.randint(1, 6, (BATCH, 5)).astype("int32")
    t[0, 3:] = 0
    t[1, 0] = 0
    t[2, 2] = 0
    return t


def embedded(rng, n, mask_zero=(True, True), dim=3):
    ins = [Input((5,), dtype="int32") for _ in range(n)]
    layers = [Embedding(6, dim, mask_zero=m) for m in mask_zero]
    outs = [layer(i) for layer, i in zip(layers, ins)]
    for layer in layers:
        layer.set_weights([rng.uniform(-1, 1, (6, dim)).astype("float32")])
    return ins, outs, [tokens(rng) for _ in range(n)]


@case
def mask_concat(rng):
    ins, es, xs = embedded(rng, 2)
    return ins, merge(es, mode="concat"), xs


@case
def mask_concat_axis1(rng):
    ins, es, xs = embedded(rng, 2)
    return ins, merge(es, mode="concat", concat_axis=1), xs


@case
def mask_concat_unmasked(rng):
    ins, es, xs = embedded(rng, 2, mask_zero=(True, False))
    return ins, merge(es, mode="concat"), xs


@case
def mask_sum(rng):
    ins, es, xs = embedded(rng, 2)
    return ins, merge(es, mode="sum"), xs


@case
def mask_sum_unmasked(rng):
    ins, es, xs = embedded(rng, 2, mask_zero=(False, True))
    return ins, merge(es, mode="sum"), xs


@case
def mask_mul(rng):
    ins, es, xs = embedded(rng, 2)
    return ins, merge(es, mode="mul"), xs


@case
def mask_ave_3(rng):
    ins, es, xs = embedded(rng, 3, mask_zero=(True, True, True))
    return ins, merge(es, mode="ave"), xs


@case
def mask_dot(rng):
    ins, es, xs = embedded(rng, 2)
    return ins, merge(es, mode="dot", dot_axes=2), xs


@case
def mask_cos(rng):
    ins, es, xs = embedded(rng, 2)
    return ins, merge(es, mode="cos", dot_axes=(1, 1)), xs


@case
def mask_function_output_mask(rng):
    ins, es, xs = embedded(rng, 2)
    out = merge(es, mode=lambda xs, mask=None: xs[0] * K.expand_dims(K.cast(mask[0], "float32")) + xs[1],
                output_shape=(5, 3), output_mask=lambda masks: masks[1])
    return ins, out, xs


@case
def mask_function_no_output_mask(rng):
    ins, es, xs = embedded(rng, 2)
    out = merge(es, mode=lambda xs: xs[0] - xs[1], output_shape=(5, 3))
    return ins, out, xs


# -- what Keras 1 refuses -----------------------------------------------------------------------
def _masked_pair():
    ins = [Input((5,), dtype="int32") for _ in range(2)]
    return [Embedding(6, 3, mask_zero=True)(i) for i in ins]


ERRORS = {
    "sum_shape_mismatch": lambda: merge([Input((5,)), Input((4,))], mode="sum"),
    "max_shape_mismatch": lambda: merge([Input((2, 3)), Input((3, 2))], mode="max"),
    "single_input": lambda: merge([Input((5,))], mode="sum"),
    "single_tensor_to_Merge": lambda: Merge(mode="sum")(Input((5,))),
    "invalid_mode": lambda: merge([Input((5,)), Input((5,))], mode="foo"),
    "dot_three_inputs": lambda: merge([Input((5,)), Input((5,)), Input((5,))], mode="dot"),
    "cos_three_inputs": lambda: merge([Input((5,)), Input((5,)), Input((5,))], mode="cos"),
    "dot_dim_mismatch": lambda: merge([Input((5,)), Input((4,))], mode="dot"),
    "dot_pair_dim_mismatch": lambda: merge([Input((4, 3)), Input((4, 3))], mode="dot", dot_axes=(1, 2)),
    "dot_axes_three": lambda: merge([Input((4, 3)), Input((4, 3))], mode="dot", dot_axes=(1, 1, 1)),
    "dot_axes_type": lambda: merge([Input((4, 3)), Input((4, 3))], mode="dot", dot_axes="1"),
    "concat_mismatch": lambda: merge([Input((4, 3)), Input((5, 2))], mode="concat"),
    "max_masked": lambda: merge(_masked_pair(), mode="max"),
    "function_without_output_shape": lambda: merge([Input((5,)), Input((5,))], mode=lambda xs: xs[0] + xs[1]),
}


# -- writing -------------------------------------------------------------------------------------
def shape_list(shape):
    return None if shape is None else [None if d is None else int(d) for d in shape]


def write_npz(path, arrays):
    """np.savez, but with a fixed date on every zip entry (reruns give identical bytes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def main():
    with open(os.path.abspath(__file__), "rb") as f:
        script_sha = hashlib.sha256(f.read()).hexdigest()
    data, cases = {}, {}
    for number, build in enumerate(CASES):
        rng = np.random.RandomState(1000 + number)
        ins, out, xs = build(rng)
        layer, node_index, _ = out._keras_history
        mask = layer.get_output_mask_at(node_index)
        model = Model(ins, out)
        y = model.predict(xs, batch_size=BATCH)
        name = build.__name__
        for i, x in enumerate(xs):
            data["%s/x%d" % (name, i)] = x
        data[name + "/y"] = y
        weights = [w for l in model.layers if isinstance(l, Embedding) for w in l.get_weights()]
        for i, w in enumerate(weights):
            data["%s/w%d" % (name, i)] = w
        if mask is not None:
            data[name + "/mask"] = np.asarray(K.function(ins, [mask])(xs)[0])
        cases[name] = {
            "inputs": len(xs),
            "declared_shape": shape_list(out._keras_shape),
            "output_shape": list(y.shape),
            "mask": mask is not None,
            "mask_shape": list(data[name + "/mask"].shape) if mask is not None else None,
        }
        print("%-32s %-22s -> %s%s" % (name, [list(x.shape) for x in xs], list(y.shape),
                                       "  mask %s" % (cases[name]["mask_shape"],) if mask is not None else ""))
    errors = {}
    for name in sorted(ERRORS):
        try:
            ERRORS[name]()
            errors[name] = None
        except Exception as exc:  # noqa: BLE001 -- we record what Keras 1 raises
            errors[name] = type(exc).__name__
        print("%-32s %s" % (name, errors[name]))
    if not os.path.isdir(OUT):
        os.makedirs(OUT)
    write_npz(os.path.join(OUT, "reference.npz"), data)
    meta = {"script": "tests/merge/make_reference.py", "script_sha256": script_sha,
            "keras_version": keras.__version__, "backend": K.backend(), "epsilon": K.epsilon(),
            "batch": BATCH, "cases": cases, "errors": errors}
    with open(os.path.join(OUT, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d cases, %d error checks to %s" % (len(cases), len(errors), OUT))


if __name__ == "__main__":
    main()
