"""IPython lines set aside line for line, and put back exactly."""
import ast

import pytest

from k1port.magics import protect, restore


@pytest.mark.parametrize("cell", [
    "%matplotlib inline\nimport keras",
    "!pip install keras==1.2.2\nx = 1",
    "files = !ls *.py\nout, err = %sx ls",
    "?Dense\nDense?\nDense??\nnp.*load*?",
    "for i in range(3):\n    %time f(i)\n    !echo {i}",
    "%time model.fit(x, y, nb_epoch=1)\n%timeit -n 3 f()",
    "!pip install \\\n    h5py\nx = 1",
    "/print 1 2\n,f a b\n;g c",
    "%%time\nx = 1",
])
def test_round_trip_and_parses(cell):
    table = []
    python = protect(cell, table)
    ast.parse(python)
    assert len(python.splitlines()) == len(cell.splitlines())
    assert restore(python, table) == cell


@pytest.mark.parametrize("cell", [
    "x = 1  # why?",
    "s = '''\n%not a magic\n!nor this\n'''",
    "d = {'a': 1,\n     'b': 2}",
    "f(a,\n  -b)\nx = 1 if a else \\\n    2",
    "x = a % b\ny = a != b",
])
def test_python_is_not_taken_for_ipython(cell):
    table = []
    assert protect(cell, table) == cell and table == []


def test_statement_magic_keeps_its_statement_convertible():
    table = []
    python = protect("%time h = model.fit(x, y, nb_epoch=1)", table)
    assert python.endswith("; h = model.fit(x, y, nb_epoch=1)")
    assert restore(python.replace("nb_epoch", "epochs"), table) == "%time h = model.fit(x, y, epochs=1)"
