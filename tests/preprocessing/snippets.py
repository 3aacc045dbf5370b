"""Keras 1 programs using keras.preprocessing, run as written by the Keras 1.2.2 oracle
(make_reference.py) and converted by k1port under Keras 3 (check_preprocessing.py).

Each snippet leaves a dict `result`; both sides record it the same way (`record`) and the
checker compares. Keys starting with '_' are facts of the oracle's process that the checker
feeds back instead of comparing (Python's `hash` of each word, randomised per process).
`IMAGES` names a folder of class sub-folders (LAYOUT) holding the images IMAGE_ARRAYS makes.
Standard library and numpy only: both virtual environments import this.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

TEXT = '''
from keras.preprocessing.text import Tokenizer, text_to_word_sequence
texts = ["The cat sat on the mat.", "The dog ate my homework!", "Cat and dog: friends? Not the CAT.",
         "", "tab\\there\\nnewline it's the end"]
tok = Tokenizer()
tok.fit_on_texts(texts[:3])
tok.fit_on_texts(texts)  # counts add up, document_count restarts
result = dict(word_index=tok.word_index, word_counts=tok.word_counts, word_docs=tok.word_docs,
              index_docs=tok.index_docs, document_count=tok.document_count,
              sequences=tok.texts_to_sequences(texts + ["unknown words only", "the the the cat"]))
for mode in ('binary', 'count', 'tfidf', 'freq'):
    result['matrix_' + mode] = tok.texts_to_matrix(texts + ["the the cat zebra"], mode=mode)
small = Tokenizer(nb_words=5)
small.fit_on_texts(texts)
result['small_sequences'] = list(small.texts_to_sequences_generator(texts))
for mode in ('binary', 'count', 'tfidf', 'freq'):
    result['small_' + mode] = small.texts_to_matrix(texts, mode)
chars = Tokenizer(char_level=True)
chars.fit_on_texts(['abca', 'Bc a'])
result['char_index'] = chars.word_index
result['char_sequences'] = chars.texts_to_sequences(['cab', 'B!'])
by_index = Tokenizer(nb_words=6)
by_index.fit_on_sequences([[1, 2, 2], [3], [5, 1, 7]])
for mode in ('tfidf', 'freq', 'count'):
    result['sequences_' + mode] = by_index.sequences_to_matrix([[1, 2, 2, 9], [], [5, 0]], mode=mode)
result['words'] = text_to_word_sequence("Hello, World! HELLO-world", filters=',!', lower=False)
result['words_default'] = text_to_word_sequence("Hello, World! It's 3.5 o'clock\\tnow")
'''

ONE_HOT = '''
from keras.preprocessing.text import one_hot, text_to_word_sequence
text = "The quick brown fox jumps over the lazy dog. The end!"
result = {'one_hot': one_hot(text, 11), 'one_hot_2': one_hot(text, 2, lower=False),
          '_hash': {w: hash(w) for w in set(text_to_word_sequence(text) + text_to_word_sequence(text, lower=False))}}
'''

PAD_SEQUENCES = '''
from keras.preprocessing.sequence import pad_sequences
seqs = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9, 10]]
result = {}
result['default'] = pad_sequences(seqs)
result['maxlen_pre'] = pad_sequences(seqs, maxlen=3)
result['post_post'] = pad_sequences(seqs, maxlen=3, padding='post', truncating='post')
result['pre_post'] = pad_sequences(seqs, 4, 'int32', 'pre', 'post')
result['float_value'] = pad_sequences(seqs, maxlen=6, dtype='float32', value=-1.5)
result['int_fraction_value'] = pad_sequences(seqs, value=2.7)
result['float_items_int_dtype'] = pad_sequences([[1.7, -2.5]], maxlen=3)
result['all_empty'] = pad_sequences([[], []], maxlen=2)
result['empty_no_maxlen'] = pad_sequences([[], []])
result['vectors'] = pad_sequences([np.ones((2, 3)), np.zeros((0, 3)), np.arange(12).reshape(4, 3)], maxlen=3,
                                  dtype='float32')
result['array_input'] = pad_sequences(np.array([[1, 2], [3, 4]]), maxlen=3, padding='post')
'''

SKIPGRAMS = '''
import random
from keras.preprocessing.sequence import skipgrams, make_sampling_table
result = {'table_10': make_sampling_table(10), 'table_100': make_sampling_table(100, sampling_factor=1e-3)}
seq = [0, 3, 1, 4, 1, 5, 9, 2, 6, 0, 5, 3]
random.seed(7)
result['plain'] = skipgrams(seq, 10)
result['after_plain'] = random.random()
random.seed(8)
result['window_categorical'] = skipgrams(seq, 10, window_size=2, negative_samples=0.5, categorical=True)
random.seed(9)
result['no_shuffle'] = skipgrams(seq, 10, window_size=1, shuffle=False)
result['after_no_shuffle'] = random.random()
random.seed(10)
result['table'] = skipgrams(seq, 10, sampling_table=make_sampling_table(10, sampling_factor=0.05))
result['after_table'] = random.random()
random.seed(11)
result['no_negatives'] = skipgrams(seq, 10, negative_samples=0)
'''

IMAGE_FUNCTIONS = '''
from keras.preprocessing import image
np.random.seed(5)
x = np.random.uniform(0, 255, (3, 9, 7)).astype('float32')
xt = np.transpose(x, (1, 2, 0))
result = {}
np.random.seed(1)
result['rotation'] = image.random_rotation(x, 40)
result['rotation_tf_constant'] = image.random_rotation(xt, 90, row_axis=0, col_axis=1, channel_axis=2,
                                                       fill_mode='constant', cval=-1.)
result['shift'] = image.random_shift(x, 0.3, 0.2, fill_mode='reflect')
result['shear'] = image.random_shear(x, 0.8, fill_mode='wrap')
result['zoom'] = image.random_zoom(x, (0.5, 1.5))
result['zoom_one'] = image.random_zoom(x, (1, 1))
result['channel_shift'] = image.random_channel_shift(x, 50)
result['channel_shift_tf'] = image.random_channel_shift(xt, 50, channel_axis=2)
result['after'] = np.random.random()
m = image.transform_matrix_offset_center(np.array([[1., .2, 1.], [0., 1., -2.], [0, 0, 1]]), 9, 7)
result['offset_center'] = m
result['apply'] = image.apply_transform(x, m, 0, 'nearest')
result['flip'] = image.flip_axis(x, 2)
'''

GENERATOR = '''
from keras.preprocessing.image import ImageDataGenerator
result = {}
for ordering in ('th', 'tf'):
    np.random.seed(3)
    X = np.random.uniform(0, 1, (10, 3, 8, 6)).astype('float32')
    if ordering == 'tf':
        X = X.transpose(0, 2, 3, 1)
    y = np.arange(10)
    gen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True, rotation_range=30,
                             width_shift_range=0.2, height_shift_range=0.1, shear_range=0.3, zoom_range=0.2,
                             channel_shift_range=0.1, horizontal_flip=True, vertical_flip=True,
                             dim_ordering=ordering)
    gen.fit(X, augment=True, rounds=2, seed=4)
    result[ordering + '_mean'], result[ordering + '_std'] = gen.mean, gen.std
    np.random.seed(5)
    result[ordering + '_transform_0'] = gen.random_transform(X[0])
    result[ordering + '_transform_1'] = gen.random_transform(X[1])
    result[ordering + '_standardize'] = gen.standardize(X[2].copy())
    flow = gen.flow(X, y, batch_size=4, seed=6)
    for i in range(5):
        result['%s_flow_x%d' % (ordering, i)], result['%s_flow_y%d' % (ordering, i)] = next(flow)

# ZCA whitening with sample-wise normalisation and rescaling, no shuffling.
np.random.seed(6)
Z = np.random.uniform(0, 1, (60, 3, 3, 3))
zca = ImageDataGenerator(zca_whitening=True, featurewise_center=True, samplewise_center=True,
                         samplewise_std_normalization=True, rescale=0.5, dim_ordering='tf')
zca.fit(Z)
result['zca_components'], result['zca_mean'] = zca.principal_components, zca.mean
flow = zca.flow(Z[:7], batch_size=5, shuffle=False)
for i in range(3):
    result['zca_batch%d' % i] = flow.next()

# 8 samples in batches of 4, no seed: Keras 1 never reshuffles (no batch ends short).
np.random.seed(7)
plain = ImageDataGenerator(dim_ordering='th').flow(np.zeros((8, 1, 2, 2)), np.arange(8), batch_size=4)
result['no_reshuffle'] = [next(plain)[1] for i in range(6)]
np.random.seed(8)
plain = ImageDataGenerator(dim_ordering='th').flow(np.zeros((7, 1, 2, 2)), np.arange(7), batch_size=3)
result['reshuffle'] = [next(plain)[1] for i in range(7)]
'''

DIRECTORY = '''
from keras.preprocessing.image import ImageDataGenerator
result = {}
gen = ImageDataGenerator(rotation_range=20, horizontal_flip=True, rescale=1 / 255., dim_ordering='th')
flow = gen.flow_from_directory(IMAGES, target_size=(6, 5), batch_size=3, seed=2)
result['filenames'], result['classes'], result['class_indices'] = flow.filenames, flow.classes, flow.class_indices
result['nb_sample'], result['nb_class'] = flow.nb_sample, flow.nb_class
for i in range(4):
    result['rgb_x%d' % i], result['rgb_y%d' % i] = next(flow)
gray = ImageDataGenerator(width_shift_range=0.3, dim_ordering='tf').flow_from_directory(
    IMAGES, target_size=(6, 5), color_mode='grayscale', classes=['dogs'], class_mode='sparse', batch_size=1,
    shuffle=False)
for i in range(3):
    result['gray_x%d' % i], result['gray_y%d' % i] = next(gray)
two = ImageDataGenerator(dim_ordering='tf').flow_from_directory(
    IMAGES, target_size=(6, 5), classes=['dogs', 'cats'], class_mode='binary', batch_size=10, seed=1)
result['binary_files'], (result['binary_x'], result['binary_y']) = two.filenames, next(two)
result['no_labels'] = ImageDataGenerator(dim_ordering='tf').flow_from_directory(
    IMAGES, target_size=(6, 5), class_mode=None, batch_size=2, shuffle=False).next()
'''

SNIPPETS = {"text": TEXT, "one_hot": ONE_HOT, "pad_sequences": PAD_SEQUENCES, "skipgrams": SKIPGRAMS,
            "image_functions": IMAGE_FUNCTIONS, "generator": GENERATOR, "directory": DIRECTORY}

# The image folder: one image file per directory at most (os.walk lists a directory's files in
# the file system's order, which Keras 1 kept), a text file and an empty class to skip.
LAYOUT = ("birds/", "cats/a.bmp", "cats/x/b.png", "cats/y/c.BMP", "dogs/d.png", "dogs/notes.txt",
          "dogs/z/e.bmp")


def image_arrays() -> dict:
    """relative path -> (6, 5, 3) uint8 RGB image; grey (R = G = B) in dogs/ (read as
    grayscale too), where Pillow's 'L' conversion gives them back exactly."""
    rng = np.random.RandomState(0)
    arrays = {}
    for path in LAYOUT:
        if path.endswith((".bmp", ".BMP", ".png")):
            image = rng.randint(0, 256, (6, 5, 3)).astype("uint8")
            if path.startswith("dogs/"):
                image[:] = image[:, :, :1]
            arrays[path] = image
    return arrays


def record(result: dict) -> tuple[dict, dict]:
    """(arrays, json_values) of a snippet's result: numpy arrays apart, the rest as JSON."""
    arrays = {k: v for k, v in result.items() if isinstance(v, np.ndarray)}
    rest = {k: v for k, v in result.items() if k not in arrays}
    plain = json.loads(json.dumps(rest, sort_keys=True, default=_plain))
    return arrays, plain


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot record {type(value).__name__}")


def sources_sha256() -> str:
    """What the reference data was made from: make_reference.py and this file."""
    digest = hashlib.sha256()
    for name in ("make_reference.py", "snippets.py"):
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    return digest.hexdigest()
