"""The offline engine: spaCy pipelines from PyPI and rules, no network, no key.

It returns the same ``AnalysisDraft`` as the LLM engine: quotes copied from
the article, which grounding then locates.  Claim texts are the article's
own words (no rewriting), so ``--lang`` chooses the pipeline, not a
translation.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from verifier import __version__
from verifier.engines.base import Capabilities, EngineResult
from verifier.engines.offline.summary import DEFAULT_SENTENCES, Candidate, pick
from verifier.errors import ConfigError, InputError
from verifier.ingest.article import Article
from verifier.models import AnalysisDraft, AttributionDraft, ClaimDraft, QuoteKind, SpeakerDraft
from verifier.text import nlp
from verifier.text.chunks import split

BLOCK_CHARS = 100_000  # a longer text is read in blocks of paragraphs this long at most
MAX_CHARS = 2_000_000  # longer: refused at once (docs/inputs.md, "Long articles": what grounding costs)


_RULES = (Path(__file__).parent, Path(__file__).parents[2] / "text")  # the rules and what they read


@functools.cache
def rules_fingerprint(roots: tuple[Path, ...] = _RULES) -> str:
    """Eight hex digits of a hash over the rules' source files (this package
    and ``verifier/text``: word lists, sentences, details), so the cache key
    changes whenever the rules do, not only with the release number."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


class OfflineEngine:
    """Local work, no requests: cached, never priced; a batch runs it in
    worker processes, each warmed up once."""

    name = "offline"
    capabilities = Capabilities(cacheable=True, languages=nlp.LANGUAGES)
    endpoint = None  # local work, no requests

    def __init__(self, summary_sentences: int | None = None):
        self.summary_sentences = summary_sentences or DEFAULT_SENTENCES
        self.model = "+".join(nlp.model_name(lang) for lang in nlp.LANGUAGES)
        suffix = "" if self.summary_sentences == DEFAULT_SENTENCES else f"+s{self.summary_sentences}"
        self.prompt_id = f"offline-rules@{__version__}+{rules_fingerprint()}{suffix}"

    def warm_up(self) -> None:
        """Load every language's spaCy pipeline now (seconds each)."""
        for lang in nlp.LANGUAGES:
            nlp.load(lang)

    def analyze(self, article: Article, output_language: str | None) -> EngineResult:
        lang = (output_language or article.language or "en").lower()
        if lang not in nlp.LANGUAGES:
            raise ConfigError(f"the offline engine handles {' and '.join(nlp.LANGUAGES)}, not {lang!r} (--lang)")
        if len(article.text) > MAX_CHARS:
            raise InputError(f"{article.source}: the offline engine reads at most {MAX_CHARS:,} characters; this "
                             f"article has {len(article.text):,} (split it, or use the llm engine)")
        return EngineResult(draft=analyze_text(article.text, lang, self.summary_sentences))


def analyze_text(text: str, lang: str, summary_sentences: int = DEFAULT_SENTENCES) -> AnalysisDraft:
    """The offline analysis of ``text`` in ``lang`` (``fr`` or ``en``).

    A text longer than ``BLOCK_CHARS`` is read in blocks of whole paragraphs
    (``text.chunks.split``, no overlap): claims and attributions are found block
    by block (a pronoun is resolved within its block), and the summary is
    picked among the sentences of all blocks.  Time and memory grow in
    proportion to the text: each block's spaCy documents are dropped once read."""
    claims: list[ClaimDraft] = []
    attributions: list[AttributionDraft] = []
    candidates: list[Candidate] = []
    for block in split(text, BLOCK_CHARS, len, overlap=0):
        found_claims, found_attributions, found_candidates = _block(block.text, lang)
        claims += found_claims
        attributions += found_attributions
        candidates += found_candidates
    return AnalysisDraft(language=lang, claims=claims, attributions=attributions,
                         summary=pick(candidates, summary_sentences))


def _block(text: str, lang: str) -> tuple[list[ClaimDraft], list[AttributionDraft], list[Candidate]]:
    """Claims, attributions and summary candidates of one block of text."""
    from verifier.engines.offline.attributions import extract
    from verifier.engines.offline.claims import extract_claims
    from verifier.engines.offline.summary import candidates
    from verifier.engines.offline.parsed import sentences_of

    sents = sentences_of(text, lang)
    found = extract(text, lang, sents)
    attributions = [
        AttributionDraft(
            speaker=SpeakerDraft(name=f.speaker.name, role=f.speaker.role),
            content=text[f.content[0]:f.content[1]],
            kind=QuoteKind("indirect" if f.kind == "mixed" else f.kind),  # the contract has no "mixed"
            cue=text[f.cue_span[0]:f.cue_span[1]] if f.cue_span else None,
            is_denial=f.is_denial, is_no_comment=f.is_no_comment,
            evidence=text[f.evidence[0]:f.evidence[1]],
        )
        for f in found
    ]
    return extract_claims(text, lang, sents, found), attributions, candidates(text, sents, lang)
