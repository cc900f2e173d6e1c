"""The offline engine: spaCy pipelines from PyPI and rules, no network, no key.

It returns the same ``AnalysisDraft`` as the LLM engine: quotes copied from
the article, which grounding then locates.  Claim texts are the article's
own words (no rewriting), so ``--lang`` chooses the pipeline, not a
translation.
"""

from __future__ import annotations

from verifier import __version__
from verifier.article import Article
from verifier.engines import EngineResult
from verifier.errors import ConfigError
from verifier.models import AnalysisDraft, AttributionDraft, QuoteKind, SpeakerDraft
from verifier.offline import nlp
from verifier.offline.summary import DEFAULT_SENTENCES


class OfflineEngine:
    name = "offline"
    cacheable = True

    def __init__(self, summary_sentences: int | None = None):
        self.summary_sentences = summary_sentences or DEFAULT_SENTENCES
        self.model = f"{nlp.model_name('fr')}+{nlp.model_name('en')}"
        suffix = "" if self.summary_sentences == DEFAULT_SENTENCES else f"+s{self.summary_sentences}"
        self.prompt_id = f"offline-rules@{__version__}{suffix}"

    def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        lang = (output_language or article.language or "en").lower()
        if lang not in nlp.LANGUAGES:
            raise ConfigError(f"the offline engine handles fr and en, not {lang!r} (--lang)")
        return EngineResult(draft=analyze_text(article.text, lang, self.summary_sentences))


def analyze_text(text: str, lang: str, summary_sentences: int = DEFAULT_SENTENCES) -> AnalysisDraft:
    """The offline analysis of ``text`` in ``lang`` (``fr`` or ``en``)."""
    from verifier.offline.attributions import extract
    from verifier.offline.claims import extract_claims
    from verifier.offline.summary import extract_summary
    from verifier.offline.tokens import sentences_of

    sents = sentences_of(text, lang)
    found = extract(text, lang, sents)
    attributions = [
        AttributionDraft(
            speaker=SpeakerDraft(name=f.speaker.name, role=f.speaker.role),
            content=text[f.content[0]:f.content[1]],
            kind=QuoteKind(f.kind),
            cue=text[f.cue_span[0]:f.cue_span[1]] if f.cue_span else None,
            is_denial=f.is_denial, is_no_comment=f.is_no_comment,
            evidence=text[f.evidence[0]:f.evidence[1]],
        )
        for f in found
    ]
    return AnalysisDraft(
        language=lang,
        claims=extract_claims(text, lang, sents, found),
        attributions=attributions,
        summary=extract_summary(text, sents, summary_sentences, lang),
    )
