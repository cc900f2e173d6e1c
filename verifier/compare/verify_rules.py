"""Claims checked against a source's sentences by rules, without a model.

Per claim:

1. retrieval: the source's sentences ranked by ``align.similarity``
   (multilingual embeddings and shared content words); the best ones are the
   evidence;
2. checks against the evidence (``details.py``): a number, date or name of
   the claim where the evidence gives a different one of the same kind, or a
   negation on one side only, is a contradiction;
3. support: the evidence is on topic and carries the claim's content words
   (same language) or is very close in meaning (across languages), with no
   conflict, and does not merely hedge what the claim asserts.

Its limits, stated in docs/diff-verify.md: it does not reason (an antonym,
"saluée" for "dénoncée", or an inference across sentences goes unseen), and
word overlap can pass a claim that recombines true parts falsely.
"""

from __future__ import annotations

import numpy as np

from verifier.compare import align
from verifier.compare.claims_input import ClaimInput
from verifier.text.details import Details, content_words, dates_compatible, details_many, entity_match
from verifier.errors import InputError
from verifier.ingest.article import Article
from verifier.models import Span, Verdict, VerifiedClaim
from verifier.text.language import detect_language

TOP_K = 3           # closest sentences kept as evidence per claim
MAX_EVIDENCE = 5    # with the sentences that carry the claim's values
ON_TOPIC = 0.35     # best retrieval score below this: not found
COVERAGE = 0.6       # share of the claim's content words the evidence must carry
CROSS_SUPPORT = 0.6  # across languages (no shared words): semantic score needed
NAME_CHECK = 0.5    # coverage from which a missing name counts as a different name


def check_by_rules(claims: list[ClaimInput], source: Article, sents: list[Span]) -> list[VerifiedClaim]:
    """A verdict for each claim against ``sents``, the source's sentences."""
    if not sents:
        raise InputError(f"{source.source}: the source has no sentences")
    texts = [c.text for c in claims]
    claim_lang = detect_language(" ".join(texts), default=source.language)
    scores = align.similarity(texts, [s.text for s in sents])
    claim_d = details_many(texts, claim_lang, parse=False)
    sent_d = details_many([s.text for s in sents], source.language, parse=False)
    out = []
    for i, c in enumerate(claims):
        best = _evidence(claim_d[i], scores[i], sent_d)
        verdict, reason, used = _judge(c.text, claim_d[i], [(sents[j], sent_d[j], float(scores[i, j])) for j in best],
                                       same_language=claim_lang == source.language)
        out.append(VerifiedClaim(id=f"k{i + 1}", text=c.text, verdict=verdict, reason=reason,
                                 evidence=[sents[best[k]] for k in used], score=round(float(scores[i, best[0]]), 3),
                                 claim=c.claim))
    return out


def _evidence(claim: Details, scores: np.ndarray, sent_d: list[Details]) -> list[int]:
    """The ``TOP_K`` closest sentences, then, for a number, date or name of
    the claim none of them carries, the closest sentence that does (a
    summary sentence often draws on several sentences)."""
    order = [int(j) for j in np.argsort(-scores)]
    best = order[:TOP_K]
    for kind, match in (("numbers", str.__eq__), ("dates", _date_in), ("entities", entity_match)):
        for value in getattr(claim, kind):
            if any(match(value, y) for j in best for y in getattr(sent_d[j], kind)):
                continue
            extra = next((j for j in order if scores[j] >= ON_TOPIC
                          and any(match(value, y) for y in getattr(sent_d[j], kind))), None)
            if extra is not None and len(best) < MAX_EVIDENCE:
                best.append(extra)
    return best


def _judge(text: str, claim: Details, evidence: list[tuple[Span, Details, float]], *,
           same_language: bool) -> tuple[Verdict, str, list[int]]:
    if evidence[0][2] < ON_TOPIC:
        return Verdict.not_found, "no sentence of the source is about this claim", []
    ev = [e for e in evidence if e[2] >= ON_TOPIC]
    idx = list(range(len(ev)))
    pooled = _pool([d for _, d, _ in ev])
    coverage, missing = _coverage(text, pooled) if same_language else (1.0, [])
    conflict = _conflict(claim, pooled, names=same_language and coverage >= NAME_CHECK)
    if conflict is None and all((claim.negation - d.negation) % 2 for _, d, _ in ev):
        conflict = "negated on one side only"
    if conflict:
        return Verdict.contradicted, conflict, idx
    if not same_language and evidence[0][2] < CROSS_SUPPORT:
        return Verdict.not_found, "no sentence of the source is close enough in meaning", idx[:1]
    if coverage < COVERAGE:
        return Verdict.not_found, f"the closest sentences do not say: {', '.join(missing[:4])}", idx[:1]
    if claim.modality == "asserted" and pooled.hedged:
        return Verdict.not_found, "the source only reports this as hedged or conditional", idx
    return Verdict.supported, "the source says this; names, numbers, dates and negation agree", idx


def _coverage(text: str, ev: Details) -> tuple[float, list[str]]:
    """Share of the claim's content words (first five letters) the evidence carries."""
    words = content_words(text)
    carried = {w[:5] for w in ev.words}
    missing = [w for w in words if w[:5] not in carried]
    return (1 - len(missing) / len(words) if words else 0.0), missing


def _pool(ds: list[Details]) -> Details:
    """The evidence sentences' values together (negation is checked per sentence)."""
    return Details(numbers=frozenset().union(*(d.numbers for d in ds)),
                   dates=frozenset().union(*(d.dates for d in ds)),
                   entities=frozenset().union(*(d.entities for d in ds)),
                   hedged=all(d.hedged or d.conditional for d in ds),
                   words=tuple(w for d in ds for w in d.words))


def _conflict(claim: Details, ev: Details, *, names: bool) -> str | None:
    """A value of the claim the evidence gives differently; names only when
    the evidence otherwise carries the claim (``names``).  (Negation is
    checked by the caller: a conflict when no evidence sentence agrees.)"""
    checks = [("number", claim.numbers, ev.numbers, str.__eq__), ("date", claim.dates, ev.dates, _date_in)]
    if names:
        checks.append(("name", claim.entities, ev.entities, entity_match))
    for kind, mine, theirs, match in checks:
        missing = sorted(x for x in mine if not any(match(x, y) for y in theirs))
        if missing and theirs:
            return f"the source gives another {kind}: {', '.join(sorted(theirs))[:80]} (claim: {', '.join(missing)[:80]})"
    return None


def _date_in(a: str, b: str) -> bool:
    """A claim's date agrees with the source's when both can name the same time."""
    return dates_compatible(a, b)
