"""Keras 1's ``keras.preprocessing.image`` augmentation: ``ImageDataGenerator``, its iterators
and the ``random_*`` transforms, with Keras 1.2.2's arguments and behaviour.

Keras 3 has no public ``ImageDataGenerator`` (and Keras 2's, kept privately in Keras 3,
draws its random numbers in another order and spells ``dim_ordering`` as ``data_format``).
Here every random number comes from ``np.random`` in Keras 1's order, so a program seeded
as the Keras 1 one was gets the same augmented batches:

- ``random_transform`` draws the rotation, height shift, width shift, shear, the two zooms,
  the channel shifts (one per channel), then the horizontal and vertical flip coins, each
  only when its range is non-zero or its flip enabled;
- an iterator given a ``seed`` calls ``np.random.seed(seed + batches seen)`` before every
  batch (so its augmentations repeat with the seed too), and reshuffles only when a batch
  ends exactly at the last sample... which never happens when the number of samples is a
  multiple of the batch size: the first permutation is then kept for good, as in Keras 1;
- ``save_to_dir`` draws one ``np.random.randint(10000)`` per saved image (its file name).

Other Keras 1 details kept: ``samplewise_center`` / ``samplewise_std_normalization`` use
statistics over the channel axis of each image (Keras 1.2.2 computed them so); ``fit``
divides by ``std + K.epsilon()``, ``standardize`` by ``std + 1e-7``; ZCA whitening does not
center the data itself; images are transformed by nearest-neighbour affine maps (scipy's
``affine_transform`` with ``order=0``); ``flow_from_directory`` lists files in ``os.walk``
order (class folders sorted) and resizes with nearest-neighbour sampling, as the Pillow of
Keras 1's time did by default. ``dim_ordering='default'`` means
:func:`k1port.runtime.image_dim_ordering`.
"""
from __future__ import annotations

import os
import re
import threading
import warnings

import keras
import numpy as np
import scipy.linalg
import scipy.ndimage

from k1port.runtime.config import image_dim_ordering

__all__ = [
    "ImageDataGenerator", "Iterator", "NumpyArrayIterator", "DirectoryIterator",
    "random_rotation", "random_shift", "random_shear", "random_zoom", "random_channel_shift",
    "apply_transform", "transform_matrix_offset_center", "flip_axis", "list_pictures",
]

_IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "bmp")  # what flow_from_directory reads


# --- transforms of one image (numpy, 3-D) ---------------------------------------------------

def _rotation(theta):
    return np.array([[np.cos(theta), -np.sin(theta), 0], [np.sin(theta), np.cos(theta), 0], [0, 0, 1]])


def _translation(tx, ty):
    return np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])


def _shear(shear):
    return np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])


def _zoom(zx, zy):
    return np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])


def _draw_zoom(zoom_range):
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        return 1, 1
    return np.random.uniform(zoom_range[0], zoom_range[1], 2)


def transform_matrix_offset_center(matrix, x, y):
    """``matrix`` applied about the image centre (x / 2 + 0.5, y / 2 + 0.5), as Keras 1 did."""
    ox, oy = float(x) / 2 + 0.5, float(y) / 2 + 0.5
    return _translation(ox, oy) @ matrix @ _translation(-ox, -oy)


def apply_transform(x, transform_matrix, channel_axis=0, fill_mode="nearest", cval=0.0):
    """Each channel of ``x`` resampled (nearest neighbour) through the 3 x 3 homogeneous
    ``transform_matrix``, which maps output (row, col) to input (row, col)."""
    channels = np.moveaxis(x, channel_axis, 0)
    linear, offset = transform_matrix[:2, :2], transform_matrix[:2, 2]
    out = np.stack([scipy.ndimage.affine_transform(c, linear, offset, order=0, mode=fill_mode, cval=cval)
                    for c in channels])
    return np.moveaxis(out, 0, channel_axis)


def _centered(x, matrix, row_axis, col_axis, channel_axis, fill_mode, cval):
    matrix = transform_matrix_offset_center(matrix, x.shape[row_axis], x.shape[col_axis])
    return apply_transform(x, matrix, channel_axis, fill_mode, cval)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0):
    """``x`` rotated by an angle drawn uniformly in [-rg, rg] degrees."""
    theta = np.pi / 180 * np.random.uniform(-rg, rg)
    return _centered(x, _rotation(theta), row_axis, col_axis, channel_axis, fill_mode, cval)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0):
    """``x`` shifted by fractions of its height (drawn first, in [-hrg, hrg]) and width."""
    tx = np.random.uniform(-hrg, hrg) * x.shape[row_axis]
    ty = np.random.uniform(-wrg, wrg) * x.shape[col_axis]
    return apply_transform(x, _translation(tx, ty), channel_axis, fill_mode, cval)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0):
    """``x`` sheared by an angle (radians) drawn uniformly in [-intensity, intensity]."""
    shear = np.random.uniform(-intensity, intensity)
    return _centered(x, _shear(shear), row_axis, col_axis, channel_axis, fill_mode, cval)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0):
    """``x`` zoomed by factors (rows, cols) drawn uniformly in ``zoom_range`` (two floats)."""
    if len(zoom_range) != 2:
        raise ValueError("zoom_range should be a tuple or list of two floats. Received arg: ", zoom_range)
    zx, zy = _draw_zoom(zoom_range)
    return _centered(x, _zoom(zx, zy), row_axis, col_axis, channel_axis, fill_mode, cval)


def random_channel_shift(x, intensity, channel_axis=0):
    """Each channel of ``x`` plus its own uniform draw in [-intensity, intensity], clipped to
    the range of the whole image."""
    channels = np.moveaxis(x, channel_axis, 0)
    low, high = np.min(channels), np.max(channels)
    out = np.stack([np.clip(c + np.random.uniform(-intensity, intensity), low, high) for c in channels])
    return np.moveaxis(out, 0, channel_axis)


def flip_axis(x, axis):
    """``x`` reversed along ``axis``."""
    return np.flip(np.asarray(x), axis)


def list_pictures(directory, ext="jpg|jpeg|bmp|png"):
    """The image files below ``directory`` (``os.walk`` order) whose names are a word
    followed by one of the ``ext`` extensions (a regular expression alternation)."""
    pattern = re.compile(r"([\w]+\.(?:" + ext + "))")
    return [os.path.join(root, name) for root, _, files in os.walk(directory) for name in files
            if pattern.match(name)]


# --- PIL images, as Keras 1 read and wrote them ----------------------------------------------

def _pil():
    try:
        from PIL import Image
    except ImportError as exc:  # pragma: no cover - pillow is a dependency of the keras extra
        raise ImportError("flow_from_directory and save_to_dir need Pillow (pip install pillow)") from exc
    return Image


def _load_image(path, grayscale, target_size):
    Image = _pil()
    image = Image.open(path)
    image = image.convert("L" if grayscale else "RGB")
    if target_size:
        image = image.resize((target_size[1], target_size[0]), Image.NEAREST)
    return image


def _image_to_array(image, dim_ordering):
    x = np.asarray(image, dtype=keras.config.floatx())
    if x.ndim == 2:
        x = x[:, :, np.newaxis]
    return np.moveaxis(x, 2, 0) if dim_ordering == "th" else x


def _array_to_image(x, dim_ordering):
    """Keras 1's array_to_img(scale=True): shifted up only when negative, then scaled so that
    the maximum is 255 (Keras 3's also subtracts a positive minimum)."""
    x = np.asarray(x, dtype=keras.config.floatx())
    if dim_ordering == "th":
        x = np.moveaxis(x, 0, 2)
    x = x + max(-np.min(x), 0)
    if np.max(x) != 0:
        x = x / np.max(x)
    x = x * 255
    if x.shape[2] == 3:
        return _pil().fromarray(x.astype("uint8"), "RGB")
    if x.shape[2] == 1:
        return _pil().fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError("Unsupported channel number: ", x.shape[2])


def _ordering(dim_ordering):
    ordering = image_dim_ordering() if dim_ordering == "default" else dim_ordering
    if ordering not in ("th", "tf"):
        raise ValueError('dim_ordering should be "tf" (channel after row and column) or "th" '
                         "(channel before row and column). Received arg: ", dim_ordering)
    return ordering


# --- the generator ---------------------------------------------------------------------------

class ImageDataGenerator:
    """Batches of images with real-time augmentation (Keras 1.2.2's arguments).

    ``zoom_range`` z means [1 - z, 1 + z]; ``rescale`` multiplies first (after
    ``preprocessing_function``); ``dim_ordering`` 'th' puts channels on axis 1, 'tf' on
    axis 3 of a batch."""

    def __init__(self, featurewise_center=False, samplewise_center=False,
                 featurewise_std_normalization=False, samplewise_std_normalization=False,
                 zca_whitening=False, rotation_range=0.0, width_shift_range=0.0,
                 height_shift_range=0.0, shear_range=0.0, zoom_range=0.0, channel_shift_range=0.0,
                 fill_mode="nearest", cval=0.0, horizontal_flip=False, vertical_flip=False,
                 rescale=None, preprocessing_function=None, dim_ordering="default"):
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.rotation_range = rotation_range
        self.width_shift_range = width_shift_range
        self.height_shift_range = height_shift_range
        self.shear_range = shear_range
        self.channel_shift_range = channel_shift_range
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.dim_ordering = _ordering(dim_ordering)
        # Axes in a batch (axis 0: the samples).
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) if self.dim_ordering == "th" else (3, 1, 2)
        self.mean = self.std = self.principal_components = None
        if np.isscalar(zoom_range):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif len(zoom_range) == 2:
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError("zoom_range should be a float or a tuple or list of two floats. "
                             "Received arg: ", zoom_range)

    def flow(self, X, y=None, batch_size=32, shuffle=True, seed=None,
             save_to_dir=None, save_prefix="", save_format="jpeg"):
        return NumpyArrayIterator(X, y, self, batch_size=batch_size, shuffle=shuffle, seed=seed,
                                  dim_ordering=self.dim_ordering, save_to_dir=save_to_dir,
                                  save_prefix=save_prefix, save_format=save_format)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="jpeg", follow_links=False):
        return DirectoryIterator(directory, self, target_size=target_size, color_mode=color_mode,
                                 classes=classes, class_mode=class_mode, dim_ordering=self.dim_ordering,
                                 batch_size=batch_size, shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
                                 save_prefix=save_prefix, save_format=save_format, follow_links=follow_links)

    def _not_fitted(self, what):
        warnings.warn(f"This ImageDataGenerator specifies `{what}`, but it hasn't been fit on any "
                      "training data. Fit it first by calling `.fit(numpy_data)`.")

    def standardize(self, x):
        """One image normalized as configured (in place where Keras 1 did it in place)."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x *= self.rescale
        channel_axis = self.channel_axis - 1  # in one image
        if self.samplewise_center:
            x -= np.mean(x, axis=channel_axis, keepdims=True)
        if self.samplewise_std_normalization:
            x /= np.std(x, axis=channel_axis, keepdims=True) + 1e-7
        if self.featurewise_center:
            if self.mean is not None:
                x -= self.mean
            else:
                self._not_fitted("featurewise_center")
        if self.featurewise_std_normalization:
            if self.std is not None:
                x /= self.std + 1e-7
            else:
                self._not_fitted("featurewise_std_normalization")
        if self.zca_whitening:
            if self.principal_components is not None:
                x = np.reshape(np.reshape(x, x.size) @ self.principal_components, x.shape)
            else:
                self._not_fitted("zca_whitening")
        return x

    def random_transform(self, x):
        """One image through a random rotation, shift, shear and zoom (one affine map about
        the centre), channel shift and flips; draws in Keras 1's order (module docstring)."""
        row_axis, col_axis, channel_axis = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1

        def draw(limit):
            return np.random.uniform(-limit, limit) if limit else 0

        theta = np.pi / 180 * draw(self.rotation_range)
        tx = draw(self.height_shift_range) * x.shape[row_axis]
        ty = draw(self.width_shift_range) * x.shape[col_axis]
        shear = draw(self.shear_range)
        zx, zy = _draw_zoom(self.zoom_range)
        matrix = _rotation(theta) @ _translation(tx, ty) @ _shear(shear) @ _zoom(zx, zy)
        x = _centered(x, matrix, row_axis, col_axis, channel_axis, self.fill_mode, self.cval)
        if self.channel_shift_range != 0:
            x = random_channel_shift(x, self.channel_shift_range, channel_axis)
        if self.horizontal_flip and np.random.random() < 0.5:
            x = flip_axis(x, col_axis)
        if self.vertical_flip and np.random.random() < 0.5:
            x = flip_axis(x, row_axis)
        return x

    def fit(self, x, augment=False, rounds=1, seed=None):
        """The dataset statistics that featurewise_center, featurewise_std_normalization and
        zca_whitening use: per-channel mean and std, ZCA matrix (of ``rounds`` augmented
        copies of ``x`` with ``augment``; ``seed`` seeds ``np.random`` first)."""
        floatx = keras.config.floatx()
        x = np.asarray(x, dtype=floatx)
        if x.ndim != 4:
            raise ValueError("Input to `.fit()` should have rank 4. Got array with shape: " + str(x.shape))
        if x.shape[self.channel_axis] not in (1, 3, 4):
            raise ValueError(f"Expected input to be images (as Numpy array) following the dimension ordering "
                             f'convention "{self.dim_ordering}" (channels on axis {self.channel_axis}), i.e. '
                             f"expected either 1, 3 or 4 channels on axis {self.channel_axis}. However, it was "
                             f"passed an array with shape {x.shape} ({x.shape[self.channel_axis]} channels).")
        if seed is not None:
            np.random.seed(seed)
        x = np.copy(x)
        if augment:
            x = np.stack([self.random_transform(image) for _ in range(rounds) for image in x]).astype(floatx)
        stats_axes = (0, self.row_axis, self.col_axis)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=stats_axes), shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=stats_axes), shape)
            x /= self.std + keras.config.epsilon()
        if self.zca_whitening:
            flat = np.reshape(x, (x.shape[0], -1))
            sigma = flat.T @ flat / flat.shape[0]
            u, s, _ = scipy.linalg.svd(sigma)
            self.principal_components = (u * (1.0 / np.sqrt(s + 10e-7))) @ u.T


# --- iterators ---------------------------------------------------------------------------------

class Iterator:
    """Keras 1's endless batch iterator over ``n`` samples: ``next()`` gives the next batch
    (the last one of an epoch may be smaller); see the module docstring for the shuffling."""

    def __init__(self, n, batch_size, shuffle, seed):
        self.n = n
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.batch_index = 0
        self.total_batches_seen = 0
        self.lock = threading.Lock()
        self.index_generator = self._flow_index(n, batch_size, shuffle, seed)

    def reset(self):
        self.batch_index = 0

    def _flow_index(self, n, batch_size=32, shuffle=False, seed=None):
        """Yields (sample indices, index of the first, batch size) forever."""
        self.reset()
        while True:
            if seed is not None:
                np.random.seed(seed + self.total_batches_seen)
            if self.batch_index == 0:
                order = np.random.permutation(n) if shuffle else np.arange(n)
            start = (self.batch_index * batch_size) % n
            size = min(batch_size, n - start)
            self.batch_index = self.batch_index + 1 if size == batch_size else 0
            self.total_batches_seen += 1
            yield order[start:start + size], start, size

    def __iter__(self):
        return self

    def __next__(self):
        return self.next()

    def _indices(self):
        with self.lock:  # only the index bookkeeping is shared between threads
            return next(self.index_generator)

    def _transformed(self, image, generator):
        return generator.standardize(generator.random_transform(image))

    def _save(self, batch_x, start, save_to_dir, save_prefix, save_format, dim_ordering):
        for i, x in enumerate(batch_x):
            name = f"{save_prefix}_{start + i}_{np.random.randint(10000)}.{save_format}"
            _array_to_image(x, dim_ordering).save(os.path.join(save_to_dir, name))


class NumpyArrayIterator(Iterator):
    """Batches ``(x, y)`` (or ``x`` when ``y`` is None) of a 4-D image array, each image
    augmented and standardized by ``image_data_generator``."""

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, seed=None,
                 dim_ordering="default", save_to_dir=None, save_prefix="", save_format="jpeg"):
        if y is not None and len(x) != len(y):
            raise ValueError("X (images tensor) and y (labels) should have the same length. Found: "
                             f"X.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}")
        dim_ordering = _ordering(dim_ordering)
        self.x = np.asarray(x, dtype=keras.config.floatx())
        if self.x.ndim != 4:
            raise ValueError("Input data in `NumpyArrayIterator` should have rank 4. You passed an array "
                             "with shape", self.x.shape)
        channels_axis = 3 if dim_ordering == "tf" else 1
        if self.x.shape[channels_axis] not in (1, 3, 4):
            raise ValueError(f'NumpyArrayIterator is set to use the dimension ordering convention "{dim_ordering}" '
                             f"(channels on axis {channels_axis}), i.e. expected either 1, 3 or 4 channels on "
                             f"axis {channels_axis}. However, it was passed an array with shape {self.x.shape} "
                             f"({self.x.shape[channels_axis]} channels).")
        self.y = np.asarray(y) if y is not None else None
        self.image_data_generator = image_data_generator
        self.dim_ordering = dim_ordering
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def next(self):
        indices, start, size = self._indices()
        floatx = keras.config.floatx()
        batch_x = np.zeros((size, *self.x.shape[1:]), dtype=floatx)
        for i, j in enumerate(indices):
            batch_x[i] = self._transformed(self.x[j].astype(floatx), self.image_data_generator)
        if self.save_to_dir:
            self._save(batch_x, start, self.save_to_dir, self.save_prefix, self.save_format, self.dim_ordering)
        if self.y is None:
            return batch_x
        return batch_x, self.y[indices]


class DirectoryIterator(Iterator):
    """Batches of the images in ``directory``'s class folders (one class per sub-folder,
    sorted, unless ``classes`` names them), with labels by ``class_mode``: 'categorical'
    (one-hot), 'binary' (float), 'sparse' (int) or None (images only)."""

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 dim_ordering="default", classes=None, class_mode="categorical", batch_size=32,
                 shuffle=True, seed=None, save_to_dir=None, save_prefix="", save_format="jpeg",
                 follow_links=False):
        self.dim_ordering = _ordering(dim_ordering)
        self.directory = directory
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        if color_mode not in ("rgb", "grayscale"):
            raise ValueError("Invalid color mode:", color_mode, '; expected "rgb" or "grayscale".')
        self.color_mode = color_mode
        channels = (3,) if color_mode == "rgb" else (1,)
        self.image_shape = self.target_size + channels if self.dim_ordering == "tf" else channels + self.target_size
        if class_mode not in ("categorical", "binary", "sparse", None):
            raise ValueError("Invalid class_mode:", class_mode,
                             '; expected one of "categorical", "binary", "sparse", or None.')
        self.class_mode = class_mode
        self.save_to_dir, self.save_prefix, self.save_format = save_to_dir, save_prefix, save_format

        if not classes:
            classes = [d for d in sorted(os.listdir(directory)) if os.path.isdir(os.path.join(directory, d))]
        self.nb_class = len(classes)
        self.class_indices = {name: i for i, name in enumerate(classes)}
        self.filenames, labels = [], []
        for name in classes:
            walk = sorted(os.walk(os.path.join(directory, name), followlinks=follow_links), key=lambda t: t[0])
            for root, _, files in walk:
                for file in files:
                    if file.lower().endswith(tuple("." + e for e in _IMAGE_EXTENSIONS)):
                        labels.append(self.class_indices[name])
                        self.filenames.append(os.path.relpath(os.path.join(root, file), directory))
        self.nb_sample = len(self.filenames)
        self.classes = np.array(labels, dtype="int32")
        print("Found %d images belonging to %d classes." % (self.nb_sample, self.nb_class))
        super().__init__(self.nb_sample, batch_size, shuffle, seed)

    def next(self):
        indices, start, size = self._indices()
        floatx = keras.config.floatx()
        batch_x = np.zeros((size, *self.image_shape), dtype=floatx)
        for i, j in enumerate(indices):
            image = _load_image(os.path.join(self.directory, self.filenames[j]),
                                self.color_mode == "grayscale", self.target_size)
            batch_x[i] = self._transformed(_image_to_array(image, self.dim_ordering), self.image_data_generator)
        if self.save_to_dir:
            self._save(batch_x, start, self.save_to_dir, self.save_prefix, self.save_format, self.dim_ordering)
        labels = self.classes[indices]
        if self.class_mode == "sparse":
            return batch_x, labels
        if self.class_mode == "binary":
            return batch_x, labels.astype(floatx)
        if self.class_mode == "categorical":
            return batch_x, np.eye(self.nb_class, dtype=floatx)[labels]
        return batch_x
