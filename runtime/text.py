"""Keras 1's ``keras.preprocessing.text``: ``Tokenizer``, ``one_hot``, ``text_to_word_sequence``.

Keras 3 has no public text preprocessing (its ``TextVectorization`` layer is another API), so
converted code calls these, written from Keras 1.2.2's behaviour and signatures (``nb_words``,
not Keras 2's ``num_words``: Keras 1 code reads ``tokenizer.nb_words`` and passes it
positionally). Pure Python and numpy.

Keras 1 details kept on purpose:
- ``fit_on_texts`` adds to ``word_counts`` / ``word_docs`` across calls but restarts
  ``document_count`` (the tf-idf document count) at each call;
- ``word_index`` ranks words by count, ties in the order the words were first seen;
  index 0 is never assigned;
- words whose index is ``>= nb_words`` are left out of sequences and matrices;
- ``freq`` divides by the whole sequence length, left-out words included;
- with ``char_level=True`` each text is used as it is (no lower-casing, no filters);
- ``one_hot`` hashes with Python's ``hash`` (randomised per process for ``str`` unless
  ``PYTHONHASHSEED`` is set, as it was in Keras 1 under Python 3).
"""
from __future__ import annotations

import numpy as np

__all__ = ["Tokenizer", "one_hot", "text_to_word_sequence", "base_filter"]

# Punctuation except the apostrophe, plus tab and newline: Keras 1's default `filters`.
DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def base_filter():
    """Keras 1.0/1.1's ``base_filter()``: the default ``filters`` string."""
    return DEFAULT_FILTERS


def text_to_word_sequence(text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """The words of ``text``: lower-cased, every filter character turned into ``split``, split
    on ``split``, empty words dropped."""
    if lower:
        text = text.lower()
    text = text.translate(str.maketrans(filters, split * len(filters)))
    return [word for word in text.split(split) if word]


def one_hot(text, n, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Each word of ``text`` hashed to an index in 1 .. n - 1."""
    return [abs(hash(word)) % (n - 1) + 1 for word in text_to_word_sequence(text, filters, lower, split)]


def _count(counter: dict, key) -> None:
    counter[key] = counter.get(key, 0) + 1


class Tokenizer:
    """Keras 1's text tokenizer: a vocabulary ranked by word count, texts turned into
    sequences of word indices or into (binary, count, tfidf, freq) matrices."""

    def __init__(self, nb_words=None, filters=DEFAULT_FILTERS, lower=True, split=" ", char_level=False):
        self.nb_words = nb_words
        self.filters = filters
        self.lower = lower
        self.split = split
        self.char_level = char_level
        self.word_counts = {}
        self.word_docs = {}
        self.document_count = 0
        # Keras 1 created these in fit_*: empty here, so that an unfitted tokenizer gives
        # Keras 1's "fit first" errors rather than AttributeError.
        self.word_index = {}
        self.index_docs = {}

    def _words(self, text):
        return text if self.char_level else text_to_word_sequence(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Count the words of ``texts`` (a list or any iterable of strings) and rebuild
        ``word_index`` and ``index_docs``."""
        self.document_count = 0
        for text in texts:
            self.document_count += 1
            words = self._words(text)
            for word in words:
                _count(self.word_counts, word)
            for word in set(words):
                _count(self.word_docs, word)
        ranked = sorted(self.word_counts, key=self.word_counts.get, reverse=True)  # stable: ties keep order
        self.word_index = {word: rank for rank, word in enumerate(ranked, start=1)}
        self.index_docs = {self.word_index[word]: docs for word, docs in self.word_docs.items()}

    def fit_on_sequences(self, sequences):
        """Document frequencies of word indices (for ``sequences_to_matrix(mode='tfidf')``)."""
        self.document_count = len(sequences)
        self.index_docs = {}
        for sequence in sequences:
            for index in set(sequence):
                _count(self.index_docs, index)

    def texts_to_sequences_generator(self, texts):
        """Yield each text as the list of its known words' indices (below ``nb_words``)."""
        for text in texts:
            indices = (self.word_index.get(word) for word in self._words(text))
            yield [i for i in indices if i is not None and not (self.nb_words and i >= self.nb_words)]

    def texts_to_sequences(self, texts):
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_matrix(self, texts, mode="binary"):
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """One row per sequence, ``nb_words`` columns (else one per known word, plus index
        0): ``binary`` 1, ``count`` c, ``freq`` c / len(sequence), ``tfidf``
        (1 + log c) * log(1 + documents / (1 + documents containing the word))."""
        if self.nb_words:
            columns = self.nb_words
        elif self.word_index:
            columns = len(self.word_index) + 1
        else:
            raise ValueError("Specify a dimension (nb_words argument), or fit on some text data first.")
        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")
        matrix = np.zeros((len(sequences), columns))
        for row, sequence in enumerate(sequences):
            counts = {}
            for index in sequence:
                if index < columns:
                    _count(counts, index)
            for index, c in counts.items():
                matrix[row, index] = self._weight(mode, c, len(sequence), index)
        return matrix

    def _weight(self, mode, c, length, index):
        if mode == "binary":
            return 1.0
        if mode == "count":
            return float(c)
        if mode == "freq":
            return c / length
        if mode == "tfidf":
            return (1 + np.log(c)) * np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
        raise ValueError(f"Unknown vectorization mode: {mode}")
