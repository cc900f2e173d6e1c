"""Claims checked against a source text: supported, contradicted or not found.

>>> from verifier.compare.verify import verify_texts
>>> out = verify_texts(["Musk a parlé à Poutine depuis 2022."], source_article)

Offline (the default without an endpoint), per claim:

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
word overlap can pass a claim that recombines true parts falsely.  The LLM
engine (``verify_llm.py``) judges all claims in one batched request.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from verifier.compare import align

from verifier.compare import embeddings
from verifier.ingest.article import Article, is_url, read_article
from verifier.compare.details import Details, content_words, dates_compatible, details_many, entity_match
from verifier.errors import ConfigError, InputError
from verifier.text.language import detect_language
from verifier.models import Claim, Span, Verdict, VerifiedClaim, VerifyMethod, VerifyOutput

TOP_K = 3           # closest sentences kept as evidence per claim
MAX_EVIDENCE = 5    # with the sentences that carry the claim's values
ON_TOPIC = 0.35     # best retrieval score below this: not found
COVERAGE = 0.6       # share of the claim's content words the evidence must carry
CROSS_SUPPORT = 0.6  # across languages (no shared words): semantic score needed
NAME_CHECK = 0.5    # coverage from which a missing name counts as a different name


@dataclass
class ClaimInput:
    text: str
    claim: Claim | None = None


# --------------------------------------------------------------------------
# reading CLAIMS
# --------------------------------------------------------------------------


def read_claims(path: str, *, engine: str | None = None, model: str | None = None,
                use_cache: bool = True) -> tuple[list[ClaimInput], str, object | None]:
    """CLAIMS as a JSON file (a list of strings, a list of objects with
    ``text``, or our ``claims`` output), a text file of one claim per line
    (no line holds more than one sentence; blank lines and "- " bullets are
    fine), or an article whose claims are extracted.  Returns the claims, a description and the extraction's
    provenance (articles only)."""
    p = Path(path)
    if path != "-" and not is_url(path) and p.suffix.lower() == ".json":
        return _json_claims(p), f"{path} (JSON)", None
    article = read_article(path)
    lines = [line.strip() for line in article.text.split("\n") if line.strip()]
    if _is_list(lines):
        return [ClaimInput(line.lstrip("-*• ").strip()) for line in lines], f"{path} (one claim per line)", None
    from verifier.analysis.pipeline import analyze
    from verifier.analysis.cache import Cache
    from verifier.engines import make_engine

    analysis = analyze(article, make_engine(engine, model=model), cache=Cache() if use_cache else None)
    grounded = [c for c in analysis.claims if c.grounded]
    if not grounded:
        raise InputError(f"{path}: no claims were found in this article")
    return [ClaimInput(c.text, c) for c in grounded], f"{path} (article: claims extracted)", analysis.provenance


def _is_list(lines: list[str]) -> bool:
    """One claim per line: no line holds more than one sentence (an article's
    paragraphs usually hold several)."""
    from verifier.text.sentences import split

    return bool(lines) and all(len(split(line)) == 1 for line in lines)


def _json_claims(p: Path) -> list[ClaimInput]:
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{p}: not a readable JSON file ({type(exc).__name__})") from None
    if isinstance(data, dict):
        data = data.get("claims")
    if not isinstance(data, list) or not data:
        raise InputError(f"{p}: expected a JSON list of claims, or an object with a 'claims' list")
    out = []
    for n, item in enumerate(data, 1):
        text = item if isinstance(item, str) else item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{p}: each claim must be a string or an object with a 'text' string")
        claim = None
        if isinstance(item, dict) and "evidence" in item:  # a claim from `verifier claims --json`
            try:
                claim = Claim.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise InputError(f"{p}: claim {n} is not a valid claim object "
                                 f"({'.'.join(map(str, first['loc']))}: {first['msg']})") from None
        out.append(ClaimInput(text.strip(), claim))
    return out


# --------------------------------------------------------------------------
# offline verification
# --------------------------------------------------------------------------


def source_sentences(source: Article) -> list[Span]:
    from verifier.text.sentences import split

    return [Span(start=s, end=e, text=source.text[s:e], match="exact") for s, e in split(source.text)]


def verify_offline(claims: list[ClaimInput], source: Article) -> list[VerifiedClaim]:
    sents = source_sentences(source)
    if not sents:
        raise InputError(f"{source.source}: the source has no sentences")
    texts = [c.text for c in claims]
    claim_lang = detect_language(" ".join(texts), default=source.language)
    scores = align.similarity(texts, [s.text for s in sents])
    claim_d = details_many(texts, claim_lang)
    sent_d = details_many([s.text for s in sents], source.language)
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


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------


def verify_texts(claims: list[ClaimInput] | list[str], source: Article, *, engine: str | None = None,
                 model: str | None = None, claims_from: str = "<list>", claims_provenance=None) -> VerifyOutput:
    items = [c if isinstance(c, ClaimInput) else ClaimInput(c) for c in claims]
    if not items:
        raise InputError("no claims to verify")
    from verifier.config import Settings
    from verifier.engines import default_engine

    name = engine or default_engine(Settings.from_env())
    if name == "offline":
        if model:
            raise ConfigError("the offline engine takes no --model")
        verified = verify_offline(items, source)
        method = VerifyMethod(engine="offline", model="rules", retriever=embeddings.name())
    else:
        from verifier.compare.verify_judged import verify_llm

        verified, method = verify_llm(items, source, engine=name, model=model)
    return VerifyOutput(
        source=source.info(),
        claims_from=claims_from, claims_provenance=claims_provenance, method=method,
        counts=dict(Counter(v.verdict.value for v in verified)), claims=verified,
    )


def verify_files(claims: str, against: str, *, engine: str | None = None, model: str | None = None,
                 use_cache: bool = True) -> VerifyOutput:
    """Read CLAIMS (see ``read_claims``) and the source, and verify."""
    source = read_article(against)
    items, described, provenance = read_claims(claims, engine=engine, model=model, use_cache=use_cache)
    return verify_texts(items, source, engine=engine, model=model, claims_from=described,
                        claims_provenance=provenance)
