"""Safety: a batch run killed with SIGKILL leaves every file as it was or fully converted (writes
are atomic), a rerun finishes the job; k1port never runs the code it converts."""
import os
import signal
import subprocess
import time
from pathlib import Path

from clirun import K1PORT, run
from k1port.api import Options
from k1port.documents import convert_document

TEMPLATES = [
    """# file {ID}
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Convolution2D, MaxPooling2D, Flatten
from keras.optimizers import SGD

model = Sequential()
model.add(Convolution2D(32, 3, 3, border_mode='valid', input_shape=(28, 28, 1)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(128, init='uniform', W_regularizer=None))
model.add(Dropout(0.5))
model.add(Dense(10, activation='softmax'))
sgd = SGD(lr=0.1, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=['accuracy'])
model.fit(x, y, nb_epoch=3, batch_size=32)
""",
    """# file {ID}
from keras.layers import Input, Dense, LSTM, merge
from keras.models import Model

a = Input(shape=(10, 8))
b = Input(shape=(10, 8))
x = LSTM(16, return_sequences=False)(a)
y = LSTM(16, return_sequences=False)(b)
z = merge([x, y], mode='concat', concat_axis=-1)
out = Dense(1, activation='sigmoid')(z)
model = Model(input=[a, b], output=out)
model.compile(optimizer='rmsprop', loss='binary_crossentropy')
""",
    "# file {ID}\nimport numpy as np\n\n\ndef helper(x):\n    return np.asarray(x) * 2\n",
]
FILES = 150


def make_tree(root: Path) -> dict:
    """path -> (original, reference conversion), from a few templates (few reference runs)."""
    options = Options(image_dim_ordering="tf")
    refs = [convert_document(t, "t.py", options).code for t in TEMPLATES]
    expected = {}
    for i in range(FILES):
        t = i % len(TEMPLATES)
        path = root / f"pkg{i // 50}" / f"m{i:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        original = TEMPLATES[t].replace("{ID}", str(i))
        path.write_text(original)
        expected[path] = (original, refs[t].replace("{ID}", str(i)))
    return expected


def kill_when(expected: dict, converted_at_least: int) -> subprocess.Popen:
    """Start a -j 2 run and SIGKILL it (with its workers) once enough files are converted."""
    proc = subprocess.Popen([str(K1PORT), "convert", str(next(iter(expected)).parents[1]), "-j", "2", "-q",
                             "--no-cache", "--image-dim-ordering", "tf"], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    keras_files = [p for p, (a, b) in expected.items() if a != b]
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        done = sum(p.read_text() == expected[p][1] for p in keras_files[:converted_at_least + 20])
        if done >= converted_at_least:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return proc


def states(expected: dict) -> tuple[int, int]:
    """(original, converted) counts; fails on a file that is neither."""
    original = converted = 0
    for path, (before, after) in expected.items():
        text = path.read_text()
        assert text in (before, after), f"{path} is neither the original nor its conversion"
        original += text == before and before != after
        converted += text == after and before != after
    return original, converted


def test_sigkill_mid_run_leaves_every_file_whole_and_a_rerun_finishes(tmp_path):
    expected = make_tree(tmp_path / "tree")
    kill_when(expected, 1)
    original, converted = states(expected)
    assert converted >= 1 and original >= 1, "the run was not killed mid-way"
    kill_when(expected, converted + 30)  # a second kill, later, over a half-converted tree
    original, converted = states(expected)
    assert original >= 1
    result = run("convert", tmp_path / "tree", "-j", "2", "--no-cache", "--image-dim-ordering", "tf")
    assert result.exit_code == 0, result.output
    assert states(expected) == (0, 2 * FILES // 3)
    leftovers = list((tmp_path / "tree").rglob("*.k1port"))  # temporary files of killed writes
    assert all(p.name.startswith(".") for p in leftovers)


def test_converted_code_is_never_executed(tmp_path):
    marker = tmp_path / "executed"
    source = (f"import keras\nfrom keras.layers import Dense\nopen({str(marker)!r}, 'w').close()\n"
              f"d = Dense(3, init='uniform')\n")
    (tmp_path / "a.py").write_text(source)
    (tmp_path / "b.py").write_text("import keras\nprint 'py2'\n" + source.split("\n", 2)[2])
    assert run("convert", tmp_path, "--no-cache").exit_code in (0, 1)
    assert not marker.exists()
