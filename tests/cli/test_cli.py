"""The command line: in place, -o, stdin, --diff, check, exit codes, encodings."""
import subprocess
import sys
from pathlib import Path

from clirun import run
KERAS1 = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='same')\n"
KERAS3 = "from keras.layers import Conv2D\nc = Conv2D(8, (3, 3), padding='same')\n"


def test_convert_in_place(tmp_path: Path):
    f = tmp_path / "a.py"
    f.write_text(KERAS1)
    result = run("convert", str(f), "--image-dim-ordering", "tf")
    assert result.exit_code == 0, result.output
    assert f.read_text() == KERAS3


def test_convert_folder_to_output_tree(tmp_path: Path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "m.py").write_text(KERAS1)
    (src / "plain.py").write_text("print('hi')\n")
    out = tmp_path / "out"
    result = run("convert", str(src), "-o", str(out), "--image-dim-ordering", "tf")
    assert result.exit_code == 0, result.output
    assert (out / "pkg" / "m.py").read_text() == KERAS3
    assert (out / "plain.py").read_text() == "print('hi')\n"
    assert (src / "pkg" / "m.py").read_text() == KERAS1  # the input is untouched


def test_stdin_to_stdout():
    result = run("convert", "-", "--image-dim-ordering", "tf", input=KERAS1)
    assert result.exit_code == 0
    assert result.stdout == KERAS3


def test_diff_writes_nothing_and_exits_1(tmp_path: Path):
    f = tmp_path / "a.py"
    f.write_text(KERAS1)
    result = run("convert", "--diff", str(f), "--image-dim-ordering", "tf")
    assert result.exit_code == 1
    assert "-c = Convolution2D(8, 3, 3, border_mode='same')" in result.stdout
    assert "+c = Conv2D(8, (3, 3), padding='same')" in result.stdout
    assert f.read_text() == KERAS1


def test_check_exit_codes(tmp_path: Path):
    f = tmp_path / "a.py"
    f.write_text(KERAS1)
    assert run("check", str(f)).exit_code == 1
    f.write_text(KERAS3)
    assert run("check", str(f)).exit_code == 0
    assert f.read_text() == KERAS3


def test_unconvertible_code_exits_1_with_findings(tmp_path: Path):
    f = tmp_path / "a.py"
    f.write_text("from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='full')\n")
    result = run("convert", str(f))
    assert result.exit_code == 1
    assert f"{f}:2:5: ERROR: Convolution2D(border_mode=...): border_mode 'full'" in result.stderr


def test_parse_error_exits_2_and_batch_goes_on(tmp_path: Path):
    (tmp_path / "bad.py").write_text("print 'python 2'\nimport keras\n")
    (tmp_path / "good.py").write_text(KERAS1)
    result = run("convert", str(tmp_path), "--image-dim-ordering", "tf", "--no-py2")
    assert result.exit_code == 2
    assert "bad.py:1:" in result.stderr and "ERROR: cannot parse" in result.stderr
    assert (tmp_path / "good.py").read_text() == KERAS3
    assert (tmp_path / "bad.py").read_text() == "print 'python 2'\nimport keras\n"


def test_missing_path_is_a_usage_error():
    assert run("convert", "/nonexistent/x.py").exit_code == 2


def test_encoding_crlf_and_mode_preserved(tmp_path: Path):
    f = tmp_path / "a.py"
    text = "# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n" + KERAS1.replace("\n", "\r\n")
    f.write_bytes(text.encode("latin-1"))
    f.chmod(0o750)
    assert run("convert", str(f), "--image-dim-ordering", "tf").exit_code == 0
    out = f.read_bytes().decode("latin-1")
    assert out == "# -*- coding: latin-1 -*-\r\n# caf\xe9\r\n" + KERAS3.replace("\n", "\r\n")
    assert f.stat().st_mode & 0o777 == 0o750


def test_help_documents_exit_codes():
    result = run("--help")
    assert "Exit codes" in result.stdout and "2 usage error" in result.stdout


def test_cli_does_not_import_keras_tensorflow_or_torch():
    code = ("import io, sys; sys.stdin = io.StringIO('import keras\\nfrom keras.layers import Dense\\n'); "
            "from k1port.cli import main; main(['convert', '-']); "
            "bad = [m for m in ('keras', 'tensorflow', 'torch') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"


def test_one_file_to_another_file_a_folder_or_stdout(tmp_path: Path):
    f = tmp_path / "a.py"
    f.write_text(KERAS1)
    assert run("convert", f, "-o", tmp_path / "b.py", "--image-dim-ordering", "tf").exit_code == 0
    assert (tmp_path / "b.py").read_text() == KERAS3
    (tmp_path / "out").mkdir()
    assert run("convert", f, "-o", tmp_path / "out", "--image-dim-ordering", "tf").exit_code == 0
    assert (tmp_path / "out" / "a.py").read_text() == KERAS3
    result = run("convert", f, "-o", "-", "--image-dim-ordering", "tf")
    assert result.exit_code == 0 and result.stdout == KERAS3
    assert f.read_text() == KERAS1
    assert run("convert", tmp_path, "-o", "-").exit_code == 2  # a folder does not go to stdout
