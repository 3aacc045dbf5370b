"""Round-trip properties: Python without Keras 1 code comes out identical; converting twice
equals converting once."""
import random
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k1port.api import ConversionError, convert_source

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLE = sorted(random.Random(7).sample(sorted(p for p in STDLIB.glob("*.py")), 40))


@pytest.mark.parametrize("path", SAMPLE, ids=[p.name for p in SAMPLE])
def test_stdlib_file_is_identical(path: Path):
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    # Mentioning keras must not matter either: make every file take the full path.
    text = "import keras  # not used\n" + text
    try:
        assert convert_source(text).code == text
    except ConversionError:
        pytest.skip("not parseable by LibCST")


LAYERS = ["Dense(4)", "Dense(4, init='zero', activation='relu')", "Convolution2D(2, 3, 3, border_mode='same')",
          "LSTM(3, return_sequences=True)", "GRU(2, inner_activation='sigmoid')", "Dropout(0.5)",
          "MaxPooling2D(pool_size=(2, 2), border_mode='valid')", "BatchNormalization(mode=0, axis=1)",
          "Embedding(10, 4, input_length=5)", "Flatten()", "Activation('hard_sigmoid')"]
STATEMENTS = st.lists(st.one_of(
    st.sampled_from([f"model.add({layer})" for layer in LAYERS]),
    st.sampled_from(["x = merge([a, b], mode='concat', concat_axis=1)", "x = merge([a, b], mode='sum')",
                     "model.compile(optimizer='rmsprop', loss='mse')", "model.fit(x, y, nb_epoch=2)",
                     "model.fit(x, y)", "y = model.predict(x)", "# a comment", "pass",
                     "opt = SGD(lr=0.1, decay=1e-4)", "K.set_image_dim_ordering('th')"])), max_size=12)


@settings(max_examples=60, deadline=None)
@given(STATEMENTS, st.sampled_from(["th", "tf", None]))
def test_generated_programs_are_idempotent(statements, ordering):
    from k1port.api import Options

    source = ("from keras.layers import *\nfrom keras.models import Sequential\n"
              "from keras.optimizers import SGD\nfrom keras import backend as K\n"
              "model = Sequential()\n" + "\n".join(statements) + "\n")
    options = Options(image_dim_ordering=ordering)
    once = convert_source(source, options).code
    compile(once, "<converted>", "exec")
    assert convert_source(once, options).code == once
