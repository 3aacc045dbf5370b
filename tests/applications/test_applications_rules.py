"""Before/after: keras.applications and keras.wrappers.scikit_learn."""
from __future__ import annotations

from convert_helpers import assert_converts, convert, levels
from k1port.findings import Level


def test_vgg16_channels_last_is_keras3s():
    assert_converts("""
        from keras.applications import vgg16
        from keras.layers import Input
        img = Input(shape=(224, 224, 3))
        model = vgg16.VGG16(weights='imagenet', include_top=False, input_tensor=img)
    """, """
        from keras.layers import Input
        from keras import applications
        img = Input(shape=(224, 224, 3))
        model = applications.VGG16(weights='imagenet', include_top=False, input_tensor=img)
    """)


def test_vgg19_channels_first_is_the_runtime_builder():
    assert_converts("""
        from keras.applications.vgg19 import VGG19
        from keras.layers import Input
        img = Input(shape=(3, 224, 224))
        model = VGG19(include_top=False, input_tensor=img)
    """, """
        from keras.layers import Input
        import k1port.runtime as k1
        img = Input(shape=(3, 224, 224))
        model = k1.applications.VGG19(include_top=False, input_tensor=img, dim_ordering='th')
    """)


def test_positional_classes_stay_classes():
    """Keras 1's fifth argument was classes; Keras 3's fifth is pooling."""
    assert_converts("""
        from keras.applications.vgg16 import VGG16
        from keras.layers import Input
        img = Input(shape=(224, 224, 3))
        model = VGG16(True, None, img, None, 10)
    """, """
        from keras.applications import VGG16
        from keras.layers import Input
        img = Input(shape=(224, 224, 3))
        model = VGG16(True, None, img, None, classes=10)
    """)


def test_resnet50_and_inception_warn_that_keras3s_network_differs():
    result = convert("""
        from keras.applications.resnet50 import ResNet50
        from keras.applications.inception_v3 import InceptionV3
        a = ResNet50(weights='imagenet')
        b = InceptionV3(include_top=False)
    """)
    warnings = levels(result, Level.WARNING)
    assert [w.kind for w in warnings] == ["application-differs"] * 2
    assert "k1port: warning: Keras 3's ResNet50" in result.code
    assert "a = ResNet50(weights='imagenet')" in result.code


def test_xception_is_channels_last_in_th_files():
    result = convert("""
        from keras import backend as K
        from keras.applications.xception import Xception
        K.set_image_dim_ordering('th')
        model = Xception(include_top=False)
    """)
    assert "model = Xception(include_top=False)" in result.code
    assert "from keras.applications import Xception" in result.code


def test_preprocess_input_states_the_ordering():
    assert_converts("""
        from keras import backend as K
        from keras.applications import vgg16
        from keras.applications.imagenet_utils import preprocess_input, decode_predictions
        K.set_image_dim_ordering('th')
        x = vgg16.preprocess_input(x)
        y = preprocess_input(x, dim_ordering='tf')
        z = preprocess_input(x, ordering)
        print(decode_predictions(p, top=3))
    """, """
        from keras.applications.imagenet_utils import preprocess_input, decode_predictions
        import k1port.runtime as k1
        k1.set_image_dim_ordering('th')
        x = preprocess_input(x, data_format='channels_first')
        y = preprocess_input(x, data_format='channels_last')
        z = preprocess_input(x, k1.data_format(ordering))
        print(decode_predictions(p, top=3))
    """)


def test_inception_preprocess_input():
    assert_converts("""
        from keras.applications.inception_v3 import preprocess_input
        import keras
        x = preprocess_input(x)
        model = keras.models.Sequential()
    """, """
        from keras.applications.inception_v3 import preprocess_input
        import keras
        x = preprocess_input(x)
        model = keras.models.Sequential()
    """)


def test_music_tagger_is_reported():
    result = convert("""
        from keras.applications.music_tagger_crnn import MusicTaggerCRNN
        model = MusicTaggerCRNN(weights=None)
    """)
    assert [f.kind for f in levels(result, Level.ERROR)] == ["not-converted"]


def test_sklearn_wrappers_keep_keras1_sk_params():
    """nb_epoch stays: parameter grids name it too, and the runtime reads Keras 1's names."""
    assert_converts("""
        from keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor
        clf = KerasClassifier(build_fn=make_model, nb_epoch=5, batch_size=32)
        reg = KerasRegressor(make_regressor, nb_epoch=2)
        grid = GridSearchCV(clf, param_grid={'nb_epoch': [3, 6]})
    """, """
        import k1port.runtime as k1
        clf = k1.KerasClassifier(build_fn=make_model, nb_epoch=5, batch_size=32)
        reg = k1.KerasRegressor(make_regressor, nb_epoch=2)
        grid = GridSearchCV(clf, param_grid={'nb_epoch': [3, 6]})
    """)
