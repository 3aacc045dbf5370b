"""Keras 1's ``keras.preprocessing.sequence`` functions that Keras 3 dropped: ``skipgrams`` and
``make_sampling_table`` (``pad_sequences`` converts to Keras 3's, which computes the same).

``skipgrams`` draws from Python's ``random`` module in Keras 1's order, so a program seeded
with ``random.seed(n)`` gets Keras 1's couples and labels; like Keras 1, its final shuffle
reseeds ``random`` with a number drawn from it.
"""
from __future__ import annotations

import random

import numpy as np

__all__ = ["skipgrams", "make_sampling_table"]

_EULER_GAMMA = 0.577  # Keras 1's rounding of the Euler-Mascheroni constant


def make_sampling_table(size, sampling_factor=1e-5):
    """word2vec's probability of keeping the word of each frequency rank, min(1, sqrt(f) / f)
    with f = sampling_factor * rank * (log rank + gamma) + 1/2 - 1/(12 rank) (Zipf's law;
    rank 0 is taken as 1)."""
    rank = np.arange(size)
    rank[0] = 1
    f = sampling_factor * (rank * (np.log(rank) + _EULER_GAMMA) + 0.5 - 1.0 / (12.0 * rank))
    return np.minimum(1.0, f / np.sqrt(f))


def skipgrams(sequence, vocabulary_size, window_size=4, negative_samples=1.0, shuffle=True,
              categorical=False, sampling_table=None):
    """(couples, labels): [word, context word] pairs within ``window_size`` labelled 1, then
    ``negative_samples`` times as many [word, random word] pairs labelled 0 (``categorical``:
    [0, 1] and [1, 0]). Index 0 is not a word; with a ``sampling_table`` a word is kept with
    probability ``sampling_table[word]``."""
    couples, labels = [], []
    for i, word in enumerate(sequence):
        if not word:
            continue
        if sampling_table is not None and sampling_table[word] < random.random():
            continue
        for j in range(max(0, i - window_size), min(len(sequence), i + window_size + 1)):
            if j != i and sequence[j]:
                couples.append([word, sequence[j]])
                labels.append([0, 1] if categorical else 1)

    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        words = [couple[0] for couple in couples]
        random.shuffle(words)
        couples += [[words[i % len(words)], random.randint(1, vocabulary_size - 1)] for i in range(count)]
        labels += [[1, 0] if categorical else 0] * count

    if shuffle:
        # Keras 1 shuffled both lists alike by reseeding `random` (randint(0, 10e6)).
        seed = random.randint(0, 10_000_000)
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels
