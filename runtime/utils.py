"""Keras 1's ``keras.utils`` helpers (np_utils, generic_utils, data_utils, layer_utils) and
``keras.engine.training.slice_X``, where Keras 3 has none or one that computes otherwise.

Each function takes Keras 1's arguments and returns what Keras 1 returned:

- ``to_categorical(y, nb_classes)``: always 2-D ``(y.size, nb_classes)`` float64 (Keras 1
  flattened ``y``; Keras 3 keeps ``y``'s shape and adds the class axis).
- ``normalize(a, axis, order)``: Keras 3's treats ``axis=0`` as ``-1``.
- ``Progbar``: Keras 1's width (30), ``update(current, values, force)`` and value averages
  weighted by the steps since the last update (Keras 3 counts a repeated ``current`` as one).
- ``get_file``: Keras 1's cache layout with ``untar=True`` (``fname + '.tar.gz'`` extracted
  into the cache folder, returning ``cache/fname``; Keras 3 extracts into a folder of its own).
"""
from __future__ import annotations

import hashlib
import marshal
import os
import tarfile
import types

import keras
import numpy as np

from k1port.runtime.config import image_dim_ordering

# --- np_utils --------------------------------------------------------------------------


def to_categorical(y, nb_classes=None):
    """One-hot rows for the class indices in ``y`` (flattened), float64."""
    y = np.asarray(y, dtype="int").ravel()
    if not nb_classes:
        nb_classes = int(np.max(y)) + 1
    out = np.zeros((y.shape[0], nb_classes))
    out[np.arange(y.shape[0]), y] = 1
    return out


def normalize(a, axis=-1, order=2):
    """``a`` divided by its ``order``-norm along ``axis`` (zero norms left as 1)."""
    norm = np.atleast_1d(np.linalg.norm(a, order, axis))
    norm[norm == 0] = 1
    return a / np.expand_dims(norm, axis)


def binary_logloss(p, y):
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return -sum(y * np.log(p) + np.subtract(1, y) * np.log(np.subtract(1, p))) / len(y)


def multiclass_logloss(p, y):
    """Keras 1 read class ``y[i] - 1`` of row i (labels counted from 1)."""
    return -np.sum(np.log([p[i][y[i] - 1] for i in range(len(y))])) / len(y)


def accuracy(p, y):
    return np.mean([a == b for a, b in zip(p, y)])


def categorical_probas_to_classes(p):
    return np.argmax(p, axis=1)


def probas_to_classes(y_pred):
    """argmax of each row for several classes, else 1 where the probability is above 0.5."""
    if len(y_pred.shape) > 1 and y_pred.shape[1] > 1:
        return categorical_probas_to_classes(y_pred)
    return np.array([1 if p > 0.5 else 0 for p in y_pred])


def convert_kernel(kernel, dim_ordering=None):
    """A convolution kernel flipped along its spatial axes (Theano <-> TensorFlow); 'th'
    kernels are (out, in, ...) and 'tf' ones (..., in, out)."""
    dim_ordering = dim_ordering or image_dim_ordering()
    if not 4 <= kernel.ndim <= 5:
        raise ValueError("Invalid kernel shape:", kernel.shape)
    if dim_ordering not in ("th", "tf"):
        raise ValueError("Invalid dim_ordering:", dim_ordering)
    spatial = range(2, kernel.ndim) if dim_ordering == "th" else range(kernel.ndim - 2)
    return np.copy(np.flip(kernel, axis=tuple(spatial)))


def conv_output_length(input_length, filter_size, border_mode, stride, dilation=1):
    if input_length is None:
        return None
    size = filter_size + (filter_size - 1) * (dilation - 1)
    length = {"same": input_length, "valid": input_length - size + 1,
              "full": input_length + size - 1}[border_mode]
    return (length + stride - 1) // stride


def conv_input_length(output_length, filter_size, border_mode, stride):
    if output_length is None:
        return None
    pad = {"same": filter_size // 2, "valid": 0, "full": filter_size - 1}[border_mode]
    return (output_length - 1) * stride - 2 * pad + filter_size


# --- keras.engine.training -------------------------------------------------------------


def slice_X(X, start=None, stop=None):
    """``X[start:stop]``, or ``X[indices]`` when ``start`` is a list or array of indices;
    on each array of a list ``X``."""
    def take(x):
        if hasattr(start, "__len__"):
            return x[start.tolist() if hasattr(start, "shape") else start]
        return x[start:stop]

    return [take(x) for x in X] if isinstance(X, list) else take(X)


# --- generic_utils ---------------------------------------------------------------------


class Progbar(keras.utils.Progbar):
    """Keras 1's progress bar on Keras 3's display."""

    def __init__(self, target, width=30, verbose=1, interval=0.05):
        super().__init__(target, width=width, verbose=verbose, interval=interval)

    def update(self, current, values=None, force=False):
        step = current - self._seen_so_far  # Keras 1 weighted each value by it, even 0
        for name, value in values or []:
            if name not in self._values:
                self._values[name] = [0, 0]
                self._values_order.append(name)
            self._values[name][0] += value * step
            self._values[name][1] += step
        if force:
            self._last_update = 0  # Keras 1's force: display now, whatever the interval
        super().update(current)

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)

    # Keras 1's attribute names.
    sum_values = property(lambda self: self._values)
    unique_values = property(lambda self: self._values_order)
    seen_so_far = property(lambda self: self._seen_so_far)


def get_from_module(identifier, module_params, module_name, instantiate=False, kwargs=None):
    """A name (or ``{'name': ..., **kwargs}``) looked up in the custom objects, then in
    ``module_params``; anything else is returned as it is."""
    if isinstance(identifier, str):
        found = keras.saving.get_custom_objects().get(identifier) or module_params.get(identifier)
        if not found:
            raise ValueError(f"Invalid {module_name}: {identifier}")
        return (found(**kwargs) if kwargs else found()) if instantiate else found
    if isinstance(identifier, dict):
        name = identifier.pop("name")
        found = keras.saving.get_custom_objects().get(name) or module_params.get(name)
        if not found:
            raise ValueError(f"Invalid {module_name}: {identifier}")
        return found(**identifier)
    return identifier


def make_tuple(*args):
    return args


def func_dump(func):
    """(marshalled code as a str, defaults, closure values) of a Python function."""
    code = marshal.dumps(func.__code__).decode("raw_unicode_escape")
    closure = tuple(c.cell_contents for c in func.__closure__) if func.__closure__ else None
    return code, func.__defaults__, closure


def func_load(code, defaults=None, closure=None, globs=None):
    """The function :func:`func_dump` described (the same Python version only)."""
    if isinstance(code, (tuple, list)):
        code, defaults, closure = code
    code = marshal.loads(code.encode("raw_unicode_escape"))
    if closure is not None:
        closure = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(code, globs if globs is not None else globals(), name=code.co_name,
                              argdefs=defaults, closure=closure)


def custom_object_scope(*args):
    """Keras 1 took several dicts; Keras 3's scope takes one."""
    merged = {}
    for objects in args:
        merged.update(objects)
    return keras.saving.custom_object_scope(merged)


CustomObjectScope = custom_object_scope


# --- data_utils ------------------------------------------------------------------------


def keras_home():
    """Keras 3's cache root, where its get_file downloads: KERAS_HOME, else ~/.keras (or
    /tmp/.keras where the home folder is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    return os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")


def _cache_dir(cache_subdir):
    return os.path.join(keras_home(), cache_subdir)


def _download(path, origin, md5_hash):
    """Keras 3's download (progress bar, hash check) to exactly ``path``."""
    os.makedirs(os.path.dirname(path), exist_ok=True)  # else Keras 3 falls back to /tmp/.keras
    return keras.utils.get_file(fname=os.path.basename(path), origin=origin, md5_hash=md5_hash,
                                cache_dir=os.path.dirname(path), cache_subdir="")


def get_file(fname, origin, untar=False, md5_hash=None, cache_subdir="datasets"):
    """The cached path of ``origin`` (downloaded if missing or its md5 differs); with
    ``untar``, the archive is saved as ``fname + '.tar.gz'``, extracted into the cache folder
    and ``cache/fname`` returned. The cache is Keras 3's (``KERAS_HOME``, else ``~/.keras``)."""
    datadir = _cache_dir(cache_subdir)
    target = os.path.join(datadir, fname)
    archive = _download(target + ".tar.gz" if untar else target, origin, md5_hash)
    if not untar:
        return archive
    if not os.path.exists(target):
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(path=datadir, filter="data")
    return target


def validate_file(fpath, md5_hash):
    """Whether the file's md5 is ``md5_hash``."""
    digest = hashlib.md5()
    with open(fpath, "rb") as f:
        for block in iter(lambda: f.read(65535), b""):
            digest.update(block)
    return digest.hexdigest() == str(md5_hash)


# --- layer_utils -----------------------------------------------------------------------

_CONV_LAYERS = (keras.layers.Conv1D, keras.layers.Conv2D, keras.layers.Conv3D,
                keras.layers.Conv2DTranspose)


def convert_all_kernels_in_model(model):
    """Flip every convolution kernel of the model along its spatial axes (Theano <->
    TensorFlow). Keras 3 kernels are (..., in, out) whatever the data format."""
    for layer in model.layers:
        if isinstance(layer, _CONV_LAYERS) and not isinstance(layer, keras.layers.SeparableConv2D):
            kernel = keras.ops.convert_to_numpy(layer.kernel)
            layer.kernel.assign(convert_kernel(kernel, "tf") if kernel.ndim >= 4
                                else np.copy(kernel[::-1]))


def count_total_params(layers, layer_set=None):
    """(trainable, non-trainable) parameter counts of the layers, each weight counted once."""
    weights = {id(w): w for layer in layers for w in layer.weights}
    trainable = {id(w) for layer in layers for w in layer.trainable_weights}
    count = lambda ids: int(sum(np.prod(weights[i].shape) for i in ids))  # noqa: E731
    return count(trainable), count(set(weights) - trainable)


def print_summary(layers, relevant_nodes=None, line_length=100, positions=None):
    """Keras 1's table of layers (name and class, output shape, parameters) and totals
    (the "Connected to" column is left empty)."""
    if isinstance(layers, keras.Model):
        layers = layers.layers
    positions = positions or [.33, .55, .67, 1.]
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]

    def row(fields):
        line = ""
        for field, end in zip(fields, positions):
            line = (line + str(field))[:end].ljust(end)
        print(line)

    print("_" * line_length)
    row(["Layer (type)", "Output Shape", "Param #", "Connected to"])
    print("=" * line_length)
    for i, layer in enumerate(layers):
        try:
            shape = tuple(layer.output.shape)
        except (AttributeError, ValueError):  # not built, or called more than once
            shape = "multiple"
        row([f"{layer.name} ({type(layer).__name__})", shape, layer.count_params(), ""])
        print(("=" if i == len(layers) - 1 else "_") * line_length)
    trainable, non_trainable = count_total_params(layers)
    print(f"Total params: {trainable + non_trainable:,}")
    print(f"Trainable params: {trainable:,}")
    print(f"Non-trainable params: {non_trainable:,}")
    print("_" * line_length)
