"""One-to-one alignment of two lists of texts (claims, or claims and sentences).

Similarity of two texts, in [0, 1]:

    score = 0.6 · semantic + 0.4 · lexical        (with embeddings)
    score = lexical                               (without)

* ``semantic``: cosine of multilingual-e5-small embeddings above a
  background (the median score of each text against the other side, or
  ``SEM_FLOOR`` when a side has fewer than five texts), over ``SEM_SPAN``
  and clipped to [0, 1];
* ``lexical``: overlap of content words (accents and case folded, first five
  letters, so "contact"/"contacts" match), over the shorter text: a claim
  that restates part of a longer one still scores high.

The assignment maximises the total score (``scipy.optimize.
linear_sum_assignment``); a pair below ``MATCH`` is not a pair: the texts
count as removed and added.  Pairs between ``MATCH`` and ``SURE`` are
*ambiguous*.  Thresholds are documented, with how they were set, in
docs/diff-verify.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifier.compare import embeddings
from verifier.compare.overlap import Shared, detail_scores
from verifier.text.details import Details, content_words

SEM_FLOOR, SEM_SPAN = 0.82, 0.10
BACKGROUND_MIN = 5
W_SEM = 0.6
W_DETAIL = 0.2  # claims: the weight of shared rare names, numbers and dates (``overlap.py``)
LEX_FLOOR = 4  # claims: a short fact's few words found in a long claim do not make it the same fact
MATCH = 0.45
SURE = 0.7
EXTRA = 0.75  # one-to-many: a further pair must be sure, with a margin (it breaks the one-to-one rule)


@dataclass(frozen=True)
class Pair:
    old: int
    new: int
    score: float
    extra: bool = False  # a further pair of a claim already paired (one-to-many)

    @property
    def ambiguous(self) -> bool:
        return self.score < SURE


# Pattern: a nationality adjective restates a country name ("des responsables
# américains" / "des fonctionnaires des Etats-Unis", "russes" / "Russie").  The
# stems (first five letters, folded) whose country stem differs; the others
# (français/France, libanais/Liban, européens/Europe) share it already.
DEMONYMS = {
    "ameri": "etats", "russe": "russi", "chino": "chine", "chine": "chine",
    "china": "chine", "irani": "iran", "iran": "iran", "brita": "royau",
}


def _stems(text: str) -> set[str]:
    return {DEMONYMS.get(w[:5], w[:5]) for w in content_words(text)}


def lexical(a: list[str], b: list[str], floor: int = 1) -> np.ndarray:
    """Shared stems over the shorter text's count, or ``floor`` if higher."""
    sa, sb = [_stems(t) for t in a], [_stems(t) for t in b]
    out = np.zeros((len(a), len(b)), dtype=np.float32)
    for i, x in enumerate(sa):
        for j, y in enumerate(sb):
            if x and y:
                out[i, j] = len(x & y) / max(min(len(x), len(y)), floor)
    return out


def semantic(a: list[str], b: list[str]) -> np.ndarray | None:
    cos = embeddings.cosine(a, b)
    if cos is None:
        return None
    return np.clip((cos - _background(cos)) / SEM_SPAN, 0.0, 1.0)


def _background(cos: np.ndarray) -> np.ndarray | float:
    """What unrelated texts of *these* articles score: the row and column
    medians.  Two versions of one story share their topic, so every pair of
    their claims scores high; only what stands out from that counts."""
    rows, cols = cos.shape
    if rows >= BACKGROUND_MIN and cols >= BACKGROUND_MIN:
        return (np.median(cos, axis=1, keepdims=True) + np.median(cos, axis=0, keepdims=True)) / 2
    if cols >= BACKGROUND_MIN:
        return np.median(cos, axis=1, keepdims=True)
    if rows >= BACKGROUND_MIN:
        return np.median(cos, axis=0, keepdims=True)
    return SEM_FLOOR


def similarity(a: list[str], b: list[str], *, use_embeddings: bool = True) -> np.ndarray:
    lex = lexical(a, b)
    sem = semantic(a, b) if a and b and use_embeddings else None
    if sem is None:
        return lex
    return W_SEM * sem + (1 - W_SEM) * lex


def identical(a: list[str], b: list[str]) -> list[Pair]:
    """Texts equal up to case, accents and spacing, paired in order (no
    embedding needed: most claims of a revised article are unchanged)."""
    from verifier.text.details import normalized

    free: dict[str, list[int]] = {}
    for j, t in enumerate(b):
        free.setdefault(normalized(t), []).append(j)
    pairs = []
    for i, t in enumerate(a):
        js = free.get(normalized(t))
        if js:
            pairs.append(Pair(i, js.pop(0), 1.0))
    return pairs


def assign(scores: np.ndarray, threshold: float | None = None) -> list[Pair]:
    """The one-to-one pairs of maximal total score, each at least ``threshold``
    (default ``MATCH``)."""
    if scores.size == 0:
        return []
    threshold = MATCH if threshold is None else threshold
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [Pair(int(i), int(j), round(float(scores[i, j]), 3))
            for i, j in zip(rows, cols) if scores[i, j] >= threshold]


@dataclass
class Scored:
    """Claim against claim: the total score and its parts, for the
    explanation of each pair."""

    total: np.ndarray
    lexical: np.ndarray
    semantic: np.ndarray | None
    detail: np.ndarray
    shared: dict[tuple[int, int], Shared]


def claim_scores(a: list[str], b: list[str], da: list[Details], db: list[Details], *,
                 use_embeddings: bool = True) -> Scored:
    """``similarity`` plus ``W_DETAIL`` × the detail score (shared names,
    numbers and dates weighted by rarity), capped at 1: two outlets word one
    fact differently, but give it the same figure, date or rare name."""
    lex = lexical(a, b, LEX_FLOOR)
    sem = semantic(a, b) if a and b and use_embeddings else None
    base = lex if sem is None else W_SEM * sem + (1 - W_SEM) * lex
    det, shared = detail_scores(da, db)
    return Scored(np.minimum(1.0, base + W_DETAIL * det), lex, sem, det, shared)


def assign_many(scores: np.ndarray, threshold: float | None = None) -> list[Pair]:
    """``assign``, then one-to-many (one outlet's sentence carries two of the
    other's facts): a further pair scoring at least ``EXTRA`` is added when
    one of its claims is left over, or when it beats the ambiguous pair (below
    ``SURE``) the one-to-one assignment gave one of its claims, which it then
    replaces.  Strongest first; a claim may join several pairs this way."""
    pairs = assign(scores, threshold)
    taken = {(p.old, p.new) for p in pairs}
    of_old = {p.old: p for p in pairs}
    of_new = {p.new: p for p in pairs}
    cells = [(float(scores[i, j]), i, j) for i, j in zip(*np.nonzero(scores >= EXTRA)) if (i, j) not in taken]
    for score, i, j in sorted(cells, reverse=True):
        mine, theirs = of_old.get(i), of_new.get(j)
        weak = [p for p in (mine, theirs) if p is not None and p.score < SURE and p.score < score]
        if mine is not None and theirs is not None and not weak:
            continue
        for p in weak:
            pairs.remove(p)
            if of_old.get(p.old) is p:
                del of_old[p.old]
            if of_new.get(p.new) is p:
                del of_new[p.new]
        extra = Pair(int(i), int(j), round(score, 3), extra=True)
        pairs.append(extra)
        of_old.setdefault(int(i), extra)
        of_new.setdefault(int(j), extra)
    return pairs
