"""Keras 1 code shared by make_reference.py (run as is by Keras 1.2.2 in the oracle) and
check_applications.py (converted by k1port, then run on Keras 3): one text, two runs.

Each snippet reads globals the runner provides (`x`, `y`, `weights`, ...) and leaves results
in `out` (a dict of arrays)."""

# imagenet_utils.preprocess_input in both orderings; Keras 1 changed the caller's array too.
PREPROCESS = '''
from keras.applications.imagenet_utils import preprocess_input
from keras.applications import vgg16, inception_v3, xception
a, b, c, d, e = x4.copy(), x4.copy(), x4.copy(), x4.copy(), x4.copy()
out["th"] = preprocess_input(a, dim_ordering='th')
out["th_arg"] = a
out["tf"] = vgg16.preprocess_input(b, 'tf')
out["tf_arg"] = b
out["inception"] = inception_v3.preprocess_input(c)
out["inception_arg"] = c
out["xception"] = xception.preprocess_input(d)
'''

# decode_predictions on a fake class index (the runner replaces the download).
DECODE = '''
from keras.applications.imagenet_utils import decode_predictions
for top, decoded in ((3, decode_predictions(preds, top=3)), (5, decode_predictions(preds))):
    out["names%d" % top] = [[t[0] + t[1] for t in row] for row in decoded]
    out["scores%d" % top] = [[t[2] for t in row] for row in decoded]
'''

# VGG16 without its top on small images, weights drawn by the runner in Keras 1's layout.
VGG_TH = '''
from keras import backend as K
from keras.applications.vgg16 import VGG16
K.set_image_dim_ordering('th')
model = VGG16(include_top=False, weights=None, input_shape=(3, 48, 48))
'''
VGG_TF = '''
from keras import backend as K
from keras.applications.vgg19 import VGG19
K.set_image_dim_ordering('tf')
model = VGG19(include_top=False, weights=None, input_shape=(56, 56, 3))
'''

# The scikit-learn wrappers: build functions with fixed initial weights, trained without
# shuffling so both runs see the same batches.
SKLEARN = '''
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD
from keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor

def make_classifier(hidden=5):
    model = Sequential()
    model.add(Dense(hidden, input_dim=4, activation='tanh'))
    model.add(Dense(3, activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer=SGD(lr=0.1), metrics=['accuracy'])
    model.set_weights(classifier_weights)
    return model

def make_regressor():
    model = Sequential()
    model.add(Dense(5, input_dim=4, activation='tanh'))
    model.add(Dense(1))
    model.compile(loss='mse', optimizer=SGD(lr=0.05))
    model.set_weights(regressor_weights)
    return model

clf = KerasClassifier(make_classifier, nb_epoch=3, batch_size=8, shuffle=False, verbose=0)
clf.fit(x, labels)
out["clf_predict"] = clf.predict(x)
out["clf_proba"] = clf.predict_proba(x)
out["clf_score"] = clf.score(x, labels)
default = KerasClassifier(build_fn=make_classifier, shuffle=False, verbose=0)
default.fit(x, labels)
out["clf_default_epochs"] = default.predict_proba(x)
reg = KerasRegressor(make_regressor, nb_epoch=2, batch_size=16, shuffle=False, verbose=0)
reg.fit(x, target)
out["reg_predict"] = reg.predict(x)
out["reg_score"] = reg.score(x, target)
'''


def seeded_weights(arrays_shapes, seed):
    """Deterministic weights for a layer's [W, b] shapes (numpy's legacy RandomState stream is
    the same in both venvs): W ~ U(±sqrt(6 / fan_in)) (He), b ~ U(±0.1)."""
    import numpy as np

    rng = np.random.RandomState(seed)
    (w_shape, b_shape) = arrays_shapes
    fan_in = int(np.prod(w_shape)) // int(np.prod(b_shape))
    limit = np.sqrt(6.0 / fan_in)
    return [rng.uniform(-limit, limit, w_shape).astype("float32"),
            rng.uniform(-0.1, 0.1, b_shape).astype("float32")]


def inputs():
    """The arrays every snippet reads (the same in both runs)."""
    import numpy as np

    rng = np.random.RandomState(1234)
    preds = rng.uniform(0, 1, (2, 1000)).astype("float32")
    return {
        "x4": rng.uniform(0, 255, (2, 3, 5, 5)).astype("float32"),
        "preds": preds / preds.sum(axis=1, keepdims=True),
        "vgg_th_x": rng.uniform(-1, 1, (2, 3, 48, 48)).astype("float32"),
        "vgg_tf_x": rng.uniform(-1, 1, (2, 56, 56, 3)).astype("float32"),
        "x": rng.uniform(-1, 1, (40, 4)).astype("float32"),
        "labels": rng.randint(0, 3, 40),
        "target": rng.uniform(-1, 1, (40,)).astype("float32"),
        "classifier_weights": [rng.uniform(-0.5, 0.5, s).astype("float32") for s in ((4, 5), (5,), (5, 3), (3,))],
        "regressor_weights": [rng.uniform(-0.5, 0.5, s).astype("float32") for s in ((4, 5), (5,), (5, 1), (1,))],
    }


def fake_class_index():
    """What imagenet_class_index.json maps: str(i) -> [wordnet id, name]."""
    return {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
