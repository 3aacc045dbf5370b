"""Before/after conversions of keras.utils, keras.datasets, slice_X and Keras 1 modules
referenced as modules (what the converted code computes: check_utils.py)."""
from convert_helpers import assert_converts


def test_np_utils_module():
    """np_utils referenced as a module: Keras 1's to_categorical flattened y, the rest is NumPy the runtime keeps."""
    assert_converts(
        """
        from keras.utils import np_utils
        Y = np_utils.to_categorical(y, 10)
        Z = np_utils.to_categorical(y, nb_classes=10)
        c = np_utils.probas_to_classes(p)
        d = np_utils.categorical_probas_to_classes(p)
        """,
        """
        import k1port.runtime as k1
        Y = k1.utils.to_categorical(y, 10)
        Z = k1.utils.to_categorical(y, nb_classes=10)
        c = k1.utils.probas_to_classes(p)
        d = k1.utils.categorical_probas_to_classes(p)
        """)


def test_np_utils_names():
    """Names imported from np_utils; an unused one (probas_to_classes) leaves no broken import."""
    assert_converts(
        """
        from keras.utils.np_utils import to_categorical, normalize, probas_to_classes
        Y = to_categorical(y)
        n = normalize(a, 0)
        """,
        """
        import k1port.runtime as k1
        Y = k1.utils.to_categorical(y)
        n = k1.utils.normalize(a, 0)
        """)


def test_slice_X():
    """keras.engine.training.slice_X (addition_rnn.py)."""
    assert_converts(
        """
        from keras.engine.training import slice_X
        (X_train, X_val) = (slice_X(X, 0, split_at), slice_X(X, split_at))
        """,
        """
        import k1port.runtime as k1
        (X_train, X_val) = (k1.utils.slice_X(X, 0, split_at), k1.utils.slice_X(X, split_at))
        """)


def test_progbar():
    """Progbar keeps Keras 1's width and update(current, values, force) (mnist_acgan.py)."""
    assert_converts(
        """
        from keras.utils.generic_utils import Progbar
        progress_bar = Progbar(target=nb_batches)
        progress_bar.update(index, force=True)
        """,
        """
        import k1port.runtime as k1
        progress_bar = k1.utils.Progbar(target=nb_batches)
        progress_bar.update(index, force=True)
        """)


def test_get_file():
    """get_file with untar: Keras 1's cache layout (image_ocr.py)."""
    assert_converts(
        """
        from keras.utils.data_utils import get_file
        path = get_file('wordlists.tgz', origin='http://x/wordlists.tgz', untar=True)
        """,
        """
        import k1port.runtime as k1
        path = k1.utils.get_file('wordlists.tgz', origin='http://x/wordlists.tgz', untar=True)
        """)


def test_plot():
    """visualize_util.plot -> plot_model, stating Keras 1's show_layer_names=True (Keras 3: False)."""
    assert_converts(
        """
        from keras.utils.visualize_util import plot, model_to_dot
        plot(model, to_file='model.png', show_shapes=True)
        dot = model_to_dot(model)
        """,
        """
        from keras.utils import plot_model, model_to_dot
        plot_model(model, to_file='model.png', show_shapes=True, show_layer_names=True)
        dot = model_to_dot(model)
        """)


def test_datasets():
    """mnist stays Keras 3's; imdb, reuters and cifar load Keras 1's arrays; cifar states the file's ordering."""
    assert_converts(
        """
        from keras.datasets import mnist, imdb, reuters, cifar10, cifar100
        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        (a, b), (c, d) = imdb.load_data(nb_words=5000, maxlen=100)
        (e, f), (g, h) = reuters.load_data(nb_words=1000, test_split=0.2)
        (i, j), (k, l) = cifar10.load_data()
        (m, n), (o, p) = cifar100.load_data(label_mode='coarse')
        """,
        """
        from keras.datasets import mnist
        import k1port.runtime as k1
        (X_train, y_train), (X_test, y_test) = mnist.load_data()
        (a, b), (c, d) = k1.datasets.imdb.load_data(nb_words=5000, maxlen=100)
        (e, f), (g, h) = k1.datasets.reuters.load_data(nb_words=1000, test_split=0.2)
        (i, j), (k, l) = k1.datasets.cifar10.load_data(dim_ordering='tf')
        (m, n), (o, p) = k1.datasets.cifar100.load_data(label_mode='coarse', dim_ordering='tf')
        """)


def test_cifar_th():
    """A file that sets 'th' gets channels-first CIFAR images, as Keras 1 gave."""
    assert_converts(
        """
        from keras import backend as K
        from keras.datasets import cifar10
        K.set_image_dim_ordering('th')
        (X_train, y_train), (X_test, y_test) = cifar10.load_data()
        """,
        """
        import k1port.runtime as k1
        k1.set_image_dim_ordering('th')
        (X_train, y_train), (X_test, y_test) = k1.datasets.cifar10.load_data(dim_ordering='th')
        """)


def test_metrics_module():
    """keras.metrics functions referenced through the module (batch-wise fmeasure from the runtime)."""
    assert_converts(
        """
        from keras import metrics
        from keras.models import Sequential
        model = Sequential()
        model.compile(loss='mse', optimizer='sgd', metrics=[metrics.categorical_accuracy, metrics.fmeasure])
        a = metrics.top_k_categorical_accuracy(y, p, k=3)
        """,
        """
        from keras import metrics
        from keras.models import Sequential
        import k1port.runtime as k1
        model = Sequential()
        model.compile(loss='mse', optimizer='sgd', metrics=[metrics.categorical_accuracy, k1.fmeasure])
        a = metrics.top_k_categorical_accuracy(y, p, k=3)
        """)


def test_modules_as_modules():
    """objectives, initializations, regularizers, activations and the backend referenced as modules."""
    assert_converts(
        """
        import keras
        from keras import objectives, initializations, regularizers, activations
        import keras.backend as K
        l = objectives.mse(a, b)
        w = initializations.normal((3, 4))
        r = keras.regularizers.l2(0.01)
        s = regularizers.l1(0.1)
        h = activations.relu(x, alpha=0.1)
        m = K.mean(x)
        """,
        """
        import keras
        from keras import losses as objectives, regularizers, activations
        import k1port.runtime as k1
        l = objectives.mean_squared_error(a, b)
        w = k1.initializations.normal((3, 4))
        r = keras.regularizers.l2(0.01)
        s = regularizers.l1(0.1)
        h = activations.relu(x, negative_slope=0.1)
        m = keras.ops.mean(x)
        """)


def test_layer_utils():
    """layer_utils and convert_kernel (the default ordering is the file's)."""
    assert_converts(
        """
        from keras.utils.layer_utils import print_summary, convert_all_kernels_in_model
        from keras.utils.np_utils import convert_kernel
        convert_all_kernels_in_model(model)
        print_summary(model.layers)
        k = convert_kernel(w)
        """,
        """
        import k1port.runtime as k1
        k1.utils.convert_all_kernels_in_model(model)
        k1.utils.print_summary(model.layers)
        k = k1.utils.convert_kernel(w, dim_ordering='tf')
        """)
