"""Python 2 sources: brought to Python 3 by fissix (only when needed), then converted."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from convert_helpers import dedent
from k1port.api import ConversionError
from k1port.documents import convert_document

PY2 = Path(__file__).parents[2] / "fixtures" / "py2"


def convert(text, **kw):
    return convert_document(dedent(text), "script.py", **kw)


def _fixture(name):
    return (PY2 / name).read_text(encoding="latin-1" if "char" in name else "utf-8")


@pytest.mark.parametrize("name, fixes", [
    ("mnist_mlp_py2.py", ["dict", "division", "imports", "print", "repr"]),
    ("char_lstm_py2.py", ["dict", "division", "except", "has_key", "imports", "ne", "numliterals", "print",
                          "raw_input", "repr", "tabs", "unicode", "xrange"]),
])
def test_fixtures_convert_parse_and_are_idempotent(name, fixes):
    text = _fixture(name)
    result = convert_document(text, name)
    ast.parse(result.code)
    assert result.changed and result.py2_fixes == fixes
    assert not re.search(r"^\s*print ", result.code, re.M) and "xrange" not in result.code and "cPickle" not in result.code
    assert "nb_epoch=" not in result.code and "import k1port.runtime as k1" in result.code
    again = convert_document(result.code, name)
    assert again.code == result.code and again.py2_fixes == []


def test_fixture_batch_counts_become_floor_division_and_the_rest_is_reported():
    text = _fixture("mnist_mlp_py2.py")
    result = convert_document(text, "mnist.py")
    assert "nb_batches = len(X_train) // batch_size" in result.code
    assert "X_train /= 255\n" in result.code  # a float array since .astype('float32'): true division
    division = [f for f in result.findings if f.kind == "py2-division"]
    assert len(division) == 1
    # The finding points into the original file.
    assert text.splitlines()[division[0].line - 1].startswith("half = X_train.shape[0] / 2")


def test_finding_lines_point_into_the_python2_file_even_when_lines_move():
    text = _fixture("char_lstm_py2.py")
    result = convert_document(text, "char.py")
    (division,) = [f for f in result.findings if f.kind == "py2-division"]
    assert "/ nb_batches" in text.splitlines()[division.line - 1]


def test_python3_file_never_reaches_fissix():
    code = ("import sys\nfrom k1port.documents import convert_document\n"
            "r = convert_document(open(sys.argv[1]).read(), 'x.py')\nassert r.changed and not r.py2_fixes\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fissix', 'nbformat')))")
    example = Path(__file__).parents[2] / "fixtures" / "examples" / "mnist_cnn.py"
    out = subprocess.run([sys.executable, "-c", code, str(example)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python3_division_is_not_touched_without_py2():
    result = convert("""
        from keras.layers import Dense
        n = len(x) / 2
        d = Dense(n, init='uniform')
        """)
    assert "len(x) / 2" in result.code and result.py2_fixes == []


def test_py2_true_forces_the_pass_on_python3_syntax():
    result = convert("""
        from keras.layers import Dense
        n = len(x) / 2
        d = Dense(n, init='uniform')
        """, py2=True)
    assert "n = len(x) // 2" in result.code and result.py2_fixes == ["division"]


def test_py2_false_reports_the_python3_parse_error():
    with pytest.raises(ConversionError, match="Python 2 code"):
        convert("import keras\nprint 'hello'\n", py2=False)


def test_neither_python3_nor_python2_is_a_clear_error():
    with pytest.raises(ConversionError, match="as Python 2") as info:
        convert("import keras\nprint 'a'\ndef (:\n")
    assert info.value.line >= 2


def test_future_division_means_no_integer_division():
    result = convert("""
        from __future__ import division
        from keras.layers import Dense
        print 'x'
        n = len(x) / 2
        """)
    assert "len(x) / 2" in result.code and "division" not in result.py2_fixes
    assert not [f for f in result.findings if f.kind == "py2-division"]


def test_print_function_future_import_is_honoured():
    result = convert("""
        from __future__ import print_function
        import keras
        print('a', 'b', file=sys.stderr)
        exec "x = 1"
        """)
    assert "print('a', 'b', file=sys.stderr)" in result.code and "exec(\"x = 1\")" in result.code


def test_mixed_tabs_and_spaces_expand_as_python2_read_them_but_not_in_strings():
    text = "import keras\nif x:\n\tdoc = '''a\n\tb'''\n        print doc\n"
    result = convert_document(text, "t.py")
    assert result.code == "import keras\nif x:\n        doc = '''a\n\tb'''\n        print(doc)\n"
    assert "tabs" in result.py2_fixes


def test_consistent_tabs_are_kept():
    result = convert_document("import keras\nif x:\n\tprint x\n", "t.py")
    assert result.code == "import keras\nif x:\n\tprint(x)\n" and "tabs" not in result.py2_fixes


def test_fix_import_is_not_run_and_dict_views_stay_lists():
    result = convert("""
        import utils
        import keras
        print 'x'
        keys = d.keys()
        for k in d.iterkeys():
            pass
        """)
    assert "import utils\n" in result.code and "from . import utils" not in result.code
    assert "keys = list(d.keys())" in result.code and "for k in d.keys():" in result.code


def test_file_without_keras_is_left_alone_unless_py2_is_forced():
    text = "print 'hello'\n"
    assert convert_document(text, "t.py").code == text
    assert convert_document(text, "t.py", py2=True).code == "print('hello')\n"
