"""Keras 1 snippets whose `result` the oracle records (make_reference.py) and the converted
snippet must reproduce (check_utils.py). Each runs with `np` imported, numpy's global seed
at 0 and the image dim ordering 'tf'; the datasets read the fake files of fake_data.py."""
from __future__ import annotations

NP = "from keras.utils import np_utils\n"
IMDB = "from keras.datasets import imdb\n"
REUTERS = "from keras.datasets import reuters\n"

CASES = {
    # np_utils
    "to_categorical": NP + "result = np_utils.to_categorical([0, 2, 1, 3])",
    "to_categorical_column": NP + "result = np_utils.to_categorical(np.array([[1], [0], [2]]), 4)",
    "to_categorical_2d": NP + "result = np_utils.to_categorical([[0, 1], [2, 3]])",
    "to_categorical_floats": NP + "result = np_utils.to_categorical(np.array([1.7, 0.2]), nb_classes=3)",
    "probas_to_classes": NP + "result = np_utils.probas_to_classes(np.array([[.1, .9], [.8, .2]]))",
    "probas_to_classes_column": NP + "result = np_utils.probas_to_classes(np.array([[.3], [.7]]))",
    "probas_to_classes_1d": NP + "result = np_utils.probas_to_classes(np.array([.2, .6, .5]))",
    "categorical_probas_to_classes": NP + "result = np_utils.categorical_probas_to_classes(np.array([[.1, .5, .4]]))",
    "normalize_axis0": NP + "result = np_utils.normalize(np.array([[1., 2., 0.], [3., 4., 0.]]), 0)",
    "normalize_last": NP + "result = np_utils.normalize(np.array([[1., 2., 2.], [0., 0., 0.]]), order=1)",
    # (convert_kernel is checked in check_utils.py: Keras 1.2.2 indexed the kernel with a list of
    # slices, which the oracle's numpy 1.23 refuses and older numpy read as a tuple.)
    "np_accuracy": NP + "result = np_utils.accuracy([1, 2, 3], [1, 0, 3])",
    "binary_logloss": NP + "result = np_utils.binary_logloss(np.array([.9, .2, 1.]), np.array([1, 0, 1]))",
    "multiclass_logloss": NP + "result = np_utils.multiclass_logloss(np.array([[.7, .3], [.4, .6]]), np.array([1, 2]))",
    "conv_lengths": NP + "result = [np_utils.conv_output_length(9, 3, m, 2, 2) for m in ('same', 'valid', 'full')]"
                         " + [np_utils.conv_input_length(4, 3, m, 2) for m in ('same', 'valid', 'full')]",
    # keras.engine.training.slice_X (addition_rnn.py)
    "slice_X": "from keras.engine.training import slice_X\nX = np.arange(10)\n"
               "result = [slice_X(X, 2, 5), slice_X([X, X * 2], 3), slice_X(X, np.array([4, 1])), slice_X([X], [0, 2])]",
    # generic_utils.Progbar: values weighted by the steps since the last update (0 for a repeat)
    "progbar": "from keras.utils.generic_utils import Progbar\np = Progbar(10, verbose=0)\n"
               "p.update(2, [('loss', 1.0)])\np.update(2, [('loss', 5.0)])\np.add(3, [('loss', 2.0), ('acc', .5)])\n"
               "p.update(9, values=[('acc', 1.0)], force=True)\n"
               "result = [p.sum_values, p.unique_values, p.seen_so_far, p.width]",
    "get_from_module": "from keras.utils.generic_utils import get_from_module\n"
                       "result = [get_from_module('f', {'f': len}, 'thing'), get_from_module(3, {}, 'thing'),"
                       " get_from_module({'name': 'd', 'a': 2}, {'d': dict}, 'thing')]",
    # keras.datasets on fake_data.py's files
    "imdb": IMDB + "result = imdb.load_data()",
    "imdb_vocabulary": IMDB + "result = imdb.load_data(nb_words=20, skip_top=3, seed=7)",
    "imdb_maxlen": IMDB + "result = imdb.load_data(maxlen=8)",
    "imdb_no_oov": IMDB + "result = imdb.load_data(nb_words=20, skip_top=2, oov_char=None)",
    "imdb_no_start": IMDB + "result = imdb.load_data(start_char=None, index_from=0)",
    "imdb_equal_lengths": IMDB + "result = imdb.load_data(maxlen=3)",
    "imdb_reseeds_numpy": IMDB + "imdb.load_data()\nresult = np.random.randint(0, 1000, 5)",
    "imdb_word_index": IMDB + "result = imdb.get_word_index()",
    "reuters": REUTERS + "result = reuters.load_data()",
    "reuters_options": REUTERS + "result = reuters.load_data(nb_words=15, maxlen=10, test_split=0.3, seed=3)",
    "reuters_no_oov": REUTERS + "result = reuters.load_data(nb_words=15, skip_top=4, oov_char=None)",
    "cifar10_tf": "from keras.datasets import cifar10\nresult = cifar10.load_data()",
    "cifar10_th": "from keras import backend as K\nK.set_image_dim_ordering('th')\n"
                  "from keras.datasets import cifar10\nresult = cifar10.load_data()",
    "cifar100_fine_th": "from keras import backend as K\nK.set_image_dim_ordering('th')\n"
                        "from keras.datasets import cifar100\nresult = cifar100.load_data()",
    "cifar100_coarse": "from keras.datasets import cifar100\nresult = cifar100.load_data(label_mode='coarse')",
}


def describe(value):
    """A JSON-able description of a result: types, dtypes, shapes and values (large arrays
    by their sha256)."""
    import hashlib

    import numpy as np

    if isinstance(value, np.ndarray):
        out = {"type": "ndarray", "dtype": str(value.dtype), "shape": list(value.shape)}
        if value.dtype == object:
            out["values"] = [describe(v) for v in value]
        elif value.size > 1000:
            out["sha256"] = hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()
        else:
            out["values"] = np.round(value.astype(float), 10).tolist()
        return out
    if isinstance(value, list) and value and all(type(v) is int for v in value):
        return {"type": "list of int", "values": value}
    if isinstance(value, (list, tuple)):
        return {"type": type(value).__name__, "items": [describe(v) for v in value]}
    if isinstance(value, dict):
        return {"type": "dict", "items": {str(k): describe(v) for k, v in sorted(value.items(), key=str)}}
    if isinstance(value, np.generic):
        return {"type": "numpy", "value": round(float(value), 10)}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return {"type": type(value).__name__, "value": round(float(value), 10)}
    if callable(value):
        return {"type": "callable", "name": getattr(value, "__name__", "")}
    return {"type": type(value).__name__}
