"""The migration report (--report FILE.json / FILE.md), `check --format json`, the terminal summary."""
import json
import re
from pathlib import Path

from clirun import run

KERAS1 = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='same')\n"
UNSUPPORTED = "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='full')\n"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "report-format.md"


def tree(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text(KERAS1)
    (tmp_path / "pkg" / "b.py").write_text(UNSUPPORTED)
    (tmp_path / "plain.py").write_text("x = 1\n")
    (tmp_path / "bad.py").write_text("import keras\nprint 'hi'\n")
    return tmp_path


def test_json_report(tmp_path):
    src = tree(tmp_path / "src")
    report = tmp_path / "report.json"
    result = run("convert", src, "--report", report, "--no-py2")
    assert result.exit_code == 2  # bad.py cannot be parsed; the rest is converted
    doc = json.loads(report.read_text())
    assert doc["format"] == "k1port-report" and doc["version"] == 1
    assert doc["command"] == "convert" and doc["wrote"] is True
    s = doc["summary"]
    assert (s["files"], s["changed"], s["unchanged"], s["failed"], s["needs_human"]) == (4, 2, 1, 1, 2)
    assert s["findings"]["by_level"]["error"] == 1 and s["findings"]["by_kind"]["unsupported-value"] == 1
    files = {Path(f["path"]).name: f for f in doc["files"]}
    assert [Path(f["path"]).name for f in doc["files"]] == ["bad.py", "a.py", "b.py", "plain.py"]
    assert files["a.py"]["status"] == "changed" and files["a.py"]["lines_added"] == 2 and not files["a.py"]["needs_human"]
    err = [f for f in files["b.py"]["findings"] if f["level"] == "error"]
    assert err[0]["line"] == 2 and err[0]["col"] == 5 and files["b.py"]["needs_human"]
    assert files["bad.py"]["status"] == "failed" and files["bad.py"]["error"]["line"] == 2
    assert files["plain.py"] == {"path": str(src / "plain.py"), "kind": "python", "status": "unchanged",
                                 "lines_added": 0, "lines_removed": 0, "py2_fixes": [], "findings": [],
                                 "error": None, "needs_human": False}


def test_every_report_key_is_documented(tmp_path):
    src = tree(tmp_path / "src")
    result = run("check", src, "--format", "json", "--diff", "--no-py2")
    doc = json.loads(result.stdout)
    keys = set()

    def walk(value, skip=False):
        if isinstance(value, dict):
            for k, v in value.items():
                if not skip:
                    keys.add(k)
                walk(v, skip=k in ("by_kind", "options"))
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(doc)
    documented = set(re.findall(r"`(\w+)`", DOCS.read_text()))
    assert keys - documented == set()


def test_check_format_json_for_ci(tmp_path):
    src = tree(tmp_path / "src")
    result = run("check", src / "pkg", "--format", "json", "--diff")
    assert result.exit_code == 1 and result.stderr == ""
    doc = json.loads(result.stdout)
    assert doc["command"] == "check" and doc["wrote"] is False
    changed = [f for f in doc["files"] if f["status"] == "changed"]
    assert len(changed) == 2 and "+c = Conv2D(8, (3, 3)" in changed[0]["diff"]
    assert (src / "pkg" / "a.py").read_text() == KERAS1
    run("convert", src / "pkg" / "a.py")
    (src / "pkg" / "b.py").unlink()
    result = run("check", src / "pkg", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["changed"] == 0


def test_markdown_report(tmp_path):
    src = tree(tmp_path / "src")
    report = tmp_path / "report.md"
    run("convert", src, "--report", report, "--no-py2")
    text = report.read_text()
    assert text.startswith("# k1port migration report\n")
    assert "## Needs a human" in text
    assert f"`{src / 'pkg' / 'b.py'}:2:5` ERROR: Convolution2D(border_mode=...)" in text
    assert f"`{src / 'bad.py'}:2:" in text and "**failed**" in text
    assert f"| `{src / 'pkg' / 'a.py'}` | changed | +2 -2 |" in text


def test_terminal_summary(tmp_path):
    src = tree(tmp_path / "src")
    result = run("check", src, "--no-py2")
    assert "k1port: 4 files: 2 would change, 1 unchanged, 1 failed" in result.stderr
    assert "findings: 1 error, 0 warning, 2 info (dim-ordering 2, unsupported-value 1); 2 file(s) need a human" \
        in result.stderr
    assert run("convert", src, "--report", tmp_path / "r.txt").exit_code == 2
