"""Encodings, BOMs and line endings survive conversion: bytes in, bytes out, through the
CLI's own reader and writer (files.read_source / write_atomic) and convert_document."""
from pathlib import Path

import pytest

from k1port.documents import convert_document
from k1port.files import read_source, write_atomic

KERAS1 = "from keras.layers import LSTM\nlayer = LSTM(4, input_dim=3)\n"
FIXTURES = Path(__file__).parents[2] / "fixtures"


def round_trip(tmp_path, data: bytes, name="script.py", **kw) -> tuple[bytes, object]:
    path = tmp_path / name
    path.write_bytes(data)
    text, encoding = read_source(path)
    result = convert_document(text, name, **kw)
    write_atomic(path, result.code, encoding)
    return path.read_bytes(), result


def test_latin1_cookie(tmp_path):
    data = ("# -*- coding: latin-1 -*-\n" + KERAS1 + "name = 'caf\xe9'\n").encode("latin-1")
    out, result = round_trip(tmp_path, data)
    assert result.changed and out.startswith(b"# -*- coding: latin-1 -*-\n")
    assert b"name = 'caf\xe9'\n" in out and b"import k1port.runtime as k1" in out


def test_latin1_python2_fixture(tmp_path):
    data = (FIXTURES / "py2" / "char_lstm_py2.py").read_bytes()
    out, result = round_trip(tmp_path, data)
    assert "tabs" in result.py2_fixes
    assert 'print("accented corpus (\xe9)")'.encode("latin-1") in out


def test_utf8_bom(tmp_path):
    out, result = round_trip(tmp_path, b"\xef\xbb\xbf" + KERAS1.encode())
    assert result.changed and out.startswith(b"\xef\xbb\xbffrom keras.layers import LSTM\n")
    assert out.count(b"\xef\xbb\xbf") == 1


def test_bom_in_the_text_is_kept():
    result = convert_document("\ufeff" + KERAS1, "s.py")
    assert result.code.startswith("\ufefffrom keras.layers import LSTM\n")


@pytest.mark.parametrize("source", [KERAS1 + "model.fit(x, y, nb_epoch=3)\n", "import keras\nprint 'py2'\nn = len(x) / a\n"])
def test_crlf_line_endings(tmp_path, source):
    out, result = round_trip(tmp_path, source.replace("\n", "\r\n").encode())
    assert result.changed and out.count(b"\r\n") == out.count(b"\n") > source.count("\n")


def test_classic_mac_line_endings(tmp_path):
    """Lone CRs: LibCST reads the last one as no newline at all; the output keeps it."""
    source = "import os\n" + KERAS1 + "model.fit(x, y, nb_epoch=3)\n"
    out, result = round_trip(tmp_path, source.replace("\n", "\r").encode())
    assert result.changed and b"\n" not in out and out.endswith(b"epochs=3)\r")
    assert out.count(b"\r") == source.count("\n") + 1  # (one more line: the runtime's import)


def test_crlf_notebook(tmp_path):
    data = (FIXTURES / "notebooks" / "cifar10_cnn.ipynb").read_bytes().replace(b"\n", b"\r\n")
    out, result = round_trip(tmp_path, data, "nb.ipynb")
    assert result.changed and out.count(b"\r\n") == out.count(b"\n")


def test_undecodable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.py"
    path.write_bytes(b"import keras\nx = '\xff\xfe'\n")
    with pytest.raises(UnicodeDecodeError, match="utf-8"):
        read_source(path)
    path.write_bytes(b"# -*- coding: klingon -*-\nimport keras\n")
    with pytest.raises(SyntaxError, match="unknown encoding"):
        read_source(path)
