"""A clean place for a benchmark run: no OPENAI_*/VERIFIER_* from the caller,
a temporary working directory (settings read ``.env`` from there, not from
the caller's) with its own cache, and a dummy key."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def sandbox(prefix: str, **env: str) -> Iterator[Path]:
    """Yield the temporary directory, with ``env`` set on top of the clean settings."""
    for name in [k for k in os.environ if k.startswith(("OPENAI_", "VERIFIER_"))]:
        del os.environ[name]
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        tmp = Path(name)
        os.chdir(tmp)
        try:
            os.environ.update(OPENAI_API_KEY="sk-bench-dummy", VERIFIER_MODEL="bench-model",
                              VERIFIER_CACHE_DIR=str(tmp / "cache"), **env)
            yield tmp
        finally:
            os.chdir(cwd)
