"""Notebooks: code cells converted as one program; magics, markdown, outputs, metadata kept."""
import ast
import json
from pathlib import Path

import nbformat
import pytest

from k1port.api import ConversionError
from k1port.documents import convert_document
from k1port.magics import protect

NOTEBOOKS = Path(__file__).parents[2] / "fixtures" / "notebooks"


def _load(name):
    return (NOTEBOOKS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cifar():
    text = _load("cifar10_cnn.ipynb")
    return text, convert_document(text, "cifar10_cnn.ipynb")


def _sources(text):
    return [c.source for c in nbformat.reads(text, as_version=nbformat.NO_CONVERT).cells]


def test_unchanged_notebook_round_trips_byte_for_byte():
    text = _load("cifar10_cnn.ipynb")
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    assert nbformat.writes(nb, version=nbformat.NO_CONVERT) + "\n" == text


def test_converted_notebook_is_valid_and_keeps_all_but_code(cifar):
    text, result = cifar
    assert result.changed
    before, after = json.loads(text), json.loads(result.code)
    nbformat.validate(nbformat.reads(result.code, as_version=nbformat.NO_CONVERT))
    assert (after["nbformat"], after["nbformat_minor"], after["metadata"]) == (
        before["nbformat"], before["nbformat_minor"], before["metadata"])
    assert len(after["cells"]) == len(before["cells"])
    for old, new in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in old.items() if k != "source"} == {k: v for k, v in new.items() if k != "source"}
        if old["cell_type"] != "code":
            assert old["source"] == new["source"]
    # nbformat's layout: one-space indent, sorted keys, sources as lists of lines
    assert result.code.startswith('{\n "cells": [\n  {\n   "cell_type": "markdown"') and result.code.endswith("}\n")


def test_code_cells_convert_and_magics_stay(cifar):
    text, result = cifar
    cells = _sources(result.code)
    assert cells[1].startswith("%matplotlib inline\n%load_ext autoreload\nimport numpy as np\n")
    assert cells[2] == "!pip install h5py\nfiles = !ls *.h5"
    assert "k1.Conv2D(32, (3, 3), padding='same'" in cells[6]
    assert cells[9].startswith("%%time\nhistory = model.fit(") and "epochs=2" in cells[9]
    assert cells[10].startswith("model.fit?\n?np.mean\nfor n in [1, 10]:\n    %timeit model.predict(X_test[:n], verbose=0)")
    assert "# accuracy?" in cells[10]
    assert cells[11] == _sources(text)[11]  # %%bash is not Python: untouched
    assert cells[12] == _sources(text)[12]  # raw cell


def test_cells_are_one_program(cifar):
    _, result = cifar
    cells = _sources(result.code)
    # k1 is imported in the cell that imports Keras, before the cells that use it, although
    # a later cell imports Keras again (SGD).
    assert "import k1port.runtime as k1" in cells[1]
    assert sum("import k1port.runtime" in c for c in cells) == 1
    assert "InverseTimeDecay" in cells[8] and "from keras.optimizers import SGD" in cells[8]
    # the dim-ordering decision made from cell 7's input shape holds for every cell
    assert "data_format='channels_first'" in cells[6]
    assert "load_data(dim_ordering='th')" in cells[3]


def test_broken_cell_is_reported_and_left_unchanged(cifar):
    text, result = cifar
    assert _sources(result.code)[7] == _sources(text)[7]
    (error,) = [f for f in result.findings if f.level.value == "error"]
    assert (error.cell, error.line, error.kind) == (8, 2, "cell-syntax")
    assert error.format("nb.ipynb").startswith("nb.ipynb:cell_8:2:")


def test_findings_point_at_cell_and_line(cifar):
    _, result = cifar
    (note,) = [f for f in result.findings if f.kind == "dim-ordering"]
    assert (note.cell, note.line) == (7, 2) and "at cell_7 line 2" in note.message


def test_converting_again_changes_nothing(cifar):
    _, result = cifar
    again = convert_document(result.code, "nb.ipynb")
    assert again.code == result.code and not again.changed


def test_clear_outputs_only_for_converted_notebooks(cifar):
    text, _ = cifar
    cleared = json.loads(convert_document(text, "nb.ipynb", clear_outputs=True).code)
    code = [c for c in cleared["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)", execution_count=1)])
    plain_text = nbformat.writes(plain)
    assert convert_document(plain_text, "p.ipynb", clear_outputs=True).code == plain_text


def test_notebook_without_keras_is_returned_as_is():
    text = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 0}'  # not nbformat's layout
    assert convert_document(text, "x.ipynb").code == text


def test_python2_notebook():
    text = _load("imdb_lstm_py2.ipynb")
    result = convert_document(text, "imdb.ipynb")
    cells = _sources(result.code)
    assert result.py2_fixes == ["division", "imports", "print", "xrange"]
    assert "nb_batches = len(X_train) // batch_size\nprint('batches:', nb_batches)" in cells[2]
    assert cells[4].startswith("%time model.fit(X_train, y_train, batch_size=batch_size, epochs=1)\n")
    assert "for i in range(3):" in cells[4] and "pickle.dump(" in cells[4]
    assert any(f.kind == "py2-kernel" for f in result.findings)
    assert json.loads(result.code)["metadata"] == json.loads(text)["metadata"]
    for cell in cells[1:]:
        ast.parse(protect(cell, []))
    assert convert_document(result.code, "imdb.ipynb").code == result.code


def test_nbformat3_notebook_keeps_its_version():
    v3 = nbformat.v3
    nb = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[
        v3.new_code_cell(input="from keras.layers import Dense\nd = Dense(3, init='uniform')", prompt_number=1),
        v3.new_text_cell("markdown", source="text")])])
    text = nbformat.writes(nb, version=3)
    result = convert_document(text, "old.ipynb")
    after = json.loads(result.code)
    assert after["nbformat"] == 3
    assert "kernel_initializer='uniform'" in "".join(after["worksheets"][0]["cells"][0]["input"])


def test_not_a_notebook_is_a_clear_error():
    with pytest.raises(ConversionError, match="not a readable notebook"):
        convert_document("{not json", "x.ipynb")
