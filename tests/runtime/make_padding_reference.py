"""Reference numbers for k1port.runtime's ``keras1_backend='theano'`` layers, from the real Keras 1.2.2.

Runs INSIDE the oracle (Keras 1.2.2 on Theano 1.0.5; tests/oracle/README.md):

    tests/oracle/run.sh tests/runtime/make_padding_reference.py [--out PATH]

Every case is one Keras 1 layer with ``border_mode='same'`` (Convolution1D/2D/3D,
AtrousConvolution1D/2D, Deconvolution2D, Max/AveragePooling1D/2D/3D; 'th' and 'tf'
orderings) on a small random input (mostly negative, so that a max pooling padded with zeros
would show), with random weights and biases set through ``set_weights`` in Keras 1's own
layout. Writes ``tests/runtime/data/padding_reference.npz``:

    cases            JSON list of {"name", "kind", "layer", "args", ...} (one per case)
    <name>__x        the input (float32)
    <name>__y        Keras 1's predict() output (float32)
    <name>__W, __b   the weights as Keras 1 holds them (convolutions only)
    meta             JSON: oracle versions, sha256 of this script (check_padding.py fails
                     with the command above when the script changed and the data did not)

check_padding.py (project venv, both Keras 3 backends) rebuilds every case with the
k1port.runtime layer and ``keras1_backend='theano'``, converts the weights itself (Theano
kernels are flipped, tests/oracle/README.md) and compares at 1e-5. The output is
deterministic: rerunning gives identical arrays.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

import keras
import theano
from keras import layers as L
from keras.models import Sequential

OUT = Path(__file__).resolve().parent / "data" / "padding_reference.npz"
BATCH = 2


def _cases():
    """(name, spec) for every case; spec holds what both sides need."""
    cases = []

    def add(name, **spec):
        cases.append((name, spec))

    # Convolution2D / AtrousConvolution2D: even kernels, strides > 1 on even and odd sizes,
    # an odd kernel with stride 1 (the one case where Theano and Keras 3 agree), dilation.
    conv2d = [  # (size, kernel, strides, dilation, orderings)
        ((8, 8), (2, 2), (1, 1), 1, "th tf"),
        ((8, 8), (3, 3), (2, 2), 1, "th tf"),
        ((9, 9), (3, 3), (2, 2), 1, "th tf"),
        ((7, 6), (4, 3), (1, 1), 1, "th tf"),
        ((7, 6), (4, 3), (2, 2), 1, "tf"),
        ((10, 10), (5, 4), (3, 3), 1, "th"),
        ((6, 6), (3, 3), (1, 1), 1, "tf"),
        ((8, 8), (2, 2), (1, 1), 2, "tf"),
        ((9, 8), (3, 2), (1, 1), 2, "th"),
        ((8, 9), (2, 3), (1, 1), 3, "tf"),
    ]
    for size, kernel, strides, rate, orderings in conv2d:
        for o in orderings.split():
            layer = "AtrousConvolution2D" if rate > 1 else "Convolution2D"
            add(f"conv2d_{o}_{size[0]}x{size[1]}_k{kernel[0]}x{kernel[1]}_s{strides[0]}_d{rate}",
                kind="conv2d", layer=layer, ordering=o, size=size, channels=3, filters=4,
                kernel=kernel, strides=strides, dilation=(rate, rate))
    # Convolution1D / AtrousConvolution1D (no ordering: (batch, steps, channels)).
    for length, k, stride, rate in [(8, 2, 1, 1), (8, 4, 2, 1), (9, 3, 2, 1), (10, 4, 3, 1),
                                    (8, 2, 1, 2), (10, 4, 1, 3), (7, 3, 1, 1)]:
        layer = "AtrousConvolution1D" if rate > 1 else "Convolution1D"
        add(f"conv1d_{length}_k{k}_s{stride}_d{rate}", kind="conv1d", layer=layer, ordering="tf",
            size=(length,), channels=3, filters=4, kernel=(k,), strides=(stride,), dilation=(rate,))
    # Convolution3D.
    for size, kernel, strides, orderings in [((4, 5, 6), (2, 2, 2), (1, 1, 1), "th tf"),
                                             ((5, 6, 4), (2, 3, 4), (2, 2, 1), "th tf"),
                                             ((6, 6, 5), (3, 3, 3), (2, 2, 2), "tf")]:
        for o in orderings.split():
            add(f"conv3d_{o}_{'x'.join(map(str, size))}_k{''.join(map(str, kernel))}_s{''.join(map(str, strides))}",
                kind="conv3d", layer="Convolution3D", ordering=o, size=size, channels=2, filters=3,
                kernel=kernel, strides=strides, dilation=(1, 1, 1))
    # Deconvolution2D: output sizes Theano accepts; even kernels with strides > 1 come out
    # cut to ceil(input / stride) (Keras 1's own inconsistency, reproduced).
    for size, kernel, strides, out, orderings in [
            ((4, 4), (3, 3), (2, 2), (8, 8), "th tf"),
            ((4, 4), (3, 3), (2, 2), (7, 7), "tf"),
            ((4, 3), (5, 3), (3, 2), (12, 6), "th"),
            ((5, 5), (3, 3), (3, 3), (13, 15), "tf"),
            ((5, 5), (3, 3), (1, 1), (5, 5), "tf"),
            ((5, 5), (2, 2), (1, 1), (4, 4), "th tf"),
            ((5, 4), (4, 2), (1, 1), (4, 3), "tf"),
            ((4, 4), (2, 2), (2, 2), (6, 7), "tf"),
            ((4, 4), (4, 3), (2, 2), (7, 8), "th")]:
        for o in orderings.split():
            add(f"deconv2d_{o}_{size[0]}x{size[1]}_k{kernel[0]}x{kernel[1]}_s{strides[0]}x{strides[1]}"
                f"_o{out[0]}x{out[1]}", kind="deconv2d", layer="Deconvolution2D", ordering=o, size=size,
                channels=3, filters=5, kernel=kernel, strides=strides, output_size=out)
    # Pooling 2D: pools 2, 3 (and 4, 5, mixed), strides 1 and 2 (and mixed).
    pool2d = [((4, 4), (2, 2), (2, 2), "th tf"), ((5, 5), (2, 2), (2, 2), "tf"),
              ((5, 5), (2, 2), (1, 1), "th tf"), ((5, 6), (3, 3), (1, 1), "th tf"),
              ((8, 8), (3, 3), (2, 2), "th tf"), ((9, 9), (3, 3), (2, 2), "tf"),
              ((9, 7), (3, 2), (2, 3), "th"), ((7, 7), (4, 4), (2, 2), "tf"),
              ((7, 7), (5, 5), (1, 1), "tf"), ((6, 7), (2, 3), (3, 1), "th")]
    for mode in ("max", "avg"):
        for size, pool, strides, orderings in pool2d:
            for o in orderings.split():
                add(f"{mode}pool2d_{o}_{size[0]}x{size[1]}_p{pool[0]}x{pool[1]}_s{strides[0]}x{strides[1]}",
                    kind="pool2d", mode=mode, layer=("MaxPooling2D" if mode == "max" else "AveragePooling2D"),
                    ordering=o, size=size, channels=3, pool=pool, strides=strides)
        for length, pool, stride in [(8, 2, 2), (7, 3, 1), (9, 3, 2), (8, 4, 3), (7, 5, 1), (6, 2, 1)]:
            add(f"{mode}pool1d_{length}_p{pool}_s{stride}", kind="pool1d", mode=mode,
                layer=("MaxPooling1D" if mode == "max" else "AveragePooling1D"), ordering="tf",
                size=(length,), channels=3, pool=(pool,), strides=(stride,))
        for size, pool, strides, orderings in [((4, 5, 6), (2, 2, 2), (2, 2, 2), "th tf"),
                                               ((5, 5, 4), (3, 3, 3), (1, 2, 1), "th tf"),
                                               ((5, 6, 7), (2, 3, 4), (2, 2, 3), "tf")]:
            for o in orderings.split():
                add(f"{mode}pool3d_{o}_{'x'.join(map(str, size))}_p{''.join(map(str, pool))}"
                    f"_s{''.join(map(str, strides))}", kind="pool3d", mode=mode,
                    layer=("MaxPooling3D" if mode == "max" else "AveragePooling3D"), ordering=o,
                    size=size, channels=2, pool=pool, strides=strides)
    return cases


def _shape(spec):
    """Keras 1 input shape (no batch)."""
    if spec["kind"] in ("conv1d", "pool1d") or spec["ordering"] == "tf":
        return (*spec["size"], spec["channels"])
    return (spec["channels"], *spec["size"])


def _weight_shape(spec):
    """Keras 1's W shape for the case's layer."""
    k, cin, cout, o = tuple(spec["kernel"]), spec["channels"], spec["filters"], spec["ordering"]
    if spec["kind"] == "conv1d":
        return (k[0], 1, cin, cout)
    return (*k, cin, cout) if o == "tf" else (cout, cin, *k)


def _layer(spec):
    kind, o, shape = spec["kind"], spec["ordering"], _shape(spec)
    common = dict(border_mode="same", input_shape=shape)
    if kind == "conv1d":
        extra = {"atrous_rate": spec["dilation"][0]} if spec["layer"] == "AtrousConvolution1D" else {}
        return getattr(L, spec["layer"])(spec["filters"], spec["kernel"][0],
                                         subsample_length=spec["strides"][0], **extra, **common)
    if kind == "conv2d":
        extra = {"atrous_rate": tuple(spec["dilation"])} if spec["layer"] == "AtrousConvolution2D" else {}
        return getattr(L, spec["layer"])(spec["filters"], *spec["kernel"], subsample=tuple(spec["strides"]),
                                         dim_ordering=o, **extra, **common)
    if kind == "conv3d":
        return L.Convolution3D(spec["filters"], *spec["kernel"], subsample=tuple(spec["strides"]),
                               dim_ordering=o, **common)
    if kind == "deconv2d":
        out = tuple(spec["output_size"])
        output_shape = (None, *out, spec["filters"]) if o == "tf" else (None, spec["filters"], *out)
        return L.Deconvolution2D(spec["filters"], *spec["kernel"], output_shape=output_shape,
                                 subsample=tuple(spec["strides"]), dim_ordering=o, **common)
    if kind == "pool1d":
        return getattr(L, spec["layer"])(pool_length=spec["pool"][0], stride=spec["strides"][0], **common)
    return getattr(L, spec["layer"])(pool_size=tuple(spec["pool"]), strides=tuple(spec["strides"]),
                                     dim_ordering=o, **common)


def make(out: Path) -> None:
    arrays, specs = {}, []
    for index, (name, spec) in enumerate(_cases()):
        rng = np.random.RandomState(1000 + index)
        layer = _layer(spec)
        model = Sequential([layer])
        spec["args"] = {k: v for k, v in layer.get_config().items()
                        if k not in ("name", "trainable", "batch_input_shape", "input_dtype", "init")}
        x = rng.uniform(-1.0, 0.3, (BATCH, *_shape(spec))).astype("float32")
        if layer.get_weights():
            w = rng.uniform(-1, 1, _weight_shape(spec)).astype("float32")
            b = rng.uniform(-1, 1, (spec["filters"],)).astype("float32")
            assert layer.get_weights()[0].shape == w.shape, (name, layer.get_weights()[0].shape, w.shape)
            layer.set_weights([w, b])
            arrays[f"{name}__W"], arrays[f"{name}__b"] = w, b
        y = model.predict(x, batch_size=BATCH).astype("float32")
        assert np.all(np.isfinite(y)), name
        arrays[f"{name}__x"], arrays[f"{name}__y"] = x, y
        specs.append({"name": name, **spec, "declared_output_shape": list(model.output_shape[1:]),
                      "output_shape": list(y.shape[1:])})
        print(f"{name}: {x.shape} -> {y.shape}", file=sys.stderr)
    arrays["cases"] = np.array(json.dumps(specs, sort_keys=True, default=list))
    script = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    arrays["meta"] = np.array(json.dumps({"keras": keras.__version__, "theano": theano.__version__,
                                          "numpy": np.__version__, "backend": keras.backend.backend(),
                                          "script_sha256": script}, sort_keys=True))
    # np.savez stamps the current time into the zip: write entries with a fixed date instead,
    # so that regenerating unchanged cases changes no byte.
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(arrays[key]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())
    print(f"wrote {len(specs)} cases to {out}", file=sys.stderr)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if keras.backend.backend() != "theano":
        sys.exit(f"make_padding_reference.py needs Keras 1 on Theano, got {keras.backend.backend()}")
    make(args.out)


if __name__ == "__main__":
    main()
