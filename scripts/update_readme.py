"""Regenerate the conversion reference in README.md from the rule tables.

    python scripts/update_readme.py
"""
import re
from pathlib import Path

from k1port.coverage import markdown

README = Path(__file__).resolve().parents[1] / "README.md"
text = README.read_text()
README.write_text(re.sub(r"<!-- rules:start -->\n.*<!-- rules:end -->",
                         lambda _: "<!-- rules:start -->\n" + markdown() + "\n<!-- rules:end -->", text, flags=re.S))
