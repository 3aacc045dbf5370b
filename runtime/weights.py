"""Keras 1 weight files and weight arrays in Keras 3 models.

Three functions for files; the last two are what converted ``model.load_weights(path)`` and
``model.save_weights(path)`` call:

``load_keras1_weights(model, filepath, by_name=False, backend="auto")``
    Load a Keras 1 (1.0-1.2.2) ``model.save_weights`` file, or the weights of a Keras 1
    ``model.save`` file, into a Keras 3 model whose layers correspond to the Keras 1 model's
    (as k1port converts them, or as ported by hand). Returns a :class:`Keras1WeightsReport`.
``load_weights(model, filepath, by_name=False, backend="auto")``
    Read the file's HDF5 contents: a Keras 1 file goes to :func:`load_keras1_weights`;
    a file Keras 2 or 3 wrote (including one :func:`save_weights` wrote) to Keras 3's own
    ``model.load_weights``, whatever the file is called.
``save_weights(model, filepath, overwrite=True)``
    Write the model's weights to exactly ``filepath`` ('w.h5', 'weights.hdf5', ...), in a
    form ``load_weights(model, filepath)`` (and Keras 3's ``model.load_weights``) reads back.

and three for arrays, what converted ``x.get_weights()``, ``x.set_weights(arrays)`` and
``Dense(..., weights=arrays)`` call (``backend``: the Keras 1 backend, as below):

``get_keras1_weights(layer_or_model, backend="tensorflow")``
    Keras 1's ``get_weights()``: the arrays in Keras 1's order and layout for each layer.
``set_keras1_weights(layer_or_model, arrays, backend="tensorflow")``
    Keras 1's ``set_weights(arrays)``; the exact inverse of ``get_keras1_weights``.
``initial_weights(layer, arrays, backend="tensorflow")``
    Keras 1's ``weights=`` argument: ``set_keras1_weights`` once the layer is built.

Matching (as Keras 1 did)
    Without ``by_name``, the Keras 1 layers that have weights are matched, in order, with
    the model's layers that have weights, in Keras 1's order: a ``Sequential``'s layers in
    order; a functional model's layers ordered the way Keras 1's ``Container`` ordered them
    (by depth from the outputs, deepest first; ties in the order a depth-first walk from
    the outputs first reached them), recomputed on the Keras 3 graph by
    :func:`keras1_layer_order`. Keras 3's ``model.layers`` uses nearly the same rule but
    can differ around shared layers, so it is not used. With ``by_name=True``, each Keras 1
    layer loads into the model's top-level layer of the same name, if any (Keras 3 names
    layers differently from Keras 1: only layers given ``name=`` explicitly match); the
    report lists what matched nothing. Nothing is assigned unless every layer converts.

What is converted (Keras 1 arrays <-> the Keras 3 layer's variables; one table, ``_layout``,
read one way to load and set, the other to get)
    Dense, Embedding, SimpleRNN, PReLU: as they are.
    k1port.runtime's MaxoutDense, Highway, SReLU, ParametricSoftplus, LocallyConnected1D/2D:
    as they are (they hold Keras 1's variables, in its order and shapes).
    LSTM: 12 arrays ``W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o`` (gate
    order i, c, f, o; ``consume_less`` 'cpu'/'mem') -> ``kernel``, ``recurrent_kernel``,
    ``bias`` concatenated in Keras 3's order i, f, c, o; ``consume_less='gpu'`` files hold
    ``W, U, b`` already packed i, f, c, o. GRU: ``W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h,
    b_h`` (or packed ``W, U, b``) -> a ``GRU(reset_after=False)``, the Keras 1 formula.
    BatchNormalization: ``gamma, beta, running_mean, running_std`` -> ``gamma, beta,
    moving_mean, moving_variance``; Keras 1's ``running_std`` holds a variance, copied as is.
    Convolution1D: the 4-D ``W (length, 1, in, filters)`` -> ``(length, in, filters)``.
    Convolution2D/3D, AtrousConvolution2D, ConvLSTM2D: a 'th' kernel ``(filters, in, *k)``
    -> Keras 3's ``(*k, in, filters)``; a 'tf' kernel is already in that layout. Which one
    the file holds follows the Keras 3 layer's ``data_format`` (k1port keeps a 'th' model's
    layout: its layers are ``channels_first``); a kernel whose shape does not fit is an
    error naming the layer. ConvLSTM2D's 12 arrays are gated i, c, f, o like LSTM's.
    Deconvolution2D: ``W`` ('th' ``(filters, in, rows, cols)``, 'tf' ``(rows, cols, in,
    filters)``) -> Conv2DTranspose's ``(rows, cols, filters, in)``.
    SeparableConvolution2D: 'th' ``depthwise (mult, in, r, c)``, ``pointwise (filters,
    in*mult, 1, 1)`` -> ``(r, c, in, mult)``, ``(1, 1, in*mult, filters)``.
    TimeDistributed: the wrapped layer's arrays. Bidirectional: forward layer's, then
    backward's. A model used as a layer (a Sequential inside a model): Keras 1 stored all
    its layers' trainable arrays, then all their non-trainable ones (BatchNormalization's
    statistics); they are split among its layers in Keras 1's order. A model's
    ``get_weights()`` list (arrays, not files): each layer's in Keras 1's layer order, an
    inner model as its ``weights`` in a functional model and layer by layer in a
    Sequential (Keras 1's ``Container.get_weights`` and ``Sequential.get_weights``). Any
    other layer whose arrays already have the Keras 3 variables' shapes is loaded as is
    (reported). Getting gives Keras 1.2.2's default layouts: LSTM/GRU per gate, Convolution1D
    4-D, a bias wherever the Keras 3 layer has one (and zeros, or BatchNormalization's ones,
    for the arrays Keras 1 always had and the Keras 3 layer lacks).
    A Dense after a Flatten of a channels-first tensor needs no change: k1port keeps
    'th' models channels-first, so Flatten sees (C, H, W) as in Keras 1. (A model ported
    to channels_last by hand would need that Dense's rows permuted; not done here.)

The backend that wrote the file (``backend=``)
    Keras 1's Theano backend computed convolutions as true convolutions (kernel flipped in
    its spatial dimensions); TensorFlow and Keras 3 compute cross-correlations. So a kernel
    a Theano user trained must be flipped: ``backend="theano"`` flips the spatial axes of
    Convolution1D/2D/3D, AtrousConvolution2D, Deconvolution2D and both ConvLSTM2D kernels;
    ``backend="tensorflow"`` flips nothing. SeparableConvolution2D is never flipped: Keras
    1.2.2 refused to build it on Theano, so every such kernel was written by TensorFlow.
    ``backend="auto"`` (the default) reads the weight names, the one trace the writer left:
    Keras 1 saved each weight under its variable's name, and a TensorFlow variable's name
    always ends in ``:0`` ('dense_1_W:0') while Theano keeps the name it was given
    ('dense_1_W'). Names with ``:N`` -> 'tensorflow'; names without -> 'theano'. A file with
    no names (only ``param_N``) -> 'theano' if the model has channels_first convolutions
    (the 'th' ordering was the Theano default), else 'tensorflow' (Keras 1.2.2's default
    backend), with a warning if the model has convolution kernels. The report says which
    backend was assumed and why, and lists the layers whose kernels were flipped.
    (The Theano backend also padded 'same' convolutions with even kernels or strides and
    'same' max-pooling differently from TensorFlow: that is computation, not weights.)

Files: HDF5 via h5py; string attributes may be fixed-length bytes (what Keras 1 with h5py
2 wrote) or variable-length str (h5py 3). The pre-1.0 format (``nb_layers``) is refused.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import re
import shutil
import tempfile
import warnings
import zipfile

import h5py
import keras
import numpy as np
from keras import ops

from k1port.runtime import legacy_layers

logger = logging.getLogger(__name__)

BACKENDS = ("auto", "theano", "tensorflow")

# Keras 1 weight-name suffixes (``<layer name>_<param>``), longest first.
_KERAS1_PARAMS = sorted(
    {"W", "b", "U", "gamma", "beta", "running_mean", "running_std", "alphas", "betas",
     "depthwise_kernel", "pointwise_kernel", "W_carry", "b_carry",
     "t_left", "a_left", "t_right", "a_right"}
    | {f"{p}_{g}" for p in "WUb" for g in "icfozrh"},
    key=len, reverse=True)
_TF_SUFFIX = re.compile(r":\d+$")
_UNNAMED = re.compile(r"param_\d+$")
_ATTR_LIMIT = 64000  # HDF5 object headers hold at most 64 KiB of attributes.


class Keras1WeightsError(ValueError):
    """A Keras 1 weight file that does not fit the model (the message names the layers)."""


@dataclasses.dataclass
class Keras1WeightsReport:
    """What :func:`load_keras1_weights` did.

    ``backend``: 'theano' or 'tensorflow', the backend assumed to have written the file;
    ``backend_reason``: why. ``loaded``: ``(Keras 3 layer, Keras 1 layer)`` name pairs.
    ``flipped``: Keras 3 layers (paths) whose kernels were flipped for Theano.
    ``unused``: Keras 1 layers with weights that loaded nowhere (``by_name``).
    ``unmatched``: the model's layers with weights that the file left unchanged (``by_name``).
    ``source``: 'save_weights' or 'model.save' (the file Keras 1 wrote). ``notes``: anything
    else worth knowing (layers loaded as is, ...).
    """

    filepath: str
    source: str
    backend: str
    backend_reason: str
    loaded: list = dataclasses.field(default_factory=list)
    flipped: list = dataclasses.field(default_factory=list)
    unused: list = dataclasses.field(default_factory=list)
    unmatched: list = dataclasses.field(default_factory=list)
    notes: list = dataclasses.field(default_factory=list)

    def __str__(self):
        lines = [f"Keras 1 weights from {self.filepath} ({self.source}): {len(self.loaded)} layer(s) "
                 f"loaded; written by the {self.backend} backend ({self.backend_reason})"]
        if self.flipped:
            lines.append("kernels flipped for Theano: " + ", ".join(self.flipped))
        if self.unused:
            lines.append("Keras 1 layers not loaded: " + ", ".join(self.unused))
        if self.unmatched:
            lines.append("model layers left unchanged: " + ", ".join(self.unmatched))
        lines.extend(self.notes)
        return "\n".join(lines)


# --- reading HDF5 ---------------------------------------------------------------------------

def _strings(value) -> list[str]:
    """An HDF5 string-list attribute as ``str``: fixed-length bytes, vlen str, or Keras 1's
    empty float64 array for a layer without weights."""
    array = np.asarray(value)
    items = [array.item()] if array.ndim == 0 else list(array.ravel())
    out = []
    for item in items:
        if isinstance(item, (bytes, np.bytes_)):
            out.append(bytes(item).decode("utf8"))
        elif isinstance(item, str):
            out.append(item)
        else:
            raise Keras1WeightsError(f"expected a list of strings, found {value!r}")
    return out


def _string_attr(obj, name):
    """``obj.attrs[name]`` as a list of str (also Keras 2's chunked ``name0``, ``name1``...);
    None if absent."""
    if name in obj.attrs:
        return _strings(obj.attrs[name])
    if f"{name}0" in obj.attrs:
        out, chunk = [], 0
        while f"{name}{chunk}" in obj.attrs:
            out += _strings(obj.attrs[f"{name}{chunk}"])
            chunk += 1
        return out
    return None


def _scalar_string(obj, name):
    if name not in obj.attrs:
        return None
    strings = _strings(obj.attrs[name])
    return strings[0] if strings else None


def _weights_group(f):
    """The group holding ``layer_names`` (the file itself, or a ``model.save`` file's
    ``model_weights``), or None."""
    if _string_attr(f, "layer_names") is not None or "nb_layers" in f.attrs:
        return f
    if "model_weights" in f and isinstance(f["model_weights"], h5py.Group):
        g = f["model_weights"]
        if _string_attr(g, "layer_names") is not None:
            return g
    return None


def weights_format(filepath) -> str:
    """What wrote the weight file at ``filepath``, read from its contents (never its name).

    'keras1': Keras 1 (``layer_names`` without a ``keras_version`` of 2 or later; a Keras 1
    ``model.save`` file says '1.x'). 'legacy_h5': Keras 2's HDF5 layout (also written by
    Keras 3's legacy saver and by :func:`save_weights`). 'keras3_h5': Keras 3's
    ``.weights.h5`` layout. 'keras_zip': a Keras 3 ``.keras`` archive. 'keras0': the
    pre-1.0 Keras format. Raises ValueError for anything else.
    """
    path = os.fspath(filepath)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No weight file at {path!r}")
    if zipfile.is_zipfile(path):
        return "keras_zip"
    with h5py.File(path, "r") as f:
        group = _weights_group(f)
        if group is not None:
            if "nb_layers" in group.attrs:
                return "keras0"
            version = _scalar_string(group, "keras_version") or _scalar_string(f, "keras_version")
            return "keras1" if version is None or version.startswith("1") else "legacy_h5"
        if "vars" in f or "layers" in f:
            return "keras3_h5"
    raise ValueError(f"{path!r} is an HDF5 file but not a Keras weight file "
                     "(no 'layer_names' attribute, no 'model_weights', 'layers' or 'vars' group)")


@dataclasses.dataclass
class _Group:
    """One Keras 1 layer's weights: ``names`` and ``arrays`` in the file's order."""

    name: str
    names: list
    arrays: list


def _read_keras1(f) -> tuple[list[_Group], str]:
    group = _weights_group(f)
    if group is None:
        raise Keras1WeightsError("not a Keras 1 weight file: no 'layer_names' attribute "
                                 "and no 'model_weights' group")
    if "nb_layers" in group.attrs:
        raise Keras1WeightsError("this weight file has the pre-1.0 Keras layout ('nb_layers', "
                                 "'layer_k/param_p'), which is not supported")
    source = "save_weights" if group is f else "model.save"
    layers = []
    for name in _string_attr(group, "layer_names"):
        g = group[name]
        names = _string_attr(g, "weight_names") or []
        layers.append(_Group(name, names, [np.asarray(g[n]) for n in names]))
    return layers, source


@contextlib.contextmanager
def _h5(filepath):
    if isinstance(filepath, h5py.Group):
        yield filepath, getattr(filepath.file, "filename", str(filepath))
        return
    path = os.fspath(filepath)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No weight file at {path!r}")
    with h5py.File(path, "r") as f:
        yield f, path


# --- Keras 1's layer order on a Keras 3 graph -----------------------------------------------

def keras1_layer_order(model) -> list:
    """The model's top-level layers in the order Keras 1 stored and matched them.

    A Sequential: its layers (merging models, the branches' layers first; see
    :mod:`k1port.runtime.sequential_merge`). A functional model: Keras 1's ``Container`` order, replayed
    on the Keras 3 graph: a depth-first walk from each output (inputs of a node in order)
    gives every layer a depth (the largest met; a node is walked again when reached at a
    depth not yet seen from this output, and its inputs are placed one deeper than its
    layer's current depth) and a first-visit index; layers are sorted by depth, deepest
    first, then by index. Any other model: ``model.layers``.
    """
    if isinstance(model, keras.Sequential):
        # k1.Sequential merging models: Keras 1's flattened_layers (the branches' layers).
        return list(getattr(model, "keras1_flattened_layers", model.layers))
    outputs = getattr(model, "outputs", None)
    if not outputs or not all(hasattr(t, "_keras_history") for t in outputs):
        return list(model.layers)
    input_ids = {id(t) for t in (getattr(model, "inputs", None) or [])}
    depth, index, layers = {}, {}, {}

    def node_of(tensor):
        operation, node_index, _ = tensor._keras_history
        return (None, None) if operation is None else (operation, operation._inbound_nodes[node_index])

    for output in outputs:
        seen = set()
        stack = [(output, 0)]
        while stack:
            tensor, level = stack.pop()
            operation, node = node_of(tensor)
            if operation is None or (id(node), level) in seen:
                continue
            if id(tensor) in input_ids and not node.is_input:
                continue  # a model input made by a layer outside the model
            seen.add((id(node), level))
            key = id(operation)
            current = max(level, depth.get(key, level))
            depth[key] = current
            layers.setdefault(key, operation)
            index.setdefault(key, len(index))
            if not node.is_input:
                # Pushed in reverse so that they are walked in order.
                stack.extend((x, current + 1) for x in reversed(node.input_tensors))
    ordered = sorted(layers, key=lambda k: (-depth[k], index[k]))
    return [layers[k] for k in ordered if isinstance(layers[k], keras.layers.Layer)]


# --- per-layer layouts ----------------------------------------------------------------------
#
# What Keras 1 stored for each kind of layer, written once and read both ways: a layer's
# _Layout lists, for each of its Keras 3 variables, which of the layer's Keras 1 arrays it
# holds and the conversion between them (loading files, `weights=`, set_weights: Keras 1 ->
# Keras 3; get_weights: back).

def _leaves(layer) -> list:
    """The layers whose weights a Keras 1 layer group holds, in Keras 1's order."""
    if isinstance(layer, keras.layers.Bidirectional):
        return _leaves(layer.forward_layer) + _leaves(layer.backward_layer)
    if isinstance(layer, keras.layers.TimeDistributed):
        return _leaves(layer.layer)
    if isinstance(layer, keras.Model):
        return [leaf for sub in keras1_layer_order(layer) if sub.weights for leaf in _leaves(sub)]
    return [layer]


def _cell(layer):
    return getattr(layer, "cell", None)


class _Mismatch(Exception):
    """Keras 1 arrays that do not fit a layer (the caller says which layer)."""


@dataclasses.dataclass(frozen=True)
class _Axes:
    """One Keras 1 array <-> one Keras 3 array: drop Keras 1's length-1 axis ``squeeze``,
    permute the axes (Keras 3's axis j is axis ``perm[j]``), flip the axes ``flip``
    (Theano computed true convolutions)."""

    perm: tuple | None = None
    flip: tuple = ()
    squeeze: int | None = None

    def to_keras3(self, arrays):
        (array,) = arrays
        if self.squeeze is not None:
            array = np.squeeze(array, self.squeeze)
        if self.perm is not None:
            array = np.transpose(array, self.perm)
        return np.flip(array, self.flip) if self.flip else array

    def to_keras1(self, value):
        array = np.flip(value, self.flip) if self.flip else value
        if self.perm is not None:
            array = np.transpose(array, np.argsort(self.perm))
        if self.squeeze is not None:
            array = np.expand_dims(array, self.squeeze)
        return [array]


_SAME = _Axes()
_IFCO = (0, 2, 1, 3)  # Keras 3's LSTM gates i, f, c, o among Keras 1's i, c, f, o


@dataclasses.dataclass(frozen=True)
class _Gates:
    """Keras 1's per-gate arrays <-> Keras 3's fused one, concatenated on the last axis in
    Keras 3's gate order: block j is Keras 1 array ``order[j]``, converted by ``each``."""

    order: tuple
    each: _Axes = _SAME

    def to_keras3(self, arrays):
        return np.concatenate([self.each.to_keras3([arrays[k]]) for k in self.order], axis=-1)

    def to_keras1(self, value):
        arrays = [None] * len(self.order)
        for k, block in zip(self.order, np.split(value, len(self.order), axis=-1)):
            (arrays[k],) = self.each.to_keras1(block)
        return arrays


@dataclasses.dataclass(frozen=True)
class _Broadcast:
    """A Keras 1 array of shape ``given`` broadcast to the variable's ``full`` shape (PReLU's
    shared alpha; only when setting: see ``_layout``)."""

    given: tuple
    full: tuple

    def to_keras3(self, arrays):
        return np.broadcast_to(arrays[0], self.full)

    def to_keras1(self, value):
        value = value[(0,) * (value.ndim - len(self.given))]
        return [value[tuple(slice(0, n) for n in self.given)]]


@dataclasses.dataclass(frozen=True)
class _Part:
    """A layer's Keras 1 arrays ``indices`` (``what``) <-> its Keras 3 ``variable``, by
    ``transform``. ``variable`` None: the Keras 3 layer lacks it (use_bias=False,
    center/scale=False), so the Keras 1 arrays hold ``fill`` (a Keras 3 value of ``shape``).
    Kernels say the Keras 1 ``ordering`` they are read in and ``other``, (the other
    ordering, its transform), to say when an array fits that one instead."""

    what: str
    indices: tuple
    variable: object
    transform: object = _SAME
    fill: float = 0.0
    shape: tuple = ()
    ordering: str = ""
    other: tuple | None = None

    def keras1_shapes(self, transform=None) -> list:
        shape = tuple(self.variable.shape) if self.variable is not None else self.shape
        zeros = np.broadcast_to(np.zeros((), "float32"), shape)  # takes no memory
        return [a.shape for a in (transform or self.transform).to_keras1(zeros)]

    def to_keras3(self, arrays):
        """The variable's value from the Keras 1 arrays (None where the layer lacks it)."""
        shapes = [np.shape(a) for a in arrays]
        expected = self.keras1_shapes()
        if shapes != expected:
            raise _Mismatch(self.shape_message(shapes, expected))
        value = self.transform.to_keras3([np.asarray(a) for a in arrays])
        if self.variable is None:
            if np.any(value != self.fill):
                raise _Mismatch(f"the Keras 1 layer's {self.what} is not {self.fill:g} everywhere, but the "
                                "Keras 3 layer has none (use_bias=False / center=False / scale=False)")
            return None
        return np.asarray(value).astype(self.variable.dtype)

    def to_keras1(self):
        """Keras 1's arrays from the variable (copies, as Keras 1's get_weights gave)."""
        if self.variable is not None:
            value = ops.convert_to_numpy(self.variable)
        else:
            value = np.full(self.shape, self.fill, keras.config.floatx())
        return [np.array(a) for a in self.transform.to_keras1(value)]

    def shape_message(self, shapes, expected) -> str:
        show = (lambda s: s[0]) if len(shapes) == 1 else (lambda s: s)
        where = ""
        if self.ordering:
            data_format = "channels_first" if self.ordering == "th" else "channels_last"
            where = f" in Keras 1's {self.ordering!r} ordering (the layer's data_format is {data_format!r})"
        message = f"{self.what} has shape {show(shapes)}; this layer takes {show(expected)}{where}"
        if self.other is not None and self.keras1_shapes(self.other[1]) == shapes:
            data_format = "channels_first" if self.other[0] == "th" else "channels_last"
            message += (f"; it fits Keras 1's {self.other[0]!r} ordering: build the layer with "
                        f"data_format={data_format!r}")
        return message


@dataclasses.dataclass
class _Layout:
    """How a Keras 3 layer holds its ``count`` Keras 1 arrays (in Keras 1's order): one part
    per variable. ``flips``: kernels flipped for Theano. ``note``: said when loading."""

    count: int
    parts: list
    flips: bool = False
    note: str = ""


def _var(leaf, name, required=True):
    for v in leaf.weights:
        if v.name == name:
            return v
    if required:
        raise _Mismatch(f"the Keras 3 layer {leaf.name!r} ({type(leaf).__name__}) has no {name!r} weight")
    return None


def _count(n, *allowed):
    if n is not None and n not in allowed:
        raise _Mismatch(f"expected {' or '.join(map(str, allowed))} Keras 1 arrays, found {n}")


def _ordering(leaf) -> str:
    return "th" if getattr(leaf, "data_format", "channels_last") == "channels_first" else "tf"


def _optional(leaf, name, what, indices, transform=_SAME, fill=0.0, shape=()) -> _Part:
    """A variable Keras 1 always had and a Keras 3 layer may lack (a bias, gamma, beta)."""
    return _Part(what, indices, _var(leaf, name, required=False), transform, fill, tuple(shape))


def _kernel(leaf, name, index, what, th, tf, flip) -> _Part:
    """A convolution kernel in Keras 1's 'th' or 'tf' layout, whichever the layer's
    data_format says (``th``, ``tf``: the axis permutations into Keras 3's), flipped on
    the axes ``flip``."""
    ordering = _ordering(leaf)
    transforms = {"th": _Axes(th, flip), "tf": _Axes(tf, flip)}
    other = "tf" if ordering == "th" else "th"
    return _Part(what, (index,), _var(leaf, name), transforms[ordering], ordering=ordering,
                 other=(other, transforms[other]))


def _with_bias(leaf, parts, n, **layout) -> _Layout:
    """Keras 1's ``b`` after the kernels with bias=True (the default), none with bias=False."""
    k = len(parts)
    _count(n, k, k + 1)
    bias = _var(leaf, "bias", required=False)
    if n == k and bias is not None:
        raise _Mismatch("the Keras 1 layer has no bias (bias=False); build the Keras 3 layer with use_bias=False")
    if n == k + 1 or (n is None and bias is not None):
        size = getattr(leaf, "filters", None) or getattr(leaf, "units", None)
        parts = [*parts, _optional(leaf, "bias", "b", (k,), shape=(size,))]
    return _Layout(len(parts), parts, **layout)


def _per_gate(prefix, gates) -> tuple[str, tuple]:
    """('W_i, W_c, W_f, W_o', (0, 3, 6, 9)): a fused variable's per-gate Keras 1 arrays, which
    Keras 1 ordered W, U, b gate by gate."""
    part = "WUb".index(prefix)
    return ", ".join(f"{prefix}_{g}" for g in gates), tuple(range(part, 3 * len(gates), 3))


def _recurrent(leaf, cell, n) -> _Layout:
    """LSTM (gates i, c, f, o in Keras 1; i, f, c, o in Keras 3) and GRU (z, r, h in both)."""
    lstm = isinstance(cell, keras.layers.LSTMCell)
    if not lstm and cell.reset_after:
        raise _Mismatch("Keras 1's GRU applies the reset gate before the recurrent matmul: build the "
                        "Keras 3 GRU with reset_after=False")
    gates = "icfo" if lstm else "zrh"
    _count(n, 3 * len(gates), 3)
    kernel, recurrent = _var(leaf, "kernel"), _var(leaf, "recurrent_kernel")
    bias_shape = (len(gates) * cell.units,)
    if n == 3:  # consume_less='gpu': W, U, b, gates already fused in Keras 3's order
        return _Layout(3, [_Part("W", (0,), kernel), _Part("U", (1,), recurrent),
                           _optional(leaf, "bias", "b", (2,), shape=bias_shape)])
    order = _Gates(_IFCO if lstm else (0, 1, 2))
    return _Layout(3 * len(gates), [_Part(*_per_gate("W", gates), kernel, order),
                                    _Part(*_per_gate("U", gates), recurrent, order),
                                    _optional(leaf, "bias", *_per_gate("b", gates), order, shape=bias_shape)])


def _layout(leaf, backend, given=None) -> _Layout:
    """How Keras 3 layer ``leaf`` holds Keras 1's arrays (see the module docstring) when the
    Keras 1 ``backend`` ('theano' flips kernels) made them. ``given``: the Keras 1 arrays being
    set, which choose among the layouts Keras 1 wrote (LSTM's 12 arrays or consume_less='gpu''s
    3, a bias or none, Keras 1.0's Convolution1D kernel); None: the layout Keras 1.2.2 made.
    Raises _Mismatch."""
    n = None if given is None else len(given)
    theano = backend == "theano"
    if isinstance(leaf, _LEGACY):  # k1port.runtime's Keras 1 layers: Keras 1's variables
        _count(n, len(leaf.weights))
        return _Layout(len(leaf.weights), [_Part(v.name, (i,), v) for i, v in enumerate(leaf.weights)])
    if isinstance(leaf, keras.layers.BatchNormalization):
        _count(n, 4)
        mean = _var(leaf, "moving_mean")
        # Keras 1's running_std is a running variance (inference divides by sqrt(it + eps)).
        return _Layout(4, [_optional(leaf, "gamma", "gamma", (0,), fill=1.0, shape=mean.shape),
                           _optional(leaf, "beta", "beta", (1,), shape=mean.shape),
                           _Part("running_mean", (2,), mean),
                           _Part("running_std", (3,), _var(leaf, "moving_variance"))])
    if isinstance(leaf, keras.layers.ConvLSTM2D):
        _count(n, 12)
        th, flip = (2, 3, 1, 0), ((0, 1) if theano else ())
        ordering = _ordering(leaf)
        gates = {o: _Gates(_IFCO, _Axes(th if o == "th" else None, flip)) for o in ("th", "tf")}
        other = "tf" if ordering == "th" else "th"
        kernels = [_Part(*_per_gate(p, "icfo"), _var(leaf, name), gates[ordering], ordering=ordering,
                         other=(other, gates[other]))
                   for p, name in (("W", "kernel"), ("U", "recurrent_kernel"))]
        bias = _optional(leaf, "bias", *_per_gate("b", "icfo"), _Gates(_IFCO), shape=(4 * leaf.filters,))
        return _Layout(12, [*kernels, bias], flips=theano)
    cell = _cell(leaf)
    if isinstance(cell, (keras.layers.LSTMCell, keras.layers.GRUCell)):
        return _recurrent(leaf, cell, n)
    if isinstance(cell, keras.layers.SimpleRNNCell):
        _count(n, 3)
        return _Layout(3, [_Part("W", (0,), _var(leaf, "kernel")), _Part("U", (1,), _var(leaf, "recurrent_kernel")),
                           _optional(leaf, "bias", "b", (2,), shape=(cell.units,))])
    if isinstance(leaf, keras.layers.SeparableConv2D):
        # Never flipped: Keras 1.2.2 had SeparableConvolution2D on TensorFlow only.
        th = (2, 3, 1, 0)  # 'th': depthwise (mult, in, r, c), pointwise (filters, in*mult, 1, 1)
        kernels = [_kernel(leaf, name, i, name, th, None, ()) for i, name in
                   enumerate(("depthwise_kernel", "pointwise_kernel"))]
        note = ("SeparableConv2D kernels not flipped (Keras 1 had SeparableConvolution2D on TensorFlow only)"
                if theano else "")
        return _with_bias(leaf, kernels, n, note=note)
    if isinstance(leaf, keras.layers.Conv2DTranspose):
        # 'th' W (filters, in, r, c), 'tf' W (r, c, in, filters) -> (r, c, filters, in)
        flip = (0, 1) if theano else ()
        return _with_bias(leaf, [_kernel(leaf, "kernel", 0, "W", (2, 3, 0, 1), (0, 1, 3, 2), flip)], n, flips=theano)
    if isinstance(leaf, keras.layers.Conv1D):
        kernel = _var(leaf, "kernel")
        length, channels, filters = kernel.shape
        flip = (0,) if theano else ()
        transform = _Axes(flip=flip, squeeze=1)  # Keras 1.1+: (length, 1, in, filters)
        first = np.shape(given[0]) if given else None
        if first == (filters, channels, length, 1):  # Keras 1.0: (filters, in, length, 1)
            transform = _Axes((2, 1, 0), flip, squeeze=3)
        elif first == (length, channels, filters):  # already Keras 3's
            transform = _Axes(flip=flip)
        return _with_bias(leaf, [_Part("W", (0,), kernel, transform)], n, flips=theano)
    if isinstance(leaf, (keras.layers.Conv2D, keras.layers.Conv3D)):
        rank = leaf.rank
        th = (*range(2, rank + 2), 1, 0)  # (filters, in, *k) -> (*k, in, filters)
        flip = tuple(range(rank)) if theano else ()
        return _with_bias(leaf, [_kernel(leaf, "kernel", 0, "W", th, None, flip)], n, flips=theano)
    if isinstance(leaf, keras.layers.Dense):
        return _with_bias(leaf, [_Part("W", (0,), _var(leaf, "kernel"))], n)
    if isinstance(leaf, keras.layers.PReLU):
        _count(n, 1)
        alpha = _var(leaf, "alpha")
        transform, full = _SAME, tuple(alpha.shape)
        shape = np.shape(given[0]) if given else full
        if shape != full and np.prod(shape) < np.prod(full):
            # Keras 1.2.2 did not save PReLU's shared_axes in configs: a model rebuilt from
            # one has a full alpha; the shared one, broadcast, computes the same.
            with contextlib.suppress(ValueError):
                if np.broadcast_shapes(shape, full) == full:
                    transform = _Broadcast(shape, full)
        return _Layout(1, [_Part("alpha", (0,), alpha, transform)])
    if isinstance(leaf, keras.layers.Embedding):
        _count(n, 1)
        return _Layout(1, [_Part("W", (0,), _var(leaf, "embeddings"))])
    variables = leaf.weights
    _count(n, len(variables))
    note = (f"{type(leaf).__name__} has no known Keras 1 layout; its arrays were loaded as they are "
            "(the shapes match)") if variables else ""
    return _Layout(len(variables), [_Part(f"{v.name} (no Keras 1 layout is known for {type(leaf).__name__}: "
                                          "arrays are taken as they are)", (i,), v)
                                    for i, v in enumerate(variables)], note=note)


def _keras1_counts(leaf, first) -> tuple[int, int]:
    """How many of a Keras 1 group's trainable and non-trainable arrays belong to ``leaf``
    (``first``: the next array, which tells LSTM/GRU's packed 'gpu' layout apart)."""
    if isinstance(leaf, keras.layers.BatchNormalization):
        return 2, 2
    cell = _cell(leaf)
    if isinstance(cell, (keras.layers.LSTMCell, keras.layers.GRUCell)) and first is not None and cell.units:
        fused = (4 if isinstance(cell, keras.layers.LSTMCell) else 3) * cell.units
        if np.shape(first)[-1:] == (fused,):
            return 3, 0
    return _layout(leaf, "tensorflow").count, 0


def _partition(leaves, arrays, start=0) -> tuple[list, int]:
    """Which of ``arrays``, from ``start``, belong to each of ``leaves``, and where they end.
    Keras 1 wrote a layer's trainable arrays, then its non-trainable ones; a wrapper or inner
    model wrote all its layers' trainable arrays, then all their non-trainable ones."""
    trainable, position = [], start
    for leaf in leaves:
        n, _ = _keras1_counts(leaf, arrays[position] if position < len(arrays) else None)
        trainable.append(list(range(position, position + n)))
        position += n
    parts = []
    for leaf, indices in zip(leaves, trainable):
        _, n = _keras1_counts(leaf, None)
        parts.append(indices + list(range(position, position + n)))
        position += n
    return parts, position


def _keras1_layer_of(weight_name):
    """'dense_1' for 'dense_1_W' or 'dense_1_W:0'; None if the name is not Keras 1's."""
    base = _TF_SUFFIX.sub("", weight_name)
    for param in _KERAS1_PARAMS:
        if base.endswith("_" + param) and len(base) > len(param) + 1:
            return base[: -len(param) - 1]
    return None


# Layers whose Keras 1 arrays load as they are (BatchNormalization goes the usual way).
_LEGACY = (legacy_layers.MaxoutDense, legacy_layers.Highway, legacy_layers.SReLU,
           legacy_layers.ParametricSoftplus, legacy_layers.LocallyConnected1D,
           legacy_layers.LocallyConnected2D)


class _Loader:
    """Converts matched (Keras 3 layer, Keras 1 group) pairs into variable assignments."""

    def __init__(self, backend):
        self.backend = backend
        self.assignments = []  # (variable, value)
        self.flipped = []
        self.notes = []
        self.where = ""

    def error(self, message):
        raise Keras1WeightsError(f"{self.where}: {message}")

    def load(self, layer, group):
        """Queue the assignments loading Keras 1 ``group`` into Keras 3 ``layer``."""
        self.where = f"layer {layer.name!r} ({type(layer).__name__}) <- Keras 1 layer {group.name!r}"
        leaves = _leaves(layer)
        arrays = group.arrays
        try:
            # One layer takes them all (its layout says what it takes, or why they do not fit).
            parts, end = ([list(range(len(arrays)))], len(arrays)) if len(leaves) == 1 else _partition(leaves, arrays)
        except _Mismatch as exc:
            self.error(str(exc))
        if end != len(arrays):
            self.error(f"the Keras 1 layer has {len(arrays)} arrays ({', '.join(group.names)}), "
                       f"but the Keras 3 layer's {len(leaves)} weighted layer(s) "
                       f"({', '.join(type(l).__name__ for l in leaves)}) take {end}")
        if len(leaves) > 1:
            self.check_split(group, leaves, parts)
        for leaf, part in zip(leaves, parts):
            if leaf is not layer:
                self.where = (f"layer {layer.name!r} ({type(layer).__name__}), inner layer {leaf.name!r} "
                              f"({type(leaf).__name__}) <- Keras 1 layer {group.name!r} arrays "
                              f"{', '.join(group.names[i] for i in part)}")
            self.convert(leaf, [arrays[i] for i in part])

    def load_model(self, model, arrays, position=0) -> int:
        """Keras 1's ``model.set_weights(arrays)``: each layer, in Keras 1's order, takes the
        next arrays, as its ``layer.weights`` (a Sequential's inner models: as their own
        ``set_weights``). Returns where the model's arrays end."""
        sequential = isinstance(model, keras.Sequential)
        for layer in keras1_layer_order(model):
            if not layer.weights:
                continue
            if sequential and isinstance(layer, keras.Model):
                position = self.load_model(layer, arrays, position)
                continue
            self.where = f"model {model.name!r}, layer {layer.name!r} ({type(layer).__name__})"
            try:
                _, end = _partition(_leaves(layer), arrays, position)
            except _Mismatch as exc:
                self.error(str(exc))
            if end > len(arrays):
                self.error(f"{len(arrays)} arrays given; the model's layers up to this one take {end} "
                           "in Keras 1's layouts")
            names = [f"weights[{i}]" for i in range(position, end)]
            self.load(layer, _Group(layer.name, names, arrays[position:end]))
            position = end
        return position

    def check_split(self, group, leaves, parts):
        """Where the names are Keras 1's, each inner layer's arrays must share one layer name."""
        owners = [_keras1_layer_of(n) for n in group.names]
        if None in owners:
            return
        for leaf, part in zip(leaves, parts):
            if len({owners[i] for i in part}) > 1:
                self.error(f"could not split the arrays among the inner layers: inner layer {leaf.name!r} "
                           f"would get {', '.join(group.names[i] for i in part)} (were some inner layers "
                           "frozen with trainable=False in Keras 1? load by_name or set the weights by hand)")

    def convert(self, leaf, arrays):
        try:
            layout = _layout(leaf, self.backend, arrays)
            values = [(part, part.to_keras3([arrays[i] for i in part.indices])) for part in layout.parts]
        except _Mismatch as exc:
            self.error(str(exc))
        self.assignments += [(part.variable, value) for part, value in values if part.variable is not None]
        if layout.flips and leaf.path not in self.flipped:
            self.flipped.append(leaf.path)
        if layout.note:
            self.notes.append(f"{leaf.path}: {layout.note}")


def _keras1_arrays(layer, backend) -> list:
    """Keras 1's ``layer.weights`` for one layer (a wrapper, a model used as a layer): each
    weighted inner layer's trainable arrays, then their non-trainable ones."""
    trainable, non_trainable = [], []
    for leaf in _leaves(layer):
        try:
            layout = _layout(leaf, backend)
        except _Mismatch as exc:
            raise Keras1WeightsError(f"layer {layer.name!r} ({type(layer).__name__}): {exc}") from None
        arrays = [None] * layout.count
        for part in layout.parts:
            for i, array in zip(part.indices, part.to_keras1()):
                arrays[i] = array
        split = len(arrays) - _keras1_counts(leaf, None)[1]
        trainable += arrays[:split]
        non_trainable += arrays[split:]
    return trainable + non_trainable


# --- loading --------------------------------------------------------------------------------

def _has_kernels(leaves) -> bool:
    kinds = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D,
             keras.layers.Conv2DTranspose, keras.layers.ConvLSTM2D)
    return any(isinstance(leaf, kinds) for leaf in leaves)


def _resolve_backend(backend, groups, leaves) -> tuple[str, str]:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    if backend != "auto":
        return backend, f"backend={backend!r} given"
    names = [n for g in groups for n in g.names]
    if any(_TF_SUFFIX.search(n) for n in names):
        return "tensorflow", ("auto: the weight names end in ':0' ('dense_1_W:0'), as TensorFlow "
                              "variable names do; Keras 1's Theano backend wrote plain names")
    if any(not _UNNAMED.match(n) for n in names):
        return "theano", ("auto: the weight names lack the ':0' that every TensorFlow variable name "
                          "ends with, so Keras 1's Theano backend wrote them")
    channels_first = [leaf for leaf in leaves if _has_kernels([leaf])
                      and getattr(leaf, "data_format", None) == "channels_first"]
    if channels_first:
        choice = "theano", ("auto: the file has no weight names; the model's convolutions are "
                            "channels_first, the 'th' ordering of the Theano backend")
    else:
        choice = "tensorflow", ("auto: the file has no weight names; TensorFlow was Keras 1.2.2's "
                                "default backend")
    if _has_kernels(leaves):
        warnings.warn(f"Keras 1 weights: guessed that the {choice[0]} backend wrote them ({choice[1]}); "
                      "pass backend='theano' or 'tensorflow' if that is wrong (convolution kernels "
                      "are flipped for Theano)", stacklevel=3)
    return choice


def _check_built(model):
    unbuilt = [layer.name for layer in getattr(model, "layers", []) if not layer.built]
    if not model.built or unbuilt:
        raise ValueError("Build the model before loading weights (give its first layer an input "
                         "shape, or call it on data): "
                         + (f"layers {unbuilt} are not built" if unbuilt else "the model is not built"))


def load_keras1_weights(model, filepath, by_name=False, backend="auto") -> Keras1WeightsReport:
    """Load a Keras 1 weight file into a (built) Keras 3 model; see the module docstring.

    ``filepath``: a Keras 1 ``save_weights`` or ``model.save`` HDF5 file (or an open
    h5py group). ``by_name``: match layers by name instead of by order. ``backend``:
    'theano' (flip convolution kernels), 'tensorflow' (do not) or 'auto' (decide from the
    weight names). Returns a :class:`Keras1WeightsReport` (also logged at INFO level on
    ``k1port.runtime.weights``); raises :class:`Keras1WeightsError` (a ValueError) naming the
    layers when the file does not fit, before changing any weight.
    """
    _check_built(model)
    with _h5(filepath) as (f, path):
        groups, source = _read_keras1(f)
    layers = keras1_layer_order(model)
    weighted = [layer for layer in layers if layer.weights]
    file_weighted = [g for g in groups if g.arrays]
    unused, unmatched = [], []
    if by_name:
        by_layer_name = {}
        for layer in layers:
            by_layer_name.setdefault(layer.name, []).append(layer)
        pairs = []
        for group in groups:
            targets = by_layer_name.get(group.name, [])
            for layer in targets:
                if bool(layer.weights) != bool(group.arrays):
                    raise Keras1WeightsError(
                        f"layer {layer.name!r}: the model's layer has {len(layer.weights)} weights, "
                        f"the Keras 1 layer of that name has {len(group.arrays)}")
                if group.arrays:
                    pairs.append((layer, group))
            if group.arrays and not targets:
                unused.append(group.name)
        matched = {id(layer) for layer, _ in pairs}
        unmatched = [layer.name for layer in weighted if id(layer) not in matched]
    else:
        if len(weighted) != len(file_weighted):
            raise Keras1WeightsError(
                f"the file has {len(file_weighted)} Keras 1 layers with weights "
                f"({', '.join(g.name for g in file_weighted)}), the model {len(weighted)} "
                f"({', '.join(layer.name for layer in weighted)}, in Keras 1's order)")
        pairs = list(zip(weighted, file_weighted))
    leaves = [leaf for layer, _ in pairs for leaf in _leaves(layer)]
    chosen, reason = _resolve_backend(backend, file_weighted, leaves)
    loader = _Loader(chosen)
    for layer, group in pairs:
        loader.load(layer, group)
    for variable, value in loader.assignments:
        variable.assign(value)
    report = Keras1WeightsReport(
        filepath=str(path), source=source, backend=chosen, backend_reason=reason,
        loaded=[(layer.name, group.name) for layer, group in pairs], flipped=loader.flipped,
        unused=unused, unmatched=unmatched, notes=loader.notes)
    logger.info("%s", report)
    return report


@contextlib.contextmanager
def _named(path, suffixes):
    """``path``, or a temporary link to it whose name ends with ``suffixes[0]`` (Keras 3
    picks a weight file's reader from its name)."""
    if path.endswith(suffixes):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="k1port-weights-") as tmp:
        alias = os.path.join(tmp, "weights" + suffixes[0])
        try:
            os.symlink(os.path.abspath(path), alias)
        except OSError:
            shutil.copyfile(path, alias)
        yield alias


def load_weights(model, filepath, by_name=False, backend="auto"):
    """Converted ``model.load_weights(filepath, by_name=...)``: any Keras weight file.

    The format comes from the HDF5 contents (:func:`weights_format`), not the name: Keras 1
    files go to :func:`load_keras1_weights` (``backend`` applies; the report is returned);
    Keras 2 / legacy HDF5 files (and :func:`save_weights`' own) to Keras 3's
    ``model.load_weights`` (``by_name`` honoured), as do Keras 3 ``.weights.h5`` and
    ``.keras`` files (no ``by_name``: Keras 3 matches those by the model's structure).
    Returns None for files that are not Keras 1's.
    """
    path = os.fspath(filepath)
    kind = weights_format(path)
    if kind == "keras1":
        return load_keras1_weights(model, path, by_name=by_name, backend=backend)
    if kind == "keras0":
        raise Keras1WeightsError(f"{path!r} has the pre-1.0 Keras layout ('nb_layers'), "
                                 "which is not supported")
    if kind == "legacy_h5":
        with _named(path, (".h5", ".hdf5")) as name:
            model.load_weights(name, by_name=bool(by_name))
        return None
    if by_name:
        raise ValueError(f"{path!r} is a Keras 3 weight file, which Keras 3 cannot load by_name; "
                         "save with k1port.runtime.save_weights to a name not ending in "
                         "'.weights.h5' to keep by_name loading")
    with _named(path, (".weights.h5",) if kind == "keras3_h5" else (".keras",)) as name:
        model.load_weights(name)
    return None


# --- saving ---------------------------------------------------------------------------------

def _string_array(strings):
    return np.array([s.encode("utf8") for s in strings], dtype=bytes) if strings else np.zeros(0)


def _write_string_attr(obj, name, strings):
    """Fixed-length byte strings (what Keras 1 and 2 wrote), chunked like Keras 2 when
    longer than an HDF5 object header holds."""
    array = _string_array(strings)
    if array.nbytes <= _ATTR_LIMIT:
        obj.attrs[name] = array
        return
    chunks = int(np.ceil(array.nbytes / _ATTR_LIMIT)) + 1
    for i, part in enumerate(np.array_split(array, chunks)):
        obj.attrs[f"{name}{i}"] = part


def save_weights(model, filepath, overwrite=True):
    """Converted ``model.save_weights(filepath, overwrite=True)``: write to exactly ``filepath``.

    Keras 3's ``model.save_weights`` only accepts names ending in ``.weights.h5``; Keras 1
    scripts use 'w.h5', 'weights.hdf5', ... Names ending in ``.weights.h5`` get Keras 3's
    own format. Any other name gets the HDF5 layout Keras 2 wrote (root attributes
    ``layer_names``, ``backend``, ``keras_version``; one group per layer of
    ``model.layers``, with ``weight_names`` and one dataset per weight, Keras 3 arrays in
    the layer's trainable-then-non-trainable order): :func:`load_weights` reads it back
    (also ``by_name``, which Keras 1 scripts use and Keras 3's own format lacks), and so
    does Keras 3's ``model.load_weights`` given a '.h5' name. Matching is by the order of
    the layers with weights, as in Keras 1. ``overwrite=False`` asks before replacing a file.
    """
    path = os.fspath(filepath)
    if not overwrite and os.path.exists(path):
        answer = input(f"[WARNING] {path} already exists - overwrite? [y/n] ").strip().lower()
        if not answer.startswith("y"):
            return
    if path.endswith(".weights.h5"):
        model.save_weights(path, overwrite=True)
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".k1port-", suffix=".h5", dir=directory)
    os.close(fd)
    try:
        with h5py.File(tmp, "w") as f:
            _write_string_attr(f, "layer_names", [layer.name for layer in model.layers])
            f.attrs["backend"] = keras.backend.backend().encode("utf8")
            f.attrs["keras_version"] = str(keras.__version__).encode("utf8")
            f.attrs["writer"] = b"k1port.runtime.save_weights"
            for layer in model.layers:
                _write_weights(f.create_group(layer.name),
                               layer.trainable_weights + layer.non_trainable_weights)
            # Weights of the model itself (not of a layer), in the order Keras 3 reads them.
            own = [v for v in getattr(model, "_trainable_variables", [])
                   + getattr(model, "_non_trainable_variables", [])
                   if any(v is w for w in model.weights)]
            if own:
                _write_weights(f.create_group("top_level_model_weights"), own)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _write_weights(group, weights):
    names = []
    for i, w in enumerate(weights):
        name = w.path or f"param_{i}"
        while name in names:
            name = f"{name}_{i}"
        names.append(name)
    _write_string_attr(group, "weight_names", names)
    for name, w in zip(names, weights):
        group.create_dataset(name, data=ops.convert_to_numpy(w))





def _check_layer_backend(backend):
    if backend not in ("theano", "tensorflow"):
        raise ValueError(f"backend must be 'theano' or 'tensorflow', not {backend!r}")


def get_keras1_weights(layer, backend="tensorflow") -> list:
    """Keras 1's ``layer.get_weights()``: the arrays of a Keras 3 layer in Keras 1's order and
    layout for that layer (LSTM's 12 per-gate arrays, a 'th' convolution kernel, ...; see the
    module docstring), as copies. ``backend='theano'``: the kernels as Keras 1's Theano
    backend held them (flipped). A wrapper: its layers' trainable arrays, then the
    non-trainable ones. A model: Keras 1's ``model.get_weights()``, its layers' arrays in
    Keras 1's layer order (:func:`keras1_layer_order`; a Sequential's inner models as their
    own ``get_weights``, a functional model's as their ``weights``). The exact inverse of
    :func:`set_keras1_weights`. A layer not built yet has no arrays, as in Keras 1.
    LSTM/GRU arrays come per gate, as Keras 1's default ``consume_less`` made them
    (``set_keras1_weights`` also takes the 3 arrays of ``consume_less='gpu'``)."""
    _check_layer_backend(backend)
    if isinstance(layer, keras.Model):
        _check_built(layer)
        sequential = isinstance(layer, keras.Sequential)
        return [array for sub in keras1_layer_order(layer) for array in
                (get_keras1_weights(sub, backend) if sequential and isinstance(sub, keras.Model)
                 else _keras1_arrays(sub, backend))]
    if not layer.weights:
        return []
    return _keras1_arrays(layer, backend)


def set_keras1_weights(layer, weights, backend="tensorflow"):
    """Keras 1's ``layer.set_weights(arrays)``, with the arrays in Keras 1's layout for that
    layer (LSTM's 12 per-gate arrays, a 'th' convolution kernel, ...; see the module
    docstring), on a built Keras 3 layer. ``backend='theano'`` flips convolution kernels.
    A model: Keras 1's ``model.set_weights(arrays)`` (the arrays :func:`get_keras1_weights`
    gives). Nothing is assigned unless every array fits: a Keras1WeightsError (a ValueError)
    names the layer."""
    _check_layer_backend(backend)
    arrays = [np.asarray(w) for w in weights]
    loader = _Loader(backend)
    if isinstance(layer, keras.Model):
        _check_built(layer)
        end = loader.load_model(layer, arrays)
        if end != len(arrays):
            raise Keras1WeightsError(f"model {layer.name!r}: {len(arrays)} arrays given, but its layers take "
                                     f"{end} in Keras 1's layouts")
    else:
        if not layer.built:
            raise ValueError(f"layer {layer.name!r} is not built yet")
        loader.load(layer, _Group(layer.name, [f"weights[{i}]" for i in range(len(arrays))], arrays))
    for variable, value in loader.assignments:
        variable.assign(value)


def initial_weights(layer, weights, backend="tensorflow"):
    """Keras 1's ``weights=`` layer argument: ``weights`` (Keras 1's arrays, see
    :func:`set_keras1_weights`) are set when the layer is built. Returns the layer."""
    if weights is None:
        return layer
    build = layer.build

    @functools.wraps(build)  # Keras reads build's signature to pass the input shapes
    def build_then_set(*args, **kwargs):
        build(*args, **kwargs)
        set_keras1_weights(layer, weights, backend)
        del layer.build  # once, as Keras 1 did

    if layer.built:
        set_keras1_weights(layer, weights, backend)
    else:
        layer.build = build_then_set
    return layer


__all__ = ["load_keras1_weights", "get_keras1_weights", "set_keras1_weights", "initial_weights", "load_weights", "save_weights", "weights_format",
           "keras1_layer_order", "Keras1WeightsReport", "Keras1WeightsError", "BACKENDS"]
