"""Keras 1 weight files in Keras 3 models.

Three functions; the last two are what converted ``model.load_weights(path)`` and
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

What is converted (Keras 1 arrays -> the Keras 3 layer's variables)
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
    statistics); they are split among its layers in Keras 1's order. Any other layer
    whose arrays already have the Keras 3 variables' shapes is loaded as is (reported).
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


# --- per-layer conversion -------------------------------------------------------------------

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


def _keras1_counts(leaf, first) -> tuple[int, int]:
    """How many of a Keras 1 group's trainable and non-trainable arrays belong to ``leaf``
    (``first``: the next array, which tells LSTM/GRU's packed 'gpu' layout apart)."""
    if isinstance(leaf, keras.layers.BatchNormalization):
        return 2, 2
    if isinstance(leaf, keras.layers.ConvLSTM2D):
        return 12, 0
    cell = _cell(leaf)
    if isinstance(cell, keras.layers.LSTMCell):
        packed = first is not None and first.shape[-1:] == (4 * cell.units,) and cell.units
        return (3 if packed else 12), 0
    if isinstance(cell, keras.layers.GRUCell):
        packed = first is not None and first.shape[-1:] == (3 * cell.units,) and cell.units
        return (3 if packed else 9), 0
    return len(leaf.weights), 0


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

    # Helpers -----------------------------------------------------------------------------
    def error(self, message):
        raise Keras1WeightsError(f"{self.where}: {message}")

    def var(self, leaf, name, required=True):
        for v in leaf.weights:
            if v.name == name:
                return v
        if required:
            self.error(f"the Keras 3 layer {leaf.name!r} ({type(leaf).__name__}) has no {name!r} weight")
        return None

    def assign(self, variable, value, what):
        value = np.asarray(value)
        if tuple(variable.shape) != value.shape:
            self.error(f"{what}: the Keras 1 array converts to shape {value.shape}, but the Keras 3 "
                       f"variable {variable.path!r} has shape {tuple(variable.shape)}")
        self.assignments.append((variable, value.astype(variable.dtype)))

    def bias(self, leaf, value, name="bias"):
        variable = self.var(leaf, name, required=False)
        if variable is not None:
            self.assign(variable, value, name)
        elif np.any(np.asarray(value) != 0):
            self.error(f"the Keras 1 layer has a nonzero {name}, but the Keras 3 layer has none "
                       "(use_bias=False / center=False / scale=False)")

    def count(self, arrays, *allowed):
        if len(arrays) not in allowed:
            self.error(f"expected {' or '.join(map(str, allowed))} Keras 1 arrays, found {len(arrays)}")

    def flip(self, leaf, kernel, axes):
        if self.backend != "theano":
            return kernel
        if leaf.path not in self.flipped:
            self.flipped.append(leaf.path)
        return np.flip(kernel, axis=axes)

    # Entry points ------------------------------------------------------------------------
    def load(self, layer, group):
        """Queue the assignments loading Keras 1 ``group`` into Keras 3 ``layer``."""
        self.where = f"layer {layer.name!r} ({type(layer).__name__}) <- Keras 1 layer {group.name!r}"
        leaves = _leaves(layer)
        arrays = group.arrays
        # Keras 1 wrote a layer's trainable arrays, then its non-trainable ones; a wrapper or
        # inner model wrote all its layers' trainable arrays, then all non-trainable ones.
        trainable, non_trainable, position = [], [], 0
        for leaf in leaves:
            n, _ = _keras1_counts(leaf, arrays[position] if position < len(arrays) else None)
            trainable.append(list(range(position, position + n)))
            position += n
        for leaf in leaves:
            _, n = _keras1_counts(leaf, None)
            non_trainable.append(list(range(position, position + n)))
            position += n
        if position != len(arrays):
            self.error(f"the Keras 1 layer has {len(arrays)} arrays ({', '.join(group.names)}), "
                       f"but the Keras 3 layer's {len(leaves)} weighted layer(s) "
                       f"({', '.join(type(l).__name__ for l in leaves)}) take {position}")
        parts = [t + n for t, n in zip(trainable, non_trainable)]
        if len(leaves) > 1:
            self.check_split(group, leaves, parts)
        for leaf, part in zip(leaves, parts):
            if leaf is not layer:
                self.where = (f"layer {layer.name!r} ({type(layer).__name__}), inner layer {leaf.name!r} "
                              f"({type(leaf).__name__}) <- Keras 1 layer {group.name!r} arrays "
                              f"{', '.join(group.names[i] for i in part)}")
            self.convert(leaf, [arrays[i] for i in part])

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
        if isinstance(leaf, _LEGACY):
            return self.legacy(leaf, arrays)
        if isinstance(leaf, keras.layers.BatchNormalization):
            return self.batch_normalization(leaf, arrays)
        if isinstance(leaf, keras.layers.ConvLSTM2D):
            return self.conv_lstm(leaf, arrays)
        cell = _cell(leaf)
        if isinstance(cell, keras.layers.LSTMCell):
            return self.lstm(leaf, cell, arrays)
        if isinstance(cell, keras.layers.GRUCell):
            return self.gru(leaf, cell, arrays)
        if isinstance(cell, keras.layers.SimpleRNNCell):
            self.count(arrays, 3)
            self.assign(self.var(leaf, "kernel"), arrays[0], "W")
            self.assign(self.var(leaf, "recurrent_kernel"), arrays[1], "U")
            return self.bias(leaf, arrays[2])
        if isinstance(leaf, keras.layers.SeparableConv2D):
            return self.separable(leaf, arrays)
        if isinstance(leaf, keras.layers.Conv2DTranspose):
            return self.deconvolution(leaf, arrays)
        if isinstance(leaf, keras.layers.Conv1D):
            return self.convolution_1d(leaf, arrays)
        if isinstance(leaf, (keras.layers.Conv2D, keras.layers.Conv3D)):
            return self.convolution(leaf, arrays)
        if isinstance(leaf, keras.layers.Dense):
            self.count(arrays, 1, 2)
            self.assign(self.var(leaf, "kernel"), arrays[0], "W")
            return self.bias_or_missing(leaf, arrays)
        if isinstance(leaf, keras.layers.PReLU):
            self.count(arrays, 1)
            alpha = self.var(leaf, "alpha")
            value = np.asarray(arrays[0])
            if value.shape != tuple(alpha.shape) and value.size < np.prod(alpha.shape):
                # Keras 1.2.2 did not save PReLU's shared_axes in configs: a model rebuilt from
                # one has a full alpha; the shared one, broadcast, computes the same.
                try:
                    value = np.broadcast_to(value, tuple(alpha.shape))
                except ValueError:
                    pass
            return self.assign(alpha, value, "alpha")
        if isinstance(leaf, keras.layers.Embedding):
            self.count(arrays, 1)
            return self.assign(self.var(leaf, "embeddings"), arrays[0], "embeddings")
        return self.as_is(leaf, arrays)

    # Layer kinds -------------------------------------------------------------------------
    def as_is(self, leaf, arrays):
        variables = leaf.weights
        shapes = [tuple(v.shape) for v in variables]
        if [a.shape for a in arrays] != shapes:
            self.error(f"no Keras 1 conversion is known for {type(leaf).__name__}, and the arrays "
                       f"{[a.shape for a in arrays]} do not have the Keras 3 weights' shapes {shapes}")
        for variable, array in zip(variables, arrays):
            self.assign(variable, array, variable.name)
        self.notes.append(f"{leaf.path}: {type(leaf).__name__} has no known Keras 1 layout; "
                          "its arrays were loaded as they are (the shapes match)")

    def legacy(self, leaf, arrays):
        # k1port.runtime's Keras 1 layers hold Keras 1's variables, in Keras 1's order and shapes.
        variables = leaf.weights
        self.count(arrays, len(variables))
        for variable, array in zip(variables, arrays):
            self.assign(variable, array, variable.name)

    def batch_normalization(self, leaf, arrays):
        self.count(arrays, 4)
        gamma, beta, mean, variance = arrays
        if self.var(leaf, "gamma", required=False) is None:  # scale=False: gamma must be 1
            self.bias(leaf, gamma - 1.0, "gamma - 1")
        else:
            self.assign(self.var(leaf, "gamma"), gamma, "gamma")
        self.bias(leaf, beta, "beta")
        self.assign(self.var(leaf, "moving_mean"), mean, "running_mean")
        # Keras 1's running_std is a running variance (inference divides by sqrt(it + eps)).
        self.assign(self.var(leaf, "moving_variance"), variance, "running_std")

    def lstm(self, leaf, cell, arrays):
        self.count(arrays, 12, 3)
        if len(arrays) == 12:  # W, U, b per gate, gates i, c, f, o -> Keras 3's i, f, c, o
            gates = {g: arrays[3 * k: 3 * k + 3] for k, g in enumerate("icfo")}
            arrays = [np.concatenate([gates[g][part] for g in "ifco"], axis=-1) for part in range(3)]
        self.assign(self.var(leaf, "kernel"), arrays[0], "W")
        self.assign(self.var(leaf, "recurrent_kernel"), arrays[1], "U")
        self.bias(leaf, arrays[2])

    def gru(self, leaf, cell, arrays):
        if cell.reset_after:
            self.error("Keras 1's GRU applies the reset gate before the recurrent matmul: "
                       "build the Keras 3 GRU with reset_after=False")
        self.count(arrays, 9, 3)
        if len(arrays) == 9:  # W, U, b per gate, gates z, r, h: Keras 3's order too
            arrays = [np.concatenate(arrays[part::3], axis=-1) for part in range(3)]
        self.assign(self.var(leaf, "kernel"), arrays[0], "W")
        self.assign(self.var(leaf, "recurrent_kernel"), arrays[1], "U")
        self.bias(leaf, arrays[2])

    def ordering(self, leaf):
        return "th" if getattr(leaf, "data_format", "channels_last") == "channels_first" else "tf"

    def kernel(self, leaf, array, rank, to_keras3, name="kernel", what="W"):
        """Convert a Keras 1 kernel with ``to_keras3[ordering]`` (an axis permutation) into
        the Keras 3 variable ``name``, flipping its ``rank`` spatial axes for Theano."""
        variable = self.var(leaf, name)
        expected = tuple(variable.shape)
        ordering = self.ordering(leaf)
        converted = np.transpose(array, to_keras3[ordering])
        if converted.shape != expected:
            other = "tf" if ordering == "th" else "th"
            hint = ""
            if np.transpose(array, to_keras3[other]).shape == expected:
                hint = (f"; it fits Keras 1's {other!r} ordering: build the layer with data_format="
                        f"{'channels_first' if other == 'th' else 'channels_last'!r}")
            self.error(f"{what} has shape {array.shape}; read in Keras 1's {ordering!r} ordering (the "
                       f"layer's data_format is {leaf.data_format!r}) it gives {converted.shape}, but the "
                       f"Keras 3 {name} is {expected}{hint}")
        self.assign(variable, self.flip(leaf, converted, tuple(range(rank))), what)

    def convolution(self, leaf, arrays):
        rank = leaf.rank
        self.count(arrays, 1, 2)
        th = (*range(2, rank + 2), 1, 0)  # (filters, in, *k) -> (*k, in, filters)
        self.kernel(leaf, arrays[0], rank, {"th": th, "tf": tuple(range(rank + 2))})
        self.bias_or_missing(leaf, arrays)

    def bias_or_missing(self, leaf, arrays):
        if len(arrays) == 2:
            self.bias(leaf, arrays[1])
        elif self.var(leaf, "bias", required=False) is not None:
            self.error("the Keras 1 layer has no bias (bias=False); build the Keras 3 layer with "
                       "use_bias=False")

    def convolution_1d(self, leaf, arrays):
        self.count(arrays, 1, 2)
        w = arrays[0]
        variable = self.var(leaf, "kernel")
        length, channels, filters = variable.shape
        if w.shape == (length, 1, channels, filters):  # Keras 1.1+: (length, 1, in, filters)
            w = w[:, 0]
        elif w.shape == (filters, channels, length, 1):  # Keras 1.0: (filters, in, length, 1)
            w = np.transpose(w, (2, 3, 1, 0))[:, 0]
        elif w.shape != (length, channels, filters):
            self.error(f"W has shape {w.shape}; a Keras 1 Convolution1D kernel for this layer is "
                       f"{(length, 1, channels, filters)}")
        self.assign(variable, self.flip(leaf, w, (0,)), "W")
        self.bias_or_missing(leaf, arrays)

    def deconvolution(self, leaf, arrays):
        self.count(arrays, 1, 2)
        # Keras 1 'th' W (filters, in, r, c), 'tf' W (r, c, in, filters) -> (r, c, filters, in)
        self.kernel(leaf, arrays[0], 2, {"th": (2, 3, 0, 1), "tf": (0, 1, 3, 2)})
        self.bias_or_missing(leaf, arrays)

    def separable(self, leaf, arrays):
        self.count(arrays, 2, 3)
        th = (2, 3, 1, 0)
        # Never flipped: Keras 1.2.2 had SeparableConvolution2D on TensorFlow only.
        backend, self.backend = self.backend, "tensorflow"
        try:
            self.kernel(leaf, arrays[0], 2, {"th": th, "tf": (0, 1, 2, 3)}, "depthwise_kernel",
                        "depthwise_kernel")
            self.kernel(leaf, arrays[1], 2, {"th": th, "tf": (0, 1, 2, 3)}, "pointwise_kernel",
                        "pointwise_kernel")
        finally:
            self.backend = backend
        if backend == "theano":
            self.notes.append(f"{leaf.path}: SeparableConv2D kernels not flipped (Keras 1 had "
                              "SeparableConvolution2D on TensorFlow only)")
        self.bias_or_missing(leaf, arrays[1:])  # [pointwise, b] or [pointwise]

    def conv_lstm(self, leaf, arrays):
        self.count(arrays, 12)
        th = (2, 3, 1, 0)
        gates = {g: arrays[3 * k: 3 * k + 3] for k, g in enumerate("icfo")}
        ordering = self.ordering(leaf)
        for part, name, what in ((0, "kernel", "W"), (1, "recurrent_kernel", "U")):
            blocks = [gates[g][part] for g in "ifco"]
            if ordering == "th":
                blocks = [np.transpose(b, th) for b in blocks]
            kernel = np.concatenate(blocks, axis=-1)
            # Already in Keras 3 layout: an identity "permutation" for the shape check.
            self.kernel(leaf, kernel, 2, {"th": (0, 1, 2, 3), "tf": (0, 1, 2, 3)}, name, what)
        self.bias(leaf, np.concatenate([gates[g][2] for g in "ifco"]))


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





def set_keras1_weights(layer, weights, backend="tensorflow"):
    """Keras 1's ``layer.set_weights(arrays)``, with the arrays in Keras 1's layout for that
    layer (LSTM's 12 per-gate arrays, a 'th' convolution kernel, ...; see the module
    docstring), on a built Keras 3 layer. ``backend='theano'`` flips convolution kernels."""
    if not layer.built:
        raise ValueError(f"layer {layer.name!r} is not built yet")
    arrays = [np.asarray(w) for w in weights]
    loader = _Loader(backend)
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


__all__ = ["load_keras1_weights", "set_keras1_weights", "initial_weights", "load_weights", "save_weights", "weights_format",
           "keras1_layer_order", "Keras1WeightsReport", "Keras1WeightsError", "BACKENDS"]
