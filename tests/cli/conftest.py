import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Every CLI test gets its own result cache (never the user's ~/.cache/k1port)."""
    monkeypatch.setenv("K1PORT_CACHE_DIR", str(tmp_path_factory.mktemp("k1port_cache")))
