"""Keras 1's ``keras.datasets`` loaders: Keras 1's arrays from the data Keras 3 downloads.

Converted code calls ``k1.datasets.imdb.load_data(nb_words=...)`` and gets what Keras 1.2.2
returned; Keras 3's loaders compute something else:

- imdb: Keras 1 shuffled the test set with ``seed * 2`` (Keras 3 continues the training
  set's generator), filtered ``maxlen`` over train and test together and then split at the
  *original* training size (sequences move between the sets), and with ``oov_char=None``
  kept only the words outside ``[skip_top, nb_words)``;
- reuters: Keras 1 returned lists, not arrays (and the same ``oov_char=None`` rule);
- imdb and reuters shuffled with numpy's global generator, reseeding it (later
  ``np.random`` draws in the script depend on that);
- cifar10 / cifar100: channels-first ``(n, 3, 32, 32)`` images when the image dim ordering
  was 'th' (k1port states the file's), and cifar10's test labels were int64.

The raw data comes from Keras 3's download (same origin data, Keras 3's file formats and
cache, ``KERAS_HOME`` or ``~/.keras``), unless a file of Keras 1's own format is already in
the cache under Keras 1's name (``datasets/imdb_full.pkl``, ``datasets/reuters.pkl``,
``datasets/cifar-10-batches-py/``): then that file is read, as Keras 1 read it.
"""
from __future__ import annotations

import gzip
import json
import os
import pickle
from types import SimpleNamespace

import keras
import numpy as np

from k1port.runtime.config import image_dim_ordering
from k1port.runtime.utils import keras_home

_TF_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def _cached(fname):
    """Keras 1's cache path of ``fname`` (an absolute ``fname`` stays itself)."""
    return os.path.join(keras_home(), "datasets", fname)


def _fetch(fname, origin, file_hash, extract=False):
    """Keras 3's download into its cache (tests replace this)."""
    return keras.utils.get_file(fname=fname, origin=origin, file_hash=file_hash, extract=extract)


def _unpickle(path, encoding="latin1"):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        return pickle.load(f, encoding=encoding)


def _npz(path):
    with np.load(path, allow_pickle=True) as f:
        return {key: f[key] for key in f.files}


def _seeded_shuffle(items, seed):
    """Keras 1 shuffled data and labels apart, reseeding numpy's global generator each time."""
    np.random.seed(seed)
    np.random.shuffle(items)


def _index_words(xs, start_char, index_from):
    if start_char is not None:
        return [[start_char] + [w + index_from for w in x] for x in xs]
    if index_from:
        return [[w + index_from for w in x] for x in xs]
    return xs


def _shorter_than(maxlen, xs, labels):
    kept = [(x, y) for x, y in zip(xs, labels) if len(x) < maxlen]
    return [x for x, _ in kept], [y for _, y in kept]


def _vocabulary(xs, nb_words, skip_top, oov_char):
    if not nb_words:
        nb_words = max(max(x) for x in xs)
    outside = lambda w: w >= nb_words or w < skip_top  # noqa: E731
    if oov_char is not None:
        return [[oov_char if outside(w) else w for w in x] for x in xs]
    return [[w for w in x if outside(w)] for x in xs]  # sic: Keras 1.2.2 kept these


def _sequences(xs, labels, maxlen, start_char, index_from):
    xs = _index_words(xs, start_char, index_from)
    if maxlen:
        xs, labels = _shorter_than(maxlen, xs, labels)
    return xs, labels


def _array(xs):
    """``np.array`` of lists as numpy 1.x made it: 2-D when all have one length, else an
    object array of the lists."""
    if len({len(x) for x in xs}) <= 1:
        return np.array(xs)
    out = np.empty(len(xs), dtype=object)
    for i, x in enumerate(xs):
        out[i] = x
    return out


# --- imdb ------------------------------------------------------------------------------


def _imdb_raw(path):
    if os.path.exists(_cached(path)):
        (x_train, y_train), (x_test, y_test) = _unpickle(_cached(path))
        return list(x_train), list(y_train), list(x_test), list(y_test)
    f = _npz(_fetch("imdb.npz", _TF_DATASETS + "imdb.npz",
                    "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"))
    return (list(f["x_train"]), f["y_train"].tolist(), list(f["x_test"]), f["y_test"].tolist())


def _imdb_load_data(path="imdb_full.pkl", nb_words=None, skip_top=0, maxlen=None, seed=113,
                    start_char=1, oov_char=2, index_from=3):
    x_train, labels_train, x_test, labels_test = _imdb_raw(path)
    _seeded_shuffle(x_train, seed)
    _seeded_shuffle(labels_train, seed)
    _seeded_shuffle(x_test, seed * 2)
    _seeded_shuffle(labels_test, seed * 2)
    xs, labels = _sequences(x_train + x_test, labels_train + labels_test, maxlen, start_char, index_from)
    if not xs:
        raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no sequence "
                         "was kept. Increase maxlen.")
    xs = _vocabulary(xs, nb_words, skip_top, oov_char)
    split = len(x_train)  # the size before the maxlen filter, as Keras 1 split
    return ((_array(xs[:split]), np.array(labels[:split])),
            (_array(xs[split:]), np.array(labels[split:])))


def _word_index(path, keras3_name, keras3_hash):
    if not os.path.exists(_cached(path)):
        with open(_fetch(keras3_name, _TF_DATASETS + keras3_name, keras3_hash)) as f:
            return json.load(f)  # the same dict, saved as JSON
    return _unpickle(_cached(path))


def _imdb_word_index(path="imdb_word_index.pkl"):
    return _word_index(path, "imdb_word_index.json",
                       "bfafd718b763782e994055a2d397834f")


imdb = SimpleNamespace(load_data=_imdb_load_data, get_word_index=_imdb_word_index)


# --- reuters ---------------------------------------------------------------------------


def _reuters_raw(path):
    if os.path.exists(_cached(path)):
        xs, labels = _unpickle(_cached(path))
        return list(xs), list(labels)
    f = _npz(_fetch("reuters.npz", _TF_DATASETS + "reuters.npz",
                    "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"))
    return list(f["x"]), f["y"].tolist()


def _reuters_load_data(path="reuters.pkl", nb_words=None, skip_top=0, maxlen=None, test_split=0.2,
                       seed=113, start_char=1, oov_char=2, index_from=3):
    xs, labels = _reuters_raw(path)
    _seeded_shuffle(xs, seed)
    _seeded_shuffle(labels, seed)
    xs, labels = _sequences(xs, labels, maxlen, start_char, index_from)
    xs = _vocabulary(xs, nb_words, skip_top, oov_char)
    split = int(len(xs) * (1 - test_split))
    return (xs[:split], labels[:split]), (xs[split:], labels[split:])  # lists, as Keras 1


def _reuters_word_index(path="reuters_word_index.pkl"):
    return _word_index(path, "reuters_word_index.json",
                       "4d44cc38712099c9e383dc6e5f11a921")


reuters = SimpleNamespace(load_data=_reuters_load_data, get_word_index=_reuters_word_index)


# --- cifar -----------------------------------------------------------------------------


def _cifar_dir(dirname, probe, origin, file_hash):
    """Keras 1's extracted folder if cached, else Keras 3's (downloaded if needed)."""
    if os.path.exists(os.path.join(_cached(dirname), probe)):
        return _cached(dirname)
    return os.path.join(_fetch(dirname + "-target", origin, file_hash, extract=True), dirname)


def _cifar_batch(path, label_key="labels"):
    with open(path, "rb") as f:
        batch = {k.decode("utf8"): v for k, v in pickle.load(f, encoding="bytes").items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def _ordered(x_train, y_train, x_test, y_test, dim_ordering):
    """Labels as (n, 1) columns; images channels-last unless the ordering is 'th'."""
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if (dim_ordering or image_dim_ordering()) == "tf":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)


def _cifar10_load_data(dim_ordering=None):
    """``dim_ordering``: Keras 1's image dim ordering when it ran ('th' or 'tf'; None: the
    runtime's :func:`image_dim_ordering`)."""
    path = _cifar_dir("cifar-10-batches-py", "data_batch_1",
                      "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                      "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce")
    x_train = np.zeros((50000, 3, 32, 32), dtype="uint8")  # Keras 1 read five 10000-image files
    y_train = np.zeros((50000,), dtype="uint8")
    for i in range(5):
        data, labels = _cifar_batch(os.path.join(path, f"data_batch_{i + 1}"))
        x_train[i * 10000:(i + 1) * 10000] = data
        y_train[i * 10000:(i + 1) * 10000] = labels
    x_test, y_test = _cifar_batch(os.path.join(path, "test_batch"))
    return _ordered(x_train, y_train, x_test, y_test, dim_ordering)


def _cifar100_load_data(label_mode="fine", dim_ordering=None):
    if label_mode not in ("fine", "coarse"):
        raise ValueError('label_mode must be one of "fine" "coarse".')
    path = _cifar_dir("cifar-100-python", "train",
                      "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
                      "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7")
    x_train, y_train = _cifar_batch(os.path.join(path, "train"), label_mode + "_labels")
    x_test, y_test = _cifar_batch(os.path.join(path, "test"), label_mode + "_labels")
    return _ordered(x_train, y_train, x_test, y_test, dim_ordering)


cifar10 = SimpleNamespace(load_data=_cifar10_load_data)
cifar100 = SimpleNamespace(load_data=_cifar100_load_data)
