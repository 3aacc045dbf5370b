"""The README's reference table is generated from the rule tables; its example is real."""
import re
from pathlib import Path

from k1port.api import convert_source

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_reference_table_is_current():
    from k1port.coverage import markdown

    table = re.search(r"<!-- rules:start -->\n(.*)\n<!-- rules:end -->", README, re.S).group(1)
    assert table == markdown(), "run: python scripts/update_readme.py"


def test_before_after_example_is_what_k1port_writes():
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    before, after = blocks[0], blocks[1]
    assert convert_source(before).code == after


def test_readme_starts_with_the_two_commands():
    commands = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    lines = [line for line in commands.splitlines() if line and not line.startswith("#")]
    assert lines[0].endswith("k1port convert fixtures/examples/mnist_cnn.py -o -")
    assert lines[1].endswith(".venv/bin/python -m pytest -q")
    ci = (ROOT / ".ci" / "run").read_text()
    assert lines[1] in ci, ".ci/run must run the README's test command verbatim"
