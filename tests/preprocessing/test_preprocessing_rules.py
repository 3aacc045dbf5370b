"""Before/after pairs for keras.preprocessing (text, sequence, image): rules/preprocessing.py.

Keras 3 kept pad_sequences (same results) and the image file helpers; the rest becomes the
runtime's Keras 1 versions under Keras 1's module names (k1.text, k1.sequence, k1.image) and
signatures. Where Keras 1 read keras.json (dim_ordering='default'), the file's decided ordering
is stated, as for layers.
"""
import pytest

from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level

RT = "import k1port.runtime as k1\n"

CASES = [
    # Tokenizer keeps Keras 1's signature (nb_words, positional order): the runtime class has it.
    ("tokenizer", "from keras.preprocessing.text import Tokenizer\n"
                  "tok = Tokenizer(nb_words=1000)\ntok.fit_on_texts(texts)\n"
                  "m = tok.texts_to_matrix(texts, mode='tfidf')\n",
     RT + "tok = k1.text.Tokenizer(nb_words=1000)\ntok.fit_on_texts(texts)\n"
          "m = tok.texts_to_matrix(texts, mode='tfidf')\n"),
    ("tokenizer_positional", "from keras.preprocessing.text import Tokenizer\n"
                             "tok = Tokenizer(500, '!', False, ' ', True)\n",
     RT + "tok = k1.text.Tokenizer(500, '!', False, ' ', True)\n"),
    ("tokenizer_as_value", "from keras.preprocessing.text import Tokenizer\nT = Tokenizer\nt = T(10)\n",
     RT + "T = k1.text.Tokenizer\nt = T(10)\n"),
    ("text_module", "from keras.preprocessing import text\n"
                    "w = text.text_to_word_sequence(s, lower=False)\nh = text.one_hot(s, 50)\n",
     RT + "w = k1.text.text_to_word_sequence(s, lower=False)\nh = k1.text.one_hot(s, 50)\n"),
    # Keras 3's pad_sequences: same signature, defaults and results; nothing to state.
    ("pad_sequences_module", "from keras.preprocessing import sequence\n"
                             "X = sequence.pad_sequences(X, maxlen=80)\n",
     "from keras.preprocessing import sequence\nX = sequence.pad_sequences(X, maxlen=80)\n"),
    ("pad_sequences_positional", "from keras.preprocessing.sequence import pad_sequences\n"
                                 "X = pad_sequences(X, 10, 'float32', 'post', 'post', -1.)\n",
     "from keras.preprocessing.sequence import pad_sequences\n"
     "X = pad_sequences(X, 10, 'float32', 'post', 'post', -1.)\n"),
    ("skipgrams", "from keras.preprocessing.sequence import skipgrams, make_sampling_table\n"
                  "table = make_sampling_table(1000)\n"
                  "couples, labels = skipgrams(seq, 1000, window_size=2, sampling_table=table)\n",
     RT + "table = k1.sequence.make_sampling_table(1000)\n"
          "couples, labels = k1.sequence.skipgrams(seq, 1000, window_size=2, sampling_table=table)\n"),
    ("skipgrams_and_pad_sequences", "from keras.preprocessing import sequence\n"
                                    "c, l = sequence.skipgrams(s, 10)\nX = sequence.pad_sequences(X)\n",
     "from keras.preprocessing import sequence\n" + RT +
     "c, l = k1.sequence.skipgrams(s, 10)\nX = sequence.pad_sequences(X)\n"),
    # cifar10_cnn.py: the generator states the file's ordering ('tf': Keras 1.2.2's keras.json).
    ("image_data_generator", "from keras.preprocessing.image import ImageDataGenerator\n"
                             "datagen = ImageDataGenerator(rotation_range=0, horizontal_flip=True)\n"
                             "datagen.fit(X_train)\n"
                             "it = datagen.flow(X_train, Y_train, batch_size=32)\n",
     RT + "datagen = k1.image.ImageDataGenerator(rotation_range=0, horizontal_flip=True, dim_ordering='tf')\n"
          "datagen.fit(X_train)\n"
          "it = datagen.flow(X_train, Y_train, batch_size=32)\n"),
    ("image_data_generator_th_file", "from keras import backend as K\n"
                                     "from keras.preprocessing.image import ImageDataGenerator\n"
                                     "K.set_image_dim_ordering('th')\n"
                                     "g = ImageDataGenerator(zoom_range=0.2, dim_ordering='default')\n",
     RT + "k1.set_image_dim_ordering('th')\n"
          "g = k1.image.ImageDataGenerator(zoom_range=0.2, dim_ordering='th')\n"),
    ("image_data_generator_explicit", "from keras.preprocessing.image import ImageDataGenerator\n"
                                      "g = ImageDataGenerator(featurewise_center=True, dim_ordering='th')\n"
                                      "h = ImageDataGenerator(dim_ordering=ordering)\n",
     RT + "g = k1.image.ImageDataGenerator(featurewise_center=True, dim_ordering='th')\n"
          "h = k1.image.ImageDataGenerator(dim_ordering=ordering)\n"),
    ("image_data_generator_subclass", "from keras.preprocessing.image import ImageDataGenerator\n"
                                      "class Gen(ImageDataGenerator):\n    pass\n",
     RT + "class Gen(k1.image.ImageDataGenerator):\n    pass\n"),
    ("iterators", "from keras.preprocessing import image\n"
                  "a = image.NumpyArrayIterator(x, y, g, 8)\n"
                  "b = image.DirectoryIterator('d', g, (64, 64), 'grayscale', 'default')\n"
                  "c = image.Iterator(10, 2, True, 1)\n",
     RT + "a = k1.image.NumpyArrayIterator(x, y, g, 8, dim_ordering='tf')\n"
          "b = k1.image.DirectoryIterator('d', g, (64, 64), 'grayscale', 'tf')\n"
          "c = k1.image.Iterator(10, 2, True, 1)\n"),
    # image_ocr.py
    ("random_rotation", "from keras.preprocessing import image\n"
                        "a = image.random_rotation(a, 3 * (w - x) / w + 1)\n",
     RT + "a = k1.image.random_rotation(a, 3 * (w - x) / w + 1)\n"),
    ("image_functions", "from keras.preprocessing.image import random_shift, random_shear, random_zoom, "
                        "random_channel_shift, apply_transform, transform_matrix_offset_center, flip_axis, "
                        "list_pictures\n"
                        "a = random_shift(a, 0.1, 0.2, fill_mode='constant')\nb = random_shear(a, 0.5)\n"
                        "c = random_zoom(a, (0.5, 1.5))\nd = random_channel_shift(a, 10)\n"
                        "m = transform_matrix_offset_center(m, 10, 10)\ne = apply_transform(a, m)\n"
                        "f = flip_axis(a, 2)\np = list_pictures('dir', ext='png')\n",
     RT + "a = k1.image.random_shift(a, 0.1, 0.2, fill_mode='constant')\nb = k1.image.random_shear(a, 0.5)\n"
          "c = k1.image.random_zoom(a, (0.5, 1.5))\nd = k1.image.random_channel_shift(a, 10)\n"
          "m = k1.image.transform_matrix_offset_center(m, 10, 10)\ne = k1.image.apply_transform(a, m)\n"
          "f = k1.image.flip_axis(a, 2)\np = k1.image.list_pictures('dir', ext='png')\n"),
    # Kept Keras 3 helpers next to runtime ones: the import keeps only what Keras 3 has.
    ("image_mixed", "from keras.preprocessing.image import ImageDataGenerator, img_to_array, load_img\n"
                    "g = ImageDataGenerator(dim_ordering='tf')\n"
                    "x = img_to_array(load_img(p, target_size=(8, 8)), dim_ordering='tf')\n",
     "from keras.utils import img_to_array, load_img\n" + RT +
     "g = k1.image.ImageDataGenerator(dim_ordering='tf')\n"
     "x = img_to_array(load_img(p, target_size=(8, 8)), data_format='channels_last')\n"),
]


@pytest.mark.parametrize("name,before,after", CASES, ids=[c[0] for c in CASES])
def test_before_after(name, before, after):
    assert_converts(before, after)


def test_no_errors_or_warnings():
    for name, before, _ in CASES:
        result = convert(before)
        assert not levels(result, Level.ERROR) and not levels(result, Level.WARNING), (name, result.findings)


def test_default_ordering_is_reported():
    """The stated ordering is an assumption about keras.json: the report says which and why."""
    result = convert("from keras.preprocessing.image import ImageDataGenerator\ng = ImageDataGenerator()\n")
    assert "dim_ordering='tf'" in result.code
    assert any(f.kind == "dim-ordering" for f in levels(result, Level.INFO)), result.findings


def test_ordering_option_decides():
    result = convert("from keras.preprocessing.image import ImageDataGenerator\ng = ImageDataGenerator()\n",
                     image_dim_ordering="th")
    assert "k1.image.ImageDataGenerator(dim_ordering='th')" in result.code, result.code
