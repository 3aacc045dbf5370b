"""Tiny fake raw files in Keras 1.2.2's dataset formats, the same bytes wherever they are made.

make_reference.py (in the oracle, for Keras 1.2.2's loaders) and check_utils.py (for
k1port.runtime.datasets) both call `write_all(folder)`; tests never touch the network.
Layout under `folder` (Keras 1's cache names): imdb_full.pkl, reuters.pkl,
imdb_word_index.pkl, cifar-10-batches-py/{data_batch_1..5,test_batch},
cifar-100-python/{train,test}.
"""
from __future__ import annotations

import os
import pickle

import numpy as np


def _sequences(rng, n, vocabulary=40, longest=15):
    return [[int(w) for w in rng.randint(1, vocabulary, rng.randint(1, longest + 1))] for _ in range(n)]


def raw_imdb():
    rng = np.random.RandomState(5)
    x_train, x_test = _sequences(rng, 30), _sequences(rng, 20)
    return (x_train, [int(y) for y in rng.randint(0, 2, 30)]), (x_test, [int(y) for y in rng.randint(0, 2, 20)])


def raw_reuters():
    rng = np.random.RandomState(6)
    return _sequences(rng, 40), [int(y) for y in rng.randint(0, 6, 40)]


def word_index():
    return {f"w{i}": i for i in range(1, 40)}


def _cifar_batch(n, seed, label_keys):
    data = ((np.arange(n * 3072, dtype=np.int64) * (seed + 3) + seed) % 251).astype(np.uint8).reshape(n, 3072)
    rng = np.random.RandomState(seed)
    batch = {b"data": data}
    for key, classes in label_keys.items():
        batch[key.encode()] = [int(y) for y in rng.randint(0, classes, n)]
    return batch


def _dump(obj, path):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=2)


def write_all(folder):
    os.makedirs(folder, exist_ok=True)
    _dump(raw_imdb(), os.path.join(folder, "imdb_full.pkl"))
    _dump(raw_reuters(), os.path.join(folder, "reuters.pkl"))
    _dump(word_index(), os.path.join(folder, "imdb_word_index.pkl"))
    cifar10 = os.path.join(folder, "cifar-10-batches-py")
    os.makedirs(cifar10, exist_ok=True)
    for i in range(1, 6):  # Keras 1 read exactly 10000 images per training file
        _dump(_cifar_batch(10000, i, {"labels": 10}), os.path.join(cifar10, f"data_batch_{i}"))
    _dump(_cifar_batch(30, 9, {"labels": 10}), os.path.join(cifar10, "test_batch"))
    cifar100 = os.path.join(folder, "cifar-100-python")
    os.makedirs(cifar100, exist_ok=True)
    for name, n, seed in (("train", 40, 11), ("test", 20, 12)):
        _dump(_cifar_batch(n, seed, {"fine_labels": 100, "coarse_labels": 20}), os.path.join(cifar100, name))
