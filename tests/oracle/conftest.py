"""tests/oracle: k1port's reference data made by the real Keras 1.2.2 (see README.md here)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "oracle: runs the real Keras 1.2.2 (tests/oracle/venv, built on first use); part of the "
        "default run, skipped with K1PORT_SKIP_ORACLE=1")
