"""Two versions of a story, compared claim by claim.

>>> from verifier.compare.diff import diff
>>> from verifier.engines import make_engine
>>> report = diff("old.txt", "new.txt", make_engine("offline"))
>>> [p.status.value for p in report.pairs]

Both articles are analysed (through the cache) with the same engine; their
claims are aligned (``align.py``: one-to-one, then a claim left over may join
an already paired claim when that pair is sure: one-to-many) on their
meaning, words and shared names, numbers and dates (``overlap.py``); each
pair says what matched (``DiffPair.match``) and is typed (``details.py``).
Sources and stances are compared on the attributions: a speaker cited in one
version only, a denial or a refusal to comment that appears or vanishes.
"""

from __future__ import annotations

from collections import Counter

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.compare import align, embeddings
from verifier.compare.overlap import shared_words
from verifier.compare.details import Change, compare, normalize_speaker, same_speaker
from verifier.engines.base import Engine, JudgingEngine
from verifier.ingest.article import Article
from verifier.models import (
    Analysis, Attribution, Claim, DetailChange, DiffMethod, DiffOutput, DiffPair, DiffStatus,
    QUIET, PresenceStatus, SpeakerPresence, StanceChange, Version,
)
from verifier.models.diff import PairMatch
from verifier.text.details import Details, details_many, same_text


def diff_analyses(old: Analysis, new: Analysis, *, judge: JudgingEngine | None = None) -> DiffOutput:
    """Compare two analyses (of the same story, in the same language or not).
    ``judge``, an engine that judges, settles ambiguous pairs in one batched
    call (``adjudicate.py``)."""
    lang = old.article.language
    # only what each article grounds is compared: an ungrounded claim is no fact of its article
    olds, news = [c for c in old.claims if c.grounded], [c for c in new.claims if c.grounded]
    pairs = _claim_pairs(olds, news, lang)
    adjudication = None
    if judge is not None:
        from verifier.compare.adjudicate import adjudicate

        pairs, adjudication = adjudicate(pairs, judge)
    return DiffOutput(
        old=Version(provenance=old.provenance, article=old.article),
        new=Version(provenance=new.provenance, article=new.article),
        method=DiffMethod(aligner=embeddings.name(), match_threshold=align.MATCH, sure_threshold=align.SURE,
                          detail_weight=align.W_DETAIL, one_to_many_threshold=align.EXTRA, adjudication=adjudication),
        counts=dict(Counter(p.status.value for p in pairs)),
        pairs=pairs,
        speakers=_speakers(old.attributions, new.attributions),
        stances=_stances(old.attributions, new.attributions),
        ungrounded={"old": len(old.claims) - len(olds), "new": len(new.claims) - len(news)},
    )


def only_changes(report: DiffOutput) -> DiffOutput:
    """The report without unchanged and reworded claims, nor the sources and
    stances both versions share (``counts`` still counts every pair)."""
    return report.model_copy(update={
        "pairs": [p for p in report.pairs if p.status.value not in QUIET],
        "speakers": [s for s in report.speakers if s.status is not PresenceStatus.kept],
        "stances": [s for s in report.stances if s.status is not PresenceStatus.kept],
    })


def diff(old: str | Article, new: str | Article, engine: Engine, options: AnalyzeOptions | None = None) -> DiffOutput:
    """Analyse both versions with ``engine`` (through the cache) and compare
    them; an engine that judges also settles the ambiguous pairs."""
    return diff_with_analyses(old, new, engine, options)[2]


def diff_with_analyses(old: str | Article, new: str | Article, engine: Engine,
                       options: AnalyzeOptions | None = None) -> tuple[Analysis, Analysis, DiffOutput]:
    """``diff``, with the two analyses it compared (a report that shows
    both texts needs their claims' offsets)."""
    pipeline = Pipeline(engine, options)
    old_a = pipeline.analyze(old)
    new_a = pipeline.analyze(new)
    return old_a, new_a, diff_analyses(old_a, new_a, judge=engine if engine.capabilities.judges else None)


# --------------------------------------------------------------------------
# claims
# --------------------------------------------------------------------------


def _claim_pairs(old: list[Claim], new: list[Claim], lang: str) -> list[DiffPair]:
    matched = align.identical([c.text for c in old], [c.text for c in new])
    same_text = {p.old for p in matched}
    rest_old = [i for i in range(len(old)) if i not in same_text]
    rest_new = [j for j in range(len(new)) if j not in {p.new for p in matched}]
    # identical texts share their numbers, dates, names and negation: only the
    # others are read (a revision reads only what changed), without the parse
    read = details_many([old[i].text for i in rest_old] + [new[j].text for j in rest_new], lang, parse=False)
    old_d, new_d = dict(zip(rest_old, read)), dict(zip(rest_new, read[len(rest_old):]))
    scored = align.claim_scores([old[i].text for i in rest_old], [new[j].text for j in rest_new],
                                [old_d[i] for i in rest_old], [new_d[j] for j in rest_new])
    found = align.assign_many(scored.total)
    matched += [align.Pair(rest_old[p.old], rest_new[p.new], p.score, p.extra) for p in found]
    why = {(rest_old[p.old], rest_new[p.new]): _explain(scored, p, old[rest_old[p.old]].text,
                                                        new[rest_new[p.new]].text) for p in found}
    by_old: dict[int, list[align.Pair]] = {}
    for p in sorted(matched, key=lambda p: (p.old, p.extra, p.new)):
        by_old.setdefault(p.old, []).append(p)
    by_new = {p.new for p in matched}
    many = {side: {k for k, n in Counter(getattr(p, side) for p in matched).items() if n > 1} for side in ("old", "new")}
    pairs: list[DiffPair] = []
    for i, claim in enumerate(old):
        if i not in by_old:
            pairs.append(DiffPair(status=DiffStatus.removed, old=claim, new=None))
            continue
        for p in by_old[i]:
            other = new[p.new]
            changes = compare(old_d.get(i, _SAME), new_d.get(p.new, _SAME),
                              modality=(claim.modality.value, other.modality.value),
                              speaker=(claim.speaker, other.speaker))
            side = "old" if i in many["old"] else "new" if p.new in many["new"] else None
            pairs.append(DiffPair(status=_status(claim, other, changes), old=claim, new=other,
                                  similarity=p.score, ambiguous=p.ambiguous and not p.extra,
                                  changes=[DetailChange(type=c.type, old=c.old, new=c.new) for c in changes],
                                  match=why.get((i, p.new)), one_to_many=side))
    # added claims go after the old claim their neighbour in the new version is paired with
    for j, claim in enumerate(new):
        if j not in by_new:
            pos = _insert_at(pairs, new, j)
            pairs.insert(pos, DiffPair(status=DiffStatus.added, old=None, new=claim))
    return pairs


def _explain(scored: align.Scored, p: align.Pair, old_text: str, new_text: str) -> PairMatch:
    shared = scored.shared.get((p.old, p.new))
    sem = scored.semantic
    return PairMatch(entities=list(shared.entities) if shared else [], numbers=list(shared.numbers) if shared else [],
                     dates=list(shared.dates) if shared else [], words=list(shared_words(old_text, new_text)),
                     semantic=None if sem is None else round(float(sem[p.old, p.new]), 3),
                     lexical=round(float(scored.lexical[p.old, p.new]), 3),
                     detail=round(float(scored.detail[p.old, p.new]), 3))


_SAME = Details()  # for identical texts: modality and speaker are still compared


def _status(old: Claim, new: Claim, changes: list[Change]) -> DiffStatus:
    if changes:
        return DiffStatus.changed
    if same_text(old.text, new.text):
        return DiffStatus.unchanged
    return DiffStatus.reworded


def _insert_at(pairs: list[DiffPair], new: list[Claim], j: int) -> int:
    """After the pair holding the nearest preceding new claim, so the report
    follows the new version's order where it can."""
    ids = {c.id: k for k, c in enumerate(new)}
    best = -1
    for pos, p in enumerate(pairs):
        if p.new is not None and ids[p.new.id] < j:
            best = pos
    return best + 1


# --------------------------------------------------------------------------
# speakers and stances
# --------------------------------------------------------------------------


def _groups(attributions: list[Attribution]) -> list[tuple[str, list[str]]]:
    """Speakers of one version, merged when they name the same source."""
    groups: list[tuple[str, list[str]]] = []
    for a in attributions:
        if not a.grounded or not normalize_speaker(a.speaker.name):
            continue
        for name, ids in groups:
            if same_speaker(name, a.speaker.name):
                ids.append(a.id)
                break
        else:
            groups.append((a.speaker.name, [a.id]))
    return groups


def _speakers(old: list[Attribution], new: list[Attribution]) -> list[SpeakerPresence]:
    old_g, new_g = _groups(old), _groups(new)
    out: list[SpeakerPresence] = []
    used: set[int] = set()
    for name, ids in old_g:
        k = next((k for k, (n, _) in enumerate(new_g) if k not in used and same_speaker(name, n)), None)
        if k is None:
            out.append(SpeakerPresence(speaker=name, status=PresenceStatus.removed, old=ids))
        else:
            used.add(k)
            out.append(SpeakerPresence(speaker=name, status=PresenceStatus.kept, old=ids, new=new_g[k][1]))
    out += [SpeakerPresence(speaker=n, status=PresenceStatus.added, new=ids)
            for k, (n, ids) in enumerate(new_g) if k not in used]
    return out


def _stances(old: list[Attribution], new: list[Attribution]) -> list[StanceChange]:
    out: list[StanceChange] = []
    for kind, test in (("denial", lambda a: a.is_denial), ("no_comment", lambda a: a.is_no_comment)):
        olds = [a for a in old if test(a) and a.grounded]
        news = [a for a in new if test(a) and a.grounded]
        # kept only by the same speaker; among several, shared words decide
        words = align.similarity([a.content for a in olds], [a.content for a in news], use_embeddings=False)
        scores = words * 0.5 + 0.5
        for i, a in enumerate(olds):
            for j, b in enumerate(news):
                if not same_speaker(a.speaker.name, b.speaker.name):
                    scores[i, j] = 0.0
        pairs = align.assign(scores, threshold=0.5) if olds and news else []
        paired_old, paired_new = {p.old for p in pairs}, {p.new for p in pairs}
        out += [StanceChange(kind=kind, status=PresenceStatus.kept, speaker=olds[p.old].speaker.name,
                             old=olds[p.old], new=news[p.new]) for p in pairs]
        out += [StanceChange(kind=kind, status=PresenceStatus.removed, speaker=a.speaker.name, old=a)
                for i, a in enumerate(olds) if i not in paired_old]
        out += [StanceChange(kind=kind, status=PresenceStatus.added, speaker=b.speaker.name, new=b)
                for j, b in enumerate(news) if j not in paired_new]
    return out
