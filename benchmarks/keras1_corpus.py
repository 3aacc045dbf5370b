"""Realistic Keras 1 programs, generated: the corpus of `batch_speed.py` and the inputs of the
property tests (`tests/property`).

Layer constructors are drawn from the signatures of the real Keras 1.2.2 API
(`k1port.keras1.api.SIGNATURES`): required arguments positionally, sometimes the next optional
ones positionally too (Keras 1 code did that: `Dense(64, 'uniform', 'relu')`), then a few
keywords. Around them: imports in their several spellings, Sequential and functional models,
merges, compile/fit with Keras 1 keywords, callbacks, custom layers, `K.*` code, comments and
the plain Python every training script has: reading and shaping data, arguments, plots
(`DATA`). In the Keras 1.2.2 examples about half the lines are top-level statements that need no
change; in these programs about 40% (`size=3`).

Every choice goes through a chooser (`choice`, `integer`, `chance`, `identifier`), so one
generator serves both a seeded `random.Random` (`RandomChooser`: the benchmark's deterministic
trees) and hypothesis (a chooser that draws: shrinkable examples)."""
from __future__ import annotations

import random
from pathlib import Path

from k1port.keras1.api import EXPORTS, KINDS, SIGNATURES


class RandomChooser:
    """Choices from a seeded random.Random: the same seed, the same programs."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, options):
        return options[self.rng.randrange(len(options))]

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def identifier(self, pool):
        return self.choice(pool)


# ---------------------------------------------------------------------------------------------
# Layers, from the Keras 1.2.2 signatures

LAYERS = EXPORTS["keras.layers"]
# Constructed through their own templates, or abstract (never called as layers in user code).
SPECIAL = {"Merge", "Bidirectional", "TimeDistributed", "Wrapper", "Lambda", "Layer", "InputSpec",
           "Recurrent", "InputLayer", "ConvRecurrent2D"}
LAYER_NAMES = sorted(n for n, q in LAYERS.items() if KINDS.get(q) == "class" and n not in SPECIAL
                     and q in SIGNATURES)
SUBMODULES = [m for m in EXPORTS if m.startswith("keras.layers.")]

ACTIVATIONS = ["'relu'", "'tanh'", "'sigmoid'", "'softmax'", "'linear'", "'hard_sigmoid'", "'softplus'"]
INITS = ["'glorot_uniform'", "'he_normal'", "'uniform'", "'normal'", "'orthogonal'", "'zero'",
         "'lecun_uniform'", "'glorot_normal'", "'he_uniform'"]
REGULARIZERS = ["l2(0.01)", "l1(1e-4)", "l1l2(l1=0.01, l2=0.01)", "l2(5e-4)"]
CONSTRAINTS = ["maxnorm(2)", "nonneg()", "unitnorm()", "maxnorm(3)"]

# Values a Keras 1 program would write for a parameter, by name.
VALUES = {
    "output_dim": ["1", "10", "32", "64", "128", "256", "512", "nb_classes", "hidden_size"],
    "nb_filter": ["16", "32", "64", "128", "nb_filters"],
    "nb_row": ["1", "3", "5", "7", "nb_conv"], "nb_col": ["1", "3", "5", "7", "nb_conv"],
    "kernel_dim1": ["3"], "kernel_dim2": ["3"], "kernel_dim3": ["3", "1"],
    "filter_length": ["3", "5", "filter_length"], "pool_length": ["2", "4", "pool_length"],
    "p": ["0.1", "0.25", "0.5", "dropout_rate"],
    "init": INITS, "inner_init": ["'orthogonal'", "'glorot_uniform'", "'identity'"],
    "activation": ACTIVATIONS, "inner_activation": ["'hard_sigmoid'", "'sigmoid'"],
    "border_mode": ["'same'", "'valid'"], "dim_ordering": ["'th'", "'tf'", "'default'"],
    "W_regularizer": REGULARIZERS, "b_regularizer": REGULARIZERS, "U_regularizer": REGULARIZERS,
    "activity_regularizer": ["activity_l2(0.01)", "activity_l1(1e-5)"],
    "W_constraint": CONSTRAINTS, "b_constraint": CONSTRAINTS,
    "dropout_W": ["0.2", "0.5"], "dropout_U": ["0.2", "0.5"], "dropout": ["0.2", "0.1"],
    "return_sequences": ["True", "False"], "go_backwards": ["True"], "stateful": ["True"],
    "unroll": ["True"], "mask_zero": ["True"], "bias": ["False"], "consume_less": ["'cpu'", "'mem'", "'gpu'"],
    "input_dim": ["100", "784", "max_features", "vocab_size"],
    "input_length": ["20", "maxlen", "100"],
    "target_shape": ["(1, 28, 28)", "(-1,)", "(28, 28, 1)", "(maxlen, 1)"],
    "dims": ["(2, 1)", "(3, 1, 2)"], "n": ["3", "maxlen"], "alpha": ["0.3", "0.1"],
    "theta": ["1.0", "0.5"], "sigma": ["0.1", "0.01"], "axis": ["-1", "1"],
    "mode": ["0", "1", "2"], "epsilon": ["1e-3", "1e-5"], "momentum": ["0.9", "0.99"],
    "atrous_rate": ["(2, 2)", "2"], "depth_multiplier": ["1", "2"], "nb_feature": ["4", "2"],
    "mask_value": ["0.", "-1."], "weights": ["[embedding_matrix]", "None"], "trainable": ["False"],
    "l1": ["0.01"], "l2": ["0.01"], "subsample_length": ["1", "2"], "stride": ["2", "None"],
    "shared_axes": ["[1, 2]"],
}
TUPLE_PARAMS = {"subsample", "pool_size", "size", "padding", "cropping", "strides"}


def _tuple_like(default: str, ch) -> str:
    """A value with the shape of the default: (1, 1) -> (2, 2); 1 -> 3; ((0, 0), (0, 0)) kept."""
    if default in ("None", "") or default.startswith("(("):
        return default if default != "None" else "(2, 2)"
    if default.startswith("("):
        arity = default.count(",") + 1
        k = ch.choice(["1", "2", "3"])
        return "(" + ", ".join([k] * arity) + ")"
    return ch.choice(["1", "2", "3"])


def _value(param: str, default: str | None, ch) -> str:
    if param in VALUES:
        return ch.choice(VALUES[param])
    if param in TUPLE_PARAMS:
        return _tuple_like(default or "None", ch)
    if default is not None and default != "None":
        return default  # the Keras 1 default itself: always a valid Keras 1 value
    return ch.choice(["10", "2", "None"])


def layer_args(name: str, ch, first: bool = False, shape: str | None = None, swap: bool = False) -> str:
    """The argument list of a call to the Keras 1 layer `name`, drawn from its signature."""
    sig = SIGNATURES[LAYERS[name]]
    params = sig["params"]
    args = [_value(p, d, ch) for p, d in params if d is None]
    optional = [(p, d) for p, d in params if d is not None]
    if name == "BatchNormalization" and ch.chance(0.3):
        args.append("mode=" + ch.choice(["0", "1", "2"]))
        optional = [(p, d) for p, d in optional if p != "mode"]
    elif optional and args and ch.chance(0.15):  # Keras 1 positional optionals
        take = ch.integer(1, min(2, len(optional)))
        args += [_value(p, d, ch) for p, d in optional[:take]]
        optional = optional[take:]
    if swap and len(args) >= 2:
        args[0], args[1] = args[1], args[0]
    for _ in range(ch.integer(0, min(4, len(optional)))):
        p, d = ch.choice(optional)
        keyword = f"{p}="
        if not any(a.startswith(keyword) for a in args):
            args.append(keyword + _value(p, d, ch))
    if first:
        if shape is None:
            shape = ch.choice(["(784,)", "(3, 32, 32)", "(32, 32, 3)", "(1, 28, 28)", "(maxlen,)", "(None, 100)"])
        args.append(ch.choice([f"input_shape={shape}", f"batch_input_shape=(batch_size,) + {shape}"]))
    if ch.chance(0.1):
        args.append(f"name='{name.lower()}_{ch.integer(1, 9)}'")
    return ", ".join(args)


# ---------------------------------------------------------------------------------------------
# Spelling Keras names: one import style per file


class Spelling:
    """How this file spells Keras names, and the imports that spelling needs."""

    STYLES = ["names", "submodules", "star", "alias", "dotted"]

    def __init__(self, ch) -> None:
        self.style = ch.choice(self.STYLES)
        self.from_imports: dict[str, list[str]] = {}
        self.modules: list[str] = []

    def _from(self, module: str, name: str) -> str:
        names = self.from_imports.setdefault(module, [])
        if name not in names:
            names.append(name)
        return name

    def layer(self, name: str) -> str:
        if self.style == "dotted":
            self._module("import keras")
            return f"keras.layers.{name}"
        if self.style == "alias":
            self._module("import keras.layers as KL")
            return f"KL.{name}"
        if self.style == "star":
            self._module("from keras.layers import *")
            return name
        if self.style == "submodules":
            canonical = LAYERS[name]
            for module in SUBMODULES:
                if EXPORTS[module].get(name) == canonical:
                    return self._from(module, name)
        return self._from("keras.layers", name)

    def model(self, name: str) -> str:  # Sequential, Model, load_model, model_from_json
        if self.style == "dotted":
            self._module("import keras")
            return f"keras.models.{name}"
        return self._from("keras.models", name)

    def other(self, module: str, name: str) -> str:  # optimizers, regularizers, callbacks, utils
        if self.style == "dotted" and module.count(".") == 1:
            self._module("import keras")
            return f"{module}.{name}"
        return self._from(module, name)

    def backend(self) -> str:
        self._module(self.backend_import)
        return "K"

    backend_import = "from keras import backend as K"

    def _module(self, line: str) -> None:
        if line not in self.modules:
            self.modules.append(line)

    def imports(self, ch) -> list[str]:
        lines = list(self.modules)
        for module, names in self.from_imports.items():
            if len(names) > 3 and ch.chance(0.3):
                lines.append(f"from {module} import (" + ", ".join(names) + ")")
            else:
                lines.append(f"from {module} import " + ", ".join(names))
        return lines


def _fix_regularizer_imports(code: str, sp: Spelling) -> None:
    for fn in ("l2", "l1", "l1l2", "activity_l2", "activity_l1"):
        if f"{fn}(" in code:
            sp._from("keras.regularizers", fn)
    for fn in ("maxnorm", "nonneg", "unitnorm"):
        if f"{fn}(" in code:
            sp._from("keras.constraints", fn)


# ---------------------------------------------------------------------------------------------
# Program pieces (each returns lines; `ind` is the indentation)

COMMENTS = ["# Build the network", "# TODO: try a deeper model", "# train the model, output predictions",
            "# the data, shuffled and split between train and test sets",
            "# convert class vectors to binary class matrices", "# NOTE: Theano dim ordering here",
            "# let's train the model using SGD + momentum (how original).", "# this is the placeholder for the input"]
PLAIN = ["X_train = X_train.astype('float32') / 255", "X_test = X_test.astype('float32') / 255",
         "print('X_train shape:', X_train.shape)", "np.random.seed(1337)  # for reproducibility",
         "nb_classes = 10", "batch_size = 128", "maxlen = 80", "max_features = 20000",
         "results = []", "hidden_size = 128", "nb_filters = 32", "nb_conv = 3", "dropout_rate = 0.5",
         "history = {}", "score = 0.0", "vocab_size = len(word_index) + 1",
         "for i in range(3):\n    results.append(i * 2)", "if verbose:\n    print('building model...')"]


def sequential_model(sp: Spelling, ch, var: str, ind: str = "", swap: bool = False, layers: int = 12) -> list[str]:
    lines = [f"{ind}{var} = {sp.model('Sequential')}()"]
    for i in range(ch.integer(1, layers)):
        name = ch.choice(LAYER_NAMES)
        lines.append(f"{ind}{var}.add({sp.layer(name)}({layer_args(name, ch, first=i == 0, swap=swap)}))")
        if ch.chance(0.15):
            lines.append(ind + ch.choice(COMMENTS))
    if ch.chance(0.3):
        inner = ch.choice(["LSTM", "Dense", "GRU"])
        wrapper = ch.choice(["TimeDistributed", "Bidirectional"])
        lines.append(f"{ind}{var}.add({sp.layer(wrapper)}({sp.layer(inner)}({layer_args(inner, ch)})))")
    lines.append(f"{ind}{var}.add({sp.layer('Dense')}(nb_classes, activation='softmax'))")
    return lines


def functional_model(sp: Spelling, ch, var: str, ind: str = "", swap: bool = False, layers: int = 12) -> list[str]:
    inp = ch.identifier(["inputs", "img", "x_in", "main_input", "sequence"])
    shape = ch.choice(["(784,)", "(3, 32, 32)", "(32, 32, 3)", "(1, 28, 28)", "(maxlen,)", "(None, 100)"])
    lines = [f"{ind}{inp} = {sp.layer('Input')}(shape={shape}, name='{inp}')"]
    branches = []
    for b in range(ch.integer(1, 3)):
        prev = inp
        for i in range(ch.integer(1, max(1, layers // 2))):
            name = ch.choice(LAYER_NAMES)
            out = f"h{b}_{i}"
            lines.append(f"{ind}{out} = {sp.layer(name)}({layer_args(name, ch, swap=swap)})({prev})")
            prev = out
        branches.append(prev)
    if len(branches) > 1:
        mode = ch.choice(["'concat'", "'sum'", "'mul'", "'ave'", "'dot'", "'cos'", "'max'",
                          "lambda xs: xs[0] - xs[1]"])
        extra = ch.choice(["", ", concat_axis=1", ", concat_axis=-1", ", dot_axes=1", ", name='merged'"])
        if ch.chance(0.7):
            lines.append(f"{ind}merged = {sp.layer('merge')}([{', '.join(branches)}], mode={mode}{extra})")
        else:
            lines.append(f"{ind}merged = {sp.layer('Merge')}(mode={mode}{extra})([{', '.join(branches)}])")
        prev = "merged"
    if ch.chance(0.3):
        k = sp.backend()
        lines.append(f"{ind}{prev}_l = {sp.layer('Lambda')}(lambda t: {k}.{ch.choice(['sum', 'mean', 'max'])}"
                     f"(t, axis=1), output_shape=lambda s: (s[0], s[2]))({prev})")
        prev = f"{prev}_l"
    lines.append(f"{ind}out = {sp.layer('Dense')}(nb_classes, activation='softmax')({prev})")
    io = ch.choice([f"input={inp}, output=out", f"input=[{inp}], output=[out]", f"{inp}, out"])
    lines.append(f"{ind}{var} = {sp.model('Model')}({io})")
    return lines


def merge_models(sp: Spelling, ch, ind: str = "", layers: int = 12) -> list[str]:
    """Keras 1's Merge of Sequential models as a Sequential's first layer (babi_rnn style)."""
    lines = []
    for branch in ("left", "right"):
        lines += sequential_model(sp, ch, f"{branch}_branch", ind, layers=layers)
    mode = ch.choice(["'concat'", "'sum'", "'dot'"])
    lines += [f"{ind}model = {sp.model('Sequential')}()",
              f"{ind}model.add({sp.layer('Merge')}([left_branch, right_branch], mode={mode}))",
              f"{ind}model.add({sp.layer('Dense')}(1, activation='sigmoid'))"]
    return lines


OPTIMIZERS = {"SGD": "lr=0.01, decay=1e-6, momentum=0.9, nesterov=True", "RMSprop": "lr=0.001, rho=0.9, epsilon=1e-08",
              "Adam": "lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-08, decay=0.0", "Adagrad": "lr=0.01",
              "Adadelta": "", "Adamax": "lr=0.002", "Nadam": "lr=0.002, schedule_decay=0.004"}


def training(sp: Spelling, ch, var: str, ind: str = "") -> list[str]:
    lines = []
    if ch.chance(0.6):
        opt = ch.choice(sorted(OPTIMIZERS))
        optimizer = f"{sp.other('keras.optimizers', opt)}({OPTIMIZERS[opt]})"
        if ch.chance(0.3):
            optimizer = f"{sp.other('keras.optimizers', opt)}(lr=0.1, clipnorm=1.)"
    else:
        optimizer = ch.choice(["'rmsprop'", "'adam'", "'sgd'", "'adadelta'"])
    loss = ch.choice(["'categorical_crossentropy'", "'binary_crossentropy'", "'mse'", "'hinge'",
                      "'sparse_categorical_crossentropy'", "'cosine_proximity'", "contrastive_loss"])
    metrics = ch.choice(["", ", metrics=['accuracy']", ", metrics=['accuracy', 'fmeasure']",
                         ", metrics=['precision', 'recall']"])
    lines.append(f"{ind}{var}.compile(loss={loss}, optimizer={optimizer}{metrics})")
    callbacks = ""
    if ch.chance(0.3):
        cb = sp.other("keras.callbacks", "ModelCheckpoint")
        es = sp.other("keras.callbacks", "EarlyStopping")
        lines.append(f"{ind}callbacks = [{cb}(filepath='weights.hdf5', verbose=1, save_best_only=True), "
                     f"{es}(monitor='val_loss', patience=2)]")
        callbacks = ", callbacks=callbacks"
    fit = ch.choice([
        f"{var}.fit(X_train, Y_train, batch_size=batch_size, nb_epoch={ch.integer(1, 50)}, verbose=1, "
        f"validation_data=(X_test, Y_test){callbacks})",
        f"{var}.fit(X_train, Y_train, nb_epoch=nb_epoch, validation_split=0.1, shuffle=True)",
        f"{var}.fit(X_train, Y_train)",
        f"{var}.fit_generator(datagen.flow(X_train, Y_train, batch_size=batch_size), "
        f"samples_per_epoch=X_train.shape[0], nb_epoch=nb_epoch, validation_data=(X_test, Y_test), nb_val_samples=1000)",
        f"{var}.train_on_batch(X_batch, Y_batch)",
    ])
    lines.append(f"{ind}history = {fit}")
    lines.append(ind + ch.choice([
        f"score = {var}.evaluate(X_test, Y_test, batch_size=batch_size, verbose=0)",
        f"classes = {var}.predict_classes(X_test, batch_size=32)",
        f"proba = {var}.predict_proba(X_test)", f"preds = {var}.predict(X_test)",
        f"{var}.save_weights('model_weights.h5', overwrite=True)",
        f"{var}.load_weights('model_weights.h5')", f"json_string = {var}.to_json()",
    ]))
    if ch.chance(0.4):
        lines.append(f"{ind}print('Test score:', score)")
    return lines


def custom_layer(sp: Spelling, ch, cls: str) -> list[str]:
    k = sp.backend()
    base = sp.layer("Layer") if sp.style != "submodules" else sp.other("keras.engine.topology", "Layer")
    init = sp.other("keras", "initializations") if sp.style != "dotted" else "keras.initializations"
    op = ch.choice(["dot", "dot", "batch_dot"])
    return [
        f"class {cls}({base}):",
        "    '''A custom layer written against Keras 1's Layer protocol.'''",
        "",
        "    def __init__(self, output_dim, init='glorot_uniform', **kwargs):",
        "        self.output_dim = output_dim",
        f"        self.init = {init}.get(init)",
        f"        super({cls}, self).__init__(**kwargs)",
        "",
        "    def build(self, input_shape):",
        "        input_dim = input_shape[1]",
        "        self.W = self.init((input_dim, self.output_dim), name='{}_W'.format(self.name))",
        f"        self.b = {k}.zeros((self.output_dim,), name='{{}}_b'.format(self.name))",
        "        self.trainable_weights = [self.W, self.b]",
        "",
        "    def call(self, x, mask=None):",
        f"        return {k}.{op}(x, self.W) + self.b",
        "",
        "    def get_output_shape_for(self, input_shape):",
        "        return (input_shape[0], self.output_dim)",
        "",
    ]


def backend_code(sp: Spelling, ch) -> list[str]:
    k = sp.backend()
    pieces = [
        ["def euclidean_distance(vects):", "    x, y = vects",
         f"    return {k}.sqrt({k}.sum({k}.square(x - y), axis=1, keepdims=True))"],
        ["def contrastive_loss(y_true, y_pred):", "    margin = 1",
         f"    return {k}.mean(y_true * {k}.square(y_pred) + (1 - y_true) * {k}.square({k}.maximum(margin - y_pred, 0)))"],
        ["def normalize(x):", "    # utility function to normalize a tensor by its L2 norm",
         f"    return x / ({k}.sqrt({k}.mean({k}.square(x))) + 1e-5)"],
        [f"if {k}.image_dim_ordering() == 'th':", "    input_shape = (1, img_rows, img_cols)", "else:",
         "    input_shape = (img_rows, img_cols, 1)"],
        [f"get_activations = {k}.function([model.layers[0].input, {k}.learning_phase()], [model.layers[-1].output])",
         "activations = get_activations([X_batch, 0])[0]"],
        [f"{k}.set_image_dim_ordering('th')"],
        ["def sampling(args):", "    z_mean, z_log_var = args",
         f"    epsilon = {k}.random_normal(shape=(batch_size, latent_dim), mean=0., std=1.0)",
         f"    return z_mean + {k}.exp(z_log_var / 2) * epsilon"],
    ]
    return ch.choice(pieces)


# What a research script does besides Keras (reading and shaping data, arguments, sampling,
# plots): about half the lines of the Keras 1.2.2 examples are such statements, which k1port
# leaves as they are.
DATA = [
    ["text = open(path).read().lower()", "print('corpus length:', len(text))",
     "symbols = sorted(set(text))", "index_of = {c: i for i, c in enumerate(symbols)}",
     "windows, targets = [], []", "for start in range(0, len(text) - maxlen, step):",
     "    windows.append(text[start:start + maxlen])", "    targets.append(text[start + maxlen])",
     "print('windows:', len(windows))"],
    ["X = np.zeros((len(windows), maxlen, len(symbols)), dtype='bool')",
     "y = np.zeros((len(windows), len(symbols)), dtype='bool')", "for i, window in enumerate(windows):",
     "    for t, c in enumerate(window):", "        X[i, t, index_of[c]] = 1", "    y[i, index_of[targets[i]]] = 1"],
    ["def draw(probabilities, temperature=1.0):", "    # pick an index, sharper or flatter with the temperature",
     "    logits = np.log(np.asarray(probabilities, dtype='float64')) / temperature",
     "    weights = np.exp(logits) / np.sum(np.exp(logits))", "    return int(np.argmax(np.random.multinomial(1, weights, 1)))"],
    ["parser = argparse.ArgumentParser(description='Trains the network.')",
     "parser.add_argument('--epochs', type=int, default=10)",
     "parser.add_argument('--batch-size', type=int, default=128)", "parser.add_argument('--data', default='data/')",
     "args = parser.parse_args()"],
    ["X_train = X_train.reshape(X_train.shape[0], img_rows, img_cols, 1).astype('float32')",
     "X_test = X_test.reshape(X_test.shape[0], img_rows, img_cols, 1).astype('float32')",
     "X_train /= 255", "X_test /= 255", "print('X_train shape:', X_train.shape)",
     "print(X_train.shape[0], 'train samples')", "print(X_test.shape[0], 'test samples')"],
    ["def plot_curves(history, path='curves.png'):", "    import matplotlib.pyplot as plt",
     "    for key in ('loss', 'val_loss'):", "        plt.plot(history[key], label=key)",
     "    plt.xlabel('epoch')", "    plt.legend(loc='upper right')", "    plt.savefig(path)", "    plt.close()"],
    ["def batches(X, y, batch_size=32):", "    order = np.random.permutation(len(X))", "    while True:",
     "        for i in range(0, len(X) - batch_size + 1, batch_size):",
     "            chosen = order[i:i + batch_size]", "            yield X[chosen], y[chosen]"],
    ["with open('results.csv', 'a') as f:", "    f.write('%d,%f,%f\\n' % (run, loss, accuracy))",
     "print('run %d: loss %.4f, accuracy %.4f' % (run, loss, accuracy))"],
]


def data_code(ch) -> list[str]:
    return list(ch.choice(DATA))


def _header(ch) -> list[str]:
    doc = ch.choice(['"""Trains a model on a small dataset.\n\nGets to 99% test accuracy after 12 epochs.\n"""',
                     "'''Keras 1 example, converted from an old research repository.'''",
                     "# -*- coding: utf-8 -*-", ""])
    lines = [doc] if doc else []
    if ch.chance(0.5):
        lines.append("from __future__ import print_function")
    lines += ["import numpy as np", ch.choice(["import os", "import sys", "import time", "import argparse"])]
    return lines


def keras1_program(ch, *, swap: bool = False, size: int = 3, layers: int = 12) -> str:
    """A Keras 1 program of `size` sections (a model and its training, a custom layer, `K.*`
    code...: ~20 lines each, then up to three blocks of data handling); models have up to
    `layers` layers (swapped: the first two positional arguments of each layer exchanged)."""
    sp = Spelling(ch)
    body: list[str] = []
    for s in range(size):
        kinds = ["sequential", "functional", "function", "merge", "custom", "backend", "plain"]
        kind = ch.choice(kinds if s else kinds[:4])  # the first section builds a model
        var = ch.identifier(["model", "net", "graph", "classifier", "encoder"])
        if kind == "sequential":
            body += sequential_model(sp, ch, var, swap=swap, layers=layers) + training(sp, ch, var)
        elif kind == "functional":
            body += functional_model(sp, ch, var, swap=swap, layers=layers) + training(sp, ch, var)
        elif kind == "function":
            body.append(f"def build_{var}_{s}(input_shape, nb_classes=10):")
            body.append(f"    '''Returns the {var}, compiled.'''")
            body += sequential_model(sp, ch, var, "    ", swap=swap, layers=layers) + training(sp, ch, var, "    ")
            body.append(f"    return {var}")
        elif kind == "custom":
            body += custom_layer(sp, ch, ch.identifier(["MyLayer", "Antirectifier", "Attention", "KMaxPooling"]) + str(s))
        elif kind == "backend":
            body += backend_code(sp, ch)
        elif kind == "merge":
            body += merge_models(sp, ch, layers=layers) + training(sp, ch, "model")
        else:
            body += [ch.choice(PLAIN) for _ in range(ch.integer(1, 6))]
        body.append("")
        for _ in range(ch.integer(0, 3)):
            body += data_code(ch) + [""]
        if ch.chance(0.3):
            body.append(ch.choice(COMMENTS))
    code = "\n".join(body)
    _fix_regularizer_imports(code, sp)
    if "to_categorical" in code or ch.chance(0.3):
        body.insert(0, f"Y_train = {sp.other('keras.utils.np_utils', 'to_categorical')}(y_train, nb_classes)")
    head = _header(ch) + sp.imports(ch) + [""]
    return "\n".join(head + body) + "\n"


def plain_program(ch, size: int = 3) -> str:
    """A Python file of a research repository that has nothing to do with Keras."""
    lines = [ch.choice(['"""Data loading utilities."""', "# helpers", '"""Plotting."""']), "import os",
             "import numpy as np", ""]
    for i in range(size):
        fn = ch.identifier(["load_data", "plot_history", "shuffle", "batches", "parse_args", "vectorize"])
        lines += [f"def {fn}_{i}(path, n={ch.integer(1, 100)}):", f"    '''Helper number {i}.'''",
                  "    rows = []", "    with open(path) as f:", "        for line in f:",
                  "            rows.append([float(v) for v in line.split(',')[:n]])",
                  "    data = np.asarray(rows, dtype='float32')",
                  "    data -= data.mean(axis=0)  # center", "    return data", ""]
        if ch.chance(0.3):
            lines += [f"class Batcher{i}(object):", "    def __init__(self, data, size=32):",
                      "        self.data, self.size = data, size", "",
                      "    def __iter__(self):", "        for i in range(0, len(self.data), self.size):",
                      "            yield self.data[i:i + self.size]", ""]
    return "\n".join(lines) + "\n"


def write_tree(root: Path, keras_files: int, plain_files: int, seed: int = 0, size: int = 3) -> dict:
    """Write a repository-like tree of generated files under `root`; return its counts."""
    ch = RandomChooser(seed)
    counts = {"keras_files": 0, "keras_lines": 0, "plain_files": 0, "plain_lines": 0}
    projects = [f"project_{i}" for i in range(max(1, keras_files // 100))]
    for i in range(keras_files + plain_files):
        keras = i < keras_files
        folder = root / projects[i % len(projects)] / ch.choice(["models", "experiments", "scripts", "lib", ""])
        folder.mkdir(parents=True, exist_ok=True)
        text = keras1_program(ch, size=ch.integer(1, 2 * size)) if keras else plain_program(ch, ch.integer(1, size))
        (folder / f"{'train' if keras else 'util'}_{i}.py").write_text(text)
        kind = "keras" if keras else "plain"
        counts[f"{kind}_files"] += 1
        counts[f"{kind}_lines"] += text.count("\n")
    return counts
