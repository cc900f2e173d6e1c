"""Verification with the LLM engine: claims judged in batches, not one call
per claim-sentence pair.

The source is split into numbered sentences ([S1] …); up to ``BATCH`` claims
([C1] …) go in one request with the ``verify`` prompt, and the reply
(``VerifyDraft``) must give exactly one verdict per claim with evidence
numbers that exist, or the model is asked again with the errors.  Evidence is
our own sentence spans, so every offset is exact by construction.  The
request key (for the cache of fixtures and the replay engine) is the SHA-256
of the source and the batch's claims.
"""

from __future__ import annotations

import hashlib
import json

from verifier.article import Article
from verifier.errors import FixtureMissing
from verifier.models import Span, Usage, VerifiedClaim, VerifyDraft, VerifyMethod

PROMPT = "verify@v1"
BATCH = 40


def request_key(source: Article, claims: list[str]) -> str:
    payload = json.dumps({"source": source.sha256, "claims": claims}, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _check(n_claims: int, n_sents: int):
    def check(draft: VerifyDraft) -> None:
        numbers = [v.claim for v in draft.verdicts]
        if sorted(numbers) != list(range(1, n_claims + 1)):
            raise ValueError(f"give exactly one verdict for each claim C1..C{n_claims} (got {numbers})")
        for v in draft.verdicts:
            bad = [e for e in v.evidence if not 1 <= e <= n_sents]
            if bad:
                raise ValueError(f"claim {v.claim}: evidence {bad} is not a sentence number S1..S{n_sents}")
            if v.verdict.value != "not_found" and not v.evidence:
                raise ValueError(f"claim {v.claim}: a {v.verdict.value} verdict needs evidence sentences")
    return check


def verify_llm(claims, source: Article, *, engine: str, model: str | None = None,
               prompt: str | None = None) -> tuple[list[VerifiedClaim], VerifyMethod]:
    from verifier.engines import make_engine
    from verifier.verify import source_sentences

    built = make_engine(engine, model=model, prompt=prompt or PROMPT)
    sents = source_sentences(source)
    numbered = "\n".join(f"[S{k}] {s.text}" for k, s in enumerate(sents, 1))
    usage, fixture, fmt = Usage(), None, None
    out: list[VerifiedClaim] = []
    for start in range(0, len(claims), BATCH):
        batch = claims[start:start + BATCH]
        texts = [c.text for c in batch]
        key = request_key(source, texts)
        fixture = _fixture(built, key) if built.name == "replay" else None
        values = {"source_id": source.sha256[:12], "sentences": numbered,
                  "claims": "\n".join(f"[C{k}] {t}" for k, t in enumerate(texts, 1))}
        draft, used, fmt = built.complete(
            lambda schema: built.prompt.render(values, schema), VerifyDraft,
            {"X-Verifier-Prompt": built.prompt_id, "X-Verifier-Article-Sha256": key},
            check=_check(len(batch), len(sents)))
        for name in ("prompt_tokens", "completion_tokens", "total_tokens", "requests"):
            setattr(usage, name, getattr(usage, name) + getattr(used, name))
        for v in sorted(draft.verdicts, key=lambda v: v.claim):
            c = batch[v.claim - 1]
            out.append(VerifiedClaim(id=f"k{start + v.claim}", text=c.text, verdict=v.verdict,
                                     evidence=[_copy(sents[e - 1]) for e in dict.fromkeys(v.evidence)],
                                     reason=v.reason, claim=c.claim))
    method = VerifyMethod(engine=built.name, model=built.model, prompt=built.prompt_id,
                          retriever="none (the whole source is sent)", usage=usage, fixture=fixture)
    return out, method


def _copy(span: Span) -> Span:
    return span.model_copy()


def _fixture(built, key: str):
    from verifier.fixtures import FixtureKey

    fkey = FixtureKey(built.prompt_id, built.model, key)
    data = built.store.load(fkey)
    if data is None:
        raise FixtureMissing(f"no fixture for {fkey.describe()} (expected {built.store.path(fkey)})")
    return built.store.source(data, fkey)
