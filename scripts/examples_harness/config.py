"""Per-example settings of the examples harness: command lines, input files, and where the
example's own loops are cut to a few iterations (text replaced in the converted program; a
replacement that does not apply is an error, so this table cannot go stale silently)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Example:
    argv: tuple[str, ...] = ()  # {work} is the example's working folder
    images: tuple[str, ...] = ()  # random images made in the working folder first
    cuts: tuple[tuple[str, str], ...] = ()  # (text in the converted program, replacement)
    # Like cuts, for code that broke with a newer Python or NumPy, not with Keras: listed in
    # the report, so the table says where the example needed them.
    drift: tuple[tuple[str, str, str], ...] = ()  # (text, replacement, why)
    needs: tuple[str, ...] = ()  # modules outside k1port's scope the example imports
    files: dict = field(default_factory=dict)  # generated inputs: name -> kind
    py2: bool = False  # Python 2 code that parses as Python 3: convert with --py2


# Python 3.7 made re.split split on empty matches too: '(\\W+)?' now yields None groups.
RE_SPLIT = ("re.split('(\\W+)?', sent)", "re.split('(\\W+)', sent)",
            "re.split on an optional group (Python >= 3.7 yields None)")

EXAMPLES: dict[str, Example] = {
    "addition_rnn.py": Example(cuts=(("TRAINING_SIZE = 50000", "TRAINING_SIZE = 300"),
                                     ("range(1, 200)", "range(1, 2)"))),
    "conv_filter_visualization.py": Example(cuts=(("range(0, 200)", "range(0, 2)"), ("range(20)", "range(2)"),
                                                  ("n = 8", "n = 1"))),
    "babi_memnn.py": Example(drift=(RE_SPLIT,)),
    "babi_rnn.py": Example(drift=(RE_SPLIT,)),
    "conv_lstm.py": Example(cuts=(("n_samples=1200", "n_samples=24"), ("which = 1004", "which = 4"))),
    "deep_dream.py": Example(argv=("{work}/base.jpg", "{work}/dream"), images=("base.jpg",),
                             cuts=(("range(5)", "range(1)"), ("maxfun=7", "maxfun=2"))),
    "image_ocr.py": Example(needs=("cairocffi", "editdistance"),
                            cuts=(("words_per_epoch = 16000", "words_per_epoch = 320"),
                                  ("train(run_name, 20, 25, 512)", "train(run_name, 1, 2, 512)"))),
    "lstm_text_generation.py": Example(cuts=(("range(1, 60)", "range(1, 2)"), ("range(400)", "range(3)"))),
    "mnist_acgan.py": Example(cuts=(("nb_epochs = 50", "nb_epochs = 1"),
                                    ("nb_batches = int(X_train.shape[0] / batch_size)", "nb_batches = 2"),
                                    ("nb_train, nb_test = X_train.shape[0], X_test.shape[0]",
                                     "X_test, y_test = X_test[:100], y_test[:100]\n"
                                     "    nb_train, nb_test = X_train.shape[0], X_test.shape[0]"))),
    "mnist_sklearn_wrapper.py": Example(drift=(("scoring='log_loss'", "scoring='neg_log_loss'",
                                                "scikit-learn 0.18 renamed the 'log_loss' scorer 'neg_log_loss'"),)),
    "mnist_net2net.py": Example(drift=(("student_w[i, i, (kh - 1) / 2, (kw - 1) / 2] = 1.",
                                        "student_w[i, i, (kh - 1) // 2, (kw - 1) // 2] = 1.",
                                        "Python 2 integer division (k1port --py2 flags it: the operands "
                                        "are not provably ints)"),)),
    "neural_doodle.py": Example(py2=True, argv=("--nlabels", "2", "--style-image", "{work}/style.png",
                                      "--style-mask", "{work}/style_mask.png",
                                      "--target-mask", "{work}/target_mask.png",
                                      "--target-image-prefix", "{work}/doodle"),
                                images=("style.png", "style_mask.png", "target_mask.png"),
                                cuts=(("range(50)", "range(1)"), ("maxfun=20", "maxfun=2"))),
    "neural_style_transfer.py": Example(argv=("{work}/base.jpg", "{work}/style.jpg", "{work}/styled", "--iter", "1"),
                                        images=("base.jpg", "style.jpg"),
                                        cuts=(("maxfun=20", "maxfun=2"),)),
    # The example indexes its matrix past the end unless the vocabulary exceeds MAX_NB_WORDS,
    # as the real corpus's does.
    "pretrained_word_embeddings.py": Example(cuts=(("BASE_DIR = ''", "BASE_DIR = {work!r}"),
                                                   ("MAX_NB_WORDS = 20000", "MAX_NB_WORDS = 200")),
                                             files={"glove": "glove", "20_newsgroup": "newsgroups"}),
    "stateful_lstm.py": Example(cuts=(("epochs = 25", "epochs = 1"), ("xn=50000", "xn=200"))),
}
