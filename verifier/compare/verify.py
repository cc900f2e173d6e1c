"""Claims checked against a source text: supported, contradicted or not found.

>>> from verifier.compare.verify import verify_claims
>>> from verifier.engines import make_engine
>>> out = verify_claims(["Musk a parlé à Poutine depuis 2022."], source_article, make_engine("offline"))

The source is cut into sentences, which are the only evidence a verdict can
cite (so every offset is exact by construction).  An engine that judges
(the LLM engine) judges the claims in batched requests
(``verify_judged.py``); otherwise rules check them (``verify_rules.py``).
"""

from __future__ import annotations

from collections import Counter

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.compare import embeddings
from verifier.compare.claims_input import ClaimInput, read_claims
from verifier.engines.base import Engine
from verifier.errors import InputError
from verifier.ingest.article import Article, read_article
from verifier.models import Provenance, Span, VerifyMethod, VerifyOutput
from verifier.text.sentences import split


def source_sentences(source: Article) -> list[Span]:
    return [Span(start=s, end=e, text=source.text[s:e], match="exact") for s, e in split(source.text)]


def verify_claims(claims: list[ClaimInput] | list[str], source: Article, engine: Engine, *,
                  claims_from: str = "<list>", claims_provenance: Provenance | None = None) -> VerifyOutput:
    """Verify ``claims`` (texts or ``ClaimInput``s) against ``source``."""
    items = [c if isinstance(c, ClaimInput) else ClaimInput(c) for c in claims]
    if not items:
        raise InputError("no claims to verify")
    sents = source_sentences(source)
    if engine.capabilities.judges:
        from verifier.compare.verify_judged import check_by_judge

        verified, method = check_by_judge(items, source, sents, engine)
    else:
        from verifier.compare.verify_rules import check_by_rules

        verified = check_by_rules(items, source, sents)
        method = VerifyMethod(engine=engine.name, model="rules", retriever=embeddings.name())
    return VerifyOutput(
        source=source.info(),
        claims_from=claims_from, claims_provenance=claims_provenance, method=method,
        counts=dict(Counter(v.verdict.value for v in verified)), claims=verified,
    )


def verify(claims: str, against: str | Article, engine: Engine, options: AnalyzeOptions | None = None) -> VerifyOutput:
    """Read the source and CLAIMS (see ``claims_input.read_claims``; an
    article's claims are extracted with ``engine``), and verify."""
    source = against if isinstance(against, Article) else read_article(against)
    items, described, provenance = read_claims(claims, Pipeline(engine, options))
    return verify_claims(items, source, engine, claims_from=described, claims_provenance=provenance)
