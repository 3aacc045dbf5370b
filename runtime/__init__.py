"""k1port.runtime: what converted Keras 1 programs import, as ``import k1port.runtime as k1``.

The transpiler turns Keras 1 code into plain Keras 3 wherever Keras 3 can say the same
thing; this small runtime supplies the few Keras 1 behaviours Keras 3 dropped or changed.
It needs only Keras (any backend), never the transpiler.

Activations (:mod:`.activations`)
    ``hard_sigmoid(x)``: Keras 1's ``clip(0.2 x + 0.5, 0, 1)`` (Keras 3's differs).
    ``activation(value)``: a Keras 1 activation name or callable given at run time.
Initializers (:mod:`.initializers`)
    ``initializer(value)``: a Keras 1 ``init`` name or ``f(shape, name=None)`` at run time.
    ``PerGate(initializer, gates)``, ``Keras1Layout(initializer, layout)``: weights Keras 1
    drew per gate (LSTM, GRU, ConvLSTM2D) or in its own kernel layout (Convolution1D...).
Image ordering (:mod:`.config`)
    ``image_dim_ordering()``, ``set_image_dim_ordering(value)``: Keras 1's 'th'/'tf' setting.
    ``data_format(value)``: a Keras 1 ``dim_ordering`` given at run time.
Preprocessing (:mod:`.text`, :mod:`.sequence`, :mod:`.image`)
    ``text.Tokenizer`` (``nb_words``), ``text.one_hot``, ``text.text_to_word_sequence``,
    ``sequence.skipgrams``, ``sequence.make_sampling_table``, ``image.ImageDataGenerator``
    and its iterators, ``image.random_rotation`` & co.: Keras 1's ``keras.preprocessing``,
    which Keras 3 dropped (random numbers drawn in Keras 1's order).
Layers (:mod:`.layers`)
    ``Conv2D``, ``Conv2DTranspose``, ``ConvLSTM2D``: the Keras 3 layers, also running
    ``channels_first`` on TensorFlow's CPU kernels (which refuse NCHW convolutions).
Layer nodes (:mod:`.topology`)
    ``get_input_at``, ``get_output_at``, ``get_input_shape_at``, ``get_output_shape_at``,
    ``get_input_mask_at``, ``get_output_mask_at`` (``(layer, node_index)``) and
    ``input_shape(layer)``, ``output_shape(layer)``: Keras 1's layer-node API.

Metrics (:mod:`.metrics`)
    ``precision``, ``recall``, ``fbeta_score``, ``fmeasure``, ``matthews_correlation``: Keras 1's
    batch-wise metrics (removed in Keras 2).
Optimizers (:mod:`.optimizers`) and losses (:mod:`.losses`)
    ``RMSprop``, ``Adagrad``, ``Nadam``: Keras 1's update rules (Keras 3 moved epsilon inside
    the square root and changed Nadam's schedule). ``hinge``, ``squared_hinge``,
    ``cosine_proximity``: Keras 1's definitions (Keras 3 relabels 0/1 targets, sums cosines);
    ``categorical_crossentropy``, ``sparse_categorical_crossentropy``, ``binary_crossentropy``:
    Keras 1's clipping (Keras 3 on TensorFlow reads a softmax's logits and does not clip).
    ``Adam``, ``Adamax``, ``Adadelta``: Keras 1's defaults and dense gradients.
Backend (:mod:`.backend`)
    ``sqrt``, ``l2_normalize``, ``batch_flatten``, ``flatten``, ``repeat``, ``set_value``,
    ``backend.categorical_crossentropy`` & co. in Keras 1's ``(output, target)`` order, ``zeros``,
    ``ones``, ``eye``, ``random_*_variable`` making variables: the Keras 1 ``K.*`` functions
    keras.ops has no single spelling for (or computes otherwise).
Custom layers (:mod:`.layer_protocol`, :mod:`.regularizers`, :mod:`.constraints`)
    ``set_trainable_weights``, ``set_non_trainable_weights``, ``set_constraints``,
    ``add_updates``, ``with_updates``, ``in_train_phase``, ``in_test_phase``, ``regularizers.get`` (with
    ``set_param``/``set_layer``), ``constraints.get``, ``initializations.get`` (whose
    ``init(shape, name=...)`` makes a variable): the Keras 1 layer protocol.
Training (:mod:`.training`)
    ``fit_generator``, ``evaluate_generator``, ``predict_generator`` (epochs counted in samples,
    as Keras 1 did), ``predict_classes``, ``predict_proba``, ``to_yaml``, ``reset_states``: methods Keras 3 removed;
    ``compile`` (losses that read the model's intermediate tensors),
    ``fit`` (calls with callbacks), ``metrics_names(model)``, ``save_model`` (any file name).
Callbacks (:mod:`.callbacks`)
    ``Callback`` (Keras 1's ``params`` keys and batch logs), ``EarlyStopping``,
    ``ReduceLROnPlateau``, ``ModelCheckpoint``, ``BaseLogger``: Keras 1.2.2's counting and files.
Recurrent layers (:mod:`.recurrent`)
    ``Recurrent``: Keras 1's base class of ``step()``-written recurrent layers.
Symbolic functions (:mod:`.symbolic`)
    ``placeholder``, ``gradients``, ``function``, ``learning_phase``, ``set_learning_phase``,
    ``update``, ``update_add``, ``update_sub``: Keras 1's ``K.function`` / ``K.gradients`` on
    Keras 3's symbolic tensors (TensorFlow and torch backends).
Activity penalties (:mod:`.regularizers`)
    ``batch_sum(regularizer)``, ``ActivityRegularization``: Keras 1 summed activity penalties
    over the batch (Keras 3 divides them by the batch size).
Utilities and data sets (:mod:`.utils`, :mod:`.datasets`)
    ``utils.to_categorical``, ``utils.slice_X``, ``utils.Progbar``, ``utils.get_file``, ...:
    Keras 1's ``keras.utils`` helpers; ``datasets.imdb.load_data`` & co.: Keras 1's arrays.
Saved models (:mod:`.saved_models`)
    ``load_model``, ``model_from_json``, ``model_from_yaml``, ``model_from_config``: Keras 1
    files and configs become Keras 3 models (translated by k1port's own rule tables); Keras 3
    ones go to Keras 3.

Applications (:mod:`.applications`) and scikit-learn (:mod:`.scikit_learn`)
    ``applications.VGG16``, ``VGG19``, ``ResNet50``, ``InceptionV3``: Keras 3's networks laid out
    channels-first for ``'th'`` programs. ``KerasClassifier``, ``KerasRegressor``: Keras 1's
    scikit-learn wrappers (``nb_epoch`` in ``sk_params``, Keras 1's defaults and scores).

``hard_sigmoid`` and the layers are registered Keras serializables (``k1port>...``), so
models using them save and load as ``.keras`` files once this package is imported.
"""
from k1port.runtime.activations import activation, hard_sigmoid
from k1port.runtime.backend import (
    batch_flatten,
    eye,
    flatten,
    l2_normalize,
    ones,
    random_normal_variable,
    random_uniform_variable,
    repeat,
    set_value,
    sqrt,
    zeros,
)
from k1port.runtime.config import data_format, image_dim_ordering, set_image_dim_ordering
from k1port.runtime.embeddings import Embedding
from k1port.runtime import constraints, regularizers
from k1port.runtime import image, sequence, text
from k1port.runtime.layer_protocol import (
    add_updates,
    in_test_phase,
    in_train_phase,
    set_constraints,
    set_non_trainable_weights,
    set_trainable_weights,
    with_updates,
)
from k1port.runtime.recurrent import GRU, LSTM, Recurrent, SimpleRNN
from k1port.runtime.callbacks import (
    BaseLogger,
    Callback,
    EarlyStopping,
    LearningRateScheduler,
    ModelCheckpoint,
    ReduceLROnPlateau,
    metrics_names,
    save_model,
)
from k1port.runtime.training import (
    compile,
    evaluate_generator,
    fit,
    fit_generator,
    predict_classes,
    predict_generator,
    predict_proba,
    reset_states,
    to_yaml,
)
from k1port.runtime.sequential_merge import MergeModels, Sequential
from k1port.runtime.symbolic import (
    function,
    gradients,
    learning_phase,
    placeholder,
    set_learning_phase,
    update,
    update_add,
    update_sub,
)
from k1port.runtime import initializations
from k1port.runtime.initializers import Keras1Layout, PerGate, initializer
from k1port.runtime.layers import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    ConvLSTM2D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from k1port.runtime.legacy_layers import (
    BatchNormalization,
    Highway,
    LocallyConnected1D,
    LocallyConnected2D,
    MaxoutDense,
    ParametricSoftplus,
    SReLU,
)
from k1port.runtime.losses import (
    binary_crossentropy,
    categorical_crossentropy,
    cosine_proximity,
    hinge,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from k1port.runtime.merge import Merge, merge
from k1port.runtime import datasets, utils
from k1port.runtime.metrics import fbeta_score, fmeasure, matthews_correlation, precision, recall
from k1port.runtime.optimizers import Adadelta, Adagrad, Adam, Adamax, Nadam, RMSprop
from k1port.runtime.regularizers import ActivityRegularization, BatchSum, batch_sum
from k1port.runtime.saved_models import load_model, model_from_config, model_from_json, model_from_yaml
from k1port.runtime import applications
from k1port.runtime.topology import (
    get_input_at,
    get_input_mask_at,
    get_input_shape_at,
    get_output_at,
    get_output_mask_at,
    get_output_shape_at,
    input_shape,
    output_shape,
)
from k1port.runtime.weights import (
    Keras1WeightsReport,
    get_keras1_weights,
    initial_weights,
    load_keras1_weights,
    load_weights,
    save_weights,
    set_keras1_weights,
)

__all__ = [
    "hard_sigmoid", "activation",
    "initializer", "PerGate", "Keras1Layout",
    "image_dim_ordering", "set_image_dim_ordering", "data_format",
    "Conv2D", "Conv2DTranspose", "ConvLSTM2D",
    "Conv1D", "Conv3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "get_input_at", "get_output_at", "get_input_shape_at", "get_output_shape_at",
    "get_input_mask_at", "get_output_mask_at", "input_shape", "output_shape",
    "load_model", "model_from_config", "model_from_json", "model_from_yaml",
    "applications", "KerasClassifier", "KerasRegressor",
    "RMSprop", "Adagrad", "Nadam", "Adam", "Adamax", "Adadelta", "hinge", "squared_hinge", "cosine_proximity",
    "batch_sum", "BatchSum", "ActivityRegularization",
    "sqrt", "l2_normalize", "batch_flatten", "flatten", "repeat", "set_value",
    "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
    "zeros", "ones", "eye", "random_uniform_variable", "random_normal_variable",
    "load_keras1_weights", "load_weights", "save_weights", "Keras1WeightsReport",
    "initial_weights", "set_keras1_weights", "get_keras1_weights",
    "Merge", "merge", "MergeModels", "Sequential", "Recurrent", "LSTM", "GRU", "SimpleRNN",
    "fit_generator", "evaluate_generator", "predict_generator", "predict_classes", "predict_proba",
    "reset_states", "compile",
    "fit", "to_yaml", "save_model", "metrics_names",
    "Callback", "BaseLogger", "EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint", "LearningRateScheduler",
    "set_trainable_weights", "set_non_trainable_weights", "set_constraints", "add_updates", "with_updates",
    "in_train_phase", "in_test_phase", "regularizers", "constraints", "initializations",
    "placeholder", "gradients", "function", "learning_phase", "set_learning_phase",
    "update", "update_add", "update_sub",
    "image", "sequence", "text",
    "MaxoutDense", "Highway", "BatchNormalization", "SReLU", "ParametricSoftplus",
    "LocallyConnected1D", "LocallyConnected2D",
    "datasets", "utils",
]


def __getattr__(name):
    """KerasClassifier and KerasRegressor import scikit-learn: only when asked for."""
    if name in ("KerasClassifier", "KerasRegressor"):
        from k1port.runtime import scikit_learn

        return getattr(scikit_learn, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
